"""The GSM8K evaluator end to end on a tiny random model built here, plus the bundled GGUF model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from artifact.errors import ArtifactError, DataError, ModelError, RunMismatch  # noqa: E402
from artifact.evaluate import dataset, models, tasks  # noqa: E402
from artifact.evaluate.backends import get_backend  # noqa: E402
from artifact.evaluate.prompting import cot, standard  # noqa: E402
from artifact.evaluate.run import RunLocked, evaluate, locate, lock_run, read_samples, run_config  # noqa: E402
from tests.conftest import run_cli  # noqa: E402
from artifact import paths  # noqa: E402

QUESTIONS = [
    ("Tom has 3 red pens and 4 blue pens. How many pens does he have?", "#### 7"),
    ("A box holds 12 eggs. How many eggs are in 2 boxes?", "#### 24"),
    ("Ann had 10 dollars and spent 4. How many dollars are left?", "#### 6"),
    ("There are 5 cats with 4 legs each. How many legs in all?", "#### 20"),
    ("Sam reads 6 pages a day for 5 days. How many pages does he read?", "#### 30"),
]


@pytest.fixture(scope="session")
def data_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "mini.jsonl"
    path.write_text("".join(json.dumps({"question": q, "answer": f"Work.\n{a}"}) + "\n" for q, a in QUESTIONS),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A 2-layer Llama with random weights and SmolLM2's tokenizer, saved as a local model folder."""
    spec = models.resolve("smollm2-135m")
    tok = transformers.AutoTokenizer.from_pretrained(spec.path, gguf_file=spec.gguf_file)
    torch.manual_seed(0)
    config = transformers.LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
                                      bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id)
    folder = tmp_path_factory.mktemp("tiny-llama")
    transformers.LlamaForCausalLM(config).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def backend(tiny_model):
    return get_backend("hf")(models.resolve(str(tiny_model)))


# A random model never says "The answer is"; short caps keep its runs quick.
CAPS = {"standard": 12, "cot": 24}


def config_for(tiny_model, data):
    return run_config(models.resolve(str(tiny_model)), "hf", "float32", data, 8, CAPS)


def _run(backend, tiny_model, data_file, runs: Path, batch_size: int, run_id: str | None = None) -> list[dict]:
    data = dataset.load(data_file)
    config = config_for(tiny_model, data)
    with lock_run(locate(config, runs, run_id), config) as folder:
        evaluate(backend, folder, data, [standard(), cot()], None, batch_size)
    return read_samples(folder / "samples.jsonl")


def key(samples):
    return sorted((s["prompting"], s["index"], s["completion"], s["extracted"]) for s in samples)


def test_end_to_end_run_writes_one_line_per_item(backend, tiny_model, data_file, tmp_path):
    samples = _run(backend, tiny_model, data_file, tmp_path, batch_size=2)
    assert len(samples) == 2 * len(QUESTIONS)
    # written as items finish, then sorted: the file's order does not depend on the batch size
    assert [(s["prompting"], s["index"]) for s in samples] == [(p, i) for p in ("standard", "cot") for i in range(5)]
    for s in samples:
        assert s["rule"] in ("answer-is", "last-number", "none")
        assert s["gold"] == QUESTIONS[s["index"]][1].split()[-1]
        assert s["prompt_tokens"] > 400  # eight exemplars precede every question
    meta = json.loads(next(tmp_path.glob("*/run.json")).read_text(encoding="utf-8"))
    assert meta["config"]["dataset"]["items"] == 5 and meta["finished_at"] and meta["task"] == "gsm8k"
    assert meta["parameters"] == backend.parameters > 0
    assert sum(v["items"] for v in meta["summary"].values()) == 10


def test_batch_size_does_not_change_outputs_or_the_run_folder(backend, tiny_model, data_file, tmp_path):
    one = _run(backend, tiny_model, data_file, tmp_path / "b1", batch_size=1)
    three = _run(backend, tiny_model, data_file, tmp_path / "b3", batch_size=3)
    assert key(one) == key(three)
    assert [p.name for p in (tmp_path / "b1").iterdir()] == [p.name for p in (tmp_path / "b3").iterdir()]
    assert (next((tmp_path / "b1").glob("*/samples.jsonl")).read_bytes()
            == next((tmp_path / "b3").glob("*/samples.jsonl")).read_bytes())


