"""In-text citations ([@key]) and the references page, from docs/references.bib via pybtex."""

from __future__ import annotations

import html
import re

from artifact.display import ET_AL, paper_name
from artifact import paths
from artifact.bib import ARXIV_ID
from artifact.errors import SiteError
from artifact.site.templating import MARKDOWN_CHARS, markdown_safe

CITE = re.compile(r"\[@([\w:-]+(?:\s*;\s*@[\w:-]+)*)\]")


def bibliography():
    from artifact.bib import parsed

    return parsed(paths.REFERENCES_BIB)


# The evidence's version field is the transcriber's free text ("v6", "v2 (inferred: ...)", "not shown in
# copies"): only a plain stated version is shown to readers; a guessed one is not.
STATED_VERSION = re.compile(r"^(v\d+)(?![\w])(?!.*\b(?:inferred|probably|unverified)\b)")


def arxiv(arxiv_id: str, version_field: str = "") -> tuple[str, str]:
    """(URL, label) of an arXiv paper: the URL from the id alone, validated ('' for a malformed id), the
    label 'arXiv 2201.11903v6' with the version only where the evidence states one."""
    arxiv_id = arxiv_id.strip()
    if not ARXIV_ID.fullmatch(arxiv_id):
        return "", ""
    return f"https://arxiv.org/abs/{arxiv_id}", f"arXiv {arxiv_id}{stated_version(version_field)}"


def stated_version(version_field: str) -> str:
    """'v6' where the evidence states the version plainly, else ''."""
    match = STATED_VERSION.match(version_field.strip())
    return match.group(1) if match else ""


def _year_suffixes() -> dict[str, str]:
    """'a'/'b' for works that share a first author and year (Wei et al. 2022a, 2022b), in title order,
    so that two different papers never read as one."""
    # not cached: it follows the bibliography in use (tests swap it), and it costs microseconds
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
    year = entry.fields.get("year", "")
    year += _year_suffixes().get(key, "") if year else ""
    sep = ", " if lang == "zh" and year else " "
    # the name from the bibliography goes into a Markdown link (and before {{ }} directives are expanded);
    # the year is four digits (checked when the bibliography is parsed) and "et al." is ours
    name = paper_name(str(markdown_safe(last)), lang, several_authors=len(entry.persons.get('author', [])) > 1)
    return f"{name}{sep}{year}".strip()


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
    """Every entry, formatted by pybtex, with its anchor, the article's reference numbers and a link.

    pybtex escapes its text but not the links it makes, so entries are formatted without their
    url/eprint/doi fields and the one link is ours (``safe_url``); Markdown characters in the text are
    written as character references, so no field becomes a link or a directive."""
    from pybtex.plugin import find_plugin

    from artifact.bib import safe_url

    style = find_plugin("pybtex.style.formatting", "unsrt")()
    backend = find_plugin("pybtex.backends", "html")()
    data = bibliography()
    label = {"en": "article reference", "zh": "原文参考文献"}[lang]
    items = []
    for entry in style.format_entries([_without_links(e) for e in data.entries.values()]):
        fields = data.entries[entry.key].fields
        nums = fields.get("refnum", "")
        url = safe_url(data.entries[entry.key])
        text = _text_safe(entry.text.render(backend))
        if lang == "zh":  # pybtex writes English connectives; the bibliography's own words stay as they are
            text = text.replace(" and others", ET_AL["zh"]).replace("Blog post", "博客文章")
        extra = f' <span class="refnum">[{label} {markdown_safe(nums)}]</span>' if nums else ""
        link = f' <a href="{html.escape(url)}">{markdown_safe(url)}</a>' if url else ""
        key = markdown_safe(entry.key)
        items.append(f'<li id="{key}"><code>{key}</code> {text}{extra}{link}</li>')
    return '<ol class="references">\n' + "\n".join(items) + "\n</ol>"


def _without_links(entry):
    """A copy of a pybtex entry without the fields pybtex turns into links."""
    from pybtex.database import Entry

    copy = Entry(entry.type, [(k, v) for k, v in entry.fields.items() if k.lower() not in ("url", "eprint", "doi")],
                 entry.persons)
    copy.key = entry.key
    return copy


def _text_safe(rendered: str) -> str:
    """pybtex's HTML with the Markdown characters of its text (not of its tags) as character references."""
    inline = {c: ref for c, ref in MARKDOWN_CHARS.items() if c not in "#.:-+"}  # those matter at line starts only
    return re.sub(r">([^<]*)<", lambda m: ">" + "".join(inline.get(c, c) for c in m.group(1)) + "<",
                  f">{rendered}<")[1:-1]
