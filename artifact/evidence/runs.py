"""Fresh-run evidence: artifact/data/runs/<run-id>/run.json and samples.jsonl, validated on load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from artifact.errors import EvidenceError


class RunMeta(BaseModel):
    """run.json: what made a run (its configuration and hash) and its per-style summary."""

    model_config = ConfigDict(extra="allow")
    version: ClassVar[int] = 1
    key: str = Field(description="SHA-256 of the configuration; the folder name ends with its first 10 digits.")
    config: dict = Field(description="Model, revision, backend, dtype, data set hash, prompt hashes, decoding, versions.")
    started_at: str
    finished_at: str | None = None
    parameters: int | None = Field(None, description="Parameter count of the loaded model.")


class SampleRecord(BaseModel):
    """One line of samples.jsonl: one item under one prompting style."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = Field(description="Record format version.")
    index: int = Field(ge=0, description="0-based item index in the GSM8K test file.")
    prompting: str = Field(description="'standard' or 'cot'.")
    completion: str = Field(description="The model's text up to the first stop sequence.")
    extracted: str | None = Field(description="The extracted answer, or null for no answer.")
    rule: str = Field(description="Which extraction rule fired: answer-is, last-number or none.")
    gold: str = Field(description="The number after '####'.")
    correct: bool
    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)


def load_run(folder: Path) -> tuple[RunMeta, list[SampleRecord]]:
    meta_path, samples_path = folder / "run.json", folder / "samples.jsonl"
    try:
        meta = RunMeta.model_validate(json.loads(meta_path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise EvidenceError(meta_path, None, None, f"cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise EvidenceError(meta_path, exc.lineno, None, f"not valid JSON ({exc.msg})") from None
    except ValidationError as exc:
        raise EvidenceError.from_validation(meta_path, exc) from None
    samples, seen = [], set()
    lines = samples_path.read_text(encoding="utf-8").splitlines() if samples_path.is_file() else []
    for n, line in enumerate(lines, 1):
        try:
            record = SampleRecord.model_validate_json(line)
        except ValidationError as exc:
            raise EvidenceError.from_validation(samples_path, exc, n) from None
        if (record.prompting, record.index) in seen:
            raise EvidenceError(samples_path, n, "index", f"item {record.index} ({record.prompting}) appears twice")
        seen.add((record.prompting, record.index))
        samples.append(record)
    return meta, samples


def run_summary(run_id: str, meta: RunMeta, samples: list[SampleRecord]) -> pd.DataFrame:
    """One row per prompting style: accuracy (%) computed from the samples, and whether the run is complete."""
    frame = pd.DataFrame([s.model_dump() for s in samples])
    if frame.empty:
        return pd.DataFrame()
    items = meta.config.get("dataset", {}).get("items")
    rows = []
    for style, group in frame.groupby("prompting", sort=True):
        correct, n = int(group["correct"].sum()), len(group)
        rows.append({"run_id": run_id, "model": meta.config["model"]["name"],
                     "params_billion": meta.parameters / 1e9 if meta.parameters else None,
                     "prompting": style, "items": n, "correct": correct, "number": round(100 * correct / n, 4),
                     "complete": n == items, "id": f"{run_id}/{style}"})
    return pd.DataFrame(rows)
