"""Wei et al. 2022 (Emergent Abilities) Table 1: the scale at which each ability emerges."""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.evidence.store import Evidence
from artifact.exhibits.labels import cite, numbers
from artifact.exhibits.registry import Chart, register

CATEGORIES = {"Few-shot prompting abilities": {"en": "Few-shot prompting", "zh": "少样本提示"},
              "Augmented prompting abilities": {"en": "Augmented prompting", "zh": "增强提示"}}
TEXT = {"flops": {"en": "Training FLOPs at emergence (log scale)", "zh": "突现时的训练计算量 FLOPs（对数坐标）"},
        "task": {"en": "Ability", "zh": "能力"}, "category": {"en": "Category", "zh": "类别"}}


@register("emergent-tasks", kind="chart", inputs=("published:wei2022emergent",),
          title_en="Emergent abilities and the scale at which they appear",
          title_zh="各项突现能力及其出现时的规模")
def build(ev: Evidence, lang: str) -> Chart:
    rows = ev.published("wei2022emergent").rename(columns={"setting": "category", "benchmark": "task"})
    rows["quantity"] = rows["metric"].map(lambda m: "flops" if "FLOPs" in m else "params_billion")
    data = numbers(rows, "wei2022emergent", ["category", "task", "model", "quantity"])
    flops = data[data["quantity"] == "flops"].reset_index(drop=True)
    order = list(flops.sort_values(["value", "task"])["task"])
    plot = flops.assign(category_label=flops["category"].map(lambda c: CATEGORIES[c][lang]))
    base = alt.Chart(plot).encode(
        y=alt.Y("task:N", sort=order, title=TEXT["task"][lang], axis=alt.Axis(labelLimit=320)),
        x=alt.X("value:Q", scale=alt.Scale(type="log"), title=TEXT["flops"][lang], axis=alt.Axis(format=".0e")),
    )
    points = base.mark_point(filled=True, size=70).encode(
        color=alt.Color("category_label:N", title=TEXT["category"][lang],
                        sort=[CATEGORIES[c][lang] for c in CATEGORIES]),
        tooltip=["task:N", "model:N", "value:Q", "evidence:N"])
    names = base.mark_text(align="left", dx=7, fontSize=10, color="#444444").encode(text="model:N")
    chart = alt.layer(points, names).properties(width=420, height=alt.Step(18))
    source = cite(lang, "Wei et al. 2022, Emergent Abilities (arXiv 2206.07682, v2 inferred), Table 1",
                  "Wei 等 2022《大语言模型的突现能力》（arXiv 2206.07682，推断为 v2）表 1")
    return Chart(chart, pd.concat([data], ignore_index=True), source=source)
