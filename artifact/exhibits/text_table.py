"""Shared builder for the article's own text tables (knowledge-table, paradigm-table)."""

from __future__ import annotations

import pandas as pd

from artifact.evidence.text import TextTable

CITE = {"en": "Source: the article ({location}); wording of this project",
        "zh": "来源：原文（{location}）；文字为本项目所写"}


def frames(doc: TextTable, corner: dict[str, str], lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(localized table, bilingual CSV frame) of a text table."""
    table = pd.DataFrame(
        [[row.label[lang]] + [c[lang] for c in row.cells] for row in doc.rows],
        columns=[corner[lang]] + [c[lang] for c in doc.columns],
    )
    data = pd.DataFrame([
        {"row_en": row.label.en, "row_zh": row.label.zh, "column_en": col.en, "column_zh": col.zh,
         "cell_en": cell.en, "cell_zh": cell.zh, "evidence": f"{doc.source_key}: {doc.location}"}
        for row in doc.rows for col, cell in zip(doc.columns, row.cells)
    ])
    return table, data
