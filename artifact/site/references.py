"""In-text citations ([@key]) and the references page, from docs/references.bib via pybtex."""

from __future__ import annotations

import html
import re
from functools import cache

from artifact.display import ET_AL, paper_name
from artifact.errors import SiteError
from artifact import paths

CITE = re.compile(r"\[@([\w:-]+(?:\s*;\s*@[\w:-]+)*)\]")


@cache
def bibliography():
    from pybtex.database import parse_file

    return parse_file(str(paths.REFERENCES_BIB), bib_format="bibtex")


def _short(key: str, lang: str = "en") -> str:
    """'Cobbe et al. 2021' in English, 'Cobbe 等, 2021' in Chinese."""
    entry = bibliography().entries[key]
    first = entry.persons.get("author", [None])[0]
    last = " ".join(first.last_names) if first else key
    year = entry.fields.get("year", "")
    sep = ", " if lang == "zh" and year else " "
    return f"{paper_name(last, lang, several_authors=len(entry.persons.get('author', [])) > 1)}{sep}{year}".strip()


def link_citations(markdown: str, references_href: str, lang: str = "en") -> str:
    """Replace [@key] (or [@a; @b]) with links to the references page; unknown keys raise SiteError."""
    def one(match: re.Match) -> str:
        keys = [k.strip().lstrip("@") for k in match.group(1).split(";")]
        unknown = [k for k in keys if k not in bibliography().entries]
        if unknown:
            raise SiteError(f"unknown citation key {unknown[0]!r} (not in docs/references.bib)")
        open_, close, sep = ("（", "）", "；") if lang == "zh" else ("(", ")", "; ")
        return open_ + sep.join(f"[{_short(k, lang)}]({references_href}#{k})" for k in keys) + close

    if lang == "zh":  # '发布 [@x]' -> '发布（…）': no space before a full-width bracket
        return re.sub(r"[ \t]*\n?[ \t]*" + CITE.pattern, one, markdown)
    return CITE.sub(one, markdown)


def references_list(lang: str) -> str:
    """Every entry, formatted by pybtex, with its anchor, the article's reference numbers and a link."""
    from pybtex.plugin import find_plugin

    style = find_plugin("pybtex.style.formatting", "unsrt")()
    backend = find_plugin("pybtex.backends", "html")()
    data = bibliography()
    label = {"en": "article reference", "zh": "原文参考文献"}[lang]
    items = []
    for entry in style.format_entries(data.entries.values()):
        fields = data.entries[entry.key].fields
        nums = fields.get("refnum", "")
        url = fields.get("url", "")
        text = entry.text.render(backend)
        if lang == "zh":  # pybtex writes English connectives; the bibliography's own words stay as they are
            text = text.replace(" and others", ET_AL["zh"]).replace("Blog post", "博客文章")
        extra = f' <span class="refnum">[{label} {html.escape(nums)}]</span>' if nums else ""
        link = f' <a href="{html.escape(url)}">{html.escape(url)}</a>' if url else ""
        items.append(f'<li id="{entry.key}"><code>{entry.key}</code> {text}{extra}{link}</li>')
    return '<ol class="references">\n' + "\n".join(items) + "\n</ol>"
