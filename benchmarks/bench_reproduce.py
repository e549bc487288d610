"""Time `reproduce` cold, warm and as a no-op, each in a fresh process on a copy of the repository.

    python benchmarks/bench_reproduce.py [--repeat N]

cold:  empty output folder, first run after copying (nothing cached by us)
warm:  --force rebuild of every exhibit into the now-populated folder (OS caches warm)
no-op: nothing changed, so every exhibit is skipped
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(repo: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "artifact", "reproduce", *args], cwd=repo, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[float]] = {"cold": [], "warm": [], "no-op": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            repo = Path(tmp)
            shutil.copytree(ROOT / "artifact", repo / "artifact", ignore=shutil.ignore_patterns("__pycache__"))
            (repo / "docs").mkdir()
            shutil.copy(ROOT / "docs" / "references.bib", repo / "docs" / "references.bib")
            results["cold"].append(timed(repo))
            results["warm"].append(timed(repo, "--force"))
            results["no-op"].append(timed(repo))
    print(f"reproduce timings over {args.repeat} runs ({os.cpu_count()} CPUs, Python {sys.version.split()[0]}):")
    for name, values in results.items():
        print(f"  {name:<6} median {statistics.median(values):6.2f}s  min {min(values):6.2f}s  max {max(values):6.2f}s")
    print("targets: warm full regeneration < 10 s, no-op < 1 s")


if __name__ == "__main__":
    main()
