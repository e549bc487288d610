"""Two pictures of scale: Kaplan et al.'s log-linear law and a chain-of-thought phase change."""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.views import KAPLAN_ALPHA_N as ALPHA_N
from artifact.evidence.views import KAPLAN_N_C as N_C
from artifact.evidence.views import LAB_METRIC_NAMES as LAB_NAMES
from artifact.evidence.views import WEI_PANELS as PANELS
from artifact.evidence.views import evidence_ref, kaplan_curve, scaling_rows, seed_means
from artifact.exhibits.labels import AXIS, POWER_OF_TEN, cite, tooltip, with_provenance
from artifact.exhibits.registry import Chart, register

LAB_PRESET = "default"  # the lab sweep drawn in the third panel
TEXT = {
    # Panel titles on two lines, so a panel is no wider than its plot on a phone.
    "law": {"en": ["Scaling law: log-linear", "L(N) = (N_c/N)^α_N (Kaplan et al. 2020, Eq. 1.1)"],
            "zh": ["缩放法则：对数线性", "L(N) = (N_c/N)^α_N（Kaplan 等 2020，式 1.1）"]},
    "phase": {"en": ["Emergence: phase change", "(GSM8K, chain of thought)"], "zh": ["突现：相变", "（GSM8K，思维链）"]},
    "n": {"en": "Non-embedding parameters N (log scale)", "zh": "非嵌入参数量 N（对数坐标）"},
    "loss": {"en": "Test loss L(N), nats (lower is better)", "zh": "测试损失 L(N)，奈特（越低越好）"},
    "curve": {"en": "curve computed from N_c and α_N", "zh": "由 N_c 与 α_N 计算的曲线"},
    "family": {"en": "Model family", "zh": "模型系列"},
    "lab": {"en": ["This project's lab:", "{d}-digit addition (seed means)"], "zh": ["本项目实验：", "{d} 位数加法（种子均值）"]},
    "lab_x": {"en": "Parameters (log scale)", "zh": "参数量（对数坐标）"},
    "lab_y": {"en": "Score on held-out problems (0-1)", "zh": "留出题目上的得分（0—1）"},
    "metric": {"en": "Metric", "zh": "指标"},
}
LAB_METRICS = ("exact_match", "token_accuracy")


def lab_rows(metrics: pd.DataFrame) -> pd.DataFrame:
    """Seed means of the lab's exact match and per-token accuracy per size, citing every seed's row."""
    rows = []
    for metric in LAB_METRICS:
        for r in seed_means(metrics, metric).itertuples(index=False):
            rows.append({"panel": "lab", "series": metric, "x": r.parameters, "x_unit": "parameters",
                         "value": round(r.mean, 6), "derivation": "mean",
                         "evidence": ";".join(f"lab:{LAB_PRESET}/{metric}/w{r.width}/s{s}" for s in r.seeds)})
    return pd.DataFrame(rows)


@register("scaling-vs-emergence", kind="chart",
          inputs=("published:kaplan2020scaling", "published:wei2022cot", f"lab:{LAB_PRESET}"),
          title_en="Scaling law vs emergent ability", title_zh="缩放法则与突现能力",
          alt_en="Three panels: Kaplan et al.'s test loss falling as a straight line against parameters on a log scale; GSM8K chain-of-thought accuracy of LaMDA, GPT-3 and PaLM, flat and then jumping at the largest sizes; and this project's lab sweep, exact match and per-token accuracy against parameters.",
          alt_zh='三个面板：Kaplan 等的测试损失随参数量（对数坐标）呈直线下降；LaMDA、GPT-3 和 PaLM 在 GSM8K 上的思维链准确率先平后在最大规模处跃升；以及本项目扫描实验中完全匹配和逐词元准确率随参数量的变化。')
