"""Checks about model scale: where chain of thought starts to pay off, and the shape of a curve over size."""

from __future__ import annotations

import numpy as np

from artifact.claims.schema import (CotVsReferenceTest, FlatThenJumpTest, LabShapeTest, LogLinearTest, Status,
                                    ThresholdTest, WinsGrowTest)
from artifact.claims.verdict import Verdict, num, sig, signed
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
    return text if lang == "en" else text.replace(" et al.", " 等").replace(", Table ", "，表 ").replace(", ", "，")


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
        ok = all(th.size == size for th in found.values())
        return Verdict("supported" if ok else "differs", observed,
                       f"Smallest size with chain of thought above direct prompting, computed: {summary['en']}; the "
                       f"article says {num(size)}B.",
                       f"计算得出思维链优于直接提示的最小规模：{summary['zh']}；原文为 {num(size)}B。", refs)
    if t.rule == "all-smaller-direct":
        below = [(c, r) for c in known.values() for r in c.pairs.itertuples()
                 if r.params_billion == r.params_billion and r.params_billion < size]
        breakers = [(c, r) for c, r in below if r.cot > r.direct]
        if not breakers:
            models = len({r.model for _, r in below})
            benches = sorted({c.benchmark for c, _ in below})
            return Verdict("supported", 0,
                           f"All {models} models below {num(size)}B have direct prompting at or above chain of thought "
                           f"on {' and '.join(benches)} ({len(below)} comparisons).",
                           f"所有 {models} 个小于 {num(size)}B 的模型在 {' 和 '.join(benches)} 上都是直接提示不低于思维链"
                           f"（共 {len(below)} 组比较）。", refs)
        lines = {"en": "; ".join(f"{r.model} ({num(r.params_billion)}B, {c.benchmark}: {num(r.cot)} vs "
                                 f"{num(r.direct)}, {signed(r.cot - r.direct)})" for c, r in breakers),
                 "zh": "；".join(f"{r.model}（{num(r.params_billion)}B，{c.benchmark}：{num(r.cot)} 对 {num(r.direct)}，"
                                f"{signed(r.cot - r.direct)}）" for c, r in breakers)}
        return Verdict("differs", len(breakers),
                       f"Of {len(below)} comparisons below {num(size)}B, chain of thought already beats direct "
                       f"prompting in {len(breakers)}: {lines['en']}.",
                       f"在 {num(size)}B 以下的 {len(below)} 组比较中，已有 {len(breakers)} 组思维链优于直接提示："
                       f"{lines['zh']}。", refs)
    winners = [w for th in found.values() if th.size == size for w in th.winners]
    if winners == [t.model]:
        return Verdict("supported", winners,
                       f"At {num(size)}B, chain of thought beats direct prompting only for {t.model}.",
                       f"在 {num(size)}B，只有 {t.model} 的思维链优于直接提示。", refs)
    return Verdict("contradicted", winners,
                   f"At {num(size)}B, chain of thought beats direct prompting for {', '.join(winners) or 'no model'}, "
                   f"not only {t.model}.",
                   f"在 {num(size)}B，思维链优于直接提示的有 {'、'.join(winners) or '无'}，不止 {t.model}。", refs)


