"""A resumable run of any registered task: run.json (what made it) and samples.jsonl (one line per item).

The run folder is named by a hash of everything that can change outputs (model and revision,
backend, dtype, data set hash, prompt hashes, decoding settings, library versions), not batch size
or engine settings. Each item's line is appended and flushed as soon as it finishes; a rerun skips
(prompting, index) pairs already written. The records are `evidence.runs`' models, the same ones
the loader validates, so what is written is what is read.

One writer per folder: `lock_run` takes an exclusive lock (released by the OS if the process dies)
and refuses a second evaluate with a message naming the holder. The folder is created only by
`lock_run`, which the CLI calls after the model has loaded, so a model that fails to load leaves nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from artifact import fsio, paths
from artifact.errors import ArtifactError, DataError, PromptTooLong, RunMismatch
from artifact.evaluate.backends.base import Backend, Generation
from artifact.evaluate.dataset import Dataset, Item
from artifact.evaluate.models import ModelSpec
from artifact.evaluate.prompting import PromptStyle
from artifact.evaluate.tasks import GSM8K, Task
from artifact.evidence.runs import RunConfig, RunMeta, SampleRecord, load_meta, load_samples

FORMAT = 1
PACKAGES = ("torch", "transformers", "gguf", "vllm")
LOCK = ".lock"


RunLocked = fsio.LockedError  # another evaluate is writing to the same run folder


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def run_config(spec: ModelSpec, backend: str, dtype: str, data: Dataset, shots: int | None,
               max_new_tokens: dict[str, int] | None = None, task: Task = GSM8K, split: str | None = None) -> RunConfig:
    """Everything that can change the outputs; its hash names the run. ``shots`` None: all the task's exemplars."""
    shots = task.shots if shots is None else shots
    styles = {name: task.style(name, shots) for name in task.styles}
    return RunConfig.model_validate({
        "format": FORMAT,
        "model": {"name": spec.name, "source": spec.source, "revision": spec.revision, "gguf_file": spec.gguf_file},
        "backend": backend, "dtype": dtype,
        "dataset": {"name": task.title(split or task.default_split), "sha256": data.sha256, "items": len(data.items)},
        "prompts": {name: {"sha256": s.sha256, "shots": shots} for name, s in styles.items()},
        "decoding": {"greedy": True, "max_new_tokens": dict(max_new_tokens or task.max_new_tokens),
                     "stop": list(task.template.stop)},
        "packages": {k: v for k, v in package_versions().items() if backend == "vllm" or k != "vllm"},
    })


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in Path(name).name.lower()).strip("-")[:40] or "model"


def _diff(a: dict, b: dict, prefix: str = "") -> str:
    for k in sorted(set(a) | set(b)):
        x, y = a.get(k), b.get(k)
        if isinstance(x, dict) and isinstance(y, dict):
            found = _diff(x, y, f"{prefix}{k}.")
            if found:
                return found
        elif x != y:
            return f"{prefix}{k}: this run has {y!r}, the folder has {x!r}"
    return ""


def read_samples(path: Path) -> list[dict]:
    """Complete lines of samples.jsonl; a torn last line (killed mid-write) is cut off the file."""
    if not path.is_file():
        return []
    raw = path.read_bytes()
    good = raw[: raw.rfind(b"\n") + 1]
    if len(good) != len(raw):
        with open(path, "r+b") as f:
            f.truncate(len(good))
    return [s.model_dump() for s in load_samples(path)]


