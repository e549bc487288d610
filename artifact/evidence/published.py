"""Load published-number CSVs into typed rows, stopping at the first bad cell."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from artifact.errors import EvidenceError
from artifact.evidence.schema import PUBLISHED_COLUMNS, PublishedRow


def load_published(path: Path, known_sources: frozenset[str]) -> list[PublishedRow]:
    """Rows of one published-evidence file, validated against the schema and the bibliography."""
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as exc:
        raise EvidenceError(path, None, None, f"cannot read: {exc.strerror}") from exc
    with f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        missing = [c for c in PUBLISHED_COLUMNS if c not in header]
        if missing:
            raise EvidenceError(path, 1, missing[0], "required column is missing from the header")
        unknown = [c for c in header if c not in PUBLISHED_COLUMNS]
        if unknown:
            raise EvidenceError(path, 1, unknown[0], "unknown column (expected: " + ", ".join(PUBLISHED_COLUMNS) + ")")
        rows: list[PublishedRow] = []
        first_line: dict[str, int] = {}
        for record in reader:
            line = reader.line_num
            if None in record or any(v is None for v in record.values()):
                raise EvidenceError(path, line, None, f"expected {len(header)} cells")
            try:
                row = PublishedRow(**record)
            except ValidationError as exc:
                err = exc.errors()[0]
                field = str(err["loc"][0]) if err["loc"] else None
                raise EvidenceError(path, line, field, err["msg"].removeprefix("Value error, ")) from None
            if row.id in first_line:
                raise EvidenceError(path, line, "id", f"duplicate id {row.id!r} (first on line {first_line[row.id]})")
            if row.source_key not in known_sources:
                raise EvidenceError(path, line, "source_key", f"{row.source_key!r} is not a key in the bibliography")
            first_line[row.id] = line
            rows.append(row)
    if not rows:
        raise EvidenceError(path, None, None, "no rows")
    return rows


def published_frame(rows: list[PublishedRow]) -> pd.DataFrame:
    """Rows as a DataFrame indexed by id, with the printed value parsed into ``number``."""
    frame = pd.DataFrame([r.model_dump() for r in rows], columns=list(PUBLISHED_COLUMNS))
    frame["number"] = [r.number for r in rows]
    return frame.set_index("id", drop=False)
