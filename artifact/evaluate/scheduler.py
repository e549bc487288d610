"""Continuous batching: which item decodes in which slot, and when a slot takes the next item.

The state is in the open: ``lengths`` (own tokens in the cache, per slot), ``produced`` and
``counts`` (tokens generated so far), ``owner`` (the item in each slot, -1 for none), ``live``
(slots 0..live-1 hold items) and the queue of items not started. Live rows stay packed at the front
(a finished row's slot takes the next item, or, when the queue is empty, the last live row), so an
eager decode step reads one slice of the cache and never gathers rows. Stopping is checked with
tensor lookups; only rows whose new token could end a stop string (or the text) reach Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import torch

from artifact.evaluate.engine import NEVER, PREFILL_TOKENS, SharedPrefixEngine, StopRule, forward


class Scheduler:
    def __init__(self, engine: SharedPrefixEngine, prefix_ids: Sequence[int], suffixes: Sequence[Sequence[int]],
                 max_new_tokens: int, slots: int, stop: StopRule):
        self.engine, self.suffixes, self.cap, self.stop = engine, suffixes, max_new_tokens, stop
        self.prefix = engine.prefix(prefix_ids) if prefix_ids else None
        self.offset = len(prefix_ids)
        slots = max(1, min(slots, len(suffixes)))
        self.cache = engine.cache(slots, max(len(s) for s in suffixes) + max_new_tokens)
        dev, vocab = engine.device, engine.vocab
        self.lengths = torch.zeros(slots, dtype=torch.long, device=dev)
        self.produced = torch.zeros(slots, max_new_tokens + 1, dtype=torch.long, device=dev)
        self.counts = torch.zeros(slots, dtype=torch.long, device=dev)
        self.owner = [-1] * slots
        self.live = 0
        self.queue = iter(range(len(suffixes)))
        may_stop = stop.may_stop[:vocab] if len(stop.may_stop) >= vocab else torch.nn.functional.pad(
            stop.may_stop, (0, vocab - len(stop.may_stop)))
        self.may_stop = may_stop.to(dev)
        self.graph = None  # made after the first prefill, so its warm-up sees real rows

    def run(self) -> Iterator[tuple[int, list[int]]]:
        yield from self.fill(list(range(len(self.owner))))
        self.live = self.close_gaps(len(self.owner))
        if self.live:
            index = torch.arange(self.live, device=self.engine.device)
            self.graph = self.engine.decode_graph(self.cache, self.prefix, self.offset,
                                                  self.produced[index, self.counts[:self.live] - 1],
                                                  self.lengths[:self.live])
        while self.live:
            finished = self.decode_until_one_finishes()
            for slot in finished:
                yield self.owner[slot], self.produced[slot, :int(self.counts[slot])].tolist()
            yield from self.fill(finished)
            self.live = self.close_gaps(self.live)

    def done(self, slot: int, token: int, count: int) -> bool:
        return (bool(self.engine.is_eos[token]) or count >= self.cap
                or (bool(self.may_stop[token]) and self.stop.stopped(self.produced[slot, :count].tolist())))

    def fill(self, free: list[int]) -> Iterator[tuple[int, list[int]]]:
        """Start the next items in the free slots, prefilled together (in chunks of similar length); an
        item that stops at once is yielded and its slot takes the next. Slots left without an item (the
        queue is empty) keep owner -1."""
        engine, suffixes = self.engine, self.suffixes
        while free:
            for slot in free:
                self.owner[slot] = -1
            started = sorted(zip(free, self.queue), key=lambda sp: len(suffixes[sp[1]]))  # zip stops at `free`'s end
            free = []
            for chunk in _chunks(started, lambda sp: len(suffixes[sp[1]]), PREFILL_TOKENS):
                width = max(len(suffixes[p]) for _, p in chunk)
                ids = engine.tensor([list(suffixes[p]) + [0] * (width - len(suffixes[p])) for _, p in chunk])
                ends = engine.tensor([len(suffixes[p]) for _, p in chunk])
                where = engine.tensor([slot for slot, _ in chunk])
                first = forward(engine.model, ids, where, ends, self.offset, self.cache, self.prefix).argmax(dim=-1)
                for (slot, position), token, n in zip(chunk, first.tolist(), ends.tolist()):
                    self.lengths[slot], self.counts[slot], self.produced[slot, 0] = n, 1, token
                    self.owner[slot] = position
                    if self.done(slot, token, 1):
                        free.append(slot)
                        yield position, [token]

    def decode_until_one_finishes(self) -> list[int]:
        """Decode steps of the live rows until some row finishes; return the finished slots."""
        live = self.live
        index = torch.arange(live, device=self.engine.device)
        while True:  # membership is fixed meanwhile
            last = self.produced[index, self.counts[:live] - 1]
            if self.graph is not None:
                token = self.graph.step(last, self.lengths[:live])[:live]
            else:
                logits = forward(self.engine.model, last[:, None], None, self.lengths[:live], self.offset, self.cache,
                                 self.prefix)
                token = logits.argmax(dim=-1)
            self.produced[index, self.counts[:live]] = token
            self.lengths[:live] += 1
            self.counts[:live] += 1
            maybe = self.engine.is_eos[token] | (self.counts[:live] >= self.cap) | self.may_stop[token]
            finished = [j for j in maybe.nonzero().flatten().tolist()
                        if self.done(j, int(token[j]), int(self.counts[j]))]
            if finished:
                return finished

    def move(self, src: int, dst: int) -> None:
        """Move a live row to another slot (keys, values and state), so live rows stay in front."""
        n = int(self.lengths[src])
        for part in self.cache:
            part[:, dst, :, :n] = part[:, src, :, :n]
        self.lengths[dst], self.counts[dst] = self.lengths[src], self.counts[src]
        self.produced[dst], self.owner[dst] = self.produced[src], self.owner[src]
        self.owner[src] = -1

    def close_gaps(self, live: int) -> int:
        """Move rows down into slots left empty so live rows fill 0..live-1; return the new live."""
        for slot in sorted((s for s in range(live) if self.owner[s] < 0), reverse=True):
            live -= 1  # from the highest empty slot down, the row moved in from above is live
            if slot != live:
                self.move(live, slot)
        return live


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


@torch.inference_mode()
def generate(engine: SharedPrefixEngine, prefix_ids: Sequence[int], suffixes: Sequence[Sequence[int]],
             max_new_tokens: int, slots: int, stop: StopRule = NEVER) -> Iterator[tuple[int, list[int]]]:
    """Yield (position in ``suffixes``, generated tokens) as each item finishes (any order).

    The tokens end with the end-of-text token when the model produced one; they stop at the token that
    completed a stop string, or after ``max_new_tokens``."""
    if not suffixes:
        return
    yield from Scheduler(engine, prefix_ids, suffixes, max_new_tokens, slots, stop).run()
