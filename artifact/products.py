"""What `reproduce` builds: one product per exhibit, plus the claims report and the site data.

A product names the files it reads (evidence and code, for the manifest) and makes its outputs from
one run's ``Inputs``: the evidence, and the claims report computed once and handed to every product
that shows it (the claims report itself and the site's claim cards).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable

from artifact import paths
from artifact.codedeps import code_files
from artifact.errors import UnknownExhibitError
from artifact.evidence.store import Evidence

CLAIMS = "claims"
SITE = "site"  # what the site shows (evidence tables, claim cards), so its build reads only figures/


class Inputs:
    """What every product of one run is built from: the loaded evidence and, on first use, the claims
    report (``reproduce`` asks for it before its workers fork, so it is computed once per run)."""

    def __init__(self, evidence: Evidence):
        self.evidence = evidence

    @cached_property
    def claims(self) -> list:
        from artifact.claims.report import run_claims

        return run_claims(self.evidence, exhibit_ids=_exhibit_ids())


@dataclass(frozen=True)
class Product:
    id: str
    evidence_files: tuple[Path, ...]
    code_files: tuple[Path, ...]  # every module the build imports (artifact/codedeps.py)
    make: Callable[[Inputs], dict[str, bytes]]
    uses_claims: bool = False  # reads ``Inputs.claims``


def _exhibit_ids() -> frozenset[str]:
    # claims validate the exhibit ids they cite against this list; they never import the exhibits themselves
    from artifact.exhibits import REGISTRY

    return frozenset(REGISTRY)


RENDER = paths.PACKAGE_DIR / "render.py"
CLAIMS_REPORT = paths.PACKAGE_DIR / "claims" / "report.py"


def _exhibit_product(exhibit) -> Product:
    from artifact.render import render

    code = tuple(code_files(exhibit.module_file, RENDER))
    return Product(exhibit.id, tuple(exhibit.input_files()), code, lambda run: render(exhibit, run.evidence))


def _claims_evidence() -> tuple[Path, ...]:
    from artifact.claims.registry import CLAIMS_DIR

    # Claims may cite any evidence row, so all of it counts.
    runs = [*paths.evidence_files(paths.RUNS_DIR), *paths.evidence_files(paths.LAB_DIR)]
    return (*sorted(paths.PUBLISHED_DIR.glob("*.csv")), *runs, *sorted(CLAIMS_DIR.glob("*.yaml")))


def _claims_product() -> Product:
    from artifact.claims.report import outputs

    return Product(CLAIMS, _claims_evidence(), tuple(code_files(CLAIMS_REPORT)),
                   lambda run: outputs(run.claims, run.evidence.printed_numbers()), uses_claims=True)


def _site_product() -> Product:
    from artifact.sitedata import site_outputs

    # The cards carry the claims report, so the code that computes it counts too.
    code = tuple(code_files(paths.PACKAGE_DIR / "sitedata.py", CLAIMS_REPORT))
    return Product(SITE, (*_claims_evidence(), paths.REFERENCES_BIB), code,
                   lambda run: site_outputs(run.evidence, run.claims), uses_claims=True)


def products(only: list[str] | None) -> list[Product]:
    """Products in article order (exhibits, then claims, then the site data); all when ``only`` is empty."""
    from artifact.exhibits import REGISTRY

    known = [*REGISTRY, CLAIMS, SITE]
    unknown = [i for i in only or () if i not in known]
    if unknown:
        raise UnknownExhibitError(f"unknown exhibit id {unknown[0]!r}; known: {', '.join(known)}")
    chosen = [i for i in known if not only or i in only]
    special = {CLAIMS: _claims_product, SITE: _site_product}
    return [special[i]() if i in special else _exhibit_product(REGISTRY[i]) for i in chosen]
