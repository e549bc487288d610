"""The article's comparison of fine-tuning and in-context learning (the paradigm shift)."""

from __future__ import annotations

from artifact.evidence.store import Evidence
from artifact.exhibits.registry import Table, register
from artifact.exhibits.text_table import CITE, frames

CORNER = {"en": "Aspect", "zh": "方面"}
NOTE = {"en": "Only the Chinese version of the article records this comparison as a text table.",
        "zh": "原文只有中文版以文字表格形式给出这一对比。"}


@register("paradigm-table", kind="table", inputs=("text:paradigm_table",),
          title_en="Fine-tuning vs in-context learning", title_zh="精调与上下文学习的对比")
def build(ev: Evidence, lang: str) -> Table:
    doc = ev.text("paradigm_table")
    table, data = frames(doc, CORNER, lang)
    return Table(table, data, source=CITE[lang].format(location=doc.location), note=NOTE[lang])
