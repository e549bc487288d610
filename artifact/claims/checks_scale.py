"""Checks about model scale: where chain of thought starts to pay off, and the shape of a curve over size."""

from __future__ import annotations

import numpy as np

from artifact.claims.schema import (FlatThenJumpTest, LabShapeTest, LogLinearTest, Status, ThresholdTest,
                                    TrendBreakTest, WinsGrowTest)
from artifact.claims.verdict import Verdict, num, sig, signed
from artifact.display import ET_AL
from artifact.evidence.store import Evidence
from artifact.evidence.views import (HIGHER_IS_BETTER, KAPLAN_ALPHA_N, KAPLAN_GRID, KAPLAN_N_C, LAB_METRIC_NAMES,
                                     Comparison, comparisons, cot_gains, flan_cells, kaplan_curve, largest_step_share,
                                     scaling_rows, seed_means, smallest_cot_win)


def _known(keys: list[str], ev: Evidence) -> dict[str, Comparison]:
    known = {c.key: c for c in comparisons(ev)}
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise KeyError(f"unknown comparison {unknown[0]!r}; known: {', '.join(known)}")
    return {k: known[k] for k in keys}


def _name(c: Comparison, lang: str) -> str:
    """'Wei et al. 2022 v6, Table 2, GSM8K, PaLM' / 'Wei 等 2022 v6，表 2，GSM8K，PaLM'."""
    text = f"{c.source}, {c.benchmark}" + (f", {c.scope}" if not c.scope.startswith("all") else "")
    return text if lang == "en" else text.replace(ET_AL["en"], ET_AL["zh"]).replace(", Table ", "，表 ").replace(", ", "，")


def _first_win(t: ThresholdTest, known: dict[str, Comparison], size: float) -> tuple[Status, float, float]:
    """first-win: the computed size equals the article's. The deciding gains: each winner's at the article's size
    and the best gain of any smaller model (a positive one moves the size down)."""
    at = [r.cot - r.direct for c in known.values() for r in c.pairs.itertuples() if r.params_billion == size]
    below = [r.cot - r.direct for c in known.values() for r in c.pairs.itertuples() if r.params_billion < size]
    ok = all(smallest_cot_win(c.pairs).size == size for c in known.values())
    margin = min([max(at, default=0.0)] + [-g for g in below]) if ok else max([-max(at, default=0.0)] + below)
    return ("supported" if ok else "differs"), 0.0, round(abs(margin), 6)


def _smaller_direct(t: ThresholdTest, known: dict[str, Comparison], size: float, refs: tuple) -> Verdict:
    """all-smaller-direct: no model below the article's size gains from CoT. A gain up to beats_by differs
    (too small to call a win), a larger one contradicts the claim."""
    below = [(c, r) for c in known.values() for r in c.pairs.itertuples()
             if r.params_billion == r.params_billion and r.params_billion < size]
    best = max(r.cot - r.direct for _, r in below)
    breakers = [(c, r) for c, r in below if r.cot > r.direct]
    if not breakers:
        models = len({r.model for _, r in below})
        benches = sorted({c.benchmark for c, _ in below})
        return Verdict("supported", 0,
                       f"All {models} models below {num(size)}B have direct prompting at or above chain of thought "
                       f"on {' and '.join(benches)} ({len(below)} comparisons).",
                       f"所有 {models} 个小于 {num(size)}B 的模型在 {' 和 '.join(benches)} 上都是直接提示不低于思维链"
                       f"（共 {len(below)} 组比较）。", refs, 0.0, round(-best, 6))
    lines = {"en": "; ".join(f"{r.model} ({num(r.params_billion)}B, {c.benchmark}: {num(r.cot)} vs "
                             f"{num(r.direct)}, {signed(r.cot - r.direct)})" for c, r in breakers),
             "zh": "；".join(f"{r.model}（{num(r.params_billion)}B，{c.benchmark}：{num(r.cot)} 对 {num(r.direct)}，"
                            f"{signed(r.cot - r.direct)}）" for c, r in breakers)}
    status: Status = "contradicted" if best > t.beats_by else "differs"
    line = t.beats_by if status == "contradicted" or best > t.beats_by / 2 else 0.0
    band_en = f" (a gain above {num(t.beats_by)} points counts as a win)" if t.beats_by else ""
    band_zh = f"（提升超过 {num(t.beats_by)} 个百分点即算胜出）" if t.beats_by else ""
    return Verdict(status, len(breakers),
                   f"Of {len(below)} comparisons below {num(size)}B, chain of thought already beats direct "
                   f"prompting in {len(breakers)}: {lines['en']}{band_en}.",
                   f"在 {num(size)}B 以下的 {len(below)} 组比较中，已有 {len(breakers)} 组思维链优于直接提示："
                   f"{lines['zh']}{band_zh}。", refs, float(line), round(abs(best - line), 6))


