"""Evidence loading: every shipped file validates; each malformed case names file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from artifact import paths
from artifact.errors import EvidenceError
from artifact.evidence import load_published
from artifact.evidence.schema import PUBLISHED_COLUMNS
from artifact.evidence.text import load_text
from tests.conftest import GOLDEN


def test_every_shipped_published_file_loads_with_unique_ids(bib_keys):
    files = sorted(paths.PUBLISHED_DIR.glob("*.csv"))
    assert len(files) == 13
    total = 0
    for path in files:
        rows = load_published(path, bib_keys)
        assert len({r.id for r in rows}) == len(rows)
        # a file holds the rows of one source, named by its key (a second ledger of it: '<key>_<part>')
        assert {r.source_key for r in rows} == {path.stem.split("_")[0]}, "a file holds the rows of one source"
        total += len(rows)
    assert total == 281 + 125 + 76 + 2 + 8 + 4 + 1 + 108  # the three ledgers, two quoted Cobbe numbers, the article's own,
    # and four counts the claims read (Wei's 8 exemplars, the 7.5k training problems, Fu's Figure 2 exception, the
    # article's "consistently"), and OpenAI's model index on text-davinci-002, and Wei et al.'s symbolic Table 5


def test_every_row_keeps_its_provenance(bib_keys):
    for path in sorted(paths.PUBLISHED_DIR.glob("*.csv")):
        for row in load_published(path, bib_keys):
            assert row.location and row.arxiv_version and row.metric and row.benchmark
            # the article and OpenAI's model index are web pages, dated by their version (an archived copy)
            assert row.source_key in ("fu2022closerlook", "openai2023modelindex") or re.match(r"^\d{4}\.\d{5}$",
                                                                                             row.arxiv_id)


def test_values_stay_as_printed(bib_keys):
    rows = {r.id: r for r in load_published(paths.PUBLISHED_DIR / "fu2022complexity.csv", bib_keys)}
    finetune = rows["t1/previous-finetuning-sota/finetuned-verifier/gsm8k/accuracy-pct"]
    assert finetune.value == "57.0" and finetune.number == 57.0


def test_the_doubtful_genread_cell_carries_both_readings(bib_keys):
    rows = load_published(paths.PUBLISHED_DIR / "yu2022genread.csv", bib_keys)
    doubtful = [r for r in rows if r.caveat == "doubtful"]
    assert len(doubtful) == 1
    assert doubtful[0].value == "57.5" and "52.6" in doubtful[0].notes


@pytest.mark.parametrize("name, line, field, message", [
    ("bad_missing_column.csv", 1, "metric", "required column is missing"),
    ("bad_non_numeric.csv", 3, "value", "'about 30' is not a number"),
    ("bad_duplicate_id.csv", 4, "id", "duplicate id 't2/a' (first on line 2)"),
    ("bad_missing_source.csv", 3, "source_key", "'nobody2099' is not a key in the bibliography"),
    ("bad_short_row.csv", 2, None, "expected 15 cells"),
])
def test_malformed_published_file_names_file_line_and_field(bib_keys, name, line, field, message):
    path = GOLDEN / name
    with pytest.raises(EvidenceError, match=re.escape(message)) as info:
        load_published(path, bib_keys)
    err = info.value
    assert (err.path, err.line, err.field) == (path, line, field)
    assert str(err).startswith(f"{path}, line {line}")


def test_malformed_text_file_points_at_the_yaml_line(bib_keys):
    path = GOLDEN / "glossary.yaml"
    with pytest.raises(EvidenceError, match="Field required") as info:
        load_text(path, bib_keys)
    assert info.value.field == "terms.1.zh"
    assert info.value.line == 9  # the item that lacks `zh` starts on line 9


def test_header_is_the_schema():
    header = (paths.PUBLISHED_DIR / "wei2022cot.csv").read_text(encoding="utf-8").splitlines()[0]
    assert tuple(header.split(",")) == PUBLISHED_COLUMNS


def test_bibliography_covers_the_articles_30_numbered_references():
    from pybtex.database import parse_file

    entries = parse_file(str(paths.REFERENCES_BIB)).entries
    numbers = sorted(int(n) for e in entries.values() for n in e.fields.get("refnum", "").split(",") if n.strip())
    assert sorted(set(numbers)) == list(range(1, 31))


def test_gsm8k_example_matches_the_data_set():
    import hashlib
    import json
    import os

    import yaml

    data = Path(os.environ.get("ARTIFACT_GSM8K", paths.REPO_ROOT.parent / "shared" / "data" / "gsm8k" / "test.jsonl"))
    if not data.is_file():
        pytest.skip(f"GSM8K test set not found at {data} (set ARTIFACT_GSM8K)")
    example = yaml.safe_load((paths.TEXT_DIR / "gsm8k_example.yaml").read_text(encoding="utf-8"))
    assert hashlib.sha256(data.read_bytes()).hexdigest() == example["dataset_sha256"]
    item = json.loads(data.read_text(encoding="utf-8").splitlines()[example["index"]])
    assert item["question"] == example["question"]
    assert item["answer"] == example["reference_solution"]
    assert float(item["answer"].split("####")[-1]) == example["answer"]


def test_bad_run_sample_names_file_line_and_field(tmp_path):
    import json

    from artifact.evidence.runs import load_run

    run = tmp_path / "r"
    run.mkdir()
    shipped = paths.RUNS_DIR / "smollm2-135m-f5b7ed301b" / "run.json"  # a valid run.json (strictly checked)
    (run / "run.json").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    good = {"version": 1, "index": 0, "prompting": "cot", "completion": "The answer is 3.", "extracted": "3",
            "rule": "answer-is", "gold": "3", "correct": True, "prompt_tokens": 5, "completion_tokens": 4}
    bad = {**good, "index": 1, "correct": "maybe"}
    (run / "samples.jsonl").write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="line 2, field 'correct'") as info:
        load_run(run)
    assert info.value.path == run / "samples.jsonl"
    (run / "samples.jsonl").write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="line 2, field 'index': item 0 \\(cot\\) appears twice"):
        load_run(run)
