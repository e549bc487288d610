"""figures/manifest.json: what made each output (input, builder and renderer hashes) and its hash.

Reading and checking the manifest imports nothing heavy, so a no-op ``reproduce`` stays fast.
"""

from __future__ import annotations

import json
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

from artifact import paths
from artifact.hashing import sha256_file

FORMAT = 1
# Files every exhibit depends on besides its own inputs and builder: changing one rebuilds all.
SHARED = (
    "artifact/render.py", "artifact/manifest.py", "artifact/hashing.py", "artifact/exhibits/__init__.py",
    "artifact/exhibits/registry.py", "artifact/exhibits/labels.py", "artifact/exhibits/text_table.py",
    "artifact/evidence/schema.py", "artifact/evidence/published.py", "artifact/evidence/text.py",
    "artifact/evidence/store.py", "artifact/evidence/bib.py", "artifact/evidence/runs.py", "artifact/evidence/lab.py",
    "artifact/evidence/lab_lengths.py", "artifact/lab/score.py", "artifact/lab/config.py", "artifact/fonts/__init__.py",
    "artifact/fonts/ArtifactSansSC-Regular.otf",
    "docs/references.bib",
)
TOOLS = ("altair", "vl-convert-python", "pandas")


def tool_versions() -> dict[str, str]:
    return {name: version(name) for name in TOOLS}


def file_hashes(files: list[Path] | tuple[str, ...]) -> dict[str, str]:
    """{repository-relative path: sha256} for files given as Paths or repository-relative strings."""
    out = {}
    for f in files:
        p = f if isinstance(f, Path) else paths.REPO_ROOT / f
        out[paths.display(p)] = sha256_file(p)
    return out


def product_inputs(evidence: list[Path], builders: list[Path]) -> dict[str, dict[str, str]]:
    """The hashes that decide whether an output group (an exhibit, the claims report) must be rebuilt."""
    return {"evidence": file_hashes(sorted(evidence)), "builder": file_hashes(sorted(set(builders)))}


def local_imports(module_file: Path) -> set[Path]:
    """Sibling exhibit modules a builder imports (e.g. cot_threshold uses flan_table5's parser)."""
    text = module_file.read_text(encoding="utf-8")
    folder = module_file.parent
    return {folder / f"{name}.py" for name in (p.stem for p in folder.glob("*.py"))
            if f"artifact.exhibits.{name} import" in text and name not in ("registry", "labels", "text_table")}


def load(out_dir: Path) -> dict:
    """The manifest in ``out_dir``, or an empty one."""
    path = out_dir / paths.MANIFEST_NAME
    if not path.is_file():
        return {"format": FORMAT, "exhibits": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {"format": FORMAT, "exhibits": {}}
    return data if data.get("format") == FORMAT else {"format": FORMAT, "exhibits": {}}


def dumps(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def outputs_intact(entry: dict, out_dir: Path) -> bool:
    """Every output an entry lists exists with the recorded hash."""
    return all((out_dir / rel).is_file() and sha256_file(out_dir / rel) == digest
               for rel, digest in entry.get("outputs", {}).items())


def evidence_on_disk() -> set[str]:
    """Every evidence file now present (a new run folder must not go unnoticed by a no-op check)."""
    folders = (paths.PUBLISHED_DIR, paths.TEXT_DIR, paths.RUNS_DIR, paths.LAB_DIR, paths.PACKAGE_DIR / "claims")
    return {paths.display(p) for folder in folders if folder.is_dir() for p in folder.rglob("*")
            if p.is_file() and p.suffix in (".csv", ".yaml", ".json", ".jsonl", ".md")}


def recorded_inputs_fresh(manifest: dict) -> bool:
    """True when every file any entry recorded still has its recorded hash and no evidence file
    appeared that no entry recorded (no import needed)."""
    if manifest.get("shared") != file_hashes(SHARED) or manifest.get("tools") != tool_versions():
        return False
    recorded = {rel for e in manifest["exhibits"].values() for rel in e.get("evidence", {})}
    if not evidence_on_disk() <= recorded:
        return False
    for entry in manifest["exhibits"].values():
        for group in ("evidence", "builder"):
            for rel, digest in entry.get(group, {}).items():
                p = paths.REPO_ROOT / rel
                if not p.is_file() or sha256_file(p) != digest:
                    return False
    return True


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename, so no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
