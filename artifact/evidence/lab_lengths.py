"""Derived views of a lab sweep over several answer lengths (the lengths preset), read by the
lab-lengths exhibit and the lab-lengths claims alike.

The two published explanations of an emergent step, put to the same models:
- metric (Schaeffer et al. 2023): if each of an answer's L tokens is right with probability p, exact match
  is about p^L. ``power_table`` sets p^L from each model's per-token accuracy against its exact match.
- loss (Du et al. 2024): models with the same pre-training loss do equally well whatever their size.
  ``one_curve_r2`` measures how much of a metric's spread one monotone curve of held-out loss (or of size)
  explains over every size and length together, and ``takeoff_loss`` where exact match leaves zero.

``halfway_size`` places the rise of a metric on the size axis, for both explanations' pictures.
Everything here is a pure function of the metrics frame that evidence.lab.load_sweep returns.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from artifact.evidence.lab import answer_tokens

TAKEOFF = 0.1  # exact match "takes off" where one monotone fit of it first reaches this value


def power_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per model: answer tokens L, per-token accuracy p, predicted exact match p^L, measured exact match
    and error = predicted - measured (positive: independent token errors would predict more whole answers
    right than the model gets)."""
    out = metrics[["digits", "width", "seed", "parameters", "token_accuracy", "exact_match"]].copy()
    out["tokens"] = out["digits"].map(answer_tokens)
    out["predicted"] = out["token_accuracy"] ** out["tokens"]
    out["error"] = out["predicted"] - out["exact_match"]
    return out.sort_values(["digits", "width", "seed"]).reset_index(drop=True)


