"""Strict input: each bad file or careless command of issue 11 ends in one specific error naming the culprit."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from artifact import paths
from artifact.errors import ClaimError, EvidenceError, ManifestError, SiteError
from artifact.evidence import load_published
from artifact.bib import reference_keys
from artifact.evidence.text import load_text


def _published(tmp_path: Path, stem: str, edit) -> Path:
    """A copy of a shipped published file, its text passed through ``edit``."""
    path = tmp_path / f"{stem}.csv"
    path.write_bytes(edit((paths.PUBLISHED_DIR / f"{stem}.csv").read_bytes()))
    return path


def _text(tmp_path: Path, stem: str, edit) -> Path:
    path = tmp_path / f"{stem}.yaml"
    path.write_text(edit((paths.TEXT_DIR / f"{stem}.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _replace(old: str | bytes, new: str | bytes, count: int = 1):
    old = old.decode("utf-8") if isinstance(old, bytes) else old
    new = new.decode("utf-8") if isinstance(new, bytes) else new

    def edit(data):
        is_bytes = isinstance(data, bytes)
        text = data.decode("utf-8") if is_bytes else data
        assert old in text, old
        text = text.replace(old, new, count)
        return text.encode("utf-8") if is_bytes else text
    return edit


# --- UTF-8 -----------------------------------------------------------------------------------------

def test_non_utf8_published_file_names_line_and_byte_offset(tmp_path, bib_keys):
    original = (paths.PUBLISHED_DIR / "wei2022cot.csv").read_bytes()
    offset = original.index(b"LaMDA 420M")
    path = _published(tmp_path, "wei2022cot", lambda b: b[:offset] + b"\xff" + b[offset + 1:])
    line = original.count(b"\n", 0, offset) + 1
    with pytest.raises(EvidenceError, match=rf"line {line}: not UTF-8: byte 0xff at byte offset {offset} "):
        load_published(path, bib_keys)


def test_non_utf8_text_file_is_one_evidence_error(tmp_path, bib_keys):
    path = tmp_path / "glossary.yaml"
    path.write_bytes((paths.TEXT_DIR / "glossary.yaml").read_bytes() + b"\n# caf\xe9\n")
    with pytest.raises(EvidenceError, match=r"not UTF-8: byte 0xe9 at byte offset \d+ \(invalid continuation byte\)"):
        load_text(path, bib_keys)


def test_non_utf8_claims_file_is_a_claim_error(tmp_path):
    from artifact.claims.registry import load_claims
    from artifact.evidence.store import Evidence

    (tmp_path / "s1.yaml").write_bytes((paths.PACKAGE_DIR / "claims" / "s1_emergence.yaml").read_bytes()
                                       .replace(b"Emergent", b"Emerg\x80nt", 1))
    with pytest.raises(ClaimError, match=r"s1.yaml, line \d+: not UTF-8: byte 0x80 at byte offset \d+"):
        load_claims(Evidence(), tmp_path)


def test_non_utf8_bibliography_is_one_evidence_error(tmp_path):
    path = tmp_path / "references.bib"
    path.write_bytes(b"@article{a,\n  title = {Caf\xe9},\n}\n")
    with pytest.raises(EvidenceError, match=r"references.bib, line 2: not UTF-8: byte 0xe9 at byte offset 26"):
        reference_keys(path)


# --- CSV shape -------------------------------------------------------------------------------------

def test_cell_over_the_csv_field_limit_is_named(tmp_path, bib_keys):
    huge = "x" * (csv.field_size_limit() + 1)
    path = _published(tmp_path, "cobbe2021", lambda b: b.rstrip(b"\n")[:-1] + huge.encode() + b"\n")
    with pytest.raises(EvidenceError, match=r"line \d+: a cell is longer than 131,072 characters \(the CSV field-size"):
        load_published(path, bib_keys)


def test_repeated_header_column_names_line_1_and_the_column(tmp_path, bib_keys):
    path = _published(tmp_path, "cobbe2021", _replace(b"caveat,ledger_group", b"caveat,caveat"))
    with pytest.raises(EvidenceError, match=r"cobbe2021.csv, line 1, field 'caveat': column appears twice") as info:
        load_published(path, bib_keys)
    assert (info.value.line, info.value.field) == (1, "caveat")


def test_repeated_header_column_with_an_extra_cell_is_still_a_header_error(tmp_path, bib_keys):
    path = _published(tmp_path, "cobbe2021", _replace(b",notes\n", b",notes,notes\n"))
    with pytest.raises(EvidenceError, match=r"line 1, field 'notes': column appears twice in the header"):
        load_published(path, bib_keys)


def test_row_with_an_extra_cell_names_its_line(tmp_path, bib_keys):
    text = (paths.PUBLISHED_DIR / "cobbe2021.csv").read_bytes()
    path = tmp_path / "cobbe2021.csv"
    path.write_bytes(text.rstrip(b"\n") + b",extra\n")
    with pytest.raises(EvidenceError, match=r"line \d+: expected 15 cells, found 16"):
        load_published(path, bib_keys)


# --- numbers ---------------------------------------------------------------------------------------

def test_published_value_too_large_to_be_finite_is_refused(tmp_path, bib_keys):
    path = _published(tmp_path, "wei2022cot", _replace(b",solve_rate_pct,4.1,", b",solve_rate_pct,1e400,"))
    with pytest.raises(EvidenceError, match=r"line 2, field 'value': '1e400' is too large to be a finite number"):
        load_published(path, bib_keys)


@pytest.mark.parametrize("size, message", [
    ("1e400", "Input should be a finite number (got inf)"),
    ("-20", "-20.0 is not a positive finite size"),
    ("twenty", "'twenty' is not a number"),
])
def test_published_size_must_be_a_positive_finite_number(tmp_path, bib_keys, size, message):
    path = _published(tmp_path, "wei2022cot", _replace(b",UL2 20B,20,", f",UL2 20B,{size},".encode()))
    with pytest.raises(EvidenceError, match=rf"line 2, field 'params_billion': {re.escape(message)}"):
        load_published(path, bib_keys)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_number_in_text_yaml_is_refused(tmp_path, bib_keys, value):
    path = _text(tmp_path, "gsm8k_example", _replace("\nanswer: 7\n", f"\nanswer: {value}\n"))
    with pytest.raises(EvidenceError, match=r"line 11, field 'answer': Input should be a finite number"):
        load_text(path, bib_keys)


# --- no coercion -----------------------------------------------------------------------------------

@pytest.mark.parametrize("stem, old, new, field, message", [
    ("gsm8k_example", "\nindex: 18\n", '\nindex: "18"\n', "index", "Input should be a valid integer (got '18')"),
    ("gsm8k_example", "\nindex: 18\n", "\nindex: true\n", "index", "Input should be a valid integer (got True)"),
    ("gsm8k_example", "\nanswer: 7\n", '\nanswer: "7"\n', "answer", "Input should be a valid number (got '7')"),
    ("glossary", "    article_table: true", "    article_table: 1", "terms.0.article_table",
     "Input should be a valid boolean (got 1)"),
    ("glossary", "    article_table: true", "    article_table: yes please", "terms.0.article_table",
     "Input should be a valid boolean (got 'yes please')"),
    ("gsm8k_progress", "article_date: ", "article_date: 2022-01-01 #", "milestones.0.article_date",
     "Input should be a valid string"),
])
def test_text_yaml_is_not_coerced(tmp_path, bib_keys, stem, old, new, field, message):
    path = _text(tmp_path, stem, _replace(old, new))
    with pytest.raises(EvidenceError, match=rf"field '{re.escape(field)}': {re.escape(message)}"):
        load_text(path, bib_keys)


def test_worked_example_needs_both_languages_of_its_steps(tmp_path, bib_keys):
    text = (paths.TEXT_DIR / "gsm8k_example.yaml").read_text(encoding="utf-8")
    path = tmp_path / "gsm8k_example.yaml"
    path.write_text(text[:text.index("\n  zh:")] + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"field 'chain_of_thought.zh': Field required"):
        load_text(path, bib_keys)


def test_text_table_row_with_a_missing_cell_is_refused(tmp_path, bib_keys):
    path = _text(tmp_path, "knowledge_table",
                 _replace('      - {en: "Easy: the text is simply stored", zh: "省事：把文本原样存起来就行"}\n', ""))
    with pytest.raises(EvidenceError, match=r"line 15, field 'rows.1.cells': 1 cells for 2 columns"):
        load_text(path, bib_keys)


def test_milestone_row_reference_must_be_file_colon_row(tmp_path, bib_keys):
    path = _text(tmp_path, "gsm8k_progress", _replace('article_row: "fu2022closerlook:', 'article_row: "../x:'))
    with pytest.raises(EvidenceError, match=r"field 'milestones.0.article_row': String should match pattern"):
        load_text(path, bib_keys)


def test_billion_laughs_fails_without_expanding_the_aliases(tmp_path, bib_keys):
    # 9**9 strings if anything expanded the aliases: this test would then run out of memory, not pass
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")]
    path = tmp_path / "gsm8k_example.yaml"
    path.write_text("\n".join(levels) + "\nchain_of_thought: {en: *i, zh: *i}\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="field 'source_key': Field required"):
        load_text(path, bib_keys)


# --- duplicate keys --------------------------------------------------------------------------------

def test_repeated_yaml_key_in_text_evidence_is_refused(tmp_path, bib_keys):
    path = _text(tmp_path, "gsm8k_example", _replace("\nanswer: 7\n", "\nanswer: 7\nanswer: 8\n"))
    with pytest.raises(EvidenceError, match=r"line 12, field 'answer': duplicate key 'answer' \(first on line 11\)"):
        load_text(path, bib_keys)


def test_repeated_yaml_key_in_a_nested_mapping_is_refused(tmp_path, bib_keys):
    path = _text(tmp_path, "glossary", _replace("    zh: 突现能力\n", "    zh: 突现能力\n    zh: 涌现能力\n"))
    with pytest.raises(EvidenceError, match=r"line 9, field 'zh': duplicate key 'zh' \(first on line 8\)"):
        load_text(path, bib_keys)


def _claims_copy(tmp_path: Path, name: str, edit) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    text = (paths.PACKAGE_DIR / "claims" / name).read_text(encoding="utf-8")
    (folder / name).write_text(edit(text), encoding="utf-8")
    return folder


def test_repeated_yaml_key_in_a_claim_is_a_claim_error(tmp_path):
    from artifact.claims.registry import load_claims
    from artifact.evidence.store import Evidence

    folder = _claims_copy(tmp_path, "s5_model_size.yaml",
                          _replace("    expected: supported\n", "    expected: supported\n    expected: differs\n"))
    with pytest.raises(ClaimError, match=r"line 17, field 'expected': duplicate key 'expected' \(first on line 16\)"):
        load_claims(Evidence(), folder)


# --- claims ----------------------------------------------------------------------------------------

def test_unknown_comparison_key_is_refused_when_claims_load(tmp_path):
    from artifact.claims.registry import load_claims
    from artifact.evidence.store import Evidence

    folder = _claims_copy(tmp_path, "s5_model_size.yaml", _replace("[chung/bbh/all]", "[chung/bbh/al]"))
    with pytest.raises(ClaimError, match=r"line 13, field 'test.comparisons.0': unknown comparison 'chung/bbh/al' "
                                         r"\(known: wei/gsm8k/lamda, .*chung/bbh/all"):
        load_claims(Evidence(), folder)


@pytest.mark.parametrize("name, old, field", [
    ("s3_scaling_law.yaml", ", min_r2: 0.95", "min_r2"),
    ("s1_emergence.yaml", " flat_within: 3,", "flat_within"),
    ("s1_emergence.yaml", " jump_at_least: 5", "jump_at_least"),
])
def test_a_scale_test_without_one_of_its_fields_is_refused(tmp_path, name, old, field):
    """Each shape of scale test is a kind of its own whose fields are all required."""
    from artifact.claims.registry import load_claims
    from artifact.evidence.store import Evidence

    folder = _claims_copy(tmp_path, name, _replace(old, "" if old.startswith(",") else old.split(":")[0] and ""))
    with pytest.raises(ClaimError, match=rf"line 11, field 'claims\.0\.test\.([a-z-]+\.)?{field}': Field required"):
        load_claims(Evidence(), folder)


def test_claim_number_given_as_a_string_is_refused(tmp_path):
    from artifact.claims.registry import load_claims
    from artifact.evidence.store import Evidence

    folder = _claims_copy(tmp_path, "s3_scaling_law.yaml", _replace("min_r2: 0.95", 'min_r2: "0.95"'))
    with pytest.raises(ClaimError, match=r"field 'claims\.0\.test\.(log-linear\.)?min_r2': Input should be a valid number"):
        load_claims(Evidence(), folder)


@pytest.mark.parametrize("ref", ["../published/wei2022cot:t1/x", "/etc/passwd:x"])
def test_row_reference_cannot_leave_the_evidence_folders(ref):
    from artifact.errors import RegistryError
    from artifact.evidence.store import Evidence

    with pytest.raises(RegistryError, match=r"is not a file or preset name \(lower-case letters, digits, '_', '-'\)"):
        Evidence().row(ref)


def test_lab_shape_claim_naming_a_path_as_its_sweep_is_a_claim_error(tmp_path):
    from artifact.claims.registry import load_claims
    from artifact.evidence.store import Evidence

    folder = _claims_copy(tmp_path, "lab.yaml", _replace("sweep: default", "sweep: /tmp/x"))
    with pytest.raises(ClaimError, match=r"field 'test.sweep': evidence id 'lab:/tmp/x': '/tmp/x' is not a file"):
        load_claims(Evidence(), folder)


# --- builders that cannot be surprised -------------------------------------------------------------

def test_renamed_model_in_wei_table2_is_caught_when_the_file_loads(tmp_path, bib_keys):
    path = _published(tmp_path, "wei2022cot", _replace(b",LaMDA 420M,0.42,chain_of_thought,",
                                                       b",LaMDA 421M,0.42,chain_of_thought,"))
    with pytest.raises(EvidenceError, match=r"wei2022cot.csv, line 4, field 'model': 'LaMDA 420M \(GSM8K\)' has no "
                                            r"'chain_of_thought' row to pair with"):
        load_published(path, bib_keys)


def test_second_row_for_the_same_model_and_setting_is_caught(tmp_path, bib_keys):
    path = _published(tmp_path, "suzgun2022bbh", _replace(b",code-davinci-002,", b",text-davinci-002,", 2))
    with pytest.raises(EvidenceError, match=r"field 'model': a second '\w+' row for 'text-davinci-002 \(BBH all"):
        load_published(path, bib_keys)


def test_unknown_table5_setting_is_caught(tmp_path, bib_keys):
    path = _published(tmp_path, "chung2022flan", _replace(b",cot,MMLU (57 tasks),", b",cot-sc,MMLU (57 tasks),"))
    with pytest.raises(EvidenceError, match=r"field 'benchmark': 'MMLU / cot-sc' is not one of Norm. avg / all"):
        load_published(path, bib_keys)


def test_row_read_by_id_must_exist(tmp_path, bib_keys):
    path = _published(tmp_path, "kaplan2020scaling", _replace(b"eq1-1/l/webtext2-test-loss/n-c,",
                                                              b"eq1-1/l/webtext2-test-loss/nc,"))
    with pytest.raises(EvidenceError, match=r"kaplan2020scaling.csv, field 'id': no row 'eq1-1/l/webtext2-test-loss/n-c'"):
        load_published(path, bib_keys)


def test_renamed_model_fails_reproduce_in_one_line_and_writes_nothing(tmp_path):
    from tests.conftest import copy_repo, run_cli, snapshot

    repo = copy_repo(tmp_path / "repo")
    wei = repo / "artifact" / "data" / "published" / "wei2022cot.csv"
    wei.write_bytes(_replace(b",LaMDA 420M,0.42,chain_of_thought,", b",LaMDA 421M,0.42,chain_of_thought,")(
        wei.read_bytes()))
    before = snapshot(repo / "figures")
    result = run_cli(repo, "reproduce")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: " + str(wei) + ", line 4, field 'model': 'LaMDA 420M (GSM8K)' has no 'chain_of_thought' row to pair "
        "with (Appendix B Table 2 rows with standard or chain-of-thought prompting come in complete sets of "
        "standard_prompting, chain_of_thought; read by gsm8k-scaling, cot-threshold)"]
    assert snapshot(repo / "figures") == before


CLI_CASES = {
    "non-utf8-csv": ("reproduce", "data/published/wei2022cot.csv", b",LaMDA 420M,", b",LaMDA 420\xb5,",
                     r"wei2022cot.csv, line 4: not UTF-8: byte 0xb5 at byte offset \d+ \(invalid start byte\)"),
    "infinite-value": ("reproduce", "data/published/wei2022cot.csv", b",solve_rate_pct,4.1,", b",solve_rate_pct,1e400,",
                       r"wei2022cot.csv, line 2, field 'value': '1e400' is too large to be a finite number"),
    "duplicate-key": ("reproduce", "data/text/gsm8k_example.yaml", b"\nanswer: 7\n", b"\nanswer: 7\nanswer: 8\n",
                      r"gsm8k_example.yaml, line 12, field 'answer': duplicate key 'answer' \(first on line 11\)"),
    "huge-cell": ("reproduce", "data/published/cobbe2021.csv", b",gsm8k", b"," + b"x" * 140_000 + b",gsm8k",
                  r"cobbe2021.csv, line \d+: a cell is longer than 131,072 characters \(the CSV field-size limit\)"),
    "non-utf8-claims": ("check", "claims/s1_emergence.yaml", b"Emergent", b"Emerg\x80nt",
                        r"s1_emergence.yaml, line \d+: not UTF-8: byte 0x80 at byte offset \d+"),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_bad_evidence_ends_the_cli_in_one_line_and_writes_nothing(tmp_path, case):
    from tests.conftest import copy_repo, run_cli, snapshot

    command, rel, old, new, message = CLI_CASES[case]
    repo = copy_repo(tmp_path / "repo")
    path = repo / "artifact" / rel
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))
    before = snapshot(repo / "figures")
    result = run_cli(repo, command)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(message, lines[0]), result.stderr
    assert snapshot(repo / "figures") == before


# --- manifest, site, CLI ---------------------------------------------------------------------------

@pytest.mark.parametrize("content, message", [
    (b'{"format": 3, "products": {', "line 1: not a valid manifest (not valid JSON (Expecting property name"),
    (b"\xff\xfe", "not a valid manifest (not UTF-8: byte 0xff at byte offset 0"),
    (b"[1, 2]", "not a valid manifest (expected an object with 'products')"),
])
def test_corrupt_manifest_is_an_error_not_an_empty_manifest(tmp_path, content, message):
    from artifact import manifest

    (tmp_path / paths.MANIFEST_NAME).write_bytes(content)
    with pytest.raises(ManifestError, match=re.escape(message) + ".*restore it from git, or delete it"):
        manifest.load(tmp_path)


def test_missing_manifest_is_still_an_empty_one(tmp_path):
    from artifact import manifest

    assert manifest.load(tmp_path)["products"] == {}


def test_site_lookups_raise_site_errors():
    from artifact.site import claims_html, embed, references

    with pytest.raises(SiteError, match="unknown exhibit 'no-such-exhibit'"):
        embed.exhibit("no-such-exhibit", "en", "index.md")
    with pytest.raises(SiteError, match="no claims for section 's99'"):
        claims_html.section_table("en", "index.md", section="s99")
    with pytest.raises(SiteError, match=r"unknown citation key 'nobody2099' \(not in docs/references.bib\)"):
        references.link_citations("As shown [@nobody2099].", "references.md")


def test_site_reading_a_missing_or_corrupt_figures_file_is_a_site_error(tmp_path):
    from artifact.site import figures

    with pytest.raises(SiteError, match=r"claims.json is missing \(run `python -m artifact reproduce`\)"):
        figures.claims(tmp_path)
    (tmp_path / "claims.json").write_bytes(b'{"claims": [')
    with pytest.raises(SiteError, match=r"claims.json is not valid JSON \(Expecting value: line 1 column 13"):
        figures.claims.__wrapped__(tmp_path)


def test_hooks_turn_site_errors_into_plugin_errors_and_keep_real_bugs(monkeypatch):
    from mkdocs.exceptions import PluginError

    from artifact.site import hooks

    page = type("Page", (), {"file": type("F", (), {"src_uri": "index.md"})()})()
    config = {"theme": {"language": "en"}}
    with pytest.raises(PluginError, match=r"^index.md: unknown exhibit 'nope'$"):
        hooks.on_page_markdown("{{ exhibit: nope }}", page, config, None)

    def bug(*args):
        raise KeyError("a real bug")
    monkeypatch.setattr(hooks.embed, "gallery", bug)
    with pytest.raises(KeyError, match="a real bug"):
        hooks.on_page_markdown("{{ gallery }}", page, config, None)


def test_ctrl_c_ends_with_one_line_and_exit_130(monkeypatch, capsys):
    from artifact.cli import list as list_cmd
    from artifact.cli import main

    def interrupted(args):
        raise KeyboardInterrupt
    monkeypatch.setattr(list_cmd, "run", interrupted)
    assert main(["list"]) == 130
    assert capsys.readouterr().err.strip() == "interrupted; the same command resumes"


def test_ctrl_c_during_reproduce_exits_130_and_leaves_no_output(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "figures"
    # a new session: the signal goes to the whole process group, as Ctrl-C in a terminal does
    proc = subprocess.Popen([sys.executable, "-m", "artifact", "reproduce", "--force", "--out", str(out)],
                            cwd=paths.REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    # Wait until the build workers are running (the case that once printed their tracebacks too),
    # then interrupt the whole group, as Ctrl-C in a terminal does.
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline and not children.read_text().split():
        time.sleep(0.05)
    assert proc.poll() is None, "reproduce finished before its workers could be interrupted"
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert err.strip() == "interrupted; the same command resumes"
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("run_id", ["../../x", "/tmp/x", "a/b", "..", ".hidden", "x/../../y"])
def test_run_id_is_confined_to_the_runs_folder(tmp_path, capsys, run_id):
    from artifact.cli import main

    runs = tmp_path / "runs"
    assert main(["evaluate", "--model", "smollm2-135m", "--runs-dir", str(runs), "--run-id", run_id]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"error: --run-id {run_id!r}: a run id is one folder name (letters, digits, '.', '_', '-'; "
                   "no '/', no '..'), created inside the runs folder")
    assert not runs.exists() and not (tmp_path / "x").exists()


def test_shipped_claims_and_evidence_still_load():
    from artifact.claims.registry import load_claims
    from artifact.evidence.store import Evidence

    ev = Evidence()
    ev.load_all()
    assert len(load_claims(ev)) == sum(1 for p in (paths.PACKAGE_DIR / "claims").glob("*.yaml")
                                       for line in p.read_text(encoding="utf-8").splitlines()
                                       if line.startswith("  - id: "))
