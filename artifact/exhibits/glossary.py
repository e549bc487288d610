"""The article's glossary: English / Chinese / short definition (the site reuses the same file)."""

from __future__ import annotations

import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.text import Glossary
from artifact.exhibits.registry import Table, register

HEAD = {"en": ("English", "Chinese", "Definition", "In the article's table"),
        "zh": ("英文", "中文", "释义", "原文对照表中")}
YES = {"en": ("yes", "no"), "zh": ("是", "否")}


@register("glossary", kind="table", inputs=("text:glossary",),
          title_en="Glossary (English / Chinese)", title_zh="中英对照表")
def build(ev: Evidence, lang: str) -> Table:
    doc: Glossary = ev.text("glossary")
    table = pd.DataFrame(
        [(t.en, t.zh, t.definition_en if lang == "en" else t.definition_zh,
          YES[lang][0] if t.article_table else YES[lang][1]) for t in doc.terms],
        columns=HEAD[lang])
    data = pd.DataFrame([t.model_dump() for t in doc.terms])
    data["evidence"] = f"{doc.source_key}: {doc.location}"
    source = {"en": "Source: the article's Chinese version, glossary table (nine terms); definitions in this "
                    "project's words; the other terms are ones the article uses",
              "zh": "来源：原文中文版的中英对照表（九个术语）；释义为本项目所写；其余术语为原文用到的术语"}[lang]
    return Table(table, data, source=source)
