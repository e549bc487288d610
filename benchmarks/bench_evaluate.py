"""Throughput of our GSM8K evaluator against lm-evaluation-harness on the same model and items.

    python benchmarks/bench_evaluate.py --data PATH [--limit 64] [--model smollm2-135m]

Runs, each in a fresh process and timed end to end (model load included):
  1. lm-evaluation-harness, hf backend, its gsm8k_cot task pointed at the local file (batch size 1,
     its default);
  2. our evaluator, chain-of-thought prompting, batch size 32;
  3. our evaluator, batch size 1 (the reference for 'identical completions').
Prints items/s for 1 and 2, their ratio, how many extracted answers agree between 1 and 2, and how
many of 2's completions are identical to 3's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from artifact.evaluate.extract import extract, normalise  # noqa: E402
from artifact.evaluate.models import resolve  # noqa: E402

OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def timed(cmd: list[str], log: Path) -> float:
    start = time.perf_counter()
    with open(log, "w") as f:
        subprocess.run(cmd, check=True, stdout=f, stderr=subprocess.STDOUT, env={**os.environ, **OFFLINE}, cwd=ROOT)
    return time.perf_counter() - start


def ours(model: str, data: Path, limit: int, batch: int, runs: Path) -> tuple[float, dict[int, dict]]:
    seconds = timed([sys.executable, "-m", "artifact", "evaluate", "--model", model, "--data", str(data),
                     "--prompting", "cot", "--limit", str(limit), "--batch-size", str(batch),
                     "--runs-dir", str(runs)], runs / "log.txt")
    samples = [json.loads(line) for line in next(runs.glob("*/samples.jsonl")).read_text().splitlines()]
    return seconds, {s["index"]: s for s in samples}


def harness(model: str, data: Path, limit: int, work: Path) -> tuple[float, dict[int, dict]]:
    import lm_eval

    base = Path(lm_eval.__file__).parent / "tasks" / "gsm8k" / "gsm8k-cot.yaml"
    tasks = work / "tasks"
    tasks.mkdir()
    (tasks / "gsm8k_cot_local.yaml").write_text(
        f"include: {base}\ntask: gsm8k_cot_local\ndataset_path: json\ndataset_name: null\n"
        f"dataset_kwargs:\n  data_files:\n    test: {data}\ntest_split: test\n", encoding="utf-8")
    spec = resolve(model)
    args = f"pretrained={spec.path},dtype=float32" + (f",gguf_file={spec.gguf_file}" if spec.gguf_file else "")
    out = work / "out"
    seconds = timed([sys.executable, "-m", "lm_eval", "--model", "hf", "--model_args", args, "--tasks",
                     "gsm8k_cot_local", "--include_path", str(tasks), "--limit", str(limit), "--batch_size", "1",
                     "--log_samples", "--output_path", str(out)], work / "log.txt")
    lines = [json.loads(line) for f in out.rglob("samples_gsm8k_cot_local*.jsonl") for line in f.read_text().splitlines()]
    return seconds, {s["doc_id"]: s for s in lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=64)
    parser.add_argument("--model", default="smollm2-135m")
    args = parser.parse_args()
    data = args.data.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in ("harness", "b32", "b1"):
            (tmp / name).mkdir()
        t_h, h = harness(args.model, data, args.limit, tmp / "harness")
        t_32, b32 = ours(args.model, data, args.limit, 32, tmp / "b32")
        _, b1 = ours(args.model, data, args.limit, 1, tmp / "b1")
    n = args.limit
    h_answers = {i: extract(s["resps"][0][0]).answer for i, s in h.items()}
    h_strict = {i: (normalise(s["filtered_resps"][0]) if s["filtered_resps"][0] != "[invalid]" else None)
                for i, s in h.items()}
    agree = sum(h_answers[i] == b32[i]["extracted"] for i in range(n))
    agree_strict = sum(h_strict[i] == b32[i]["extracted"] for i in range(n) if h_strict[i] is not None)
    strict_n = sum(h_strict[i] is not None for i in range(n))
    same = sum(b32[i]["completion"] == b1[i]["completion"] for i in range(n))
    print(f"GSM8K chain-of-thought, first {n} items, model {args.model}, {os.cpu_count()} CPUs (wall time incl. load):")
    print(f"  lm-evaluation-harness (hf, batch 1): {t_h:7.1f}s  {n / t_h:.3f} items/s")
    print(f"  ours (hf, batch 32):                  {t_32:7.1f}s  {n / t_32:.3f} items/s")
    print(f"  speed-up: {t_h / t_32:.2f}x (target >= 5x)")
    print(f"  extracted answers agree (same extraction rule on both completions): {agree}/{n}")
    print(f"  harness strict-match answers equal to ours, where it found one: {agree_strict}/{strict_n}")
    print(f"  our batch-32 completions identical to our batch-1 run: {same}/{n} ({100 * same / n:.1f}%, target >= 99%)")


if __name__ == "__main__":
    main()
