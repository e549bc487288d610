"""Typed records for the evidence the project ships.

One pydantic model per record kind; the CSV header of a published-evidence file is exactly
the model's field list (``PUBLISHED_COLUMNS``), so column names are declared once, here.
"""

from __future__ import annotations

import math
import re
from typing import ClassVar, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from artifact.strict import STRICT

NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
ROW_ID = re.compile(r"^[a-z0-9][a-z0-9./-]*$")

PERCENT = re.compile(r"pct|%")  # a metric in percent: its value lies in [0, 100]

Caveat = Literal["", "doubtful", "suspect", "inconsistent", "not-a-paper-cell"]


class PublishedRow(BaseModel):
    """One number printed in a cited paper (or stated in the article), with where it was read."""

    model_config = STRICT
    version: ClassVar[int] = 1

    id: str = Field(description="Stable row id, unique within its file; claims and exhibit CSVs cite it.")
    source_key: str = Field(description="BibTeX key of the source in docs/references.bib.")
    arxiv_id: str = Field(pattern=r"^(\d{4}\.\d{4,5})?$",
                          description="arXiv identifier of the source, blank if it is not on arXiv.")
    arxiv_version: str = Field(description="Which version (or copy) the number was read in.")
    location: str = Field(min_length=1, description="Table, figure or section of the source holding the number.")
    model_family: str = Field(description="Model family as the source groups it (PaLM, GPT-3, ...).")
    model: str = Field(description="Model name as printed.")
    params_billion: float | None = Field(description="Parameters in billions; blank where the source gives none.")
    setting: str = Field(description="Prompting / training setting as printed or described.")
    benchmark: str = Field(description="Benchmark or quantity measured.")
    metric: str = Field(description="Metric and unit.")
    value: str = Field(description="The number exactly as printed (kept as text so '57.0' stays '57.0').")
    caveat: Caveat = Field(description="Blank, or why the cell is doubtful (see the ledger notes).")
    ledger_group: str = Field(description="Which transcription ledger group the row came from.")
    notes: str = Field(description="Transcriber's notes: printed deltas, footnotes, discrepancies.")

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not ROW_ID.match(v):
            raise ValueError(f"{v!r} is not a row id (lower-case letters, digits, '.', '/', '-')")
        return v

    @field_validator("value")
    @classmethod
    def _numeric(cls, v: str) -> str:
        if not NUMBER.match(v):
            raise ValueError(f"{v!r} is not a number")
        if not math.isfinite(float(v)):
            raise ValueError(f"{v!r} is too large to be a finite number")
        return v

    @field_validator("params_billion", mode="before")
    @classmethod
    def _parse_size(cls, v: object) -> object:
        # a CSV cell is text: parse it here, explicitly, since strict mode coerces nothing
        if isinstance(v, str) and not v.strip():
            return None
        if isinstance(v, str):
            if not NUMBER.match(v.strip()):
                raise ValueError(f"{v!r} is not a number")
            return float(v)
        return v

    @field_validator("params_billion")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and (not math.isfinite(v) or v <= 0):
            raise ValueError(f"{v!r} is not a positive finite size")
        return v

    @field_validator("value")
    @classmethod
    def _percent_in_range(cls, v: str, info: ValidationInfo) -> str:
        metric = info.data.get("metric", "")  # declared before value, so already validated
        if PERCENT.search(metric) and not 0 <= float(v) <= 100:
            raise ValueError(f"{v} is not a percentage (0 to 100), though the metric is {metric!r}")
        return v

    @property
    def number(self) -> float:
        """The printed value as a float."""
        return float(self.value)


PUBLISHED_COLUMNS: tuple[str, ...] = tuple(PublishedRow.model_fields)
