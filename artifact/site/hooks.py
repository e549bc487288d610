"""MkDocs hooks: serve figures/, expand {{ ... }} directives, link citations, add glossary tooltips.

Directives (one per line or inline):
  {{ exhibit: ID }}   {{ claims: SECTION }}   {{ all-claims }}   {{ gallery }}
  {{ references }}    {{ citation }}
An unknown exhibit, section or citation key fails the build (mkdocs build --strict).
"""

from __future__ import annotations

import posixpath
import re

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from artifact import paths
from artifact.site import charts, embed, glossary, references

DIRECTIVE = re.compile(r"\{\{\s*(exhibit|claims|all-claims|gallery|references|citation)(?:\s*:\s*([\w-]+))?\s*\}\}")


def on_config(config, **kwargs):
    charts.add_to_config(config)
    return config


def on_files(files, config, **kwargs):
    """Make every file under figures/ part of the site, at figures/<path> (not the Markdown tables,
    which the pages embed and MkDocs would otherwise build as pages of their own), and the live
    charts' assets."""
    for asset in charts.asset_files(config):
        if files.get_file_from_path(asset.src_uri) is None:
            files.append(asset)
    for path in sorted(paths.FIGURES_DIR.rglob("*")):
        if path.is_file() and path.suffix != ".md":
            rel = "figures/" + path.relative_to(paths.FIGURES_DIR).as_posix()
            if files.get_file_from_path(rel) is None:
                files.append(File(rel, str(paths.REPO_ROOT), config["site_dir"], config["use_directory_urls"]))
    return files


def _expand(match: re.Match, lang: str, page_src: str) -> str:
    name, arg = match.group(1), match.group(2)
    if name == "exhibit":
        return embed.exhibit(arg, lang, page_src)
    if name == "claims":
        return embed.claims_table(lang, section=arg)
    if name == "all-claims":
        return embed.claims_table(lang, filters=True)
    if name == "gallery":
        return embed.gallery(lang, page_src)
    if name == "references":
        return references.references_list(lang)
    from artifact.site.cite import citation_block

    return citation_block(lang)


def on_page_markdown(markdown, page, config, files, **kwargs):
    lang = config["theme"]["language"]
    src = page.file.src_uri
    try:
        markdown = glossary.annotate(markdown, lang) if not src.startswith(("reference/", "api")) else markdown
        markdown = DIRECTIVE.sub(lambda m: _expand(m, lang, src), markdown)
        refs = posixpath.relpath("references.md", posixpath.dirname(src) or ".")
        return references.link_citations(markdown, refs)
    except KeyError as exc:
        raise PluginError(f"{src}: {exc.args[0]}") from None
