"""The lab-lengths check: one statistic of a sweep over answer lengths against a bound stated before the
sweep ran (the statistics themselves are derived views in artifact/evidence/lab_lengths.py).

Each rule returns supported or contradicted against its bound, and unverified where the sweep cannot decide:
- power-error is judged on the worse of two averages: over every model, and over the in-between models
  (exact match strictly between IN_BETWEEN), where p^L can miss; models near 0 or 1 cannot flatter it.
- halfway-grows and halfway-ratio compare half-way sizes; two half-way sizes between the same two
  neighbouring sizes of the grid are interpolated, not measured, so their order is undecidable.
- one-curve, loss-beats-size and takeoff-spread are Du et al.'s loss explanation: they need heldout_loss
  (the loss on problems no metric scores). The answer-token loss is measured on the very answers exact
  match scores and tracks it almost by construction, so a sweep without heldout_loss leaves them
  unverified. loss-beats-size compares both axes on seed means per size and length (one point each), so
  the size baseline is not handicapped by seeds that share a size. A take-off loss is only known between
  the last model that took off and the next one up; spreads that those brackets cannot fix are unverified.
"""

from __future__ import annotations

import math

import pandas as pd

from artifact.claims.schema import LabLengthsTest
from artifact.claims.verdict import Verdict
from artifact.evidence import lab_lengths as views
from artifact.evidence.lab import has_heldout_loss, row_id
from artifact.evidence.store import Evidence

METRIC = {"exact_match": ("exact match", "完全匹配"), "token_accuracy": ("per-token accuracy", "逐词元准确率")}


def _refs(sweep: str, metrics: pd.DataFrame, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"lab:{row_id(sweep, m, d, w, s, True)}" for m in names
                 for d, w, s in metrics[["digits", "width", "seed"]].itertuples(index=False))


IN_BETWEEN = (0.05, 0.95)  # exact match strictly inside: the models where p^L can miss by much


def _bound(t: LabLengthsTest, value: float) -> tuple[bool, str, str]:
    ok = (t.at_least is None or value >= t.at_least) and (t.at_most is None or value <= t.at_most)
    en = " and ".join(([f"at least {t.at_least:g}"] if t.at_least is not None else [])
                      + ([f"at most {t.at_most:g}"] if t.at_most is not None else []))
    zh = "且".join(([f"至少 {t.at_least:g}"] if t.at_least is not None else [])
                  + ([f"至多 {t.at_most:g}"] if t.at_most is not None else []))
    return ok, en, zh


def _size(x: float) -> str:
    return "none" if not views.finite(x) else f"{x:,.0f}"


Result = tuple[float, str, str, tuple[str, ...], tuple[str, str] | None]  # value, en, zh, metrics, undecided


def _power(metrics: pd.DataFrame) -> Result:
    table = views.power_table(metrics)
    summary = views.power_summary(metrics)
    overall = float(table["error"].abs().mean())
    lo, hi = IN_BETWEEN
    mid = table[(table["exact_match"] > lo) & (table["exact_match"] < hi)]
    inner = float(mid["error"].abs().mean()) if len(mid) else overall
    value = max(overall, inner)
    per = ", ".join(f"{r.tokens} tokens {r.mean_abs_error:.3f} (signed {r.mean_error:+.3f})"
                    for r in summary.itertuples())
    per_zh = "，".join(f"{r.tokens} 个词元 {r.mean_abs_error:.3f}（带符号 {r.mean_error:+.3f}）"
                      for r in summary.itertuples())
    en = (f"mean |p^L - exact match| over {len(metrics)} models is {overall:.4f} (by answer length: {per}); over "
          f"the {len(mid)} in-between models (exact match between {lo:g} and {hi:g}) it is {inner:.4f}; the rule "
          f"takes the worse, {value:.4f}")
    zh = (f"{len(metrics)} 个模型上 |p^L - 完全匹配| 的均值为 {overall:.4f}（按答案长度：{per_zh}）；在完全匹配介于 "
          f"{lo:g} 与 {hi:g} 之间的 {len(mid)} 个中间模型上为 {inner:.4f}；规则取较差者 {value:.4f}")
    return value, en, zh, ("exact_match", "token_accuracy"), None


