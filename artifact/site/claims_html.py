"""Claims on the site: a status marker beside the sentence, a card per claim (with a permalink and a
link to each evidence row), the per-section tables and the claims page. Reads figures/site/ only."""

from __future__ import annotations

import json
import re

from artifact.display import STATUSES, paper_name, status_mark, status_word
from artifact.errors import SiteError
from artifact.site.figures import GITHUB, site_json
from artifact.site.templating import href, render, site_file

T = {
    "en": {"why": "Why:", "evidence": "Evidence", "exhibit": "Exhibit", "builder": "builder",
           "check_code": "Check", "recheck": "Recheck", "article_says": "The article says",
           "computed": "Computed from the evidence", "computed_values": "Computed values",
           "permalink": "Link to this claim", "section": "Section",
           "claim": "Claim", "status": "Status", "all": "All", "showing": "Showing {n} of {total} claims",
           "totals": "Claims per status", "runs": "This project's run", "lab": "Lab sweep",
           "verdict": "Verdict:", "fragile": "fragile", "fragile_tip": "close to the line: a small change in the evidence would flip this verdict",
           "unit": "Unit", "same_unit": "in the article's unit", "all_rows": "Every row:", "rows": "{n} evidence rows",
           "col_source": "Paper", "col_location": "Where", "col_model": "Model", "col_setting": "Setting",
           "col_benchmark": "Benchmark", "col_metric": "Metric", "col_value": "Value", "legend": "Marks:",
           "legend_tip": "each mark after a sentence links to that claim's card"},
    "zh": {"why": "理由：", "evidence": "证据", "exhibit": "图表", "builder": "构建代码",
           "check_code": "核对规则", "recheck": "重新核对", "article_says": "原文数字",
           "computed": "由证据算得", "computed_values": "算得的各项数值",
           "permalink": "本论断的链接", "section": "章节",
           "claim": "论断", "status": "状态", "all": "全部", "showing": "显示 {n} / {total} 条论断",
           "totals": "各状态论断数", "runs": "本项目的运行", "lab": "实验室扫描",
           "verdict": "结论：", "fragile": "临界", "fragile_tip": "接近判定线：证据稍有变化，结论就会翻转",
           "unit": "单位", "same_unit": "与原文同一单位", "all_rows": "各行相同：", "rows": "{n} 行证据",
           "col_source": "论文", "col_location": "位置", "col_model": "模型", "col_setting": "设置",
           "col_benchmark": "基准", "col_metric": "指标", "col_value": "数值", "legend": "标记：",
           "legend_tip": "句末的每个标记都链接到该论断的卡片"},
}
PAGE = "claims.md"


def css(status: str) -> str:
    return status.replace(" ", "-")


def cards_by_id() -> dict[str, dict]:
    return {c["id"]: c for c in site_json("cards.json")}


def card_or_error(claim_id: str) -> dict:
    cards = cards_by_id()
    if claim_id not in cards:
        raise SiteError(f"unknown claim {claim_id!r} (not in figures/site/cards.json)")
    return cards[claim_id]


def _one_line(text: str, limit: int = 180) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def marker(claim_id: str, lang: str, page_src: str) -> str:
    """The small status mark placed right after the sentence that carries the claim."""
    c = card_or_error(claim_id)
    colon = "：" if lang == "zh" else ": "
    tip = _one_line(f'{status_word(c["status"], lang)}{colon}{c[f"reason_{lang}"]}')
    return render("marker.html", card=c, css=css(c["status"]), symbol=status_mark(c["status"]), tip=tip,
                  url=href(page_src, PAGE, f"claim-{claim_id}"))


def source_name(source: str, lang: str) -> str:
    """'Wei et al. 2022a v6' / 'Wei 等, 2022a v6', the way the citations name a paper (the letter tells
    two works of one first author and year apart), with the arXiv version where the evidence states it."""
    t = T[lang]
    if source == "runs":
        return t["runs"]
    if source == "lab":
        return t["lab"]
    from artifact.site.references import bibliography, short_name, stated_version

    src = site_json(f"evidence/{source}.json")
    if src["key"] in bibliography().entries:
        name = short_name(src["key"], lang)
    else:
        name = paper_name(src["author"], lang, several_authors=src["et_al"]) + ((", " if lang == "zh" else " ") + src["year"] if src["year"] else "")
    version = stated_version(src["arxiv_version"]) if src["arxiv_id"] else ""
    return name + (" " + version if version else "")


def _number(value) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)  # 10,000,000, not 10000000
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_number(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_number(v) for v in value)
    return str(value)


# The columns of a card's evidence table, in their usual order; the ones whose value differs from row
# to row come first, the ones every row shares are said once above the table.
COLUMNS = ("source", "location", "model", "setting", "benchmark", "metric")
FOLD_AFTER = 6  # longer evidence lists start folded
# Kinds whose computed value is in the article's own unit (a number it prints, a gain in points) or
# reads on its own (a date, 'n/m', a name); for the rest the verdict sentence says what was computed.
SELF_DESCRIBING = {"value", "gain", "date", "paper-date", "row-says", "best-in-table", "order", "all-pairs",
                   "wins-grow-not-all"}


