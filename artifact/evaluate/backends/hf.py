"""transformers backend: greedy, batched, with the few-shot prefix encoded once and reused.

Every prompt is fed as [prefix tokens][padding][suffix tokens]; the attention mask hides the
padding and positions skip it, so each item sees exactly prefix + suffix whatever the batch size.
Decoding writes into a preallocated (static) cache: a growing cache re-copies every row's copy of
the long prefix at each step, which on a CPU costs more than the model itself.
"""

from __future__ import annotations

import warnings

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, DynamicCache, StaticCache

from artifact.errors import ModelError
from artifact.evaluate.backends.base import Generation
from artifact.evaluate.models import ModelSpec
from artifact.evaluate.prompting import STOP, PromptStyle, truncate_at_stop


# transformers 5.x renames generate's `past_key_values` to `cache`; the old name works across the
# versions this project supports (>= 4.56), so its deprecation notice is noise here.
warnings.filterwarnings("ignore", message=".*past_key_values.*is deprecated", category=FutureWarning)


class HFBackend:
    name = "hf"

    def __init__(self, spec: ModelSpec, dtype: str = "float32", tensor_parallel_size: int = 1):
        if tensor_parallel_size != 1:
            raise ModelError("the hf backend runs on one device; use --backend vllm for tensor parallelism")
        kwargs = {"gguf_file": spec.gguf_file} if spec.gguf_file else {}
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(spec.path, **kwargs)
            self.model = AutoModelForCausalLM.from_pretrained(spec.path, dtype=getattr(torch, dtype), **kwargs)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load model {spec.name!r} from {spec.path}: {exc}") from None
        self.model.eval()
        self.parameters = self.model.num_parameters()
        self.revision = getattr(self.model.config, "_commit_hash", None) or spec.revision
        self.pad_id = self.tokenizer.pad_token_id
        if self.pad_id is None:
            self.pad_id = self.tokenizer.eos_token_id if self.tokenizer.eos_token_id is not None else 0
        self._prefix: dict[str, tuple[list[int], DynamicCache]] = {}

    def _encode(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False).input_ids

    @torch.inference_mode()
    def _prefix_cache(self, style: PromptStyle) -> tuple[list[int], DynamicCache]:
        if style.name not in self._prefix:
            ids = self._encode(style.prefix)
            cache = DynamicCache()
            self.model(input_ids=torch.tensor([ids]), past_key_values=cache, use_cache=True)
            self._prefix[style.name] = (ids, cache)
        return self._prefix[style.name]

    @torch.inference_mode()
    def generate(self, style: PromptStyle, questions: list[str], max_new_tokens: int) -> list[Generation]:
        prefix, cache = self._prefix_cache(style)
        suffixes = [self._encode(style.suffix(q)) for q in questions]
        width = max(len(s) for s in suffixes)
        rows = [prefix + [self.pad_id] * (width - len(s)) + s for s in suffixes]
        mask = [[1] * len(prefix) + [0] * (width - len(s)) + [1] * len(s) for s in suffixes]
        past = self._static_cache(cache, len(questions), len(rows[0]) + max_new_tokens)
        out = self.model.generate(
            input_ids=torch.tensor(rows), attention_mask=torch.tensor(mask), past_key_values=past,
            max_new_tokens=max_new_tokens, do_sample=False, stop_strings=list(STOP), tokenizer=self.tokenizer,
            pad_token_id=self.pad_id,
        )
        results = []
        for s, seq in zip(suffixes, out[:, len(rows[0]):].tolist()):
            text = self.tokenizer.decode(seq, skip_special_tokens=True)
            completion = truncate_at_stop(text)
            kept = len(self._encode(completion)) if completion != text else _unpadded(seq, self.pad_id)
            results.append(Generation(completion, len(prefix) + len(s), kept))
        return results


    def _static_cache(self, prefix: DynamicCache, batch: int, length: int) -> StaticCache:
        """A preallocated cache of ``length`` positions holding the prefix for each of ``batch`` rows."""
        static = StaticCache(config=self.model.config, max_cache_len=length)
        for i, layer in enumerate(prefix.layers):
            static.layers[i].update(layer.keys.expand(batch, -1, -1, -1).contiguous(),
                                    layer.values.expand(batch, -1, -1, -1).contiguous())
        return static


def _unpadded(seq: list[int], pad: int) -> int:
    n = len(seq)
    while n and seq[n - 1] == pad:
        n -= 1
    return n
