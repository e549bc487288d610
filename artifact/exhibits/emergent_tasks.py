"""Wei et al. 2022 (Emergent Abilities) Table 1: the scale at which each ability emerges."""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.errors import RegistryError
from artifact.evidence.store import Evidence
from artifact.exhibits.labels import POWER_OF_TEN, cite, numbers, tooltip, with_provenance
from artifact.exhibits.registry import Chart, register

CATEGORIES = {"Few-shot prompting abilities": {"en": "Few-shot prompting", "zh": "少样本提示"},
              "Augmented prompting abilities": {"en": "Augmented prompting", "zh": "增强提示"}}
# Table 1's task names in Chinese (our translations; benchmark and method names stay as printed).
TASKS_ZH = {
    "Addition/subtraction (3 digit)": "加减法（3 位数）",
    "Addition/subtraction (4-5 digit)": "加减法（4–5 位数）",
    "MMLU Benchmark (57 topic avg.)": "MMLU 基准（57 个主题平均）",
    "Toxicity classification (CivilComments)": "毒性分类（CivilComments）",
    "Truthfulness (Truthful QA)": "真实性（Truthful QA）",
    "MMLU Benchmark (26 topics)": "MMLU 基准（26 个主题）",
    "Grounded conceptual mappings": "有依据的概念映射",
    "MMLU Benchmark (30 topics)": "MMLU 基准（30 个主题）",
    "Word in Context (WiC) benchmark": "上下文词义（WiC）基准",
    "Instruction following (finetuning)": "遵循指令（精调）",
    "Scratchpad: 8-digit addition (finetuning)": "草稿纸：8 位数加法（精调）",
    "Using open-book knowledge for fact checking": "用开卷知识核查事实",
    "Chain-of-thought: Math word problems": "思维链：数学应用题",
    "Chain-of-thought: StrategyQA": "思维链：StrategyQA",
    "Differentiable search index": "可微搜索索引",
    "Self-consistency decoding": "自洽性解码",
    "Leveraging explanations in prompting": "在提示中利用解释",
    "Least-to-most prompting": "由少到多提示",
    "Zero-shot chain-of-thought reasoning": "零样本思维链推理",
    "Calibration via P(True)": "借助 P(True) 校准",
    "Multilingual chain-of-thought reasoning": "多语言思维链推理",
    "Ask me anything prompting": "Ask Me Anything 提示",
}
TEXT = {"flops": {"en": "Training FLOPs at emergence (log scale)", "zh": "突现时的训练计算量 FLOPs（对数坐标）"},
        "task": {"en": "Ability", "zh": "能力"}, "category": {"en": "Category", "zh": "类别"}}


def task_label(task: str, lang: str) -> str:
    """A task's name in ``lang``; a Table 1 task without a translation is an error, not English in a Chinese chart."""
    if lang == "en":
        return task
    if task not in TASKS_ZH:
        raise RegistryError(f"emergent-tasks: no Chinese name for task {task!r} (add it to TASKS_ZH)")
    return TASKS_ZH[task]


@register("emergent-tasks", kind="chart", inputs=("published:wei2022emergent",),
          title_en="Emergent abilities and the scale at which they appear",
          title_zh="各项突现能力及其出现时的规模",
          alt_en='Dot chart: for each emergent task listed by Wei et al., the model size at which the ability first appears, on a log scale, coloured by model family.',
          alt_zh='点图：Wei 等列出的每个突现任务，能力首次出现时的模型规模（对数坐标），按模型系列着色。')
def build(ev: Evidence, lang: str) -> Chart:
    rows = ev.published("wei2022emergent").rename(columns={"setting": "category", "benchmark": "task"})
    rows["quantity"] = rows["metric"].map(lambda m: "flops" if "FLOPs" in m else "params_billion")
    data = numbers(rows, "wei2022emergent", ["category", "task", "model", "quantity"])
    flops = data[data["quantity"] == "flops"].reset_index(drop=True)
    plot = with_provenance(flops, ev, lang).assign(
        category_label=flops["category"].map(lambda c: CATEGORIES[c][lang]),
        task_label=[task_label(t, lang) for t in flops["task"]])
    order = list(plot.sort_values(["value", "task"])["task_label"])
    # No y title: the chart's title already names the rows, and a title there sat on a row label.
    base = alt.Chart(plot).encode(
        y=alt.Y("task_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("value:Q", scale=alt.Scale(type="log"), title=TEXT["flops"][lang], axis=alt.Axis(labelExpr=POWER_OF_TEN)),
        tooltip=tooltip(lang, setting="category_label",
                        extra=[alt.Tooltip("task_label:N", title=TEXT["task"][lang])]),
    )
    points = base.mark_point(filled=True, size=70).encode(
        color=alt.Color("category_label:N", title=TEXT["category"][lang],
                        sort=[CATEGORIES[c][lang] for c in CATEGORIES]))
    # Model names beside their points, on the left past 1e23 FLOPs so they stay inside the plot.
    late = alt.datum.value >= 1e23
    names = [base.transform_filter(~late).mark_text(align="left", dx=7, fontSize=11, color="#444444"),
             base.transform_filter(late).mark_text(align="right", dx=-7, fontSize=11, color="#444444")]
    chart = alt.layer(points, *[n.encode(text="model:N") for n in names]).properties(width=420, height=alt.Step(18))
    source = cite(lang, "Wei et al. 2022, Emergent Abilities (arXiv 2206.07682, v2 inferred), Table 1",
                  "Wei 等 2022《大语言模型的突现能力》（arXiv 2206.07682，推断为 v2）表 1")
    return Chart(chart, pd.concat([data], ignore_index=True), source=source)
