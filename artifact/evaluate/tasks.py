"""GSM8K's registration (the first task); the registry itself is `evaluate/task.py`, re-exported here
for the callers that name tasks through this module."""

from __future__ import annotations

from artifact.evaluate import dataset as gsm8k_data
from artifact.evaluate import extract as gsm8k_extract
from artifact.evaluate import prompting
from artifact.evaluate.task import TASKS, Task, get, register

__all__ = ["GSM8K", "TASKS", "Task", "get", "register"]

GSM8K = register(Task(
    name="gsm8k", splits={"test": "GSM8K test"},
    load=lambda path, split: gsm8k_data.load(gsm8k_data.resolve(path)),
    exemplars=prompting.GSM8K_EXEMPLARS,
    extract=gsm8k_extract.extract, score=gsm8k_extract.is_correct,
    max_new_tokens={"standard": 64, "cot": 256},
))