def check_threshold(t: ThresholdTest, ev: Evidence) -> Verdict:
    known = _known(t.comparisons, ev)
    size = ev.row(t.article)["number"]
    found = {k: smallest_cot_win(c.pairs) for k, c in known.items()}
    refs = (t.article, *(r for th in found.values() for r in th.evidence))
    summary = {lang: ("; " if lang == "en" else "；").join(
        f"{_name(known[k], lang)}{': ' if lang == 'en' else '：'}"
        f"{num(th.size) + 'B' if th.size is not None else ('none' if lang == 'en' else '无')}"
        + ((f" ({', '.join(th.winners)})" if lang == "en" else f"（{'、'.join(th.winners)}）") if th.winners else "")
        for k, th in found.items()) for lang in ("en", "zh")}
    observed = {_name(known[k], "en"): th.size for k, th in found.items()}
    if t.rule == "first-win":
        status, line, margin = _first_win(t, known, size)
        return Verdict(status, observed,
                       f"Smallest size with chain of thought above direct prompting, computed: {summary['en']}; the "
                       f"article says {num(size)}B.",
                       f"计算得出思维链优于直接提示的最小规模：{summary['zh']}；原文为 {num(size)}B。", refs, line, margin)
    if t.rule == "all-smaller-direct":
        return _smaller_direct(t, known, size, refs)
    at = [(r.model, r.cot - r.direct) for c in known.values() for r in c.pairs.itertuples() if r.params_billion == size]
    winners = [w for th in found.values() if th.size == size for w in th.winners]
    own = max((g for m, g in at if m == t.model), default=0.0)
    rivals = max((g for m, g in at if m != t.model), default=-float("inf"))
    if winners == [t.model]:
        return Verdict("supported", winners,
                       f"At {num(size)}B, chain of thought beats direct prompting only for {t.model}.",
                       f"在 {num(size)}B，只有 {t.model} 的思维链优于直接提示。", refs, 0.0,
                       round(min(own, -rivals), 6))
    return Verdict("contradicted", winners,
                   f"At {num(size)}B, chain of thought beats direct prompting for {', '.join(winners) or 'no model'}, "
                   f"not only {t.model}.",
                   f"在 {num(size)}B，思维链优于直接提示的有 {'、'.join(winners) or '无'}，不止 {t.model}。", refs, 0.0,
                   round(max(rivals, -own), 6))


def check_flat_then_jump(t: FlatThenJumpTest, ev: Evidence) -> Verdict:
    gains = cot_gains(scaling_rows(ev.published("wei2022cot")))
    small = gains[gains["params_billion"] < t.small_below]
    largest = gains.loc[gains.groupby("model_family", sort=False)["params_billion"].idxmax()]
    flat = float(small["gain"].abs().max())
    jumps = [f"{r.model} {signed(r.gain)}" for r in largest.itertuples()]
    low = float(largest["gain"].min())
    ok = flat <= t.flat_within and low >= t.jump_at_least
    # the binding line: the one the evidence is nearest to (when supported) or furthest past (when not)
    slack = [(t.flat_within - flat, t.flat_within), (low - t.jump_at_least, t.jump_at_least)]
    gap, line = min(slack)
    observed = {"max_small_abs_gain": flat, "largest_gains": dict(zip(largest["model"], largest["gain"]))}
    en = (f"Wei et al. v6, Table 2, GSM8K: below {num(t.small_below)}B, chain of thought minus standard prompting is "
          f"never more than {num(flat)} points either way (limit {num(t.flat_within)}); at each family's largest "
          f"model: {', '.join(jumps)} (needs at least {num(t.jump_at_least)}).")
    zh = (f"Wei 等 v6，表 2，GSM8K：{num(t.small_below)}B 以下，思维链减标准提示的差距最大 {num(flat)} 个百分点"
          f"（上限 {num(t.flat_within)}）；各系列最大模型：{'，'.join(jumps)}（至少需 {num(t.jump_at_least)}）。")
    refs = tuple(f"wei2022cot:{i}" for i in scaling_rows(ev.published("wei2022cot"))["id"])
    return Verdict("supported" if ok else "contradicted", observed, en, zh, refs, float(line), round(abs(gap), 6))


