"""One small check per test kind: evidence in, a Verdict out (status, observed value, reason in both languages).

Checks only read evidence (and the derived views in artifact/evidence/views.py); reasons are generated from
the values they compute. The checks about model scale live in checks_scale.py; CHECKS maps every kind to one.
"""

from __future__ import annotations

from artifact.claims import checks_scale
from artifact.claims.checks_scale import (check_flat_then_jump, check_lab_shape, check_log_linear,  # noqa: F401
                                          check_threshold, check_wins_grow)  # re-exported: one place to import checks
from artifact.claims.schema import (BestInTableTest, DateTest, GainTest, GapTest, GenReadParTest, NotCheckable,
                                    OrderTest, PairsTest, PaperDateTest, RowSaysTest, Status, UnverifiedTest,
                                    ValueTest)
from artifact.evidence.prompting_labels import phrase
from artifact.claims.lab_cot import check_lab_cot
from artifact.claims.lab_lengths import check_lab_lengths
from artifact.claims.verdict import Verdict, bench, label, months_between, num, signed, source_name, where
from artifact.bib import reference_entries
from artifact.evidence.store import Evidence
from artifact.evidence.views import (arxiv_month, earliest_public_month, fragment_pairs,
                                     genread_pairs, milestone, paper_month, table_peers)


def _side(ev: Evidence, ref: str, lang: str) -> str:
    row = ev.row(ref)
    return f"{label(row, lang)} {row['value']}"


def check_value(t: ValueTest, ev: Evidence) -> Verdict:
    article, source = ev.row(t.article), ev.row(t.source)
    a, s = article["number"], source["number"] * t.source_scale
    others = {"en": "; ".join(f"{ev.row(r)['value']} ({where(ev, ev.row(r), 'en')})" for r in t.also),
              "zh": "；".join(f"{ev.row(r)['value']}（{where(ev, ev.row(r), 'zh')}）" for r in t.also)}
    extra_en, extra_zh = (f"; other readings: {others['en']}", f"；其他读数：{others['zh']}") if t.also else ("", "")
    refs = (t.article, t.source, *t.also)
    said, printed = article["value"], (source["value"] if t.source_scale == 1 else num(s))
    src_en, src_zh = where(ev, source, "en"), where(ev, source, "zh")
    off = abs(a - s)
    if off <= t.tolerance:
        return Verdict("supported", s, f"The article's {said} matches {printed} in {src_en}{extra_en}.",
                       f"原文的 {said} 与 {src_zh} 中的 {printed} 一致{extra_zh}。", refs,
                       t.tolerance, t.tolerance - off)
    status: Status = "differs" if off <= t.differs_within else "contradicted"
    # the nearer of the two lines decides how far the verdict is from flipping
    line = min((t.tolerance, t.differs_within), key=lambda x: abs(off - x))
    gap = num(a - s)
    return Verdict(status, s, f"The article says {said}; {src_en} prints {printed} (gap {gap}){extra_en}.",
                   f"原文为 {said}；{src_zh} 为 {printed}（相差 {gap}）{extra_zh}。", refs, line, abs(off - line))


