"""Si et al. 2022: GPT-3 vs RoBERTa in and out of distribution. The numbers are missing; the
exhibit shows the shift types, says why, and lists the only values we have (authors' logs)."""

from __future__ import annotations

import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.text import MissingTable
from artifact.exhibits.labels import CAVEAT_MARKS, marked
from artifact.exhibits.registry import Table, register

HEAD = {"en": ("Shift type", "Article's term", "Data sets", "GPT-3 in-dist.", "GPT-3 out-of-dist.",
               "RoBERTa in-dist.", "RoBERTa out-of-dist.", "Drop GPT-3 / RoBERTa"),
        "zh": ("偏移类型", "原文用语", "数据集", "GPT-3 分布内", "GPT-3 分布外", "RoBERTa 分布内", "RoBERTa 分布外",
               "下降幅度 GPT-3 / RoBERTa")}
MISSING = {"en": "missing", "zh": "缺失"}
LOGS = {"en": "Values from the authors' logs (Codex code-davinci-002, out of distribution):",
        "zh": "作者日志中的数值（Codex code-davinci-002，分布外）："}


@register("ood-gpt3-vs-roberta", kind="table", inputs=("text:si_ood", "published:si2022reliable"),
          title_en="Out-of-distribution robustness: GPT-3 vs RoBERTa (Si et al. 2022)",
          title_zh="分布外鲁棒性：GPT-3 与 RoBERTa（Si 等 2022）")
def build(ev: Evidence, lang: str) -> Table:
    doc: MissingTable = ev.text("si_ood")
    logs = ev.published("si2022reliable")
    table = pd.DataFrame(
        [(s.shift[lang], s.article_term[lang], s.datasets, *[MISSING[lang]] * 5) for s in doc.shifts],
        columns=HEAD[lang])
    log_lines = [f"- {r.benchmark}, {r.metric}: {marked(r.value, r.caveat)}" for r in logs.itertuples()]
    data = pd.DataFrame({"benchmark": logs["benchmark"], "metric": logs["metric"], "value": logs["number"],
                         "caveat": logs["caveat"],
                         "evidence": [f"si2022reliable:{i}" for i in logs["id"]]}).reset_index(drop=True)
    note = "  \n".join([doc.missing[lang], "", LOGS[lang], *log_lines,
                        CAVEAT_MARKS["not-a-paper-cell"][1][lang]])
    source = {"en": "Source: Si et al. 2022 (arXiv 2210.09150); shift types from the paper's text; logs from "
                    "GitHub NoviScl/GPT3-Reliability (logs_sampled/)",
              "zh": "来源：Si 等 2022（arXiv 2210.09150）；偏移类型来自论文正文；日志来自 GitHub NoviScl/GPT3-Reliability"
                    "（logs_sampled/）"}[lang]
    return Table(table, data, source=source, note=note)
