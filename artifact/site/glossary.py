"""Glossary tooltips from the one glossary file: explicit <abbr> markup, so Chinese terms work too
(Material's abbreviations match on word boundaries, which Chinese text does not have)."""

from __future__ import annotations

import csv
import html
import io
import re
from functools import cache

from artifact import paths

# Segments a term must not be wrapped inside: code, links/images, raw HTML tags, directives.
PROTECTED = re.compile(r"(`[^`]*`|!?\[[^\]]*\]\([^)]*\)|<[^>]+>|\{\{[^}]*\}\}|\{[^}]*\})")


@cache
def terms(lang: str) -> list[tuple[str, str]]:
    """(term as written in ``lang``, definition in ``lang``), longest first so 'Chain-of-thought' wins."""
    # The glossary exhibit's CSV (figures/), not the evidence file: the site build reads only figures/.
    text = (paths.FIGURES_DIR / "glossary.csv").read_text(encoding="utf-8")
    pairs = [(t[lang], t[f"definition_{lang}"]) for t in csv.DictReader(io.StringIO(text))]
    return sorted(pairs, key=lambda p: -len(p[0]))


def _pattern(term: str, lang: str) -> re.Pattern:
    if lang == "zh" and not term.isascii():
        return re.compile(re.escape(term))
    return re.compile(r"(?<![\w-])" + re.escape(term) + r"s?(?![\w-])", re.IGNORECASE)


def _wrap_segment(text: str, lang: str, seen: set[str]) -> str:
    """Wrap the first match of each not-yet-seen term in one plain-text segment."""
    spans: list[tuple[int, int, str]] = []
    for term, definition in terms(lang):
        if term in seen:
            continue
        match = _pattern(term, lang).search(text)
        if match and not any(a < match.end() and match.start() < b for a, b, _ in spans):
            spans.append((match.start(), match.end(), definition))
            seen.add(term)
    for start, end, definition in sorted(spans, reverse=True):
        text = (f'{text[:start]}<abbr class="glossary" title="{html.escape(definition)}">'
                f"{text[start:end]}</abbr>{text[end:]}")
    return text


def annotate(markdown: str, lang: str) -> str:
    """Wrap the first use of each glossary term in plain prose with a tooltip."""
    seen: set[str] = set()
    out, fenced = [], False
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or not stripped or stripped.startswith(("#", "|", "<", "!!!", "???", ":::")):
            out.append(line)
            continue
        parts = PROTECTED.split(line)
        out.append("".join(_wrap_segment(p, lang, seen) if i % 2 == 0 else p for i, p in enumerate(parts)))
    return "\n".join(out)