def trend_residuals(ev: Evidence) -> list[tuple[str, float, float, float]]:
    """Per family of Wei et al. v6 Table 2 with at least three sizes: (largest model, its CoT accuracy, the
    accuracy a straight line in log10 size through the smaller models predicts for it, observed minus predicted)."""
    rows = cot_gains(scaling_rows(ev.published("wei2022cot")))
    out = []
    for _, g in rows.groupby("model_family", sort=False):
        g = g.sort_values("params_billion")
        if len(g) < 3:
            continue
        small, top = g.iloc[:-1], g.iloc[-1]
        slope, intercept = np.polyfit(np.log10(small["params_billion"]), small["cot"], 1)
        predicted = round(float(slope * np.log10(top["params_billion"]) + intercept), 6)
        out.append((top["model"], float(top["cot"]), predicted, round(float(top["cot"]) - predicted, 6)))
    return out


def check_trend_break(t: TrendBreakTest, ev: Evidence) -> Verdict:
    found = trend_residuals(ev)
    jumps = [m for m, _, _, r in found if r >= t.above_by]
    status: Status = "supported" if len(jumps) == len(found) else "contradicted" if not jumps else "differs"
    off = [t.above_by - r for _, _, _, r in found if r < t.above_by]
    margin = max(off) if off else min(r - t.above_by for *_, r in found)
    en = "; ".join(f"{m}: {num(c)} against {sig(p)} on the trend ({signed(round(r, 1))})" for m, c, p, r in found)
    zh = "；".join(f"{m}：{num(c)}，趋势线预测 {sig(p)}（{signed(round(r, 1))}）" for m, c, p, r in found)
    refs = tuple(f"wei2022cot:{i}" for i in scaling_rows(ev.published("wei2022cot"))["id"])
    return Verdict(status, {m: r for m, _, _, r in found},
                   f"Wei et al. v6, Table 2, GSM8K chain of thought: a straight line in log size through each "
                   f"family's smaller models, extended to its largest: {en} (a jump needs at least "
                   f"{num(t.above_by)} points above the line).",
                   f"Wei 等 v6，表 2，GSM8K 思维链：对每个系列的较小模型按对数规模拟合直线，外推到最大模型：{zh}"
                   f"（高出直线至少 {num(t.above_by)} 个百分点才算跃升）。", refs, t.above_by, round(margin, 6))


def check_log_linear(t: LogLinearTest, ev: Evidence) -> Verdict:
    kaplan = ev.published("kaplan2020scaling")
    curve = kaplan_curve(kaplan.loc[KAPLAN_N_C, "number"], kaplan.loc[KAPLAN_ALPHA_N, "number"])
    x, y = np.log10(curve["x"].to_numpy()), curve["value"].to_numpy()
    slope, intercept = np.polyfit(x, y, 1)
    r2 = round(float(1 - ((y - (slope * x + intercept)) ** 2).sum() / ((y - y.mean()) ** 2).sum()), 4)
    low, high = num(KAPLAN_GRID[0]), num(KAPLAN_GRID[-1])
    refs = (f"kaplan2020scaling:{KAPLAN_N_C}", f"kaplan2020scaling:{KAPLAN_ALPHA_N}")
    en = (f"From {low} to {high} parameters, Kaplan et al.'s Eq. 1.1 loss L(N) against log10 N fits a straight line "
          f"with R² = {num(r2)} (slope {num(round(slope, 3))} nats per tenfold size; needs R² of at least "
          f"{num(t.min_r2)}).")
    zh = (f"从 {low} 到 {high} 个参数，Kaplan 等式 1.1 的损失 L(N) 对 log10 N 的直线拟合 R² = {num(r2)}"
          f"（规模每增加十倍变化 {num(round(slope, 3))} 奈特；要求 R² 不低于 {num(t.min_r2)}）。")
    return Verdict("supported" if r2 >= t.min_r2 else "contradicted", r2, en, zh, refs, t.min_r2,
                   round(abs(r2 - t.min_r2), 6))


