"""Read what `reproduce` wrote (figures/), for the site: manifest entries, tables, claims."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from artifact import paths
from artifact.errors import SiteError

GITHUB = "https://github.com/emergent-abilities-artifact/closer-look"  # the project's repository


def _load(path: Path) -> dict:
    if not path.is_file():
        raise SiteError(f"{paths.display(path)} is missing (run `python -m artifact reproduce`)")
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SiteError(f"{paths.display(path)} is not valid JSON ({exc}); run `python -m artifact reproduce`") from None


@cache
def manifest(figures: Path = paths.FIGURES_DIR) -> dict:
    return _load(figures / paths.MANIFEST_NAME)


@cache
def claims(figures: Path = paths.FIGURES_DIR) -> dict:
    return _load(figures / "claims.json")


def outputs(exhibit_id: str) -> dict[str, str]:
    entry = manifest()["products"].get(exhibit_id)
    if entry is None:
        raise SiteError(f"exhibit {exhibit_id!r} is not in figures/manifest.json (run `python -m artifact reproduce`)")
    return entry["outputs"]


@cache
def site_json(rel: str):
    """A file `reproduce` wrote for the site (figures/site/<rel>)."""
    path = paths.FIGURES_DIR / "site" / rel
    if not path.is_file():
        raise SiteError(f"{paths.display(path)} is missing (run `python -m artifact reproduce`)")
    return json.loads(path.read_text(encoding="utf-8"))


def read(rel: str) -> str:
    return (paths.FIGURES_DIR / rel).read_text(encoding="utf-8")