def _interval(metrics: pd.DataFrame, digits: int, size: float) -> int:
    """Index of the grid interval (between neighbouring sizes of that length's models) holding ``size``."""
    sizes = sorted(metrics[metrics["digits"] == digits]["parameters"].unique())
    return sum(1 for p in sizes[1:] if size > p)


def _halfway(t: LabLengthsTest, metrics: pd.DataFrame) -> Result:
    table = views.halfway_table(metrics)
    exact = table[table["metric"] == "exact_match"].set_index("digits")["halfway"]
    token = table[table["metric"] == "token_accuracy"].set_index("digits")["halfway"]
    sizes = ", ".join(f"{d + 2} tokens {_size(exact[d])} vs {_size(token[d])}" for d in exact.index)
    sizes_zh = "，".join(f"{d + 2} 个词元 {_size(exact[d])} 对 {_size(token[d])}" for d in exact.index)
    names = ("exact_match", "token_accuracy")
    same_en, same_zh = ("both half-way sizes lie between the same two neighbouring sizes of the grid, where they "
                        "are interpolated, not measured",
                        "两个一半处规模落在网格同一对相邻规模之间，是插值而非实测")
    if t.statistic == "halfway-grows":
        pairs = list(zip(exact.index, exact.index[1:]))
        steps = [exact[b] / exact[a] for a, b in pairs]
        value = min(steps) if all(views.finite(x) for x in exact) else float("nan")
        en = (f"half-way sizes of exact match vs per-token accuracy (parameters): {sizes}; exact match's grows by a "
              f"factor of at least {value:.2f} with each added answer token")
        zh = (f"完全匹配与逐词元准确率达到一半提升处的规模（参数量）：{sizes_zh}；答案每多一个词元，完全匹配的这一规模"
              f"至少增大到 {value:.2f} 倍")
        tied = views.finite(value) and any(_interval(metrics, a, exact[a]) == _interval(metrics, b, exact[b])
                                           and r < 1 for (a, b), r in zip(pairs, steps))
        return value, en, zh, names, (same_en, same_zh) if tied else None
    ratios = {d: exact[d] / token[d] for d in exact.index}
    value = min(ratios.values()) if all(views.finite(r) for r in ratios.values()) else float("nan")
    en = f"half-way sizes of exact match vs per-token accuracy (parameters): {sizes}; least ratio {value:.2f}"
    zh = f"完全匹配与逐词元准确率达到一半提升处的规模（参数量）：{sizes_zh}；最小比值 {value:.2f}"
    failing = [d for d, r in ratios.items() if views.finite(r) and t.at_least is not None and r < t.at_least]
    tied = [d for d in failing if _interval(metrics, d, exact[d]) == _interval(metrics, d, token[d])]
    undecided = None
    if failing and len(tied) == len(failing):
        undecided = (f"{same_en} (at {', '.join(f'{d + 2} tokens' for d in tied)})",
                     f"{same_zh}（{'、'.join(f'{d + 2} 个词元' for d in tied)}）")
    return value, en, zh, names, undecided


NO_HELDOUT = ("the sweep was made before heldout_loss existed, and the answer-token loss it has is measured on the "
              "very answers exact match scores, so it would explain them almost by construction",
              "这次扫描早于 heldout_loss；它所含的答案词元损失正是在完全匹配所评分的那些答案上测得的，几乎必然能“解释”它们")


