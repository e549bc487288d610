"""Lab-sweep evidence: artifact/data/lab/<preset>-<hash>/config.json and metrics.csv, validated on load.

A sweep is named by its preset (``lab:default``); the folder is the one sweep of that preset on disk.
Row references are ``lab:<preset>/<metric>/w<width>/s<seed>``, in a sweep over several digit counts
(the lengths preset) ``lab:<preset>/<metric>/d<digits>/w<width>/s<seed>``, and in a sweep over target
formats (the cot preset) ``lab:<preset>/<metric>/<format>/w<width>/s<seed>``. ``heldout_loss`` is a
metric there too, where the sweep has it.

Two losses, kept apart: ``heldout_loss`` (a column of sweeps made since it was added) is the training
objective on held-out problems that no metric scores, the loss Du et al. mean; ``answer_loss`` (derived
here) is the cross-entropy of the very answer tokens that exact match scores. A sweep made before
heldout_loss existed loads with the column missing (NaN), never as zero.

Both files are read strictly: UTF-8 only (an error names the byte), finite numbers only, no duplicate
JSON keys, and a configuration that the lab itself would accept (the same SweepConfig model).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from artifact import paths
from artifact.strict import csv_records, parse_json, read_utf8
from artifact.errors import EvidenceError, RegistryError
from artifact.evidence.lab_schema import METRICS, SweepConfig


class MetricRow(BaseModel):
    """One line of metrics.csv: one trained model's held-out scores."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    digits: int = Field(ge=1, le=6, description="Operand digits of the model's task (a column only in sweeps "
                                                "over several digit counts; otherwise config.json's).")
    format: Literal["direct", "scratchpad"] | None = Field(
        None, description="Target format of the cot task (a column only in sweeps over formats).")
    width: int = Field(ge=1)
    seed: int
    parameters: int = Field(ge=1)
    steps: int = Field(ge=1)
    tokens: int = Field(ge=1)
    exact_match: float = Field(ge=0, le=1)
    token_accuracy: float = Field(ge=0, le=1)
    log_likelihood: float = Field(le=0)
    edit_distance: float = Field(ge=0)
    heldout_loss: float | None = Field(None, ge=0, description="Training objective (nats per token) on unscored "
                                                               "held-out problems; empty: none was left unscored.")


class SweepRecord(SweepConfig):
    """config.json: the preset's name, the device off the CPU, and every SweepConfig setting."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)
    preset: str = Field(min_length=1)
    device: str | None = None


COLUMNS = [name for name in MetricRow.model_fields if name not in ("digits", "format", "heldout_loss")]


def answer_tokens(digits: int) -> int:
    """Tokens scored per answer: the sum's digits (one more than an operand) and the end mark."""
    return digits + 2


def sweep_folder(preset: str, root: Path | None = None) -> Path:
    """The one sweep folder of ``preset``; RegistryError when there is none or more than one."""
    root = paths.LAB_DIR if root is None else root
    # <preset>-<8 hex digits of the config hash>[-<device>]: 'lengths' must not pick up 'lengths-smoke-...'
    name = re.compile(re.escape(preset) + r"-[0-9a-f]{8}(-[a-z]+)?")
    found = sorted(p for p in root.iterdir() if name.fullmatch(p.name) and (p / "config.json").is_file()
                   ) if root.is_dir() else []
    if not found:
        raise RegistryError(f"no '{preset}' lab sweep in {paths.display(root)}: "
                            f"run `python -m artifact lab --preset {preset}`")
    if len(found) > 1:
        raise RegistryError(f"{len(found)} '{preset}' lab sweeps in {paths.display(root)} "
                            f"({', '.join(p.name for p in found)}): keep the one made with the current preset")
    return found[0]


def _line_of(text: str, field: str) -> int | None:
    """The line of ``"field":`` in a JSON text (for messages; None when the field is absent)."""
    for n, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(f'"{field}"'):
            return n
    return None


def load_config(path: Path) -> dict:
    """config.json as a dict, checked against the lab's own configuration model."""
    text = read_utf8(path).removeprefix("\ufeff")
    raw = parse_json(path, text)
    if not isinstance(raw, dict):
        raise EvidenceError(path, 1, None, f"expected a JSON object of settings, found {type(raw).__name__}")
    # device is written only off the CPU, formats only by sweeps over formats (see SweepConfig.record)
    missing = [name for name in SweepRecord.model_fields if name not in raw and name not in ("device", "formats")]
    if missing:  # a setting left out would silently take today's default, which may not be what ran
        raise EvidenceError(path, None, missing[0], "missing: config.json records every setting of the sweep")
    try:
        SweepRecord.model_validate_json(json.dumps(raw))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(map(str, err["loc"][:1])) or None
        line = _line_of(text, field) if field else None
        raise EvidenceError(path, line, field, err["msg"]) from None
    return raw


