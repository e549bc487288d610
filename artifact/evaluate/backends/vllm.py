"""vLLM backend for GPU users (and models that need several GPUs): same interface as hf.

vLLM's automatic prefix caching plays the role of the hf backend's shared prefix cache.
"""

from __future__ import annotations

from collections.abc import Iterator

from vllm import LLM, SamplingParams

from artifact.evaluate.backends.base import Generation
from artifact.evaluate.models import ModelSpec
from artifact.evaluate.prompting import PromptStyle


CHUNK = 256


class VLLMBackend:
    name = "vllm"

    def __init__(self, spec: ModelSpec, dtype: str = "float32", tensor_parallel_size: int = 1, device: str = "cuda"):
        # vLLM places the model itself (on its GPUs); the hf backend's --device does not apply here.
        model = f"{spec.path}/{spec.gguf_file}" if spec.gguf_file else spec.path
        tokenizer = spec.path if spec.gguf_file else None
        self.llm = LLM(model=model, tokenizer=tokenizer, dtype=dtype, tensor_parallel_size=tensor_parallel_size,
                       enable_prefix_caching=True, seed=0)
        self.revision = spec.revision
        self.parameters = None

    def generate(self, style: PromptStyle, questions: list[str], max_new_tokens: int,
                 batch_size: int = 64) -> Iterator[tuple[int, Generation]]:
        # vLLM batches continuously on its own; chunks only bound what a kill can lose.
        params = SamplingParams(temperature=0.0, max_tokens=max_new_tokens, stop=list(style.stop))
        chunk = max(batch_size, CHUNK)
        for start in range(0, len(questions), chunk):
            outputs = self.llm.generate([style.prompt(q) for q in questions[start:start + chunk]], params,
                                        use_tqdm=False)
            for j, o in enumerate(outputs):
                yield start + j, Generation(style.truncate(o.outputs[0].text), len(o.prompt_token_ids),
                                            len(o.outputs[0].token_ids))