def _loss(t: LabLengthsTest, metrics: pd.DataFrame) -> Result:
    name_en, name_zh = METRIC[t.metric]
    if t.statistic == "takeoff-spread":
        names = ("exact_match", "heldout_loss")
    else:
        names = (t.metric, "heldout_loss")
    if not has_heldout_loss(metrics):
        return float("nan"), "", "", (t.metric, "log_likelihood"), NO_HELDOUT
    if t.statistic in ("one-curve", "loss-beats-size"):
        loss = views.one_curve_r2(metrics, t.metric, "heldout_loss")
        size = views.one_curve_r2(metrics, t.metric, "parameters")
        if t.statistic == "one-curve":
            en = (f"one monotone curve of {name_en} explains R^2 = {loss:.3f} of its variance over all models against "
                  f"held-out loss (unscored problems), {size:.3f} against parameters")
            zh = (f"对全部模型，{name_zh}对留出损失（未评分题目）的单条单调曲线解释了 R^2 = {loss:.3f} 的方差，"
                  f"对参数量为 {size:.3f}")
            return loss, en, zh, names, None
        means = views.group_means(metrics, [t.metric, "heldout_loss", "parameters"])
        g_loss = views.one_curve_r2(means, t.metric, "heldout_loss")
        g_size = views.one_curve_r2(means, t.metric, "parameters")
        en = (f"on seed means per size and answer length (one point each), one monotone curve of {name_en} explains "
              f"R^2 = {g_loss:.3f} against held-out loss and {g_size:.3f} against parameters; difference "
              f"{g_loss - g_size:+.3f}")
        zh = (f"按规模与答案长度取种子均值（各一个点）后，{name_zh}对留出损失的单条单调曲线解释 R^2 = {g_loss:.3f}，"
              f"对参数量为 {g_size:.3f}；差 {g_loss - g_size:+.3f}")
        return g_loss - g_size, en, zh, names, None
    brackets = {d: views.takeoff_bracket(part, "heldout_loss") for d, part in metrics.groupby("digits", sort=True)}
    lows = {d: b[0] for d, b in brackets.items() if b}
    value = max(lows.values()) / min(lows.values()) if len(lows) == len(brackets) and min(lows.values()) > 0 \
        else math.inf
    shown = ", ".join(f"{d + 2} tokens " + ("never" if not b else f"{b[0]:.3f} to {b[1]:.3f}")
                      for d, b in brackets.items())
    shown_zh = "，".join(f"{d + 2} 个词元 " + ("从未" if not b else f"{b[0]:.3f} 至 {b[1]:.3f}")
                        for d, b in brackets.items())
    en = (f"exact match takes off (a monotone fit reaches {views.TAKEOFF:g}) at a held-out loss between: {shown}; "
          f"highest over lowest of the computed take-offs {value:.2f}")
    zh = f"完全匹配起飞（单调拟合达到 {views.TAKEOFF:g}）时的留出损失区间：{shown_zh}；算得起飞点最高与最低之比 {value:.2f}"
    undecided = None
    if all(brackets.values()) and t.at_most is not None:
        least = max(1.0, max(b[0] for b in brackets.values()) / min(b[1] for b in brackets.values()))
        most = max(b[1] for b in brackets.values()) / min(b[0] for b in brackets.values())
        if least <= t.at_most < most:
            undecided = (f"the take-off brackets allow a spread from {least:.2f} to {most:.2f}, on both sides of the "
                         f"line", f"起飞区间允许的比值从 {least:.2f} 到 {most:.2f}，横跨界线")
    return value, en, zh, names, undecided


def statistic(t: LabLengthsTest, metrics: pd.DataFrame) -> Result:
    """(value, what it is in English, in Chinese, the metrics it reads, why undecidable or None)."""
    if t.statistic == "power-error":
        return _power(metrics)
    if t.statistic in ("halfway-grows", "halfway-ratio"):
        return _halfway(t, metrics)
    return _loss(t, metrics)


def check_lab_lengths(t: LabLengthsTest, ev: Evidence) -> Verdict:
    _, metrics = ev.lab(t.sweep)
    value, en, zh, names, undecided = statistic(t, metrics)
    refs = _refs(t.sweep, metrics, names)
    if undecided:
        what_en, what_zh = (f" {en[0].upper()}{en[1:]}.", f"{zh}。") if en else ("", "")
        return Verdict("unverified", None, f"Undecidable on this sweep: {undecided[0]}.{what_en}",
                       f"这次扫描无法判定：{undecided[1]}。{what_zh}", refs)
    ok, need_en, need_zh = _bound(t, value) if views.finite(value) else (False, "a value", "有值")
    line = t.at_least if t.at_least is not None else t.at_most
    margin = round(abs(value - line), 4) if views.finite(value) and line is not None else None
    return Verdict("supported" if ok else "contradicted", round(value, 4) if views.finite(value) else None,
                   f"{en[0].upper()}{en[1:]} (supported needs {need_en}).", f"{zh}（成立要求{need_zh}）。", refs,
                   threshold=line, margin=margin)
