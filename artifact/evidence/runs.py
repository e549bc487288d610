"""Fresh-run evidence: artifact/data/runs/<run-id>/run.json and samples.jsonl, validated strictly.

The record types here are the only definition of a run's files: the evaluator (evaluate/run.py)
builds them to write, and the loader reads them back through the same models. Validation is strict
(no coercion: `true` is not an item index, `"yes"` is not a boolean, `"1319"` is not a count), so a
hand-edited or damaged run is refused with one line naming the file, line and field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from artifact.strict import jsonl_line, parse_json, read_utf8, split_records
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
        return jsonl_line(self.model_dump())


def _field(err: dict) -> str | None:
    return ".".join(str(part) for part in err["loc"] if part != "[key]") or None  # '[key]': the key itself is bad


def load_meta(path: Path) -> RunMeta:
    text = read_utf8(path).removeprefix("\ufeff")
    parse_json(path, text)  # duplicate keys, NaN: refused with their line
    try:
        return RunMeta.model_validate_json(text)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise EvidenceError(path, None, _field(err), err["msg"]) from None


def load_samples(path: Path, styles: frozenset[str] | None = None) -> list[SampleRecord]:
    """The records of samples.jsonl; with ``styles`` (the run's prompting styles), a record of another
    style is refused, since it would leave the run incomplete in silence."""
    samples, seen = [], set()
    lines = split_records(read_utf8(path)) if path.is_file() else []
    for n, line in lines:
        parse_json(path, line, n)  # duplicate keys, NaN: refused with their line
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


Scoring = Callable[[str], tuple[Callable[[str], object], Callable[[object, str], bool]]]
"""From a task's name, its answer extraction (completion -> an object with ``answer`` and ``rule``) and its
scoring (answer, gold -> correct). The evaluator defines them; the layer that reads runs for a product
hands them in (artifact/rescore.py), so the evidence layer never imports its producer."""


def load_run(folder: Path, scoring: Scoring | None = None) -> tuple[RunMeta, list[SampleRecord]]:
    """A run folder's records, with what they derive checked rather than trusted: the key against the
    configuration (and the folder's name when it carries the hash), and, given ``scoring``, each line's
    extracted answer and ``correct`` against the task's own extraction and scoring of its completion and
    gold answer."""
    meta = load_meta(folder / "run.json")
    _check_key(folder, meta)
    samples = load_samples(folder / "samples.jsonl", frozenset(meta.config.prompts))
    items = meta.config.dataset.items
    for s in samples:
        if s.index >= items:
            raise EvidenceError(folder / "samples.jsonl", None, "index",
                                f"item {s.index} is beyond the data set's {items} items")
    if scoring is not None:
        _check_scores(folder, meta, samples, scoring)
    return meta, samples


HASHED_NAME = re.compile(r".+-([0-9a-f]{10})")  # <model>-<first 10 hex digits of the key>, as evaluate names it


def _check_key(folder: Path, meta: RunMeta) -> None:
    key = meta.config.key()
    if meta.key != key:
        raise EvidenceError(folder / "run.json", None, "key", f"run {folder.name}: the key {meta.key[:10]}... is not "
                                                              f"the hash of the configuration ({key[:10]}...)")
    named = HASHED_NAME.fullmatch(folder.name)
    if named and named.group(1) != key[:10]:
        raise EvidenceError(folder / "run.json", None, "key", f"run folder {folder.name} is named for configuration "
                                                              f"{named.group(1)}, but holds {key[:10]}")


def _check_scores(folder: Path, meta: RunMeta, samples: list[SampleRecord], scoring: Scoring) -> None:
    """Every stored verdict is the evaluator's own for the stored completion and gold answer."""
    extract, score = scoring(meta.task)
    path = folder / "samples.jsonl"
    for s in samples:
        found = extract(s.completion)
        correct = score(found.answer, s.gold)
        if (found.answer, found.rule, correct) != (s.extracted, s.rule, s.correct):
            field = "correct" if correct != s.correct else "extracted"
            stored = s.correct if field == "correct" else s.extracted
            again = correct if field == "correct" else found.answer
            raise EvidenceError(path, _line_of_item(path, s), field,
                                f"run {folder.name}, item {s.index} ({s.prompting}): stored {field} {stored!r}, but "
                                f"the completion and gold answer {s.gold!r} give {again!r}")


def _line_of_item(path: Path, sample: SampleRecord) -> int | None:
    for n, line in split_records(read_utf8(path)):
        record = json.loads(line)
        if (record["prompting"], record["index"]) == (sample.prompting, sample.index):
            return n
    return None


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
