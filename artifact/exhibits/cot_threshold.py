"""Derived, not typed: for each source table, the smallest model at which CoT beats direct prompting."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from artifact.evidence.store import Evidence
from artifact.exhibits.bbh_cot import table2 as bbh_table2
from artifact.exhibits.flan_table5 import cells as flan_cells
from artifact.exhibits.gsm8k_scaling import scaling_rows
from artifact.exhibits.labels import evidence_ref
from artifact.exhibits.registry import Table, register


@dataclass(frozen=True)
class Threshold:
    """Where CoT first beats direct prompting in one comparison."""

    size: float | None  # smallest size (billions) with a CoT win; None when no sized model wins
    winners: tuple[str, ...]  # models of that size where CoT wins
    smaller_all_direct: bool  # every smaller model has direct >= CoT
    unsized_winners: tuple[str, ...]  # models without a printed size where CoT wins
    evidence: tuple[str, ...]  # row references of the winners' CoT and direct cells
    compared: int  # models compared


def smallest_cot_win(pairs: pd.DataFrame) -> Threshold:
    """``pairs``: one row per model with ``model``, ``params_billion``, ``cot``, ``direct``,
    ``cot_ref`` and ``direct_ref``. Ties (CoT == direct) do not count as wins."""
    wins = pairs[pairs["cot"] > pairs["direct"]]
    sized = wins.dropna(subset=["params_billion"])
    size = float(sized["params_billion"].min()) if len(sized) else None
    at_size = sized[sized["params_billion"] == size] if size is not None else sized.iloc[0:0]
    smaller = pairs[pairs["params_billion"] < size] if size is not None else pairs.dropna(subset=["params_billion"])
    unsized = wins[wins["params_billion"].isna()]
    refs = tuple(r for _, w in pd.concat([at_size, unsized]).iterrows() for r in (w["cot_ref"], w["direct_ref"]))
    return Threshold(size, tuple(at_size["model"]), bool((smaller["direct"] >= smaller["cot"]).all()),
                     tuple(unsized["model"]), refs, len(pairs))


def pair_up(rows: pd.DataFrame, stem: str, cot: str, direct: str) -> pd.DataFrame:
    """One row per model from rows carrying ``model``, ``params_billion``, ``number``, ``id`` and ``prompting``."""
    def side(name: str) -> pd.DataFrame:
        s = rows[rows["prompting"] == name].set_index("model")
        return pd.DataFrame({"number": s["number"], "ref": [evidence_ref(stem, i) for i in s["id"]],
                             "params_billion": s["params_billion"]})
    c, d = side(cot), side(direct)
    return pd.DataFrame({"model": c.index, "params_billion": c["params_billion"].to_numpy(),
                         "cot": c["number"].to_numpy(), "direct": d.loc[c.index, "number"].to_numpy(),
                         "cot_ref": c["ref"].to_numpy(), "direct_ref": d.loc[c.index, "ref"].to_numpy()})


@dataclass(frozen=True)
class Comparison:
    key: str  # stable handle claims use, e.g. "chung/bbh/all"
    source: str
    benchmark: str
    scope: str
    pairs: pd.DataFrame


def comparisons(ev: Evidence) -> list[Comparison]:
    """Every CoT-vs-direct comparison the exhibit derives, one per source table, benchmark and scope."""
    out = []
    wei = scaling_rows(ev.published("wei2022cot"))
    for family, group in wei.groupby("panel", sort=False):
        out.append(Comparison(f"wei/gsm8k/{family.lower()}", "Wei et al. 2022 v6, Table 2", "GSM8K", family,
                              pair_up(group, "wei2022cot", "cot", "standard")))
    flan = flan_cells(ev.published("chung2022flan"))
    for bench in ("MMLU", "BBH"):
        rows = flan[flan["bench"] == bench].assign(prompting=lambda r: r["setting"])
        out.append(Comparison(f"chung/{bench.lower()}/all", "Chung et al. 2022 v5, Table 5", bench, "all 20 rows",
                              pair_up(rows, "chung2022flan", "cot", "direct")))
    bbh = bbh_table2(ev.published("suzgun2022bbh"))
    bbh = bbh[(bbh["subset"] == "BBH all") & bbh["setting"].isin(["cot", "answer_only"])]
    out.append(Comparison("suzgun/bbh/all", "Suzgun et al. 2022 v1, Table 2", "BBH (23 tasks)",
                          "InstructGPT, Codex, PaLM",
                          pair_up(bbh.assign(prompting=bbh["setting"]), "suzgun2022bbh", "cot", "answer_only")))
    return out


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
    note = {"en": "Computed from the evidence rows by artifact/exhibits/cot_threshold.py; a tie is not a win. "
                  "Suzgun et al. do not print the sizes of InstructGPT and Codex.",
            "zh": "由 artifact/exhibits/cot_threshold.py 从证据行计算得出；持平不算胜出。Suzgun 等未印出 InstructGPT "
                  "与 Codex 的规模。"}[lang]
    return Table(pd.DataFrame(rows, columns=HEAD[lang]), pd.DataFrame(data), note=note)
