"""transformers backend: greedy, with the few-shot prefix encoded once and shared by every item.

Llama-architecture models (SmolLM2 among them) run on `engine.SharedPrefixEngine`: continuous
batching, a preallocated cache and the prefix's keys and values stored once. Other architectures
use transformers' `generate` in fixed batches, each prompt fed as [prefix][padding][suffix] with the
padding masked and skipped by the positions, so an item sees exactly prefix + suffix either way.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import torch
from transformers import DynamicCache, StaticCache

from artifact.errors import ModelError, PromptTooLong
from artifact.evaluate import converted
from artifact.evaluate.backends.base import Generation
from artifact.evaluate.engine import SharedPrefixEngine, StopRule, supports
from artifact.evaluate.scheduler import generate
from artifact.evaluate.models import ModelSpec
from artifact.evaluate.prompting import PromptStyle

# transformers 5.x renames generate's `past_key_values` to `cache`; the old name works across the
# versions this project supports (>= 4.56), so its deprecation notice is noise here.
warnings.filterwarnings("ignore", message=".*past_key_values.*is deprecated", category=FutureWarning)


class HFBackend:
    name = "hf"

    def __init__(self, spec: ModelSpec, dtype: str = "float32", tensor_parallel_size: int = 1, device: str = "cpu",
                 engine: bool = True):
        if tensor_parallel_size != 1:
            raise ModelError("the hf backend runs on one device; use --backend vllm for tensor parallelism")
        self.device = resolve_device(device)
        try:
            self.tokenizer, self.model = converted.load(spec, getattr(torch, dtype))
        except (OSError, ValueError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]  # one line, not the library's essay
            raise ModelError(f"cannot load model {spec.name!r} from {spec.path}: {first}") from None
        self.model.to(self.device).eval()
        self.parameters = self.model.num_parameters()
        self.revision = getattr(self.model.config, "_commit_hash", None) or spec.revision
        self.pad_id = self.tokenizer.pad_token_id
        if self.pad_id is None:
            self.pad_id = self.tokenizer.eos_token_id if self.tokenizer.eos_token_id is not None else 0
        self._prefix: dict[str, tuple[list[int], DynamicCache]] = {}
        self._stops: dict[tuple[str, ...], StopRule] = {}
        self._token_texts: list[str] | None = None
        self.engine = self._engine() if engine and supports(self.model) else None

    def _encode(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False).input_ids

    def _engine(self) -> SharedPrefixEngine:
        eos = self.model.generation_config.eos_token_id
        eos = [] if eos is None else [eos] if isinstance(eos, int) else list(eos)
        return SharedPrefixEngine(self.model, eos)

    def _stop_rule(self, stop: tuple[str, ...]) -> StopRule:
        """The engine's test for a style's stop strings (built once per set of strings)."""
        if stop not in self._stops:
            if self._token_texts is None:
                self._token_texts = self.tokenizer.batch_decode([[i] for i in range(len(self.tokenizer))])
            # A stop string can only be completed by a token whose text holds the stop's last character.
            ends = {s[-1] for s in stop}
            may_stop = torch.tensor([any(c in t for c in ends) for t in self._token_texts], dtype=torch.bool)

            def stopped(tokens: list[int]) -> bool:
                text = self.tokenizer.decode(tokens, skip_special_tokens=True)
                return any(s in text for s in stop)

            self._stops[stop] = StopRule(may_stop, stopped)
        return self._stops[stop]

    def _generation(self, style: PromptStyle, prompt_tokens: int, seq: list[int]) -> Generation:
        """The completion cut at the first stop, and its token count the way it is recorded."""
        text = self.tokenizer.decode(seq, skip_special_tokens=True)
        completion = style.truncate(text)
        kept = len(self._encode(completion)) if completion != text else _unpadded(seq, self.pad_id)
        return Generation(completion, prompt_tokens, kept)

    def _check_context(self, prefix: int, suffixes: list[list[int]], max_new_tokens: int) -> None:
        """Refuse a prompt that cannot fit before any cache is allocated (a 200,000-character question
        would otherwise ask for tens of GB)."""
        limit = getattr(self.model.config, "max_position_embeddings", None)
        for position, suffix in enumerate(suffixes):
            if limit and prefix + len(suffix) + max_new_tokens > limit:
                raise PromptTooLong(position, prefix + len(suffix), max_new_tokens, limit)

    def generate(self, style: PromptStyle, questions: list[str], max_new_tokens: int,
                 batch_size: int = 64) -> Iterator[tuple[int, Generation]]:
        prefix = self._encode(style.prefix)
        suffixes = [self._encode(style.suffix(q)) for q in questions]
        self._check_context(len(prefix), suffixes, max_new_tokens)
        if self.engine is not None:
            stop = self._stop_rule(style.stop)
            for position, seq in generate(self.engine, prefix, suffixes, max_new_tokens, batch_size, stop):
                yield position, self._generation(style, len(prefix) + len(suffixes[position]), seq)
            return
        for start in range(0, len(questions), batch_size):
            chunk = suffixes[start:start + batch_size]
            for j, seq in enumerate(self._generate_batch(style, chunk, max_new_tokens)):
                yield start + j, self._generation(style, len(prefix) + len(chunk[j]), seq)

    # -- fallback for architectures the engine does not cover -------------------------------------
    @torch.inference_mode()
    def _prefix_cache(self, style: PromptStyle) -> tuple[list[int], DynamicCache]:
        if style.prefix not in self._prefix:
            ids = self._encode(style.prefix)
            cache = DynamicCache()
            self.model(input_ids=torch.tensor([ids], device=self.device), past_key_values=cache, use_cache=True)
            self._prefix[style.prefix] = (ids, cache)
        return self._prefix[style.prefix]

    @torch.inference_mode()
    def _generate_batch(self, style: PromptStyle, suffixes: list[list[int]], max_new_tokens: int) -> list[list[int]]:
        prefix, cache = self._prefix_cache(style)
        width = max(len(s) for s in suffixes)
        rows = [prefix + [self.pad_id] * (width - len(s)) + s for s in suffixes]
        mask = [[1] * len(prefix) + [0] * (width - len(s)) + [1] * len(s) for s in suffixes]
        past = self._static_cache(cache, len(suffixes), len(rows[0]) + max_new_tokens)
        out = self.model.generate(
            input_ids=torch.tensor(rows, device=self.device), attention_mask=torch.tensor(mask, device=self.device),
            past_key_values=past,
            max_new_tokens=max_new_tokens, do_sample=False, stop_strings=list(style.stop), tokenizer=self.tokenizer,
            pad_token_id=self.pad_id,
        )
        return out[:, len(rows[0]):].tolist()

    def _static_cache(self, prefix: DynamicCache, batch: int, length: int) -> StaticCache:
        """A preallocated cache of ``length`` positions holding the prefix for each of ``batch`` rows."""
        static = StaticCache(config=self.model.config, max_cache_len=length)
        for i, layer in enumerate(prefix.layers):
            static.layers[i].update(layer.keys.expand(batch, -1, -1, -1).contiguous(),
                                    layer.values.expand(batch, -1, -1, -1).contiguous())
        return static


def resolve_device(device: str) -> torch.device:
    """``cpu``, ``cuda`` (refused with one line when torch sees no GPU) or ``auto`` (cuda when available)."""
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ModelError("--device cuda: this torch sees no CUDA GPU (a CPU-only build, or no driver); "
                         "use --device cpu or auto")
    if device not in ("cpu", "cuda"):
        raise ModelError(f"unknown device {device!r}; choose cpu, cuda or auto")
    return torch.device(device)


def _unpadded(seq: list[int], pad: int) -> int:
    n = len(seq)
    while n and seq[n - 1] == pad:
        n -= 1
    return n
