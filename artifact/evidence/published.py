"""Load published-number CSVs into typed rows, stopping at the first bad cell."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from artifact.errors import EvidenceError
from artifact.evidence.expectations import check_expectations
from artifact.evidence.schema import PUBLISHED_COLUMNS, PublishedRow
from artifact.strict import csv_records, read_utf8


def load_published(path: Path, known_sources: frozenset[str]) -> list[PublishedRow]:
    """Rows of one published-evidence file, validated against the schema and the bibliography."""
    rows: list[PublishedRow] = []
    first_line: dict[str, int] = {}
    for line, record in csv_records(path, read_utf8(path), PUBLISHED_COLUMNS):
        try:
            row = PublishedRow.model_validate(record)
        except ValidationError as exc:
            raise EvidenceError.from_validation(path, exc, line) from None
        if row.id in first_line:
            raise EvidenceError(path, line, "id", f"duplicate id {row.id!r} (first on line {first_line[row.id]})")
        if row.source_key not in known_sources:
            raise EvidenceError(path, line, "source_key", f"{row.source_key!r} is not a key in the bibliography")
        first_line[row.id] = line
        rows.append(row)
    if not rows:
        raise EvidenceError(path, None, None, "no rows")
    check_expectations(path, rows, first_line)
    return rows


def published_frame(rows: list[PublishedRow]) -> pd.DataFrame:
    """Rows as a DataFrame indexed by id, with the printed value parsed into ``number``."""
    frame = pd.DataFrame([r.model_dump() for r in rows], columns=list(PUBLISHED_COLUMNS))
    frame["number"] = [r.number for r in rows]
    return frame.set_index("id", drop=False)
