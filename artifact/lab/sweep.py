"""Run a sweep (sizes x seeds) and write artifact/data/lab/<sweep-id>/: config, per-model metrics, predictions."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Callable

from artifact import paths
from artifact.lab.config import SweepConfig
from artifact.lab.task import problems
from artifact.lab.train import ModelResult, train_and_score

METRICS = ("exact_match", "token_accuracy", "log_likelihood", "edit_distance")


def sweep_id(preset: str, config: SweepConfig) -> str:
    digest = hashlib.sha256(config.model_dump_json().encode()).hexdigest()[:8]
    return f"{preset}-{digest}"


def run_sweep(config: SweepConfig, echo: Callable[[str], None] = print) -> list[ModelResult]:
    import torch

    torch.set_num_threads(1)  # tiny models: threads cost more in overhead than they save
    train = problems(config.digits, config.train_items, heldout=False, seed=config.data_seed)
    heldout = problems(config.digits, config.heldout_items, heldout=True, seed=config.data_seed)
    results = []
    for width in config.widths:
        for seed in config.seeds:
            r = train_and_score(config, width, seed, train, heldout)
            echo(f"width {width:>4} seed {seed}  {r.parameters:>8} params  exact {r.exact_match:.3f}  "
                 f"token acc {r.token_accuracy:.3f}  loglik {r.log_likelihood:8.3f}  edit {r.edit_distance:.2f}  "
                 f"{r.train_seconds:5.1f}s  {r.tokens_per_second:,.0f} tok/s")
            results.append(r)
    return results


def metrics_csv(results: list[ModelResult]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["width", "seed", "parameters", *METRICS])
    for r in results:
        w.writerow([r.width, r.seed, r.parameters, *(f"{getattr(r, m):.6f}" for m in METRICS)])
    return buf.getvalue().encode()


def write(out: Path, preset: str, config: SweepConfig, results: list[ModelResult]) -> Path:
    """Write the sweep folder (each file via a temporary name, then renamed)."""
    folder = out / sweep_id(preset, config)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "config.json": (json.dumps({"preset": preset, **config.model_dump()}, indent=1, sort_keys=True) + "\n").encode(),
        "metrics.csv": metrics_csv(results),
        "predictions.jsonl": "".join(json.dumps({"width": r.width, "seed": r.seed, **p}, sort_keys=True) + "\n"
                                     for r in results for p in r.predictions).encode(),
        "timing.json": (json.dumps([{"width": r.width, "seed": r.seed, "train_seconds": round(r.train_seconds, 2),
                                     "tokens_per_second": round(r.tokens_per_second)} for r in results],
                                   indent=1) + "\n").encode(),
    }
    for name, data in files.items():
        tmp = folder / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(folder / name)
    return folder


def default_out() -> Path:
    return paths.LAB_DIR

