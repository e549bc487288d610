"""Fuzzing every evidence loader: arbitrary bytes, arbitrary YAML/CSV/JSON structures, and shipped files
with one value replaced. Each input loads or raises the project's own error (an ArtifactError); no other
exception escapes, and figures/ does not change.

Budget (CI): ``EXAMPLES`` examples per strategy and loader, derandomized (the same examples on every run)
and without an example database, so a failure reproduces. About 25 s on 2 cores; raise ``ARTIFACT_FUZZ``
(examples per strategy) to search harder locally.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from artifact import paths
from artifact.errors import ArtifactError

EXAMPLES = int(os.environ.get("ARTIFACT_FUZZ", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Keys the schemas know, so that generated mappings often reach past the first level of validation.
KEYS = ("version", "source_key", "location", "terms", "en", "zh", "article_table", "definition_en",
        "definition_zh", "columns", "rows", "label", "cells", "dataset", "dataset_sha256", "index", "question",
        "reference_solution", "answer", "question_zh", "chain_of_thought", "milestones", "key", "origin",
        "origin_arxiv_id", "article_date", "article_row", "source_rows", "missing", "shifts", "shift",
        "article_term", "datasets", "section", "order", "title", "claims", "id", "text", "exhibits", "test", "kind",
        "expected", "note", "article", "source", "pairs", "comparisons", "rule", "shape", "min_r2", "sweep",
        "metric", "share", "reason", "config", "model", "name", "started_at", "parameters", "prompting",
        "completion", "extracted", "gold", "correct", "prompt_tokens", "completion_tokens", "widths", "seeds")
KINDS = ("value", "date", "order", "threshold", "trend", "gain", "lab-shape", "unverified", "not-checkable")

scalars = (st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats() | st.text(max_size=30)
           | st.sampled_from(KINDS + ("wei2022cot:x", "lab:default/exact_match/w4/s0", "runs:x/cot", "/x", "..")))
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=6),
    max_leaves=25)


def _leaves(data, path=()):
    """Every (path, value) of a nested structure, the containers included."""
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _leaves(v, (*path, i))


def _replaced(data, path, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replaced(data[head], rest, value)}
    return [_replaced(v, rest, value) if i == head else v for i, v in enumerate(data)]


@st.composite
def mutated(draw, data):
    """``data`` with one node (leaf or container) replaced by an arbitrary structure."""
    where = draw(st.sampled_from([p for p, _ in _leaves(data)]))
    return _replaced(data, where, draw(structures))


@st.composite
def spliced(draw, original: bytes):
    """``original`` with a few arbitrary bytes written over, inserted or cut at one place."""
    at = draw(st.integers(0, len(original)))
    junk = draw(st.binary(max_size=8))
    cut = draw(st.integers(0, 8))
    return original[:at] + junk + original[at + cut:]


def _jsonl(records) -> bytes:
    return "\n".join(json.dumps(r) for r in (records if isinstance(records, list) else [records])).encode()


def _dump(data) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def _loads_or_our_error(load, *args):
    try:
        load(*args)
    except ArtifactError:
        pass


@pytest.fixture(scope="module", autouse=True)
def figures_unchanged():
    def digest():
        h = hashlib.sha256()
        for p in sorted(paths.FIGURES_DIR.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(paths.FIGURES_DIR).as_posix().encode() + b"\0" + p.read_bytes())
        return h.hexdigest()
    before = digest()
    yield
    assert digest() == before, "a loader changed figures/"


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def evidence():
    from artifact.evidence.store import Evidence

    return Evidence()


# --- published CSV ---------------------------------------------------------------------------------

WEI = (paths.PUBLISHED_DIR / "wei2022cot.csv").read_bytes()
WEI_ROWS = list(csv.reader(io.StringIO(WEI.decode("utf-8"), newline="")))


def _csv(rows) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@st.composite
def published_tables(draw):
    """The shipped header and rows with one cell, one header name or one row length changed."""
    rows = [list(r) for r in WEI_ROWS]
    r = draw(st.integers(0, len(rows) - 1))
    c = draw(st.integers(0, len(rows[r]) - 1))
    how = draw(st.sampled_from(("cell", "number", "drop", "extra")))
    if how == "cell":
        rows[r][c] = draw(st.text(max_size=40))
    elif how == "number":
        rows[r][c] = draw(st.sampled_from(("1e400", "-1e400", "nan", "inf", "-0", "1e-400", "0", "-5", "", " ")))
    elif how == "drop":
        del rows[r][c]
    else:
        rows[r].append(draw(st.text(max_size=10)))
    return _csv(rows)


@pytest.mark.parametrize("strategy", ["bytes", "spliced", "table"])
def test_published_loader(work, bib_keys, strategy):
    from artifact.evidence.published import load_published

    source = {"bytes": st.binary(max_size=3000), "spliced": spliced(WEI), "table": published_tables()}[strategy]

    @FUZZ
    @given(source)
    def run(data):
        path = work / "wei2022cot.csv"
        path.write_bytes(data)
        _loads_or_our_error(load_published, path, bib_keys)

    run()


# --- text YAML -------------------------------------------------------------------------------------

TEXT_FILES = sorted(p.stem for p in paths.TEXT_DIR.glob("*.yaml"))


@pytest.mark.parametrize("strategy", ["bytes", "structure", "mutated"])
def test_text_loader(work, bib_keys, strategy):
    from artifact.evidence.text import load_text

    def source(stem):
        original = (paths.TEXT_DIR / f"{stem}.yaml").read_bytes()
        return {"bytes": st.one_of(st.binary(max_size=2000), spliced(original)),
                "structure": structures.map(_dump),
                "mutated": mutated(yaml.safe_load(original)).map(_dump)}[strategy]

    @FUZZ
    @given(st.sampled_from(TEXT_FILES).flatmap(lambda stem: st.tuples(st.just(stem), source(stem))))
    def run(case):
        stem, data = case
        path = work / f"{stem}.yaml"
        path.write_bytes(data)
        _loads_or_our_error(load_text, path, bib_keys)

    run()


# --- claims YAML -----------------------------------------------------------------------------------

CLAIM_FILES = sorted((paths.PACKAGE_DIR / "claims").glob("*.yaml"))


@pytest.mark.parametrize("strategy", ["bytes", "structure", "mutated"])
def test_claims_loader(work, evidence, strategy):
    from artifact.claims.registry import load_claims

    folder = work / "claims"

    def source(path):
        original = path.read_bytes()
        return {"bytes": st.one_of(st.binary(max_size=2000), spliced(original)),
                "structure": structures.map(_dump),
                "mutated": mutated(yaml.safe_load(original)).map(_dump)}[strategy]

    @FUZZ
    @given(st.sampled_from(CLAIM_FILES).flatmap(lambda p: st.tuples(st.just(p.name), source(p))))
    def run(case):
        name, data = case
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        (folder / name).write_bytes(data)
        _loads_or_our_error(load_claims, evidence, folder)

    run()


# --- bibliography ----------------------------------------------------------------------------------

BIB = paths.REFERENCES_BIB.read_bytes()


@pytest.mark.parametrize("strategy", ["bytes", "spliced", "entries"])
def test_bib_loader(work, strategy):
    from artifact.bib import parsed

    entries = st.lists(st.tuples(st.sampled_from(("article", "misc", "string", "comment", "preamble", "")),
                                 st.text(max_size=12), st.text(max_size=30)), max_size=4).map(
        lambda es: "\n".join(f"@{kind}{{{key}, title = {{{body}}}}}" for kind, key, body in es).encode("utf-8"))
    source = {"bytes": st.binary(max_size=2000), "spliced": spliced(BIB[:3000]), "entries": entries}[strategy]

    @FUZZ
    @given(source)
    def run(data):
        path = work / "references.bib"
        path.write_bytes(data)
        _loads_or_our_error(parsed.__wrapped__, path)  # uncached: the path is reused

    run()


# --- runs and lab (their loaders' public functions) ------------------------------------------------

RUN = next(p for p in sorted(paths.RUNS_DIR.iterdir()) if (p / "run.json").is_file())
RUN_META = json.loads((RUN / "run.json").read_text(encoding="utf-8"))
RUN_SAMPLES = [json.loads(line) for line in (RUN / "samples.jsonl").read_text(encoding="utf-8").splitlines()[:8]]


@pytest.mark.parametrize("strategy", ["bytes", "structure", "mutated"])
def test_run_loader(work, strategy):
    from artifact.evidence.runs import load_run, run_summary

    folder = work / "run"
    folder.mkdir(exist_ok=True)
    meta = json.dumps(RUN_META).encode()
    samples = "\n".join(json.dumps(s) for s in RUN_SAMPLES).encode()
    source = {"bytes": st.tuples(st.one_of(st.binary(max_size=500), spliced(meta)), spliced(samples)),
              "structure": st.tuples(structures.map(lambda d: json.dumps(d).encode()),
                                     st.lists(structures, max_size=3).map(_jsonl)),
              "mutated": st.one_of(
                  st.tuples(mutated(RUN_META).map(lambda d: json.dumps(d).encode()), st.just(samples)),
                  st.tuples(st.just(meta), mutated(RUN_SAMPLES).map(_jsonl)))}[strategy]

    @FUZZ
    @given(source)
    def run(case):
        (folder / "run.json").write_bytes(case[0])
        (folder / "samples.jsonl").write_bytes(case[1])
        try:
            run_summary("r", *load_run(folder))  # the summary is what exhibits read
        except ArtifactError:
            pass

    run()


SWEEP = min(p for p in paths.LAB_DIR.iterdir() if (p / "config.json").is_file())
SWEEP_CONFIG = json.loads((SWEEP / "config.json").read_text(encoding="utf-8"))
SWEEP_METRICS = (SWEEP / "metrics.csv").read_bytes()
METRIC_ROWS = list(csv.reader(io.StringIO(SWEEP_METRICS.decode("utf-8"), newline="")))


@pytest.mark.parametrize("strategy", ["bytes", "structure", "mutated"])
def test_lab_loader(work, strategy):
    from artifact.evidence.lab import load_sweep

    folder = work / "sweep"
    folder.mkdir(exist_ok=True)
    config = json.dumps(SWEEP_CONFIG).encode()

    @st.composite
    def metrics_table(draw):
        rows = [list(r) for r in METRIC_ROWS]
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = draw(st.text(max_size=12) | st.sampled_from(("inf", "-inf", "nan", "1e400", "-1", "0", "")))
        return _csv(rows)

    source = {"bytes": st.tuples(st.one_of(st.binary(max_size=500), spliced(config)), spliced(SWEEP_METRICS)),
              "structure": st.tuples(structures.map(lambda d: json.dumps(d).encode()), st.just(SWEEP_METRICS)),
              "mutated": st.tuples(st.one_of(mutated(SWEEP_CONFIG).map(lambda d: json.dumps(d).encode()),
                                             st.just(config)), metrics_table())}[strategy]

    @FUZZ
    @given(source)
    def run(case):
        (folder / "config.json").write_bytes(case[0])
        (folder / "metrics.csv").write_bytes(case[1])
        _loads_or_our_error(load_sweep, folder)

    run()


# --- GSM8K data set ---------------------------------------------------------------------------------

def test_dataset_loader(work):
    from artifact.evaluate.dataset import load

    good = json.dumps({"question": "How many?", "answer": "2 + 2 = 4\n#### 4"})
    lines = st.lists(st.one_of(structures.map(json.dumps), st.just(good)), max_size=4).map(
        lambda ls: "\n".join(ls).encode())

    @FUZZ
    @given(st.one_of(st.binary(max_size=500), lines, spliced(good.encode())))
    def run(data):
        (work / "test.jsonl").write_bytes(data)
        _loads_or_our_error(load, work / "test.jsonl")

    run()


# --- manifest --------------------------------------------------------------------------------------

def test_manifest_loader(work):
    from artifact import manifest

    @FUZZ
    @given(st.one_of(st.binary(max_size=300), structures.map(lambda d: json.dumps(d).encode())))
    def run(data):
        (work / paths.MANIFEST_NAME).write_bytes(data)
        _loads_or_our_error(manifest.load, work)

    run()
