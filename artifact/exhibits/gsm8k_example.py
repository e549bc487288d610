"""The article's worked example: GSM8K test item 18 (the omelet problem) with a chain of thought."""

from __future__ import annotations

import pandas as pd

from artifact.evidence.prompting_labels import phrase
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
                   "question and steps is this project's. The reference solution is the data set's own text: "
                   "in it, <<3*7=21>> marks a calculation for a calculator and #### comes before the final answer. "
                   "Model answers are quoted as generated (English prompts), with the answer extracted from them.",
             "zh": "思维链来自原文（此处为本项目的改写）；问题与步骤的中文为本项目翻译。参考解答为数据集原文：其中 <<3*7=21>> 标记交给计算器的算式，#### 之后是最终答案。"
                   "模型回答按生成原样引用（英文提示），并附上从中提取的答案。"},
    "model": {"en": "{model}, {style}", "zh": "{model}，{style}"},
    "verdict": {"en": "extracted {answer}: {ok}", "zh": "提取的答案 {answer}：{ok}"},
    "ok": {"en": ("correct", "wrong"), "zh": ("正确", "错误")},
    "none": {"en": "no answer", "zh": "无答案"},
}


def model_answers(ev: Evidence, index: int) -> list[dict]:
    """What each complete fresh run answered to item ``index``, per prompting style."""
    runs = ev.runs()
    out = []
    for run_id in sorted(set(runs.loc[runs["complete"] & (runs["task"] == "gsm8k"), "run_id"])):
        model = runs.loc[runs["run_id"] == run_id, "model"].iloc[0]
        for s in ev.run_samples(run_id):
            if s.index == index:
                out.append({"run_id": run_id, "model": model, **s.model_dump()})
    return sorted(out, key=lambda a: (a["run_id"], a["prompting"] != "standard"))


DATASET_ZH = {"GSM8K test": "GSM8K 测试集"}


@register("gsm8k-example", kind="table", inputs=("text:gsm8k_example", "runs:*"),
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
    answers = model_answers(ev, ex.index)
    for a in answers:
        style = phrase(a["prompting"], lang)
        verdict = TEXT["verdict"][lang].format(answer=a["extracted"] or TEXT["none"][lang],
                                               ok=TEXT["ok"][lang][0 if a["correct"] else 1])
        table.loc[len(table)] = [TEXT["model"][lang].format(model=a["model"], style=style),
                                 f"{a['completion'].strip()}\n({verdict})"]
    if answers:
        runs = pd.DataFrame({"part": [f"run:{a['run_id']}/{a['prompting']}" for a in answers],
                             "en": [a["completion"] for a in answers], "zh": [a["completion"] for a in answers],
                             "evidence": [f"runs:{a['run_id']}/{a['prompting']} item {a['index']}" for a in answers]})
        data = pd.concat([data, runs], ignore_index=True)
    source = {"en": f"Source: {ex.dataset}, item index {ex.index} (Cobbe et al. 2021, arXiv 2110.14168; MIT licence)",
              "zh": f"来源：{DATASET_ZH.get(ex.dataset, ex.dataset)}，第 {ex.index} 题（Cobbe 等 2021，arXiv 2110.14168；MIT 许可）"}[lang]
    return Table(table, data, source=source, note=TEXT["note"][lang])
