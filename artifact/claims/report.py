"""Run every claim and report: a table for the terminal, claims.json and a Markdown summary per language."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from dataclasses import asdict, dataclass
from pathlib import Path

from artifact.claims.checks import CHECKS
from artifact.claims.verdict import fragile, margin_words
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
    quantity: str = ""
    threshold_reason: str = ""
    threshold: float | None = None
    margin: float | None = None
    fragile: bool = False
    margin_en: str = ""
    margin_zh: str = ""

    @property
    def as_expected(self) -> bool:
        return self.status == self.expected


def run_claims(evidence: Evidence, folder: Path = CLAIMS_DIR,
               exhibit_ids: Collection[str] | None = None) -> list[ClaimResult]:
    """Check every claim in article order (``exhibit_ids``: see registry.load_claims)."""
    results = []
    for loc in load_claims(evidence, folder, exhibit_ids):
        c = loc.claim
        v = CHECKS[c.test.kind](c.test, evidence)
        note_en, note_zh = (f" {c.note.en}", c.note.zh) if c.note else ("", "")
        judged = v.status in ("supported", "differs", "contradicted")
        threshold, margin = (v.threshold, v.margin) if judged else (None, None)
        words = margin_words(v.status, threshold, margin, (c.unit.en, c.unit.zh) if c.unit else c.test.UNIT)
        results.append(ClaimResult(
            c.id, loc.section.section, loc.section.title.en, loc.section.title.zh, c.text.en, c.text.zh,
            list(c.exhibits), c.test.kind, v.status, c.expected, _plain(v.observed), v.reason_en + note_en,
            v.reason_zh + note_zh, list(v.evidence), loc.path.name, loc.line,
            quantity=c.test.QUANTITY, threshold_reason=c.threshold_reason or c.test.THRESHOLD_REASON,
            threshold=_rounded(threshold), margin=_rounded(margin), fragile=fragile(threshold, margin),
            margin_en=words[0], margin_zh=words[1]))
    return results


def _rounded(x: float | None) -> float | None:
    # six decimals: enough for every printed number, and no float noise in claims.json
    return None if x is None else round(float(x), 6)


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


def fragile_count(results: list[ClaimResult]) -> int:
    return sum(r.fragile for r in results)


def summary_line(results: list[ClaimResult]) -> str:
    return (f"{len(results)} claims: " + ", ".join(f"{n} {s}" for s, n in counts(results).items())
            + f" ({fragile_count(results)} fragile)")


def to_json(results: list[ClaimResult], keep: frozenset[float] = frozenset()) -> bytes:
    doc = canonical_tree({"version": 2, "counts": counts(results), "fragile": fragile_count(results),
                          "claims": [asdict(r) for r in results]}, keep)
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
    lines += ["", ("; " if lang == "en" else "；").join(f"{status_word(s, lang)}: {n}" for s, n in tally.items())
              + (f"; fragile: {fragile_count(results)}" if lang == "en" else f"；脆弱：{fragile_count(results)}")]
    return ("\n".join(lines) + "\n").encode("utf-8")


def outputs(results: list[ClaimResult], keep: frozenset[float] = frozenset()) -> dict[str, bytes]:
    """The report files, keyed by path relative to figures/."""
    return {"claims.json": to_json(results, keep), "en/claims.md": to_markdown(results, "en"),
            "zh/claims.md": to_markdown(results, "zh")}
