"""Text evidence: the article's own tables, the glossary and the worked example (YAML).

Each file has a pydantic model; a bad file raises EvidenceError with the YAML line of the
offending field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, ValidationError

from artifact.errors import EvidenceError
from artifact.strict import STRICT, line_of, load_yaml

ROW_REF = r"^[a-z0-9_]+:[a-z0-9][a-z0-9./-]*$"  # '<published file stem>:<row id>'


class Bilingual(BaseModel):
    """A short text in English and Simplified Chinese."""

    model_config = STRICT
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def __getitem__(self, lang: str) -> str:
        return getattr(self, lang)


class BilingualSteps(BaseModel):
    """Steps of a worked solution, in English and Simplified Chinese (the exhibit shows both)."""

    model_config = STRICT
    en: list[str] = Field(min_length=1)
    zh: list[str] = Field(min_length=1)

    def __getitem__(self, lang: str) -> list[str]:
        return getattr(self, lang)


class _Doc(BaseModel):
    model_config = STRICT
    source_key: str = Field(description="BibTeX key of the work the text comes from.")
    location: str = Field(description="Where in that work.")


class Term(BaseModel):
    model_config = STRICT
    en: str
    zh: str
    article_table: bool = Field(description="True for the nine terms of the article's own glossary table.")
    definition_en: str
    definition_zh: str


class Glossary(_Doc):
    version: int = 1
    terms: list[Term] = Field(min_length=1)


class TableRow(BaseModel):
    model_config = STRICT
    label: Bilingual
    cells: list[Bilingual]


class TextTable(_Doc):
    """A small table of the article's own (no numbers): row label x columns."""

    version: int = 1
    columns: list[Bilingual] = Field(min_length=1)
    rows: list[TableRow] = Field(min_length=1)


class WorkedExample(BaseModel):
    model_config = STRICT
    version: int = 1
    source_key: str
    dataset: str
    dataset_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    index: int = Field(ge=0, description="0-based line index in the data set's test.jsonl.")
    question: str
    reference_solution: str
    answer: float
    question_zh: str
    chain_of_thought: BilingualSteps


class Milestone(BaseModel):
    model_config = STRICT
    key: str
    origin: str = Field(description="BibTeX key of the work that first reported the milestone.")
    origin_arxiv_id: str = Field(pattern=r"^\d{4}\.\d{4,5}$", description="Its arXiv id (first submission month).")
    article_date: str = Field(pattern=r"^\d{4}-\d{2}$", description="Month the article gives (YYYY-MM).")
    model_paper: str | None = Field(None, description="BibTeX key of the paper introducing the model the number "
                                                      "is on: the number cannot be public before that paper.")
    label: Bilingual
    article_row: str = Field(pattern=ROW_REF, description="'<file stem>:<row id>' of the article's own number.")
    source_rows: list[Annotated[str, Field(pattern=ROW_REF)]] = Field(min_length=1, description="Rows of the cited papers printing the number.")


class Progress(_Doc):
    version: int = 1
    milestones: list[Milestone] = Field(min_length=1)


class Shift(BaseModel):
    model_config = STRICT
    shift: Bilingual
    article_term: Bilingual
    datasets: str


class MissingTable(_Doc):
    version: int = 1
    missing: Bilingual
    shifts: list[Shift]


TEXT_MODELS: dict[str, type[BaseModel]] = {
    "glossary": Glossary,
    "knowledge_table": TextTable,
    "paradigm_table": TextTable,
    "gsm8k_example": WorkedExample,
    "gsm8k_progress": Progress,
    "si_ood": MissingTable,
}


def load_text(path: Path, known_sources: frozenset[str]) -> BaseModel:
    """The validated model of one text-evidence file (its stem picks the model)."""
    model = TEXT_MODELS.get(path.stem)
    if model is None:
        raise EvidenceError(path, None, None, f"no schema for text evidence '{path.stem}' (known: {', '.join(TEXT_MODELS)})")
    node, data = load_yaml(path)
    try:
        doc = model.model_validate(data)
    except ValidationError as exc:
        raise EvidenceError.from_validation(path, exc, lambda loc: line_of(node, loc)) from None
    key = getattr(doc, "source_key", None)
    if key is not None and key not in known_sources:
        raise EvidenceError(path, line_of(node, ("source_key",)), "source_key", f"{key!r} is not a key in the bibliography")
    if isinstance(doc, TextTable):  # the table builder puts one cell under each column
        for i, row in enumerate(doc.rows):
            if len(row.cells) != len(doc.columns):
                raise EvidenceError(path, line_of(node, ("rows", i, "cells")), f"rows.{i}.cells",
                                    f"{len(row.cells)} cells for {len(doc.columns)} columns")
    return doc
