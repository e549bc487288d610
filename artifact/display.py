"""The words readers see for the project's codes, in English and Chinese, one table each: the claim
statuses (word and mark) and how a paper is named ('Wei et al.' / 'Wei 等').

A utility: the claims report, the CLI, the exhibits and the MkDocs package all read these tables, so
a word changed here changes everywhere at once. It imports nothing heavy (a no-op ``reproduce`` names
the statuses through it).
"""

from __future__ import annotations

from typing import Literal

Status = Literal["supported", "differs", "contradicted", "unverified", "not checkable"]
STATUSES: tuple[Status, ...] = ("supported", "differs", "contradicted", "unverified", "not checkable")
"""The five claim statuses, in report order."""

STATUS_WORDS: dict[str, dict[str, str]] = {
    "supported": {"en": "supported", "zh": "成立", "mark": "✓"},
    "differs": {"en": "differs", "zh": "有出入", "mark": "≈"},
    "contradicted": {"en": "contradicted", "zh": "不成立", "mark": "✗"},
    "unverified": {"en": "unverified", "zh": "无法核实", "mark": "?"},
    "not checkable": {"en": "not checkable", "zh": "不可检验", "mark": "–"},
}


def status_word(status: str, lang: str) -> str:
    """A status as readers of ``lang`` read it ('differs' / '有出入')."""
    return STATUS_WORDS[status][lang]


def status_mark(status: str) -> str:
    """The one-character mark shown beside a claim ('✓', '≈', ...)."""
    return STATUS_WORDS[status]["mark"]


ET_AL = {"en": " et al.", "zh": " 等"}
THE_ARTICLE = {"en": "the article", "zh": "原文"}


GROUP_AUTHORS = frozenset({"OpenAI", "MIT LINGO group"})
"""Organisations that author a source: cited by name alone, never 'et al.'."""


def paper_name(first_author: str, lang: str, *, several_authors: bool = True) -> str:
    """A paper the way readers name it: 'Wei et al.' / 'Wei 等'; a single author or a group alone ('Cobbe')."""
    return first_author + (ET_AL[lang] if several_authors and first_author not in GROUP_AUTHORS else "")
