"""Markdown blocks for exhibits and claims, built from figures/ (no numbers are computed here)."""

from __future__ import annotations

import html
import posixpath
import re

from markupsafe import Markup

from artifact.errors import SiteError
from artifact.site.claims_html import source_name
from artifact.site.figures import GITHUB, manifest, outputs, read, site_json
from artifact.site.glossary import anchor as glossary_anchor
from artifact.site.references import arxiv
from artifact.site.templating import href, render, site_file

T = {
    "provenance": {"en": "Provenance", "zh": "来源信息"},
    "source": {"en": "Source", "zh": "来源"},
    "evidence": {"en": "Evidence", "zh": "证据文件"},
    "builder": {"en": "Builder", "zh": "构建代码"},
    "command": {"en": "Regenerate", "zh": "重新生成"},
    "hash": {"en": "Output SHA-256", "zh": "输出 SHA-256"},
    "downloads": {"en": "Downloads", "zh": "下载"},
    "png": {"en": "Download PNG", "zh": "下载 PNG"},
    "numbers": {"en": "The numbers behind it", "zh": "图中数字"},
}


def rel(page_src: str, target: str) -> str:
    """A link from the page's source file to a site file (MkDocs resolves it per language build)."""
    return posixpath.relpath(target, posixpath.dirname(page_src) or ".")


CELL_SPLIT = re.compile(r"(?<!\\)\|")


BOLD = re.compile(r"^\*\*(.+)\*\*$")


def _line(text: str) -> str | Markup:
    """One line of a cell: text, or, where the whole line is Markdown bold (a table marks the cells its
    note names that way), the text in <strong> (still escaped)."""
    bold = BOLD.match(text)
    return Markup("<strong>{}</strong>").format(bold.group(1)) if bold else text


def _cell_lines(cell: str) -> list[str | Markup]:
    """A cell as render.py writes it (HTML-escaped, '|' as '\\|', line breaks as <br>) back to its text lines."""
    return [_line(html.unescape(part)) for part in cell.strip().replace("\\|", "|").split("<br>")]


def parse_table_md(md: str) -> tuple[list, list, list[str]]:
    """(header cells, body rows, paragraphs after the table) of a table exhibit's Markdown fragment,
    as plain text: the page renders them through a template, so nothing in them becomes markup."""
    lines = md.splitlines()
    if lines and lines[0].startswith("**"):
        lines = lines[2:]
    table = [ln for ln in lines if ln.startswith("|")]
    rest = "\n".join(ln for ln in lines if not ln.startswith("|"))
    rows = [[_cell_lines(c) for c in CELL_SPLIT.split(ln.strip()[1:-1])] for ln in table]
    head, body = (rows[0], rows[2:]) if len(rows) >= 2 else ([], [])
    # the note and source are written escaped like the cells (render.markdown_table): read back as text
    return head, body, [html.unescape(p.strip()) for p in rest.split("\n\n") if p.strip()]


def _csv_table(csv_text: str, limit: int = 200) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_text)))
    return render("table.html", head=[[h] for h in rows[0]], body=[[[v] for v in r] for r in rows[1:limit + 1]],
                  paragraphs=[], row_ids=[], searchable=False)


def _numbers_table(exhibit_id: str, lang: str) -> str:
    """The exhibit's numbers as a folded table: for a chart, its text alternative."""
    # Raw HTML, not a '??? info' block: Markdown inside a block would read the cells as markup.
    return (f'<details class="info exhibit-numbers" data-search-exclude><summary>{html.escape(T["numbers"][lang])}'
            f'</summary>\n{_csv_table(read(f"{exhibit_id}.csv"))}\n</details>')


