"""Where the evaluator's time goes: matrix products, attention, other tensor work, Python.

    python benchmarks/profile_evaluate.py --data PATH [--limit 16] [--batch-size 32] [--prompting cot]

Times (wall clock on the calling thread; torch runs these ops synchronously on a CPU) every
projection (`kernels.Linear`: attention, MLP, output head), every split-attention call, each engine forward
pass as a whole, and the whole generation. The rest of a forward pass is the other tensor work
(embedding, norms, rotary, activation, residuals, cache writes); the rest of the generation is the
Python decode loop, stop checks and tokenisation.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--prompting", choices=("standard", "cot"), default="cot")
    parser.add_argument("--model", default="smollm2-135m")
    args = parser.parse_args()

    import torch

    from artifact.evaluate import dataset, engine, kernels, models, scheduler
    from artifact.evaluate.backends.hf import HFBackend
    from artifact.evaluate.tasks import GSM8K

    spent: dict[str, float] = defaultdict(float)

    def timed(name, fn):
        def wrapper(*a, **k):
            start = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[name] += time.perf_counter() - start
        return wrapper

    kernels.Linear.__call__ = timed("matmul", kernels.Linear.__call__)  # the engine's projections
    backend = HFBackend(models.resolve(args.model))
    engine.split_attention = timed("attention", engine.split_attention)
    eng = backend.engine
    scheduler.forward = timed("forward", scheduler.forward)  # prefills and decode steps
    style = GSM8K.style(args.prompting)
    questions = [i.question for i in dataset.load(args.data).items[:args.limit]]
    prefix = backend._encode(style.prefix)
    start = time.perf_counter()
    eng.prefix(prefix)
    spent["prefix (once per style)"] = time.perf_counter() - start
    for key in ("matmul", "attention", "forward"):
        spent[key] = 0.0
    start = time.perf_counter()
    results = list(backend.generate(style, questions, 256 if args.prompting == "cot" else 64, args.batch_size))
    total = time.perf_counter() - start
    tokens = sum(g.completion_tokens for _, g in results)
    other = spent["forward"] - spent["matmul"] - spent["attention"]
    python = total - spent["forward"]
    print(f"{len(results)} {args.prompting} items, batch {args.batch_size}, {torch.get_num_threads()} threads: "
          f"{total:.1f}s ({len(results) / total:.3f} items/s, {tokens} completion tokens); "
          f"prefix once: {spent['prefix (once per style)']:.1f}s")
    for name, seconds in (("matmul (projections, MLP, output head)", spent["matmul"]),
                          ("attention (split: shared prefix + own, merged)", spent["attention"]),
                          ("other tensor work (norms, rotary, SiLU, cache writes)", other),
                          ("Python (decode loop, stop checks, tokenising)", python)):
        print(f"  {name:<55} {seconds:7.1f}s  {100 * seconds / total:5.1f}%")


if __name__ == "__main__":
    main()
