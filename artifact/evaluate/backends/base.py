"""What every backend is and returns: the protocol `hf` and `vllm` implement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from artifact.evaluate.prompting import PromptStyle


@dataclass(frozen=True)
class Generation:
    completion: str  # up to (not including) the first stop sequence
    prompt_tokens: int
    completion_tokens: int  # tokens generated before the stop sequence


class Backend(Protocol):
    """A loaded model that completes prompts greedily.

    ``generate`` yields (position in ``questions``, generation) as items finish, in any order, so
    the run can write each one at once; ``batch_size`` is how many items are in flight together and
    never changes what is generated (beyond float rounding)."""

    name: str
    revision: str | None  # what was actually loaded (hub commit, file hash)
    parameters: int | None

    def generate(self, style: PromptStyle, questions: list[str], max_new_tokens: int,
                 batch_size: int) -> Iterator[tuple[int, Generation]]: ...
