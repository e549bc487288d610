"""The lab-cot check: one statistic of the cot sweep against a line stated before the sweep ran (the
statistics are derived views in artifact/evidence/lab_cot.py; the lines and predictions are in
artifact/claims/lab_cot.yaml, committed before the sweep's results existed).

Statuses each rule can return:
- gain-crosses: supported (no gain below the named width, a gain from it up), differs (one such crossing,
  at another width), contradicted (no single crossing: a gain that comes and goes, a gain at the smallest
  judged size, or none anywhere although a format learns), unverified (neither format learns on the grid,
  or too few sizes leave direct room for a gain).
- gain-grows, direct-sharper, scratchpad-earlier: supported or contradicted against ``at_least``;
  unverified when the grid cannot give the statistic (a constant gain, a format that never rises).
"""

from __future__ import annotations

import math

import pandas as pd

from artifact.claims.schema import LabCotTest
from artifact.claims.verdict import Verdict
from artifact.evidence import lab_cot as views
from artifact.evidence.lab import row_id
from artifact.evidence.store import Evidence
from artifact.evidence.views import largest_step_share


def _refs(sweep: str, metrics: pd.DataFrame) -> tuple[str, ...]:
    return tuple(f"lab:{row_id(sweep, 'exact_match', d, w, s, False, f)}"
                 for d, f, w, s in metrics[["digits", "format", "width", "seed"]].itertuples(index=False))


def _gains_text(gains: pd.DataFrame) -> tuple[str, str]:
    en = ", ".join(f"width {r.width} {r.gain:+.3f}" for r in gains.itertuples())
    zh = "，".join(f"宽度 {r.width} {r.gain:+.3f}" for r in gains.itertuples())
    return en, zh


def _unverified(en: str, zh: str, refs: tuple[str, ...]) -> Verdict:
    return Verdict("unverified", None, f"Undecidable on this grid: {en}", f"在这一网格上无法判定：{zh}", refs)


def check_crossing(t: LabCotTest, metrics: pd.DataFrame, refs: tuple[str, ...]) -> Verdict:
    gains = views.gain_table(metrics)
    c = views.crossing(gains)
    g_en, g_zh = _gains_text(gains)
    rule_en = (f"gain = scratchpad minus direct, seed means of exact match; none is at most {views.NO_GAIN:g}; "
               f"sizes where direct reaches {views.CEILING:g} are not judged (judged widths: "
               f"{', '.join(map(str, c.judged)) or 'none'}); gains by width: {g_en}")
    rule_zh = (f"增益 = 草稿格式减直接格式（完全匹配的种子均值）；不超过 {views.NO_GAIN:g} 视为没有增益；直接格式达到 "
               f"{views.CEILING:g} 的规模不参与判定（参与判定的宽度：{'、'.join(map(str, c.judged)) or '无'}）；"
               f"各宽度的增益：{g_zh}")
    if not c.some_learns:
        return _unverified(f"neither format reaches {views.LEARNS:g} at any size ({rule_en}).",
                           f"两种格式在任何规模都未达到 {views.LEARNS:g}（{rule_zh}）。", refs)
    if len(c.judged) < 3:
        return _unverified(f"fewer than 3 sizes leave direct room for a gain ({rule_en}).",
                           f"留给直接格式增益空间的规模不足 3 个（{rule_zh}）。", refs)
    judged = gains[gains["width"].isin(c.judged)].reset_index(drop=True)
    position = c.judged.index(t.width) if t.width in c.judged else None
    if c.single and c.width == c.judged[0]:
        status, en, zh = "contradicted", "the smallest judged size already gains", "最小的参与判定规模已有增益"
    elif c.single and c.width == t.width:
        status, en, zh = "supported", f"no gain below width {t.width}, a gain from it up", \
            f"宽度 {t.width} 以下没有增益，从它起有增益"
    elif c.single:
        status, en, zh = "differs", f"one crossing, at width {c.width} rather than {t.width}", \
            f"只有一次转折，但在宽度 {c.width} 而非 {t.width}"
    elif c.width is None:
        status, en, zh = "contradicted", "no judged size from which the gain stays above none", "没有任何规模起增益一直存在"
    else:
        status, en, zh = "contradicted", "the gain comes and goes across sizes", "增益随规模时有时无"
    # margin: how far the gain at the predicted boundary is from flipping its side of the no-gain line
    margin = None
    if position is not None:
        at, below = judged.loc[position, "gain"], judged.loc[position - 1, "gain"] if position else None
        sides = [abs(at - views.NO_GAIN)] + ([abs(below - views.NO_GAIN)] if below is not None else [])
        margin = round(min(sides), 4)
    return Verdict(status, c.width, f"{en[0].upper()}{en[1:]} ({rule_en}).", f"{zh}（{rule_zh}）。", refs,
                   threshold=views.NO_GAIN, margin=margin)