def power_summary(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per answer length: models, mean absolute and mean signed error of p^L, and the largest error with
    the model it belongs to (width and seed)."""
    table = power_table(metrics)
    rows = []
    for d, part in table.groupby("digits", sort=True):
        worst = part.loc[part["error"].abs().idxmax()]
        rows.append({"digits": d, "tokens": answer_tokens(d), "models": len(part),
                     "mean_abs_error": part["error"].abs().mean(), "mean_error": part["error"].mean(),
                     "worst_error": worst["error"], "worst_width": int(worst["width"]),
                     "worst_seed": int(worst["seed"])})
    return pd.DataFrame(rows)


def seed_means_by_length(metrics: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per (digits, width), ascending: mean parameters and the seed mean of ``metric``."""
    grouped = metrics.groupby(["digits", "width"], sort=True)
    return pd.DataFrame({"parameters": grouped["parameters"].mean(), "mean": grouped[metric].mean()}).reset_index()


def halfway_size(parameters: list[float], means: list[float], min_rise: float = 0.05) -> float | None:
    """The size at which a rising curve first reaches the midpoint between its value at the smallest size
    and at the largest, interpolated on log size between the two sizes that bracket it.

    For exact match, which starts at zero, that is where it crosses half its final value; for per-token
    accuracy, which starts well above zero (easy tokens), half its rise is the comparable point. None
    when the curve rises by less than ``min_rise`` overall (nothing to place)."""
    start, end = means[0], means[-1]
    if end - start < min_rise:
        return None
    target = start + (end - start) / 2
    for i in range(1, len(means)):
        if means[i] >= target:
            lo, hi = means[i - 1], means[i]
            frac = (target - lo) / (hi - lo) if hi != lo else 1.0
            x0, x1 = math.log10(parameters[i - 1]), math.log10(parameters[i])
            return 10 ** (x0 + frac * (x1 - x0))
    return None  # unreachable: the last mean is the end value, at least the target


def halfway_table(metrics: pd.DataFrame, metrics_names: tuple[str, ...] = ("exact_match", "token_accuracy"),
                  min_rise: float = 0.05) -> pd.DataFrame:
    """Per answer length and metric: the half-way size (NaN when the metric does not rise), the seed mean
    at the smallest and the largest size."""
    rows = []
    for metric in metrics_names:
        means = seed_means_by_length(metrics, metric)
        for d, part in means.groupby("digits", sort=True):
            p, m = part["parameters"].tolist(), part["mean"].tolist()
            size = halfway_size(p, m, min_rise)
            rows.append({"digits": d, "tokens": answer_tokens(d), "metric": metric, "start": m[0], "end": m[-1],
                         "halfway": float("nan") if size is None else size})
    return pd.DataFrame(rows)


def isotonic(y: list[float], increasing: bool = True, weights: list[float] | None = None) -> list[float]:
    """The least-squares monotone fit of ``y`` in its order (pool adjacent violators), points weighted."""
    sign = 1.0 if increasing else -1.0
    weights = [1.0] * len(y) if weights is None else weights
    blocks: list[list[float]] = []  # [weighted sum, weight, points]
    for v, w in zip(y, weights):
        blocks.append([sign * v * w, w, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, n, k = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
            blocks[-1][2] += k
    return [sign * s / n for s, n, k in blocks for _ in range(int(k))]


def loss_axis(metrics: pd.DataFrame) -> str:
    """The loss the loss explanation is put to: heldout_loss (unscored problems) where every model has it,
    else the answer-token loss of the scored answers (sweeps made before heldout_loss existed)."""
    return "heldout_loss" if bool(metrics["heldout_loss"].notna().all()) else "answer_loss"


def monotone_fit(metrics: pd.DataFrame, metric: str, axis: str) -> pd.DataFrame:
    """Every model sorted by ``axis`` ('heldout_loss', 'answer_loss' or 'parameters') with the one monotone curve of
    ``metric`` fitted through all of them (falling with loss, rising with size). Models with the same
    axis value (the seeds of one size) get one fitted value: a curve cannot rank them."""
    order = metrics.sort_values([axis, "digits", "width", "seed"], kind="stable").reset_index(drop=True)
    ties = order.groupby(axis, sort=True)[metric].agg(["mean", "size"])
    fitted = isotonic(ties["mean"].tolist(), increasing=axis == "parameters", weights=ties["size"].tolist())
    order["fit"] = order[axis].map(dict(zip(ties.index, fitted)))
    return order


def one_curve_r2(metrics: pd.DataFrame, metric: str, axis: str) -> float:
    """Share of the metric's variance over all models that one monotone curve of ``axis`` explains (1: every
    model on one curve whatever its answer length; lower: models at the same loss or size disagree)."""
    fit = monotone_fit(metrics, metric, axis)
    total = float(((fit[metric] - fit[metric].mean()) ** 2).sum())
    if total == 0:
        return 1.0
    return 1.0 - float(((fit[metric] - fit["fit"]) ** 2).sum()) / total


def takeoff_loss(metrics: pd.DataFrame, loss: str = "heldout_loss") -> float | None:
    """The highest loss (``loss``: a column) at which the monotone fit of exact match on it reaches TAKEOFF
    (None if it never does): above it, whole answers are (almost) never right."""
    fit = monotone_fit(metrics, "exact_match", loss)
    above = fit[fit["fit"] >= TAKEOFF]
    return None if above.empty else float(above[loss].max())


def takeoff_bracket(metrics: pd.DataFrame, loss: str = "heldout_loss") -> tuple[float, float] | None:
    """Where exact match's take-off can lie on the loss axis, as far as the models tell: from takeoff_loss
    (the highest-loss model whose fit has taken off) up to the lowest loss of a model above it whose fit
    has not (inf when there is none). None when it never takes off."""
    fit = monotone_fit(metrics, "exact_match", loss)
    low = takeoff_loss(metrics, loss)
    if low is None:
        return None
    higher = fit[(fit[loss] > low) & (fit["fit"] < TAKEOFF)][loss]
    return low, float(higher.min()) if len(higher) else math.inf


def takeoff_by_length(metrics: pd.DataFrame, loss: str = "heldout_loss") -> dict[int, float | None]:
    """takeoff_loss of each answer length's models on their own."""
    return {int(d): takeoff_loss(part, loss) for d, part in metrics.groupby("digits", sort=True)}


def r2_summary(metrics: pd.DataFrame) -> pd.DataFrame:
    """One-curve R^2 of exact match and per-token accuracy against loss and against size."""
    loss = loss_axis(metrics)
    return pd.DataFrame([{"metric": m, "axis": a, "r2": one_curve_r2(metrics, m, a)}
                         for m in ("exact_match", "token_accuracy") for a in (loss, "parameters")])


def finite(x: float | None) -> bool:
    return x is not None and bool(np.isfinite(x))


def group_means(metrics: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """One row per (digits, width): the seed means of ``columns``, for fits where every size and length
    counts once (so that a size axis, on which seeds tie, is compared on the same footing as a loss axis)."""
    means = metrics.groupby(["digits", "width"], sort=True)[columns].mean().reset_index()
    return means.assign(seed=0)
