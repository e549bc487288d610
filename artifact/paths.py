"""Every path the package reads or writes, in one place."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The package is used from its checkout (``pip install -e .``): figures/ and docs/ sit beside it.
REPO_ROOT = PACKAGE_DIR.parent

DATA_DIR = PACKAGE_DIR / "data"
PUBLISHED_DIR = DATA_DIR / "published"
TEXT_DIR = DATA_DIR / "text"
RUNS_DIR = DATA_DIR / "runs"
LAB_DIR = DATA_DIR / "lab"

FIGURES_DIR = REPO_ROOT / "figures"
MANIFEST_NAME = "manifest.json"
DOCS_DIR = REPO_ROOT / "docs"
REFERENCES_BIB = DOCS_DIR / "references.bib"


def display(path: Path) -> str:
    """A path relative to the repository when it lies inside it (stable in messages and manifests)."""
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except (RuntimeError, OSError):  # a symbolic link loop: named as given, made absolute
        return _relative(Path(os.path.abspath(path)))
    except ValueError:
        return str(path)


def _relative(path: Path) -> str:
    try:
        return path.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def evidence_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` that is evidence, sorted: hidden names (locks, a sweep's ``.partial``
    models, temporaries) belong to a run in progress and are never read as evidence."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))
