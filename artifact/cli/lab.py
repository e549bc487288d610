"""`lab`: train a sweep of small models from scratch and score them (see artifact/lab)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def add_parser(sub) -> None:
    from artifact.lab.config import PRESETS

    p = sub.add_parser("lab", help="train a from-scratch scaling sweep on synthetic addition and score it",
                       description="Trains every (size, seed) of a preset from scratch on the CPU, scores each "
                                   "model on the held-out problems with exact match and three continuous "
                                   "metrics, and writes <out>/<preset>-<config hash>/.")
    p.add_argument("--preset", choices=tuple(PRESETS), default="default",
                   help="smoke: seconds; default: about 5 minutes on 2 cores; full: about 30 minutes on 2 cores; "
                        "lengths: 2-, 3- and 4-digit tasks (answer length as an axis), under 15 minutes of 2 "
                        "cores' time; lengths-smoke: seconds; cot: direct against scratchpad targets (the article's "
                        "chain-of-thought claim in miniature), about 20 minutes on 2 idle cores; cot-smoke: seconds")
    p.add_argument("--out", type=Path, help="folder for the sweep folder (default: artifact/data/lab)")
    p.add_argument("--jobs", type=int, help="worker processes (default: min(2, CPU count)); "
                                            "the numbers do not depend on it")
    p.add_argument("--device", default="cpu",
                   help="'cpu' (default; what the shipped sweep used) or 'cuda': a GPU's numbers differ from the "
                        "CPU's, so its sweep folder name ends in -cuda")
    p.set_defaults(run=run)


def run(args) -> int:
    from artifact import fsio, paths
    from artifact.errors import ArtifactError
    from artifact.lab.config import PRESETS
    from artifact.lab.sweep import default_out, lock, sweep_id

    if args.jobs is not None and args.jobs < 1:
        raise ArtifactError("--jobs must be at least 1")
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as exc:
        raise ArtifactError(f"the lab needs torch and transformers ({exc.name} is missing): "
                            "pip install torch==2.13.0 -e '.[lab]'") from None
    if args.device != "cpu" and not args.device.startswith("cuda"):
        raise ArtifactError(f"--device {args.device!r}: use 'cpu' or 'cuda'")
    if args.device != "cpu" and not torch.cuda.is_available():
        raise ArtifactError(f"--device {args.device}: torch {torch.__version__} sees no GPU "
                            "(GPU users install a CUDA build of torch first; see the README)")
    config = PRESETS[args.preset]
    out = args.out or default_out()
    if out.exists() and not out.is_dir():
        raise ArtifactError(f"--out {out} is a file, not a folder")
    tasks = config.digit_counts
    n = len(tasks) * len(config.format_list) * len(config.widths) * len(config.seeds)
    lengths = f"{len(tasks)} tasks ({', '.join(map(str, tasks))} digits) x " if len(tasks) > 1 else ""
    lengths += f"{len(config.formats)} formats ({', '.join(config.formats)}) x " if config.formats else ""
    print(f"sweep {sweep_id(args.preset, config, args.device)} on {args.device}: {lengths}{len(config.widths)} "
          f"sizes x {len(config.seeds)} seeds = {n} models, {config.tokens:,} training tokens each, "
          f"{config.heldout_items} held-out problems")
    fsio.refuse_symlink(out, "lab output folder")
    try:
        with lock(out):
            return _sweep(args, config, out)
    except OSError as exc:  # a read-only or full output folder
        raise fsio.WriteError(fsio.describe(exc, out, unchanged=False) + "; the models finished so far are kept "
                              "and the same command resumes") from None


def _sweep(args, config, out: Path) -> int:
    from concurrent.futures.process import BrokenProcessPool

    from artifact import fsio, paths
    from artifact.lab.sweep import default_jobs, partial_folder, recover, run_sweep, sweep_id, write

    partial = partial_folder(out, args.preset, config, args.device)
    recover(out / sweep_id(args.preset, config, args.device))
    fsio.refuse_symlink(partial, "folder of finished models")
    try:
        results = run_sweep(config, jobs=args.jobs or default_jobs(), partial=partial, device=args.device)
    except KeyboardInterrupt:
        # The models finished so far are kept in the partial folder; nothing else was written.
        print("interrupted; the same command resumes", file=sys.stderr)
        return 130
    except BrokenProcessPool:
        raise fsio.WriteError(f"a lab worker process died (killed, or out of memory); the models finished so far "
                              f"are kept in {paths.display(partial)} and the same command resumes") from None
    folder = write(out, args.preset, config, results, args.device)
    shutil.rmtree(partial)
    print(f"wrote {paths.display(folder)}")
    return 0
