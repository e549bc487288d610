"""Claims on the site: a status marker beside the sentence, a card per claim (with a permalink and a
link to each evidence row), the per-section tables and the claims page. Reads figures/site/ only."""

from __future__ import annotations

import json

from artifact.errors import SiteError
from artifact.site.figures import GITHUB, site_json
from artifact.site.templating import href, render, site_file

STATUS = {"supported": {"en": "supported", "zh": "成立"}, "differs": {"en": "differs", "zh": "有出入"},
          "contradicted": {"en": "contradicted", "zh": "不成立"},
          "unverified": {"en": "unverified", "zh": "无法核实"},
          "not checkable": {"en": "not checkable", "zh": "不可检验"}}
SYMBOL = {"supported": "✓", "differs": "≈", "contradicted": "✗", "unverified": "?", "not checkable": "–"}
T = {
    "en": {"why": "Why:", "evidence": "Evidence", "exhibit": "Exhibit", "builder": "builder",
           "check_code": "Check", "recheck": "Recheck", "article_says": "The article says",
           "computed": "Computed from the evidence", "computed_values": "Computed values",
           "permalink": "Link to this claim", "section": "Section",
           "claim": "Claim", "status": "Status", "all": "All", "showing": "Showing {n} of {total} claims",
           "totals": "Claims per status", "runs": "This project's run", "lab": "Lab sweep", "et_al": " et al."},
    "zh": {"why": "理由：", "evidence": "证据", "exhibit": "图表", "builder": "构建代码",
           "check_code": "核对规则", "recheck": "重新核对", "article_says": "原文数字",
           "computed": "由证据算得", "computed_values": "算得的各项数值",
           "permalink": "本论断的链接", "section": "章节",
           "claim": "论断", "status": "状态", "all": "全部", "showing": "显示 {n} / {total} 条论断",
           "totals": "各状态论断数", "runs": "本项目的运行", "lab": "实验室扫描", "et_al": " 等"},
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
    tip = _one_line(f'{STATUS[c["status"]][lang]}{colon}{c[f"reason_{lang}"]}')
    return render("marker.html", card=c, css=css(c["status"]), symbol=SYMBOL[c["status"]], tip=tip,
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
        name = src["author"] + (t["et_al"] if src["et_al"] else "") + (" " + src["year"] if src["year"] else "")
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


def card(c: dict, lang: str, page_src: str) -> str:
    evidence = []
    for e in c["evidence"]:
        item = {**e, "source_name": source_name(e["source"], lang), "url": href(page_src, e["page"], e["anchor"])}
        if "rows" in e:
            item["rows"] = [{**r, "url": href(page_src, e["page"], r["anchor"])} for r in e["rows"]]
        else:
            item["rows"] = None
        evidence.append(item)
    info = site_json("exhibits.json")
    exhibits = [{"id": x, "title": info[x][f"title_{lang}"], "url": href(page_src, "exhibits.md", x),
                 "csv": site_file(page_src, f"figures/{x}.csv", lang), "builder": info[x]["builder"],
                 "builder_url": f"{GITHUB}/blob/main/{info[x]['builder']}"} for x in c["exhibits"]]
    check_file = f"artifact/claims/{c['file']}"
    return render("card.html", card=c, t=T[lang], css=css(c["status"]), status=STATUS[c["status"]][lang],
                  text=c[f"text_{lang}"], reason=c[f"reason_{lang}"],
                  article_values=", ".join(c["article_values"]),
                  # A single computed number stands beside the article's; a set of values (a trend's
                  # per-family gains) is listed under the reason, which explains them.
                  observed="" if c["observed"] is None or isinstance(c["observed"], dict) else _number(c["observed"]),
                  observed_detail=_number(c["observed"]) if isinstance(c["observed"], dict) else "",
                  evidence=evidence, exhibits=exhibits, check_file=f"{check_file}:{c['line']}",
                  check_url=f"{GITHUB}/blob/main/{check_file}#L{c['line']}")


def section_table(lang: str, page_src: str, section: str | None = None) -> str:
    """The claims of one article section (or all), each linking to its card."""
    cards = [c for c in site_json("cards.json") if section is None or c["section"] == section]
    if not cards:
        raise SiteError(f"no claims for section {section!r}")
    rows = [{"card": c, "text": c[f"text_{lang}"], "section": c[f"section_title_{lang}"], "css": css(c["status"]),
             "status": STATUS[c["status"]][lang], "url": href(page_src, PAGE, f"claim-{c['id']}")} for c in cards]
    return render("claims_table.html", rows=rows, t=T[lang], with_section=section is None)


def claims_page(lang: str, page_src: str) -> str:
    """Totals per status, filters (their state kept in the URL by claims-filter.js) and every card."""
    cards = site_json("cards.json")
    totals = [{"key": s, "label": STATUS[s][lang], "css": css(s), "count": sum(c["status"] == s for c in cards)}
              for s in STATUS]
    sections = list({c["section"]: c[f"section_title_{lang}"] for c in cards}.items())
    return render("claims_page.html", t=T[lang], totals=totals, sections=sections, total=len(cards),
                  cards=[card(c, lang, page_src) for c in cards])