def _write_atomic(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half; a full disk is one line."""
    try:
        fsio.write_atomic(path, text, durable=True)
    except OSError as exc:
        raise fsio.WriteError(fsio.describe(exc, path)) from None


def _write_meta(path: Path, meta: RunMeta) -> None:
    _write_atomic(path, json.dumps(meta.model_dump(), indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def locate(config: RunConfig, runs_dir: Path, run_id: str | None) -> Path:
    """The run folder for ``config`` (not created): inside ``runs_dir``, and if it exists, made by the
    same configuration."""
    if run_id is not None:
        if not run_id or Path(run_id).is_absolute() or Path(run_id).name != run_id or run_id in (".", ".."):
            raise ArtifactError(f"--run-id {run_id!r}: give a plain folder name (no '/', '..' or absolute path); "
                                f"runs are kept in {runs_dir}")
    if runs_dir.exists() and not runs_dir.is_dir():
        raise fsio.WriteError(f"--runs-dir {runs_dir} is a file, not a folder")
    fsio.refuse_symlink(runs_dir, "runs folder")
    folder = runs_dir / (run_id or f"{_slug(config.model.name)}-{config.key()[:10]}")
    meta = folder / "run.json"
    if meta.is_file():
        old = load_meta(meta)
        if old.key != config.key():
            raise RunMismatch(f"{meta} was made with a different configuration "
                              f"({_diff(old.config.model_dump(), config.model_dump())}); "
                              f"refusing to mix outputs - choose another --run-id or delete the folder")
    return folder


@contextlib.contextmanager
def lock_run(folder: Path, config: RunConfig, task: Task = GSM8K, split: str | None = None) -> Iterator[Path]:
    """Create the folder if needed, hold its lock for the block, and write run.json if absent."""
    try:
        fsio.refuse_symlink(folder, "run folder")
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fsio.WriteError(fsio.describe(exc, folder, unchanged=False)) from None
    with fsio.Lock(folder / LOCK, folder, "evaluate"):
        meta = folder / "run.json"
        if meta.is_file():
            locate(config, folder.parent, folder.name)  # checked again under the lock
        else:
            _write_meta(meta, RunMeta(key=config.key(), config=config, task=task.name,
                                      split=split or task.default_split, started_at=_now()))
        yield folder


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def summarise(samples: Iterable[SampleRecord]) -> dict:
    out: dict[str, dict] = {}
    for s in samples:
        d = out.setdefault(s.prompting, {"items": 0, "correct": 0, "rules": {}})
        d["items"] += 1
        d["correct"] += s.correct
        d["rules"][s.rule] = d["rules"].get(s.rule, 0) + 1
    for d in out.values():
        d["accuracy"] = round(d["correct"] / d["items"], 6)
    return out


def evaluate(backend: Backend, folder: Path, data: Dataset, styles: list[PromptStyle], limit: int | None,
             batch_size: int, progress: Callable[[int, int], None] | None = None, task: Task = GSM8K) -> dict:
    """Generate, extract and score every pending item; append each line as its item finishes.

    Call inside `lock_run(folder, ...)`. A kill loses only the items in flight."""
    samples_path, meta_path = folder / "samples.jsonl", folder / "run.json"
    caps = load_meta(meta_path).config.decoding.max_new_tokens
    done = {(s["prompting"], s["index"]) for s in read_samples(samples_path)}
    items = list(data.items[:limit] if limit else data.items)
    total = len(styles) * len(items)
    finished = sum((style.name, item.index) in done for style in styles for item in items)
    if progress:
        progress(finished, total)
    with open(samples_path, "a", encoding="utf-8") as out:
        for style in styles:
            pending = [item for item in items if (style.name, item.index) not in done]
            if not pending:
                continue
            try:
                for position, g in backend.generate(style, [i.question for i in pending], caps[style.name], batch_size):
                    out.write(_sample(task, style, pending[position], g).line())
                    out.flush()
                    os.fsync(out.fileno())
                    finished += 1
                    if progress:
                        progress(finished, total)
            except PromptTooLong as exc:
                item = pending[exc.position]
                raise DataError(data.path, None, "question",
                                f"item {item.index} ({style.name}): the prompt is {exc.prompt_tokens:,} tokens and "
                                f"{exc.new_tokens} more may be generated, but the model's context is {exc.limit:,} "
                                "tokens; shorten the question or leave the item out") from None
    samples = load_samples(samples_path)
    # Items finish in an order that depends on the batch size; the finished file is sorted so the same
    # run gives the same bytes.
    rank = {name: n for n, name in enumerate(task.styles)}  # the task's order of styles, then any others
    ordered = sorted(samples, key=lambda s: (rank.get(s.prompting, len(rank)), s.prompting, s.index))
    if ordered != samples:
        _write_atomic(samples_path, "".join(s.line() for s in ordered))
    meta = load_meta(meta_path).model_dump()
    meta.update(summary=summarise(ordered), finished_at=_now(), revision_loaded=backend.revision,
                parameters=backend.parameters)
    _write_meta(meta_path, RunMeta.model_validate(meta))
    return meta["summary"]


def _sample(task: Task, style: PromptStyle, item: Item, g: Generation) -> SampleRecord:
    found = task.extract(g.completion)
    return SampleRecord(index=item.index, prompting=style.name, completion=g.completion, extracted=found.answer,
                        rule=found.rule, gold=item.gold, correct=task.score(found.answer, item.gold),
                        prompt_tokens=g.prompt_tokens, completion_tokens=g.completion_tokens)


def default_runs_dir() -> Path:
    return paths.RUNS_DIR


class timer:
    """A tqdm progress bar fed with (finished, total), showing items/s and time left."""

    def __init__(self):
        self.bar = None
        self.start = time.perf_counter()

    def __call__(self, finished: int, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=total, initial=finished, unit="item", dynamic_ncols=True, smoothing=0.1)
        self.bar.update(finished - self.bar.n)
        if finished >= total:
            self.close()
            print(f"{total} items in {time.perf_counter() - self.start:.0f}s")

    def close(self) -> None:
        """End the bar's line (also on Ctrl-C, so the last line printed is ours, not a redrawn bar)."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
