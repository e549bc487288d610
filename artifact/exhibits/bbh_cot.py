"""Suzgun et al. 2022: BIG-Bench Hard averages, answer-only vs chain of thought, with human raters."""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.views import bbh_table2
from artifact.exhibits.labels import AXIS, PROMPTING_COLORS, cite, numbers
from artifact.exhibits.registry import Chart, register

MODELS = {"text-davinci-002": "InstructGPT (text-davinci-002)", "code-davinci-002": "Codex (code-davinci-002)",
          "PaLM 540B": "PaLM 540B"}
SUBSETS = {"BBH all": {"en": "All 23 tasks", "zh": "全部 23 个任务"}, "BBH NLP": {"en": "NLP (12)", "zh": "NLP（12）"},
           "BBH algorithmic": {"en": "Algorithmic (11)", "zh": "算法（11）"}}
PROMPTS = {"answer_only": {"en": "Answer-only prompting", "zh": "仅答案提示"},
           "cot": {"en": "Chain-of-thought prompting", "zh": "思维链提示"}}
TEXT = {"human": {"en": "Average human rater", "zh": "人类评分者平均"}, "prompt": {"en": "Prompting", "zh": "提示方式"}}


@register("bbh-cot", kind="chart", inputs=("published:suzgun2022bbh",),
          title_en="BIG-Bench Hard: chain of thought lifts InstructGPT, Codex and PaLM",
          title_zh="BIG-Bench Hard：思维链提升 InstructGPT、Codex 与 PaLM")
def build(ev: Evidence, lang: str) -> Chart:
    rows = bbh_table2(ev.published("suzgun2022bbh"))
    models = rows[rows["model"].isin(MODELS) & rows["setting"].isin(PROMPTS)]
    human = rows[rows["setting"] == "human_avg_rater"].set_index("subset")
    data = pd.concat([numbers(models, "suzgun2022bbh", ["subset", "model", "setting", "caveat"]),
                      numbers(rows[rows["setting"] == "human_avg_rater"], "suzgun2022bbh",
                              ["subset", "model", "setting", "caveat"])], ignore_index=True)
    order = [PROMPTS[p][lang] for p in PROMPTS]
    plot = data[data["setting"].isin(PROMPTS)].assign(
        prompt=lambda d: d["setting"].map(lambda s: PROMPTS[s][lang]),
        model_label=lambda d: d["model"].map(MODELS),
        subset_label=lambda d: d["subset"].map(lambda s: SUBSETS[s][lang]),
        human=lambda d: d["subset"].map(human["number"]))
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("model_label:N", sort=list(MODELS.values()), title=None, axis=alt.Axis(labelAngle=-20, labelLimit=220)),
        xOffset=alt.XOffset("prompt:N", sort=order),
        y=alt.Y("value:Q", title=AXIS["accuracy"][lang], scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("prompt:N", sort=order, title=TEXT["prompt"][lang],
                        scale=alt.Scale(domain=order, range=[PROMPTING_COLORS["standard"], PROMPTING_COLORS["cot"]])),
        tooltip=["model:N", "prompt:N", "value:Q", "evidence:N"],
    )
    labels = bars.mark_text(dy=-6, fontSize=10, color="#333333").encode(text="value:Q")
    rule = alt.Chart().mark_rule(strokeDash=[5, 4], color="#d62728").encode(y="mean(human):Q")
    rule_text = alt.Chart().mark_text(align="right", x=228, dy=-6, color="#d62728").encode(
        y="mean(human):Q", text=alt.value(TEXT["human"][lang]))
    chart = alt.layer(bars, labels, rule, rule_text, data=plot).properties(width=230, height=260).facet(
        column=alt.Column("subset_label:N", sort=[SUBSETS[s][lang] for s in SUBSETS], title=None))
    source = cite(lang, "Suzgun et al. 2022 (arXiv 2210.09261v1), Table 2", "Suzgun 等 2022（arXiv 2210.09261v1）表 2")
    note = {"en": "The paper's Table 3 prints 63.3 for PaLM 540B CoT on all tasks, against 65.2 in Table 2.",
            "zh": "论文表 3 中 PaLM 540B 思维链在全部任务上为 63.3，而表 2 为 65.2。"}[lang]
    return Chart(chart, data, source=source, note=note)
