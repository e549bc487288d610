"""GSM8K state of the art over time as the article tells it, beside what the sources print."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.text import Progress
from artifact.evidence.views import earliest_public_month
from artifact.exhibits.labels import AXIS, cite, tooltip, with_provenance
from artifact.exhibits.registry import Chart, register

INPUTS = ("text:gsm8k_progress", "published:fu2022closerlook", "published:wei2022cot",
          "published:wang2022sc", "published:fu2022complexity")
TEXT = {
    "article": {"en": "As the article states it", "zh": "原文所述"},
    "source": {"en": "As the cited paper prints it", "zh": "所引论文所印"},
    "legend": {"en": "Number", "zh": "数字"},
    "dated": {"en": ["article: {article}", "not before: {arxiv}"], "zh": ["原文：{article}", "不早于：{arxiv}"]},
}
SHORT = {"fu2022closerlook": "article", "wei2022cot": "Wei", "wang2022sc": "Wang", "fu2022complexity": "Fu"}


# Where in the paper, from the row id's first part: 't2' (Table 2), 'fig2' (Figure 2), in the chart's language.
WHERE = {"en": {"t": "t", "fig": "fig"}, "zh": {"t": "表", "fig": "图"}}
ROW_PART = re.compile(r"^(t|fig)(\d+)$")


def short_ref(ref: str, lang: str = "en") -> str:
    """'wei2022cot:t2/...' -> 'Wei t2' ('Wei 表2'): a label small enough to sit under a point."""
    stem, _, row_id = ref.partition(":")
    if stem == "fu2022closerlook":
        return ""
    part = row_id.split("/")[0]
    match = ROW_PART.match(part)
    where = f"{WHERE[lang][match.group(1)]}{match.group(2)}" if match else part
    return f"{SHORT.get(stem, stem)} {where}"


def _js_lookup(mapping: dict[str, list[str]]) -> str:
    import json

    return json.dumps(mapping, ensure_ascii=False, sort_keys=True)


def progress_points(ev: Evidence) -> pd.DataFrame:
    """One row per plotted number: the article's value at its date, each source value at its month."""
    story: Progress = ev.text("gsm8k_progress")
    points = []
    for m in story.milestones:
        article = ev.row(m.article_row)
        points.append(dict(milestone=m.key, kind="article", date=m.article_date, model=article["model"],
                           value=article["number"], printed=article["value"], evidence=m.article_row))
        for ref in m.source_rows:
            row = ev.row(ref)
            points.append(dict(milestone=m.key, kind="source", date=earliest_public_month(ev, m), model=row["model"],
                               value=row["number"], printed=row["value"], evidence=ref))
    return pd.DataFrame(points)


@register("gsm8k-progress", kind="chart", inputs=INPUTS,
          title_en="GSM8K progress: the article's numbers and the sources' numbers",
          title_zh="GSM8K 的进展：原文的数字与来源论文的数字",
          alt_en='Dot chart: for each GSM8K milestone (fine-tuned GPT-3, PaLM with chain of thought, self-consistency, complex prompts), the accuracy the article states beside the accuracies its source papers print.',
          alt_zh='点图：GSM8K 的各个里程碑（精调 GPT-3、PaLM 加思维链、自洽性、复杂提示）上，原文给出的准确率与来源论文印出的准确率并列。')
def build(ev: Evidence, lang: str) -> Chart:
    story: Progress = ev.text("gsm8k_progress")
    data = progress_points(ev)
    kinds = [TEXT["article"][lang], TEXT["source"][lang]]
    # Milestones run down the page (one row each, its numbers on sub-rows), so the long names
    # are row labels on up to four lines instead of x-axis labels that overprinted each other.
    axis_labels = {m.key: [*split_label(m.label[lang]), *[line.format(
        article=m.article_date, arxiv=earliest_public_month(ev, m)) for line in TEXT["dated"][lang]]]
        for m in story.milestones}
    plot = with_provenance(data, ev, lang).assign(
        kind_label=data["kind"].map({"article": kinds[0], "source": kinds[1]}),
        slot=data.groupby("milestone").cumcount(),
        point_label=[f"{p} {short_ref(e, lang)}".strip() for p, e in zip(data["printed"], data["evidence"])])
    order = [m.key for m in story.milestones]
    base = alt.Chart(plot).encode(
        y=alt.Y("milestone:N", sort=order, title=None, axis=alt.Axis(
            labelExpr=f"{_js_lookup(axis_labels)}[datum.value]", labelLimit=240, labelPadding=6)),
        yOffset=alt.YOffset("slot:O"),
        x=alt.X("value:Q", title=AXIS["solve_rate"][lang], scale=alt.Scale(domain=[0, 100])),
        tooltip=tooltip(lang, setting="kind_label"),
    )
    points = base.mark_point(size=90, filled=True).encode(
        color=alt.Color("kind_label:N", title=None, sort=kinds,
                        scale=alt.Scale(domain=kinds, range=["#d62728", "#1f77b4"])),
        shape=alt.Shape("kind_label:N", sort=kinds, scale=alt.Scale(domain=kinds, range=["diamond", "circle"]),
                        title=None),
    )
    # Each number is written beside its point (to the left past 60 %, so it stays inside the plot).
    left = base.transform_filter(alt.datum.value < 60).mark_text(align="left", dx=9, fontSize=11)
    right = base.transform_filter(alt.datum.value >= 60).mark_text(align="right", dx=-9, fontSize=11)
    values = [m.encode(text="point_label:N", color=alt.value("#222222")) for m in (left, right)]
    chart = alt.layer(points, *values).properties(width=380, height=alt.Step(17))
    source = cite(lang, "the article (Sec 2.1); Wei et al. v6 Table 2 / Figure 2; Wang et al. v4 Table 2; "
                        "Fu et al. Table 1",
                  "原文第 2.1 节；Wei 等 v6 表 2 / 图 2；Wang 等 v4 表 2；Fu 等 表 1")
    return Chart(chart, data, source=source)


def split_label(label: str) -> list[str]:
    """'PaLM 540B + chain of thought (Wei et al.)' -> the name, then the citation on a line of its own."""
    for opener in (" (", "（"):
        if opener in label:
            head, _, tail = label.partition(opener)
            return [head, opener.strip() + tail]
    return [label]
