"""The lengths sweep: the article's step put to its two critics on the same models.

Six panels, coloured by answer length: exact match and per-token accuracy against size (the step, and how
it moves with the length); p^L predicted from per-token accuracy against the measured exact match (the
metric explanation); exact match and per-token accuracy against held-out loss per answer token (the
loss explanation); and the size at which each metric reaches half its rise, per answer length.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.evidence import lab_lengths as views
from artifact.evidence.lab import answer_tokens, row_id
from artifact.evidence.store import Evidence
from artifact.exhibits.labels import cite
from artifact.exhibits.registry import Chart, register

PRESET = "lengths"
TEXT = {
    "exact_size": {"en": "Exact match against size", "zh": "完全匹配与规模"},
    "token_size": {"en": "Per-token accuracy against size", "zh": "逐词元准确率与规模"},
    "power": {"en": "Predicted p^L against measured exact match", "zh": "由 p^L 预测的与实测的完全匹配"},
    "exact_loss": {"en": "Exact match against loss", "zh": "完全匹配与损失"},
    "token_loss": {"en": "Per-token accuracy against loss", "zh": "逐词元准确率与损失"},
    "halfway": {"en": "Size at half of the rise", "zh": "达到一半提升时的规模"},
    "params": {"en": "Parameters (log scale)", "zh": "参数量（对数坐标）"},
    "answer_loss": {"en": "Loss on the scored answer tokens (nats, log scale)",
                    "zh": "被评分答案词元上的损失（奈特，对数坐标）"},
    "heldout_loss": {"en": "Held-out loss, unscored problems (nats, log scale)",
                     "zh": "留出损失，未评分题目（奈特，对数坐标）"},
    "measured": {"en": "Measured exact match", "zh": "实测完全匹配"},
    "predicted": {"en": "p^L", "zh": "p^L"},
    "tokens": {"en": "Answer tokens (L)", "zh": "答案词元数（L）"},
    "exact": {"en": "exact match", "zh": "完全匹配"},
    "token": {"en": "per-token accuracy", "zh": "逐词元准确率"},
    "metric": {"en": "Metric", "zh": "指标"},
    "r2": {"en": "one curve explains R² = {loss:.2f} (against size {size:.2f})",
           "zh": "单条曲线解释 R² = {loss:.2f}（对规模为 {size:.2f}）"},
    "err": {"en": "mean |p^L − exact match| = {err:.3f}", "zh": "|p^L − 完全匹配| 的均值 = {err:.3f}"},
}
COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]
WIDTH, HEIGHT = 210, 150


def _ref(metric: str, d: int, w: int, s: int) -> str:
    return f"lab:{row_id(PRESET, metric, d, w, s, True)}"


def lengths_data(metrics: pd.DataFrame) -> pd.DataFrame:
    """Every number the exhibit plots, one row per mark, each citing its evidence rows. The loss panels use
    heldout_loss where the sweep has it, else the loss of the scored answer tokens (derived from their
    log-likelihood)."""
    rows = []
    held = views.loss_axis(metrics) == "heldout_loss"
    for m in metrics.sort_values(["digits", "width", "seed"]).itertuples(index=False):
        L, key = answer_tokens(m.digits), (m.digits, m.width, m.seed)
        base = {"tokens": L, "width": m.width, "seed": m.seed, "parameters": m.parameters}
        loss = ({"x": m.heldout_loss, "x_derivation": "", "x_evidence": _ref("heldout_loss", *key)} if held else
                {"x": round(float(m.answer_loss), 9), "x_derivation": f"loss:{L}",
                 "x_evidence": _ref("log_likelihood", *key)})
        for metric, short in (("exact_match", "exact"), ("token_accuracy", "token")):
            value = {"value": getattr(m, metric), "derivation": "", "evidence": _ref(metric, *key)}
            rows.append({"panel": f"{short}_size", "series": "seed", **base, "x": m.parameters,
                         "x_derivation": "", "x_evidence": "", **value})
            rows.append({"panel": f"{short}_loss", "series": "seed", **base, **loss, **value})
        rows.append({"panel": "power", "series": "seed", **base, "x": m.exact_match, "x_derivation": "",
                     "x_evidence": _ref("exact_match", *key), "value": round(m.token_accuracy ** L, 9),
                     "derivation": f"power:{L}", "evidence": _ref("token_accuracy", *key)})
    for metric, short in (("exact_match", "exact"), ("token_accuracy", "token")):
        means = views.seed_means_by_length(metrics, metric)
        for r in means.itertuples(index=False):
            seeds = sorted(metrics[(metrics["digits"] == r.digits) & (metrics["width"] == r.width)]["seed"])
            rows.append({"panel": f"{short}_size", "series": "mean", "tokens": answer_tokens(r.digits),
                         "width": r.width, "seed": "", "parameters": r.parameters, "x": r.parameters,
                         "x_derivation": "", "x_evidence": "", "value": round(r.mean, 9), "derivation": "mean",
                         "evidence": ";".join(_ref(metric, r.digits, r.width, s) for s in seeds)})
    halfway = views.halfway_table(metrics)
    for r in halfway.itertuples(index=False):
        if not views.finite(r.halfway):
            continue  # the metric does not rise at this length: nothing to place
        part = metrics[metrics["digits"] == r.digits]
        rows.append({"panel": "halfway", "series": "exact" if r.metric == "exact_match" else "token",
                     "tokens": r.tokens, "width": "", "seed": "", "parameters": "", "x": r.tokens,
                     "x_derivation": "", "x_evidence": "", "value": round(r.halfway, 3), "derivation": "halfway",
                     "evidence": ";".join(_ref(r.metric, d, w, s) for d, w, s in
                                          part[["digits", "width", "seed"]].itertuples(index=False))})
    return pd.DataFrame(rows)


@register("lab-lengths", kind="chart", inputs=(f"lab:{PRESET}",),
          title_en="This project's lengths sweep: the step put to its two explanations",
          title_zh="本项目的答案长度扫描：用两种解释检验陡升",
          alt_en="Six small charts from this project's lengths sweep: exact match and per-token accuracy against parameters for answers of 4, 5 and 6 tokens; exact match predicted as per-token accuracy to the power of the answer length against the measured value; both metrics against held-out loss per answer token; and the size at which each metric reaches half its rise, per answer length.",
          alt_zh='六幅小图，来自本项目的答案长度扫描：答案为 4、5、6 个词元时完全匹配与逐词元准确率随参数量的变化；以逐词元准确率的答案长度次方预测的完全匹配与实测值的对照；两种指标随每个答案词元的留出损失的变化；以及各指标达到其提升一半时的规模与答案长度的关系。')
def build(ev: Evidence, lang: str) -> Chart:
    config, metrics = ev.lab(PRESET)
    data = lengths_data(metrics)
    t = {k: v[lang] for k, v in TEXT.items()}
    lengths = sorted(data["tokens"].unique().tolist())
    color = alt.Color("tokens:O", title=t["tokens"], scale=alt.Scale(domain=lengths, range=COLORS[:len(lengths)]))
    log = alt.Scale(type="log")
    unit = alt.Scale(domain=[0, 1])

    def panel(name: str, title, x, y, lines: bool = True):
        part = data[data["panel"] == name]
        base = alt.Chart(part, title=title).encode(x=x, y=y, color=color,
                                                   tooltip=["tokens:O", "width:N", "seed:N", "x:Q", "value:Q",
                                                            "evidence:N"])
        dots = base.transform_filter(alt.datum.series == "seed").mark_point(filled=True, size=22, opacity=0.6)
        layer = (dots + base.transform_filter(alt.datum.series == "mean").mark_line(point=True)) if lines else dots
        return layer.properties(width=WIDTH, height=HEIGHT)

    x_size = alt.X("x:Q", scale=log, title=t["params"], axis=alt.Axis(format="~s", tickCount=4))
    axis = views.loss_axis(metrics)
    # Every other decade on the answer-token loss: at a phone's panel width 0.0001 and 0.001 ran into each other.
    x_loss = alt.X("x:Q", scale=log, title=t[axis],
                   axis=alt.Axis(values=[0.0001, 0.01, 1]) if axis == "loss_per_token" else alt.Axis(tickCount=4))
    err = float(views.power_table(metrics)["error"].abs().mean())
    r2 = {m: (views.one_curve_r2(metrics, m, axis), views.one_curve_r2(metrics, m, "parameters"))
          for m in ("exact_match", "token_accuracy")}
    exact_size = panel("exact_size", t["exact_size"], x_size, alt.Y("value:Q", scale=unit, title=None))
    token_size = panel("token_size", t["token_size"], x_size, alt.Y("value:Q", scale=unit, title=None))
    power = panel("power", alt.Title(t["power"], subtitle=t["err"].format(err=err)),
                  alt.X("x:Q", scale=unit, title=t["measured"]),
                  alt.Y("value:Q", scale=unit, title=t["predicted"]), lines=False)
    diagonal = alt.Chart(pd.DataFrame({"x": [0.0, 1.0], "value": [0.0, 1.0]})).mark_line(
        color="#999999", strokeDash=[4, 3]).encode(x="x:Q", y="value:Q")
    exact_loss = panel("exact_loss", alt.Title(t["exact_loss"], subtitle=t["r2"].format(
        loss=r2["exact_match"][0], size=r2["exact_match"][1])), x_loss,
        alt.Y("value:Q", scale=unit, title=None), lines=False)
    token_loss = panel("token_loss", alt.Title(t["token_loss"], subtitle=t["r2"].format(
        loss=r2["token_accuracy"][0], size=r2["token_accuracy"][1])), x_loss,
        alt.Y("value:Q", scale=unit, title=None), lines=False)
    half = data[data["panel"] == "halfway"].assign(metric=lambda d: d["series"].map({"exact": t["exact"],
                                                                                     "token": t["token"]}))
    halfway = alt.Chart(half, title=t["halfway"]).mark_line(point={"color": "#444444"}, color="#444444").encode(
        x=alt.X("x:O", title=t["tokens"], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", scale=log, title=t["params"], axis=alt.Axis(format="~s", tickCount=4)),
        strokeDash=alt.StrokeDash("metric:N", title=t["metric"]),
        tooltip=["x:O", "metric:N", "value:Q"]).properties(width=WIDTH, height=HEIGHT)
    # A wrapping concat, three across here; the site re-wraps it to the reader's screen.
    chart = alt.concat(exact_size, token_size, power + diagonal, exact_loss, token_loss, halfway, columns=3,
                       spacing=25).resolve_scale(color="shared", strokeDash="independent")
    sizes = f"{metrics['parameters'].min():,}–{metrics['parameters'].max():,}"
    digits = ", ".join(str(d) for d in sorted(metrics["digits"].unique()))
    source = cite(lang,
                  f"this project's lab sweep ({config['preset']}, artifact/data/lab): {digits}-digit operands x "
                  f"{metrics['width'].nunique()} sizes of {sizes} parameters x {metrics['seed'].nunique()} seeds, "
                  f"{config['tokens']:,} training tokens each, {config['heldout_items']} held-out problems per task",
                  f"本项目的扫描实验（{config['preset']}，artifact/data/lab）：{digits} 位操作数 × "
                  f"{metrics['width'].nunique()} 种规模（{sizes} 个参数）× {metrics['seed'].nunique()} 个种子，"
                  f"每个模型训练 {config['tokens']:,} 个词元，每个任务 {config['heldout_items']} 道留出题")
    return Chart(chart, data[["panel", "series", "tokens", "width", "seed", "parameters", "x", "x_derivation",
                              "x_evidence", "value", "derivation", "evidence"]], source=source)