def _evidence_rows(c: dict, lang: str, page_src: str) -> tuple[list[dict], list[dict]]:
    """(rows for the evidence table, other entries: cited groups of cells and lab sweeps)."""
    rows, others = [], []
    for e in c["evidence"]:
        item = {**e, "source_name": source_name(e["source"], lang), "url": href(page_src, e["page"], e["anchor"])}
        if "rows" in e:
            others.append({**item, "rows": [{**r, "url": href(page_src, e["page"], r["anchor"])} for r in e["rows"]]})
        elif "row" in e or e["source"] == "runs":
            if "row" in e:
                fields = {**e["row"], "metric": metric_words(e["row"]["metric"])}
            else:  # a fresh run: its id and prompting style
                fields = {"model": e["label"], "setting": e["detail"], "benchmark": "", "metric": ""}
            rows.append({"url": item["url"], "value": e["value"],
                         "cells": {"source": item["source_name"], "location": e["label"] if "row" in e else "", **fields}})
        else:
            others.append({**item, "rows": None})
    return rows, others


def evidence_table(rows: list[dict], t: dict) -> dict:
    """Columns that differ (first) and the fields every row shares (one line above the table)."""
    varying = [k for k in COLUMNS if len({r["cells"][k] for r in rows}) > 1]
    shared = [rows[0]["cells"][k] for k in COLUMNS if k not in varying and rows and rows[0]["cells"][k]]
    return {"columns": [(k, t[f"col_{k}"]) for k in varying], "shared": shared, "rows": rows,
            "fold": len(rows) > FOLD_AFTER, "summary": t["rows"].format(n=len(rows))}


def _numbers(c: dict, rows: list[dict]) -> dict:
    """The article's value and the computed one, with the unit they share (the article row's metric)."""
    article_row = next((e for e in c["evidence"] if e["source"] == "fu2022closerlook" and "row" in e
                        and e["value"] is not None), None)
    unit = metric_words(article_row["row"]["metric"]) if article_row else ""
    observed = c["observed"]
    shown = observed is not None and not isinstance(observed, dict) and c["kind"] in SELF_DESCRIBING
    return {"article": ", ".join(_number(_parsed(v)) for v in c["article_values"]),
            "observed": _number(observed) if shown else "", "unit": unit,
            "detail": _number(observed) if isinstance(observed, dict) else ""}


def metric_words(metric: str) -> str:
    """A metric as the evidence names it, in words: 'solve_rate_pct' -> 'solve rate (%)'."""
    words = re.sub(r"[_ ]pct$", " (%)", metric.strip()).replace("_", " ")
    return words


def _parsed(printed: str):
    """A printed integer gets digit groups (17500 -> 17,500); anything else stays exactly as printed."""
    return int(printed) if printed.isdigit() else printed


def card(c: dict, lang: str, page_src: str) -> str:
    rows, others = _evidence_rows(c, lang, page_src)
    info = site_json("exhibits.json")
    exhibits = [{"id": x, "title": info[x][f"title_{lang}"], "url": href(page_src, "exhibits.md", x),
                 "csv": site_file(page_src, f"figures/{x}.csv", lang), "builder": info[x]["builder"],
                 "builder_url": f"{GITHUB}/blob/main/{info[x]['builder']}"} for x in c["exhibits"]]
    check_file = f"artifact/claims/{c['file']}"
    return render("card.html", card=c, t=T[lang], css=css(c["status"]), status=status_word(c["status"], lang),
                  symbol=status_mark(c["status"]), text=c[f"text_{lang}"], reason=c[f"reason_{lang}"],
                  margin=c.get(f"margin_{lang}") or "", fragile=bool(c.get("fragile")),
                  numbers=_numbers(c, rows), table=evidence_table(rows, T[lang]) if rows else None,
                  others=others, exhibits=exhibits, check_file=f"{check_file}:{c['line']}",
                  check_url=f"{GITHUB}/blob/main/{check_file}#L{c['line']}")


def legend(lang: str) -> str:
    """What each status mark means, for every page that shows marks."""
    return render("legend.html", t=T[lang], marks=[{"symbol": status_mark(s), "css": css(s), "label": status_word(s, lang)}
                                                   for s in STATUSES])


def section_table(lang: str, page_src: str, section: str | None = None) -> str:
    """The claims of one article section (or all), each linking to its card."""
    cards = [c for c in site_json("cards.json") if section is None or c["section"] == section]
    if not cards:
        raise SiteError(f"no claims for section {section!r}")
    rows = [{"card": c, "text": c[f"text_{lang}"], "section": c[f"section_title_{lang}"], "css": css(c["status"]),
             "status": status_word(c["status"], lang), "url": href(page_src, PAGE, f"claim-{c['id']}")} for c in cards]
    return render("claims_table.html", rows=rows, t=T[lang], with_section=section is None)


def claims_page(lang: str, page_src: str) -> str:
    """Totals per status, filters (their state kept in the URL by claims-filter.js) and every card."""
    cards = site_json("cards.json")
    totals = [{"key": s, "label": status_word(s, lang), "css": css(s), "count": sum(c["status"] == s for c in cards)}
              for s in STATUSES]
    sections = list({c["section"]: c[f"section_title_{lang}"] for c in cards}.items())
    return render("claims_page.html", t=T[lang], totals=totals, sections=sections, total=len(cards),
                  fragile=sum(bool(c.get("fragile")) for c in cards),
                  cards=[card(c, lang, page_src) for c in cards])
