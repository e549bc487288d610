"""Fresh-run evidence: artifact/data/runs/<run-id>/run.json and samples.jsonl, validated strictly.

The record types here are the only definition of a run's files: the evaluator (evaluate/run.py)
builds them to write, and the loader reads them back through the same models. Validation is strict
(no coercion: `true` is not an item index, `"yes"` is not a boolean, `"1319"` is not a count), so a
hand-edited or damaged run is refused with one line naming the file, line and field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from artifact.evidence.strict import read_utf8
from artifact.errors import EvidenceError

# Prompting styles and extraction rules are named by the task that wrote the run (any registered
# task and style); here they only have to be well-formed names.
Name = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
Prompting = Name
Rule = Name
DEFAULT_TASK = "gsm8k"  # runs written before the task registry were all GSM8K


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class ModelRef(_Strict):
    name: str = Field(min_length=1, description="What the user asked for: bundled alias, folder or hub id.")
    source: Literal["bundled-gguf", "local", "hub"]
    revision: str = Field(description="File SHA-256, weights digest, or 'hub:<id>'.")
    gguf_file: str | None = Field(description="The GGUF file inside the model folder, if any.")


class DatasetRef(_Strict):
    name: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    items: int = Field(ge=1, description="Items in the data set file (a complete run has this many per style).")


class PromptRef(_Strict):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Hash of the template: prefix, suffix, stop.")
    shots: int = Field(ge=0)


class Decoding(_Strict):
    greedy: bool
    max_new_tokens: dict[Prompting, int] = Field(description="Token cap per prompting style.")
    stop: list[str]


class RunConfig(_Strict):
    """Everything that can change a run's outputs (batch size and engine settings are not here);
    the SHA-256 of its JSON names the run folder."""

    format: int = Field(ge=1)
    model: ModelRef
    backend: str
    dtype: str
    dataset: DatasetRef
    prompts: dict[Prompting, PromptRef]
    decoding: Decoding
    packages: dict[str, str]

    def key(self) -> str:
        import hashlib

        return hashlib.sha256(json.dumps(self.model_dump(), sort_keys=True).encode()).hexdigest()


class StyleSummary(_Strict):
    items: int = Field(ge=0)
    correct: int = Field(ge=0)
    accuracy: float = Field(ge=0, le=1)
    rules: dict[Rule, int]


class RunMeta(_Strict):
    """run.json: what made a run (its configuration and hash), when, and its per-style summary."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=False, allow_inf_nan=False)
    key: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the configuration.")
    config: RunConfig
    task: str = Field(DEFAULT_TASK, description="The task registry's name for what was run.")
    split: str | None = Field(None, description="The task's split (None: the task's only one, as for GSM8K).")
    started_at: str
    finished_at: str | None = None
    parameters: int | None = Field(None, ge=1, description="Parameter count of the loaded model.")
    revision_loaded: str | None = Field(None, description="What the backend actually loaded.")
    summary: dict[Prompting, StyleSummary] = Field(default_factory=dict)


class SampleRecord(_Strict):
    """One line of samples.jsonl: one item under one prompting style."""

    version: Literal[1] = Field(1, description="Record format version.")
    index: int = Field(ge=0, description="0-based item index in the data set file.")
    prompting: Prompting
    completion: str = Field(description="The model's text up to the first stop sequence.")
    extracted: str | None = Field(description="The extracted answer, or null for no answer.")
    rule: Rule = Field(description="Which extraction rule fired.")
    gold: str = Field(description="The reference answer.")
    correct: bool
    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)

    def line(self) -> str:
        return json.dumps(self.model_dump(), ensure_ascii=False) + "\n"


def _field(err: dict) -> str | None:
    return ".".join(str(part) for part in err["loc"] if part != "[key]") or None  # '[key]': the key itself is bad


def load_meta(path: Path) -> RunMeta:
    text = read_utf8(path)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvidenceError(path, exc.lineno, None, f"not valid JSON ({exc.msg})") from None
    try:
        return RunMeta.model_validate_json(text)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise EvidenceError(path, None, _field(err), err["msg"]) from None


def load_samples(path: Path, styles: frozenset[str] | None = None) -> list[SampleRecord]:
    """The records of samples.jsonl; with ``styles`` (the run's prompting styles), a record of another
    style is refused, since it would leave the run incomplete in silence."""
    samples, seen = [], set()
    lines = read_utf8(path).splitlines() if path.is_file() else []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = SampleRecord.model_validate_json(line)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise EvidenceError(path, n, _field(err), err["msg"]) from None
        if styles is not None and record.prompting not in styles:
            raise EvidenceError(path, n, "prompting", f"{record.prompting!r} is not a prompting style of this run "
                                                      f"(run.json has {', '.join(sorted(styles))})")
        if (record.prompting, record.index) in seen:
            raise EvidenceError(path, n, "index", f"item {record.index} ({record.prompting}) appears twice")
        seen.add((record.prompting, record.index))
        samples.append(record)
    return samples


def load_run(folder: Path) -> tuple[RunMeta, list[SampleRecord]]:
    meta = load_meta(folder / "run.json")
    samples = load_samples(folder / "samples.jsonl", frozenset(meta.config.prompts))
    items = meta.config.dataset.items
    for s in samples:
        if s.index >= items:
            raise EvidenceError(folder / "samples.jsonl", None, "index",
                                f"item {s.index} is beyond the data set's {items} items")
    return meta, samples


def run_summary(run_id: str, meta: RunMeta, samples: list[SampleRecord]) -> pd.DataFrame:
    """One row per prompting style: accuracy (%) computed from the samples, and whether the run is complete."""
    frame = pd.DataFrame([s.model_dump() for s in samples])
    if frame.empty:
        return pd.DataFrame()
    items = meta.config.dataset.items
    rows = []
    for style, group in frame.groupby("prompting", sort=True):
        correct, n = int(group["correct"].sum()), len(group)
        rows.append({"run_id": run_id, "model": meta.config.model.name, "task": meta.task, "split": meta.split,
                     "params_billion": meta.parameters / 1e9 if meta.parameters else None,
                     "prompting": style, "items": n, "correct": correct, "number": round(100 * correct / n, 4),
                     "complete": n == items, "id": f"{run_id}/{style}"})
    return pd.DataFrame(rows)
