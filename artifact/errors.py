"""One hierarchy for every error a user can cause; the CLI turns each into one line and exit 1."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` without control characters (terminal escape sequences, bidi overrides): text from data
    files must not drive the user's terminal. Tabs and newlines stay."""
    return _CONTROLS.sub("", text)


class ArtifactError(Exception):
    """Base of the errors the CLI reports without a traceback."""


class EvidenceError(ArtifactError):
    """An evidence file is malformed: names the file, the line and the field."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, problem: str):
        self.path, self.line, self.field, self.problem = Path(path), line, field, problem
        where = str(path) + (f", line {line}" if line is not None else "")
        what = f", field '{field}'" if field else ""
        super().__init__(f"{where}{what}: {problem}")

    def __reduce__(self):  # rebuilt from its fields when it crosses from a worker process
        return self.__class__, (self.path, self.line, self.field, self.problem)

    @classmethod
    def from_validation(cls, path: Path | str, exc: ValidationError,
                        line: int | Callable[[tuple], int | None] | None = None, tags: frozenset[str] = frozenset()):
        """The first error of a pydantic validation as one of ours: ``line`` is the record's line, or a
        function from the error's location (a tuple of keys and indexes) to the line that holds it;
        ``tags`` are the discriminator values of tagged unions, which pydantic puts into locations but
        which are not fields of the file."""
        err = exc.errors(include_url=False)[0]
        loc = tuple(p for p in err["loc"] if p not in tags)
        field = ".".join(map(str, loc)) or None
        problem = err["msg"].removeprefix("Value error, ")
        # a type error shows the offending scalar; our own validators' messages already name it
        if err["type"] not in ("missing", "extra_forbidden", "value_error", "assertion_error") and (
                err.get("input") is None or isinstance(err.get("input"), (str, int, float, bool))):
            problem += f" (got {_short(err.get('input'))})"
        return cls(path, line(loc) if callable(line) else line, field, problem)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class DataError(EvidenceError):
    """An input data set (GSM8K) is missing or malformed: names the file, line and field."""


class ModelError(ArtifactError):
    """A model cannot be found or loaded."""


class PromptTooLong(ArtifactError):
    """A prompt plus its token cap does not fit the model's context; raised before anything is allocated.
    ``position`` is the prompt's place in the batch the backend was given (the runner names the item)."""

    def __init__(self, position: int, prompt_tokens: int, new_tokens: int, limit: int):
        self.position, self.prompt_tokens, self.new_tokens, self.limit = position, prompt_tokens, new_tokens, limit
        super().__init__(f"prompt {position} is {prompt_tokens:,} tokens (+{new_tokens} to generate); "
                         f"the model's context is {limit:,}")


class RunMismatch(ArtifactError):
    """A run folder holds a run made with a different configuration."""


class ClaimError(EvidenceError):
    """A claim file is malformed or points at an exhibit or evidence row that does not exist."""


class ClaimsMismatch(ArtifactError):
    """A computed claim status differs from the status the registry expects."""


class RegistryError(ArtifactError):
    """An exhibit is registered twice, or names evidence that does not exist."""


class UnknownExhibitError(ArtifactError):
    """A command named an exhibit id that is not in the registry."""


class ManifestError(ArtifactError):
    """figures/manifest.json exists but cannot be read as a manifest."""


class SiteError(ArtifactError):
    """A page names an exhibit, claim section or citation that does not exist, or figures/ lacks a file."""


class CheckFailed(ArtifactError):
    """`reproduce --check` regenerated outputs whose hashes differ from the manifest."""
