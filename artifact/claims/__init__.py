"""Claims: every statement of the article, its test against the evidence, and the expected status."""

from __future__ import annotations

__all__ = ["ClaimResult", "run_claims"]


def __getattr__(name: str):
    # Lazy: importing artifact.claims.schema (e.g. for STATUSES in a no-op reproduce) must not pull in
    # the checkers, which import pandas, numpy and the evidence views.
    if name in __all__:
        from artifact.claims import report

        return getattr(report, name)
    raise AttributeError(name)