def check_date(t: DateTest, ev: Evidence) -> Verdict:
    m = milestone(ev, t.milestone)
    source = ev.row(t.source)
    month, first = arxiv_month(source["arxiv_id"]), earliest_public_month(ev, m)
    refs = (t.source,)
    name_en, name_zh = source_name(ev, source["source_key"], "en"), source_name(ev, source["source_key"], "zh")
    said, off = m.article_date, float(abs(months_between(m.article_date, first)))
    if said < first and first != month:
        gap = months_between(said, first)
        model_en, model_zh = source_name(ev, m.model_paper, "en"), source_name(ev, m.model_paper, "zh")
        eprint = reference_entries(ev.bib)[m.model_paper]["eprint"]
        return Verdict(
            "differs", first,
            f"The article dates it {said}. {name_en} (arXiv {source['arxiv_id']}) was first submitted in {month}, but "
            f"the model this number is on was introduced by {model_en} (arXiv {eprint}) in {first}, {gap} "
            f"month{'s' if gap != 1 else ''} later; so the number can only have appeared in a later version, "
            f"in {first} or after.",
            f"原文给出的日期为 {said}。{name_zh}（arXiv {source['arxiv_id']}）首次提交于 {month}，但该数字所用的模型由 "
            f"{model_zh}（arXiv {eprint}）在 {first} 才发布，晚了 {gap} 个月；因此这个数字只能出现在之后的版本中，"
            f"不早于 {first}。", refs, 0.0, off)
    if said < first or (said > first and t.in_first_version == "yes"):
        return Verdict("differs", first, f"The article dates it {said}; {name_en} "
                                         f"(arXiv {source['arxiv_id']}) was first submitted in {month}.",
                       f"原文给出的日期为 {said}；{name_zh}（arXiv {source['arxiv_id']}）首次提交于 {month}。", refs,
                       0.0, off)
    version = str(source["arxiv_version"]).split(" ")[0]
    held_en = "a version the evidence does not name" if version == "unknown" else version
    held_zh = "一个未注明的版本" if version == "unknown" else version
    if t.in_first_version == "unknown":
        return Verdict("unverified", first,
                       f"The article dates it {said}; {name_en} (arXiv {source['arxiv_id']}) was first submitted in "
                       f"{first}, but the evidence holds {held_en}, not the first version, so the version (and "
                       f"month) that first printed this number is not established.",
                       f"原文给出的日期为 {said}；{name_zh}（arXiv {source['arxiv_id']}）首次提交于 {first}，但证据中的是"
                       f"{held_zh}而非第一版，无法确定最早印出该数字的版本及其月份。", refs)
    return Verdict("supported", first, f"{name_en} (arXiv {source['arxiv_id']}) was first submitted in {month}, as the "
                                       f"article says, and the number is in that first version.",
                   f"{name_zh}（arXiv {source['arxiv_id']}）首次提交于 {month}，与原文一致，且该数字见于第一版。", refs,
                   0.0, 0.0)


def check_paper_date(t: PaperDateTest, ev: Evidence) -> Verdict:
    found = {key: paper_month(ev, key) for key in t.papers}
    wrong = {k: m for k, m in found.items() if not m.startswith(t.article_date)}
    listed = {lang: ("; " if lang == "en" else "；").join(
        f"{source_name(ev, k, lang)} (arXiv {reference_entries(ev.bib)[k]['eprint']}) {m}" if lang == "en" else
        f"{source_name(ev, k, lang)}（arXiv {reference_entries(ev.bib)[k]['eprint']}）{m}" for k, m in found.items())
        for lang in ("en", "zh")}
    if not wrong:
        return Verdict("supported", list(found.values()), f"First arXiv versions: {listed['en']}; all in "
                                                          f"{t.article_date}, as the article says.",
                       f"第一版 arXiv 提交时间：{listed['zh']}；都在原文所说的 {t.article_date}。", (), 0.0, 0.0)
    # months outside the article's year or month, for the paper furthest from it
    start = t.article_date if len(t.article_date) == 7 else f"{t.article_date}-01"
    end = t.article_date if len(t.article_date) == 7 else f"{t.article_date}-12"
    off = max(max(months_between(end, m), months_between(m, start)) for m in wrong.values())
    return Verdict("differs", list(found.values()), f"The article says {t.article_date}; first arXiv versions: "
                                                    f"{listed['en']}.",
                   f"原文为 {t.article_date}；第一版 arXiv 提交时间：{listed['zh']}。", (), 0.0, float(off))


def _beats(a: float, b: float, higher_is_better: bool) -> bool:
    return a > b if higher_is_better else a < b


def deciding_pair(pairs: list[tuple[float, float]], higher_is_better: bool = True) -> tuple[float, float]:
    """(threshold, margin) of a set of (better, worse) comparisons: when all hold, the closest one (the line is
    its other side's number, the margin its gap); otherwise the one that fails by most (the change needed to
    turn the verdict towards supported)."""
    gaps = [((a - b) if higher_is_better else (b - a), b) for a, b in pairs]
    failed = [g for g in gaps if g[0] <= 0]
    gap, line = min(failed) if failed else min(gaps)
    return float(line), round(abs(float(gap)), 6)


