"""The lab sweep: each metric of the same held-out outputs against model size, with the seed spread.

The statistic shown in each panel title (and used by the lab claims) is the largest rise between
neighbouring sizes as a share of the whole rise from the smallest to the largest size, on seed means.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.views import LAB_METRIC_NAMES as NAMES
from artifact.evidence.views import largest_step_share, seed_means
from artifact.evidence.lab_schema import HIGHER_IS_BETTER, METRICS
from artifact.exhibits.labels import cite, tooltip, with_provenance
from artifact.exhibits.registry import Chart, register

PRESET = "default"
TEXT = {
    "x": {"en": "Parameters (log scale)", "zh": "参数量（对数坐标）"},
    "step": {"en": "largest step {share:.0%} of the rise", "zh": "最大一步占总提升的 {share:.0%}"},
    "mean": {"en": "mean of seeds", "zh": "种子均值"},
    "seed": {"en": "one seed", "zh": "单个种子"},
    "power": {"en": "token accuracy ^ {n}", "zh": "逐词元准确率的 {n} 次方"},
    "series": {"en": "Series", "zh": "数据"},
    "model": {"en": "width {w} ({p:,} parameters)", "zh": "宽度 {w}（{p:,} 个参数）"},
}


def answer_tokens(config: dict) -> int:
    """Tokens scored per answer: the sum's digits (one more than an operand) and the end mark."""
    return config["digits"] + 2


@register("lab-emergence", kind="chart", inputs=(f"lab:{PRESET}",),
          title_en="This project's sweep: one set of outputs, four metrics",
          title_zh="本项目的扫描实验：同一批输出，四种指标",
          alt_en="Four small charts from this project's default lab sweep: exact match, per-token accuracy, answer log-likelihood and token edit distance against parameters on a log scale, one dot per seed and a line through the seed means.",
          alt_zh='四幅小图，来自本项目的默认扫描实验：完全匹配、逐词元准确率、答案对数似然和词元编辑距离随参数量（对数坐标）的变化，每个种子一个点，折线连接种子均值。')
def build(ev: Evidence, lang: str) -> Chart:
    return sweep_chart(ev, lang, PRESET)


@register("lab-emergence-full", kind="chart", inputs=("lab:full",),
          title_en="This project's full sweep: ten seeds per size",
          title_zh="本项目的完整扫描：每个规模十个种子",
          alt_en="Four small charts from this project's full lab sweep (ten seeds per size): exact match rises in one sharp step while per-token accuracy, log-likelihood and edit distance change smoothly with parameters.",
          alt_zh='四幅小图，来自本项目的完整扫描（每个规模十个种子）：完全匹配随参数量一步陡升，而逐词元准确率、对数似然和编辑距离变化平缓。')
def build_full(ev: Evidence, lang: str) -> Chart:
    return sweep_chart(ev, lang, "full")


def sweep_chart(ev: Evidence, lang: str, preset: str) -> Chart:
    """Four panels (one per metric) of one lab sweep, with every seed and the seed means."""
    config, metrics = ev.lab(preset)
    n_tok = answer_tokens(config)
    rows, panels = [], []
    for metric in METRICS:
        stats = seed_means(metrics, metric)
        ordered = metrics.sort_values(["width", "seed"])[["width", "seed", "parameters", metric]]
        for w, s, p, v in ordered.itertuples(index=False):
            rows.append({"metric": metric, "series": "seed", "width": w, "seed": s, "parameters": p, "value": v,
                         "derivation": "", "evidence": f"lab:{preset}/{metric}/w{w}/s{s}"})
        for r in stats.itertuples(index=False):
            refs = ";".join(f"lab:{preset}/{metric}/w{r.width}/s{s}" for s in r.seeds)
            rows.append({"metric": metric, "series": "mean", "width": r.width, "seed": "", "parameters": r.parameters,
                         "value": round(r.mean, 6), "derivation": "mean", "evidence": refs})
            if metric == "token_accuracy":
                rows.append({"metric": "exact_match", "series": "power", "width": r.width, "seed": "",
                             "parameters": r.parameters, "value": round(r.mean ** n_tok, 6),
                             "derivation": f"power:{n_tok}", "evidence": refs})
    data = pd.DataFrame(rows)
    label = {"seed": TEXT["seed"][lang], "mean": TEXT["mean"][lang], "power": TEXT["power"][lang].format(n=n_tok)}
    colors = alt.Scale(domain=list(label.values()), range=["#9ecae1", "#08519c", "#d62728"])
    for metric in METRICS:
        part = with_provenance(data[data["metric"] == metric], ev, lang).assign(
            kind=lambda d: d["series"].map(label),
            model=lambda d: [TEXT["model"][lang].format(w=w, p=p) for w, p in zip(d["width"], d["parameters"])])
        share, _ = largest_step_share(part[part["series"] == "mean"]["value"].tolist(), HIGHER_IS_BETTER[metric])
        title = alt.Title(NAMES[metric][lang], subtitle=TEXT["step"][lang].format(share=share))
        base = alt.Chart(part, title=title).encode(
            x=alt.X("parameters:Q", scale=alt.Scale(type="log"), title=TEXT["x"][lang],
                    axis=alt.Axis(format="~s", tickCount=4)),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color("kind:N", scale=colors, title=TEXT["series"][lang]),
            tooltip=tooltip(lang, model="model", setting="kind"))
        dots = base.transform_filter(alt.datum.series == "seed").mark_point(filled=True, size=30, opacity=0.8)
        lines = base.transform_filter(alt.datum.series != "seed").mark_line(point=True).encode(
            strokeDash=alt.condition(alt.datum.series == "power", alt.value([5, 3]), alt.value([1, 0])))
        panels.append((dots + lines).properties(width=250, height=170))
    # A wrapping concat, two across here; the site re-wraps it to the reader's screen.
    chart = alt.concat(*panels, columns=2, spacing=30)
    sizes = f"{metrics['parameters'].min():,}–{metrics['parameters'].max():,}"
    seeds = metrics.groupby("width")["seed"].nunique().min()
    source = cite(lang,
                  f"this project's lab sweep ({config['preset']}, artifact/data/lab): {metrics['width'].nunique()} "
                  f"sizes of {sizes} parameters x {seeds} seeds, {config['tokens']:,} training tokens each, "
                  f"{config['heldout_items']} held-out {config['digits']}-digit additions",
                  f"本项目的扫描实验（{config['preset']}，artifact/data/lab）：{metrics['width'].nunique()} 种规模"
                  f"（{sizes} 个参数）× {seeds} 个种子，每个模型训练 {config['tokens']:,} 个词元，"
                  f"{config['heldout_items']} 道留出的 {config['digits']} 位数加法题")
    return Chart(chart, data[["metric", "series", "width", "seed", "parameters", "value", "derivation", "evidence"]],
                 source=source)
