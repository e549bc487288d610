"""Evidence ids, their files, and a loader that hands each exhibit only what it declared.

An evidence id is ``published:<stem>`` (a CSV in data/published), ``text:<stem>`` (a YAML file
in data/text), ``runs:*`` (every fresh run in data/runs) or ``lab:<preset>`` (the lab sweep of that
preset in data/lab). A row reference is ``<stem>:<row id>`` into a published file,
``runs:<run id>/<prompting>`` for a run's accuracy, or ``lab:<preset>/<metric>/w<width>/s<seed>``
for one lab model's score.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import BaseModel

from artifact import paths
from artifact.errors import EvidenceError, RegistryError
from artifact.bib import reference_keys
from artifact.evidence.published import load_published, published_frame
from artifact.evidence.text import load_text

if TYPE_CHECKING:
    from artifact.evidence.runs import Scoring

# Every source key must be in the bibliography, so it is an input of every build (artifact/codedeps.py).
__data_files__ = ("docs/references.bib",)

KINDS = {"published": (paths.PUBLISHED_DIR, ".csv"), "text": (paths.TEXT_DIR, ".yaml")}
ALL_RUNS = "runs:*"
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # a file stem or preset: one name inside its folder, no path


def evidence_path(evidence_id: str) -> Path:
    """The file (or, for runs, folder) behind an evidence id; RegistryError if malformed or missing."""
    if evidence_id == ALL_RUNS:
        return paths.RUNS_DIR
    kind, _, stem = evidence_id.partition(":")
    if stem and not NAME.match(stem):
        raise RegistryError(f"evidence id {evidence_id!r}: {stem!r} is not a file or preset name "
                            "(lower-case letters, digits, '_', '-')")
    if kind == "lab" and stem:
        from artifact.evidence.lab import sweep_folder

        return sweep_folder(stem)
    if kind not in KINDS or not stem:
        raise RegistryError(f"evidence id {evidence_id!r} is not 'published:<name>', 'text:<name>', "
                            f"'lab:<preset>' or '{ALL_RUNS}'")
    folder, suffix = KINDS[kind]
    path = folder / f"{stem}{suffix}"
    if not path.is_file():
        raise RegistryError(f"evidence id {evidence_id!r} names {paths.display(path)}, which does not exist")
    return path


class Evidence:
    """Loads evidence on first use and caches it; ``allowed`` limits what a builder may read."""

    def __init__(self, bib: Path = paths.REFERENCES_BIB, allowed: frozenset[str] | None = None,
                 cache: dict | None = None, scoring: Scoring | None = None):
        self.bib = bib
        self.allowed = allowed
        self._cache: dict = {} if cache is None else cache
        self.scoring = scoring  # with it, every run's stored verdicts are recomputed on load (evidence.runs)

    def restricted(self, allowed: tuple[str, ...]) -> Evidence:
        """A view sharing this cache that refuses evidence outside ``allowed``."""
        return Evidence(self.bib, frozenset(allowed), self._cache, self.scoring)

    @cached_property
    def sources(self) -> frozenset[str]:
        return reference_keys(self.bib)

    def _check(self, evidence_id: str) -> Path:
        if self.allowed is not None and evidence_id not in self.allowed:
            raise RegistryError(f"builder read {evidence_id!r} without declaring it in its inputs")
        return evidence_path(evidence_id)

    def published(self, stem: str) -> pd.DataFrame:
        """A published-evidence file as a frame indexed by row id (``number`` = parsed value)."""
        key = f"published:{stem}"
        path = self._check(key)
        if key not in self._cache:
            self._cache[key] = published_frame(load_published(path, self.sources))
        return self._cache[key]

    def printed_numbers(self) -> frozenset[float]:
        """Every number the published files print (as parsed): outputs keep these digits exactly."""
        if "printed" not in self._cache:
            stems = sorted(p.stem for p in paths.PUBLISHED_DIR.glob("*.csv"))
            self._cache["printed"] = frozenset(float(v) for stem in stems
                                               for v in Evidence(self.bib, None, self._cache).published(stem)["number"]
                                               if v == v)  # NaN: no number printed
        return self._cache["printed"]

    def text(self, stem: str) -> BaseModel:
        key = f"text:{stem}"
        path = self._check(key)
        if key not in self._cache:
            self._cache[key] = load_text(path, self.sources)
        return self._cache[key]

    def runs(self) -> pd.DataFrame:
        """Every fresh run's accuracy per prompting style (see evidence.runs.run_summary), indexed by id."""
        self._check(ALL_RUNS)
        if ALL_RUNS not in self._cache:
            from artifact.evidence.runs import load_run, run_summary

            frames = [run_summary(d.name, *load_run(d, self.scoring)) for d in sorted(paths.RUNS_DIR.iterdir())
                      if (d / "run.json").is_file()]
            frames = [f for f in frames if not f.empty]
            self._cache[ALL_RUNS] = (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
                columns=["run_id", "model", "task", "split", "params_billion", "prompting", "items", "correct", "number",
                         "complete", "id"])).set_index("id", drop=False)
        return self._cache[ALL_RUNS]

    def run_samples(self, run_id: str) -> list:
        """The validated sample records of one run."""
        self._check(ALL_RUNS)
        from artifact.evidence.runs import load_run

        return load_run(paths.RUNS_DIR / run_id, self.scoring)[1]

    def lab(self, preset: str) -> tuple[dict, pd.DataFrame]:
        """A lab sweep's configuration and per-model metrics (see evidence.lab)."""
        return self._sweep(self._check(f"lab:{preset}"))

    def _sweep(self, folder: Path) -> tuple[dict, pd.DataFrame]:
        key = ("lab", folder)
        if key not in self._cache:
            from artifact.evidence.lab import load_sweep

            self._cache[key] = load_sweep(folder)
        return self._cache[key]

    def _lab_rows(self, preset: str) -> pd.DataFrame:
        key = ("lab-rows", preset)
        if key not in self._cache:
            from artifact.evidence.lab import long_frame

            self._cache[key] = long_frame(preset, self.lab(preset)[1])
        return self._cache[key]

    def row(self, ref: str) -> pd.Series:
        """One published row by ``<stem>:<row id>`` (a run's accuracy by ``runs:<run>/<style>``, a lab
        model's score by ``lab:<preset>/<metric>/w<width>/s<seed>``)."""
        stem, _, row_id = ref.partition(":")
        if stem == "lab":
            preset = row_id.split("/")[0]
            frame = self._lab_rows(preset)
            if row_id not in frame.index:
                raise EvidenceError(evidence_path(f"lab:{preset}") / "metrics.csv", None, "width",
                                    f"no lab score {row_id!r} (referenced as {ref!r})")
            return frame.loc[row_id]
        if stem == "runs":
            frame = self.runs()
            if row_id not in frame.index:
                raise EvidenceError(paths.RUNS_DIR, None, "id", f"no run accuracy {row_id!r} (referenced as {ref!r})")
            return frame.loc[row_id]
        frame = self.published(stem)
        if row_id not in frame.index:
            raise EvidenceError(evidence_path(f"published:{stem}"), None, "id", f"no row {row_id!r} (referenced as {ref!r})")
        return frame.loc[row_id]

    def load_all(self) -> None:
        """Validate every evidence file (used by `reproduce` before anything is written)."""
        for kind, (folder, suffix) in KINDS.items():
            for path in sorted(folder.glob(f"*{suffix}")):
                getattr(self, kind)(path.stem)
        self.runs()
        if paths.LAB_DIR.is_dir():
            for folder in sorted(paths.LAB_DIR.iterdir()):
                if (folder / "config.json").is_file():
                    self._sweep(folder)
