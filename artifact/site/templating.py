"""HTML for the site from Jinja2 templates with autoescaping: every value from evidence, a model or a
claim reaches the page as text (HTML-escaped, and inside raw HTML blocks, which Markdown leaves alone).

The fragments are spliced into Markdown pages, so each is collapsed onto lines without leading
indentation or blank lines (an indented line would become a code block, a blank one would end the
raw HTML block).
"""

from __future__ import annotations

import posixpath
from functools import cache
from urllib.parse import quote, urlparse

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from artifact import paths

TEMPLATES = paths.PACKAGE_DIR / "site" / "templates"
SAFE_SCHEMES = {"http", "https"}


def page_url(src: str) -> str:
    """The directory URL MkDocs gives a docs source file ('a/b.md' -> 'a/b/', 'index.md' -> '')."""
    stem = src.removesuffix(".md").removesuffix(".zh")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


def href(page_src: str, target_src: str, anchor: str = "") -> str:
    """A relative link from one page to another (same language build), with an escaped fragment."""
    here, there = page_url(page_src), page_url(target_src)
    rel = "" if there == here else posixpath.relpath(there or ".", here or ".")
    rel = "" if rel in ("", ".") else rel + "/"
    return rel + ("#" + quote(anchor, safe="/:-._~") if anchor else "")


def site_file(page_src: str, target: str, lang: str) -> str:
    """A link from a page to a plain file of the site (figures/...), which exists once, at the site root
    (the Chinese pages live under zh/)."""
    here = ("" if lang == "en" else f"{lang}/") + page_url(page_src)
    return posixpath.relpath(target, here or ".")


def safe_url(url: str) -> str:
    """Only http(s) URLs from data become links; anything else (javascript:, data:, ...) is dropped."""
    return url if urlparse(url.strip()).scheme.lower() in SAFE_SCHEMES else ""


# Inline HTML (the claim marker sits inside a paragraph) is still read by Markdown's inline patterns,
# attributes included: '[x](javascript:...)' there would become a live link. These characters are
# written as character references, which Markdown leaves alone and the browser shows as themselves.
MARKDOWN_CHARS = {c: f"&#{ord(c)};" for c in "[]()*_`\\!{}~|#+-.:"}


def markdown_safe(value) -> Markup:
    """HTML-escaped text that no Markdown inline pattern can match either."""
    return Markup("".join(MARKDOWN_CHARS.get(ch) or str(escape(ch)) for ch in str(value)))


@cache
def env() -> Environment:
    e = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    e.filters["safe_url"] = safe_url
    e.filters["md"] = markdown_safe
    return e


def render(name: str, **context) -> str:
    html = env().get_template(name).render(**context)
    return "\n".join(line.strip() for line in html.splitlines() if line.strip())
