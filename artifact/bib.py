"""The bibliography (docs/references.bib), parsed once per process and read strictly.

Every evidence row cites into it, the claims name their sources from it, and the site formats its
References and Cite pages from it. Its keys, years and arXiv ids are checked on load (a key is an
identifier, a year four digits, an arXiv id in arXiv's own form), so no field can carry markup into
a page; links are built only from a validated arXiv id or an http(s) ``url`` (``safe_url``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from artifact.errors import EvidenceError
from artifact.strict import read_utf8

if TYPE_CHECKING:
    from pybtex.database import BibliographyData, Entry

KEY = re.compile(r"[A-Za-z][A-Za-z0-9_:-]*")
YEAR = re.compile(r"[0-9]{4}")
ARXIV_ID = re.compile(r"[0-9]{4}\.[0-9]{4,5}|[a-z-]+(\.[A-Z]{2})?/[0-9]{7}")  # 2201.11903, math.GT/0309136
URL_SCHEMES = ("http", "https")


@cache
def parsed(path: Path) -> BibliographyData:
    """The parsed bibliography; a file that cannot be read or parsed, a key that is not an identifier, a
    year that is not four digits or an eprint that is not an arXiv id is an EvidenceError with its line."""
    from pybtex.database import parse_string
    from pybtex.exceptions import PybtexError

    if not path.is_file():
        raise EvidenceError(path, None, None, "bibliography not found")
    text = read_utf8(path).removeprefix("\ufeff")
    try:
        data = parse_string(text, bib_format="bibtex")
    except PybtexError as exc:
        raise EvidenceError(path, getattr(exc, "lineno", None), None, f"cannot parse BibTeX: {exc}") from None
    for key, entry in data.entries.items():
        line = _line_of(text, key)
        if not KEY.fullmatch(key):
            raise EvidenceError(path, line, "key", f"{key!r} is not a citation key (letters, digits, '_', ':', '-')")
        year = entry.fields.get("year", "")
        if year and not YEAR.fullmatch(year):
            raise EvidenceError(path, line, "year", f"{key}: {year!r} is not a four-digit year")
        eprint = entry.fields.get("eprint", "")
        if eprint and not ARXIV_ID.fullmatch(eprint):
            raise EvidenceError(path, line, "eprint", f"{key}: {eprint!r} is not an arXiv id")
    return data


def _line_of(text: str, key: str) -> int | None:
    at = text.find("{" + key + ",")
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def reference_keys(path: Path) -> frozenset[str]:
    """BibTeX keys in ``path``."""
    return frozenset(parsed(path).entries.keys())


@cache
def reference_entries(path: Path) -> dict[str, dict[str, str]]:
    """Per BibTeX key: ``first_author`` (last name, or a group's whole name) and ``eprint`` (arXiv id, or '').
    Claims name their sources the way readers know them ("Wei et al.") and date papers by their arXiv id."""
    out = {}
    for key, entry in parsed(path).entries.items():
        people = entry.persons.get("author", [])
        first = " ".join(people[0].last_names).strip("{}") if people else ""
        if not first:
            first = entry.fields.get("author", "").strip("{}")
        out[key] = {"first_author": first, "eprint": entry.fields.get("eprint", "")}
    return out


def arxiv_url(arxiv_id: str) -> str:
    """https://arxiv.org/abs/<id> for a valid arXiv id (an optional version 'v2' after it); else ''."""
    found = re.fullmatch(r"(.+?)(v[0-9]+)?", arxiv_id)
    return f"https://arxiv.org/abs/{arxiv_id}" if found and ARXIV_ID.fullmatch(found.group(1)) else ""


def safe_url(entry: Entry) -> str:
    """The link of an entry: from its arXiv id when it has one, else its ``url`` if that is a plain http(s)
    address (no quotes, spaces or angle brackets that could leave an attribute); else ''."""
    eprint = entry.fields.get("eprint", "")
    if eprint:
        return arxiv_url(eprint)
    url = entry.fields.get("url", "").strip()
    parts = urlparse(url)
    if parts.scheme.lower() in URL_SCHEMES and parts.netloc and not re.search(r"[\s\"'<>`\\{}|^]", url):
        return url
    return ""
