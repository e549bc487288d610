"""The task registry: what a fresh run evaluates (data set, exemplars, extraction, scoring, caps).

A task is data, not a subclass: the runner (`evaluate/run.py`) reads these fields and nothing else
task-specific, so a new task is one `register(Task(...))` call. GSM8K is the first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from artifact.errors import ArtifactError
from artifact.evaluate import dataset as gsm8k_data
from artifact.evaluate import extract as gsm8k_extract
from artifact.evaluate import prompting


@dataclass(frozen=True)
class Task:
    name: str  # recorded in run.json; exhibits filter runs by it
    title: str  # the data set's name, recorded in the run configuration
    load: Callable[[Path | None], gsm8k_data.Dataset]  # --data (or None: the task's default source)
    styles: dict[str, Callable[[int], prompting.PromptStyle]]  # prompting name -> builder(shots)
    extract: Callable[[str], gsm8k_extract.Extraction]
    score: Callable[[str | None, str], bool]  # (extracted answer, gold) -> correct
    max_new_tokens: dict[str, int] = field(default_factory=dict)  # per prompting style


TASKS: dict[str, Task] = {}


def register(task: Task) -> Task:
    if task.name in TASKS:
        raise ArtifactError(f"task {task.name!r} is registered twice")
    missing = set(task.styles) - set(task.max_new_tokens)
    if missing:
        raise ArtifactError(f"task {task.name!r} has no token cap for {', '.join(sorted(missing))}")
    TASKS[task.name] = task
    return task


def get(name: str) -> Task:
    if name not in TASKS:
        raise ArtifactError(f"unknown task {name!r}; registered: {', '.join(sorted(TASKS))}")
    return TASKS[name]


GSM8K = register(Task(
    name="gsm8k", title="GSM8K test",
    load=lambda path: gsm8k_data.load(gsm8k_data.resolve(path)),
    styles=dict(prompting.STYLES),
    extract=gsm8k_extract.extract, score=gsm8k_extract.is_correct,
    max_new_tokens={"standard": 64, "cot": 256},
))