def check_order(t: OrderTest, ev: Evidence) -> Verdict:
    held, failed = [], []
    for a_ref, b_ref in t.pairs:
        a, b = ev.row(a_ref), ev.row(b_ref)
        text = {lang: f"{_side(ev, a_ref, lang)} {'vs' if lang == 'en' else '对'} {_side(ev, b_ref, lang)}"
                for lang in ("en", "zh")}
        (held if _beats(a["number"], b["number"], t.higher_is_better) else failed).append(text)
    refs = tuple(r for pair in t.pairs for r in pair)
    observed = f"{len(held)}/{len(t.pairs)}"
    line = deciding_pair([(ev.row(a)["number"], ev.row(b)["number"]) for a, b in t.pairs], t.higher_is_better)
    if not failed:
        said = "The comparison holds" if len(held) == 1 else f"All {len(held)} comparisons hold"
        return Verdict("supported", observed, f"{said} ({'; '.join(h['en'] for h in held)}).",
                       f"全部 {len(held)} 项比较成立（{'；'.join(h['zh'] for h in held)}）。", refs, *line)
    return Verdict("contradicted", observed, f"{len(failed)} of {len(t.pairs)} comparisons fail: "
                                             f"{'; '.join(f['en'] for f in failed)}.",
                   f"{len(t.pairs)} 项比较中有 {len(failed)} 项不成立：{'；'.join(f['zh'] for f in failed)}。", refs,
                   *line)


def _pair_line(ev: Evidence, better_ref: str, worse_ref: str, lang: str) -> str:
    a = ev.row(better_ref)
    return (f"{where(ev, a, lang)}{', ' if lang == 'en' else '，'}{bench(a, lang)}{': ' if lang == 'en' else '：'}"
            f"{_side(ev, better_ref, lang)} {'vs' if lang == 'en' else '对'} {_side(ev, worse_ref, lang)}")


def check_all_pairs(t: PairsTest, ev: Evidence) -> Verdict:
    pairs = fragment_pairs(ev, t.sources, t.sides, t.within)
    if pairs.empty:
        raise KeyError(f"no comparable pairs for {t.sides} in {', '.join(t.sources)}")
    ok = [_beats(a, b, t.higher_is_better) for a, b in zip(pairs["better"], pairs["worse"])]
    failed = pairs[[not o for o in ok]]
    per_source = {lang: (", " if lang == "en" else "，").join(f"{source_name(ev, stem, lang)} {n}" for stem, n in
                                  pairs["stem"].value_counts(sort=False).items()) for lang in ("en", "zh")}
    n, held = len(pairs), sum(ok)
    refs = tuple(r for p in pairs.itertuples() for r in (p.better_ref, p.worse_ref))
    observed = f"{held}/{n}"
    line = deciding_pair(list(zip(pairs["better"], pairs["worse"])), t.higher_is_better)
    if failed.empty:
        return Verdict("supported", observed, f"All {n} comparable pairs in the evidence hold ({per_source['en']}).",
                       f"证据中全部 {n} 组可比数据都成立（{per_source['zh']}）。", refs, *line)
    status: Status = "differs" if held > len(failed) else "contradicted"
    lines = {lang: ("; " if lang == "en" else "；").join(_pair_line(ev, p.better_ref, p.worse_ref, lang)
                                                        for p in failed.itertuples()) for lang in ("en", "zh")}
    return Verdict(status, observed,
                   f"{held} of {n} comparable pairs in the evidence hold ({per_source['en']}); "
                   f"{len(failed)} {'does' if len(failed) == 1 else 'do'} not: {lines['en']}.",
                   f"证据中 {n} 组可比数据有 {held} 组成立（{per_source['zh']}）；{len(failed)} 组不成立：{lines['zh']}。",
                   refs, *line)


def check_row_says(t: RowSaysTest, ev: Evidence) -> Verdict:
    row = ev.row(t.row)
    value = str(row[t.field])
    at = {lang: where(ev, row, lang) for lang in ("en", "zh")}
    if t.contains in value:
        return Verdict("supported", value, f"{at['en']} names it: {value}.", f"{at['zh']} 写明：{value}。", (t.row,))
    return Verdict("contradicted", value, f"{at['en']} names {value}, not {t.contains}.",
                   f"{at['zh']} 写的是 {value}，而不是 {t.contains}。", (t.row,))


