"""Shared fixtures: the shipped evidence, a full rebuild in a temporary folder, a repo copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from artifact import paths

GOLDEN = Path(__file__).parent / "evidence"


@pytest.fixture(scope="session", autouse=True)
def model_cache(tmp_path_factory) -> Path:
    """GGUF conversions (`evaluate.converted`) go to a folder of this session, not the user's cache;
    set in the environment, so `evaluate` subprocesses share it."""
    folder = tmp_path_factory.mktemp("model-cache")
    previous = os.environ.get("ARTIFACT_MODEL_CACHE")
    os.environ["ARTIFACT_MODEL_CACHE"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("ARTIFACT_MODEL_CACHE", None)
    else:
        os.environ["ARTIFACT_MODEL_CACHE"] = previous


@pytest.fixture(scope="session")
def bib_keys() -> frozenset[str]:
    from artifact.bib import reference_keys

    return reference_keys(paths.REFERENCES_BIB)


@pytest.fixture(scope="session")
def rebuilt(tmp_path_factory) -> Path:
    """Every exhibit regenerated from scratch into an empty folder (one build for the session)."""
    from artifact.reproduce import reproduce

    out = tmp_path_factory.mktemp("figures")
    reproduce(None, out, force=True, echo=lambda _: None)
    return out


def copy_repo(dest: Path) -> Path:
    """A copy of the package, bibliography and committed figures, runnable on its own."""
    for part in ("artifact", "figures"):
        shutil.copytree(paths.REPO_ROOT / part, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "docs").mkdir()
    shutil.copy(paths.REFERENCES_BIB, dest / "docs" / "references.bib")
    return dest


def run_cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m artifact ...` with ``repo``'s package first on the path."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.run([sys.executable, "-m", "artifact", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def ev():
    """The shipped evidence, fresh per test (tests edit it in memory)."""
    from artifact.evidence.store import Evidence

    return Evidence()


@pytest.fixture(scope="module")
def results():
    """Every claim checked on the shipped evidence (once per test module)."""
    from artifact.claims.report import run_claims
    from artifact.evidence.store import Evidence

    from artifact.exhibits import REGISTRY

    return run_claims(Evidence(), exhibit_ids=frozenset(REGISTRY))
