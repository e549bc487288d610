"""In-text citations ([@key]) and the references page, from docs/references.bib via pybtex."""

from __future__ import annotations

import html
import re
from functools import cache

from artifact.errors import SiteError
from artifact import paths

CITE = re.compile(r"\[@([\w:-]+(?:\s*;\s*@[\w:-]+)*)\]")


@cache
def bibliography():
    from pybtex.database import parse_file

    return parse_file(str(paths.REFERENCES_BIB), bib_format="bibtex")


ET_AL = {"en": " et al.", "zh": " 等"}
# New-style (2201.11903) and old-style (hep-th/9901001) arXiv identifiers, without a version.
ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})$")
# The evidence's version field is the transcriber's free text ("v6", "v2 (inferred: ...)", "not shown in
# copies"): only a plain stated version is shown to readers; a guessed one is not.
STATED_VERSION = re.compile(r"^(v\d+)(?![\w])(?!.*\b(?:inferred|probably|unverified)\b)")


def arxiv(arxiv_id: str, version_field: str = "") -> tuple[str, str]:
    """(URL, label) of an arXiv paper: the URL from the id alone, validated ('' for a malformed id), the
    label 'arXiv 2201.11903v6' with the version only where the evidence states one."""
    arxiv_id = arxiv_id.strip()
    if not ARXIV_ID.match(arxiv_id):
        return "", ""
    return f"https://arxiv.org/abs/{arxiv_id}", f"arXiv {arxiv_id}{stated_version(version_field)}"


def stated_version(version_field: str) -> str:
    """'v6' where the evidence states the version plainly, else ''."""
    match = STATED_VERSION.match(version_field.strip())
    return match.group(1) if match else ""


@cache
def _year_suffixes() -> dict[str, str]:
    """'a'/'b' for works that share a first author and year (Wei et al. 2022a, 2022b), in title order,
    so that two different papers never read as one."""
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key, entry in bibliography().entries.items():
        first = entry.persons.get("author", [None])[0]
        last = " ".join(first.last_names) if first else key
        many = len(entry.persons.get("author", [])) > 1  # 'Wei 2022' and 'Wei et al. 2022' already differ
        groups.setdefault((last, many, entry.fields.get("year", "")), []).append((entry.fields.get("title", ""), key))
    out = {}
    for (_, _, year), works in groups.items():
        if len(works) > 1 and year:
            for i, (_, key) in enumerate(sorted(works)):
                out[key] = "abcdefghij"[i]
    return out


def short_name(key: str, lang: str = "en") -> str:
    """'Cobbe et al. 2021' in English, 'Cobbe 等, 2021' in Chinese."""
    entry = bibliography().entries[key]
    first = entry.persons.get("author", [None])[0]
    last = " ".join(first.last_names) if first else key
    more = ET_AL[lang] if len(entry.persons.get("author", [])) > 1 else ""
    year = entry.fields.get("year", "")
    year += _year_suffixes().get(key, "") if year else ""
    sep = ", " if lang == "zh" and year else " "
    return f"{last}{more}{sep}{year}".strip()


def link_citations(markdown: str, references_href: str, lang: str = "en") -> str:
    """Replace [@key] (or [@a; @b]) with links to the references page; unknown keys raise SiteError."""
    def one(match: re.Match) -> str:
        keys = [k.strip().lstrip("@") for k in match.group(1).split(";")]
        unknown = [k for k in keys if k not in bibliography().entries]
        if unknown:
            raise SiteError(f"unknown citation key {unknown[0]!r} (not in docs/references.bib)")
        open_, close, sep = ("（", "）", "；") if lang == "zh" else ("(", ")", "; ")
        return open_ + sep.join(f"[{short_name(k, lang)}]({references_href}#{k})" for k in keys) + close

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
            text = text.replace(" and others", " 等").replace("Blog post", "博客文章")
        extra = f' <span class="refnum">[{label} {html.escape(nums)}]</span>' if nums else ""
        link = f' <a href="{html.escape(url)}">{html.escape(url)}</a>' if url else ""
        items.append(f'<li id="{entry.key}"><code>{entry.key}</code> {text}{extra}{link}</li>')
    return '<ol class="references">\n' + "\n".join(items) + "\n</ol>"
