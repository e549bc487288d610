"""Derived views: tables computed from evidence that both exhibits and claims read.

Each view is a pure function of loaded evidence frames (or of an ``Evidence``), so an exhibit and a
claim that need the same derived numbers compute them here, and neither imports the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.lab_schema import HIGHER_IS_BETTER  # noqa: F401  (re-exported: checks read it with the lab views)


def evidence_ref(stem: str, row_id: str) -> str:
    """How exhibit CSVs and claims cite an evidence row: '<file stem>:<row id>'."""
    return f"{stem}:{row_id}"


def arxiv_month(arxiv_id: str) -> str:
    """YYYY-MM of an arXiv id's first submission (new-style ids start with YYMM)."""
    return f"20{arxiv_id[:2]}-{arxiv_id[2:4]}"


def paper_month(ev: Evidence, key: str) -> str:
    """First arXiv month of a bibliography entry (KeyError when it has no arXiv eprint)."""
    from artifact.bib import reference_entries

    eprint = reference_entries(ev.bib).get(key, {}).get("eprint")
    if not eprint:
        raise KeyError(f"reference {key!r} has no arXiv eprint in {ev.bib.name}")
    return arxiv_month(eprint)


def milestone(ev: Evidence, key: str):
    """One milestone of the GSM8K dates table (artifact/data/text/gsm8k_progress.yaml), the one source of the
    article's dates and the sources' months for the exhibit and the date claims alike."""
    found = {m.key: m for m in ev.text("gsm8k_progress").milestones}
    if key not in found:
        raise KeyError(f"unknown GSM8K milestone {key!r} (known: {', '.join(found)})")
    return found[key]


def earliest_public_month(ev: Evidence, m) -> str:
    """The first month a milestone's number can have been public: its paper's first arXiv month, or the month
    of the paper introducing its model, whichever is later."""
    month = arxiv_month(m.origin_arxiv_id)
    return max(month, paper_month(ev, m.model_paper)) if m.model_paper else month


# --- Wei et al. v6, Appendix B Table 2 (GSM8K) ---------------------------------------------------------------

# The panels of Wei et al. Figure 4; UL2 20B and Codex are in their Table 2 but not in the figure.
WEI_PANELS = {"LaMDA": "LaMDA", "GPT-3 (InstructGPT)": "GPT-3", "PaLM": "PaLM"}
WEI_SETTINGS = {"standard_prompting": "standard", "chain_of_thought": "cot"}


def wei_table2(wei: pd.DataFrame) -> pd.DataFrame:
    """Every GSM8K cell of Wei et al. v6 Table 2 (all families, UL2 and Codex included), with
    ``prompting`` (standard / cot)."""
    rows = wei[wei["location"].str.startswith("Appendix B Table 2") & wei["setting"].isin(WEI_SETTINGS)]
    return rows.assign(prompting=rows["setting"].map(WEI_SETTINGS))


def scaling_rows(wei: pd.DataFrame) -> pd.DataFrame:
    """The Table 2 cells of the three plotted families, with ``prompting`` and ``panel`` names."""
    rows = wei_table2(wei)
    rows = rows[rows["model_family"].isin(WEI_PANELS)]
    return rows.assign(panel=rows["model_family"].map(WEI_PANELS))


def cot_gains(rows: pd.DataFrame) -> pd.DataFrame:
    """CoT minus standard per model of ``wei_table2`` rows (columns model, params_billion, family, standard,
    cot, gain)."""
    wide = rows.pivot_table(index=["model_family", "model", "params_billion"], columns="prompting",
                            values="number", sort=False).reset_index()
    return wide.assign(gain=(wide["cot"] - wide["standard"]).round(6))


# --- Chung et al. v5, Table 5 ------------------------------------------------------------------------------

# (benchmark prefix, setting, column name), in the paper's column order
FLAN_COLUMNS = [("Norm. avg", "all", "Norm. avg"), ("MMLU", "direct", "MMLU direct"), ("MMLU", "cot", "MMLU CoT"),
                ("BBH", "direct", "BBH direct"), ("BBH", "cot", "BBH CoT"), ("TyDiQA", "direct", "TyDiQA direct"),
                ("MGSM", "cot", "MGSM CoT")]


def flan_cells(chung: pd.DataFrame) -> pd.DataFrame:
    """Table 5 cells with ``bench`` and a ``column`` name from FLAN_COLUMNS."""
    rows = chung.copy()
    rows["bench"] = rows["benchmark"].str.extract(r"^(Norm\. avg|MMLU|BBH|TyDiQA|MGSM)")[0]
    names = {(b, s): c for b, s, c in FLAN_COLUMNS}
    rows["column"] = [names[(b, s)] for b, s in zip(rows["bench"], rows["setting"])]
    return rows