def _provenance(exhibit_id: str, lang: str, page_src: str, files: dict[str, str]) -> str:
    info = site_json("exhibits.json")[exhibit_id]
    entry = manifest()["products"][exhibit_id]
    sources = []
    for stem in info["sources"]:
        src = site_json(f"evidence/{stem}.json")
        arxiv_url, arxiv_label = arxiv(src["arxiv_id"], src["arxiv_version"])
        sources.append({"name": source_name(stem, lang), "url": href(page_src, f"evidence/{stem}.md"),
                        "arxiv_url": arxiv_url, "arxiv_label": arxiv_label})
    downloads = [(posixpath.basename(p), site_file(page_src, "figures/" + p, lang)) for p in sorted(files)
                 if (p.startswith(f"{lang}/") or "/" not in p) and not p.endswith(".md")]
    return render("provenance.html", t={k: v[lang] for k, v in T.items()}, id=exhibit_id, sources=sources,
                  evidence=[(p, h[:12]) for p, h in entry["evidence"].items()],
                  builder=info["builder"], builder_url=f"{GITHUB}/blob/main/{info['builder']}",
                  hashes=[(posixpath.basename(p), h[:12]) for p, h in sorted(files.items())], downloads=downloads)


def _alt_text(text: str) -> str:
    # Inside ![...] Markdown would read brackets, asterisks and backslashes as markup.
    return html.escape(re.sub(r"([\\\[\]*_`])", r"\\\1", text))


def exhibit(exhibit_id: str, lang: str, page_src: str, full: bool = False) -> str:
    """An exhibit as the article page shows it (figure or table); with ``full``, also its numbers,
    provenance card and downloads (the gallery page)."""
    info = site_json("exhibits.json")
    if exhibit_id not in info:
        raise SiteError(f"unknown exhibit {exhibit_id!r}")
    ex = info[exhibit_id]
    files = outputs(exhibit_id)
    title = ex[f"title_{lang}"]
    anchor = f"exhibit-{exhibit_id}"
    chart = f' data-chart="{exhibit_id}"' if ex["kind"] == "chart" else ""
    parts = [f'<div class="exhibit" id="{anchor}"{chart} markdown>', ""]
    if ex["kind"] == "chart":
        # The PNG, not the SVG: an SVG shown through <img> cannot load the shipped font, and a
        # browser without a CJK font would draw boxes for Chinese. The SVG is among the downloads.
        # With JavaScript, site/static/charts.js draws the live chart from the .vl.json beside it.
        png = f"figures/{lang}/{exhibit_id}.png"
        alt = ex.get(f"alt_{lang}") or title  # what the chart shows, in words
        # Lazy: with JavaScript the live chart replaces the picture, which is then never fetched.
        parts.append(f"![{_alt_text(alt)}]({rel(page_src, png)}){{ .exhibit-figure loading=lazy }}")
        if not full:
            parts += ["", f'<div class="chart-tools" markdown>[{T["png"][lang]}]({rel(page_src, png)})</div>', "",
                      _numbers_table(exhibit_id, lang)]
    else:
        head, body, paragraphs = parse_table_md(read(f"{lang}/{exhibit_id}.md"))
        # Glossary rows get the anchors that tooltips link to (from the English term, column 1).
        ids = [glossary_anchor(r[0][0]) for r in body] if exhibit_id == "glossary" else []
        parts.append(render("table.html", head=head, body=body, paragraphs=paragraphs, row_ids=ids,
                            searchable=exhibit_id == "glossary"))
    parts.append("")
    if full:
        # Raw HTML, not a '??? info' block: Markdown inside a block would read the cells as markup.
        parts += [_numbers_table(exhibit_id, lang), "", _provenance(exhibit_id, lang, page_src, files), ""]
    parts.append("</div>")
    return "\n".join(parts)


def gallery(lang: str, page_src: str) -> str:
    blocks = []
    for ex in site_json("exhibits.json").values():
        title = html.escape(ex[f"title_{lang}"])
        head = f"## {title} {{ #{ex['id']} }}\n\n`{ex['id']}`\n\n"
        blocks.append(head + exhibit(ex["id"], lang, page_src, full=True))
    return "\n\n".join(blocks)