def build(ev: Evidence, lang: str) -> Chart:
    kaplan = ev.published("kaplan2020scaling")
    n_c, alpha = kaplan.loc[N_C, "number"], kaplan.loc[ALPHA_N, "number"]
    law = kaplan_curve(n_c, alpha).assign(
        panel="scaling-law", series="kaplan-eq-1.1", x_unit="parameters", derivation="(N_c/x)^alpha_N",
        evidence=f"{evidence_ref('kaplan2020scaling', N_C)};{evidence_ref('kaplan2020scaling', ALPHA_N)}")
    cot = scaling_rows(ev.published("wei2022cot")).query("prompting == 'cot'")
    phase = pd.DataFrame({"panel": "phase-change", "series": cot["panel"], "model": cot["model"], "x": cot["params_billion"],
                          "x_unit": "billions of parameters", "value": cot["number"], "derivation": "",
                          "evidence": [evidence_ref("wei2022cot", i) for i in cot["id"]]})
    config, metrics = ev.lab(LAB_PRESET)
    lab = lab_rows(metrics)
    data = pd.concat([law, phase, lab], ignore_index=True)[
        ["panel", "series", "x", "x_unit", "value", "derivation", "evidence"]]

    def title(text: list[str]) -> alt.Title:
        return alt.Title(text, fontSize=13)

    law_plot = with_provenance(law, ev, lang).assign(source=lambda d: d["source"] + " (" + TEXT["curve"][lang] + ")")
    # The curve's grid points are invisible but answer a hover with the computed loss.
    left = alt.Chart(law_plot, title=title(TEXT["law"][lang])).mark_line(color="#2ca02c", point=alt.OverlayMarkDef(
        size=80, opacity=0)).encode(
        x=alt.X("x:Q", scale=alt.Scale(type="log"), title=TEXT["n"][lang], axis=alt.Axis(labelExpr=POWER_OF_TEN, tickCount=5)),
        y=alt.Y("value:Q", title=TEXT["loss"][lang], scale=alt.Scale(zero=False)),
        tooltip=tooltip(lang, model=None, extra=[alt.Tooltip("x:Q", title="N", format=".3~e")]),
    ).properties(width=300, height=240)
    phase_plot = with_provenance(phase, ev, lang).assign(family=phase["series"])
    right = alt.Chart(phase_plot, title=title(TEXT["phase"][lang])).mark_line(point=True).encode(
        x=alt.X("x:Q", scale=alt.Scale(type="log"), title=AXIS["params"][lang],
                axis=alt.Axis(values=[0.1, 1, 10, 100, 1000], format="~g")),
        y=alt.Y("value:Q", title=AXIS["solve_rate"][lang]),
        color=alt.Color("family:N", title=TEXT["family"][lang], sort=list(PANELS.values())),
        tooltip=tooltip(lang),
    ).properties(width=300, height=240)
    names = {m: LAB_NAMES[m][lang] for m in LAB_METRICS}
    lab_title = [line.format(d=config["digits"]) for line in TEXT["lab"][lang]]
    lab_plot = with_provenance(lab, ev, lang).assign(metric=lab["series"].map(names))
    ours = alt.Chart(lab_plot, title=title(lab_title)).mark_line(point=True).encode(
        x=alt.X("x:Q", scale=alt.Scale(type="log"), title=TEXT["lab_x"][lang], axis=alt.Axis(format="~s", tickCount=4)),
        y=alt.Y("value:Q", title=TEXT["lab_y"][lang], scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("metric:N", title=TEXT["metric"][lang], sort=list(names.values()),
                        scale=alt.Scale(range=["#08519c", "#ff7f0e"])),
        tooltip=tooltip(lang, model=None, setting="metric", extra=[alt.Tooltip("x:Q", title=TEXT["lab_x"][lang])]),
    ).properties(width=300, height=240)
    # A wrapping concat: three across here, re-wrapped on the site to the reader's screen.
    chart = alt.concat(left, right, ours, columns=3, spacing=40).resolve_scale(color="independent")
    source = cite(lang, f"Kaplan et al. 2020 (arXiv 2001.08361) Eq. 1.1, N_c = {kaplan.loc[N_C, 'value']}, "
                        f"α_N = {kaplan.loc[ALPHA_N, 'value']}; Wei et al. 2022 v6 Table 2; "
                        f"this project's lab sweep ({config['preset']}, artifact/data/lab)",
                  f"Kaplan 等 2020（arXiv 2001.08361）式 1.1，N_c = {kaplan.loc[N_C, 'value']}，"
                  f"α_N = {kaplan.loc[ALPHA_N, 'value']}；Wei 等 2022 v6 表 2；"
                  f"本项目的扫描实验（{config['preset']}，artifact/data/lab）")
    return Chart(chart, data, source=source)