# --- Suzgun et al. v1, Table 2 -----------------------------------------------------------------------------

BBH_TABLE2 = "Table 2 (Sec 3/4.1), summary of answer-only vs CoT"


def bbh_table2(suzgun: pd.DataFrame) -> pd.DataFrame:
    """Table 2 accuracy cells with ``subset`` (BBH all / NLP / algorithmic)."""
    rows = suzgun[(suzgun["location"] == BBH_TABLE2) & (suzgun["metric"] == "accuracy_exact_match_pct")].copy()
    rows["subset"] = rows["benchmark"].str.extract(r"^(BBH all|BBH NLP|BBH algorithmic)")[0]
    return rows


# --- Fu et al. (complexity-based prompting), Table 7 -------------------------------------------------------

FU_FORMATS = {"linebreak": "original format: linebreak", "period": "replaced by period",
              "step": "explicit 'step i'", "semicolon": "replaced by semicolon"}  # Table 7's column order


def fu_table7(fu: pd.DataFrame) -> pd.DataFrame:
    """Table 7 cells with ``prompt`` (complex / simple), ``format`` (a FU_FORMATS key) and ``dataset``."""
    rows = fu[fu["location"].str.startswith("Table 7")].copy()
    rows["prompt"] = rows["setting"].str.extract(r"^(complex|simple)_prompt")[0]
    rows["format"] = [next(k for k, needle in FU_FORMATS.items() if needle in s) for s in rows["setting"]]
    rows["dataset"] = rows["benchmark"].str.extract(r"^(GSM8K|MathQA)")[0]
    return rows


# --- Yu et al. (GenRead), Tables 1 and 2 -------------------------------------------------------------------

def genread_approach(model: str, group: str) -> str:
    """Where the reader's knowledge comes from, read off the printed group and model names."""
    if model.startswith("merge"):
        return "both"
    if model.startswith("GenRead"):
        return "generate"
    if "without retriever" in group:
        return "none"
    return "retrieve"


def genread_cells(yu: pd.DataFrame) -> pd.DataFrame:
    """Every cell with ``table``, printed ``group``, ``bench`` and ``approach``."""
    rows = yu.copy()
    rows["table"] = rows["location"].str.extract(r"^(Table \d)")[0]
    rows["group"] = rows["setting"].str.extract(r"group: ([^;]*)")[0].str.strip()
    rows["bench"] = rows["benchmark"].str.extract(r"^(TriviaQA|WebQ|NQ|Avg)")[0]
    rows["approach"] = [genread_approach(m, g) for m, g in zip(rows["model"], rows["group"])]
    return rows


# --- Kaplan et al., Eq. (1.1) ------------------------------------------------------------------------------

KAPLAN_N_C = "eq1-1/l/webtext2-test-loss/n-c"
KAPLAN_ALPHA_N = "eq1-1/l/webtext2-test-loss/alpha-n"
# Kaplan et al. fit L(N) on models of roughly 10^3 to 10^9 non-embedding parameters; we draw 10^3..10^11.
KAPLAN_GRID = np.logspace(3, 11, 33)


def kaplan_curve(n_c: float, alpha_n: float, grid: np.ndarray = KAPLAN_GRID) -> pd.DataFrame:
    """Loss of Kaplan et al.'s Eq. (1.1) at each model size in ``grid``."""
    return pd.DataFrame({"x": grid, "value": (n_c / grid) ** alpha_n})


# --- The lab sweep -----------------------------------------------------------------------------------------

LAB_METRIC_NAMES = {
    "exact_match": {"en": "Exact match (whole answer right)", "zh": "完全匹配（整个答案正确）"},
    "token_accuracy": {"en": "Per-token accuracy (true prefix given)", "zh": "逐词元准确率（给定正确前缀）"},
    "log_likelihood": {"en": "Log-likelihood of the answer (nats)", "zh": "正确答案的对数似然（奈特）"},
    "edit_distance": {"en": "Token edit distance (lower is better)", "zh": "词元编辑距离（越低越好）"},
}


