"""The bibliography every evidence row must cite into."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from artifact.errors import EvidenceError


@cache
def reference_keys(path: Path) -> frozenset[str]:
    """BibTeX keys in ``path``; a file pybtex cannot parse is an EvidenceError."""
    from pybtex.database import parse_file
    from pybtex.scanner import PybtexError

    if not path.is_file():
        raise EvidenceError(path, None, None, "bibliography not found")
    try:
        return frozenset(parse_file(str(path), bib_format="bibtex").entries.keys())
    except PybtexError as exc:
        raise EvidenceError(path, getattr(exc, "lineno", None), None, f"cannot parse BibTeX: {exc}") from exc
