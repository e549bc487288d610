"""Run a sweep (sizes x seeds) and write artifact/data/lab/<sweep-id>/: config, per-model metrics, predictions.

Each model depends only on (config, width, seed), so models train in parallel worker processes (one
torch thread each) and the numbers do not depend on how many workers there are.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import hashlib
import io
import json
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

from artifact import fsio, paths
from artifact.errors import EvidenceError
from artifact.strict import load_json
from artifact.lab.config import SweepConfig
from artifact.lab.score import METRICS, summarise
from artifact.lab.task import is_heldout, problems
from artifact.lab.train import ModelResult, train_and_score

FILES = ("config.json", "metrics.csv", "predictions.jsonl", "timing.json")


def sweep_id(preset: str, config: SweepConfig, device: str = "cpu") -> str:
    """<preset>-<config hash>, with the device appended off the CPU (a GPU's numbers differ from the CPU's)."""
    digest = hashlib.sha256(config.hashed().encode()).hexdigest()[:8]
    return f"{preset}-{digest}" + ("" if device == "cpu" else f"-{device.split(':')[0]}")


LM_ITEMS = 500  # held-out problems per task for heldout_loss, drawn after (never among) the scored ones


def heldout_pairs(digits: int) -> int:
    """Problems on the held-out side of the split (exactly one pair in 20 from 2 digits up)."""
    top = 10 ** digits
    return top * top // 20 if digits > 1 else sum(is_heldout(a, b) for a in range(top) for b in range(top))


def _train_one(config: SweepConfig, width: int, seed: int, device: str = "cpu",
               form: str | None = None) -> ModelResult:
    """One model of a one-task configuration (``config.for_digits(d)`` of a lengths sweep) in one format."""
    # cuBLAS is deterministic only with a fixed workspace, set before its first use in this process.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    import torch

    torch.set_num_threads(1)  # tiny models: more threads cost more in overhead than they save
    torch.use_deterministic_algorithms(True)
    train = problems(config.digits, config.train_items, heldout=False, seed=config.data_seed, form=form)
    more = min(LM_ITEMS, heldout_pairs(config.digits) - config.heldout_items)
    drawn = problems(config.digits, config.heldout_items + more, heldout=True, seed=config.data_seed, form=form)
    heldout, unscored = drawn[:config.heldout_items], drawn[config.heldout_items:]
    return train_and_score(config, width, seed, train, heldout, device, unscored)


def _worker_setup(parent: int) -> None:
    """Runs first in every worker process. Ctrl-C reaches the whole process group: only the sweep's own
    process answers it (it stops the workers). And a worker ends itself within a second once that
    process is gone, even by kill -9, which leaves it no chance to clean up: otherwise each orphan
    would hold its few hundred MB until it happened to be killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent killed mid-send: die quietly instead of printing a BrokenPipeError traceback per worker.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


PARENT_POLL_SECONDS = 0.5


