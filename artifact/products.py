"""What `reproduce` builds: one product per exhibit, plus the claims report.

A product names the files it reads (evidence and code, for the manifest) and makes its outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from artifact import paths
from artifact.codedeps import code_files
from artifact.errors import UnknownExhibitError
from artifact.evidence.store import Evidence

CLAIMS = "claims"
SITE = "site"  # what the site shows (evidence tables, claim cards), so its build reads only figures/


@dataclass(frozen=True)
class Product:
    id: str
    evidence_files: tuple[Path, ...]
    code_files: tuple[Path, ...]  # every module the build imports (artifact/codedeps.py)
    make: Callable[[Evidence], dict[str, bytes]]


RENDER = paths.PACKAGE_DIR / "render.py"


def _exhibit_product(exhibit) -> Product:
    from artifact.render import render

    code = tuple(code_files(exhibit.module_file, RENDER))
    return Product(exhibit.id, tuple(exhibit.input_files()), code, lambda ev: render(exhibit, ev))


def _claims_product() -> Product:
    from artifact.claims.registry import CLAIMS_DIR
    from artifact.claims.report import outputs, run_claims

    # Claims may cite any evidence row, so all of it counts.
    runs = [*paths.evidence_files(paths.RUNS_DIR), *paths.evidence_files(paths.LAB_DIR)]
    evidence = (*sorted(paths.PUBLISHED_DIR.glob("*.csv")), *runs, *sorted(CLAIMS_DIR.glob("*.yaml")))
    code = tuple(code_files(CLAIMS_DIR / "report.py"))
    return Product(CLAIMS, evidence, code, lambda ev: outputs(run_claims(ev), ev.printed_numbers()))


def _site_product() -> Product:
    from artifact.site.data import site_outputs

    claims = _claims_product()
    code = tuple(code_files(paths.PACKAGE_DIR / "site" / "data.py"))
    return Product(SITE, (*claims.evidence_files, paths.REFERENCES_BIB), code, site_outputs)


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
