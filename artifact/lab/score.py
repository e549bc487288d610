"""Metrics of one model's outputs on the held-out set: one all-or-nothing, three continuous."""

from __future__ import annotations

from artifact.evidence.lab_schema import HIGHER_IS_BETTER, METRICS  # noqa: F401  (the sweep's names, shared)


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


def summarise(predictions: list[dict]) -> dict[str, float]:
    """Mean of each metric over items.

    exact_match: share of greedy answers equal to the answer; token_accuracy: share of answer tokens
    (digits and end mark) predicted right given the true prefix, pooled over items; log_likelihood:
    summed log-probability (nats) of the answer and end mark per item; edit_distance: token edit
    distance from the greedy answer to the answer per item."""
    n = len(predictions)
    tokens = [c for p in predictions for c in p["token_correct"]]
    return {"exact_match": sum(p["exact"] for p in predictions) / n,
            "token_accuracy": sum(tokens) / len(tokens),
            "log_likelihood": sum(p["log_likelihood"] for p in predictions) / n,
            "edit_distance": sum(p["edit_distance"] for p in predictions) / n}


def answer_loss(predictions: list[dict]) -> float:
    """Loss per scored answer token (nats): the summed answer log-likelihoods over the answer tokens
    scored, negated; the cross-entropy a model's training minimises, on held-out problems. (Every answer
    of a task has as many tokens, so the sweep's files need not store it: see evidence.lab.)"""
    return -sum(p["log_likelihood"] for p in predictions) / sum(len(p["token_correct"]) for p in predictions)