@contextlib.contextmanager
def _sigint_ignored():
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change signal handling (and a pool started elsewhere is no CLI's)
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop_workers() -> None:
    """Terminate this process's worker processes now (a pool's own shutdown waits for running models)."""
    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(5)


def _say(line: str) -> None:
    print(line, flush=True)


Key = tuple[int, str | None, int, int]  # (digits, format, width, seed): one model


def grid(config: SweepConfig) -> list[Key]:
    """Every model of the sweep in file order: by digit count, then format, then width, then seed."""
    return [(d, f, w, s) for d in config.digit_counts for f in config.format_list for w in config.widths
            for s in config.seeds]


def _kept_name(digits: int | None, form: str | None, width: int, seed: int, many: bool) -> str:
    return (f"d{digits}-" if many else "") + (f"{form}-" if form else "") + f"w{width}-s{seed}.json"


def _load_done(partial: Path, keys: list[Key], many: bool = False) -> dict[Key, ModelResult]:
    """Models an interrupted run of the same sweep already finished (a torn file is dropped and retrained)."""
    done = {}
    for d, f, w, s in keys:
        path = partial / _kept_name(d, f, w, s, many)
        if path.is_file():
            try:
                kept = ModelResult(**load_json(path))
            except (EvidenceError, TypeError):  # torn or damaged: trained again
                path.unlink()
                continue
            done[d, f, w, s] = dataclasses.replace(kept, digits=d)
    return done


def _keep(partial: Path, r: ModelResult, many: bool = False) -> None:
    fsio.write_atomic(partial / _kept_name(r.digits, r.form, r.width, r.seed, many), json.dumps(dataclasses.asdict(r)))


def run_sweep(config: SweepConfig, jobs: int = 1, echo: Callable[[str], None] = _say,
              partial: Path | None = None, device: str = "cpu") -> list[ModelResult]:
    """Train and score every (width, seed); results in config order whatever order they finish in.

    With ``partial``, each finished model is kept there at once, and models already kept there (by an
    interrupted run of the same sweep: the folder name carries the configuration hash) are not retrained."""
    keys = grid(config)
    many = len(config.digit_counts) > 1
    start = time.perf_counter()
    results: dict[Key, ModelResult] = {}
    if partial is not None:
        partial.mkdir(parents=True, exist_ok=True)
        results = _load_done(partial, keys, many)
        if results:
            echo(f"resuming: {len(results)} of {len(keys)} models already trained (kept in {partial})")
    # Longest tasks first: they take longest, and a worker left alone at the end wastes the other core.
    todo = sorted((key for key in keys if key not in results),
                  key=lambda k: (-k[0], k[1] != "scratchpad", -k[2], k[3]))
    jobs = max(1, min(jobs, len(todo) or 1))

    def finish(r: ModelResult) -> None:
        results[r.digits, r.form, r.width, r.seed] = r
        if partial is not None:
            _keep(partial, r, many)
        m = summarise(r.predictions)
        task = (f"digits {r.digits} " if many else "") + (f"{r.form:<10} " if r.form else "")
        echo(f"[{len(results):>3}/{len(keys)}] {task}width {r.width:>3} seed {r.seed}  {r.parameters:>7,} params  "
             f"exact {m['exact_match']:.3f}  token acc {m['token_accuracy']:.3f}  "
             f"loglik {m['log_likelihood']:7.3f}  edit {m['edit_distance']:.2f}  "
             f"lm loss {r.heldout_loss if r.heldout_loss is not None else float('nan'):.3f}  "
             f"{r.train_seconds:5.1f} s  {r.tokens_per_second:,.0f} tok/s")

    if jobs == 1:
        for d, f, w, s in todo:
            finish(_train_one(config.for_digits(d), w, s, device, f))
    else:
        # spawn, not fork: torch's thread pools do not survive a fork safely.
        pool = ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=_worker_setup,
                                   initargs=(os.getpid(),))
        try:
            with _sigint_ignored():  # workers start during submit and inherit it, even before their set-up runs
                futures = [pool.submit(_train_one, config.for_digits(d), w, s, device, f) for d, f, w, s in todo]
            for future in as_completed(futures):
                finish(future.result())
        except BaseException:  # Ctrl-C or a failed model: finished models are kept, the rest stops now
            pool.shutdown(wait=False, cancel_futures=True)
            _stop_workers()
            raise
        pool.shutdown()
    echo(f"{len(todo)} models trained in {time.perf_counter() - start:.1f} s wall "
         f"({jobs} worker{'s' * (jobs > 1)})")
    return [results[key] for key in keys]


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def metrics_csv(results: list[ModelResult], many: bool = False, cot: bool = False) -> bytes:
    """One row per model; a sweep over several digit counts starts each row with its digits, a cot sweep
    with its format; heldout_loss comes last (empty where no unscored held-out problem was left)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["digits"] * many + ["format"] * cot + ["width", "seed", "parameters", "steps", "tokens", *METRICS,
                                                       "heldout_loss"])
    for r in results:
        m = summarise(r.predictions)
        w.writerow([r.digits] * many + [r.form] * cot + [r.width, r.seed, r.parameters, r.steps, r.tokens,
                                                         *(f"{m[k]:.6f}" for k in METRICS),
                                                         "" if r.heldout_loss is None else f"{r.heldout_loss:.6f}"])
    return buf.getvalue().encode()


def files(preset: str, config: SweepConfig, results: list[ModelResult], device: str = "cpu") -> dict[str, bytes]:
    """The sweep folder's files. Timing is kept apart: it is the one file a rerun does not reproduce."""
    meta = {"preset": preset, **config.record(), **({"device": device} if device != "cpu" else {})}
    many, cot = len(config.digit_counts) > 1, config.formats is not None

    def key(r: ModelResult) -> dict:
        return ({"digits": r.digits} if many else {}) | ({"format": r.form} if cot else {})

    return {
        "config.json": (json.dumps(meta, indent=1, sort_keys=True) + "\n").encode(),
        "metrics.csv": metrics_csv(results, many, cot),
        "predictions.jsonl": "".join(
            json.dumps({**key(r), "width": r.width, "seed": r.seed, **p}, sort_keys=True, separators=(",", ":"))
            + "\n" for r in results for p in r.predictions).encode(),
        "timing.json": (json.dumps([{**key(r), "width": r.width, "seed": r.seed,
                                     "train_seconds": round(r.train_seconds, 2),
                                     "tokens_per_second": round(r.tokens_per_second)} for r in results],
                                   indent=1) + "\n").encode(),
    }


def partial_folder(out: Path, preset: str, config: SweepConfig, device: str = "cpu") -> Path:
    """Where an unfinished sweep keeps its finished models (removed once the sweep folder is written)."""
    return out / f".{sweep_id(preset, config, device)}.partial"


def recover(folder: Path) -> None:
    """Undo what a crash during an earlier write left: a previous sweep set aside but not replaced is put
    back (so the folder is never missing for longer than until the next run), and leftovers are removed."""
    fsio.recover_swap(folder)
    fsio.remove_temporaries(folder.parent)


def lock(out: Path) -> fsio.Lock:
    """One lab at a time per output folder: two would train the same models twice and race on the swap."""
    return fsio.Lock(out / ".lab.lock", out, "lab")


def write(out: Path, preset: str, config: SweepConfig, results: list[ModelResult], device: str = "cpu") -> Path:
    """Write the sweep folder whole: built beside it under a temporary name, then swapped in
    (``fsio.swap_folder``; ``recover``, run first here and by every `lab` command, finishes a swap a
    crash interrupted)."""
    folder = out / sweep_id(preset, config, device)
    recover(folder)
    staging = fsio.swap_names(folder)[0]
    staging.mkdir(parents=True)
    for name, data in files(preset, config, results, device).items():
        (staging / name).write_bytes(data)
    fsio.swap_folder(staging, folder)
    return folder


def default_out() -> Path:
    return paths.LAB_DIR
