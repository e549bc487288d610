"""The symbolic-reasoning view: Wei et al.'s Table 5 cells and this project's runs in one shape.

One row per (family, model, task, split, prompting): the solve rate in percent and the evidence it
comes from (a published row, or a run's accuracy as ``runs:<run>/<style>``). The exhibit
`symbolic-cot` plots it and the symbolic claims test it, so both read the same numbers.
"""

from __future__ import annotations

import re

import pandas as pd

from artifact.evidence.views import WEI_SETTINGS, evidence_ref

STEM = "wei2022cot_symbolic"
TASKS = ("last-letters", "coin-flip")
SPLITS = ("id-2", "ood-3", "ood-4")
RUNS_FAMILY = "runs"  # the family name of this project's runs
_CELL = re.compile(r"/(" + "|".join(TASKS) + r")-(" + "|".join(SPLITS) + r")/")
COLUMNS = ["family", "model", "params_billion", "task", "split", "prompting", "value", "evidence"]


def published_cells(table5: pd.DataFrame) -> pd.DataFrame:
    """Wei et al. v6 Table 5, one row per printed cell (task and split read from the row id)."""
    found = table5["id"].str.extract(_CELL)
    return pd.DataFrame({
        "family": table5["model_family"], "model": table5["model"], "params_billion": table5["params_billion"],
        "task": found[0], "split": found[1], "prompting": table5["setting"].map(WEI_SETTINGS),
        "value": table5["number"], "evidence": [evidence_ref(STEM, i) for i in table5["id"]],
    }).reset_index(drop=True)


def run_cells(runs: pd.DataFrame) -> pd.DataFrame:
    """This project's complete runs of the symbolic tasks, in the same shape."""
    if runs.empty or "split" not in runs:
        return pd.DataFrame(columns=COLUMNS)
    done = runs[runs["complete"] & runs["task"].isin(TASKS) & runs["split"].isin(SPLITS)
                & runs["params_billion"].notna() & runs["prompting"].isin(list(WEI_SETTINGS.values()))]
    return pd.DataFrame({
        "family": RUNS_FAMILY, "model": done["model"], "params_billion": done["params_billion"],
        "task": done["task"], "split": done["split"], "prompting": done["prompting"], "value": done["number"],
        "evidence": [f"runs:{i}" for i in done["id"]],
    }).reset_index(drop=True)


def symbolic_cells(table5: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Published cells (in file order), then run cells."""
    out = pd.concat([published_cells(table5), run_cells(runs)], ignore_index=True)
    return out[COLUMNS].astype({"params_billion": float, "value": float})
