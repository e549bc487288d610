"""The cot sweep: the article's chain-of-thought claim in miniature.

Two panels: exact match of the final answer against size, one colour per target format (direct, scratchpad),
every seed a dot and the seed means joined; and the scratchpad's gain (scratchpad minus direct) against size,
each seed's paired difference a dot and the difference of the seed means joined, with the zero line.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.evidence import lab_cot as views
from artifact.evidence.lab import row_id
from artifact.evidence.store import Evidence
from artifact.exhibits.labels import cite
from artifact.exhibits.registry import Chart, register

PRESET = "cot"
TEXT = {
    "exact": {"en": "Exact match of the final answer", "zh": "最终答案的完全匹配"},
    "gain": {"en": "Scratchpad's gain (scratchpad − direct)", "zh": "草稿格式的增益（草稿 − 直接）"},
    "x": {"en": "Parameters (log scale)", "zh": "参数量（对数坐标）"},
    "format": {"en": "Target format", "zh": "目标格式"},
    "direct": {"en": "direct", "zh": "直接"},
    "scratchpad": {"en": "scratchpad", "zh": "草稿"},
    "gain_series": {"en": "gain", "zh": "增益"},
    "series": {"en": "Series", "zh": "数据"},
    "mean": {"en": "mean of seeds", "zh": "种子均值"},
    "seed": {"en": "one seed", "zh": "单个种子"},
}
COLORS = {"direct": "#d95f02", "scratchpad": "#1b9e77", "gain": "#444444"}
WIDTH, HEIGHT = 300, 190


def _ref(metric: str, form: str, w: int, s: int) -> str:
    return f"lab:{row_id(PRESET, metric, 0, w, s, False, form)}"


def cot_data(metrics: pd.DataFrame) -> pd.DataFrame:
    """Every number the exhibit plots, one row per mark, each citing its evidence rows."""
    rows = []
    for m in metrics.sort_values(["format", "width", "seed"]).itertuples(index=False):
        rows.append({"panel": "exact", "format": m.format, "series": "seed", "width": m.width, "seed": m.seed,
                     "parameters": m.parameters, "value": m.exact_match, "derivation": "",
                     "evidence": _ref("exact_match", m.format, m.width, m.seed)})
    for r in views.format_means(metrics).itertuples(index=False):
        rows.append({"panel": "exact", "format": r.format, "series": "mean", "width": r.width, "seed": "",
                     "parameters": r.parameters, "value": round(r.mean, 9), "derivation": "mean",
                     "evidence": ";".join(_ref("exact_match", r.format, r.width, s) for s in r.seeds)})
    wide = metrics.pivot_table(index=["width", "seed"], columns="format", values="exact_match", aggfunc="first")
    params = metrics.groupby("width")["parameters"].first()
    for (w, s), pair in wide.iterrows():
        rows.append({"panel": "gain", "format": "gain", "series": "seed", "width": w, "seed": s,
                     "parameters": params[w], "value": round(pair["scratchpad"] - pair["direct"], 9),
                     "derivation": "gain", "evidence": f"{_ref('exact_match', 'scratchpad', w, s)};"
                                                       f"{_ref('exact_match', 'direct', w, s)}"})
    for r in views.gain_table(metrics).itertuples(index=False):
        # scratchpad's seeds first, then direct's: the mean of the first half minus the mean of the second
        refs = [_ref("exact_match", f, r.width, s) for f in ("scratchpad", "direct") for s in r.seeds]
        rows.append({"panel": "gain", "format": "gain", "series": "mean", "width": r.width, "seed": "",
                     "parameters": r.parameters, "value": round(r.gain, 9), "derivation": "gain-of-means",
                     "evidence": ";".join(refs)})
    return pd.DataFrame(rows)


def _panel(part: pd.DataFrame, title: str, t: dict, color: alt.Color, y: alt.Y):
    x = alt.X("parameters:Q", scale=alt.Scale(type="log"), title=t["x"], axis=alt.Axis(format="~s", tickCount=5))
    base = alt.Chart(part, title=title).encode(x=x, y=y, color=color,
                                                tooltip=["label:N", "width:N", "seed:N", "parameters:Q", "value:Q",
                                                         "evidence:N"])
    dots = base.transform_filter(alt.datum.series == "seed").mark_point(filled=True, size=28, opacity=0.55)
    lines = base.transform_filter(alt.datum.series == "mean").mark_line(point=True)
    return (dots + lines).properties(width=WIDTH, height=HEIGHT)


@register("lab-cot", kind="chart", inputs=(f"lab:{PRESET}",),
          title_en="This project's cot sweep: does a scratchpad help only larger models?",
          title_zh="本项目的思维链扫描：草稿只对更大的模型有帮助吗？",
          alt_en="Two charts from this project's cot sweep. Left: exact match of the final answer against parameters on a log scale, for models trained with direct targets and with a scratchpad of column totals, one dot per seed and a line through the seed means. Right: the scratchpad's gain (its exact match minus direct's) against parameters, one dot per seed and a line through the gain of the seed means, with a zero line.",
          alt_zh="两幅图，来自本项目的思维链扫描。左：最终答案的完全匹配随参数量（对数坐标）的变化，分别为用直接目标和用逐列草稿训练的模型，每个种子一个点，折线连接种子均值。右：草稿格式的增益（其完全匹配减去直接格式的）随参数量的变化，每个种子一个点，折线连接种子均值之差，并画出零线。")
def build(ev: Evidence, lang: str) -> Chart:
    config, metrics = ev.lab(PRESET)
    data = cot_data(metrics)
    t = {k: v[lang] for k, v in TEXT.items()}
    shown = data.assign(label=lambda d: d["format"].map({k: t[k if k != "gain" else "gain_series"]
                                                         for k in COLORS}))
    color = alt.Color("label:N", title=t["format"],
                      scale=alt.Scale(domain=[t["direct"], t["scratchpad"], t["gain_series"]],
                                      range=list(COLORS.values())))
    exact = _panel(shown[shown["panel"] == "exact"], t["exact"], t, color,
                   alt.Y("value:Q", scale=alt.Scale(domain=[0, 1]), title=None))
    zero = alt.Chart(pd.DataFrame({"value": [0.0]})).mark_rule(color="#999999", strokeDash=[4, 3]).encode(y="value:Q")
    gain = _panel(shown[shown["panel"] == "gain"], t["gain"], t, color,
                  alt.Y("value:Q", scale=alt.Scale(domain=[-1, 1]), title=None)) + zero
    # A wrapping concat, two across here; the site re-wraps it to the reader's screen.
    chart = alt.concat(exact, gain, columns=2, spacing=30)
    sizes = f"{metrics['parameters'].min():,}–{metrics['parameters'].max():,}"
    steps = int(metrics["steps"].iloc[0])
    tokens = {f: int(p["tokens"].iloc[0]) for f, p in metrics.groupby("format")}
    source = cite(lang,
                  f"this project's lab sweep ({config['preset']}, artifact/data/lab): {config['digits']}-digit "
                  f"addition, {metrics['width'].nunique()} sizes of {sizes} parameters x {metrics['seed'].nunique()} "
                  f"seeds x 2 target formats, the same {config['train_items']:,} training problems and {steps:,} "
                  f"optimiser steps for both ({tokens['direct']:,} tokens seen with direct targets, "
                  f"{tokens['scratchpad']:,} with the scratchpad), {config['heldout_items']} held-out problems",
                  f"本项目的扫描实验（{config['preset']}，artifact/data/lab）：{config['digits']} 位数加法，"
                  f"{metrics['width'].nunique()} 种规模（{sizes} 个参数）× {metrics['seed'].nunique()} 个种子 × "
                  f"2 种目标格式，两者使用相同的 {config['train_items']:,} 道训练题和 {steps:,} 步优化"
                  f"（直接格式见到 {tokens['direct']:,} 个词元，草稿格式 {tokens['scratchpad']:,} 个），"
                  f"{config['heldout_items']} 道留出题")
    return Chart(chart, data[["panel", "format", "series", "width", "seed", "parameters", "value", "derivation",
                              "evidence"]], source=source)
