"""Derived views of the cot sweep (the same sizes, seeds, problems and optimiser steps, trained on two target
formats: ``direct`` and ``scratchpad``), read by the lab-cot exhibit and the lab-cot claims alike.

The article's headline put to the lab: chain of thought helps only large models. Here "chain of thought" is
a scratchpad (the column totals written before the sum) and the quantity is the scratchpad's gain: its
exact match of the final answer minus the direct format's, on the same held-out problems. Every function
is a pure function of the metrics frame that evidence.lab.load_sweep returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from artifact.evidence.lab_lengths import halfway_size

# Settled before the sweep ran (see artifact/claims/lab_cot.yaml):
NO_GAIN = 0.02  # a gain of at most 2 points (10 of 500 problems) counts as none: the seeds' noise
CEILING = 0.95  # where direct's seed mean reaches this, a gain has no room to show; such sizes are not judged
LEARNS = 0.5  # a format "learns" at a size where its seed mean of exact match reaches this


def format_means(metrics: pd.DataFrame, metric: str = "exact_match") -> pd.DataFrame:
    """Per width (ascending): parameters and, per format, the seed mean, min and max of ``metric``."""
    rows = []
    for (width, form), part in metrics.groupby(["width", "format"], sort=True):
        rows.append({"width": width, "format": form, "parameters": int(part["parameters"].iloc[0]),
                     "mean": part[metric].mean(), "low": part[metric].min(), "high": part[metric].max(),
                     "seeds": sorted(part["seed"].tolist())})
    return pd.DataFrame(rows)


def gain_table(metrics: pd.DataFrame, metric: str = "exact_match") -> pd.DataFrame:
    """Per width: direct's and the scratchpad's seed means, the gain (scratchpad minus direct, on seed means)
    and the seed spread of the per-seed gains (each seed's two models share initialisation seed, problems
    and batch order, so a per-seed difference is a paired one)."""
    wide = metrics.pivot_table(index=["width", "seed"], columns="format", values=metric, aggfunc="first")
    params = metrics.groupby("width")["parameters"].first()
    per_seed = (wide["scratchpad"] - wide["direct"]).rename("gain").reset_index()
    rows = []
    for width, part in per_seed.groupby("width", sort=True):
        d = wide.loc[width, "direct"].mean()
        s = wide.loc[width, "scratchpad"].mean()
        rows.append({"width": width, "parameters": int(params[width]), "direct": d, "scratchpad": s,
                     "gain": s - d, "gain_low": part["gain"].min(), "gain_high": part["gain"].max(),
                     "seeds": sorted(part["seed"].tolist())})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Crossing:
    """Where the scratchpad's gain turns from none (<= NO_GAIN) to some (> NO_GAIN) on the judged sizes."""

    judged: tuple[int, ...]  # widths where direct is below CEILING (room for a gain)
    width: int | None  # the first judged width from which every judged width has a gain; None if none
    single: bool  # no gain at every judged width below it and a gain at every one from it up
    some_learns: bool  # either format reaches LEARNS at some size


def crossing(gains: pd.DataFrame) -> Crossing:
    judged = gains[gains["direct"] < CEILING]
    has = (judged["gain"] > NO_GAIN).tolist()
    widths = [int(w) for w in judged["width"]]
    first = next((i for i in range(len(has)) if all(has[i:])), None)
    single = first is not None and not any(has[:first])
    some = bool((gains[["direct", "scratchpad"]] >= LEARNS).any().any())
    return Crossing(tuple(widths), widths[first] if first is not None else None, single, some)


def spearman(x: list[float], y: list[float]) -> float:
    """Spearman's rank correlation (average ranks for ties); NaN when either side is constant."""
    rx, ry = pd.Series(x).rank(), pd.Series(y).rank()
    if rx.nunique() < 2 or ry.nunique() < 2:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def halfway_by_format(metrics: pd.DataFrame, metric: str = "exact_match") -> dict[str, float | None]:
    """Per format, the size at which the seed mean of ``metric`` reaches half of its rise over the grid
    (evidence.lab_lengths.halfway_size; None when it rises by less than LEARNS: no rise worth placing)."""
    means = format_means(metrics, metric)
    out = {}
    for form, part in means.groupby("format", sort=True):
        out[form] = halfway_size(part["parameters"].tolist(), part["mean"].tolist(), min_rise=LEARNS)
    return out