def check_gap(t: GapTest, ev: Evidence) -> Verdict:
    def gap(pair: tuple[str, str]) -> float:
        return round(float(ev.row(pair[0])["number"] - ev.row(pair[1])["number"]), 6)

    big = gap(t.larger)
    others = [(p, gap(p)) for p in t.smaller]
    top = max(g for _, g in others)
    text = {"en": "; ".join(f"{_side(ev, p[0], 'en')} vs {_side(ev, p[1], 'en')} ({signed(g)})" for p, g in others),
            "zh": "；".join(f"{_side(ev, p[0], 'zh')} 对 {_side(ev, p[1], 'zh')}（{signed(g)}）" for p, g in others)}
    larger = {lang: f"{_side(ev, t.larger[0], lang)} {'vs' if lang == 'en' else '对'} {_side(ev, t.larger[1], lang)}"
              for lang in ("en", "zh")}
    refs = (*t.larger, *(r for p in t.smaller for r in p))
    ok = big > top
    return Verdict("supported" if ok else "contradicted", {"larger": big, "largest_other": top},
                   f"{larger['en']}: a gap of {signed(big)} points; the others: {text['en']}.",
                   f"{larger['zh']}：相差 {signed(big)} 个百分点；其余：{text['zh']}。", refs, float(top),
                   round(abs(big - top), 6))


def check_best_in_table(t: BestInTableTest, ev: Evidence) -> Verdict:
    row = ev.row(t.row)
    peers = table_peers(ev, t.row)
    beaten = peers[peers["number"] >= row["number"]]
    runner = peers.loc[peers["number"].idxmax()]
    at = {lang: f"{where(ev, row, lang)}{', ' if lang == 'en' else '，'}{row['benchmark'].split(' (')[0]}"
          for lang in ("en", "zh")}
    stem = row["source_key"]
    refs = (t.row, *(f"{stem}:{i}" for i in peers.index))
    top = float(peers["number"].max())
    line = (top, round(abs(float(row["number"]) - top), 6))
    if beaten.empty:
        return Verdict("supported", row["number"],
                       f"{row['value']} is the highest of the {len(peers) + 1} results in {at['en']}; next is "
                       f"{label(runner, 'en')} {runner['value']}.",
                       f"{row['value']} 是 {at['zh']} 全部 {len(peers) + 1} 个结果中最高的；其次是 "
                       f"{label(runner, 'zh')} {runner['value']}。", refs, *line)
    others = {lang: ("; " if lang == "en" else "；").join(f"{label(r, lang)} {r['value']}" for _, r in beaten.iterrows())
              for lang in ("en", "zh")}
    return Verdict("contradicted", row["number"],
                   f"In {at['en']}, {len(beaten)} other result(s) reach or pass {row['value']}: {others['en']}.",
                   f"在 {at['zh']} 中有 {len(beaten)} 个其他结果不低于 {row['value']}：{others['zh']}。", refs, *line)


