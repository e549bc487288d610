"""`evaluate`: fresh runs of a registered task (GSM8K, last-letters, coin-flip) with standard and
chain-of-thought prompting (resumable)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

# A run id names one folder inside the runs folder: no separators, no "..", nothing absolute.
RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
INTERRUPTED = "interrupted; the same command resumes"


def add_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="run a model on a task with standard and/or chain-of-thought prompting",
                       description="Greedy few-shot evaluation of a registered task (gsm8k, last-letters, coin-flip); "
                                   "outputs go to artifact/data/runs/<run-id>/.")
    p.add_argument("--model", required=True,
                   help="'smollm2-135m' (bundled, offline), a local model folder, or a hub id 'org/name'")
    p.add_argument("--task", default="gsm8k", help="a registered task (default: gsm8k)")
    p.add_argument("--split", help="the task's split (gsm8k: test; last-letters, coin-flip: id-2, ood-3, ood-4; "
                                   "default: the task's first)")
    p.add_argument("--prompting", nargs="+", help="prompting styles (default: every style the task offers: standard cot)")
    p.add_argument("--limit", type=int, help="only the first N items")
    p.add_argument("--batch-size", type=int, default=64,
                   help="items decoded together (default 64); changes outputs only by float rounding, never the run's hash")
    p.add_argument("--backend", choices=("hf", "vllm"), default="hf")
    p.add_argument("--device", choices=("cpu", "cuda", "auto"), default="cpu",
                   help="where the hf backend runs the model (auto: cuda when available); never changes the run's hash")
    p.add_argument("--dtype", default="float32", choices=("float32", "bfloat16", "float16"))
    p.add_argument("--tensor-parallel-size", type=int, default=1, help="GPUs per model (vllm backend)")
    p.add_argument("--data", type=Path, help="the data set file (GSM8K: default $ARTIFACT_GSM8K, else download; "
                                             "symbolic tasks: the shipped set)")
    p.add_argument("--shots", type=int, help="exemplars in the prompt (default: all of the task's; GSM8K 8)")
    p.add_argument("--runs-dir", type=Path, help="where run folders go (default: artifact/data/runs)")
    p.add_argument("--run-id", help="name of the run folder inside the runs folder (default: <model>-<config hash>)")
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        return _run(args)
    except KeyboardInterrupt:
        # Every finished item is already on disk; a rerun skips them.
        print(INTERRUPTED, file=sys.stderr)
        return 130


def _run(args) -> int:
    from artifact.errors import ArtifactError
    from artifact.evaluate import models, tasks
    from artifact.fsio import WriteError, describe
    from artifact.evaluate.backends import get_backend
    from artifact.evaluate.run import default_runs_dir, evaluate, locate, lock_run, run_config, timer

    if args.run_id is not None and (not RUN_ID.match(args.run_id) or ".." in args.run_id):
        raise ArtifactError(f"--run-id {args.run_id!r}: a run id is one folder name (letters, digits, '.', '_', '-'; "
                            "no '/', no '..'), created inside the runs folder")
    if args.limit is not None and args.limit < 1:
        raise ArtifactError("--limit must be at least 1")
    if args.batch_size < 1:
        raise ArtifactError("--batch-size must be at least 1")
    task = tasks.get(args.task)
    split = args.split or task.default_split
    task.title(split)  # an unknown split is refused before anything loads
    styles = [task.style(name, args.shots) for name in (args.prompting or task.styles)]
    data = task.load(args.data, split)
    spec = models.resolve(args.model)
    config = run_config(spec, args.backend, args.dtype, data, args.shots, task=task, split=split)
    folder = locate(config, args.runs_dir or default_runs_dir(), args.run_id)  # checked, not created yet
    backend = get_backend(args.backend)(spec, args.dtype, args.tensor_parallel_size, args.device)
    progress = timer()
    try:
        with lock_run(folder, config, task, split):
            print(f"run folder: {folder}")
            summary = evaluate(backend, folder, data, styles, args.limit, args.batch_size, progress, task)
    except OSError as exc:  # a full or read-only runs folder: what is written is kept, the run resumes
        where = Path(exc.filename) if exc.filename else folder
        raise WriteError(describe(exc, where, unchanged=False) + "; finished items are kept and the same "
                                                                 "command resumes") from None
    finally:
        progress.close()
    for name, s in summary.items():
        print(f"{name:<9} {s['correct']}/{s['items']} correct ({100 * s['accuracy']:.1f}%)")
    return 0
