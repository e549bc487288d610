"""Markdown blocks for exhibits and claims, built from figures/ (no numbers are computed here)."""

from __future__ import annotations

import html
import json
import posixpath
import re

from artifact import paths
from artifact.exhibits import REGISTRY
from artifact.site.figures import GITHUB, claims, manifest, outputs, read

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
    "claims": {"en": "Claims", "zh": "论断"},
    "status": {"en": "Status", "zh": "状态"},
    "why": {"en": "Why", "zh": "理由"},
    "claim": {"en": "Claim", "zh": "论断"},
    "section": {"en": "Section", "zh": "章节"},
    "all": {"en": "All", "zh": "全部"},
    "filter_status": {"en": "Status", "zh": "状态"},
    "filter_section": {"en": "Section", "zh": "章节"},
}
STATUS = {"supported": {"en": "supported", "zh": "成立"}, "differs": {"en": "differs", "zh": "有出入"},
          "contradicted": {"en": "contradicted", "zh": "不成立"}, "unverified": {"en": "unverified", "zh": "无法核实"},
          "not checkable": {"en": "not checkable", "zh": "不可检验"}}


def rel(page_src: str, target: str) -> str:
    """A link from the page's source file to a site file (MkDocs resolves it per language build)."""
    return posixpath.relpath(target, posixpath.dirname(page_src) or ".")


def _table_body(md: str) -> str:
    """A table Markdown fragment without its bold title line (the page shows its own heading)."""
    lines = md.splitlines()
    return "\n".join(lines[2:] if lines and lines[0].startswith("**") else lines)


