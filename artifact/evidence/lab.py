"""Lab-sweep evidence: artifact/data/lab/<preset>-<hash>/config.json and metrics.csv, validated on load.

A sweep is named by its preset (``lab:default``); the folder is the one sweep of that preset on disk.
Row references are ``lab:<preset>/<metric>/w<width>/s<seed>``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from artifact import paths
from artifact.errors import EvidenceError, RegistryError
from artifact.lab.score import METRICS


class MetricRow(BaseModel):
    """One line of metrics.csv: one trained model's held-out scores."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    width: int = Field(ge=1)
    seed: int
    parameters: int = Field(ge=1)
    steps: int = Field(ge=1)
    tokens: int = Field(ge=1)
    exact_match: float = Field(ge=0, le=1)
    token_accuracy: float = Field(ge=0, le=1)
    log_likelihood: float = Field(le=0)
    edit_distance: float = Field(ge=0)


def sweep_folder(preset: str, root: Path | None = None) -> Path:
    """The one sweep folder of ``preset``; RegistryError when there is none or more than one."""
    root = paths.LAB_DIR if root is None else root
    found = sorted(p for p in root.glob(f"{preset}-*") if (p / "config.json").is_file()) if root.is_dir() else []
    if not found:
        raise RegistryError(f"no '{preset}' lab sweep in {paths.display(root)}: "
                            f"run `python -m artifact lab --preset {preset}`")
    if len(found) > 1:
        raise RegistryError(f"{len(found)} '{preset}' lab sweeps in {paths.display(root)} "
                            f"({', '.join(p.name for p in found)}): keep the one made with the current preset")
    return found[0]


def load_sweep(folder: Path) -> tuple[dict, pd.DataFrame]:
    """The sweep's configuration and its metrics (one row per model, in file order)."""
    config_path, metrics_path = folder / "config.json", folder / "metrics.csv"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise EvidenceError(config_path, exc.lineno, None, f"not valid JSON ({exc.msg})") from None
    try:
        lines = metrics_path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvidenceError(metrics_path, None, None, f"cannot read: {exc.strerror}") from None
    reader = csv.DictReader(lines)
    expected = list(MetricRow.model_fields)
    if reader.fieldnames != expected:
        raise EvidenceError(metrics_path, 1, None, f"header is {reader.fieldnames}, expected {expected}")
    rows, seen = [], set()
    for n, raw in enumerate(reader, 2):
        if None in raw or None in raw.values():
            raise EvidenceError(metrics_path, n, None, f"expected {len(expected)} fields")
        try:
            row = MetricRow.model_validate(raw)
        except ValidationError as exc:
            raise EvidenceError.from_validation(metrics_path, exc, n) from None
        if (row.width, row.seed) in seen:
            raise EvidenceError(metrics_path, n, "seed", f"width {row.width} seed {row.seed} appears twice")
        seen.add((row.width, row.seed))
        rows.append(row.model_dump())
    if not rows:
        raise EvidenceError(metrics_path, None, None, "no models")
    return config, pd.DataFrame(rows)


def long_frame(preset: str, metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per (metric, model) with ``number`` and a row reference ``id``, indexed by id."""
    frame = metrics.melt(id_vars=["width", "seed", "parameters"], value_vars=list(METRICS),
                         var_name="metric", value_name="number")
    frame["id"] = [f"{preset}/{m}/w{w}/s{s}" for m, w, s in zip(frame["metric"], frame["width"], frame["seed"])]
    return frame.set_index("id", drop=False)
