"""The bibliography every evidence row must cite into."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from artifact.errors import EvidenceError
from artifact.evidence.strict import read_utf8


@cache
def reference_keys(path: Path) -> frozenset[str]:
    """BibTeX keys in ``path``; a file pybtex cannot parse is an EvidenceError."""
    from pybtex.database import parse_string
    from pybtex.exceptions import PybtexError

    if not path.is_file():
        raise EvidenceError(path, None, None, "bibliography not found")
    text = read_utf8(path)
    try:
        return frozenset(parse_string(text, bib_format="bibtex").entries.keys())
    except PybtexError as exc:
        raise EvidenceError(path, getattr(exc, "lineno", None), None, f"cannot parse BibTeX: {exc}") from exc
