"""Every shipped run rescores identically with its task's registered extraction and scoring, and was
made with the prompts its task builds today (so its folder's configuration hash is still valid)."""

from __future__ import annotations

import pytest

from artifact import paths
from artifact.evaluate import tasks
from artifact.evidence.runs import load_run

RUNS = sorted(d for d in paths.RUNS_DIR.iterdir() if (d / "run.json").is_file())


@pytest.mark.parametrize("folder", RUNS, ids=[d.name for d in RUNS])
def test_shipped_run_rescores_identically_with_todays_prompts(folder):
    meta, samples = load_run(folder)
    task = tasks.get(meta.task)
    for s in samples:
        found = task.extract(s.completion)
        assert (found.answer, found.rule, task.score(found.answer, s.gold)) == (s.extracted, s.rule, s.correct), s.index
    for name, ref in meta.config.prompts.items():
        assert task.style(name, ref.shots).sha256 == ref.sha256, name
    assert meta.config.decoding.stop == list(task.template.stop)
    assert meta.config.decoding.max_new_tokens == task.max_new_tokens
    assert meta.config.dataset.name == task.title(meta.split or task.default_split)
    assert folder.name.endswith(meta.key[:10])
