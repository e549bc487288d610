"""Regenerate exhibits into figures/: skip what is fresh, write atomically, or check against the manifest."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from artifact import manifest as mf
from artifact import paths
from artifact.errors import CheckFailed
from artifact.hashing import sha256_bytes, sha256_file


@dataclass(frozen=True)
class Outcome:
    exhibit: str
    status: str  # "built", "skipped", "checked"
    files: int
    seconds: float

    def line(self) -> str:
        return f"{self.status:<8} {self.exhibit:<22} {self.files:>2} files  {self.seconds:5.2f}s"


def _noop(out_dir: Path, old: dict) -> list[Outcome] | None:
    """Outcomes for a run with nothing to do, decided without importing the builders; else None."""
    if not old.get("complete") or not old["exhibits"] or not mf.recorded_inputs_fresh(old):
        return None
    if not all(mf.outputs_intact(e, out_dir) for e in old["exhibits"].values()):
        return None
    return [Outcome(i, "skipped", len(e["outputs"]), 0.0) for i, e in sorted(old["exhibits"].items(),
                                                                          key=lambda kv: kv[1]["order"])]


def reproduce(only: list[str] | None = None, out_dir: Path = paths.FIGURES_DIR, *, check: bool = False,
              force: bool = False, echo: Callable[[str], None] = print) -> list[Outcome]:
    """Build the selected exhibits (all by default) and return one outcome per exhibit."""
    old = mf.load(out_dir)
    if not (check or force or only):
        fast = _noop(out_dir, old)
        if fast is not None:
            for o in fast:
                echo(o.line())
            return fast

    from artifact.evidence.store import Evidence
    from artifact.products import products

    chosen = products(only)
    everything = [p.id for p in products(None)]
    evidence = Evidence()
    evidence.load_all()  # a bad evidence file stops the run before anything is written
    shared, tools = mf.file_hashes(mf.SHARED), mf.tool_versions()
    same_base = old.get("shared") == shared and old.get("tools") == tools
    order = {k: n for n, k in enumerate(everything)}
    outcomes, pending, entries = [], {}, {}
    for exhibit in chosen:
        start = time.perf_counter()
        inputs = mf.product_inputs(list(exhibit.evidence_files), list(exhibit.builder_files))
        entry = old["exhibits"].get(exhibit.id)
        fresh = (same_base and entry is not None and all(entry.get(g) == inputs[g] for g in inputs)
                 and mf.outputs_intact(entry, out_dir))
        if fresh and not (check or force):
            entries[exhibit.id] = {**entry, "order": order[exhibit.id]}  # an exhibit added earlier shifts it
            outcomes.append(Outcome(exhibit.id, "skipped", len(entry["outputs"]), time.perf_counter() - start))
        else:
            files = exhibit.make(evidence)
            pending.update(files)
            entries[exhibit.id] = {**inputs, "order": order[exhibit.id],
                                   "outputs": {rel: sha256_bytes(data) for rel, data in sorted(files.items())}}
            outcomes.append(Outcome(exhibit.id, "checked" if check else "built", len(files),
                                    time.perf_counter() - start))
        echo(outcomes[-1].line())
    if check:
        _compare(old, entries, shared, tools, out_dir)
        return outcomes
    # Entries built against other shared files or tools are dropped, so the next run rebuilds them.
    kept = {k: {**e, "order": order[k]} for k, e in old["exhibits"].items() if k in order} if same_base else {}
    _write(out_dir, old, {**kept, **entries}, pending, shared, tools,
           complete=set(everything) <= set(kept) | set(entries))
    return outcomes


def _compare(old: dict, new: dict[str, dict], shared: dict, tools: dict, out_dir: Path) -> None:
    problems = []
    if old.get("tools") != tools:
        problems.append(f"tool versions differ: manifest {old.get('tools')}, installed {tools}")
    if old.get("shared") != shared:
        problems.append("shared renderer files changed since the manifest was written")
    for exhibit_id, entry in new.items():
        before = old["exhibits"].get(exhibit_id)
        if before is None:
            problems.append(f"{exhibit_id}: not in the manifest")
            continue
        for rel, digest in entry["outputs"].items():
            if before["outputs"].get(rel) != digest:
                problems.append(f"{exhibit_id}: {rel} regenerates with a different hash")
        for rel in set(before["outputs"]) - set(entry["outputs"]):
            problems.append(f"{exhibit_id}: {rel} is in the manifest but no longer produced")
        for group in ("evidence", "builder"):
            if before.get(group) != entry[group]:
                problems.append(f"{exhibit_id}: {group} files changed since the manifest was written")
        if not mf.outputs_intact(before, out_dir):
            problems.append(f"{exhibit_id}: a file in {paths.display(out_dir)} differs from its manifest hash")
    if problems:
        raise CheckFailed("reproduce --check failed (run `python -m artifact reproduce` and commit figures/):\n  "
                          + "\n  ".join(problems))


def _write(out_dir: Path, old: dict, entries: dict, pending: dict[str, bytes], shared: dict, tools: dict,
           complete: bool) -> None:
    for rel, data in sorted(pending.items()):
        target = out_dir / rel
        if not (target.is_file() and sha256_file(target) == sha256_bytes(data)):
            mf.atomic_write(target, data)
    for exhibit_id, entry in entries.items():
        stale = set(old["exhibits"].get(exhibit_id, {}).get("outputs", {})) - set(entry["outputs"])
        for rel in stale:
            (out_dir / rel).unlink(missing_ok=True)
    manifest = {"format": mf.FORMAT, "complete": complete, "shared": shared, "tools": tools, "exhibits": entries}
    mf.atomic_write(out_dir / paths.MANIFEST_NAME, mf.dumps(manifest))
