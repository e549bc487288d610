"""MkDocs hooks: serve figures/, expand {{ ... }} directives, link citations, add glossary tooltips.

Directives (one per line, except the inline claim marker):
  {{ exhibit: ID }}   {{ claims: SECTION }}   {{ all-claims }}   {{ gallery }}
  {{ references }}    {{ citation }}    {{ claim: ID }} (after the sentence that carries the claim)
  {{ evidence: SOURCE | runs | lab | index }}
An unknown exhibit, claim, section, source or citation key fails the build (mkdocs build --strict).
Citations and glossary terms are handled before directives, so text from evidence (which the
directives insert, escaped) is never read as a citation or a term.
"""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

# MkDocs loads this file by its path, so `import artifact` below would find whichever checkout an editable
# install points at: a second clone would build its pages with the first clone's code. This checkout comes
# first instead.
_CHECKOUT = str(Path(__file__).resolve().parents[2])
if _CHECKOUT not in sys.path[:1]:
    sys.path.insert(0, _CHECKOUT)
_LOADED = sys.modules.get("artifact")
if _LOADED is not None and not Path(_LOADED.__file__).resolve().is_relative_to(_CHECKOUT):
    raise PluginError(f"mkdocs has already imported the artifact package from {Path(_LOADED.__file__).parent}, "
                      f"not from this checkout ({_CHECKOUT}); run mkdocs from a clean process")

from artifact import paths  # noqa: E402
from artifact.errors import SiteError  # noqa: E402
from artifact.site import charts, claims_html, embed, evidence_html, glossary, references

DIRECTIVE = re.compile(r"\{\{\s*(exhibit|claims|all-claims|gallery|references|citation|claim|evidence)"
                       r"(?:\s*:\s*([\w-]+))?\s*\}\}")
# A line break between two Chinese characters (or CJK punctuation) is not a space in Chinese: the
# browser would draw one, so source line breaks there are joined.
# (Continuation lines of a list item are indented: the indentation goes too.)
CJK_BREAK = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[ \t]*\n[ \t]*(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")


_NOT_FOUND: dict[str, str] = {}  # each language's rendered 404 page


def on_config(config, **kwargs):
    from artifact.site.build_info import build_info

    config["extra"]["build"] = build_info()
    # The path the site is served under (site_url's), for the language selector's relative links.
    from urllib.parse import urlparse

    config["extra"]["site_path"] = urlparse(config.get("site_url") or "").path or ""
    config["extra"]["chart_styles"] = list(charts.STYLES)
    config["extra"]["chart_scripts"] = list(charts.SCRIPTS)
    return config


def on_post_template(output_content, template_name, config, **kwargs):
    if template_name == "404.html":
        _NOT_FOUND[config["theme"]["language"]] = output_content
    return output_content


@event_priority(-1000)  # last: the i18n plugin runs the Chinese build inside the English post_build
def on_post_build(config, **kwargs):
    """Once every language is built: give each language its 404 page (each build writes 404.html at
    the root, the last one wins): English at the root, which GitHub Pages serves for any missing path,
    Chinese at zh/404.html; split the search index per language (artifact/site/search.py); cut the
    web fonts (artifact/site/webfonts.py)."""
    from pathlib import Path

    # The i18n plugin leaves config set to the last language, so this cannot tell the nested build's
    # call from the outer one: it runs at both, and what it does is idempotent.
    site = Path(config["site_dir"])
    others = tuple(lang for lang in _NOT_FOUND if lang != "en")
    from artifact.site.search import split_index

    for lang, page in _NOT_FOUND.items():
        target = site / ("404.html" if lang == "en" else f"{lang}/404.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    split_index(site, others)
    # Last, once every page is written: the fonts are cut to the characters the pages use (the same
    # text at both calls, so the second reuses the first's cut).
    from artifact.site import webfonts

    webfonts.write(site)


def on_files(files, config, **kwargs):
    """Make every file under figures/ part of the site, at figures/<path> (not the Markdown tables,
    which the pages embed and MkDocs would otherwise build as pages of their own), and the live
    charts' assets."""
    for asset in charts.asset_files(config):
        if files.get_file_from_path(asset.src_uri) is None:
            files.append(asset)
    for path in sorted(paths.FIGURES_DIR.rglob("*")):
        # figures/site/ holds what the pages are built from; it is not served itself.
        if path.is_file() and path.suffix != ".md" and path.relative_to(paths.FIGURES_DIR).parts[0] != "site":
            rel = "figures/" + path.relative_to(paths.FIGURES_DIR).as_posix()
            if files.get_file_from_path(rel) is None:
                files.append(File(rel, str(paths.REPO_ROOT), config["site_dir"], config["use_directory_urls"]))
    return files


def _expand(match: re.Match, lang: str, page_src: str) -> str:
    name, arg = match.group(1), match.group(2)
    if name == "exhibit":
        return embed.exhibit(arg, lang, page_src)
    if name == "claim":
        return claims_html.marker(arg, lang, page_src)
    if name == "claims":
        return claims_html.section_table(lang, page_src, section=arg)
    if name == "all-claims":
        return claims_html.claims_page(lang, page_src)
    if name == "evidence":
        return evidence_html.evidence(arg, lang, page_src)
    if name == "gallery":
        return embed.gallery(lang, page_src)
    if name == "references":
        return references.references_list(lang)
    from artifact.site.cite import citation_block

    return citation_block(lang)


def _with_legend(markdown: str, lang: str) -> str:
    """A page that shows status marks says what they mean, under its title."""
    if not any(m.group(1) in ("claim", "claims", "all-claims") for m in DIRECTIVE.finditer(markdown)):
        return markdown
    head, sep, rest = markdown.partition("\n")
    block = "\n\n" + claims_html.legend(lang) + "\n\n"
    return head + block + rest if head.startswith("# ") else block + markdown


def on_page_markdown(markdown, page, config, files, **kwargs):
    lang = config["theme"]["language"]
    src = page.file.src_uri
    try:
        if lang == "zh":
            markdown = CJK_BREAK.sub("", markdown)
        refs = posixpath.relpath("references.md", posixpath.dirname(src) or ".")
        markdown = references.link_citations(markdown, refs, lang)
        markdown = glossary.annotate(markdown, lang, src) if not src.startswith(("reference/", "api")) else markdown
        markdown = _with_legend(markdown, lang)
        return DIRECTIVE.sub(lambda m: _expand(m, lang, src), markdown)
    except SiteError as exc:  # a page's mistake; anything else is a bug and keeps its traceback
        raise PluginError(f"{src}: {exc}") from None
