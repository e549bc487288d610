"""One hierarchy for every error a user can cause; the CLI turns each into one line and exit 1."""

from __future__ import annotations

from pathlib import Path


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


class DataError(EvidenceError):
    """An input data set (GSM8K) is missing or malformed: names the file, line and field."""


class ModelError(ArtifactError):
    """A model cannot be found or loaded."""


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


class CheckFailed(ArtifactError):
    """`reproduce --check` regenerated outputs whose hashes differ from the manifest."""
