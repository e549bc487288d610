"""Greedy decoding for Llama-architecture models with continuous batching and a shared prefix.

Why not `model.generate`: a batch there runs until its longest row stops (about one chain-of-thought
completion in five runs to the token cap, so most rows decode padding) and every row carries its own
copy of the few-shot prefix in the cache. Here:

- a fixed number of slots decode together; when a row stops (end of text, cap or stop string) its
  slot takes the next item at once (continuous batching);
- the cache is preallocated once per call: [layers, slots, kv heads, longest suffix + cap, head dim];
- the prefix's keys and values are computed once and stored once; attention is split into the shared
  prefix and each row's own tokens and merged by log-sum-exp (`attention.split_attention`);
- logits are computed only for the positions that choose a token (the last of a prefill, one per row
  in a decode step);
- the per-step Python work does not grow with the batch: stopping is checked with tensor lookups,
  and only rows whose new token could end a stop string (or the text) are looked at in Python.

The layers' own modules (projections, norms, MLP, rotary embedding) do the arithmetic, so the forward
pass is transformers' Llama forward with a different attention bookkeeping; tests compare the two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import torch
from transformers.models.llama.modeling_llama import apply_rotary_pos_emb

from artifact.evaluate.attention import split_attention

SUPPORTED = ("llama",)  # SmolLM2 is a Llama; others fall back to transformers' generate


def supports(model) -> bool:
    config = model.config
    return (config.model_type in SUPPORTED and not getattr(config, "sliding_window", None)
            and getattr(config, "pretraining_tp", 1) == 1)


class SharedPrefixEngine:
    """Greedy continuous-batching decoder over a transformers LlamaForCausalLM (weights not copied)."""

    def __init__(self, model, eos_ids: Sequence[int], may_stop: torch.Tensor, stopped: Callable[[list[int]], bool]):
        """``may_stop[token]`` is True for tokens that can complete a stop string; ``stopped(tokens)``
        then decides on the generated tokens so far."""
        self.model = model
        self.base = model.model
        config = model.config
        self.heads = config.num_attention_heads
        self.kv_heads = config.num_key_value_heads
        self.head_dim = getattr(config, "head_dim", None) or config.hidden_size // self.heads
        self.layers = len(self.base.layers)
        vocab = model.lm_head.out_features
        self.is_eos = torch.zeros(vocab, dtype=torch.bool)
        self.is_eos[[i for i in eos_ids if 0 <= i < vocab]] = True
        self.may_stop = may_stop[:vocab] if len(may_stop) >= vocab else torch.nn.functional.pad(
            may_stop, (0, vocab - len(may_stop)))
        self.stopped = stopped
        self.dtype = model.lm_head.weight.dtype
        self._prefixes: dict[tuple[int, ...], tuple[torch.Tensor, torch.Tensor]] = {}

    # -- the forward pass ------------------------------------------------------------------------
    def _forward(self, ids: torch.Tensor, rows: torch.Tensor | None, start: torch.Tensor, offset: int,
                 cache: tuple[torch.Tensor, torch.Tensor], prefix: tuple[torch.Tensor, torch.Tensor] | None,
                 logits: bool = True) -> torch.Tensor | None:
        """Run ``ids`` [B, T] of the rows ``rows`` (None: every slot, in order) whose own tokens so far
        are ``start`` [B]; write their keys/values into ``cache`` at start..start+T-1; return the
        logits of the last position of each row [B, vocab]."""
        b, t = ids.shape
        cache_k, cache_v = cache
        steps = torch.arange(t)
        own_pos = start[:, None] + steps  # [B, T]: index in the row's own cache
        width = int(start.max()) + t  # own keys any query of this call may see
        visible = torch.arange(width)[None, None, :] <= own_pos[:, :, None]  # causal, per row
        x = self.base.embed_tokens(ids)
        cos, sin = self.base.rotary_emb(x, own_pos + offset)
        one_row = b == 1 and rows is not None
        for i, layer in enumerate(self.base.layers):
            attn = layer.self_attn
            h = layer.input_layernorm(x)
            q = attn.q_proj(h).view(b, t, self.heads, self.head_dim).transpose(1, 2)
            k = attn.k_proj(h).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
            v = attn.v_proj(h).view(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
            q, k = apply_rotary_pos_emb(q, k, cos, sin)
            ck, cv = cache_k[i], cache_v[i]  # [slots, kv, L, d]
            if one_row:  # a prefill: one row, many tokens
                r, s = int(rows[0]), int(start[0])
                ck[r, :, s:s + t] = k[0]
                cv[r, :, s:s + t] = v[0]
                own_k, own_v = ck[r:r + 1, :, :width], cv[r:r + 1, :, :width]
            else:  # a decode step: one token per row
                where = torch.arange(b) if rows is None else rows
                ck[where, :, start] = k[:, :, 0]
                cv[where, :, start] = v[:, :, 0]
                own_k, own_v = ck[:, :, :width], cv[:, :, :width]
                if rows is not None:
                    own_k, own_v = own_k.index_select(0, rows), own_v.index_select(0, rows)
            pk, pv = (prefix[0][i], prefix[1][i]) if prefix is not None else (None, None)
            out = split_attention(q, pk, pv, own_k, own_v, visible, attn.scaling)
            x = x + attn.o_proj(out.transpose(1, 2).reshape(b, t, self.heads * self.head_dim))
            x = x + layer.mlp(layer.post_attention_layernorm(x))
        if not logits:
            return None
        return self.model.lm_head(self.base.norm(x[:, -1]))  # only the positions that choose a token

    def _cache(self, slots: int, length: int) -> tuple[torch.Tensor, torch.Tensor]:
        shape = (self.layers, slots, self.kv_heads, length, self.head_dim)
        return torch.zeros(shape, dtype=self.dtype), torch.zeros(shape, dtype=self.dtype)

    @torch.inference_mode()
    def prefix(self, ids: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor]:
        """Keys and values [layers, kv, P, d] of a shared prefix, computed once and kept."""
        key = tuple(ids)
        if key not in self._prefixes:
            cache = self._cache(1, len(ids))
            if ids:
                self._forward(torch.tensor([ids]), torch.tensor([0]), torch.tensor([0]), 0, cache, None, logits=False)
            self._prefixes[key] = (cache[0][:, 0].contiguous(), cache[1][:, 0].contiguous())
        return self._prefixes[key]

    # -- the decode loop -------------------------------------------------------------------------
    @torch.inference_mode()
    def generate(self, prefix_ids: Sequence[int], suffixes: Sequence[Sequence[int]], max_new_tokens: int,
                 slots: int) -> Iterator[tuple[int, list[int]]]:
        """Yield (position in ``suffixes``, generated tokens) as each item finishes (any order).

        The tokens end with the end-of-text token when the model produced one; they stop at the
        token that completed a stop string, or after ``max_new_tokens``."""
        if not suffixes:
            return
        prefix = self.prefix(prefix_ids) if prefix_ids else None
        offset = len(prefix_ids)
        slots = max(1, min(slots, len(suffixes)))
        cache = self._cache(slots, max(len(s) for s in suffixes) + max_new_tokens)
        lengths = torch.zeros(slots, dtype=torch.long)  # own tokens in the cache, per slot
        produced = torch.zeros(slots, max_new_tokens + 1, dtype=torch.long)
        counts = torch.zeros(slots, dtype=torch.long)
        owner = [-1] * slots
        queue = iter(range(len(suffixes)))

        def done(slot: int, token: int, count: int) -> bool:
            return (bool(self.is_eos[token]) or count >= max_new_tokens
                    or (bool(self.may_stop[token]) and self.stopped(produced[slot, :count].tolist())))

        def fill(slot: int) -> Iterator[tuple[int, list[int]]]:
            """Give the slot the next item (prefill its suffix); items that stop at once are yielded."""
            owner[slot] = -1
            for position in queue:
                ids = list(suffixes[position])
                logits = self._forward(torch.tensor([ids]), torch.tensor([slot]), torch.tensor([0]), offset,
                                       cache, prefix)
                token = int(logits[0].argmax())
                lengths[slot], counts[slot], produced[slot, 0] = len(ids), 1, token
                if done(slot, token, 1):
                    yield position, [token]
                    continue
                owner[slot] = position
                return

        for slot in range(slots):
            yield from fill(slot)
        while True:
            active = [s for s in range(slots) if owner[s] >= 0]
            if not active:
                return
            rows = None if len(active) == slots else torch.tensor(active)
            index = torch.arange(slots) if rows is None else rows
            while True:  # decode steps until some row finishes; membership is fixed meanwhile
                last = produced[index, counts[index] - 1]
                logits = self._forward(last[:, None], rows, lengths[index], offset, cache, prefix)
                token = logits.argmax(dim=-1)
                produced[index, counts[index]] = token
                lengths[index] += 1
                counts[index] += 1
                maybe = self.is_eos[token] | (counts[index] >= max_new_tokens) | self.may_stop[token]
                finished = []
                for j in maybe.nonzero().flatten().tolist():
                    slot = int(index[j])
                    if done(slot, int(token[j]), int(counts[slot])):
                        finished.append(slot)
                if finished:
                    break
            for slot in finished:
                yield owner[slot], produced[slot, :int(counts[slot])].tolist()
                yield from fill(slot)
