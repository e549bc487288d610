"""Regenerate the products (exhibits, claims report, site data) into figures/: skip what is fresh,
publish all at once, or check against the manifest."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from artifact import manifest as mf
from artifact import paths
from artifact.errors import CheckFailed
from artifact.hashing import sha256_bytes
from artifact.publish import PublishError, lock_path, locked, publish, recover


@dataclass(frozen=True)
class Outcome:
    product: str
    status: str  # "built", "skipped", "checked"
    files: int
    seconds: float

    def line(self) -> str:
        return f"{self.status:<8} {self.product:<22} {self.files:>2} files  {self.seconds:5.2f}s"


def default_jobs() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _noop(out_dir: Path, old: dict) -> list[Outcome] | None:
    """Outcomes for a run with nothing to do, decided without importing the builders; else None."""
    if not old.get("complete") or not old["products"] or not mf.recorded_inputs_fresh(old):
        return None
    if not all(mf.outputs_intact(e, out_dir) for e in old["products"].values()):
        return None
    return [Outcome(i, "skipped", len(e["outputs"]), 0.0) for i, e in sorted(old["products"].items(),
                                                                          key=lambda kv: kv[1]["order"])]


def reproduce(only: list[str] | None = None, out_dir: Path = paths.FIGURES_DIR, *, check: bool = False,
              force: bool = False, jobs: int | None = None, echo: Callable[[str], None] = print) -> list[Outcome]:
    """Build the selected products (all by default) and return one outcome per product."""
    refuse_inside_evidence(out_dir)
    if check and not _writable(out_dir):
        # --check only reads: a read-only checkout is checked without the lock it could not create
        return _reproduce(only, out_dir, check=check, force=force, jobs=jobs or default_jobs(), echo=echo)
    with locked(out_dir):
        for line in recover(out_dir):
            echo(line)
        return _reproduce(only, out_dir, check=check, force=force, jobs=jobs or default_jobs(), echo=echo)


def refuse_inside_evidence(out_dir: Path) -> None:
    """Outputs written among the evidence would be read back as evidence by the next run."""
    data = paths.DATA_DIR.resolve()
    target = out_dir.resolve()
    if target == data or data in target.parents or target in data.parents:
        raise PublishError(f"--out {out_dir}: outputs cannot go inside or above the evidence folder "
                           f"{paths.display(paths.DATA_DIR)} (the next run would read them as evidence); "
                           "choose a folder outside it")


def _writable(out_dir: Path) -> bool:
    parent = out_dir.parent
    return os.access(parent, os.W_OK) and (not lock_path(out_dir).exists() or os.access(lock_path(out_dir), os.W_OK))


def _reproduce(only, out_dir: Path, *, check: bool, force: bool, jobs: int, echo) -> list[Outcome]:
    old = mf.load(out_dir)
    if not (check or force or only):
        fast = _noop(out_dir, old)
        if fast is not None:
            for o in fast:
                echo(o.line())
            return fast

    from artifact.evidence.store import Evidence
    from artifact.rescore import task_scoring
    from artifact.products import products

    chosen = products(only)
    everything = [p.id for p in products(None)]
    evidence = Evidence(scoring=task_scoring)
    evidence.load_all()  # a bad evidence file stops the run before anything is written
    tools = mf.tool_versions()
    same_tools = old.get("tools") == tools
    order = {k: n for n, k in enumerate(everything)}
    entries: dict[str, dict] = {}
    inputs = {p.id: mf.product_inputs(list(p.evidence_files), list(p.code_files)) for p in chosen}
    todo = []
    for product in chosen:
        entry = old["products"].get(product.id)
        fresh = (same_tools and entry is not None and all(entry.get(g) == inputs[product.id][g] for g in ("evidence", "builder"))
                 and mf.outputs_intact(entry, out_dir))
        if fresh and not (check or force):
            entries[product.id] = {**entry, "order": order[product.id]}  # an exhibit added earlier shifts it
        else:
            todo.append(product)
    built = _build(todo, evidence, jobs)
    pending: dict[str, bytes] = {}
    outcomes = []
    for product in chosen:
        if product.id in built:
            files, seconds = built[product.id]
            pending.update(files)
            entries[product.id] = {**inputs[product.id], "order": order[product.id],
                                   "outputs": {rel: sha256_bytes(data) for rel, data in sorted(files.items())}}
            outcomes.append(Outcome(product.id, "checked" if check else "built", len(files), seconds))
        else:
            outcomes.append(Outcome(product.id, "skipped", len(entries[product.id]["outputs"]), 0.0))
        echo(outcomes[-1].line())
    if check:
        _compare(old, {k: v for k, v in entries.items() if k in built}, tools, out_dir)
        return outcomes
    # Entries built with other tool versions are dropped, so the next run rebuilds them.
    kept = {k: {**e, "order": order[k]} for k, e in old["products"].items() if k in order} if same_tools else {}
    entries = {**kept, **entries}
    manifest = {"format": mf.FORMAT, "complete": set(everything) <= set(entries), "tools": tools,
                "catalog": mf.catalog_hashes(), "products": entries}
    stale = {rel for k, e in old["products"].items() for rel in e.get("outputs", {})
             if k not in entries or rel not in entries[k]["outputs"]}
    publish(out_dir, {**pending, paths.MANIFEST_NAME: mf.dumps(manifest)}, stale)
    return outcomes


# What the workers build from (set in the parent just before they fork).
_INPUTS = None


def _build_one(product_id: str) -> tuple[str, dict[str, bytes], float]:
    from artifact.products import products

    start = time.perf_counter()
    files = products([product_id])[0].make(_INPUTS)
    return product_id, files, time.perf_counter() - start


def _build(todo: list, evidence, jobs: int) -> dict[str, tuple[dict[str, bytes], float]]:
    """{product id: (files, seconds)}; in ``jobs`` forked processes when there is more than one to build.

    Outputs do not depend on ``jobs``: each product is built from the same evidence by the same code.
    The claims report is computed here, once, before any fork, when a product to build shows it.
    Forking shares the loaded evidence and that report, but vl-convert's runtime does not survive a
    fork once it has started in this process (a caller that rendered before, such as a test session,
    would hang), so such a process builds here, one product after another.
    """
    from artifact import fonts
    from artifact.products import Inputs

    global _INPUTS
    _INPUTS = Inputs(evidence)
    if any(p.uses_claims for p in todo):
        _INPUTS.claims
    ids = [p.id for p in todo]
    runtime_started = fonts.register.cache_info().currsize > 0
    if jobs <= 1 or len(ids) <= 1 or runtime_started or "fork" not in multiprocessing.get_all_start_methods():
        return {i: (f, s) for i, f, s in map(_build_one, ids)}
    with multiprocessing.get_context("fork").Pool(min(jobs, len(ids)), initializer=_worker_signals) as pool:
        return {i: (f, s) for i, f, s in pool.imap_unordered(_build_one, ids)}


def _worker_signals() -> None:
    """Workers ignore Ctrl-C (the parent alone reports it, and leaving the pool terminates them), and
    die quietly on a broken pipe (a killed parent) instead of printing a traceback each."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def _compare(old: dict, new: dict[str, dict], tools: dict, out_dir: Path) -> None:
    problems = []
    if old.get("tools") != tools:
        problems.append(f"tool versions differ: manifest {old.get('tools')}, installed {tools}")
    for product_id, entry in new.items():
        before = old["products"].get(product_id)
        if before is None:
            problems.append(f"{product_id}: not in the manifest")
            continue
        for rel, digest in entry["outputs"].items():
            if before["outputs"].get(rel) != digest:
                problems.append(f"{product_id}: {rel} regenerates with a different hash")
        for rel in set(before["outputs"]) - set(entry["outputs"]):
            problems.append(f"{product_id}: {rel} is in the manifest but no longer produced")
        for group in ("evidence", "builder"):
            if before.get(group) != entry[group]:
                problems.append(f"{product_id}: {group} files changed since the manifest was written")
        if not mf.outputs_intact(before, out_dir):
            problems.append(f"{product_id}: a file in {paths.display(out_dir)} differs from its manifest hash")
    if problems:
        raise CheckFailed("reproduce --check failed (run `python -m artifact reproduce` and commit figures/):\n  "
                          + "\n  ".join(problems))
