"""The exhibit registry: every table and figure of the article, by stable id, in article order.

A builder is a pure function ``(evidence, lang) -> Chart | Table``; ``register`` checks its
inputs exist when the module is imported, so a misspelt dependency fails at once.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

import pandas as pd

from artifact import paths
from artifact.errors import RegistryError
from artifact.evidence.store import Evidence, evidence_path

LANGS: tuple[str, ...] = ("en", "zh")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Chart:
    """A built chart: the Altair chart, the numbers it plots, and an optional note."""

    chart: object  # an altair TopLevel chart; typed loosely so altair stays out of this module
    data: pd.DataFrame
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A built table: the localized table to show, the numbers (or cells) for the CSV, a note."""

    table: pd.DataFrame
    data: pd.DataFrame
    source: str = ""
    note: str = ""


Built = Chart | Table
Builder = Callable[[Evidence, str], Built]


@dataclass(frozen=True)
class Exhibit:
    id: str
    kind: Literal["chart", "table"]
    title_en: str
    title_zh: str
    inputs: tuple[str, ...]
    build: Builder
    module_file: Path
    alt_en: str = ""  # what a chart shows, for readers who cannot see it (the img alt text)
    alt_zh: str = ""

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def alt(self, lang: str) -> str:
        return (self.alt_zh if lang == "zh" else self.alt_en) or self.title(lang)

    def input_files(self) -> list[Path]:
        files = []
        for e in self.inputs:
            path = evidence_path(e)
            files += paths.evidence_files(path) if path.is_dir() else [path]
        return files


REGISTRY: dict[str, Exhibit] = {}


def register(id: str, *, kind: Literal["chart", "table"], title_en: str, title_zh: str,
             inputs: tuple[str, ...], alt_en: str = "", alt_zh: str = "") -> Callable[[Builder], Builder]:
    """Decorator: validate the exhibit's id and inputs, then add it to ``REGISTRY``."""

    if not ID.match(id):
        raise RegistryError(f"exhibit id {id!r} is not lower-case-hyphenated")
    if id in REGISTRY:
        raise RegistryError(f"exhibit {id!r} is registered twice")
    if kind not in ("chart", "table"):
        raise RegistryError(f"exhibit {id!r}: kind must be 'chart' or 'table', not {kind!r}")
    if not title_en or not title_zh:
        raise RegistryError(f"exhibit {id!r} needs both an English and a Chinese title")
    for e in inputs:
        evidence_path(e)
    if kind == "chart" and not (alt_en and alt_zh):
        raise RegistryError(f"chart {id!r} needs alt_en and alt_zh: what it shows, in words")

    def add(build: Builder) -> Builder:
        REGISTRY[id] = Exhibit(id, kind, title_en, title_zh, tuple(inputs), build,
                               Path(inspect.getfile(build)).resolve(), alt_en, alt_zh)
        return build

    return add