def check_cot_vs_reference(t: CotVsReferenceTest, ev: Evidence) -> Verdict:
    known = _known(t.comparisons, ev)
    size = ev.row(t.article)["number"]
    parts, observed, refs, smaller_wins = {"en": [], "zh": []}, {}, [t.article], False
    for k, c in known.items():
        ref = c.pairs[c.pairs["model"] == t.reference]
        if ref.empty:
            raise KeyError(f"{t.reference!r} is not in comparison {k!r}")
        ref = ref.iloc[0]
        best = max(ref["cot"], ref["direct"])
        refs += [ref["cot_ref"], ref["direct_ref"]]
        wins = c.pairs[(c.pairs["params_billion"] > ref["params_billion"]) & (c.pairs["cot"] > best)]
        first = float(wins["params_billion"].min()) if len(wins) else None
        observed[c.benchmark] = first
        at = wins[wins["params_billion"] == first] if first is not None else wins
        refs += list(at["cot_ref"])
        smaller_wins |= first is not None and first < size
        who = [f"{r.model} {ev.row(r.cot_ref)['value']}" for r in at.itertuples()]
        best_printed = ev.row(ref["cot_ref"] if ref["cot"] >= ref["direct"] else ref["direct_ref"])["value"]
        parts["en"].append(f"{c.benchmark}: reference {best_printed}; first beaten at "
                           + (f"{num(first)}B ({', '.join(who)})" if first is not None else "no size"))
        parts["zh"].append(f"{c.benchmark}：参照 {best_printed}；最早在 "
                           + (f"{num(first)}B 被超过（{'，'.join(who)}）" if first is not None else "任何规模都未被超过"))
    status: Status = "differs" if smaller_wins else ("supported" if all(observed.values()) else "contradicted")
    src = next(iter(known.values())).source
    return Verdict(status, observed,
                   f"Nearest evidence, {src}: chain-of-thought cells of models larger than {t.reference} against "
                   f"{t.reference}'s best cell (direct or chain of thought) on the same benchmark. "
                   f"{'; '.join(parts['en'])}. The article says {num(size)}B.",
                   f"最接近的证据，{_name(next(iter(known.values())), 'zh').rsplit('，', 1)[0]}：比 {t.reference} 大的模型的"
                   f"思维链结果，对比 {t.reference} 在同一基准上的最好结果（直接提示或思维链）。{'；'.join(parts['zh'])}。"
                   f"原文为 {num(size)}B。", tuple(refs))


def check_flat_then_jump(t: FlatThenJumpTest, ev: Evidence) -> Verdict:
    gains = cot_gains(scaling_rows(ev.published("wei2022cot")))
    small = gains[gains["params_billion"] < t.small_below]
    largest = gains.loc[gains.groupby("model_family", sort=False)["params_billion"].idxmax()]
    flat = float(small["gain"].abs().max())
    jumps = [f"{r.model} {signed(r.gain)}" for r in largest.itertuples()]
    ok = flat <= t.flat_within and bool((largest["gain"] >= t.jump_at_least).all())
    observed = {"max_small_abs_gain": flat, "largest_gains": dict(zip(largest["model"], largest["gain"]))}
    en = (f"Wei et al. v6, Table 2, GSM8K: below {num(t.small_below)}B, chain of thought minus standard prompting is "
          f"never more than {num(flat)} points either way (limit {num(t.flat_within)}); at each family's largest "
          f"model: {', '.join(jumps)} (needs at least {num(t.jump_at_least)}).")
    zh = (f"Wei 等 v6，表 2，GSM8K：{num(t.small_below)}B 以下，思维链减标准提示的差距最大 {num(flat)} 个百分点"
          f"（上限 {num(t.flat_within)}）；各系列最大模型：{'，'.join(jumps)}（至少需 {num(t.jump_at_least)}）。")
    refs = tuple(f"wei2022cot:{i}" for i in scaling_rows(ev.published("wei2022cot"))["id"])
    return Verdict("supported" if ok else "contradicted", observed, en, zh, refs)


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
    return Verdict("supported" if r2 >= t.min_r2 else "contradicted", r2, en, zh, refs)


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
    listed = ", ".join(f"{num(s)}B {w}/{n}" for s, (w, n) in counts.items())
    en_list = ", ".join(f"{num(s)}B {w} of {n}" for s, (w, n) in counts.items())
    zh_list = "，".join(f"{num(s)}B {n} 个中 {w} 个" for s, (w, n) in counts.items())
    refs = tuple(f"chung2022flan:{i}" for i in flan[flan["params_billion"] >= t.small_below]["id"])
    return Verdict("supported" if grow and not_all else "contradicted", listed,
                   f"Chung et al. v5, Table 5: settings (model and benchmark, MMLU or BBH) where chain of thought "
                   f"beats direct prompting, by size: {en_list}.",
                   f"Chung 等 v5，表 5：按规模统计思维链优于直接提示的设置（模型与基准，MMLU 或 BBH）：{zh_list}。", refs)


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


CHECKS = {"threshold": check_threshold, "cot-beats-reference": check_cot_vs_reference,
          "flat-then-jump": check_flat_then_jump, "log-linear": check_log_linear, "wins-grow-not-all": check_wins_grow,
          "lab-shape": check_lab_shape}