def _against(t: LabCotTest, value: float, en: str, zh: str, refs: tuple[str, ...]) -> Verdict:
    ok = value >= t.at_least
    return Verdict("supported" if ok else "contradicted", round(value, 4),
                   f"{en} (supported needs at least {t.at_least:g}).", f"{zh}（成立要求至少 {t.at_least:g}）。", refs,
                   threshold=t.at_least, margin=round(abs(value - t.at_least), 4))


def check_lab_cot(t: LabCotTest, ev: Evidence) -> Verdict:
    _, metrics = ev.lab(t.sweep)
    refs = _refs(t.sweep, metrics)
    if t.statistic == "gain-crosses":
        return check_crossing(t, metrics, refs)
    gains = views.gain_table(metrics)
    if t.statistic == "gain-grows":
        rho = views.spearman(gains["parameters"].tolist(), gains["gain"].tolist())
        g_en, g_zh = _gains_text(gains)
        if math.isnan(rho):
            return _unverified(f"the gain is the same at every size ({g_en}).", f"各规模的增益相同（{g_zh}）。", refs)
        return _against(t, rho, f"Rank correlation of the scratchpad's gain with size is {rho:.3f} ({g_en})",
                        f"草稿格式的增益与规模的秩相关系数为 {rho:.3f}（{g_zh}）", refs)
    means = views.format_means(metrics)
    rises = {f: p["mean"].iloc[-1] - p["mean"].iloc[0] for f, p in means.groupby("format")}
    if t.statistic == "direct-sharper":
        if min(rises.values()) < views.LEARNS:
            return _unverified(f"a format rises by less than {views.LEARNS:g} over the grid "
                               f"(direct {rises['direct']:+.3f}, scratchpad {rises['scratchpad']:+.3f}).",
                               f"有一种格式在整个网格上的提升不足 {views.LEARNS:g}"
                               f"（直接 {rises['direct']:+.3f}，草稿 {rises['scratchpad']:+.3f}）。", refs)
        share = {f: largest_step_share(p["mean"].tolist())[0] for f, p in means.groupby("format")}
        value = share["direct"] - share["scratchpad"]
        return _against(t, value, f"Largest step as a share of the whole rise of exact match: direct "
                                  f"{share['direct']:.3f}, scratchpad {share['scratchpad']:.3f}; difference {value:+.3f}",
                        f"完全匹配最大一步占总提升的比例：直接 {share['direct']:.3f}，草稿 {share['scratchpad']:.3f}；"
                        f"差 {value:+.3f}", refs)
    half = views.halfway_by_format(metrics)
    if half["direct"] is None or half["scratchpad"] is None:
        return _unverified(f"a format's exact match rises by less than {views.LEARNS:g} over the grid, so it has "
                           f"no half-way size (direct {rises['direct']:+.3f}, scratchpad {rises['scratchpad']:+.3f}).",
                           f"有一种格式的完全匹配在整个网格上提升不足 {views.LEARNS:g}，没有“一半处”的规模"
                           f"（直接 {rises['direct']:+.3f}，草稿 {rises['scratchpad']:+.3f}）。", refs)
    ratio = half["direct"] / half["scratchpad"]
    return _against(t, ratio, f"Exact match reaches half of its rise at {half['direct']:,.0f} parameters with direct "
                              f"targets and {half['scratchpad']:,.0f} with the scratchpad; ratio {ratio:.2f}",
                    f"完全匹配达到其提升一半时的参数量：直接格式 {half['direct']:,.0f}，草稿格式 "
                    f"{half['scratchpad']:,.0f}；比值 {ratio:.2f}", refs)
