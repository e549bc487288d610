"""Claims: every statement of the article, its test against the evidence, and the expected status."""

from artifact.claims.report import ClaimResult, run_claims

__all__ = ["ClaimResult", "run_claims"]
