"""Words and colours more than one exhibit uses, in both languages (declared once)."""

from __future__ import annotations

import pandas as pd

from artifact.evidence.views import evidence_ref

PROMPTING = {
    "standard": {"en": "Standard prompting", "zh": "标准提示"},
    "cot": {"en": "Chain-of-thought prompting", "zh": "思维链提示"},
}
PROMPTING_COLORS = {"standard": "#7f7f7f", "cot": "#1f77b4"}

AXIS = {
    "params": {"en": "Parameters (billions, log scale)", "zh": "参数量（十亿，对数坐标）"},
    "solve_rate": {"en": "GSM8K solve rate (%)", "zh": "GSM8K 解题率（%）"},
    "accuracy": {"en": "Accuracy (%)", "zh": "准确率（%）"},
}
SOURCE = {"en": "Source", "zh": "来源"}


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