def _csv_table(csv_text: str, limit: int = 200) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_text)))
    head, body = rows[0], rows[1:limit + 1]
    esc = lambda v: html.escape(v).replace("|", "\\|")  # noqa: E731 - cells are text, never HTML
    out = ["| " + " | ".join(esc(h) for h in head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(esc(v) for v in r) + " |" for r in body]
    return "\n".join(out)


def exhibit(exhibit_id: str, lang: str, page_src: str, full: bool = False) -> str:
    """An exhibit as the article page shows it (figure or table); with ``full``, also its numbers,
    provenance card and downloads (the gallery page)."""
    if exhibit_id not in REGISTRY:
        raise KeyError(f"unknown exhibit {exhibit_id!r}")
    ex = REGISTRY[exhibit_id]
    files = outputs(exhibit_id)
    title = ex.title(lang)
    anchor = f"exhibit-{exhibit_id}"
    chart = f' data-chart="{exhibit_id}"' if ex.kind == "chart" else ""
    parts = [f'<div class="exhibit" id="{anchor}"{chart} markdown>', ""]
    if ex.kind == "chart":
        # The PNG, not the SVG: an SVG shown through <img> cannot load the shipped font, and a
        # browser without a CJK font would draw boxes for Chinese. The SVG is among the downloads.
        # With JavaScript, site/static/charts.js draws the live chart from the .vl.json beside it.
        png = f"figures/{lang}/{exhibit_id}.png"
        parts.append(f"![{html.escape(title)}]({rel(page_src, png)}){{ .exhibit-figure }}")
        if not full:
            parts += ["", f'<div class="chart-tools" markdown>[{T["png"][lang]}]({rel(page_src, png)})</div>']
    else:
        parts.append(f"**{html.escape(title)}**\n")
        parts.append(_table_body(read(f"{lang}/{exhibit_id}.md")))
    parts.append("")
    if full:
        parts += [f"??? info \"{T['numbers'][lang]}\"", "",
                  "    " + _csv_table(read(f"{exhibit_id}.csv")).replace("\n", "\n    "), ""]
        entry = manifest()["exhibits"][exhibit_id]
        module = next(iter(entry["builder"]))
        ev = ", ".join(f"`{p}` (`{h[:12]}`)" for p, h in entry["evidence"].items()) or "-"
        hashes = ", ".join(f"`{posixpath.basename(p)}` `{h[:12]}`" for p, h in sorted(files.items()))
        refs = rel(page_src, "references.md")
        cited = [f"[`{k}`]({refs}#{k})" + (f" arXiv [{a}](https://arxiv.org/abs/{a}) {v}" if a else "") + f", {loc}"
                 for k, a, v, loc in sources(exhibit_id)]
        parts += [f"**{T['provenance'][lang]}**", "",
                  *[f"- {T['source'][lang]}: {c}" for c in cited],
                  f"- {T['evidence'][lang]}: {ev}",
                  f"- {T['builder'][lang]}: [`{module}`]({GITHUB}/blob/main/{module})",
                  f"- {T['command'][lang]}: `python -m artifact reproduce --only {exhibit_id} --force`",
                  f"- {T['hash'][lang]}: {hashes}", ""]
        links = [f"[{posixpath.basename(p)}]({rel(page_src, 'figures/' + p)})" for p in sorted(files)
                 if (p.startswith(f"{lang}/") or "/" not in p) and not p.endswith(".md")]
        parts += [f"**{T['downloads'][lang]}**: " + " · ".join(links), ""]
    parts.append("</div>")
    return "\n".join(parts)


ROW_REF = re.compile(r"^[a-z0-9]+:[a-z0-9][a-z0-9./-]*$")


def sources(exhibit_id: str) -> list[tuple[str, str, str, str]]:
    """(source key, arXiv id, version, location) of every evidence row the exhibit's CSV cites."""
    import csv
    import io

    from artifact.evidence.store import Evidence

    ev, seen = Evidence(), set()
    for row in csv.DictReader(io.StringIO(read(f"{exhibit_id}.csv"))):
        for ref in row.get("evidence", "").split(";"):
            stem, _, row_id = ref.strip().partition(":")
            # Text exhibits cite a document ("key: location"), not a row; runs have no paper.
            if not ROW_REF.match(ref.strip()) or stem == "runs" or not (paths.PUBLISHED_DIR / f"{stem}.csv").is_file():
                continue
            r = ev.row(f"{stem}:{row_id}")
            seen.add((r["source_key"], r["arxiv_id"], r["arxiv_version"].split(" (")[0], r["location"]))
    return sorted(seen)


def badge(status: str, lang: str) -> str:
    css = status.replace(" ", "-")
    return f'<span class="claim-badge claim-{css}">{STATUS[status][lang]}</span>'


def claims_table(lang: str, section: str | None = None, filters: bool = False) -> str:
    """Claims with badge and reason, for one article section or all of them."""
    rows = [c for c in claims()["claims"] if section is None or c["section"] == section]
    if not rows:
        raise KeyError(f"no claims for section {section!r}")
    out = []
    if filters:
        statuses = "".join(f'<option value="{s}">{STATUS[s][lang]}</option>' for s in STATUS)
        sections = "".join(f'<option value="{s}">{html.escape(t)}</option>' for s, t in dict(
            (c["section"], c[f"section_title_{lang}"]) for c in rows).items())
        out.append(f'<div class="claims-filter"><label>{T["filter_status"][lang]} <select data-filter="status">'
                   f'<option value="">{T["all"][lang]}</option>{statuses}</select></label> '
                   f'<label>{T["filter_section"][lang]} <select data-filter="section">'
                   f'<option value="">{T["all"][lang]}</option>{sections}</select></label></div>')
    head = [T["section"][lang]] if section is None else []
    out.append('<table class="claims-table"><thead><tr>' + "".join(
        f"<th>{h}</th>" for h in head + [T["claim"][lang], T["status"][lang], T["why"][lang]]) + "</tr></thead><tbody>")
    for c in rows:
        cells = [html.escape(c[f"section_title_{lang}"])] if section is None else []
        cells += [f'{html.escape(c[f"text_{lang}"])} <code id="claim-{c["id"]}">{c["id"]}</code>',
                  badge(c["status"], lang), html.escape(c[f"reason_{lang}"])]
        observed = html.escape(json.dumps(c["observed"], sort_keys=True, ensure_ascii=False), quote=True)
        out.append(f'<tr data-status="{c["status"]}" data-section="{c["section"]}" data-observed="{observed}">'
                   + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def gallery(lang: str, page_src: str) -> str:
    blocks = []
    for ex in REGISTRY.values():
        blocks.append(f"## {ex.title(lang)} {{ #{ex.id} }}\n\n`{ex.id}`\n\n" + exhibit(ex.id, lang, page_src, full=True))
    return "\n\n".join(blocks)
