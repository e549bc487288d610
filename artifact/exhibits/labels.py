"""Words and colours more than one exhibit uses, in both languages (declared once)."""

from __future__ import annotations

import pandas as pd

from artifact.display import paper_name
from artifact.evidence.prompting_labels import LABELS
from artifact.evidence.views import evidence_ref

PROMPTING = {style: LABELS[style]["title"] for style in ("standard", "cot")}  # legend labels, one table
PROMPTING_COLORS = {"standard": "#7f7f7f", "cot": "#1f77b4"}

AXIS = {
    "params": {"en": "Parameters (billions, log scale)", "zh": "参数量（十亿，对数坐标）"},
    "solve_rate": {"en": "GSM8K solve rate (%)", "zh": "GSM8K 解题率（%）"},
    "accuracy": {"en": "Accuracy (%)", "zh": "准确率（%）"},
}
SOURCE = {"en": "Source", "zh": "来源"}
# A log axis over many powers of ten labels its decades '10^19' (d3's '1e+19' reads as code); other
# ticks stay unlabelled. (The chart font has no superscript digits.)
_EXPONENT = "round(log(datum.value) / LN10)"
POWER_OF_TEN = f"abs(log(datum.value) / LN10 - {_EXPONENT}) < 1e-6 ? '10^' + {_EXPONENT} : ''"


def cite(lang: str, text_en: str, text_zh: str) -> str:
    """A 'Source: ...' line for a chart subtitle."""
    return f"{SOURCE[lang]}: {text_en}" if lang == "en" else f"{SOURCE[lang]}：{text_zh}"


def numbers(rows: pd.DataFrame, stem: str, columns: list[str]) -> pd.DataFrame:
    """The CSV frame for rows read straight from one evidence file: the named descriptive
    columns, then ``value`` (as parsed) and ``evidence`` (the row reference)."""
    out = rows[columns].copy()
    out["value"] = rows["number"]
    out["evidence"] = [evidence_ref(stem, i) for i in rows["id"]]
    return out.reset_index(drop=True)


# Marks that flag a doubtful cell in a table, with the reason shown under it.
CAVEAT_MARKS = {
    "suspect": ("†", {"en": "† row suspect: its cells do not reproduce the printed average (OCR copy)",
                      "zh": "† 该行可疑：单元格无法复现所印平均值（OCR 副本）"}),
    "doubtful": ("‡", {"en": "‡ doubtful cell: another reading exists (see the evidence notes)",
                       "zh": "‡ 存疑单元格：另有不同读数（见证据备注）"}),
    "inconsistent": ("§", {"en": "§ the paper prints a different value for this cell elsewhere",
                           "zh": "§ 论文其他位置对此单元格印有不同数值"}),
    "not-a-paper-cell": ("¶", {"en": "¶ from the authors' repository logs, not a table of the paper",
                               "zh": "¶ 来自作者代码仓库日志，并非论文表格"}),
}


def marked(printed: str, caveat: str) -> str:
    """A printed value with its caveat mark, if any."""
    return printed + (CAVEAT_MARKS[caveat][0] if caveat else "")


def caveat_note(caveats, lang: str) -> str:
    """The legend lines for the caveat marks that occur in ``caveats``."""
    present = [c for c in CAVEAT_MARKS if c in set(caveats)]
    return "  \n".join(CAVEAT_MARKS[c][1][lang] for c in present)


# ---- tooltips: every mark says what it shows and where the number was read ---------------------

TIP = {
    "printed": {"en": "Value (as printed)", "zh": "数值（原文所印）"},
    "value": {"en": "Value", "zh": "数值"},
    "model": {"en": "Model", "zh": "模型"},
    "setting": {"en": "Setting", "zh": "设置"},
    "source": {"en": "Source", "zh": "来源"},
    "article": {"en": "the article (Fu, Peng & Khot 2022)", "zh": "原文（Fu、Peng 与 Khot 2022）"},
    "run": {"en": "this project's run {run}", "zh": "本项目的运行 {run}"},
    "lab": {"en": "this project's lab sweep ({preset}), {what}", "zh": "本项目的扫描实验（{preset}），{what}"},
    "seed": {"en": "seed {seed}", "zh": "种子 {seed}"},
    "seeds": {"en": "mean of {n} seeds", "zh": "{n} 个种子的均值"},
}
INFERRED = {"en": "inferred", "zh": "推断"}


def _paper(row: pd.Series, lang: str) -> str:
    """'Wei et al. 2022, arXiv 2201.11903v6, Appendix B Table 2': the paper, version and table of a row."""
    key = row["source_key"]
    if key == "fu2022closerlook":
        return f"{TIP['article'][lang]}{'，' if lang == 'zh' else ', '}{row['location']}"
    name, year = key[:-len(key.lstrip('abcdefghijklmnopqrstuvwxyz'))] or key, key.lstrip("abcdefghijklmnopqrstuvwxyz")[:4]
    full = str(row["arxiv_version"])
    version = full.split(" (")[0]
    version = version if version[:1] == "v" and version[1:].isdigit() else ""
    version += f" ({INFERRED[lang]})" if version and "inferred" in full else ""
    comma = "，" if lang == "zh" else ", "
    arxiv = f"{comma}arXiv {row['arxiv_id']}{version}" if row["arxiv_id"] else ""
    return f"{paper_name(name.capitalize(), lang)} {year}{arxiv}{comma}{row['location']}"


def source_of(ev, refs: str, lang: str) -> str:
    """The tooltip 'Source' of one plotted value, from its evidence reference(s) (';'-joined for a mean)."""
    parts = [r for r in refs.split(";") if r]
    stem, _, row_id = parts[0].partition(":")
    if stem == "lab":
        preset, *_, seed = row_id.split("/")
        what = (TIP["seeds"][lang].format(n=len(parts)) if len(parts) > 1
                else TIP["seed"][lang].format(seed=seed.removeprefix("s")))
        return TIP["lab"][lang].format(preset=preset, what=what)
    if stem == "runs":
        return TIP["run"][lang].format(run=row_id)
    return "; ".join(dict.fromkeys(_paper(ev.row(r), lang) for r in parts))


def printed_of(ev, refs: str, value: float) -> str:
    """The value as its source prints it (a published row's own text); our computed values in 3 digits."""
    stem = refs.partition(":")[0]
    if ";" not in refs and stem not in ("lab", "runs"):
        return str(ev.row(refs)["value"])
    return f"{value:.3g}"


def with_provenance(frame: pd.DataFrame, ev, lang: str) -> pd.DataFrame:
    """``frame`` (with ``evidence`` and ``value`` columns) plus ``printed`` and ``source`` for tooltips."""
    return frame.assign(
        printed=[printed_of(ev, r, v) for r, v in zip(frame["evidence"], frame["value"])],
        source=[source_of(ev, r, lang) for r in frame["evidence"]])


def tooltip(lang: str, model: str | None = "model", setting: str | None = None, extra=()) -> list:
    """Tooltip channels: the printed value, the model and setting (fields of the plot data), the source."""
    import altair as alt

    tips = [alt.Tooltip("printed:N", title=TIP["printed"][lang])]
    tips += [alt.Tooltip(f"{model}:N", title=TIP["model"][lang])] if model else []
    tips += [alt.Tooltip(f"{setting}:N", title=TIP["setting"][lang])] if setting else []
    tips += list(extra)
    return tips + [alt.Tooltip("source:N", title=TIP["source"][lang])]