def metric_columns(metrics_path: Path, many: bool, formats: list[str] | None) -> tuple[str, ...]:
    """The columns metrics.csv must have: digits (sweeps over several lengths), format (sweeps over target
    formats), the metrics, and heldout_loss where the file has it (sweeps made before it lack it)."""
    expected = ["digits"] * many + ["format"] * bool(formats) + COLUMNS
    header = read_utf8(metrics_path).removeprefix("\ufeff").split("\n", 1)[0].strip().split(",")
    return tuple(expected + ["heldout_loss"] * ("heldout_loss" in header))


def load_sweep(folder: Path) -> tuple[dict, pd.DataFrame]:
    """The sweep's configuration and its metrics (one row per model, in file order, with ``digits``,
    ``format`` (None outside the cot preset), ``heldout_loss`` (NaN where missing) and ``answer_loss``)."""
    config_path, metrics_path = folder / "config.json", folder / "metrics.csv"
    config = load_config(config_path)
    counts = config["digits"] if isinstance(config["digits"], list) else [config["digits"]]
    formats = config.get("formats")
    many = len(counts) > 1
    columns = metric_columns(metrics_path, many, formats)
    has_lm = "heldout_loss" in columns
    rows, seen = [], set()
    for n, raw in csv_records(metrics_path, read_utf8(metrics_path), columns):
        if has_lm and raw["heldout_loss"] == "":
            raw = {**raw, "heldout_loss": None}
        try:
            row = MetricRow.model_validate({"digits": str(counts[0]), **raw})
        except ValidationError as exc:
            raise EvidenceError.from_validation(metrics_path, exc, n) from None
        if row.digits not in counts:
            raise EvidenceError(metrics_path, n, "digits", f"{row.digits} digits is not one of the sweep's {counts}")
        if formats and row.format not in formats:
            raise EvidenceError(metrics_path, n, "format", f"{row.format!r} is not one of the sweep's {formats}")
        key = (row.digits, row.format, row.width, row.seed)
        if key in seen:
            raise EvidenceError(metrics_path, n, "seed", f"{f'digits {row.digits} ' * many}"
                                                         f"{f'{row.format} ' if formats else ''}width {row.width} "
                                                         f"seed {row.seed} appears twice")
        seen.add(key)
        rows.append(row.model_dump())
    if not rows:
        raise EvidenceError(metrics_path, None, None, "no models")
    missing = sorted(set(counts) - {d for d, _, _, _ in seen})
    if missing:
        raise EvidenceError(metrics_path, None, "digits", f"no model of the sweep's {missing[0]}-digit task")
    frame = pd.DataFrame(rows)
    frame["heldout_loss"] = frame["heldout_loss"].astype(float)  # None (missing) becomes NaN, never 0
    frame["answer_loss"] = answer_loss(frame)
    return config, frame


def answer_loss(metrics: pd.DataFrame) -> pd.Series:
    """Cross-entropy per scored answer token (nats): minus the mean answer log-likelihood over the tokens an
    answer has, on the very held-out problems whose answers exact match scores (so it tracks them almost by
    construction; heldout_loss is the loss on problems no metric scores). Every answer of a task has the
    same number of tokens, so this is exactly the pooled cross-entropy over the scored answers."""
    return -metrics["log_likelihood"] / metrics["digits"].map(answer_tokens)


def has_heldout_loss(metrics: pd.DataFrame) -> bool:
    """Whether every model of the sweep has its heldout_loss (sweeps made before the column lack it)."""
    return bool(metrics["heldout_loss"].notna().all())


def long_frame(preset: str, metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per (metric, model) with ``number`` and a row reference ``id``, indexed by id (heldout_loss
    rows only where the sweep has the column)."""
    many = metrics["digits"].nunique() > 1
    names = list(METRICS) + ["heldout_loss"] * bool(metrics["heldout_loss"].notna().any())
    frame = metrics.melt(id_vars=["digits", "format", "width", "seed", "parameters"], value_vars=names,
                         var_name="metric", value_name="number").dropna(subset=["number"])
    frame["id"] = [row_id(preset, m, d, w, s, many, f) for m, d, w, s, f in
                   zip(frame["metric"], frame["digits"], frame["width"], frame["seed"], frame["format"])]
    return frame.set_index("id", drop=False)


def row_id(preset: str, metric: str, digits: int, width: int, seed: int, many: bool,
           form: str | None = None) -> str:
    """A model's score's row id (without the ``lab:`` prefix)."""
    return (f"{preset}/{metric}/" + (f"d{digits}/" if many else "") + (f"{form}/" if form else "")
            + f"w{width}/s{seed}")
