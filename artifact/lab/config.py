"""Sweep settings: the named presets (the settings model itself is artifact/evidence/lab_schema.py's)."""

from __future__ import annotations

from artifact.evidence.lab_schema import SweepConfig

__all__ = ["PRESETS", "SweepConfig"]

PRESETS: dict[str, SweepConfig] = {
    # Two tiny sizes and a few dozen steps: exercises every stage in seconds (used by the tests).
    "smoke": SweepConfig(digits=2, train_items=1000, heldout_items=40, widths=(4, 8), seeds=(0, 1), tokens=20_000,
                         warmup_steps=10),
    # 8 sizes from ~0.6k to ~100k parameters, 3 seeds: about 6 minutes on 2 CPU cores.
    "default": SweepConfig(),
    # 12 sizes up to ~400k parameters, 10 seeds: about 30 minutes on 2 cores (scales with --jobs).
    "full": SweepConfig(widths=(4, 6, 8, 12, 16, 20, 24, 32, 48, 64, 96, 128), seeds=tuple(range(10))),
    # Answer length as an axis: 2-, 3- and 4-digit operands (answers of 4, 5 and 6 tokens with the end
    # mark) x 6 sizes x 3 seeds, at the same 1.2M-token budget as the default sweep. Every held-out set
    # has 500 problems (one problem = 0.2%; all the 2-digit task has) and every training set the 9,500
    # pairs the 2-digit task has. 5-digit operands were left out: in a pilot at 1.0M tokens, models of
    # widths 32 and 64 (seed 0) learned no 5-digit answer (exact match 0, per-token accuracy 0.35 and 0.42). The shipped run used
    # 1,456 CPU-seconds: about 12 minutes on two free cores (see docs/lab.md).
    "lengths": SweepConfig(digits=(2, 3, 4), train_items=9500, heldout_items=500, widths=(8, 16, 24, 32, 48, 64)),
    # The same shape in seconds (used by the tests).
    "lengths-smoke": SweepConfig(digits=(2, 3), train_items=1000, heldout_items=40, widths=(4, 8), seeds=(0,),
                                 tokens=20_000, warmup_steps=10),
    # The article's headline in miniature: 3-digit addition with the sum written as usual (most significant
    # digit first), trained with direct targets and with a scratchpad of column totals, 8 sizes x 3 seeds x 2
    # formats, the same 20,000 problems and 2,884 optimiser steps for both (the default sweep's 1.2M tokens
    # counted in direct targets; the scratchpad's longer targets see 1.8M). Chosen by a pilot (seed 0, 1.2M
    # tokens): at width 64, 3-digit direct targets reached exact match 0.79 and 4-digit ones 0.41 (the
    # scratchpad 1.00 in both), so only the 3-digit task lets the grid reach "both formats learn" within the
    # budget; at width 16 neither learned (exact match 0.00 to 0.01 in both tasks).
    "cot": SweepConfig(formats=("direct", "scratchpad"), widths=(8, 16, 24, 32, 48, 64, 96, 128)),
    # The same shape in seconds (used by the tests).
    "cot-smoke": SweepConfig(digits=2, formats=("direct", "scratchpad"), train_items=1000, heldout_items=40,
                             widths=(4, 8), seeds=(0, 1), tokens=20_000, warmup_steps=10),
}
