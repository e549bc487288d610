"""What every backend is and returns: the protocol `hf` and `vllm` implement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from artifact.evaluate.prompting import PromptStyle


@dataclass(frozen=True)
class Generation:
    completion: str  # up to (not including) the first stop sequence
    prompt_tokens: int
    completion_tokens: int  # tokens generated before the stop sequence


@runtime_checkable
class Backend(Protocol):
    """A loaded model that completes prompts greedily; the runner (`run.evaluate`) sees only this.

    A backend is a class registered by name in `backends.BACKENDS` and made as
    ``cls(spec, dtype, tensor_parallel_size, device)``; a new one is one module and one line there.

    ``generate`` yields (position in ``questions``, generation) as items finish, in any order, so
    the run can write each one at once; ``batch_size`` is how many items are in flight together and
    never changes what is generated (beyond float rounding)."""

    name: str
    revision: str | None  # what was actually loaded (hub commit, file hash)
    parameters: int | None

    def generate(self, style: PromptStyle, questions: list[str], max_new_tokens: int,
                 batch_size: int) -> Iterator[tuple[int, Generation]]: ...