def seed_means(metrics: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per width (ascending): parameters, seed mean, min and max of ``metric``, and the seeds' rows."""
    grouped = metrics.sort_values(["width", "seed"]).groupby("width", sort=True)
    return pd.DataFrame({"parameters": grouped["parameters"].first(), "mean": grouped[metric].mean(),
                         "low": grouped[metric].min(), "high": grouped[metric].max(),
                         "seeds": grouped["seed"].apply(list)}).reset_index()


def largest_step_share(means: list[float], higher_is_better: bool = True) -> tuple[float, int]:
    """(share, i): the largest improvement between sizes i and i+1 over the total improvement from the
    first size to the last. 1.0 means all of the rise happens in one step; 0.0 when nothing improves."""
    signed = list(means) if higher_is_better else [-m for m in means]
    total = signed[-1] - signed[0]
    steps = [b - a for a, b in zip(signed, signed[1:])]
    if total <= 0 or not steps:
        return 0.0, 0
    i = max(range(len(steps)), key=lambda k: steps[k])
    return steps[i] / total, i


# --- Chain of thought against direct prompting, per source table -------------------------------------------

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
    """Every CoT-vs-direct comparison, one per source table, benchmark and scope."""
    out = []
    wei = wei_table2(ev.published("wei2022cot"))
    for family, group in scaling_rows(ev.published("wei2022cot")).groupby("panel", sort=False):
        out.append(Comparison(f"wei/gsm8k/{family.lower()}", "Wei et al. 2022 v6, Table 2", "GSM8K", family,
                              pair_up(group, "wei2022cot", "cot", "standard")))
    other = wei[~wei["model_family"].isin(WEI_PANELS)]
    out.append(Comparison("wei/gsm8k/other", "Wei et al. 2022 v6, Table 2", "GSM8K", "UL2, Codex",
                          pair_up(other, "wei2022cot", "cot", "standard")))
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


# --- Pairs of cells that differ in one thing (a model, a prompt) -------------------------------------------

PAIR_COLUMNS = ["stem", "better_ref", "worse_ref", "better", "worse", "better_printed", "worse_printed"]


def fragment_pairs(ev: Evidence, stems: list[str], sides: list[tuple[str, str]],
                   within: str | None = None) -> pd.DataFrame:
    """For each (better, worse) fragment pair, every row whose id holds ``better`` against the row whose id is the
    same with ``better`` replaced by ``worse`` (ids name table, model, setting, benchmark and metric, so the partner
    is the same cell for the other side). A comparison a source prints twice (the same cells in another table, or
    the same benchmark and two values in another transcription) is kept once."""
    out, seen = [], set()
    for (better, w), stem in ((s, stem) for s in sides for stem in stems):
        frame = ev.published(stem)
        # numbered tables first, so a comparison also printed elsewhere is cited from its table
        tables_first = frame.sort_values("location", key=lambda s: ~s.str.startswith("Table"), kind="stable")
        for row_id, row in tables_first.iterrows():
            if better not in row_id or (within and within not in row_id):
                continue
            other = row_id.replace(better, w, 1)
            if other not in frame.index or frame.loc[other, "metric"] != row["metric"]:
                continue
            low = frame.loc[other]
            keys = {(stem, row_id.split("/", 1)[1], other.split("/", 1)[1]),
                    (stem, re.sub(r"\s*\(.*", "", row["benchmark"]), row["value"], low["value"])}
            if keys & seen:
                continue
            seen |= keys
            out.append((stem, evidence_ref(stem, row_id), evidence_ref(stem, other), row["number"], low["number"],
                        row["value"], low["value"]))
    return pd.DataFrame(out, columns=PAIR_COLUMNS)


def genread_pairs(ev: Evidence, table: str, model: str) -> pd.DataFrame:
    """In one of Yu et al.'s tables, the named generate-then-read row against every retrieve-then-read row of the
    same data set (columns bench, model, retriever, better, worse, refs)."""
    rows = genread_cells(ev.published("yu2022genread"))
    rows = rows[(rows["table"] == table) & (rows["bench"] != "Avg")]
    gen = rows[rows["model"] == model].set_index("bench")
    out = []
    for r in rows[rows["approach"] == "retrieve"].itertuples():
        if r.bench in gen.index:
            g = gen.loc[r.bench]
            out.append((r.bench, r.model, g["number"], r.number, evidence_ref("yu2022genread", g["id"]),
                        evidence_ref("yu2022genread", r.id)))
    return pd.DataFrame(out, columns=["bench", "retriever", "better", "worse", "better_ref", "worse_ref"])


def table_peers(ev: Evidence, ref: str) -> pd.DataFrame:
    """Every other row of the same source table (location up to the first bracket), benchmark and metric."""
    stem, _, row_id = ref.partition(":")
    frame = ev.published(stem)
    row = frame.loc[row_id]
    table = row["location"].split("(")[0].strip()
    same = (frame["location"].str.split("(").str[0].str.strip() == table) & (frame["benchmark"] == row["benchmark"]) \
        & (frame["metric"] == row["metric"]) & (frame.index != row_id)
    return frame[same]
