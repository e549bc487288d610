"""The GSM8K evaluator end to end on a tiny random model built here, plus the bundled GGUF model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from artifact.errors import DataError, ModelError, RunMismatch  # noqa: E402
from artifact.evaluate import dataset, models  # noqa: E402
from artifact.evaluate.backends import get_backend  # noqa: E402
from artifact.evaluate.prompting import cot, standard  # noqa: E402
from artifact.evaluate.run import evaluate, prepare, read_samples, run_config  # noqa: E402
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


def _run(backend, tiny_model, data_file, runs: Path, batch_size: int) -> list[dict]:
    data = dataset.load(data_file)
    folder = prepare(config_for(tiny_model, data), runs, None)
    evaluate(backend, folder, data, [standard(), cot()], None, batch_size)
    return read_samples(folder / "samples.jsonl")


def key(samples):
    return sorted((s["prompting"], s["index"], s["completion"], s["extracted"]) for s in samples)


def test_end_to_end_run_writes_one_line_per_item(backend, tiny_model, data_file, tmp_path):
    samples = _run(backend, tiny_model, data_file, tmp_path, batch_size=2)
    assert len(samples) == 2 * len(QUESTIONS)
    assert {(s["prompting"], s["index"]) for s in samples} == {(p, i) for p in ("standard", "cot") for i in range(5)}
    for s in samples:
        assert s["rule"] in ("answer-is", "last-number", "none")
        assert s["gold"] == QUESTIONS[s["index"]][1].split()[-1]
        assert s["prompt_tokens"] > 400  # eight exemplars precede every question
    meta = json.loads(next(tmp_path.glob("*/run.json")).read_text(encoding="utf-8"))
    assert meta["config"]["dataset"]["items"] == 5 and meta["finished_at"]
    assert meta["parameters"] == backend.parameters > 0
    assert sum(v["items"] for v in meta["summary"].values()) == 10


def test_batch_size_does_not_change_outputs(backend, tiny_model, data_file, tmp_path):
    one = _run(backend, tiny_model, data_file, tmp_path / "b1", batch_size=1)
    three = _run(backend, tiny_model, data_file, tmp_path / "b3", batch_size=3)
    assert key(one) == key(three)


class Interrupting:
    """Wraps a backend and interrupts the run at the given batch, like Ctrl-C would."""

    def __init__(self, inner, at_batch: int):
        self.inner, self.at, self.calls = inner, at_batch, 0

    def generate(self, style, questions, max_new_tokens):
        self.calls += 1
        if self.calls == self.at:
            raise KeyboardInterrupt
        return self.inner.generate(style, questions, max_new_tokens)


def test_killed_run_resumes_without_loss_or_duplicates(backend, tiny_model, data_file, tmp_path):
    data = dataset.load(data_file)
    folder = prepare(config_for(tiny_model, data), tmp_path / "k", None)
    with pytest.raises(KeyboardInterrupt):
        evaluate(Interrupting(backend, at_batch=3), folder, data, [standard(), cot()], None, 2)
    partial = read_samples(folder / "samples.jsonl")
    assert len(partial) == 4  # two finished batches of two
    with open(folder / "samples.jsonl", "a", encoding="utf-8") as f:
        f.write('{"version": 1, "index": 4, "prompting": "stan')  # a line torn by the kill
    evaluate(backend, folder, data, [standard(), cot()], None, 2)
    resumed = read_samples(folder / "samples.jsonl")
    assert len(resumed) == 10 and len({(s["prompting"], s["index"]) for s in resumed}) == 10
    assert key(resumed) == key(_run(backend, tiny_model, data_file, tmp_path / "whole", batch_size=2))


def test_resume_with_a_different_configuration_is_refused(tiny_model, data_file, tmp_path):
    data = dataset.load(data_file)
    config = config_for(tiny_model, data)
    prepare(config, tmp_path, "fixed")
    changed = {**config, "decoding": {**config["decoding"], "max_new_tokens": {"standard": 12, "cot": 16}}}
    with pytest.raises(RunMismatch, match=r"decoding\.max_new_tokens\.cot: this run has 16, the folder has 24"):
        prepare(changed, tmp_path, "fixed")


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
    [g] = hf.generate(standard(), ["Claire makes a 3 egg omelet every morning for breakfast.  How many dozens of "
                                   "eggs will she eat in 4 weeks?"], 32)
    assert g.completion.strip().startswith("The answer is")
    assert g.completion_tokens > 0 and g.prompt_tokens > 400
