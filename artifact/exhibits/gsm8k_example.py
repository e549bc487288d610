"""The article's worked example: GSM8K test item 18 (the omelet problem) with a chain of thought."""

from __future__ import annotations

import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.text import WorkedExample
from artifact.exhibits.registry import Table, register

TEXT = {
    "part": {"en": "Part", "zh": "部分"},
    "text": {"en": "Text", "zh": "内容"},
    "question": {"en": "Question", "zh": "问题"},
    "step": {"en": "Step {n}", "zh": "第 {n} 步"},
    "answer": {"en": "Answer", "zh": "答案"},
    "reference": {"en": "GSM8K reference solution", "zh": "GSM8K 参考解答"},
    "note": {"en": "The chain of thought is the article's (reworded here); the Chinese translation of the "
                   "question and steps is this project's. The reference solution is the data set's own text.",
             "zh": "思维链来自原文（此处为本项目的改写）；问题与步骤的中文为本项目翻译。参考解答为数据集原文。"},
}


@register("gsm8k-example", kind="table", inputs=("text:gsm8k_example",),
          title_en="A GSM8K problem solved step by step (test item 18)",
          title_zh="逐步求解的一道 GSM8K 题（测试集第 18 题）")
def build(ev: Evidence, lang: str) -> Table:
    ex: WorkedExample = ev.text("gsm8k_example")
    question = ex.question if lang == "en" else ex.question_zh
    steps = ex.chain_of_thought[lang]
    answer = f"{ex.answer:g}"
    parts = [(TEXT["question"][lang], question)]
    parts += [(TEXT["step"][lang].format(n=i), s) for i, s in enumerate(steps, 1)]
    parts += [(TEXT["answer"][lang], answer), (TEXT["reference"][lang], ex.reference_solution)]
    table = pd.DataFrame(parts, columns=[TEXT["part"][lang], TEXT["text"][lang]])
    data = pd.DataFrame({
        "part": ["question"] + [f"step_{i}" for i in range(1, len(steps) + 1)] + ["answer", "reference_solution"],
        "en": [ex.question] + ex.chain_of_thought["en"] + [answer, ex.reference_solution],
        "zh": [ex.question_zh] + ex.chain_of_thought["zh"] + [answer, ex.reference_solution],
    })
    data["evidence"] = f"{ex.dataset} index {ex.index} (sha256 {ex.dataset_sha256[:12]}...)"
    source = {"en": f"Source: {ex.dataset}, item index {ex.index} (Cobbe et al. 2021, arXiv 2110.14168; MIT licence)",
              "zh": f"来源：{ex.dataset}，第 {ex.index} 题（Cobbe 等 2021，arXiv 2110.14168；MIT 许可）"}[lang]
    return Table(table, data, source=source, note=TEXT["note"][lang])
