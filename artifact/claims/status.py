"""The five claim statuses, in report order (a module of its own so the CLI can name them without
importing pydantic, pandas or the checkers)."""

from __future__ import annotations

from typing import Literal

Status = Literal["supported", "differs", "contradicted", "unverified", "not checkable"]
STATUSES: tuple[Status, ...] = ("supported", "differs", "contradicted", "unverified", "not checkable")
