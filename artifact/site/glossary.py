"""Glossary tooltips from the one glossary file: explicit <abbr> markup, so Chinese terms work too
(Material's abbreviations match on word boundaries, which Chinese text does not have)."""

from __future__ import annotations

import csv
import io
import re
from functools import cache

from artifact import paths
from artifact.site.templating import href, markdown_safe

# Segments a term must not be wrapped inside: code, links/images, raw HTML tags, directives.
PROTECTED = re.compile(r"(`[^`]*`|!?\[[^\]]*\]\([^)]*\)|<[^>]+>|\{\{[^}]*\}\}|\{[^}]*\})")


@cache
def terms(lang: str) -> list[tuple[str, str, str]]:
    """(term as written in ``lang``, definition in ``lang``, English term), longest first so
    'Chain-of-thought' wins."""
    # The glossary exhibit's CSV (figures/), not the evidence file: the site build reads only figures/.
    text = (paths.FIGURES_DIR / "glossary.csv").read_text(encoding="utf-8")
    pairs = [(t[lang], t[f"definition_{lang}"], t["en"]) for t in csv.DictReader(io.StringIO(text))]
    return sorted(pairs, key=lambda p: -len(p[0]))


def _pattern(term: str, lang: str) -> re.Pattern:
    if lang == "zh" and not term.isascii():
        return re.compile(re.escape(term))
    return re.compile(r"(?<![\w-])" + re.escape(term) + r"s?(?![\w-])", re.IGNORECASE)


def anchor(term_en: str) -> str:
    """The glossary page's anchor for a term (from its English name, the same in both languages)."""
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term_en.lower()).strip("-")


def _wrap_segment(text: str, lang: str, seen: set[str], page_src: str) -> str:
    """Wrap the first match of each not-yet-seen term in one plain-text segment."""
    spans: list[tuple[int, int, str, str]] = []
    for term, definition, term_en in terms(lang):
        if term in seen:
            continue
        match = _pattern(term, lang).search(text)
        if match and not any(a < match.end() and match.start() < b for a, b, _, _ in spans):
            spans.append((match.start(), match.end(), definition, term_en))
            seen.add(term)
    for start, end, definition, term_en in sorted(spans, reverse=True):
        # The definition comes from data: escaped for HTML and for Markdown (it sits in inline HTML).
        url = href(page_src, "glossary.md", anchor(term_en))
        # data-tip, not title: site.js shows it on hover, keyboard focus and touch (a title shows on
        # hover only) and names it as the link's description.
        text = (f'{text[:start]}<a class="glossary-link" href="{url}" data-tip="{markdown_safe(definition)}">'
                f'<abbr class="glossary">{text[start:end]}</abbr></a>{text[end:]}')
    return text


def annotate(markdown: str, lang: str, page_src: str = "index.md") -> str:
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
        out.append("".join(_wrap_segment(p, lang, seen, page_src) if i % 2 == 0 else p for i, p in enumerate(parts)))
    return "\n".join(out)
