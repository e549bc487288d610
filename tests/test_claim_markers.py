"""Markers sit on their sentence: every article claim is marked once in each language, and for every value or
date claim the article's number (or month) appears in the sentence right before its marker. Reads docs/ and
the claim registry only (no site build)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from artifact import paths
from artifact.claims.registry import load_claims
from artifact.evidence.store import Evidence
from artifact.evidence.views import milestone

ARTICLE = paths.REPO_ROOT / "docs" / "article"
MARKER = re.compile(r"\{\{ claim: ([\w-]+) \}\}")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# A claim whose article number is a count the article states in words, not digits.
IN_WORDS = {"complex-prompts-beat-simple-under-shift": {"en": "consistently", "zh": "一直"}}


def pages(lang: str) -> list[Path]:
    return sorted(p for p in ARTICLE.glob("*.md") if p.name.endswith(".zh.md") == (lang == "zh"))


def sentences_before_markers(lang: str) -> dict[str, list[str]]:
    """Claim id -> the text of the sentence (or clause) each of its markers follows, with other markers and
    citations removed; a sentence starts after the previous '.', ';', '。' or '；'."""
    out: dict[str, list[str]] = {}
    for page in pages(lang):
        text = page.read_text(encoding="utf-8").replace("\n", " ")
        for m in MARKER.finditer(text):
            before = MARKER.sub("", text[:m.start()])
            before = re.sub(r"\[@[^\]]*\]", "", before).rstrip()
            cut = max(before.rstrip(".;。；,，").rfind(c) for c in (". ", ";", "。", "；"))
            out.setdefault(m.group(1), []).append(before[cut + 1:].strip())
    return out


def spelled(month: str, lang: str) -> str:
    """'2022-01' -> 'January 2022' / '2022 年 1 月'; a bare year stays as it is."""
    if len(month) == 4:
        return month
    year, m = month.split("-")
    return f"{MONTHS[int(m) - 1]} {year}" if lang == "en" else f"{year} 年 {int(m)} 月"


def article_numbers(ev: Evidence) -> dict[str, str]:
    """Claim id -> the month or number the article states, for every value and date claim."""
    out = {}
    for loc in load_claims(ev):
        t = loc.claim.test
        if t.kind == "value":
            out[loc.claim.id] = ev.row(t.article)["value"]
        elif t.kind == "date":
            out[loc.claim.id] = milestone(ev, t.milestone).article_date
        elif t.kind == "paper-date":
            out[loc.claim.id] = t.article_date
    return out


@pytest.fixture(scope="module")
def claims():
    return [loc.claim for loc in load_claims(Evidence()) if loc.section.section != "lab"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_article_claim_is_marked_once(claims, lang):
    marked = sentences_before_markers(lang)
    assert sorted(c.id for c in claims if c.id not in marked) == []
    assert {k: len(v) for k, v in marked.items() if len(v) > 1} == {}
    assert set(marked) <= {c.id for c in claims}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_value_and_date_markers_follow_the_article_number(lang):
    ev = Evidence()
    marked = sentences_before_markers(lang)
    misplaced = {}
    for claim_id, number in article_numbers(ev).items():
        sentence = marked[claim_id][0]
        wanted = IN_WORDS.get(claim_id, {}).get(lang) or (
            spelled(number, lang) if re.fullmatch(r"\d{4}(-\d{2})?", number) else number)
        if wanted not in sentence.replace(",", "") and wanted not in sentence:
            misplaced[claim_id] = (wanted, sentence)
    assert misplaced == {}


def test_the_check_itself_catches_a_marker_off_its_sentence(tmp_path, monkeypatch):
    page = tmp_path / "x.md"
    page.write_text("GSM8K came out in 2021. Prompting reached 56.6% soon after.\n"
                    "Nothing here.{{ claim: palm-cot-56-6 }}\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ARTICLE", tmp_path)
    assert sentences_before_markers("en") == {"palm-cot-56-6": ["Nothing here."]}  # so 56.6 is not found
