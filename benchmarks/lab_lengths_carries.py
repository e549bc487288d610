"""Where p^L breaks: per-answer-length figures from a lengths sweep's predictions.jsonl.

    python benchmarks/lab_lengths_carries.py [FOLDER]   # default: the shipped lengths sweep

Greedy exact match is exactly the share of problems whose every answer token is right given the true
prefix (the greedy answer then reproduces the answer token by token), so the gap between p^L and exact
match is all about how token errors are spread. Per answer length, over the models whose exact match is
between 5% and 95% (where the prediction can be wrong at all), it prints:

- exact match, p^L (p = pooled per-token accuracy) and prod(p_i) (each answer position's own accuracy:
  independent errors, but some positions harder than others);
- exact match by the number of carries in the problem (0, 1, 2, ...), pooled over those models;
- the share of wrong answers with two or more wrong tokens, against what independent errors at each
  position's rate would give.
"""

from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from artifact.evidence.lab import sweep_folder


def carries(prompt: str) -> int:
    a, b = prompt.rstrip("=").split("+")
    count, carry = 0, 0
    for x, y in zip(reversed(a), reversed(b)):
        carry = int(int(x) + int(y) + carry >= 10)
        count += carry
    return count


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else sweep_folder("lengths")
    models: dict[tuple, list[dict]] = defaultdict(list)
    with open(folder / "predictions.jsonl", encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            models[p.get("digits"), p["width"], p["seed"]].append(p)
    by_length: dict[int, list] = defaultdict(list)
    for (d, w, s), preds in sorted(models.items()):
        em = sum(p["exact"] for p in preds) / len(preds)
        if 0.05 <= em <= 0.95:
            by_length[len(preds[0]["token_correct"])].append(preds)
    print(f"{folder.name}: models with exact match in [0.05, 0.95], per answer length L (tokens)")
    for L, group in sorted(by_length.items()):
        em, power, positional, multi, multi_ind = [], [], [], [], []
        by_carry: dict[int, list[int]] = defaultdict(list)
        for preds in group:
            n = len(preds)
            e = sum(p["exact"] for p in preds) / n
            p_all = sum(sum(p["token_correct"]) for p in preds) / (n * L)
            p_pos = [sum(p["token_correct"][i] for p in preds) / n for i in range(L)]
            em.append(e)
            power.append(p_all ** L)
            positional.append(math.prod(p_pos))
            wrong = [L - sum(p["token_correct"]) for p in preds]
            bad = [k for k in wrong if k > 0]
            multi.append(sum(k >= 2 for k in bad) / len(bad) if bad else 0.0)
            # independent errors at each position's rate: P(>=2 wrong | >=1 wrong)
            q = [1 - x for x in p_pos]
            none = math.prod(1 - x for x in q)
            one = sum(q[i] * math.prod(1 - q[j] for j in range(L) if j != i) for i in range(L))
            multi_ind.append((1 - none - one) / (1 - none) if none < 1 else 0.0)
            for p in preds:
                by_carry[carries(p["prompt"])].append(int(p["exact"]))
        k = len(group)
        print(f"L={L}: {k} models; exact match {sum(em) / k:.3f}, p^L {sum(power) / k:.3f}, "
              f"prod p_i {sum(positional) / k:.3f}; wrong answers with >=2 wrong tokens {sum(multi) / k:.3f} "
              f"(independent errors: {sum(multi_ind) / k:.3f})")
        print("      exact match by carries: " + ", ".join(
            f"{c}: {sum(v) / len(v):.3f} (n={len(v)})" for c, v in sorted(by_carry.items())))


if __name__ == "__main__":
    main()
