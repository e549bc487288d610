"""Greedy decoding for Llama-architecture models with continuous batching and a shared prefix.

Why not `model.generate`: a batch there runs until its longest row stops (about one chain-of-thought
completion in five runs to the token cap, so most rows decode padding) and every row carries its own
copy of the few-shot prefix in the cache. Here:

- a fixed number of slots decode together; when a row stops (end of text, cap or stop string) its
  slot takes the next item at once (continuous batching); items starting together are prefilled in
  one call (sorted by length, so little padding);
- live rows stay packed in slots 0..n-1 (when the queue is empty, a finished row's slot takes the
  last live row), so a decode step reads one slice of the cache and never gathers rows;
- the cache is preallocated once per call: [layers, slots, kv heads, longest suffix + cap, head dim];
- the prefix's keys and values are computed once and stored once; attention is split into the shared
  prefix and each row's own tokens and merged by log-sum-exp (`attention.split_attention`);
- logits are computed only for the positions that choose a token (the last real token of a
  prefill, one per row in a decode step);
- on a CPU, projections use weights packed once for oneDNN (q/k/v and gate/up each as one
  product) and attention a fused kernel (`kernels`); elsewhere plain torch ops;
- the per-step Python work does not grow with the batch: stopping is checked with tensor lookups,
  and only rows whose new token could end a stop string (or the text) are looked at in Python.

The arithmetic is the layers' own (their weights, norms, activation and rotary embedding), so the
forward pass is transformers' Llama forward with a different bookkeeping; tests compare the two on
both the kernel and the plain path. Results differ from batch size 1 only by float rounding
(the benchmark reports the share of completions that are identical).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import torch
from artifact.evaluate.attention import own_mask, split_attention
from artifact.evaluate.kernels import Linear

PREFILL_TOKENS = 4096  # new items prefilled together per call, padding included (bounds its memory)
SUPPORTED = ("llama",)  # SmolLM2 is a Llama; others fall back to transformers' generate


def supports(model) -> bool:
    config = model.config
    return (config.model_type in SUPPORTED and not getattr(config, "sliding_window", None)
            and getattr(config, "pretraining_tp", 1) == 1)


@dataclass(frozen=True)
class StopRule:
    """When a completion ends besides end of text and the cap: ``may_stop[token]`` is True for tokens
    that can complete a stop string; ``stopped(tokens)`` then decides on the tokens generated so far."""

    may_stop: torch.Tensor
    stopped: Callable[[list[int]], bool]


NEVER = StopRule(torch.zeros(0, dtype=torch.bool), lambda tokens: False)


class SharedPrefixEngine:
    """Greedy continuous-batching decoder over a transformers LlamaForCausalLM (weights not copied)."""

    def __init__(self, model, eos_ids: Sequence[int]):
        self.model = model
        self.base = model.model
        config = model.config
        self.heads = config.num_attention_heads
        self.kv_heads = config.num_key_value_heads
        self.head_dim = getattr(config, "head_dim", None) or config.hidden_size // self.heads
        self.layers = len(self.base.layers)
        vocab = model.lm_head.out_features
        self.device = model.lm_head.weight.device  # every tensor of a run is made here
        self.is_eos = torch.zeros(vocab, dtype=torch.bool, device=self.device)
        self.is_eos[[i for i in eos_ids if 0 <= i < vocab]] = True
        self.vocab = vocab
        self.dtype = model.lm_head.weight.dtype
        # q/k/v and gate/up each as one product, weights packed once (kernels.Linear): the arithmetic
        # is the layers' own, fewer and faster calls. Copies of the weights: about the model's size.
        self.qkv = [Linear.joined(l.self_attn.q_proj, l.self_attn.k_proj, l.self_attn.v_proj) for l in self.base.layers]
        self.o = [Linear(l.self_attn.o_proj.weight, l.self_attn.o_proj.bias) for l in self.base.layers]
        self.gate_up = [Linear.joined(l.mlp.gate_proj, l.mlp.up_proj) for l in self.base.layers]
        self.down = [Linear(l.mlp.down_proj.weight, l.mlp.down_proj.bias) for l in self.base.layers]
        self.head = Linear(model.lm_head.weight, model.lm_head.bias)
        self._prefixes: dict[tuple[int, ...], tuple[torch.Tensor, torch.Tensor]] = {}

    # -- the forward pass ------------------------------------------------------------------------
    def _forward(self, ids: torch.Tensor, slots: torch.Tensor | None, start: torch.Tensor, offset: int,
                 cache: tuple[torch.Tensor, torch.Tensor], prefix: tuple[torch.Tensor, torch.Tensor] | None,
                 logits: bool = True) -> torch.Tensor | None:
        """Run ``ids`` [B, T], write their keys/values into ``cache`` and return the logits [B, vocab]
        of the position of each row that chooses the next token.

        ``slots`` given: a prefill of new rows into those slots, row b's ``start[b]`` real tokens
        right-padded to T (the padding's keys land beyond the row's length, where nothing reads
        them before a decode step overwrites them). None: a decode step (T = 1) of the slots
        0..B-1 with ``start`` own tokens so far; the decode loop keeps those slots packed at the
        front, so the cache is read as one slice, never gathered."""
        b, t = ids.shape
        cache_k, cache_v = cache
        prefill = slots is not None
        dev = self.device
        own_pos = (torch.zeros(b, 1, dtype=torch.long, device=dev) if prefill else start[:, None]) + torch.arange(t, device=dev)
        width = t if prefill else int(start.max()) + 1  # own keys any query of this call may see
        visible = torch.arange(width, device=dev)[None, None, :] <= own_pos[:, :, None]  # causal, per row
        x = self.base.embed_tokens(ids)
        cos, sin = self.base.rotary_emb(x, own_pos + offset)
        # Rotary embedding as transformers applies it (x cos + rotate_half(x) sin), for q and k in one
        # go: rotate_half(x) sin == roll(x, d/2) (sin with its first half negated), exactly.
        half = self.head_dim // 2
        cos, sin = cos[:, :, None], torch.cat([-sin[..., :half], sin[..., half:]], dim=-1)[:, :, None]
        mask = own_mask(visible, self.heads // self.kv_heads)
        rows = torch.arange(b, device=dev)
        heads, kv, d = self.heads, self.kv_heads, self.head_dim
        for i, layer in enumerate(self.base.layers):
            attn = layer.self_attn
            qkv = self.qkv[i](layer.input_layernorm(x))
            qk = qkv[..., :(heads + kv) * d].view(b, t, heads + kv, d)
            qk = qk * cos + qk.roll(half, dims=-1) * sin
            q, k = qk[:, :, :heads].transpose(1, 2), qk[:, :, heads:].transpose(1, 2)
            v = qkv[..., (heads + kv) * d:].reshape(b, t, kv, d).transpose(1, 2)
            ck, cv = cache_k[i], cache_v[i]  # [slots, kv, L, d]
            if prefill:  # the rows' own keys are exactly this call's
                ck[slots, :, :t] = k
                cv[slots, :, :t] = v
                own_k, own_v = k, v
            else:  # a decode step: one token per row
                ck[rows, :, start] = k[:, :, 0]
                cv[rows, :, start] = v[:, :, 0]
                own_k, own_v = ck[:b, :, :width], cv[:b, :, :width]
            pk, pv = (prefix[0][i], prefix[1][i]) if prefix is not None else (None, None)
            out = split_attention(q, pk, pv, own_k, own_v, visible, attn.scaling, mask=mask)
            x = x + self.o[i](out.transpose(1, 2).reshape(b, t, self.heads * self.head_dim))
            gate, up = self.gate_up[i](layer.post_attention_layernorm(x)).chunk(2, dim=-1)
            x = x + self.down[i](layer.mlp.act_fn(gate) * up)
        if not logits:
            return None
        last = x[rows, start - 1] if prefill else x[:, -1]
        return self.head(self.base.norm(last))  # only the positions that choose a token

    def _tensor(self, data) -> torch.Tensor:
        return torch.tensor(data, dtype=torch.long, device=self.device)

    def _cache(self, slots: int, length: int) -> tuple[torch.Tensor, torch.Tensor]:
        shape = (self.layers, slots, self.kv_heads, length, self.head_dim)
        return (torch.zeros(shape, dtype=self.dtype, device=self.device),
                torch.zeros(shape, dtype=self.dtype, device=self.device))

    @torch.inference_mode()
    def prefix(self, ids: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor]:
        """Keys and values [layers, kv, P, d] of a shared prefix, computed once and kept."""
        key = tuple(ids)
        if key not in self._prefixes:
            cache = self._cache(1, len(ids))
            if ids:
                self._forward(self._tensor([ids]), self._tensor([0]), self._tensor([len(ids)]), 0, cache, None,
                              logits=False)
            self._prefixes[key] = (cache[0][:, 0].contiguous(), cache[1][:, 0].contiguous())
        return self._prefixes[key]

    # -- the decode loop -------------------------------------------------------------------------
    @torch.inference_mode()
    def generate(self, prefix_ids: Sequence[int], suffixes: Sequence[Sequence[int]], max_new_tokens: int,
                 slots: int, stop: StopRule = NEVER) -> Iterator[tuple[int, list[int]]]:
        """Yield (position in ``suffixes``, generated tokens) as each item finishes (any order).

        The tokens end with the end-of-text token when the model produced one; they stop at the
        token that completed a stop string, or after ``max_new_tokens``."""
        if not suffixes:
            return
        may_stop = stop.may_stop[:self.vocab] if len(stop.may_stop) >= self.vocab else torch.nn.functional.pad(
            stop.may_stop, (0, self.vocab - len(stop.may_stop)))
        may_stop = may_stop.to(self.device)
        prefix = self.prefix(prefix_ids) if prefix_ids else None
        offset = len(prefix_ids)
        slots = max(1, min(slots, len(suffixes)))
        cache = self._cache(slots, max(len(s) for s in suffixes) + max_new_tokens)
        lengths = torch.zeros(slots, dtype=torch.long, device=self.device)  # own tokens in the cache, per slot
        produced = torch.zeros(slots, max_new_tokens + 1, dtype=torch.long, device=self.device)
        counts = torch.zeros(slots, dtype=torch.long, device=self.device)
        owner = [-1] * slots
        queue = iter(range(len(suffixes)))

        def done(slot: int, token: int, count: int) -> bool:
            return (bool(self.is_eos[token]) or count >= max_new_tokens
                    or (bool(may_stop[token]) and stop.stopped(produced[slot, :count].tolist())))

        def fill(free: list[int]) -> Iterator[tuple[int, list[int]]]:
            """Start the next items in the free slots, prefilled together (in chunks of similar
            length); an item that stops at once is yielded and its slot takes the next. Slots left
            without an item (the queue is empty) keep owner -1."""
            while free:
                for slot in free:
                    owner[slot] = -1
                started = sorted(zip(free, queue), key=lambda sp: len(suffixes[sp[1]]))  # zip stops at `free`'s end
                free = []
                for chunk in _chunks(started, lambda sp: len(suffixes[sp[1]]), PREFILL_TOKENS):
                    width = max(len(suffixes[p]) for _, p in chunk)
                    ids = self._tensor([list(suffixes[p]) + [0] * (width - len(suffixes[p])) for _, p in chunk])
                    ends = self._tensor([len(suffixes[p]) for _, p in chunk])
                    where = self._tensor([slot for slot, _ in chunk])
                    first = self._forward(ids, where, ends, offset, cache, prefix).argmax(dim=-1).tolist()
                    for (slot, position), token, n in zip(chunk, first, ends.tolist()):
                        lengths[slot], counts[slot], produced[slot, 0] = n, 1, token
                        owner[slot] = position
                        if done(slot, token, 1):
                            free.append(slot)
                            yield position, [token]

        def move(src: int, dst: int) -> None:
            """Move a live row to another slot (keys, values and state), so live rows stay in front."""
            n = int(lengths[src])
            for part in cache:
                part[:, dst, :, :n] = part[:, src, :, :n]
            lengths[dst], counts[dst], produced[dst], owner[dst] = lengths[src], counts[src], produced[src], owner[src]
            owner[src] = -1

        def close_gaps(live: int) -> int:
            """Move rows down into slots left empty so live rows fill 0..live-1; return the new live."""
            for slot in sorted((s for s in range(live) if owner[s] < 0), reverse=True):
                live -= 1  # from the highest empty slot down, the row moved in from above is live
                if slot != live:
                    move(live, slot)
            return live

        yield from fill(list(range(slots)))
        live = close_gaps(slots)
        while live:
            index = torch.arange(live, device=self.device)
            while True:  # decode steps until some row finishes; membership is fixed meanwhile
                last = produced[index, counts[:live] - 1]
                logits = self._forward(last[:, None], None, lengths[:live], offset, cache, prefix)
                token = logits.argmax(dim=-1)
                produced[index, counts[:live]] = token
                lengths[:live] += 1
                counts[:live] += 1
                maybe = self.is_eos[token] | (counts[:live] >= max_new_tokens) | may_stop[token]
                finished = [j for j in maybe.nonzero().flatten().tolist() if done(j, int(token[j]), int(counts[j]))]
                if finished:
                    break
            for slot in finished:
                yield owner[slot], produced[slot, :int(counts[slot])].tolist()
            yield from fill(finished)
            live = close_gaps(live)


def _chunks(items: list, size: Callable, budget: int) -> Iterator[list]:
    """Consecutive runs of ``items`` (sorted by size) whose padded size (count x largest) fits ``budget``."""
    chunk: list = []
    for item in items:
        if chunk and (len(chunk) + 1) * size(item) > budget:
            yield chunk
            chunk = []
        chunk.append(item)
    if chunk:
        yield chunk