def test_engine_matches_transformers_generate_on_the_prompts(tiny_model):
    """The shared-prefix engine and plain transformers generate give the same completions."""
    spec = models.resolve(str(tiny_model))
    fast, plain = get_backend("hf")(spec), get_backend("hf")(spec, engine=False)
    assert fast.engine is not None and plain.engine is None
    questions = [q for q, _ in QUESTIONS]
    for style, cap in ((standard(), 12), (cot(), 24)):
        a = dict(fast.generate(style, questions, cap, 2))
        b = dict(plain.generate(style, questions, cap, 1))
        assert [a[i] for i in range(5)] == [b[i] for i in range(5)]


class Interrupting:
    """Wraps a backend and interrupts the run after ``after`` finished items, like Ctrl-C would."""

    def __init__(self, inner, after: int):
        self.inner, self.left = inner, after

    def generate(self, style, questions, max_new_tokens, batch_size):
        for found in self.inner.generate(style, questions, max_new_tokens, batch_size):
            if self.left == 0:
                raise KeyboardInterrupt
            self.left -= 1
            yield found


def test_killed_run_resumes_without_loss_or_duplicates(backend, tiny_model, data_file, tmp_path):
    data = dataset.load(data_file)
    config = config_for(tiny_model, data)
    folder = locate(config, tmp_path / "k", None)
    with pytest.raises(KeyboardInterrupt), lock_run(folder, config):
        evaluate(Interrupting(backend, after=3), folder, data, [standard(), cot()], None, 2)
    partial = read_samples(folder / "samples.jsonl")
    assert len(partial) == 3  # every item finished before the interrupt is kept
    with open(folder / "samples.jsonl", "a", encoding="utf-8") as f:
        f.write('{"version": 1, "index": 4, "prompting": "stan')  # a line torn by the kill
    with lock_run(folder, config):
        evaluate(backend, folder, data, [standard(), cot()], None, 2)
    resumed = read_samples(folder / "samples.jsonl")
    assert len(resumed) == 10 and len({(s["prompting"], s["index"]) for s in resumed}) == 10
    assert key(resumed) == key(_run(backend, tiny_model, data_file, tmp_path / "whole", batch_size=2))


def test_resume_with_a_different_configuration_is_refused(tiny_model, data_file, tmp_path):
    data = dataset.load(data_file)
    config = config_for(tiny_model, data)
    with lock_run(locate(config, tmp_path, "fixed"), config):
        pass
    changed = config.model_copy(update={"decoding": config.decoding.model_copy(
        update={"max_new_tokens": {"standard": 12, "cot": 16}})})
    with pytest.raises(RunMismatch, match=r"decoding\.max_new_tokens\.cot: this run has 16, the folder has 24"):
        locate(changed, tmp_path, "fixed")


def test_config_hash_ignores_batch_size_and_engine(tiny_model, data_file):
    data = dataset.load(data_file)
    config = config_for(tiny_model, data)
    assert "batch" not in json.dumps(config.model_dump()) and "engine" not in json.dumps(config.model_dump())
    assert config.key() == config_for(tiny_model, data).key()


def test_second_writer_on_a_run_folder_is_refused_naming_the_holder(tiny_model, data_file, tmp_path):
    data = dataset.load(data_file)
    config = config_for(tiny_model, data)
    folder = locate(config, tmp_path, None)
    with lock_run(folder, config):
        with pytest.raises(RunLocked, match=rf"{folder} is in use by evaluate pid {os.getpid()} on "):
            with lock_run(folder, config):
                pass
    with lock_run(folder, config):  # released when the holder ends
        pass


