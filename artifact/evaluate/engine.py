"""Greedy decoding with continuous batching and a shared prefix, for models with an adapter (`llama`).

Why not `model.generate`: a batch there runs until its longest row stops (about one chain-of-thought
completion in five runs to the token cap, so most rows decode padding) and every row carries its own
copy of the few-shot prefix in the cache. Here:

- a fixed number of slots decode together; when a row stops (end of text, cap or stop string) its
  slot takes the next item at once (continuous batching, `scheduler.Scheduler`); items starting
  together are prefilled in one call (sorted by length, so little padding);
- the cache is preallocated once per call: [layers, slots, kv heads, longest suffix + cap, head dim];
- the prefix's keys and values are computed once and stored once; attention is split into the shared
  prefix and each row's own tokens and merged by log-sum-exp (`attention.split_attention`);
- logits are computed only for the positions that choose a token;
- on a CPU, projections use weights packed once for oneDNN and attention a fused kernel
  (`kernels`); elsewhere plain torch ops;
- on a GPU, a decode step is captured once per call as a CUDA graph over every slot and the whole
  cache width (`DecodeGraph`) and replayed, so a step costs one launch instead of hundreds of small
  kernels; on a CPU the step runs eagerly over the live rows only.

`forward` is generic bookkeeping (positions, cache writes, attention); what a layer computes is the
model adapter's (`llama.LlamaAdapter`). Results differ from batch size 1 only by float rounding (the
benchmark reports the share of completions that are identical); tests compare with transformers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import torch

from artifact.evaluate.attention import own_mask, split_attention
from artifact.evaluate.llama import LlamaAdapter, supports  # noqa: F401  (supports: re-exported for the backend)

PREFILL_TOKENS = 4096  # new items prefilled together per call, padding included (bounds its memory)

Cache = tuple[torch.Tensor, torch.Tensor]  # keys, values: [layers, slots, kv heads, length, head dim]


@dataclass(frozen=True)
class StopRule:
    """When a completion ends besides end of text and the cap: ``may_stop[token]`` is True for tokens
    that can complete a stop string; ``stopped(tokens)`` then decides on the tokens generated so far."""

    may_stop: torch.Tensor
    stopped: Callable[[list[int]], bool]


NEVER = StopRule(torch.zeros(0, dtype=torch.bool), lambda tokens: False)


def forward(model: LlamaAdapter, ids: torch.Tensor, slots: torch.Tensor | None, start: torch.Tensor, offset: int,
            cache: Cache, prefix: Cache | None, logits: bool = True, width: int | None = None) -> torch.Tensor | None:
    """Run ``ids`` [B, T], write their keys/values into ``cache`` and return the logits [B, vocab] of
    the position of each row that chooses the next token.

    ``slots`` given: a prefill of new rows into those slots, row b's ``start[b]`` real tokens
    right-padded to T (the padding's keys land beyond the row's length, where nothing reads them
    before a decode step overwrites them). None: a decode step (T = 1) of slots 0..B-1 with
    ``start`` own tokens so far, reading the cache up to ``width`` (default: the longest row + 1,
    which needs the lengths on the host; a CUDA graph passes the whole cache width instead)."""
    b, t = ids.shape
    dev = ids.device
    prefill = slots is not None
    own_pos = (torch.zeros(b, 1, dtype=torch.long, device=dev) if prefill else start[:, None]) + torch.arange(t, device=dev)
    if prefill:
        width = t
    elif width is None:
        width = int(start.max()) + 1
    visible = torch.arange(width, device=dev)[None, None, :] <= own_pos[:, :, None]  # causal, per row
    x = model.embed(ids)
    rot = model.rotary(x, own_pos + offset)
    mask = own_mask(visible, model.heads // model.kv_heads)
    rows = torch.arange(b, device=dev)
    for i in range(model.layers):
        q, k, v = model.project(i, x, rot)
        ck, cv = cache[0][i], cache[1][i]  # [slots, kv, L, d]
        if prefill:  # the rows' own keys are exactly this call's
            ck[slots, :, :t] = k
            cv[slots, :, :t] = v
            own_k, own_v = k, v
        else:  # a decode step: one token per row
            ck[rows, :, start] = k[:, :, 0]
            cv[rows, :, start] = v[:, :, 0]
            own_k, own_v = ck[:b, :, :width], cv[:b, :, :width]
        pk, pv = (prefix[0][i], prefix[1][i]) if prefix is not None else (None, None)
        x = model.finish(i, x, split_attention(q, pk, pv, own_k, own_v, visible, model.scaling[i], mask=mask))
    if not logits:
        return None
    return model.logits(x[rows, start - 1] if prefill else x[:, -1])  # only the positions that choose a token


class DecodeGraph:
    """One decode step over every slot and the whole cache width, captured as a CUDA graph and replayed.

    Static shapes are what a graph needs: all ``slots`` rows decode (rows without an item compute
    values nothing reads) and attention reads the full cache length with the positions beyond each
    row's length masked, which gives the same softmax as the eager step's narrower slice. `step`
    copies the last tokens and lengths in, replays, and returns the next token of every slot."""

    def __init__(self, model: LlamaAdapter, cache: Cache, prefix: Cache | None, offset: int, tokens: torch.Tensor,
                 lengths: torch.Tensor, capture: bool = True):
        """``tokens`` and ``lengths``: the live rows' next inputs, so the warm-up steps write into the cache
        exactly what the first real step writes (the same keys and values at the same positions)."""
        slots, length = cache[0].shape[1], cache[0].shape[3]
        self.tokens = torch.zeros(slots, 1, dtype=torch.long, device=model.device)
        self.lengths = torch.zeros(slots, dtype=torch.long, device=model.device)
        self.tokens[:len(tokens), 0] = tokens
        self.lengths[:len(lengths)] = lengths

        def step() -> torch.Tensor:
            start = self.lengths.clamp(max=length - 1)  # a finished slot's length may sit at the end
            return forward(model, self.tokens, None, start, offset, cache, prefix, width=length).argmax(dim=-1)

        self._step, self.graph = step, None
        if capture:
            # Warm up on a side stream (cuBLAS and the allocator settle), then capture one step.
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):
                for _ in range(2):
                    step()
            torch.cuda.current_stream().wait_stream(side)
            self.graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(self.graph):
                self.out = step()

    def step(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        self.tokens[:len(tokens), 0] = tokens
        self.lengths[:len(lengths)] = lengths
        if self.graph is None:  # the same static-shape step, run eagerly (CPU tests of this path)
            return self._step()
        self.graph.replay()
        return self.out


class SharedPrefixEngine:
    """Greedy continuous-batching decoder over a transformers LlamaForCausalLM (weights not copied).

    ``graphs``: decode through `DecodeGraph` (default: on a CUDA device). ``"eager"`` runs the same
    static-shape step without capturing it (to test that path where there is no GPU)."""

    def __init__(self, model, eos_ids: Sequence[int], graphs: bool | str | None = None):
        self.model = LlamaAdapter(model)
        self.device = self.model.device  # every tensor of a run is made here
        self.vocab, self.dtype = self.model.vocab, self.model.dtype
        self.is_eos = torch.zeros(self.vocab, dtype=torch.bool, device=self.device)
        self.is_eos[[i for i in eos_ids if 0 <= i < self.vocab]] = True
        self.graphs = self.device.type == "cuda" if graphs is None else graphs
        self._prefixes: dict[tuple[int, ...], Cache] = {}

    def tensor(self, data) -> torch.Tensor:
        return torch.tensor(data, dtype=torch.long, device=self.device)

    def cache(self, slots: int, length: int) -> Cache:
        shape = (self.model.layers, slots, self.model.kv_heads, length, self.model.head_dim)
        return (torch.zeros(shape, dtype=self.dtype, device=self.device),
                torch.zeros(shape, dtype=self.dtype, device=self.device))

    @torch.inference_mode()
    def prefix(self, ids: Sequence[int]) -> Cache:
        """Keys and values [layers, kv, P, d] of a shared prefix, computed once and kept."""
        key = tuple(ids)
        if key not in self._prefixes:
            cache = self.cache(1, len(ids))
            if ids:
                forward(self.model, self.tensor([ids]), self.tensor([0]), self.tensor([len(ids)]), 0, cache, None,
                        logits=False)
            self._prefixes[key] = (cache[0][:, 0].contiguous(), cache[1][:, 0].contiguous())
        return self._prefixes[key]

    def decode_graph(self, cache: Cache, prefix: Cache | None, offset: int, tokens: torch.Tensor,
                     lengths: torch.Tensor) -> DecodeGraph | None:
        if not self.graphs:
            return None
        return DecodeGraph(self.model, cache, prefix, offset, tokens, lengths, capture=self.graphs is True)
