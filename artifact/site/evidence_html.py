"""The evidence pages: one per published source, one for fresh runs, one for lab sweeps. Every row
has its own anchor, so a claim card's link lands on the row that shows the value it quotes."""

from __future__ import annotations

from urllib.parse import quote

from artifact.errors import SiteError
from artifact.site.claims_html import source_name
from artifact.site.figures import GITHUB, site_json
from artifact.site.references import arxiv
from artifact.site.templating import href, render

LAB_METRICS = ("exact_match", "token_accuracy", "log_likelihood", "edit_distance", "heldout_loss")
T = {
    "en": {"value": "Value as printed", "model": "Model", "setting": "Setting", "benchmark": "Benchmark, metric",
           "location": "Where in the paper", "caveat": "Caveat", "row": "Row", "reference": "Reference",
           "source_file": "Evidence file", "rows": "{n} rows", "runs": "Fresh runs of this project",
           "lab": "Lab sweeps", "parameters": "parameters", "items": "items", "prompting": "Prompting",
           "correct": "Correct", "accuracy": "Accuracy (%)", "width": "Width", "seed": "Seed"},
    "zh": {"value": "原文数值", "model": "模型", "setting": "设置", "benchmark": "基准与指标",
           "location": "论文中的位置", "caveat": "注意", "row": "行", "reference": "参考文献",
           "source_file": "证据文件", "rows": "共 {n} 行", "runs": "本项目的新运行",
           "lab": "实验室扫描", "parameters": "参数", "items": "题", "prompting": "提示方式",
           "correct": "答对", "accuracy": "准确率（%）", "width": "宽度", "seed": "随机种子"},
}


# The evidence's caveat flag in the reader's words; the transcriber's notes stay in the evidence file
# (linked from each page), not on the page.
CAVEAT = {
    "en": {"doubtful": "doubtful reading of the printed cell", "suspect": "the printed value looks wrong",
           "inconsistent": "the paper prints different values for this elsewhere",
           "not-a-paper-cell": "not a printed cell (taken from the text or derived)"},
    "zh": {"doubtful": "原文单元格难以辨认", "suspect": "原文印出的数值可能有误", "inconsistent": "论文别处给出的数值与此不一致",
           "not-a-paper-cell": "并非表格中的单元格（取自正文或推得）"},
}


def _source(stem: str) -> dict:
    try:
        return site_json(f"evidence/{stem}.json")
    except SiteError:
        raise SiteError(f"unknown evidence source {stem!r} (no figures/site/evidence/{stem}.json)") from None


def source_page(stem: str, lang: str, page_src: str) -> str:
    src = _source(stem)
    rows = [{**r, "anchor_q": quote(r["id"], safe="/:-._~"), "caveat": CAVEAT[lang].get(r["caveat"], r["caveat"])}
            for r in src["rows"]]
    arxiv_url, arxiv_label = arxiv(src["arxiv_id"], src["arxiv_version"])
    return render("evidence_source.html", src={**src, "rows": rows}, t=T[lang], arxiv_url=arxiv_url,
                  arxiv_label=arxiv_label,
                  ref_url=href(page_src, "references.md", src["key"]),
                  csv_url=f"{GITHUB}/blob/main/artifact/data/published/{stem}.csv")


def runs_page(lang: str, page_src: str) -> str:
    return render("evidence_runs.html", runs=site_json("runs.json"), t=T[lang])


def lab_page(lang: str, page_src: str) -> str:
    return render("evidence_lab.html", lab=site_json("lab.json"), t=T[lang], metrics=LAB_METRICS)


def index(lang: str, page_src: str) -> str:
    from artifact import paths

    stems = sorted(p.stem for p in (paths.FIGURES_DIR / "site" / "evidence").glob("*.json"))
    sources = [{**_source(s), "n": len(_source(s)["rows"]), "name": source_name(s, lang),
                "arxiv_label": arxiv(_source(s)["arxiv_id"], _source(s)["arxiv_version"])[1],
                "url": href(page_src, f"evidence/{s}.md")} for s in stems]
    return render("evidence_index.html", sources=sources, t=T[lang],
                  runs_url=href(page_src, "evidence/runs.md"), lab_url=href(page_src, "evidence/lab.md"))


def evidence(arg: str, lang: str, page_src: str) -> str:
    if arg == "runs":
        return runs_page(lang, page_src)
    if arg == "lab":
        return lab_page(lang, page_src)
    if arg == "index":
        return index(lang, page_src)
    return source_page(arg, lang, page_src)
