"""Run every claim and report: a table for the terminal, claims.json and a Markdown summary per language."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from artifact.claims.checks import CHECKS
from artifact.claims.registry import CLAIMS_DIR, load_claims
from artifact.display import STATUSES, status_word
from artifact.evidence.store import Evidence
from artifact.numbers import canonical_tree

HEAD = {"en": ("Section", "Claim", "Status", "Why"), "zh": ("章节", "论断", "状态", "理由")}
TITLE = {"en": "Claims of the article, checked against the evidence", "zh": "原文论断与证据核对"}


@dataclass(frozen=True)
class ClaimResult:
    id: str
    section: str
    section_title_en: str
    section_title_zh: str
    text_en: str
    text_zh: str
    exhibits: list[str]
    kind: str
    status: str
    expected: str
    observed: object
    reason_en: str
    reason_zh: str
    evidence: list[str]
    file: str
    line: int | None

    @property
    def as_expected(self) -> bool:
        return self.status == self.expected


def run_claims(evidence: Evidence, folder: Path = CLAIMS_DIR) -> list[ClaimResult]:
    """Check every claim in article order."""
    results = []
    for loc in load_claims(evidence, folder):
        c = loc.claim
        v = CHECKS[c.test.kind](c.test, evidence)
        note_en, note_zh = (f" {c.note.en}", c.note.zh) if c.note else ("", "")
        results.append(ClaimResult(
            c.id, loc.section.section, loc.section.title.en, loc.section.title.zh, c.text.en, c.text.zh,
            list(c.exhibits), c.test.kind, v.status, c.expected, _plain(v.observed), v.reason_en + note_en,
            v.reason_zh + note_zh, list(v.evidence), loc.path.name, loc.line))
    return results


def _plain(value: object) -> object:
    """Observed values as JSON-friendly numbers, strings, lists or dicts."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def counts(results: list[ClaimResult]) -> dict[str, int]:
    c = Counter(r.status for r in results)
    return {s: c.get(s, 0) for s in STATUSES}


def summary_line(results: list[ClaimResult]) -> str:
    return f"{len(results)} claims: " + ", ".join(f"{n} {s}" for s, n in counts(results).items())


def to_json(results: list[ClaimResult], keep: frozenset[float] = frozenset()) -> bytes:
    doc = canonical_tree({"version": 1, "counts": counts(results), "claims": [asdict(r) for r in results]}, keep)
    return (json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(results: list[ClaimResult], lang: str) -> bytes:
    lines = [f"**{TITLE[lang]}**", "", "| " + " | ".join(HEAD[lang]) + " |", "|---|---|---|---|"]
    for r in results:
        section = r.section_title_en if lang == "en" else r.section_title_zh
        text, reason = (r.text_en, r.reason_en) if lang == "en" else (r.text_zh, r.reason_zh)
        lines.append(f"| {_cell(section)} | {_cell(text)} `{r.id}` | {status_word(r.status, lang)} | {_cell(reason)} |")
    tally = counts(results)
    lines += ["", ("; " if lang == "en" else "；").join(f"{status_word(s, lang)}: {n}" for s, n in tally.items())]
    return ("\n".join(lines) + "\n").encode("utf-8")


def outputs(results: list[ClaimResult], keep: frozenset[float] = frozenset()) -> dict[str, bytes]:
    """The report files, keyed by path relative to figures/."""
    return {"claims.json": to_json(results, keep), "en/claims.md": to_markdown(results, "en"),
            "zh/claims.md": to_markdown(results, "zh")}
