"""Metrics of one model's outputs on the held-out set: one all-or-nothing, three continuous."""

from __future__ import annotations


def exact_match(prediction: str, answer: str) -> bool:
    """The whole answer right (the metric that tends to look like a phase change)."""
    return prediction == answer


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two token (character) strings."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def token_accuracy(correct: list[bool]) -> float:
    """Share of answer tokens (digits and end mark) the model predicts right given the true prefix."""
    return sum(correct) / len(correct)
