"""GSM8K solve rate vs model size, standard vs chain-of-thought (the article's Figure 1),
with this project's own complete runs as a fourth panel."""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.views import WEI_PANELS as PANELS
from artifact.evidence.views import scaling_rows
from artifact.exhibits.labels import (
    AXIS,
    PROMPTING,
    PROMPTING_COLORS,
    TIP,
    cite,
    numbers,
    source_of,
    tooltip,
    with_provenance,
)
from artifact.exhibits.registry import Chart, register

PRIOR_BEST = "t1/prior-best-finetuning/finetuned-verifier/gsm8k/solve-rate-pct"
TEXT = {
    "prior": {"en": "Prior supervised best", "zh": "此前有监督最佳"},
    "panel": {"en": "Model family", "zh": "模型系列"},
    "legend": {"en": "Prompting", "zh": "提示方式"},
    "runs": {"en": "This project's runs", "zh": "本项目的运行"},
    "runs_source": {"en": "; fresh runs: artifact/data/runs (8-shot, greedy, full test set)",
                    "zh": "；新运行：artifact/data/runs（8 个示例，贪心解码，完整测试集）"},
}
RUNS_PANEL = "runs"


def run_rows(runs: pd.DataFrame) -> pd.DataFrame:
    """Complete fresh runs in the same shape as ``numbers`` output (evidence ref 'runs:<run>/<style>')."""
    done = runs[runs["complete"] & (runs["task"] == "gsm8k") & runs["params_billion"].notna()
                & runs["prompting"].isin(["standard", "cot"])]
    return pd.DataFrame({"panel": RUNS_PANEL, "model": done["model"], "params_billion": done["params_billion"],
                         "prompting": done["prompting"], "value": done["number"],
                         "evidence": [f"runs:{i}" for i in done["id"]]}).reset_index(drop=True)


@register("gsm8k-scaling", kind="chart", inputs=("published:wei2022cot", "runs:*"),
          title_en="GSM8K: chain of thought only pays off in large models",
          title_zh="GSM8K：思维链只在大模型上有效",
          alt_en="Line charts, one per model family (LaMDA, GPT-3, PaLM, and this project's runs): GSM8K solve rate against parameters on a log scale, standard and chain-of-thought prompting; chain of thought stays flat for small models and overtakes standard prompting only for the largest, with a dashed line at the prior supervised best of 55.",
          alt_zh='折线图，每个模型系列一幅（LaMDA、GPT-3、PaLM 以及本项目的运行）：GSM8K 解题率随参数量（对数坐标）的变化，标准提示与思维链提示；思维链在小模型上几乎不变，只在最大的模型上超过标准提示；虚线标出此前监督学习的最好成绩 55。')
def build(ev: Evidence, lang: str) -> Chart:
    wei = ev.published("wei2022cot")
    rows = scaling_rows(wei)
    prior = wei.loc[PRIOR_BEST]
    data = numbers(rows, "wei2022cot", ["panel", "model", "params_billion", "prompting"])
    prior_row = numbers(wei.loc[[PRIOR_BEST]], "wei2022cot", ["model", "params_billion"])
    data = pd.concat([data, run_rows(ev.runs()), prior_row.assign(panel="all", prompting="prior_best")[data.columns]],
                     ignore_index=True)
    panels = [*PANELS.values(), *([RUNS_PANEL] if (data["panel"] == RUNS_PANEL).any() else [])]
    plot = with_provenance(data[data["prompting"] != "prior_best"], ev, lang).assign(
        label=lambda d: d["prompting"].map(lambda p: PROMPTING[p][lang]), prior=prior["number"],
        prior_printed=prior["value"], prior_model=prior["model"],
        prior_source=source_of(ev, prior_row["evidence"][0], lang),
        panel_label=lambda d: d["panel"].map(lambda p: TEXT["runs"][lang] if p == RUNS_PANEL else p))
    order = [PROMPTING[p][lang] for p in ("standard", "cot")]
    color = alt.Color("label:N", title=TEXT["legend"][lang], sort=order,
                      scale=alt.Scale(domain=order, range=[PROMPTING_COLORS[p] for p in ("standard", "cot")]))
    base = alt.Chart().encode(
        x=alt.X("params_billion:Q", scale=alt.Scale(type="log"), title=AXIS["params"][lang],
              axis=alt.Axis(values=[0.1, 1, 10, 100, 1000], format="~g", grid=False)),
        y=alt.Y("value:Q", title=AXIS["solve_rate"][lang], scale=alt.Scale(domain=[0, 70])),
        color=color,
    )
    lines = base.mark_line(point=True).encode(tooltip=tooltip(lang, setting="label"))
    prior_tip = [alt.Tooltip("prior_printed:N", title=TIP["printed"][lang]),
                 alt.Tooltip("prior_model:N", title=TIP["model"][lang]),
                 alt.Tooltip("prior_source:N", title=TIP["source"][lang])]
    rule = alt.Chart().mark_rule(strokeDash=[5, 4], color="#d62728").encode(
        y="mean(prior):Q", tooltip=prior_tip)
    rule_text = alt.Chart().mark_text(align="left", dx=4, dy=-6, color="#d62728").encode(
        x=alt.value(0), y="mean(prior):Q", text=alt.value(f"{TEXT['prior'][lang]} ({prior['value']})"))
    # Panels wrap two to a row here; the site re-wraps them to the width of the reader's screen.
    chart = alt.layer(lines, rule, rule_text, data=plot).properties(width=220, height=220).facet(
        facet=alt.Facet("panel_label:N", title=TEXT["panel"][lang],
                        sort=[TEXT["runs"][lang] if p == RUNS_PANEL else p for p in panels]),
        columns=2,
    ).resolve_axis(x="independent")  # every panel keeps its x labels when panels stack
    source = cite(lang, "Wei et al. 2022 (arXiv 2201.11903v6), Appendix B Table 2; prior best: Table 1",
                  "Wei 等 2022（arXiv 2201.11903v6）附录 B 表 2；此前最佳：表 1")
    if RUNS_PANEL in panels:
        source += TEXT["runs_source"][lang]
    return Chart(chart, data, source=source)