def check_wins_grow(t: WinsGrowTest, ev: Evidence) -> Verdict:
    flan = flan_cells(ev.published("chung2022flan"))
    flan = flan[flan["bench"].isin(["MMLU", "BBH"])]
    wide = flan.pivot_table(index=["model", "params_billion", "bench"], columns="setting",
                            values="number").reset_index()
    wide = wide[wide["params_billion"] >= t.small_below]
    counts = {float(s): (int((g["cot"] > g["direct"]).sum()), len(g)) for s, g in wide.groupby("params_billion")}
    sizes = sorted(counts)
    grow = all(counts[a][0] < counts[b][0] for a, b in zip(sizes, sizes[1:]))
    not_all = counts[sizes[-1]][0] < counts[sizes[-1]][1]
    # settings that would have to change side: the smallest growth step, and the settings still lost at the top
    steps = [counts[b][0] - counts[a][0] for a, b in zip(sizes, sizes[1:])]
    slack = min(steps + [counts[sizes[-1]][1] - counts[sizes[-1]][0]])
    listed = ", ".join(f"{num(s)}B {w}/{n}" for s, (w, n) in counts.items())
    en_list = ", ".join(f"{num(s)}B {w} of {n}" for s, (w, n) in counts.items())
    zh_list = "，".join(f"{num(s)}B {n} 个中 {w} 个" for s, (w, n) in counts.items())
    refs = tuple(f"chung2022flan:{i}" for i in flan[flan["params_billion"] >= t.small_below]["id"])
    return Verdict("supported" if grow and not_all else "contradicted", listed,
                   f"Chung et al. v5, Table 5: settings (model and benchmark, MMLU or BBH) where chain of thought "
                   f"beats direct prompting, by size: {en_list}.",
                   f"Chung 等 v5，表 5：按规模统计思维链优于直接提示的设置（模型与基准，MMLU 或 BBH）：{zh_list}。", refs,
                   0.0, float(slack if grow and not_all else 1 - slack))


def check_lab_shape(t: LabShapeTest, ev: Evidence) -> Verdict:
    _, metrics = ev.lab(t.sweep)
    stats = seed_means(metrics, t.metric)
    means = stats["mean"].tolist()
    share, i = largest_step_share(means, HIGHER_IS_BETTER[t.metric])
    improves = (means[-1] - means[0]) * (1 if HIGHER_IS_BETTER[t.metric] else -1) > 0
    ok = share >= t.share if t.shape == "sharp" else improves and share < t.share
    p = stats["parameters"].tolist()
    step = f"{p[i]:,} -> {p[i + 1]:,}" if len(p) > 1 else "-"
    name_en, name_zh = LAB_METRIC_NAMES[t.metric]["en"], LAB_METRIC_NAMES[t.metric]["zh"]
    pct, need = f"{round(share * 100)}%", f"{round(t.share * 100)}%"
    en = (f"{name_en}, seed means: {sig(means[0])} at {p[0]:,} parameters, {sig(means[-1])} at {p[-1]:,}; the "
          f"largest step between neighbouring sizes ({step}) is {pct} of the whole rise "
          f"({'sharp' if t.shape == 'sharp' else 'smooth'} needs "
          f"{'at least' if t.shape == 'sharp' else 'below'} {need}).")
    zh = (f"{name_zh}，种子均值：{p[0]:,} 个参数时为 {sig(means[0])}，{p[-1]:,} 个参数时为 {sig(means[-1])}；"
          f"相邻规模间最大的一步（{step}）占总提升的 {pct}"
          f"（{'陡升' if t.shape == 'sharp' else '平滑'}要求{'至少' if t.shape == 'sharp' else '低于'} {need}）。")
    refs = tuple(f"lab:{t.sweep}/{t.metric}/w{w}/s{s}"
                 for w, seeds in zip(stats["width"], stats["seeds"]) for s in seeds)
    return Verdict("supported" if ok else "contradicted", round(share, 4), en, zh, refs,
                   threshold=t.share, margin=round(abs(share - t.share), 4))


CHECKS = {"threshold": check_threshold, "trend-break": check_trend_break,
          "flat-then-jump": check_flat_then_jump, "log-linear": check_log_linear, "wins-grow-not-all": check_wins_grow,
          "lab-shape": check_lab_shape}
