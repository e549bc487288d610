"""One small check per test kind: evidence in, a Verdict out (status, observed value, reason in both languages).

Checks only read evidence; reasons are generated from the values they compute.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from artifact.claims.schema import (DateTest, GainTest, LabShapeTest, NotCheckable, OrderTest, Status, ThresholdTest,
                                    TrendTest, UnverifiedTest, ValueTest)
from artifact.claims.lab_lengths import check_lab_lengths
from artifact.evidence.store import Evidence
from artifact.exhibits.cot_threshold import comparisons, smallest_cot_win
from artifact.exhibits.flan_table5 import cells as flan_cells
from artifact.exhibits.gsm8k_progress import arxiv_month
from artifact.exhibits.gsm8k_scaling import scaling_rows
from artifact.exhibits.lab_emergence import HIGHER_IS_BETTER, NAMES, largest_step_share, seed_means
from artifact.exhibits.scaling_vs_emergence import ALPHA_N, N_C, kaplan_curve


@dataclass(frozen=True)
class Verdict:
    status: Status
    observed: object
    reason_en: str
    reason_zh: str
    evidence: tuple[str, ...] = field(default_factory=tuple)


def _where(row: pd.Series) -> str:
    return f"{row['source_key']} {row['arxiv_version'].split(' ')[0]}, {row['location'].split(';')[0]}"


def _label(row: pd.Series) -> str:
    """Model and setting, short enough for a reason sentence."""
    model = row["model"] if not row["model"].startswith("unspecified") else ""
    return f"{model} [{row['setting'].split(';')[0].split('(')[0].strip()}]".strip()


def _num(x: float) -> str:
    return f"{x:g}"


def check_value(t: ValueTest, ev: Evidence) -> Verdict:
    article, source = ev.row(t.article), ev.row(t.source)
    a, s = article["number"], source["number"] * t.source_scale
    others = ", ".join(f"{ev.row(r)['value']} ({_where(ev.row(r))})" for r in t.also)
    extra_en, extra_zh = (f"; other readings: {others}", f"；其他读数：{others}") if others else ("", "")
    refs = (t.article, t.source, *t.also)
    said = f"{article['value']}"
    printed = _num(s)
    if abs(a - s) <= t.tolerance:
        return Verdict("supported", s, f"The article's {said} matches {printed} in {_where(source)}{extra_en}.",
                       f"原文的 {said} 与 {_where(source)} 中的 {printed} 一致{extra_zh}。", refs)
    status: Status = "differs" if t.differs_within is None or abs(a - s) <= t.differs_within else "contradicted"
    gap = _num(round(a - s, 6))
    return Verdict(status, s, f"The article says {said}; {_where(source)} prints {printed} (gap {gap}){extra_en}.",
                   f"原文为 {said}；{_where(source)} 为 {printed}（相差 {gap}）{extra_zh}。", refs)


def check_date(t: DateTest, ev: Evidence) -> Verdict:
    source = ev.row(t.source)
    month = arxiv_month(source["arxiv_id"])
    refs = (t.source,)
    if month != t.article_date:
        return Verdict("differs", month, f"The article dates it {t.article_date}; arXiv {source['arxiv_id']} was "
                                         f"first submitted in {month}.",
                       f"原文给出的日期为 {t.article_date}；arXiv {source['arxiv_id']} 首次提交于 {month}。", refs)
    if t.in_first_version == "unknown":
        return Verdict("unverified", month,
                       f"arXiv {source['arxiv_id']} was first submitted in {month}, as the article says, but the "
                       f"evidence holds {source['arxiv_version'].split(' ')[0]}, not the first version, so when "
                       f"this number first appeared is not established.",
                       f"arXiv {source['arxiv_id']} 确实首次提交于 {month}，但证据中的是 "
                       f"{source['arxiv_version'].split(' ')[0]} 而非第一版，无法确定该数字何时首次出现。", refs)
    return Verdict("supported", month, f"arXiv {source['arxiv_id']} was first submitted in {month}, as the article says.",
                   f"arXiv {source['arxiv_id']} 首次提交于 {month}，与原文一致。", refs)


def check_order(t: OrderTest, ev: Evidence) -> Verdict:
    held, failed = [], []
    for a_ref, b_ref in t.pairs:
        a, b = ev.row(a_ref), ev.row(b_ref)
        ok = a["number"] > b["number"] if t.higher_is_better else a["number"] < b["number"]
        (held if ok else failed).append(f"{_label(a)} {a['value']} vs {_label(b)} {b['value']}")
    refs = tuple(r for pair in t.pairs for r in pair)
    observed = f"{len(held)}/{len(t.pairs)}"
    if not failed:
        return Verdict("supported", observed, f"All {len(held)} comparisons hold ({'; '.join(held)}).",
                       f"全部 {len(held)} 项比较成立（{'；'.join(held)}）。", refs)
    return Verdict("contradicted", observed, f"{len(failed)} of {len(t.pairs)} comparisons fail: {'; '.join(failed)}.",
                   f"{len(t.pairs)} 项比较中有 {len(failed)} 项不成立：{'；'.join(failed)}。", refs)


def check_threshold(t: ThresholdTest, ev: Evidence) -> Verdict:
    known = {c.key: c for c in comparisons(ev)}
    unknown = [k for k in t.comparisons if k not in known]
    if unknown:
        raise KeyError(f"unknown comparison {unknown[0]!r}; known: {', '.join(known)}")
    size = ev.row(t.article)["number"]
    found = {k: smallest_cot_win(known[k].pairs) for k in t.comparisons}
    refs = (t.article, *(r for th in found.values() for r in th.evidence))
    summary = "; ".join(f"{k}: {_num(th.size) if th.size is not None else 'none'}"
                        + (f" ({', '.join(th.winners)})" if th.winners else "") for k, th in found.items())
    if t.rule == "first-win":
        ok = all(th.size == size for th in found.values())
        status: Status = "supported" if ok else "differs"
        return Verdict(status, summary, f"Smallest size with CoT > direct, computed: {summary}; the article says "
                                        f"{_num(size)}B.",
                       f"计算得出思维链优于直接提示的最小规模：{summary}；原文为 {_num(size)}B。", refs)
    if t.rule == "all-smaller-direct":
        breakers = [f"{r.model} ({_num(r.params_billion)}B: CoT {r.cot} vs {r.direct})"
                    for k in t.comparisons for r in known[k].pairs.itertuples()
                    if r.params_billion == r.params_billion and r.params_billion < size and r.cot > r.direct]
        if not breakers:
            n = sum(int((known[k].pairs["params_billion"] < size).sum()) for k in t.comparisons)
            return Verdict("supported", 0, f"All {n} models below {_num(size)}B have direct >= CoT ({summary}).",
                           f"所有 {n} 个小于 {_num(size)}B 的模型都是直接提示 >= 思维链（{summary}）。", refs)
        return Verdict("differs", len(breakers), f"Below {_num(size)}B, CoT already beats direct for "
                                                 f"{'; '.join(breakers)}.",
                       f"在 {_num(size)}B 以下，思维链已经优于直接提示：{'；'.join(breakers)}。", refs)
    winners = [w for th in found.values() if th.size == size for w in th.winners]
    if winners == [t.model]:
        return Verdict("supported", winners, f"At {_num(size)}B, CoT beats direct only for {t.model}.",
                       f"在 {_num(size)}B，只有 {t.model} 的思维链优于直接提示。", refs)
    return Verdict("contradicted", winners,
                   f"At {_num(size)}B, CoT beats direct for {', '.join(winners) or 'no model'}, not only {t.model}.",
                   f"在 {_num(size)}B，思维链优于直接提示的有 {'、'.join(winners) or '无'}，不止 {t.model}。", refs)


def _gsm8k_gains(ev: Evidence) -> pd.DataFrame:
    rows = scaling_rows(ev.published("wei2022cot"))
    wide = rows.pivot_table(index=["panel", "model", "params_billion"], columns="prompting", values="number",
                            sort=False).reset_index()
    return wide.assign(gain=(wide["cot"] - wide["standard"]).round(6))


def check_trend(t: TrendTest, ev: Evidence) -> Verdict:
    if t.shape == "flat-then-jump":
        gains = _gsm8k_gains(ev)
        small = gains[gains["params_billion"] < t.small_below]
        largest = gains.loc[gains.groupby("panel", sort=False)["params_billion"].idxmax()]
        flat = float(small["gain"].abs().max())
        jumps = ", ".join(f"{r.panel} {r.model} {r.gain:+g}" for r in largest.itertuples())
        ok = flat <= t.flat_within and bool((largest["gain"] >= t.jump_at_least).all())
        observed = {"max_small_abs_gain": flat, "largest_gains": dict(zip(largest["panel"], largest["gain"]))}
        en = (f"Below {_num(t.small_below)}B, CoT minus standard is never more than {flat:g} points either way "
              f"(limit {_num(t.flat_within)}); at each family's largest model: {jumps} (needs >= {_num(t.jump_at_least)}).")
        zh = (f"{_num(t.small_below)}B 以下思维链减标准提示的差距最大 {flat:g} 个百分点（上限 {_num(t.flat_within)}）；"
              f"各系列最大模型：{jumps}（需 >= {_num(t.jump_at_least)}）。")
        refs = ("wei2022cot:(Appendix B Table 2, GSM8K cells)",)
        return Verdict("supported" if ok else "contradicted", observed, en, zh, refs)
    if t.shape == "log-linear":
        kaplan = ev.published("kaplan2020scaling")
        curve = kaplan_curve(kaplan.loc[N_C, "number"], kaplan.loc[ALPHA_N, "number"])
        x, y = np.log10(curve["x"].to_numpy()), curve["value"].to_numpy()
        slope, intercept = np.polyfit(x, y, 1)
        r2 = 1 - ((y - (slope * x + intercept)) ** 2).sum() / ((y - y.mean()) ** 2).sum()
        r2 = round(float(r2), 4)
        refs = (f"kaplan2020scaling:{N_C}", f"kaplan2020scaling:{ALPHA_N}")
        en = (f"Over 10^3 to 10^11 parameters, Kaplan et al.'s L(N) against log10 N fits a straight line with "
              f"R^2 = {r2} (slope {slope:.3f} nats per decade; needs R^2 >= {t.min_r2}).")
        zh = (f"在 10^3 到 10^11 参数范围内，Kaplan 等的 L(N) 对 log10 N 的直线拟合 R^2 = {r2}"
              f"（每个数量级 {slope:.3f} 奈特；要求 R^2 >= {t.min_r2}）。")
        return Verdict("supported" if r2 >= t.min_r2 else "contradicted", r2, en, zh, refs)
    # wins-grow-not-all: Flan Table 5, MMLU and BBH, CoT wins per size
    flan = flan_cells(ev.published("chung2022flan"))
    flan = flan[flan["bench"].isin(["MMLU", "BBH"])]
    wide = flan.pivot_table(index=["model", "params_billion", "bench"], columns="setting", values="number").reset_index()
    wide = wide[wide["params_billion"] >= t.small_below]
    counts = {float(size): (int((g["cot"] > g["direct"]).sum()), len(g)) for size, g in wide.groupby("params_billion")}
    sizes = sorted(counts)
    grow = all(counts[a][0] < counts[b][0] for a, b in zip(sizes, sizes[1:]))
    not_all = counts[sizes[-1]][0] < counts[sizes[-1]][1]
    listed = ", ".join(f"{_num(s)}B {w}/{n}" for s, (w, n) in counts.items())
    return Verdict("supported" if grow and not_all else "contradicted", listed,
                   f"Settings (model x MMLU/BBH) where CoT beats direct, by size: {listed}.",
                   f"按规模统计思维链优于直接提示的设置（模型 x MMLU/BBH）：{listed}。",
                   ("chung2022flan:(Table 5, MMLU and BBH cells)",))


def check_gain(t: GainTest, ev: Evidence) -> Verdict:
    treated, base = ev.row(t.treatment), ev.row(t.baseline)
    partial = [r for r in (treated, base) if "complete" in r and not bool(r["complete"])]
    if partial:
        r = partial[0]
        return Verdict("unverified", None, f"Run {r['run_id']} is not complete yet ({r['items']} {r['prompting']} items).",
                       f"运行 {r['run_id']} 尚未完成（{r['prompting']} 仅 {r['items']} 项）。", (t.treatment, t.baseline))
    gain = round(float(treated["number"]) - float(base["number"]), 6)
    bounds = [f">= {_num(t.at_least)}" if t.at_least is not None else "", f"<= {_num(t.at_most)}" if t.at_most is not None else ""]
    wanted = " and ".join(b for b in bounds if b)
    ok = (t.at_least is None or gain >= t.at_least) and (t.at_most is None or gain <= t.at_most)
    en = (f"{treated['model']}: {treated['setting'] if 'setting' in treated else treated['prompting']} "
          f"{treated['number']:g} vs {base['setting'] if 'setting' in base else base['prompting']} "
          f"{base['number']:g}, a gain of {gain:+g} points (needs {wanted}).")
    zh = (f"{treated['model']}：{_num(float(treated['number']))} 对 {_num(float(base['number']))}，"
          f"提升 {gain:+g} 个百分点（要求 {wanted}）。")
    return Verdict("supported" if ok else "contradicted", gain, en, zh, (t.treatment, t.baseline))


def check_lab_shape(t: LabShapeTest, ev: Evidence) -> Verdict:
    _, metrics = ev.lab(t.sweep)
    stats = seed_means(metrics, t.metric)
    means = stats["mean"].tolist()
    share, i = largest_step_share(means, HIGHER_IS_BETTER[t.metric])
    improves = (means[-1] - means[0]) * (1 if HIGHER_IS_BETTER[t.metric] else -1) > 0
    if t.shape == "sharp":
        ok = share >= t.share
    else:
        ok = improves and share < t.share
    p = stats["parameters"].tolist()
    step = f"{p[i]:,} -> {p[i + 1]:,}" if len(p) > 1 else "-"
    name_en, name_zh = NAMES[t.metric]["en"], NAMES[t.metric]["zh"]
    en = (f"{name_en}, seed means: {means[0]:.3g} at {p[0]:,} parameters, {means[-1]:.3g} at {p[-1]:,}; the "
          f"largest step between neighbouring sizes ({step}) is {share:.0%} of the whole rise "
          f"({'sharp' if t.shape == 'sharp' else 'smooth'} needs {'at least' if t.shape == 'sharp' else 'below'} "
          f"{t.share:.0%}).")
    zh = (f"{name_zh}，种子均值：{p[0]:,} 个参数时为 {means[0]:.3g}，{p[-1]:,} 个参数时为 {means[-1]:.3g}；"
          f"相邻规模间最大的一步（{step}）占总提升的 {share:.0%}"
          f"（{'陡升' if t.shape == 'sharp' else '平滑'}要求{'至少' if t.shape == 'sharp' else '低于'} {t.share:.0%}）。")
    refs = tuple(f"lab:{t.sweep}/{t.metric}/w{w}/s{s}"
                 for w, seeds in zip(stats["width"], stats["seeds"]) for s in seeds)
    return Verdict("supported" if ok else "contradicted", round(share, 4), en, zh, refs)


def check_unverified(t: UnverifiedTest, ev: Evidence) -> Verdict:
    return Verdict("unverified", None, f"Not in the evidence: {t.missing.en}", f"证据中没有：{t.missing.zh}")


def check_not_checkable(t: NotCheckable, ev: Evidence) -> Verdict:
    return Verdict("not checkable", None, t.reason.en, t.reason.zh)


CHECKS = {"value": check_value, "date": check_date, "order": check_order, "threshold": check_threshold,
          "trend": check_trend, "gain": check_gain, "lab-shape": check_lab_shape,
          "lab-lengths": check_lab_lengths, "unverified": check_unverified,
          "not-checkable": check_not_checkable}
