"""Derived, not typed: for each source table, the smallest model at which CoT beats direct prompting."""

from __future__ import annotations

import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.views import comparisons, smallest_cot_win
from artifact.exhibits.registry import Table, register

HEAD = {"en": ("Source table", "Benchmark", "Models compared", "Smallest size with CoT > direct (B)",
               "Models at that size", "Every smaller model: direct ≥ CoT", "CoT wins, size not printed"),
        "zh": ("来源表格", "基准", "参与比较的模型", "思维链优于直接提示的最小规模（十亿）", "该规模下的模型",
               "更小的模型都是直接提示 ≥ 思维链", "思维链胜出但未印规模的模型")}
NONE = {"en": "none", "zh": "无"}
YESNO = {"en": ("yes", "no"), "zh": ("是", "否")}


@register("cot-threshold", kind="table",
          inputs=("published:wei2022cot", "published:chung2022flan", "published:suzgun2022bbh"),
          title_en="How large must a model be for chain of thought to help? (derived)",
          title_zh="模型要多大思维链才有用？（计算得出）")
def build(ev: Evidence, lang: str) -> Table:
    rows, data = [], []
    for c in comparisons(ev):
        source, bench, scope = c.source, c.benchmark, c.scope
        t = smallest_cot_win(c.pairs)
        rows.append((source, bench, f"{scope} ({t.compared})", NONE[lang] if t.size is None else f"{t.size:g}",
                     ", ".join(t.winners) or NONE[lang], YESNO[lang][0 if t.smaller_all_direct else 1],
                     ", ".join(t.unsized_winners) or NONE[lang]))
        data.append({"source": source, "benchmark": bench, "scope": scope, "value": t.size,
                     "winners": ";".join(t.winners), "smaller_all_direct": t.smaller_all_direct,
                     "unsized_winners": ";".join(t.unsized_winners), "compared": t.compared,
                     "derivation": "min params_billion where cot > direct",
                     "evidence": ";".join(t.evidence)})
    note = {"en": "Computed from the evidence rows by artifact/evidence/views.py; a tie is not a win. "
                  "Suzgun et al. do not print the sizes of InstructGPT and Codex.",
            "zh": "由 artifact/evidence/views.py 从证据行计算得出；持平不算胜出。Suzgun 等未印出 InstructGPT "
                  "与 Codex 的规模。"}[lang]
    return Table(pd.DataFrame(rows, columns=HEAD[lang]), pd.DataFrame(data), note=note)
