"""figures/manifest.json: what made each output (evidence and code hashes) and its hash.

Reading and checking the manifest imports nothing heavy, so a no-op ``reproduce`` stays fast.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from artifact import paths
from artifact.errors import ManifestError
from artifact.hashing import sha256_file

# 2: code inputs come from each product's import graph (artifact/codedeps.py), not a shared list.
# 3: the entries are under "products" (exhibits, the claims report and the site data), not "exhibits".
FORMAT = 3
TOOLS = ("altair", "vl-convert-python", "pandas")


def catalog_files() -> list[Path]:
    """The files that say which products exist: products.py and every module of the exhibits package
    (exhibits are discovered, so a new module there must not go unnoticed by a no-op run)."""
    return [paths.PACKAGE_DIR / "products.py", *sorted((paths.PACKAGE_DIR / "exhibits").glob("*.py"))]


def catalog_hashes() -> dict[str, str]:
    return file_hashes(catalog_files())


def tool_versions() -> dict[str, str]:
    return {name: version(name) for name in TOOLS}


def file_hashes(files: list[Path]) -> dict[str, str]:
    """{repository-relative path: sha256}."""
    return {paths.display(p): sha256_file(p) for p in files}


def product_inputs(evidence: list[Path], code: list[Path]) -> dict[str, dict[str, str]]:
    """The hashes that decide whether a product (an exhibit, the claims report, the site data) must be rebuilt."""
    return {"evidence": file_hashes(sorted(evidence)), "builder": file_hashes(sorted(set(code)))}


def empty() -> dict:
    return {"format": FORMAT, "products": {}}


def load(out_dir: Path) -> dict:
    """The manifest in ``out_dir``; an empty one when there is none or it has an older format."""
    from artifact.errors import EvidenceError
    from artifact.strict import load_json

    path = out_dir / paths.MANIFEST_NAME
    if not path.is_file():
        return empty()
    fix = "restore it from git, or delete it to rebuild every exhibit"
    try:
        data = load_json(path)
    except EvidenceError as exc:
        # treating it as empty would silently rebuild everything and hide what happened to the file
        where = f", line {exc.line}" if exc.line else ""
        raise ManifestError(f"{paths.display(path)}{where}: not a valid manifest ({exc.problem}); {fix}") from None
    if not isinstance(data, dict) or not isinstance(data.get("products", {}), dict):
        raise ManifestError(f"{paths.display(path)}: not a valid manifest (expected an object with 'products'); {fix}")
    if data.get("format") != FORMAT:
        return empty()
    for name, entry in data["products"].items():
        problem = _entry_problem(entry)
        if problem:
            raise ManifestError(f"{paths.display(path)}: not a valid manifest (entry '{name}': {problem}); {fix}")
    return data


def _entry_problem(entry: object) -> str | None:
    """What is wrong with one manifest entry's shape, or None."""
    if not isinstance(entry, dict):
        return f"expected an object, found {type(entry).__name__}"
    for group in ("evidence", "builder", "outputs"):
        files = entry.get(group, {})
        if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            return f"'{group}' must map file names to hashes"
        if any(Path(k).is_absolute() or ".." in Path(k).parts for k in files):
            return f"'{group}' names a file outside its folder"
    if not isinstance(entry.get("order", 0), int):
        return "'order' must be a whole number"
    return None


def dumps(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def outputs_intact(entry: dict, out_dir: Path) -> bool:
    """Every output an entry lists exists with the recorded hash."""
    return all((out_dir / rel).is_file() and sha256_file(out_dir / rel) == digest
               for rel, digest in entry.get("outputs", {}).items())


def evidence_on_disk() -> set[str]:
    """Every evidence file now present (a new run folder must not go unnoticed by a no-op check)."""
    folders = (paths.PUBLISHED_DIR, paths.TEXT_DIR, paths.RUNS_DIR, paths.LAB_DIR, paths.PACKAGE_DIR / "claims")
    return {paths.display(p) for folder in folders for p in paths.evidence_files(folder)
            if p.suffix in (".csv", ".yaml", ".json", ".jsonl", ".md")}


def recorded_inputs_fresh(manifest: dict) -> bool:
    """True when every file any entry recorded still has its recorded hash and no evidence file
    appeared that no entry recorded (no import needed)."""
    if manifest.get("tools") != tool_versions() or manifest.get("catalog") != catalog_hashes():
        return False
    recorded = {rel for e in manifest["products"].values() for rel in e.get("evidence", {})}
    if not evidence_on_disk() <= recorded:
        return False
    hashes: dict[str, str | None] = {}
    for entry in manifest["products"].values():
        for group in ("evidence", "builder"):
            for rel, digest in entry.get(group, {}).items():
                if rel not in hashes:
                    p = paths.REPO_ROOT / rel
                    hashes[rel] = sha256_file(p) if p.is_file() else None
                if hashes[rel] != digest:
                    return False
    return True
