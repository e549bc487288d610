"""`reproduce`: identical bytes on every run, skips what is fresh, checks against the manifest,
and leaves figures/ untouched when evidence is malformed."""

from __future__ import annotations

import json

import pytest

from artifact import paths
from artifact.errors import CheckFailed
from artifact.exhibits import REGISTRY
from artifact.reproduce import reproduce
from tests.conftest import copy_repo, run_cli, snapshot


def test_a_fresh_build_equals_the_committed_figures(rebuilt):
    """Two independent builds (the committed one and this one) give the same bytes."""
    assert snapshot(rebuilt) == snapshot(paths.FIGURES_DIR)


def test_manifest_records_hashes_inputs_and_tool_versions(rebuilt):
    manifest = json.loads((rebuilt / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["tools"]) == {"altair", "vl-convert-python", "pandas"}
    entry = manifest["products"]["gsm8k-scaling"]
    evidence = set(entry["evidence"])
    assert "artifact/data/published/wei2022cot.csv" in evidence
    assert {e for e in evidence if e != "artifact/data/published/wei2022cot.csv"} == {
        p.relative_to(paths.REPO_ROOT).as_posix() for p in paths.RUNS_DIR.rglob("*") if p.is_file()}
    assert "artifact/exhibits/gsm8k_scaling.py" in entry["builder"]
    assert set(entry["outputs"]) == {f"{lang}/gsm8k-scaling.{ext}" for lang in ("en", "zh")
                                     for ext in ("svg", "png", "vl.json")} | {"gsm8k-scaling.csv"}
    # Exhibits import no other exhibit: the derived views they share are code inputs found by the import graph.
    builder = set(manifest["products"]["cot-threshold"]["builder"])
    assert {"artifact/exhibits/cot_threshold.py", "artifact/evidence/views.py", "artifact/render.py"} <= builder
    shared_exhibit_modules = {"__init__.py", "registry.py", "labels.py", "cot_threshold.py"}
    assert {f for f in builder if f.startswith("artifact/exhibits/")
            and f.rsplit("/", 1)[1] not in shared_exhibit_modules} == set()


def test_second_run_skips_everything_and_changes_nothing(rebuilt):
    before = snapshot(rebuilt)
    lines = []
    outcomes = reproduce(None, rebuilt, echo=lines.append)
    assert {o.status for o in outcomes} == {"skipped"} and len(lines) == len(REGISTRY) + 2  # exhibits, claims, site data
    assert snapshot(rebuilt) == before


def test_only_rebuilds_the_named_exhibit(tmp_path):
    outcomes = reproduce(["knowledge-table"], tmp_path, echo=lambda _: None)
    assert [(o.product, o.status) for o in outcomes] == [("knowledge-table", "built")]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "knowledge-table.csv", "knowledge-table.md", "knowledge-table.md", "manifest.json"]


def test_claims_report_is_written_with_the_exhibits(rebuilt):
    import json as _json

    doc = _json.loads((rebuilt / "claims.json").read_text(encoding="utf-8"))
    assert sum(doc["counts"].values()) == len(doc["claims"]) >= 30
    assert "palm-cot-56-6" in (rebuilt / "en" / "claims.md").read_text(encoding="utf-8")
    assert "有出入" in (rebuilt / "zh" / "claims.md").read_text(encoding="utf-8")


def test_check_passes_on_the_committed_figures():
    result = run_cli(paths.REPO_ROOT, "reproduce", "--check")
    assert result.returncode == 0, result.stderr
    assert "all outputs match the manifest" in result.stdout


def test_check_names_the_exhibit_whose_output_differs(tmp_path):
    out = tmp_path / "figs"
    reproduce(["glossary", "paradigm-table"], out, echo=lambda _: None)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["products"]["glossary"]["outputs"]["en/glossary.md"] = "0" * 64
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CheckFailed, match=r"glossary: en/glossary.md regenerates with a different hash"):
        reproduce(["glossary", "paradigm-table"], out, check=True, echo=lambda _: None)


def test_hand_edited_output_is_rebuilt(tmp_path):
    reproduce(["glossary"], tmp_path, echo=lambda _: None)
    target = tmp_path / "zh" / "glossary.md"
    good = target.read_bytes()
    target.write_text("edited", encoding="utf-8")
    outcomes = reproduce(["glossary"], tmp_path, echo=lambda _: None)
    assert outcomes[0].status == "built" and target.read_bytes() == good


@pytest.mark.parametrize("evidence_file, bad, good, message", [
    ("artifact/data/published/wei2022cot.csv", ",56.9,", ",fifty-six,",
     "wei2022cot.csv, line 29, field 'value': 'fifty-six' is not a number"),
    ("artifact/data/published/chung2022flan.csv", "chung2022flan,2210.11416", "chungg2022,2210.11416",
     "chung2022flan.csv, line 2, field 'source_key': 'chungg2022' is not a key in the bibliography"),
    ("artifact/data/text/glossary.yaml", "    zh: 思维链\n", "",
     "glossary.yaml, line 22, field 'terms.3.zh': Field required"),
])
def test_bad_evidence_stops_with_one_message_and_figures_untouched(tmp_path, evidence_file, bad, good, message):
    repo = copy_repo(tmp_path)
    target = repo / evidence_file
    text = target.read_text(encoding="utf-8")
    assert bad in text
    target.write_text(text.replace(bad, good, 1), encoding="utf-8")
    before = snapshot(repo / "figures")
    result = run_cli(repo, "reproduce")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {target.parent}/") and lines[0].endswith(message)
    assert snapshot(repo / "figures") == before


def test_unknown_exhibit_exits_non_zero_with_the_name(tmp_path):
    result = run_cli(paths.REPO_ROOT, "reproduce", "--only", "no-such-exhibit", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "unknown exhibit id 'no-such-exhibit'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_new_run_folder_is_noticed(tmp_path):
    import shutil

    repo = copy_repo(tmp_path)
    first = run_cli(repo, "reproduce")
    assert first.returncode == 0 and "built" not in first.stdout
    runs = repo / "artifact" / "data" / "runs"
    source = next(p for p in sorted(runs.iterdir()) if p.is_dir())
    shutil.copytree(source, runs / "copy-of-a-run")
    second = run_cli(repo, "reproduce")
    assert second.returncode == 0, second.stderr
    built = {line.split()[1] for line in second.stdout.splitlines() if line.startswith("built")}
    assert built == {"gsm8k-scaling", "gsm8k-example", "claims", "site"}
