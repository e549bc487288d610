"""The synthetic task: a+b= with the sum written least-significant digit first.

Operands are zero-padded to the task's digit count and the sum to one digit more, so every problem
has the same length and the token budget is exact. Writing the sum reversed lets a left-to-right
model produce each digit after the carry it depends on. Held-out pairs are those with (a + 31 b)
divisible by 20 (one pair in 20), so no held-out problem can appear in training, by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

VOCAB = list("0123456789+=") + ["<eos>", "<pad>"]
TOKEN = {t: i for i, t in enumerate(VOCAB)}
EOS, PAD = TOKEN["<eos>"], TOKEN["<pad>"]


@dataclass(frozen=True)
class Problem:
    a: int
    b: int
    digits: int

    @property
    def prompt(self) -> str:
        return f"{self.a:0{self.digits}d}+{self.b:0{self.digits}d}="

    @property
    def answer(self) -> str:
        return f"{self.a + self.b:0{self.digits + 1}d}"[::-1]


def is_heldout(a: int, b: int) -> bool:
    return (a + 31 * b) % 20 == 0


def problems(digits: int, n: int, heldout: bool, seed: int) -> list[Problem]:
    """``n`` distinct problems from one side of the split (deterministic for a seed)."""
    rng = random.Random(f"{seed}-{digits}-{heldout}")
    top = 10 ** digits
    out, seen = [], set()
    while len(out) < n:
        a, b = rng.randrange(top), rng.randrange(top)
        if is_heldout(a, b) == heldout and (a, b) not in seen:
            seen.add((a, b))
            out.append(Problem(a, b, digits))
    return out


def encode(text: str) -> list[int]:
    return [TOKEN[c] for c in text]


def decode(ids: list[int]) -> str:
    """Text of generated ids; a padding token the model emits shows as '_' so it still counts as a token."""
    return "".join("_" if i == PAD else VOCAB[i] for i in ids if i != EOS)
