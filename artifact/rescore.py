"""How a run's stored verdicts are recomputed when a product reads it: the evaluator's own answer
extraction and scoring, looked up by the task that wrote the run.

It sits above both the evidence readers and the evaluator, and hands the evaluator's definitions to the
evidence layer (``Evidence(scoring=task_scoring)``), so a run whose stored ``correct`` disagrees with its
completion and gold answer is refused, while the evidence layer never imports its producer.
"""

from __future__ import annotations


def task_scoring(task_name: str):
    """(extract, score) of the registered task ``task_name``."""
    from artifact.evaluate.tasks import get

    task = get(task_name)
    return task.extract, task.score
