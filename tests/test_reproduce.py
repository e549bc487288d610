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
    assert built == {"gsm8k-scaling", "gsm8k-example", "symbolic-cot", "claims", "site"}  # every reader of runs


def test_a_title_changed_in_code_reaches_every_output_that_carries_it(tmp_path):
    """The exhibit's own files and the site's exhibits index both carry the title; the index reaches the
    exhibit module only through the registry's discovery (``import_module``), which the rebuild rule follows."""
    repo = copy_repo(tmp_path)
    module = repo / "artifact" / "exhibits" / "paradigm_table.py"
    old, new = 'title_en="Fine-tuning vs in-context learning"', 'title_en="Fine-tuning against in-context learning"'
    assert old in module.read_text(encoding="utf-8")
    carriers = {p.relative_to(repo / "figures").as_posix() for p in (repo / "figures").rglob("*")
                if p.is_file() and "Fine-tuning vs in-context" in p.read_text(encoding="utf-8", errors="ignore")}
    assert carriers == {"en/paradigm-table.md", "site/exhibits.json"}
    module.write_text(module.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    stale = run_cli(repo, "reproduce", "--check")
    assert stale.returncode != 0
    assert "paradigm-table: builder files changed" in stale.stderr and "site: builder files changed" in stale.stderr

    run = run_cli(repo, "reproduce")
    assert run.returncode == 0, run.stderr
    built = {line.split()[1] for line in run.stdout.splitlines() if line.startswith("built")}
    assert built == {"paradigm-table", "site"}
    for rel in carriers:
        text = (repo / "figures" / rel).read_text(encoding="utf-8")
        assert "Fine-tuning against in-context learning" in text and "Fine-tuning vs in-context" not in text, rel
    again = run_cli(repo, "reproduce", "--check")
    assert again.returncode == 0, again.stderr


THROWAWAY = '''"""A throwaway exhibit written by a test: one module is all a new exhibit needs."""

import pandas as pd

from artifact.exhibits.registry import Table, register


@register("throwaway-probe", kind="table", inputs=("published:wei2022cot",),
          title_en="Throwaway probe", title_zh="临时探针")
def build(ev, lang):
    frame = ev.published("wei2022cot").head(2)
    data = pd.DataFrame({"value": frame["value"].tolist(), "evidence": ["wei2022cot:" + i for i in frame.index]})
    return Table(data.rename(columns={"value": "Wert" if lang == "en" else "值"}), data)
'''


def test_a_new_exhibit_is_one_module(tmp_path):
    """Dropping a module into artifact/exhibits registers it, builds it, lists it and indexes it on the site."""
    repo = copy_repo(tmp_path)
    (repo / "artifact" / "exhibits" / "throwaway_probe.py").write_text(THROWAWAY, encoding="utf-8")
    assert "throwaway-probe" in run_cli(repo, "list").stdout
    run = run_cli(repo, "reproduce")
    assert run.returncode == 0, run.stderr
    assert "throwaway-probe" in {line.split()[1] for line in run.stdout.splitlines() if line.startswith("built")}
    figures = repo / "figures"
    assert {"en/throwaway-probe.md", "zh/throwaway-probe.md", "throwaway-probe.csv"} <= {
        p.relative_to(figures).as_posix() for p in figures.rglob("*")}
    assert "wei2022cot:" in (figures / "throwaway-probe.csv").read_text(encoding="utf-8")
    index = json.loads((figures / "site" / "exhibits.json").read_text(encoding="utf-8"))
    assert index["throwaway-probe"]["title_zh"] == "临时探针"
    assert json.loads((figures / "manifest.json").read_text(encoding="utf-8"))["products"]["throwaway-probe"]
    check = run_cli(repo, "reproduce", "--check")
    assert check.returncode == 0, check.stderr


def test_the_claims_report_is_computed_once_per_run(tmp_path, monkeypatch):
    """The claims report and the site's claim cards come from one computation, handed to both."""
    from artifact.claims import report

    calls = []
    real = report.run_claims
    monkeypatch.setattr(report, "run_claims", lambda ev, *a, **k: calls.append(1) or real(ev, *a, **k))
    outcomes = reproduce(["claims", "site"], tmp_path, jobs=1, echo=lambda _: None)
    assert [o.status for o in outcomes] == ["built", "built"] and len(calls) == 1
    cards = json.loads((tmp_path / "site" / "cards.json").read_text(encoding="utf-8"))
    claims = json.loads((tmp_path / "claims.json").read_text(encoding="utf-8"))["claims"]
    # every field of a claim result reaches its card (evidence as resolved links)
    assert [{k: v for k, v in c.items() if k != "evidence"} for c in claims] == [
        {k: v for k, v in c.items() if k in claims[0] and k != "evidence"} for c in cards]


def test_site_data_reads_a_spreadsheet_saved_csv_like_every_other_loader(tmp_path):
    """A published file saved by a spreadsheet (byte-order mark, CRLF line ends) goes through the one strict
    reader: the site's evidence table comes out the same, not a traceback."""
    repo = copy_repo(tmp_path)
    csv_file = repo / "artifact" / "data" / "published" / "wei2022cot.csv"
    csv_file.write_bytes(b"\xef\xbb\xbf" + csv_file.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    before = (repo / "figures" / "site" / "evidence" / "wei2022cot.json").read_bytes()
    run = run_cli(repo, "reproduce", "--only", "site")
    assert run.returncode == 0, run.stderr
    assert (repo / "figures" / "site" / "evidence" / "wei2022cot.json").read_bytes() == before
