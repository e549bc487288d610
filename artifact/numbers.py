"""Canonical numbers: every float a product writes goes through here.

numpy picks SIMD kernels by CPU at run time, so a derived value (a power law on a log grid, a mean)
can differ in its last bit between machines. Rounding derived values to ``SIGNIFICANT_DIGITS``
significant digits hides that: a one-ulp difference changes the rounded value only when it
straddles a rounding boundary, about one chance in 10^7 per number. Published values keep their
printed digits: the writers pass the set of printed numbers, and those are left as they are (one
number of the Si et al. repository log prints 16 digits).
"""

from __future__ import annotations

import math
from typing import Any

SIGNIFICANT_DIGITS = 9


def canonical(value: float) -> float:
    """``value`` rounded to ``SIGNIFICANT_DIGITS`` significant digits (non-finite values unchanged)."""
    if not math.isfinite(value) or value == 0.0:
        return 0.0 if value == 0.0 else value  # folds -0.0 into 0.0
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def _keep_or_canonical(value: float, keep: frozenset[float]) -> float:
    return value if value in keep else canonical(value)


def canonical_tree(obj: Any, keep: frozenset[float] = frozenset()) -> Any:
    """A JSON-like structure with every float made canonical, except those in ``keep`` (the printed
    numbers of the evidence); dicts, lists and tuples are copied."""
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, str)):
        return obj
    if isinstance(obj, float):
        return _keep_or_canonical(obj, keep)
    if isinstance(obj, dict):
        return {k: canonical_tree(v, keep) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [canonical_tree(v, keep) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars that slipped into a spec
        return canonical_tree(obj.item(), keep)
    return obj


def canonical_frame(frame, keep: frozenset[float] = frozenset()):
    """A copy of a data frame with every float made canonical, except those in ``keep``."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind == "f":
            out[column] = out[column].map(lambda v: _keep_or_canonical(v, keep), na_action="ignore")
        elif out[column].dtype == object:
            out[column] = out[column].map(lambda v: _keep_or_canonical(v, keep) if isinstance(v, float) else v)
    return out
