"""Fu et al. 2022: complex vs simple chain-of-thought prompts when the step format is perturbed."""

from __future__ import annotations

import json

import altair as alt

from artifact.evidence.store import Evidence
from artifact.evidence.views import fu_table7
from artifact.exhibits.labels import AXIS, cite, numbers, tooltip, with_provenance
from artifact.exhibits.registry import Chart, register

FORMATS = {  # order of Fu et al. Table 7's columns; axis labels on two lines, to fit a narrow panel
    "linebreak": ("original format: linebreak", {"en": ["Line break", "(original)"], "zh": ["换行", "（原格式）"]}),
    "period": ("replaced by period", {"en": ["Period"], "zh": ["句号"]}),
    "step": ("explicit 'step i'", {"en": ["\"Step i\"", "markers"], "zh": ["“第 i 步”", "标记"]}),
    "semicolon": ("replaced by semicolon", {"en": ["Semicolon"], "zh": ["分号"]}),
}
PROMPTS = {"complex": {"en": "Complex prompt", "zh": "复杂提示"}, "simple": {"en": "Simple prompt", "zh": "简单提示"}}
TEXT = {"format": {"en": "Step separator in the prompt", "zh": "提示中的步骤分隔方式"},
        "prompt": {"en": "Prompt", "zh": "提示"}, "dataset": {"en": "Data set", "zh": "数据集"},
        "note": {"en": "The article pictures Fu et al.'s Figure 2 (in-distribution, noisy and transferred prompts), "
                       "a plot with no printed values; this exhibit uses their Table 7 (format perturbation, "
                       "validation sets) instead. The model for Table 7 is not named in the copy read.",
                 "zh": "原文所配的是 Fu 等的图 2（分布内、含噪声与迁移的提示），该图没有印出数值；本图改用其表 7"
                       "（格式扰动，验证集）。所读副本未注明表 7 使用的模型。"}}


@register("ood-complex-prompts", kind="chart", inputs=("published:fu2022complexity",),
          title_en="Complex prompts beat simple ones under every step format (Fu et al. 2022, Table 7)",
          title_zh="在各种步骤格式下复杂提示都优于简单提示（Fu 等 2022，表 7）",
          alt_en='Grouped bars: accuracy with complex and with simple chain-of-thought prompts under four step formats (line break, period, "Step i" markers, semicolon), per data set, from Fu et al. Table 7; the complex prompt is higher under every format.',
          alt_zh='分组柱状图：Fu 等表 7 中，四种步骤格式（换行、句号、“第 i 步”标记、分号）下复杂与简单思维链提示在各数据集上的准确率；每种格式下复杂提示都更高。')
def build(ev: Evidence, lang: str) -> Chart:
    rows = fu_table7(ev.published("fu2022complexity"))
    data = numbers(rows, "fu2022complexity", ["dataset", "format", "prompt"])
    prompt_order = [PROMPTS[p][lang] for p in PROMPTS]
    plot = with_provenance(data, ev, lang).assign(
        format_label=data["format"].map(lambda k: " ".join(FORMATS[k][1][lang])),
        prompt_label=data["prompt"].map(lambda p: PROMPTS[p][lang]))
    lines = json.dumps({k: label[lang] for k, (_, label) in FORMATS.items()}, ensure_ascii=False, sort_keys=True)
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("format:N", sort=list(FORMATS), title=TEXT["format"][lang],
                axis=alt.Axis(labelAngle=0, labelExpr=f"{lines}[datum.value]")),
        xOffset=alt.XOffset("prompt_label:N", sort=prompt_order),
        y=alt.Y("value:Q", title=AXIS["accuracy"][lang]),
        color=alt.Color("prompt_label:N", sort=prompt_order, title=TEXT["prompt"][lang],
                        scale=alt.Scale(domain=prompt_order, range=["#1f77b4", "#aec7e8"])),
        tooltip=tooltip(lang, model=None, setting="prompt_label", extra=[
            alt.Tooltip("dataset:N", title=TEXT["dataset"][lang]), alt.Tooltip("format_label:N", title=TEXT["format"][lang])]),
    )
    labels = bars.mark_text(dy=-6, fontSize=10).encode(text="printed:N", color=alt.value("#333333"))
    chart = alt.layer(bars, labels, data=plot).properties(width=300, height=240).facet(
        facet=alt.Facet("dataset:N", title=None), columns=2).resolve_axis(x="independent")
    source = cite(lang, "Fu et al. 2022 (arXiv 2210.00720, ICLR 2023 text), Table 7",
                  "Fu 等 2022（arXiv 2210.00720，ICLR 2023 版）表 7")
    return Chart(chart, data, source=source, note=TEXT["note"][lang])
