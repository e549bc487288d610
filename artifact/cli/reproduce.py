"""`reproduce`: regenerate the exhibits into figures/ (or check them against the manifest)."""

from __future__ import annotations

import time
from pathlib import Path

from artifact import paths
from artifact.errors import ArtifactError


def add_parser(sub) -> None:
    p = sub.add_parser("reproduce", help="regenerate every exhibit from the shipped evidence",
                       description="Regenerate exhibits into figures/ (skipping those whose inputs did not change).")
    p.add_argument("--only", nargs="+", metavar="ID",
                   help="products to build: exhibit ids, claims, site (default: all)")
    p.add_argument("--check", action="store_true",
                   help="regenerate in memory and fail, naming the exhibit, if any hash differs from the manifest")
    p.add_argument("--out", type=Path, default=paths.FIGURES_DIR, help="output folder (default: figures/)")
    p.add_argument("--force", action="store_true", help="rebuild even exhibits whose inputs did not change")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="build in N processes (default: the CPUs available, at most 4); outputs do not depend on N")
    p.set_defaults(run=run)


def run(args) -> int:
    from artifact.reproduce import reproduce

    start = time.perf_counter()
    if args.jobs is not None and args.jobs < 1:
        raise ArtifactError(f"--jobs must be at least 1, not {args.jobs}")
    outcomes = reproduce(args.only, args.out, check=args.check, force=args.force, jobs=args.jobs)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("built", "skipped", "checked")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    verdict = "all outputs match the manifest" if args.check else f"outputs in {paths.display(args.out)}"
    print(f"{len(outcomes)} products (exhibits, claims report, site data): {summary}; {verdict} "
          f"({time.perf_counter() - start:.2f}s)")
    claims = args.out / "claims.json"
    if claims.is_file():
        from artifact.display import STATUSES
        from artifact.strict import load_json

        counts = load_json(claims)["counts"]
        print("claims: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES) + " (details: python -m artifact check)")
    return 0