def test_two_concurrent_evaluate_commands_on_the_same_run(tiny_model, data_file, tmp_path):
    """A second `evaluate` process on the same target refuses in one line; the first one's run is intact."""
    common = ["evaluate", "--model", str(tiny_model), "--data", str(data_file), "--runs-dir", str(tmp_path),
              "--run-id", "same", "--limit", "2", "--prompting", "standard"]
    release = tmp_path / "release"
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT), "ARTIFACT_TEST_RELEASE": str(release)}
    # The first holds the lock while it runs; it is started and given time to take the lock.
    first = subprocess.Popen([sys.executable, "-c", HOLDER, *common], cwd=paths.REPO_ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            lock = tmp_path / "same" / ".lock"
            if lock.is_file() and lock.read_text().startswith("evaluate pid"):
                break
            time.sleep(0.1)
        second = run_cli(paths.REPO_ROOT, *common)
        assert second.returncode == 1
        assert second.stderr.strip().splitlines()[-1] == (
            f"error: {tmp_path / 'same'} is in use by {lock.read_text().strip()}; wait for it to finish, then run the command again")
    finally:
        release.touch()
        out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    lines = (tmp_path / "same" / "samples.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2


# Runs `evaluate` with the backend held back before each item (until a release file appears, or for
# 3 s), so the lock is held long enough to collide with, or the run can be interrupted midway.
HOLDER = """
import os, sys, time
from artifact.evaluate.backends import hf
slow = hf.HFBackend.generate
release = os.environ.get("ARTIFACT_TEST_RELEASE")
def generate(self, *a, **k):
    for found in slow(self, *a, **k):
        for _ in range(3000 if release else 30):
            if release and os.path.exists(release):
                break
            time.sleep(0.1)
        yield found
hf.HFBackend.generate = generate
from artifact.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_unique_temporary_names_let_concurrent_writers_finish(tmp_path):
    from artifact.evaluate.run import _write_atomic

    target = tmp_path / "run.json"
    errors = []

    def write(n):
        try:
            for i in range(30):
                _write_atomic(target, f"{n} {i}\n")
        except OSError as exc:  # a shared temporary name fails with FileNotFoundError
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and list(tmp_path.iterdir()) == [target]
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # not mkstemp's private mode


def test_model_that_fails_to_load_leaves_no_run_folder(data_file, tmp_path):
    env_runs = tmp_path / "runs"
    result = subprocess.run([sys.executable, "-m", "artifact", "evaluate", "--model", "no-such-org/no-such-model",
                             "--data", str(data_file), "--runs-dir", str(env_runs)], cwd=paths.REPO_ROOT,
                            env={**os.environ, "PYTHONPATH": str(paths.REPO_ROOT), "HF_HUB_OFFLINE": "1"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: cannot load model 'no-such-org/no-such-model'")
    assert not env_runs.exists()


@pytest.mark.parametrize("run_id", ["../../x", "/tmp/elsewhere", "a/b", ".."])
def test_run_id_is_confined_to_the_runs_folder(data_file, tmp_path, run_id):
    result = run_cli(paths.REPO_ROOT, "evaluate", "--model", "smollm2-135m", "--data", str(data_file),
                     "--runs-dir", str(tmp_path / "runs"), "--run-id", run_id)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: --run-id {run_id!r}: a run id is one folder name")
    assert not (tmp_path / "runs").exists() and not (tmp_path / "x").exists()


def test_ctrl_c_during_evaluate_says_the_command_resumes(tiny_model, data_file, tmp_path):
    runs = tmp_path / "runs"
    cmd = [sys.executable, "-c", HOLDER, "evaluate", "--model", str(tiny_model), "--data", str(data_file),
           "--runs-dir", str(runs), "--prompting", "standard"]
    # A job started in the background by a shell inherits SIGINT ignored; restore the default so the child
    # gets KeyboardInterrupt as a terminal's Ctrl-C would give it.
    proc = subprocess.Popen(cmd, cwd=paths.REPO_ROOT, env={**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for _ in range(3000):
        if any(p.stat().st_size for p in runs.glob("*/samples.jsonl")):
            break
        time.sleep(0.1)
    assert proc.poll() is None  # still running: the interrupt lands mid-run
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == "interrupted; the same command resumes"
    assert len(read_samples(next(runs.glob("*/samples.jsonl")))) >= 1


def test_a_task_registered_from_a_temporary_module_runs_end_to_end(tiny_model, tmp_path, monkeypatch):
    """A new task is one module: its data, exemplars, template, stops, extraction and scoring; the
    runner, the run records and the CLI take it without a change."""
    (tmp_path / "toy.yaml").write_text(
        "source_key: toy\nlocation: here\nexemplars:\n"
        "  - {question: 'colour of snow', chain: 'Snow is white.', answer: white}\n"
        "  - {question: 'colour of grass', chain: 'Grass is green.', answer: green}\n", encoding="utf-8")
    (tmp_path / "toy.jsonl").write_text("".join(json.dumps({"question": f"colour of thing {i}", "answer": "#### 1"})
                                                + "\n" for i in range(4)), encoding="utf-8")
    (tmp_path / "toy_task_module.py").write_text(TOY_MODULE.replace("HERE_PATH", repr(str(tmp_path))), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    from artifact.cli import main  # in this process, where the module registers its task
    from artifact.evidence.runs import load_run, run_summary

    toy = importlib.import_module("toy_task_module").TOY
    try:
        with pytest.raises(ArtifactError, match="registered twice"):
            tasks.register(toy)
        assert tasks.get("toy-colours") is toy and toy.shots == 2
        style = toy.style("cot")
        assert style.prefix.startswith("Question: colour of snow\nAnswer: Snow is white. So: white.\n---\n")
        assert style.stop == ("\n---", "Question:") and style.suffix("q") == "Question: q\nAnswer:"
        runs = tmp_path / "runs"
        assert main(["evaluate", "--model", str(tiny_model), "--task", "toy-colours", "--limit", "3",
                     "--batch-size", "2", "--runs-dir", str(runs)]) == 0
        folder = next(runs.iterdir())
        meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        assert meta["task"] == "toy-colours" and meta["split"] == "all"
        assert meta["config"]["dataset"]["name"] == "toy colours"
        assert meta["config"]["decoding"] == {"greedy": True, "max_new_tokens": {"standard": 5, "cot": 7},
                                              "stop": ["\n---", "Question:"]}
        assert meta["config"]["prompts"]["cot"] == {"sha256": style.sha256, "shots": 2}
        samples = read_samples(folder / "samples.jsonl")
        assert [(s["prompting"], s["index"]) for s in samples] == [(p, i) for p in ("standard", "cot") for i in range(3)]
        for s in samples:
            assert "\n---" not in s["completion"] and "Question:" not in s["completion"]
            assert s["rule"] == ("first-word" if s["completion"].split() else "none")
            assert s["correct"] == (s["extracted"] == "1")
        # the records read back through the evidence loader, the task's own styles and rules included
        loaded_meta, loaded = load_run(folder)
        summary = run_summary(folder.name, loaded_meta, loaded)
        assert set(summary["prompting"]) == {"standard", "cot"} and set(summary["task"]) == {"toy-colours"}
        assert set(summary["split"]) == {"all"}
    finally:
        tasks.TASKS.pop("toy-colours")
        sys.modules.pop("toy_task_module", None)


TOY_MODULE = '''
from pathlib import Path
from artifact.evaluate import dataset, prompting
from artifact.evaluate.extract import Extraction
from artifact.evaluate.tasks import Task, register

HERE = Path(HERE_PATH)


def first_word(text):
    words = text.split()
    return Extraction(words[0].strip(".").lower(), "first-word") if words else Extraction(None, "none")


TOY = register(Task(
    name="toy-colours", splits={"all": "toy colours"},
    load=lambda path, split: dataset.load(path or HERE / "toy.jsonl"),
    exemplars=HERE / "toy.yaml",
    template=prompting.Template(question="Question: {question}\\nAnswer:", answer="So: {answer}.",
                                separator="\\n---\\n", stop=("\\n---", "Question:")),
    extract=first_word, score=lambda answer, gold: answer == gold,
    max_new_tokens={"standard": 5, "cot": 7},
))
'''


def test_bad_data_file_names_file_line_and_field(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "q", "answer": "#### 1"}\n{"question": "q2", "answer": "no final"}\n', encoding="utf-8")
    with pytest.raises(DataError, match="line 2, field 'answer': no '#### <number>' final answer"):
        dataset.load(bad)
    result = run_cli(paths.REPO_ROOT, "evaluate", "--model", "smollm2-135m", "--data", str(bad), "--limit", "1",
                     "--runs-dir", str(tmp_path / "runs"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: {bad}, line 2, field 'answer': no '#### <number>' final answer")
    assert not (tmp_path / "runs").exists()


def test_unknown_model_is_one_clear_error(data_file, tmp_path):
    with pytest.raises(ModelError, match="unknown model 'no-such-model'"):
        models.resolve("no-such-model")
    result = run_cli(paths.REPO_ROOT, "evaluate", "--model", "no-such-model", "--data", str(data_file),
                     "--runs-dir", str(tmp_path))
    assert result.returncode == 1 and "unknown model 'no-such-model'" in result.stderr
    assert "Traceback" not in result.stderr


def test_bundled_gguf_model_loads_and_answers_one_item():
    spec = models.resolve("smollm2-135m")
    assert spec.gguf_file == "SmolLM2-135M-Instruct.Q4_1.gguf" and len(spec.revision) == 64
    hf = get_backend("hf")(spec)
    [(position, g)] = hf.generate(standard(), ["Claire makes a 3 egg omelet every morning for breakfast.  How many "
                                        "dozens of eggs will she eat in 4 weeks?"], 32, 1)
    assert position == 0 and g.completion.strip().startswith("The answer is")
    assert g.completion_tokens > 0 and g.prompt_tokens > 400


def test_gguf_is_converted_once_and_the_copy_gives_the_same_tokens_and_weights(model_cache, capsys):
    from dataclasses import replace

    from artifact.evaluate import converted

    spec = models.resolve("smollm2-135m")
    tok, model = converted.load(spec, torch.float32)  # converts, or reads this session's copy
    folder = converted.folder_for(spec)
    assert folder.parent == model_cache and (folder / converted.MARKER).is_file()
    direct_tok = transformers.AutoTokenizer.from_pretrained(spec.path, gguf_file=spec.gguf_file)
    direct = transformers.AutoModelForCausalLM.from_pretrained(spec.path, gguf_file=spec.gguf_file, dtype=torch.float32)
    for text in (cot().prefix, standard().prefix, "Q: 3*7 = ?  涌现 é\n\nA:"):
        assert tok(text, add_special_tokens=False).input_ids == direct_tok(text, add_special_tokens=False).input_ids
    assert tok.eos_token_id == direct_tok.eos_token_id and len(tok) == len(direct_tok)
    want = direct.state_dict()
    assert all(torch.equal(v, want[k]) for k, v in model.state_dict().items()) and model.state_dict().keys() == want.keys()
    # the copy alone is enough: a spec whose GGUF folder does not exist still loads
    assert converted.load(replace(spec, path="/nonexistent"), torch.float32)[1].num_parameters() == direct.num_parameters()
    # a damaged copy is noticed, replaced by a fresh conversion, and the model still loads
    (folder / "model.safetensors").write_bytes(b"not safetensors")
    assert converted.load(spec, torch.float32)[1].num_parameters() == direct.num_parameters()
    assert "converting again" in capsys.readouterr().err and (folder / "model.safetensors").stat().st_size > 10**8


def test_a_symbolic_task_split_runs_from_the_cli_offline(tiny_model, tmp_path):
    from artifact.cli import main

    runs = tmp_path / "runs"
    assert main(["evaluate", "--model", str(tiny_model), "--task", "last-letters", "--split", "ood-4", "--prompting",
                 "cot", "--limit", "2", "--runs-dir", str(runs)]) == 0
    folder = next(runs.iterdir())
    meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert (meta["task"], meta["split"]) == ("last-letters", "ood-4")
    assert meta["config"]["dataset"] == {"name": "last-letter concatenation, 4 words (out-of-domain)",
                                         "sha256": tasks.get("last-letters").load(None, "ood-4").sha256, "items": 150}
    assert [s["prompting"] for s in read_samples(folder / "samples.jsonl")] == ["cot", "cot"]
    assert main(["evaluate", "--model", str(tiny_model), "--task", "last-letters", "--split", "ood-9",
                 "--runs-dir", str(runs)]) == 1  # one line: the task has no such split
