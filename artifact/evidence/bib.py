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


@cache
def reference_entries(path: Path) -> dict[str, dict[str, str]]:
    """Per BibTeX key: ``first_author`` (last name, or a group's whole name) and ``eprint`` (arXiv id, or '').
    Claims name their sources the way readers know them ("Wei et al.") and date papers by their arXiv id."""
    from pybtex.database import parse_file

    reference_keys(path)  # the same clear error for a missing or unparsable file
    out = {}
    for key, entry in parse_file(str(path), bib_format="bibtex").entries.items():
        people = entry.persons.get("author", [])
        first = " ".join(people[0].last_names).strip("{}") if people else ""
        if not first:
            first = entry.fields.get("author", "").strip("{}")
        out[key] = {"first_author": first, "eprint": entry.fields.get("eprint", "")}
    return out
