"""The fault cases of issue 22: each one a clear one-line error (file, line, field) or the documented
behaviour, never a traceback, with figures/, run folders and the user's files intact."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from artifact import fsio, paths
from artifact.errors import printable
from tests.conftest import run_cli
from tests.test_evaluate import data_file, tiny_model  # noqa: F401 - the session's tiny random Llama and data


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The single line a failed command printed; fails on a traceback or more lines."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


# ----- one writer, one lock (artifact/fsio.py) -----

def test_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a.json"
    target.write_text("old", encoding="utf-8")
    fsio.write_atomic(target, "new", durable=True)
    assert target.read_text(encoding="utf-8") == "new" and [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_atomic_write_refuses_a_symlinked_destination(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(outside)
    with pytest.raises(fsio.UnsafePathError, match="link.txt is a symbolic link"):
        fsio.write_atomic(link, "new")
    assert outside.read_text(encoding="utf-8") == "keep"


def test_only_our_own_temporaries_are_removed(tmp_path):
    ours = tmp_path / f".x.json.k3j_9a{fsio.TMP_SUFFIX}"
    ours.write_text("half", encoding="utf-8")
    users = [tmp_path / ".draft.tmp", tmp_path / "notes.tmp", tmp_path / fsio.TMP_SUFFIX]
    for p in users:
        p.write_text("mine", encoding="utf-8")
    assert fsio.remove_temporaries(tmp_path) == [ours]
    assert all(p.read_text(encoding="utf-8") == "mine" for p in users)


def test_the_lock_names_its_holder_and_refuses_a_second(tmp_path):
    with fsio.Lock(tmp_path / ".lock", tmp_path / "out", "test"):
        with pytest.raises(fsio.LockedError, match=rf"out is in use by test pid {os.getpid()} on .* since "):
            with fsio.Lock(tmp_path / ".lock", tmp_path / "out", "test"):
                pass
    with fsio.Lock(tmp_path / ".lock", tmp_path / "out", "test"):  # released at the end of the block
        pass


def test_a_symlinked_lock_is_refused(tmp_path):
    (tmp_path / ".lock").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(fsio.UnsafePathError, match=r"\.lock is a symbolic link"):
        with fsio.Lock(tmp_path / ".lock", tmp_path, "test"):
            pass
    assert not (tmp_path / "elsewhere").exists()


def test_a_full_disk_while_writing_the_lock_is_one_line(tmp_path, monkeypatch):
    import errno

    def full(*_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "pwrite", full)
    with pytest.raises(fsio.WriteError, match=r"cannot lock .*out: no space left on the device"):
        with fsio.Lock(tmp_path / ".lock", tmp_path / "out", "test"):
            pass


def test_printable_strips_terminal_controls():
    assert printable("ok\x1b[31mred\x1b]0;title\x07 \u202eevil\u0000") == "ok[31mred]0;title evil"
    assert printable("tab\tand\nnewline") == "tab\tand\nnewline"


# ----- reproduce's output folder -----

def _quick_reproduce(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli(paths.REPO_ROOT, "reproduce", "--only", "glossary", "--out", str(out), *extra)


def test_figures_replaced_by_a_symlink_is_one_line_and_nothing_written_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mine.txt").write_text("keep", encoding="utf-8")
    out = tmp_path / "figs"
    out.symlink_to(outside)
    line = one_error_line(_quick_reproduce(out))
    assert "figs is a symbolic link" in line
    assert sorted(p.name for p in outside.iterdir()) == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figs", "outside"]  # no staging folder left


@pytest.mark.parametrize("name, kind", [(".figs.staging", "file"), (".figs.old", "file"),
                                        (".figs.staging", "link")])
def test_stray_staging_names_made_by_hand_are_one_line(tmp_path, name, kind):
    stray = tmp_path / name
    if kind == "file":
        stray.write_text("by hand", encoding="utf-8")
    else:
        stray.symlink_to(tmp_path)
    line = one_error_line(_quick_reproduce(tmp_path / "figs"))
    assert f"{name} is a" in line and "remove it" in line
    assert stray.is_symlink() or stray.read_text(encoding="utf-8") == "by hand"


@pytest.mark.parametrize("inside", ["published", ".", "lab/new"])
def test_out_inside_the_evidence_folder_is_refused(inside):
    target = paths.DATA_DIR / inside
    before = sorted(p.name for p in paths.DATA_DIR.rglob("*"))
    line = one_error_line(_quick_reproduce(target))
    assert "cannot go inside or above the evidence folder" in line
    assert sorted(p.name for p in paths.DATA_DIR.rglob("*")) == before


def test_check_on_a_read_only_checkout_does_not_need_the_lock_file(tmp_path, monkeypatch):
    from artifact import reproduce as rp

    out = tmp_path / "figs"
    rp.reproduce(["glossary"], out, echo=lambda _: None)
    lock = tmp_path / ".figs.lock"
    lock.unlink()
    monkeypatch.setattr(rp, "_writable", lambda _: False)  # what os.access says on a read-only checkout
    outcomes = rp.reproduce(["glossary"], out, check=True, echo=lambda _: None)
    assert [o.status for o in outcomes] == ["checked"] and not lock.exists()


# ----- the converted-model cache -----

@pytest.fixture
def cache_of_tiny(tmp_path, monkeypatch):
    """converted.load on the tiny test model, with its cache folder in tmp_path (as for a GGUF file)."""
    pytest.importorskip("torch")
    from artifact.evaluate import converted, models

    return converted, models, tmp_path / "cache" / "tiny-0123-transformers-x"


def _our_lines(err: str) -> list[str]:
    """Our messages on stderr (transformers draws its own progress bars there)."""
    return [line for line in err.splitlines() if line.startswith(("warning:", "note:", "error:"))]


def _tiny_spec(models, tiny_model):
    return models.resolve(str(tiny_model))


def test_a_damaged_cached_tensor_file_is_noticed_and_reconverted(cache_of_tiny, tiny_model, monkeypatch, capsys):
    import torch

    converted, models, folder = cache_of_tiny
    monkeypatch.setattr(converted, "folder_for", lambda spec: folder)
    spec = _tiny_spec(models, tiny_model)
    first = converted.load(spec, torch.float32)[1].state_dict()
    marker = (folder / converted.MARKER).read_text(encoding="utf-8")
    assert "file-sha256 " in marker and converted._verify(folder) is None
    tensors = folder / "model.safetensors"
    data = bytearray(tensors.read_bytes())
    data[-4096:] = bytes(4096)  # zeroed bytes: the file still parses, the weights are wrong
    tensors.write_bytes(bytes(data))
    assert "does not match the SHA-256" in converted._verify(folder)
    capsys.readouterr()
    again = converted.load(spec, torch.float32)[1].state_dict()
    err = _our_lines(capsys.readouterr().err)
    assert len(err) == 1 and err[0].startswith("warning: ignoring the converted model") and "converting again" in err[0]
    assert all(torch.equal(v, first[k]) for k, v in again.items()) and converted._verify(folder) is None


def test_an_orphan_temporary_of_a_killed_conversion_is_removed_by_the_next(cache_of_tiny, tiny_model, monkeypatch):
    import torch

    converted, models, folder = cache_of_tiny
    monkeypatch.setattr(converted, "folder_for", lambda spec: folder)
    folder.parent.mkdir(parents=True)
    orphan = folder.parent / f".{folder.name}.a1b2c3d4{fsio.TMP_SUFFIX}"
    orphan.mkdir()
    (orphan / "model.safetensors").write_bytes(b"half of a file")
    converted.load(_tiny_spec(models, tiny_model), torch.float32)
    assert sorted(p.name for p in folder.parent.iterdir() if not p.name.endswith(".lock")) == [folder.name]


def test_a_full_model_cache_is_one_note_and_the_model_still_loads(cache_of_tiny, tiny_model, monkeypatch, capsys):
    import safetensors.torch
    import torch

    converted, models, folder = cache_of_tiny
    monkeypatch.setattr(converted, "folder_for", lambda spec: folder)

    def full(*_, **__):
        raise safetensors.SafetensorError("Error while serializing: No space left on device (os error 28)")

    monkeypatch.setattr(safetensors.torch, "save_model", full)
    model = converted.load(_tiny_spec(models, tiny_model), torch.float32)[1]
    assert model.num_parameters() > 0
    err = _our_lines(capsys.readouterr().err)
    assert len(err) == 1 and "cannot cache the converted model" in err[0] and "No space left" in err[0]
    assert not folder.exists() and [p.name for p in folder.parent.iterdir() if not p.name.endswith(".lock")] == []


# ----- the lab's output -----

def _lab(out: Path) -> subprocess.CompletedProcess:
    return run_cli(paths.REPO_ROOT, "lab", "--preset", "smoke", "--jobs", "1", "--out", str(out))


def test_two_labs_at_once_are_refused_naming_the_first(tmp_path):
    from artifact.lab.sweep import lock

    with lock(tmp_path):
        line = one_error_line(_lab(tmp_path))
    assert line.startswith(f"error: {tmp_path} is in use by lab pid {os.getpid()} on ")
    assert [p.name for p in tmp_path.iterdir()] == [".lab.lock"]


def test_a_lab_output_that_cannot_be_written_is_one_line(tmp_path):
    line = one_error_line(_lab(Path("/sys/artifact-lab-out")))  # not writable, even by root
    assert line.startswith("error: cannot lock /sys/artifact-lab-out: ")


def test_a_full_lab_output_is_one_line_and_keeps_what_was_done(tmp_path, monkeypatch, capsys):
    import errno

    from artifact.cli import main
    from artifact.lab import sweep

    def full(*_, **__):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(sweep, "write", full)
    assert main(["lab", "--preset", "smoke", "--jobs", "1", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: no space left on the device while writing {tmp_path}; the models finished so far are "
                   "kept and the same command resumes"]
    [partial] = [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert len(list(partial.glob("*.json"))) > 0


def test_a_killed_lab_worker_is_one_line(tmp_path, monkeypatch, capsys):
    from concurrent.futures.process import BrokenProcessPool

    from artifact.cli import main
    from artifact.lab import sweep

    def broken(*_, **__):
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(sweep, "run_sweep", broken)
    assert main(["lab", "--preset", "smoke", "--out", str(tmp_path)]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: a lab worker process died") and "the same command resumes" in line


def test_a_partial_sweep_is_never_evidence(tmp_path, monkeypatch):
    import shutil

    from artifact import manifest
    from artifact.products import products

    lab = tmp_path / "lab"
    shutil.copytree(paths.LAB_DIR, lab)
    partial = lab / ".default-4a4b31ad.partial"  # what a Ctrl-C in the lab leaves
    partial.mkdir()
    (partial / "w4-s0.json").write_text("{}", encoding="utf-8")
    (lab / ".lab.lock").write_text("", encoding="utf-8")
    monkeypatch.setattr(paths, "LAB_DIR", lab)
    [claims] = [p for p in products(None) if p.id == "claims"]
    assert lab / "default-4a4b31ad" / "config.json" in claims.evidence_files
    assert not [p for p in claims.evidence_files if p.name in ("w4-s0.json", ".lab.lock")]
    assert not [p for p in manifest.evidence_on_disk() if ".partial/" in p]


# ----- one strict reader per format (artifact/strict.py) -----

from artifact.errors import DataError, EvidenceError, ManifestError  # noqa: E402
from artifact import strict  # noqa: E402


def test_json_lines_split_on_newline_only_and_accept_bom_and_crlf(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes("\ufeff{\"a\": \"one\u2028two\u2029three\"}\r\n\r\n{\"a\": \"\x85\"}\r\n".encode())
    assert list(strict.jsonl_records(path)) == [(1, {"a": "one\u2028two\u2029three"}), (3, {"a": "\x85"})]


@pytest.mark.parametrize("text, line, field, problem", [
    ('{"a": 1}\n{"a": 1, "a": 2}\n', 2, "a", "key 'a' appears twice"),
    ('{"a": 1}\n{"a": NaN}\n', 2, "a", "nan is not a finite number"),
    ('{"a": [1, Infinity]}\n', 1, "a.1", "inf is not a finite number"),
    ('{"a": 1e999}\n', 1, "a", "inf is not a finite number"),
    ('{"a": 1}\n{"a": \n', 2, None, "not valid JSON"),
])
def test_json_lines_refusals_name_line_and_field(tmp_path, text, line, field, problem):
    path = tmp_path / "x.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError, match=problem) as info:
        list(strict.jsonl_records(path))
    assert (info.value.line, info.value.field) == (line, field)


def test_json_documents_name_the_line_of_a_repeated_key(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{\n "a": 1,\n "b": {"c": 1},\n "a": 2\n}\n', encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"line 4, field 'a': key 'a' appears twice"):
        strict.load_json(path)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"{}\n" * 100)
    with pytest.raises(EvidenceError, match="300 bytes, more than the 100 this reader accepts"):
        strict.read_utf8(path, max_bytes=100)


class _Scripted:
    """A backend whose completions are given: the third contains U+2028 and U+2029."""

    name, revision, parameters = "scripted", None, None

    def __init__(self):
        self.calls = 0

    def generate(self, style, questions, max_new_tokens, batch_size):
        from artifact.evaluate.backends.base import Generation

        for n, _ in enumerate(questions):
            self.calls += 1
            yield n, Generation(f"Step\u2028by\u2029step {n}. The answer is {n}.", 10, 5)


def test_a_completion_with_u2028_resumes_and_reproduces(tiny_model, data_file, tmp_path):
    from artifact.evaluate import dataset
    from artifact.evaluate.prompting import standard
    from artifact.evaluate.run import evaluate, locate, lock_run, read_samples
    from artifact.evidence.runs import load_run
    from tests.test_evaluate import config_for

    data = dataset.load(data_file)
    config = config_for(tiny_model, data)
    folder = locate(config, tmp_path, None)
    with lock_run(folder, config):
        evaluate(_Scripted(), folder, data, [standard()], None, 2)
    first = (folder / "samples.jsonl").read_bytes()
    assert "\u2028".encode() not in first and b"\\u2028" in first  # escaped on disk
    again = _Scripted()
    with lock_run(folder, config):
        evaluate(again, folder, data, [standard()], None, 2)  # resume: everything is done already
    assert again.calls == 0 and (folder / "samples.jsonl").read_bytes() == first
    samples = read_samples(folder / "samples.jsonl")
    assert len(samples) == len(data.items) and "\u2028" in samples[0]["completion"]
    # a file an older writer made, with the characters raw, reads the same
    (folder / "samples.jsonl").write_bytes(first.replace(b"\\u2028", "\u2028".encode()))
    assert [s.completion for s in load_run(folder)[1]] == [s["completion"] for s in samples]


def test_gsm8k_questions_with_u2028_load_and_latin1_nan_are_refused(tmp_path):
    from artifact.evaluate import dataset

    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"question": "a\u2028b", "answer": "x\n#### 3"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert dataset.load(good).items[0].question == "a\u2028b"
    nan = tmp_path / "nan.jsonl"
    nan.write_text(json.dumps({"question": "q", "answer": "x\n#### 3"}) + "\n"
                   + json.dumps({"question": "q", "answer": "x\n#### nan"}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"nan.jsonl, line 2, field 'answer': final answer 'nan' is not a number"):
        dataset.load(nan)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"question": "q", "answer": "#### 3"}\n{"question": "caf\xe9", "answer": "#### 3"}\n')
    with pytest.raises(DataError, match=r"latin.jsonl, line 2: not UTF-8: byte 0xe9 at byte offset 55"):
        dataset.load(latin)


@pytest.mark.parametrize("entries, problem", [
    ({"glossary": "oops"}, "entry 'glossary': expected an object, found str"),
    ({"glossary": {"outputs": ["a"]}}, "entry 'glossary': 'outputs' must map file names to hashes"),
    ({"glossary": {"outputs": {"../../etc/passwd": "x"}}}, "'outputs' names a file outside its folder"),
    ({"glossary": {"order": "1"}}, "'order' must be a whole number"),
])
def test_malformed_manifest_entries_are_one_line(tmp_path, entries, problem):
    from artifact import manifest

    out = tmp_path / "figs"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"format": manifest.FORMAT, "products": entries}), encoding="utf-8")
    with pytest.raises(ManifestError, match=re.escape(problem)):
        manifest.load(out)
    line = one_error_line(_quick_reproduce(out))
    assert problem in line and "restore it from git" in line


# ----- the bibliography: parsed once, strictly, and never markup on a page -----

HOSTILE = """@article{evil2022,
  author = {{[x](javascript:alert(1)) {{ claim: s1-emergence }}} and Other, B.},
  title = {Title <script>alert(2)</script> [link](javascript:alert(3)) {{ claim: s1-emergence }}},
  journal = {J & K},
  year = {2022},
  url = {https://x.org/"><script>alert(4)</script>},
}
@misc{js2020,
  author = {Y, Z},
  title = {T},
  year = {2020},
  url = {javascript:alert(5)},
}
@misc{arx2021,
  author = {A, B},
  title = {U},
  year = {2021},
  eprint = {2110.14168},
  url = {javascript:alert(6)},
}
"""


@pytest.fixture
def hostile_bib(tmp_path, monkeypatch):
    from artifact import bib

    path = tmp_path / "references.bib"
    path.write_text(HOSTILE, encoding="utf-8")
    monkeypatch.setattr(paths, "REFERENCES_BIB", path)
    yield path
    bib.parsed.cache_clear()


def test_bibtex_fields_reach_the_references_page_as_text(hostile_bib):
    from artifact.site.references import link_citations, references_list

    import markdown

    page = markdown.markdown(references_list("en") + "\n\n" + link_citations("[@evil2022] [@js2020]", "refs.md"))
    assert "<script" not in page and "{{" not in page and "](" not in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    # the arXiv link built from the id alone, and the two citation links; no URL from a field is safe
    assert hrefs == ["https://arxiv.org/abs/2110.14168", "refs.md#evil2022", "refs.md#js2020"]


@pytest.mark.parametrize("entry, line, field, problem", [
    ('@misc{x"><b>,\n  title = {T},\n}\n', 1, "key", "is not a citation key"),
    ("@misc{ok,\n  title = {T},\n}\n@misc{y,\n  year = {2021](javascript:alert(1)},\n}\n", 4, "year",
     "is not a four-digit year"),
    ("@misc{z,\n  eprint = {2201.11903/../../x},\n}\n", 1, "eprint", "is not an arXiv id"),
])
def test_a_bibliography_field_that_could_be_markup_is_refused(tmp_path, entry, line, field, problem):
    from artifact import bib

    path = tmp_path / "references.bib"
    path.write_text(entry, encoding="utf-8")
    with pytest.raises(EvidenceError, match=problem) as info:
        bib.parsed(path)
    assert (info.value.line, info.value.field) == (line, field)


def test_the_bibliography_is_parsed_once_per_process(monkeypatch):
    import pybtex.database

    from artifact import bib
    from artifact.site import references

    bib.parsed(paths.REFERENCES_BIB)
    calls = []
    monkeypatch.setattr(pybtex.database, "parse_string", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(pybtex.database, "parse_file", lambda *a, **k: calls.append(a))
    references.references_list("en")
    bib.reference_keys(paths.REFERENCES_BIB)
    from artifact.site.cite import article_entry

    article_entry()
    assert calls == []


# ----- derived facts are recomputed, not trusted -----

SHIPPED_RUN = paths.RUNS_DIR / "smollm2-135m-f5b7ed301b"


def _copy_run(tmp_path: Path, name: str = SHIPPED_RUN.name) -> Path:
    import shutil

    folder = tmp_path / name
    shutil.copytree(SHIPPED_RUN, folder, ignore=shutil.ignore_patterns(".lock"))
    return folder


def test_a_stored_correct_that_disagrees_with_the_completion_is_refused(tmp_path):
    from artifact.evidence.runs import load_run

    folder = _copy_run(tmp_path)
    lines = (folder / "samples.jsonl").read_text(encoding="utf-8").split("\n")
    record = json.loads(lines[6])
    record["correct"] = not record["correct"]
    lines[6] = json.dumps(record, ensure_ascii=False)
    (folder / "samples.jsonl").write_text("\n".join(lines), encoding="utf-8")
    from artifact.rescore import task_scoring

    load_run(folder)  # without the evaluator's scoring the records are only read
    with pytest.raises(EvidenceError, match=rf"line 7, field 'correct': run {folder.name}, item {record['index']} "
                                            rf"\({record['prompting']}\): stored correct {record['correct']}"):
        load_run(folder, task_scoring)


def test_a_run_whose_key_or_folder_name_does_not_match_its_configuration_is_refused(tmp_path):
    from artifact.evidence.runs import load_run

    renamed = _copy_run(tmp_path / "a", "smollm2-135m-0123456789")
    with pytest.raises(EvidenceError, match="is named for configuration 0123456789, but holds f5b7ed301b"):
        load_run(renamed)
    edited = _copy_run(tmp_path / "b")
    meta = json.loads((edited / "run.json").read_text(encoding="utf-8"))
    meta["config"]["decoding"]["max_new_tokens"]["cot"] += 1  # the configuration changed by hand
    (edited / "run.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"field 'key': run .*: the key f5b7ed301b\.\.\. is not the hash"):
        load_run(edited)


def test_a_percentage_over_100_is_refused_naming_line_and_field(tmp_path):
    from artifact.evidence.published import load_published

    source = paths.PUBLISHED_DIR / "wei2022cot.csv"
    lines = source.read_text(encoding="utf-8").split("\n")
    cells = lines[3].split(",")
    value_at = lines[0].split(",").index("value")
    assert "pct" in cells[value_at - 1]
    cells[value_at] = "150"
    lines[3] = ",".join(cells)
    bad = tmp_path / "wei2022cot.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"line 4, field 'value': 150 is not a percentage \(0 to 100\)"):
        load_published(bad, frozenset({"wei2022cot"}))


# ----- limits before allocation -----

def test_a_prompt_longer_than_the_context_is_refused_before_any_allocation(tiny_model, tmp_path, monkeypatch):
    from artifact.errors import PromptTooLong
    from artifact.evaluate import models
    from artifact.evaluate.backends import get_backend
    from artifact.evaluate.prompting import standard

    backend = get_backend("hf")(models.resolve(str(tiny_model)))
    never = "the engine must not be reached"
    monkeypatch.setattr("artifact.evaluate.backends.hf.generate", lambda *a, **k: pytest.fail(never))
    with pytest.raises(PromptTooLong, match=r"prompt 1 is .* tokens \(\+12 to generate\); the model's context is 2,048"):
        list(backend.generate(standard(), ["short", "seven " * 3000], 12, 2))


def test_evaluate_names_the_file_and_item_of_a_too_long_question(tiny_model, tmp_path):
    data = tmp_path / "long.jsonl"
    data.write_text(json.dumps({"question": "How many?", "answer": "#### 1"}) + "\n"
                    + json.dumps({"question": "x " * 100_000, "answer": "#### 2"}) + "\n", encoding="utf-8")
    result = run_cli(paths.REPO_ROOT, "evaluate", "--model", str(tiny_model), "--data", str(data), "--runs-dir",
                     str(tmp_path / "runs"), "--prompting", "standard")
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 1 and "Traceback" not in result.stderr and len(lines) == 1
    assert lines[0].startswith(f"error: {data}, field 'question': item 1 (standard): the prompt is ")
    assert "the model's context is 2,048 tokens" in lines[0]


# ----- one line instead of a traceback -----

def test_a_runs_dir_that_is_a_file_is_one_line_before_the_model_loads(tmp_path, data_file, tiny_model):
    target = tmp_path / "runs"
    target.write_text("keep", encoding="utf-8")
    line = one_error_line(run_cli(paths.REPO_ROOT, "evaluate", "--model", str(tiny_model), "--data",
                                  str(data_file), "--runs-dir", str(target)))
    assert line == f"error: --runs-dir {target} is a file, not a folder"
    assert target.read_text(encoding="utf-8") == "keep"


def test_a_full_runs_folder_is_one_line_and_the_run_resumes(tiny_model, data_file, tmp_path, monkeypatch, capsys):
    import errno

    from artifact.cli import main
    from artifact.evaluate import run

    real = run._sample
    calls = []

    def full_after_one(*a):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "r" / "x" / "samples.jsonl"))
        return real(*a)

    monkeypatch.setattr(run, "_sample", full_after_one)
    args = ["evaluate", "--model", str(tiny_model), "--data", str(data_file), "--runs-dir", str(tmp_path / "r"),
            "--run-id", "x", "--prompting", "standard", "--limit", "3"]
    assert main(args) == 1
    err = _our_lines(capsys.readouterr().err)
    assert err == [f"error: no space left on the device while writing {tmp_path / 'r' / 'x' / 'samples.jsonl'}; "
                   "finished items are kept and the same command resumes"]
    monkeypatch.setattr(run, "_sample", real)
    assert main(args) == 0
    assert len((tmp_path / "r" / "x" / "samples.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_a_symlink_loop_among_the_evidence_is_one_line(tmp_path):
    from tests.conftest import copy_repo

    repo = copy_repo(tmp_path)
    (repo / "artifact" / "data" / "published" / "loop.csv").symlink_to("loop.csv")
    (repo / "artifact" / "data" / "runs" / "self").symlink_to(".")
    result = run_cli(repo, "reproduce", "--only", "glossary", "--out", str(tmp_path / "figs"))
    line = one_error_line(result)
    assert "artifact/data/published/loop.csv" in line


def test_an_excel_csv_is_read_like_the_plain_one_by_the_published_loader(tmp_path):
    from artifact.evidence.published import load_published

    plain = paths.PUBLISHED_DIR / "cobbe2021.csv"
    excel = tmp_path / "cobbe2021.csv"
    excel.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes().replace(b"\n", b"\r\n"))
    assert load_published(excel, frozenset({"cobbe2021"})) == load_published(plain, frozenset({"cobbe2021"}))


def test_check_prints_no_terminal_control_sequences(monkeypatch, capsys):
    from types import SimpleNamespace

    from artifact.claims import report
    from artifact.cli import main
    from artifact.errors import ArtifactError

    hostile = "GPT-3\x1b]0;owned\x07 \x1b[2J\u202eevil"
    result = SimpleNamespace(section="1", id="c1", status="supported", as_expected=True, expected="supported",
                             reason_en=f"model {hostile} passes", reason_zh=hostile, file="x.yaml", line=1)
    monkeypatch.setattr(report, "run_claims", lambda ev, **kw: [result])
    monkeypatch.setattr(report, "summary_line", lambda results: "1 claim")
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "model GPT-3]0;owned [2Jevil passes" in out and not any(c in out for c in "\x1b\x07\u202e")

    def hostile_error(args):
        raise ArtifactError(f"bad row {hostile}")

    monkeypatch.setattr("artifact.cli.list.run", hostile_error)
    assert main(["list"]) == 1
    err = capsys.readouterr().err
    assert err == "error: bad row GPT-3]0;owned [2Jevil\n"


def test_check_errors_lead_with_the_evidence_row_at_fault(tmp_path):
    from tests.conftest import copy_repo

    repo = copy_repo(tmp_path)
    metrics = next((repo / "artifact" / "data" / "lab").glob("default-*/metrics.csv"))
    lines = metrics.read_text(encoding="utf-8").split("\n")
    cells = lines[2].split(",")
    cells[2] = "x" + cells[2]  # parameters
    lines[2] = ",".join(cells)
    metrics.write_text("\n".join(lines), encoding="utf-8")
    line = one_error_line(run_cli(repo, "check"))
    assert line.startswith(f"error: {metrics}, line 3, field 'parameters': ")
    assert re.search(r"\(read for claim '[a-z0-9-]+', lab[a-z_]*\.yaml line [0-9]+\)$", line)
