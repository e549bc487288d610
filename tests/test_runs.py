"""Run records (run.json, samples.jsonl): strict on load, one line per bad file; the GSM8K download."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest

from artifact import paths
from artifact.errors import DataError, EvidenceError
from artifact.evidence.runs import SampleRecord, load_run
from tests.conftest import run_cli

SHIPPED = paths.RUNS_DIR / "smollm2-135m-f5b7ed301b"
GOOD = {"version": 1, "index": 0, "prompting": "cot", "completion": "The answer is 3.", "extracted": "3",
        "rule": "answer-is", "gold": "3", "correct": True, "prompt_tokens": 5, "completion_tokens": 4}


@pytest.fixture
def run(tmp_path) -> Path:
    folder = tmp_path / "r"
    folder.mkdir()
    shutil.copy(SHIPPED / "run.json", folder / "run.json")
    (folder / "samples.jsonl").write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    return folder


def meta(folder: Path) -> dict:
    return json.loads((folder / "run.json").read_text(encoding="utf-8"))


def test_the_shipped_run_loads_and_its_key_is_its_configuration_hash():
    m, samples = load_run(SHIPPED)
    assert m.key == m.config.key() and SHIPPED.name.endswith(m.key[:10])
    assert len(samples) == 2 * m.config.dataset.items and m.task == "gsm8k"


@pytest.mark.parametrize("field, value, message", [
    ("index", True, "valid integer"),  # a boolean would move the answer to item 1
    ("correct", "true", "valid boolean"),  # a string would count a wrong answer as right
    ("correct", 1, "valid boolean"),
    ("prompting", "fewshot", "'fewshot' is not a prompting style of this run"),  # it would leave the run incomplete
    ("prompting", "Few shot", "should match pattern"),
    ("prompt_tokens", "5", "valid integer"),
    ("completion_tokens", -1, "greater than or equal to 0"),
    ("completion_tokens", 4.0, "valid integer"),
    ("rule", "a guess", "should match pattern"),  # any task's rule name, but a name
    ("version", 2, "Input should be 1"),
])
def test_sample_fields_are_not_coerced(run, field, value, message):
    bad = {**GOOD, "index": 1, field: value}
    (run / "samples.jsonl").write_text(json.dumps(GOOD) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match=f"line 2, field '{field}': .*{message}") as info:
        load_run(run)
    assert info.value.path == run / "samples.jsonl"


def test_unknown_sample_field_is_refused(run):
    (run / "samples.jsonl").write_text(json.dumps({**GOOD, "score": 1}) + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="line 1, field 'score': Extra inputs are not permitted"):
        load_run(run)


@pytest.mark.parametrize("change, field, message", [
    (lambda m: m["config"]["dataset"].__setitem__("items", "1319"), "config.dataset.items", "valid integer"),
    (lambda m: m["config"]["model"].pop("name"), "config.model.name", "Field required"),
    (lambda m: m.__setitem__("parameters", -5), "parameters", "greater than or equal to 1"),
    (lambda m: m["summary"]["cot"].__setitem__("accuracy", float("inf")), "summary.cot.accuracy", "finite"),
    (lambda m: m["config"]["decoding"].__setitem__("greedy", "yes"), "config.decoding.greedy", "valid boolean"),
    (lambda m: m["config"]["prompts"].__setitem__("Few shot", m["config"]["prompts"]["cot"]), "config.prompts.Few shot",
     "should match pattern"),
])
def test_run_json_is_strict(run, change, field, message):
    doc = meta(run)
    change(doc)
    (run / "run.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(EvidenceError, match=f"field '{field.replace('.', '[.]')}': .*{message}") as info:
        load_run(run)
    assert info.value.path == run / "run.json"


def test_missing_model_name_is_one_line_from_the_cli(tmp_path):
    """`reproduce` on a copy whose run lacks config.model.name ends with one line naming file and field."""
    from tests.conftest import copy_repo

    repo = copy_repo(tmp_path / "repo")
    path = repo / "artifact" / "data" / "runs" / SHIPPED.name / "run.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    del doc["config"]["model"]["name"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli(repo, "reproduce", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: {path}, field 'config.model.name': Field required")


def test_non_utf8_bytes_name_the_byte_offset(run):
    raw = (json.dumps(GOOD) + "\n").encode()
    (run / "samples.jsonl").write_bytes(raw + b'{"completion": "caf\xe9"}\n')
    with pytest.raises(EvidenceError, match=rf"line 2: not UTF-8: byte 0x[0-9a-f]{{2}} at byte offset {len(raw) + 19} "):
        load_run(run)
    (run / "run.json").write_bytes(b'{"key": "\xff"}')
    with pytest.raises(EvidenceError, match=r"run.json, line 1: not UTF-8: byte 0x[0-9a-f]{2} at byte offset 9 "):
        load_run(run)


def test_index_beyond_the_data_set_is_refused(run):
    (run / "samples.jsonl").write_text(json.dumps({**GOOD, "index": 5000}) + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="item 5000 is beyond the data set's 1319 items"):
        load_run(run)


def test_writer_and_loader_share_one_record():
    from artifact.evaluate import run as writer

    assert writer.SampleRecord is SampleRecord
    line = SampleRecord(**{k: v for k, v in GOOD.items() if k != "version"}).line()
    assert json.loads(line) == GOOD and SampleRecord.model_validate_json(line).correct is True


# -- the GSM8K download (pooch, hash-checked) ----------------------------------------------------

@pytest.fixture
def server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_download_is_hash_checked_and_cached(server, tmp_path):
    from artifact.evaluate import dataset

    root, url = server
    body = b'{"question": "q", "answer": "#### 1"}\n'
    (root / "test.jsonl").write_bytes(body)
    cache = tmp_path / "cache" / "gsm8k-test.jsonl"
    with pytest.raises(DataError, match="does not match the known SHA-256; not used"):
        dataset._download(f"{url}/test.jsonl", "0" * 64, cache)
    assert not cache.exists()  # a file with the wrong hash is not kept
    got = dataset._download(f"{url}/test.jsonl", hashlib.sha256(body).hexdigest(), cache)
    assert got == cache and cache.read_bytes() == body
    (root / "test.jsonl").unlink()  # cached: no second download
    assert dataset._download(f"{url}/test.jsonl", hashlib.sha256(body).hexdigest(), cache) == cache
    with pytest.raises(DataError, match="the download failed"):
        dataset._download(f"{url}/missing.jsonl", "0" * 64, tmp_path / "other" / "x.jsonl")