def check_genread_par(t: GenReadParTest, ev: Evidence) -> Verdict:
    pairs = genread_pairs(ev, t.table, t.model)
    if pairs.empty:
        raise KeyError(f"no {t.model!r} rows against retrieval rows in Yu et al. {t.table}")
    pairs = pairs.assign(gap=(pairs["better"] - pairs["worse"]).round(6))
    by_bench = []
    for b, g in pairs.groupby("bench", sort=False):
        worst = g.loc[g["gap"].idxmin()]
        by_bench.append((b, len(g), int((g["gap"] >= 0).sum()), worst))
    behind = pairs[pairs["gap"] < 0]
    # per data set: points behind its best retrieval row (negative when ahead of every one)
    worst = {b: float(-w["gap"]) for b, _, _, w in by_bench}
    on_par = [b for b, x in worst.items() if x <= t.par_within]
    status: Status = ("supported" if len(on_par) == len(worst) else "contradicted" if not on_par else "differs")
    off = [x - t.par_within for x in worst.values() if x > t.par_within]
    margin = max(off) if off else min(t.par_within - x for x in worst.values())
    summary = {lang: ("; " if lang == "en" else "；").join(
        (f"{b}: ahead of {ahead} of {n} retrieval rows" if lang == "en" else f"{b}：领先 {n} 个检索行中的 {ahead} 个")
        + ("" if worst["gap"] >= 0 else
           (f", at most {num(-worst['gap'])} behind ({worst['retriever']})" if lang == "en"
            else f"，最多落后 {num(-worst['gap'])}（{worst['retriever']}）"))
        for b, n, ahead, worst in by_bench) for lang in ("en", "zh")}
    table_zh = t.table.replace("Table ", "表 ")
    refs = tuple(r for p in pairs.itertuples() for r in (p.better_ref, p.worse_ref))
    return Verdict(status, {"pairs": len(pairs), "behind": len(behind)},
                   f"Yu et al. v3, {t.table}, exact match, {t.model} against each retrieve-then-read row "
                   f"({len(pairs)} pairs): {summary['en']} (on par: at most {num(t.par_within)} behind).",
                   f"Yu 等 v3，{table_zh}，精确匹配，{t.model} 与每个先检索后阅读的行比较（{len(pairs)} 组）："
                   f"{summary['zh']}（落后不超过 {num(t.par_within)} 视为相当）。", refs, t.par_within,
                   round(margin, 6))


def check_gain(t: GainTest, ev: Evidence) -> Verdict:
    treated, base = ev.row(t.treatment), ev.row(t.baseline)
    partial = [r for r in (treated, base) if "complete" in r and not bool(r["complete"])]
    if partial:
        r = partial[0]
        return Verdict("unverified", None,
                       f"Run {r['run_id']} is not complete yet ({r['items']} {r['prompting']} items).",
                       f"运行 {r['run_id']} 尚未完成（{r['prompting']} 仅 {r['items']} 项）。", (t.treatment, t.baseline))
    gain = round(float(treated["number"]) - float(base["number"]), 6)
    bounds = [f">= {num(t.at_least)}" if t.at_least is not None else "",
              f"<= {num(t.at_most)}" if t.at_most is not None else ""]
    ok = (t.at_least is None or gain >= t.at_least) and (t.at_most is None or gain <= t.at_most)
    line = min((b for b in (t.at_least, t.at_most) if b is not None), key=lambda b: abs(gain - b))
    t_en, t_zh = ((phrase(treated["prompting"], "en"), phrase(treated["prompting"], "zh")) if "prompting" in treated
                  else (label(treated, "en"), label(treated, "zh")))
    b_en, b_zh = ((phrase(base["prompting"], "en"), phrase(base["prompting"], "zh")) if "prompting" in base
                  else (label(base, "en"), label(base, "zh")))
    en = (f"{treated['model']}: {t_en} {num(treated['number'])} vs {b_en} {num(base['number'])}, a gain of "
          f"{signed(gain)} points (needs {' and '.join(b for b in bounds if b)}).")
    zh = (f"{treated['model']}：{t_zh} {num(treated['number'])} 对 {b_zh} {num(base['number'])}，提升 {signed(gain)} "
          f"个百分点（要求 {' 且 '.join(b for b in bounds if b)}）。")
    return Verdict("supported" if ok else "contradicted", gain, en, zh, (t.treatment, t.baseline), float(line),
                   round(abs(gain - line), 6))


def check_unverified(t: UnverifiedTest, ev: Evidence) -> Verdict:
    return Verdict("unverified", None, f"Not in the evidence: {t.missing.en}", f"证据中没有：{t.missing.zh}")


def check_not_checkable(t: NotCheckable, ev: Evidence) -> Verdict:
    return Verdict("not checkable", None, t.reason.en, t.reason.zh)


CHECKS = {"value": check_value, "date": check_date, "paper-date": check_paper_date, "order": check_order,
          "all-pairs": check_all_pairs, "gap-larger": check_gap, "best-in-table": check_best_in_table,
          "genread-par": check_genread_par, "row-says": check_row_says, "gain": check_gain, "lab-lengths": check_lab_lengths, "lab-cot": check_lab_cot, **checks_scale.CHECKS,
          "unverified": check_unverified, "not-checkable": check_not_checkable}
