"""The article's comparison of knowledge sources: how hard to construct, how hard to reason with."""

from __future__ import annotations

from artifact.evidence.store import Evidence
from artifact.exhibits.registry import Table, register
from artifact.exhibits.text_table import CITE, frames

CORNER = {"en": "Knowledge source", "zh": "知识来源"}


@register("knowledge-table", kind="table", inputs=("text:knowledge_table",),
          title_en="Structured knowledge, unstructured knowledge and language models",
          title_zh="结构化知识、非结构化知识与语言模型")
def build(ev: Evidence, lang: str) -> Table:
    doc = ev.text("knowledge_table")
    table, data = frames(doc, CORNER, lang)
    return Table(table, data, source=CITE[lang].format(location=doc.location))
