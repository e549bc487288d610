"""A check's result, and the words its reason is written in: numbers as printed, sources as readers know them
("Wei et al. v6, Table 2, p. 21"), settings in plain English and Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from artifact.claims.status import Status
from artifact.evidence.bib import reference_entries
from artifact.evidence.store import Evidence

ARTICLE = "fu2022closerlook"


@dataclass(frozen=True)
class Verdict:
    status: Status
    observed: object
    reason_en: str
    reason_zh: str
    evidence: tuple[str, ...] = field(default_factory=tuple)
    # The line the rule compares against and how far the evidence is from flipping the verdict, both in the
    # rule's units (margin >= 0); None where the rule has no numeric line (a text match, an unjudged claim).
    threshold: float | None = None
    margin: float | None = None


def num(x: float) -> str:
    """A computed number as a reader writes it: no exponent, no float noise, thousands separated (17,500)."""
    x = round(float(x), 6)
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,.6f}".rstrip("0")


def sig(x: float, digits: int = 3) -> str:
    """``digits`` significant digits, never in exponent notation (0.000123, 3.19, 102,016)."""
    import numpy as np

    text = np.format_float_positional(float(x), precision=digits, unique=False, fractional=False, trim="-")
    return num(float(text)) if abs(float(text)) >= 1000 else text


def signed(x: float) -> str:
    return ("+" if round(float(x), 6) > 0 else "") + num(x)


def months_between(a: str, b: str) -> int:
    """Whole months from YYYY-MM ``a`` to YYYY-MM ``b``."""
    (ya, ma), (yb, mb) = (map(int, a.split("-")), map(int, b.split("-")))
    return (yb - ya) * 12 + mb - ma


def source_name(ev: Evidence, stem: str, lang: str) -> str:
    """'Wei et al.' / 'Wei 等' from the bibliography; the article itself is 'the article' / '原文'."""
    if stem == ARTICLE:
        return {"en": "the article", "zh": "原文"}[lang]
    first = reference_entries(ev.bib).get(stem, {}).get("first_author") or stem
    return f"{first} et al." if lang == "en" else f"{first} 等"


_PLACES = (  # (pattern in a location, English, Chinese)
    (r"\bTable (\d+)", "Table {}", "表 {}"),
    (r"\bFigure (\d+)", "Figure {}", "图 {}"),
    (r"\bEq\. \((\d+(?:\.\d+)?)\)", "Eq. {}", "式 {}"),
)


def place(location: str, lang: str) -> str:
    """Where in a paper, from an evidence row's location: 'Table 2, p. 21' / '表 2，第 21 页'."""
    first = location.split(";")[0]
    parts = []
    for pattern, en, zh in _PLACES:
        m = re.search(pattern, first)
        if m:
            parts.append((en if lang == "en" else zh).format(m.group(1)))
            break
    if not parts and first.startswith("Main results table"):
        parts.append({"en": "main results table", "zh": "主结果表"}[lang])
    if not parts and first.startswith("GitHub"):
        parts.append({"en": "the authors' repository logs", "zh": "作者代码仓库日志"}[lang])
    if not parts:
        m = re.search(r"\bSec (\d+(?:\.\d+)*)", first)
        if m:
            parts.append(f"Sec {m.group(1)}" if lang == "en" else f"第 {m.group(1)} 节")
    page = re.search(r"\(p\.\s*(\d+)\)", first)
    if page:
        parts.append(f"p. {page.group(1)}" if lang == "en" else f"第 {page.group(1)} 页")
    return (", " if lang == "en" else "，").join(parts)


def where(ev: Evidence, row: pd.Series, lang: str) -> str:
    """'Wei et al. v6, Table 2, p. 21' / 'Wei 等 v6，表 2，第 21 页'."""
    version = re.match(r"v\d+", str(row["arxiv_version"]))
    name = source_name(ev, row["source_key"], lang) + (f" {version.group(0)}" if version else "")
    at = place(row["location"], lang)
    return name + ((", " if lang == "en" else "，") + at if at else "")


SETTINGS = {  # the setting as the evidence names it -> (English, Chinese)
    "standard_prompting": ("standard prompting", "标准提示"), "chain_of_thought": ("chain of thought", "思维链"),
    "chain_of_thought_ext_calc": ("chain of thought with a calculator", "思维链加计算器"),
    "cot": ("chain of thought", "思维链"), "direct": ("direct prompting", "直接提示"),
    "answer_only": ("answer-only prompting", "仅答案提示"), "self_consistency": ("self-consistency", "自洽性"),
    "finetuned_verifier": ("fine-tuned with a verifier", "精调加验证器"), "finetuned": ("fine-tuned", "精调"),
    "complex_prompt": ("complex prompt", "复杂提示"), "simple_prompt": ("simple prompt", "简单提示"),
    "greedy_decoding": ("greedy decoding", "贪心解码"), "voting": ("voting", "投票"),
    "zero-shot": ("zero-shot", "零样本"), "supervised": ("fine-tuned reader", "精调阅读器"),
    "complexity_voting": ("complexity-based voting", "基于复杂度的投票"), "all": ("", ""), "n/a": ("", ""),
}
PROMPTS = {  # Fu et al. Table 1 prompt, from the row id -> (English, Chinese)
    "handcrafted-cot": ("handcrafted chain of thought", "手写思维链"), "random-cot": ("random chain of thought", "随机思维链"),
    "complex-cot": ("complex chain of thought", "复杂思维链"),
    "complex-cot-vote-complex": ("complex chain of thought, complexity-based voting", "复杂思维链，基于复杂度的投票"),
}
BENCH_ZH = {"all": "全部", "algorithmic": "算法类", "NLP": "NLP"}
METRICS = {"num_tasks_above_avg_human_rater (of 23)": ("tasks above the average human rater", "超过人类平均评分者的任务数")}


def setting(row: pd.Series, lang: str) -> str:
    key = row["setting"].split(";")[0].split(" (")[0].strip()
    en, zh = SETTINGS.get(key, (key.replace("_", " "), key.replace("_", " ")))
    prompt = re.search(r"-prompt-(.+)$", str(row.name).split("/")[2]) if str(row.name).count("/") >= 2 else None
    if prompt and prompt.group(1) in PROMPTS:
        p_en, p_zh = PROMPTS[prompt.group(1)]
        en, zh = f"{en}, {p_en}", f"{zh}，{p_zh}"
    return en if lang == "en" else zh


def bench(row: pd.Series, lang: str) -> str:
    name = re.sub(r"\s*\(.*", "", row["benchmark"])
    if lang == "zh":
        name = " ".join(BENCH_ZH.get(w, w) for w in name.split())
    metric = METRICS.get(row["metric"])
    return name + ((", " if lang == "en" else "，") + metric[0 if lang == "en" else 1] if metric else "")


def label(row: pd.Series, lang: str) -> str:
    """Model and setting, short enough for a reason sentence: 'PaLM 540B, chain of thought'."""
    model = "" if row["model"].startswith("unspecified") else row["model"]
    words = setting(row, lang)
    sep = ", " if lang == "en" else "，"
    return sep.join(p for p in (model, words) if p)
