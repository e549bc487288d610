"""Suzgun et al. 2022: BIG-Bench Hard averages, answer-only vs chain of thought, with human raters."""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.evidence.prompting_labels import LABELS
from artifact.evidence.store import Evidence
from artifact.evidence.views import bbh_table2
from artifact.exhibits.labels import AXIS, PROMPTING_COLORS, cite, numbers, tooltip, with_provenance
from artifact.exhibits.registry import Chart, register

# Short names on the axis (they fit a panel's width unrotated); the tooltip gives the engine name.
MODELS = {"text-davinci-002": "InstructGPT", "code-davinci-002": "Codex", "PaLM 540B": "PaLM 540B"}
SUBSETS = {"BBH all": {"en": "All 23 tasks", "zh": "全部 23 个任务"}, "BBH NLP": {"en": "NLP (12)", "zh": "NLP（12）"},
           "BBH algorithmic": {"en": "Algorithmic (11)", "zh": "算法（11）"}}
PROMPTS = {style: LABELS[style]["title"] for style in ("answer_only", "cot")}
HUMAN_COLOR = "#d62728"
TEXT = {"human": {"en": "Average human rater (dashed line)", "zh": "人类评分者平均（虚线）"}, "prompt": {"en": "Prompting", "zh": "提示方式"}}


@register("bbh-cot", kind="chart", inputs=("published:suzgun2022bbh",),
          title_en="BIG-Bench Hard: chain of thought lifts InstructGPT, Codex and PaLM",
          title_zh="BIG-Bench Hard：思维链提升 InstructGPT、Codex 与 PaLM",
          alt_en='Grouped bars: BIG-Bench Hard accuracy of InstructGPT, Codex and PaLM 540B with answer-only and with chain-of-thought prompting, on all 23 tasks, the 12 NLP tasks and the 11 algorithmic tasks; chain of thought is higher in every group; a dashed line marks the average human rater.',
          alt_zh='分组柱状图：InstructGPT、Codex 和 PaLM 540B 在 BIG-Bench Hard 全部 23 个任务、12 个 NLP 任务和 11 个算法任务上，仅答案提示与思维链提示的准确率；每组都是思维链更高；虚线标出人类评分者的平均水平。')
def build(ev: Evidence, lang: str) -> Chart:
    rows = bbh_table2(ev.published("suzgun2022bbh"))
    models = rows[rows["model"].isin(MODELS) & rows["setting"].isin(PROMPTS)]
    data = pd.concat([numbers(models, "suzgun2022bbh", ["subset", "model", "setting", "caveat"]),
                      numbers(rows[rows["setting"] == "human_avg_rater"], "suzgun2022bbh",
                              ["subset", "model", "setting", "caveat"])], ignore_index=True)
    order = [PROMPTS[p][lang] for p in PROMPTS]
    series = [*order, TEXT["human"][lang]]
    plot = with_provenance(data, ev, lang).assign(
        series=lambda d: d["setting"].map(lambda s: PROMPTS[s][lang] if s in PROMPTS else TEXT["human"][lang]),
        model_label=lambda d: d["model"].map(lambda m: MODELS.get(m, m)),
        subset_label=lambda d: d["subset"].map(lambda s: SUBSETS[s][lang]))
    is_human = alt.datum.setting == "human_avg_rater"
    # One colour legend for the bars and the human line: the line's label sits in the legend, not
    # in the plot, where it overprinted the bar labels.
    color = alt.Color("series:N", sort=series, title=None, scale=alt.Scale(
        domain=series, range=[PROMPTING_COLORS["standard"], PROMPTING_COLORS["cot"], HUMAN_COLOR]))
    tips = tooltip(lang, setting="series")
    bars = alt.Chart().transform_filter(~is_human).mark_bar().encode(
        x=alt.X("model_label:N", sort=list(MODELS.values()), title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("series:N", sort=order),
        y=alt.Y("value:Q", title=AXIS["accuracy"][lang], scale=alt.Scale(domain=[0, 100])),
        color=color, tooltip=tips,
    )
    labels = bars.mark_text(dy=-6, fontSize=10, color="#333333").encode(text="printed:N")
    rule = alt.Chart().transform_filter(is_human).mark_rule(strokeDash=[5, 4], strokeWidth=2).encode(
        y="value:Q", color=color, tooltip=tips)
    chart = alt.layer(bars, rule, labels, data=plot).properties(width=230, height=260).facet(
        facet=alt.Facet("subset_label:N", sort=[SUBSETS[s][lang] for s in SUBSETS], title=None), columns=3).resolve_axis(x="independent")
    source = cite(lang, "Suzgun et al. 2022 (arXiv 2210.09261v1), Table 2", "Suzgun 等 2022（arXiv 2210.09261v1）表 2")
    note = {"en": "InstructGPT is text-davinci-002 and Codex is code-davinci-002. "
                  "The paper's Table 3 prints 63.3 for PaLM 540B CoT on all tasks, against 65.2 in Table 2.",
            "zh": "InstructGPT 即 text-davinci-002，Codex 即 code-davinci-002。"
                  "论文表 3 中 PaLM 540B 思维链在全部任务上为 63.3，而表 2 为 65.2。"}[lang]
    return Chart(chart, data, source=source, note=note)
