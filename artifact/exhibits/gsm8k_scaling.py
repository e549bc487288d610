"""GSM8K solve rate vs model size, standard vs chain-of-thought (the article's Figure 1),
with this project's own complete runs as a fourth panel."""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.evidence.store import Evidence
from artifact.exhibits.labels import AXIS, PROMPTING, PROMPTING_COLORS, cite, numbers
from artifact.exhibits.registry import Chart, register

# The panels of Wei et al. Figure 4; UL2 20B and Codex are in their Table 2 but not in the figure.
PANELS = {"LaMDA": "LaMDA", "GPT-3 (InstructGPT)": "GPT-3", "PaLM": "PaLM"}
SETTINGS = {"standard_prompting": "standard", "chain_of_thought": "cot"}
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


def scaling_rows(wei: pd.DataFrame) -> pd.DataFrame:
    """Wei et al. v6 Table 2 GSM8K cells of the three plotted families, with prompting names."""
    rows = wei[wei["location"].str.startswith("Appendix B Table 2")
               & wei["model_family"].isin(PANELS) & wei["setting"].isin(SETTINGS)]
    return rows.assign(prompting=rows["setting"].map(SETTINGS), panel=rows["model_family"].map(PANELS))


@register("gsm8k-scaling", kind="chart", inputs=("published:wei2022cot", "runs:*"),
          title_en="GSM8K: chain of thought only pays off in large models",
          title_zh="GSM8K：思维链只在大模型上有效")
def build(ev: Evidence, lang: str) -> Chart:
    wei = ev.published("wei2022cot")
    rows = scaling_rows(wei)
    prior = wei.loc[PRIOR_BEST]
    data = numbers(rows, "wei2022cot", ["panel", "model", "params_billion", "prompting"])
    prior_row = numbers(wei.loc[[PRIOR_BEST]], "wei2022cot", ["model", "params_billion"])
    data = pd.concat([data, run_rows(ev.runs()), prior_row.assign(panel="all", prompting="prior_best")[data.columns]],
                     ignore_index=True)
    panels = [*PANELS.values(), *([RUNS_PANEL] if (data["panel"] == RUNS_PANEL).any() else [])]
    plot = data[data["prompting"] != "prior_best"].assign(
        label=lambda d: d["prompting"].map(lambda p: PROMPTING[p][lang]), prior=prior["number"],
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
    lines = base.mark_line(point=True).encode(tooltip=["model:N", "params_billion:Q", "value:Q", "evidence:N"])
    rule = alt.Chart().mark_rule(strokeDash=[5, 4], color="#d62728").encode(y="mean(prior):Q")
    rule_text = alt.Chart().mark_text(align="left", dx=4, dy=-6, color="#d62728").encode(
        x=alt.value(0), y="mean(prior):Q", text=alt.value(f"{TEXT['prior'][lang]} ({prior['value']})"))
    chart = alt.layer(lines, rule, rule_text, data=plot).properties(width=220, height=220).facet(
        column=alt.Column("panel_label:N", title=TEXT["panel"][lang],
                          sort=[TEXT["runs"][lang] if p == RUNS_PANEL else p for p in panels]),
    )
    source = cite(lang, "Wei et al. 2022 (arXiv 2201.11903v6), Appendix B Table 2; prior best: Table 1",
                  "Wei 等 2022（arXiv 2201.11903v6）附录 B 表 2；此前最佳：表 1")
    if RUNS_PANEL in panels:
        source += TEXT["runs_source"][lang]
    return Chart(chart, data, source=source)
