"""The synthetic task: a+b= with the sum written least-significant digit first.

The cot preset's task is the same addition with the sum written as usual, most significant digit first,
in one of two target formats: ``direct`` (question -> sum) and ``scratchpad`` (question -> the total of
each column from the units up, carry included, as two digits -> '=' -> sum). Written first, the sum's
leading digit depends on every carry below it; the scratchpad computes those carries one column at a
time, so each token needs only the previous step and two operand digits.

Operands are zero-padded to the task's digit count and the sum to one digit more, so every problem
has the same length and the token budget is exact. Writing the sum reversed lets a left-to-right
model produce each digit after the carry it depends on. Held-out pairs are those with (a + 31 b)
divisible by 20 (one pair in 20), so no held-out problem can appear in training, by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from artifact.evidence.lab_schema import FORMATS  # noqa: F401  (the cot task's target formats)

VOCAB = list("0123456789+=") + ["<eos>", "<pad>"]
TOKEN = {t: i for i, t in enumerate(VOCAB)}
EOS, PAD = TOKEN["<eos>"], TOKEN["<pad>"]




@dataclass(frozen=True)
class Problem:
    a: int
    b: int
    digits: int
    form: str | None = None  # None: the classic task (reversed sum); else one of FORMATS

    @property
    def prompt(self) -> str:
        return f"{self.a:0{self.digits}d}+{self.b:0{self.digits}d}="

    @property
    def answer(self) -> str:
        """The final answer, the only part scored."""
        total = f"{self.a + self.b:0{self.digits + 1}d}"
        return total[::-1] if self.form is None else total

    @property
    def steps(self) -> str:
        """What the target writes before the answer: the scratchpad's column totals and '=' (else nothing)."""
        if self.form != "scratchpad":
            return ""
        out, carry = [], 0
        for i in range(self.digits):
            column = (self.a // 10 ** i) % 10 + (self.b // 10 ** i) % 10 + carry
            out.append(f"{column:02d}")
            carry = column // 10
        return "".join(out) + "="

    @property
    def target(self) -> str:
        return self.steps + self.answer


def final_answer(continuation: str) -> str:
    """The answer part of a generated target: what follows its last '=' (all of it when there is none)."""
    return continuation.rsplit("=", 1)[-1]


def is_heldout(a: int, b: int) -> bool:
    return (a + 31 * b) % 20 == 0


def problems(digits: int, n: int, heldout: bool, seed: int, form: str | None = None) -> list[Problem]:
    """``n`` distinct problems from one side of the split (deterministic for a seed; the same pairs in every
    format, and the first ``n`` of a longer draw are the ``n`` of a shorter one)."""
    rng = random.Random(f"{seed}-{digits}-{heldout}")
    top = 10 ** digits
    out, seen = [], set()
    while len(out) < n:
        a, b = rng.randrange(top), rng.randrange(top)
        if is_heldout(a, b) == heldout and (a, b) not in seen:
            seen.add((a, b))
            out.append(Problem(a, b, digits, form))
    return out


def encode(text: str) -> list[int]:
    return [TOKEN[c] for c in text]


def decode(ids: list[int]) -> str:
    """Text of generated ids; a padding token the model emits shows as '_' so it still counts as a token."""
    return "".join("_" if i == PAD else VOCAB[i] for i in ids if i != EOS)
