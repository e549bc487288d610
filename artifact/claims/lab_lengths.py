"""The lab-lengths check: one statistic of a sweep over answer lengths against a bound stated before the
sweep ran (the statistics themselves are derived views in artifact/evidence/lab_lengths.py)."""

from __future__ import annotations

import math

import pandas as pd

from artifact.claims.schema import LabLengthsTest
from artifact.evidence import lab_lengths as views
from artifact.evidence.lab import row_id
from artifact.evidence.store import Evidence

METRIC = {"exact_match": ("exact match", "完全匹配"), "token_accuracy": ("per-token accuracy", "逐词元准确率")}


def _refs(sweep: str, metrics: pd.DataFrame, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"lab:{row_id(sweep, m, d, w, s, True)}" for m in names
                 for d, w, s in metrics[["digits", "width", "seed"]].itertuples(index=False))


def _bound(t: LabLengthsTest, value: float) -> tuple[bool, str, str]:
    ok = (t.at_least is None or value >= t.at_least) and (t.at_most is None or value <= t.at_most)
    en = " and ".join(([f"at least {t.at_least:g}"] if t.at_least is not None else [])
                      + ([f"at most {t.at_most:g}"] if t.at_most is not None else []))
    zh = "且".join(([f"至少 {t.at_least:g}"] if t.at_least is not None else [])
                  + ([f"至多 {t.at_most:g}"] if t.at_most is not None else []))
    return ok, en, zh


def _size(x: float) -> str:
    return "none" if not views.finite(x) else f"{x:,.0f}"


def statistic(t: LabLengthsTest, metrics: pd.DataFrame) -> tuple[float, str, str, tuple[str, ...]]:
    """(value, what it is in English, in Chinese, the metrics it reads)."""
    if t.statistic == "power-error":
        summary = views.power_summary(metrics)
        value = float(views.power_table(metrics)["error"].abs().mean())
        per = ", ".join(f"{r.tokens} tokens {r.mean_abs_error:.3f} (signed {r.mean_error:+.3f})"
                        for r in summary.itertuples())
        per_zh = "，".join(f"{r.tokens} 个词元 {r.mean_abs_error:.3f}（带符号 {r.mean_error:+.3f}）"
                          for r in summary.itertuples())
        en = f"mean |p^L - exact match| over {len(metrics)} models is {value:.4f} (by answer length: {per})"
        zh = f"{len(metrics)} 个模型上 |p^L - 完全匹配| 的均值为 {value:.4f}（按答案长度：{per_zh}）"
        return value, en, zh, ("exact_match", "token_accuracy")
    if t.statistic in ("halfway-grows", "halfway-ratio"):
        table = views.halfway_table(metrics)
        exact = table[table["metric"] == "exact_match"].set_index("tokens")["halfway"]
        token = table[table["metric"] == "token_accuracy"].set_index("tokens")["halfway"]
        sizes = ", ".join(f"{L} tokens {_size(exact[L])} vs {_size(token[L])}" for L in exact.index)
        sizes_zh = "，".join(f"{L} 个词元 {_size(exact[L])} 对 {_size(token[L])}" for L in exact.index)
        if t.statistic == "halfway-grows":
            ok = all(views.finite(x) for x in exact) and all(b > a for a, b in zip(exact, exact.iloc[1:]))
            value = float(ok)
            en = (f"half-way sizes of exact match vs per-token accuracy (parameters): {sizes}; exact match's "
                  f"{'grows' if ok else 'does not grow'} with every added answer token")
            zh = (f"完全匹配与逐词元准确率达到一半提升处的规模（参数量）：{sizes_zh}；完全匹配的这一规模"
                  f"{'随答案每多一个词元而增大' if ok else '并非随答案长度逐次增大'}")
            return value, en, zh, ("exact_match", "token_accuracy")
        ratios = [exact[L] / token[L] for L in exact.index]
        value = min(ratios) if all(views.finite(r) for r in ratios) else float("nan")
        en = f"half-way sizes of exact match vs per-token accuracy (parameters): {sizes}; least ratio {value:.2f}"
        zh = f"完全匹配与逐词元准确率达到一半提升处的规模（参数量）：{sizes_zh}；最小比值 {value:.2f}"
        return value, en, zh, ("exact_match", "token_accuracy")
    if t.statistic in ("one-curve", "loss-beats-size"):
        loss = views.one_curve_r2(metrics, t.metric, "answer_loss")
        size = views.one_curve_r2(metrics, t.metric, "parameters")
        name_en, name_zh = METRIC[t.metric]
        value = loss if t.statistic == "one-curve" else loss - size
        en = (f"one monotone curve of {name_en} explains R^2 = {loss:.3f} of its variance over all models against "
              f"held-out loss per answer token, {size:.3f} against parameters")
        zh = f"对全部模型，{name_zh}对每答案词元留出损失的单条单调曲线解释了 R^2 = {loss:.3f} 的方差，对参数量为 {size:.3f}"
        return value, en, zh, (t.metric, "log_likelihood")
    takeoff = views.takeoff_by_length(metrics)
    losses = list(takeoff.values())
    value = max(losses) / min(losses) if all(x is not None and x > 0 for x in losses) else math.inf
    shown = ", ".join(f"{d + 2} tokens {'never' if x is None else f'{x:.3f}'}" for d, x in takeoff.items())
    shown_zh = "，".join(f"{d + 2} 个词元 {'从未' if x is None else f'{x:.3f}'}" for d, x in takeoff.items())
    en = (f"exact match takes off (a monotone fit reaches {views.TAKEOFF:g}) below held-out loss per answer token: "
          f"{shown}; highest over lowest {value:.2f}")
    zh = f"完全匹配起飞（单调拟合达到 {views.TAKEOFF:g}）时的每答案词元留出损失：{shown_zh}；最高与最低之比 {value:.2f}"
    return value, en, zh, ("exact_match", "log_likelihood")


def check_lab_lengths(t: LabLengthsTest, ev: Evidence):
    from artifact.claims.checks import Verdict

    _, metrics = ev.lab(t.sweep)
    value, en, zh, names = statistic(t, metrics)
    ok, need_en, need_zh = _bound(t, value) if views.finite(value) else (False, "a value", "有值")
    return Verdict("supported" if ok else "contradicted", round(value, 4) if views.finite(value) else None,
                   f"{en[0].upper()}{en[1:]} (supported needs {need_en}).", f"{zh}（成立要求{need_zh}）。",
                   _refs(t.sweep, metrics, names))
