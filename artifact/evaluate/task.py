"""The task registry: what a fresh run evaluates. A task is data, not code in the runner.

A registration holds everything task-specific: how to load each split of its data set, its
exemplars file, its question/answer template (with the stop strings), the prompting styles it
offers, its answer extraction and scoring, and the token cap per style. The runner
(`evaluate/run.py`), the run records (`evidence/runs.py`) and the CLI read these fields and nothing
else, so a new task is one module that calls `register(Task(...))` (see `symbolic.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from artifact.errors import ArtifactError
from artifact.evaluate import prompting
from artifact.evaluate.dataset import Dataset
from artifact.evaluate.extract import Extraction


@dataclass(frozen=True)
class Task:
    name: str  # recorded in run.json; exhibits filter runs by it
    splits: dict[str, str]  # split name -> the data set's title recorded in the run configuration
    load: Callable[[Path | None, str], Dataset]  # (--data or None for the task's own source, split)
    exemplars: Path  # YAML: source_key, location, exemplars (question, chain, answer)
    extract: Callable[[str], Extraction]
    score: Callable[[str | None, str], bool]  # (extracted answer, gold) -> correct
    max_new_tokens: dict[str, int]  # per prompting style; its keys are the styles the task offers
    template: prompting.Template = prompting.Template()

    @property
    def styles(self) -> tuple[str, ...]:
        return tuple(self.max_new_tokens)

    @property
    def default_split(self) -> str:
        return next(iter(self.splits))

    @property
    def shots(self) -> int:
        """Exemplars in the file: the default number of shots."""
        return len(prompting.load_exemplars(self.exemplars).exemplars)

    def style(self, name: str, shots: int | None = None) -> prompting.PromptStyle:
        if name not in self.max_new_tokens:
            raise ArtifactError(f"task {self.name!r} has no prompting style {name!r}; it has {', '.join(self.styles)}")
        chosen = prompting.load_exemplars(self.exemplars)
        shots = len(chosen.exemplars) if shots is None else shots
        if not 1 <= shots <= len(chosen.exemplars):
            raise ArtifactError(f"--shots {shots}: task {self.name!r} has {len(chosen.exemplars)} exemplars "
                                f"(choose 1 to {len(chosen.exemplars)})")
        return prompting.build(name, chosen, self.template, shots)

    def title(self, split: str) -> str:
        if split not in self.splits:
            raise ArtifactError(f"task {self.name!r} has no split {split!r}; it has {', '.join(self.splits)}")
        return self.splits[split]


TASKS: dict[str, Task] = {}


def register(task: Task) -> Task:
    if task.name in TASKS:
        raise ArtifactError(f"task {task.name!r} is registered twice")
    unknown = set(task.max_new_tokens) - set(prompting.WITH_CHAIN)
    if unknown:
        raise ArtifactError(f"task {task.name!r}: unknown prompting style {', '.join(sorted(unknown))}; "
                            f"known: {', '.join(prompting.WITH_CHAIN)}")
    if not task.splits:
        raise ArtifactError(f"task {task.name!r} has no split")
    TASKS[task.name] = task
    return task


def get(name: str) -> Task:
    _builtins()
    if name not in TASKS:
        raise ArtifactError(f"unknown task {name!r}; registered: {', '.join(sorted(TASKS))}")
    return TASKS[name]


BUILTIN_MODULES = ("artifact.evaluate.tasks", "artifact.evaluate.symbolic")
"""The modules whose import registers the tasks that ship with the project (GSM8K; last-letters and
coin-flip). Imported by name on first use, so a task module may import this registry without a cycle."""


def _builtins() -> None:
    for module in BUILTIN_MODULES:
        import_module(module)
