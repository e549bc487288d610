"""GGUF models converted once into a transformers folder, so that later runs load in seconds.

transformers reads a GGUF file three times in Python (config, tokenizer, weights) and dequantises
every tensor: 35 s for the bundled SmolLM2 on 2 cores, about as long as decoding the benchmark's
64 items. The float32 weights it produces, the config and the tokenizer are saved once (safetensors:
lossless) in the cache, keyed by the file's SHA-256 and the transformers version that converted it,
and later loads read that folder, after checking each tensor file against the SHA-256 recorded at
conversion (about 1 s for SmolLM2's 538 MB; a mismatch converts again, with one warning line). A
test checks the two give the same tokens and weights.
``ARTIFACT_MODEL_CACHE`` names another cache folder; ``ARTIFACT_MODEL_CACHE=off`` converts every time.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import safetensors.torch
import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

from artifact import fsio
from artifact.evaluate.models import ModelSpec
from artifact.hashing import sha256_file

MARKER = "converted-from.txt"  # written last, inside the folder before it is moved into place


def cache_root() -> Path | None:
    setting = os.environ.get("ARTIFACT_MODEL_CACHE", "")
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "artifact" / "models"


def folder_for(spec: ModelSpec) -> Path | None:
    root = cache_root()
    if spec.gguf_file is None or root is None:
        return None
    return root / f"{Path(spec.gguf_file).stem}-{spec.revision[:16]}-transformers-{transformers.__version__}"


def load(spec: ModelSpec, dtype: torch.dtype):
    """(tokenizer, model) of ``spec``; a GGUF file is converted once and then read from the cache, after
    its tensor files are checked against the SHA-256 recorded when they were written."""
    folder = folder_for(spec)
    if folder is not None and (folder / MARKER).is_file():
        problem = _verify(folder)
        if problem is None:
            try:
                return AutoTokenizer.from_pretrained(folder), AutoModelForCausalLM.from_pretrained(folder, dtype=dtype)
            except Exception as exc:  # noqa: BLE001 - whatever is wrong with our own copy, converting again fixes it
                problem = type(exc).__name__
        print(f"warning: ignoring the converted model in {folder} ({problem}); converting again", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
    kwargs = {"gguf_file": spec.gguf_file} if spec.gguf_file else {}
    tokenizer = AutoTokenizer.from_pretrained(spec.path, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(spec.path, dtype=torch.float32 if folder else dtype, **kwargs)
    if folder is not None:
        _save_locked(folder, spec, tokenizer, model)
        model = model.to(dtype)
    return tokenizer, model


def _verify(folder: Path) -> str | None:
    """None when every tensor file has the SHA-256 the marker recorded; else what is wrong."""
    recorded = {}
    for line in (folder / MARKER).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "file-sha256":
            recorded[parts[2]] = parts[1]
    tensors = sorted(p.name for p in folder.glob("*.safetensors"))
    if not recorded or sorted(recorded) != tensors:
        return "no checksum recorded for its tensor files"
    for name, digest in recorded.items():
        if sha256_file(folder / name) != digest:
            return f"{name} does not match the SHA-256 recorded at conversion"
    return None


def _save_locked(folder: Path, spec: ModelSpec, tokenizer, model) -> None:
    """Convert under the cache's lock for this model, after removing what a killed conversion left; a
    cache another process is filling, or that cannot be written, only costs the next run the conversion."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with fsio.Lock(folder.parent / f".{folder.name}.lock", folder, "evaluate (converting)"):
            for orphan in fsio.remove_temporaries(folder.parent):
                if orphan.name.startswith(fsio.temporary_name(folder)):
                    print(f"note: removed {orphan}, left by an interrupted conversion", file=sys.stderr)
            _save(folder, spec, tokenizer, model)
    except (fsio.LockedError, fsio.WriteError, OSError) as exc:
        print(f"note: cannot cache the converted model in {folder.parent} ({getattr(exc, 'strerror', None) or exc})",
              file=sys.stderr)


def _save(folder: Path, spec: ModelSpec, tokenizer, model) -> None:
    """Write the folder under a temporary name, fsync it and move it into place; an error (full disk:
    safetensors raises its own type) leaves nothing behind."""
    tmp = fsio.temporary_folder(folder)
    try:
        # save_pretrained refuses a model loaded from GGUF (it counts as quantised, though its weights
        # are dequantised floats), so the parts are written directly, without the quantisation note.
        config = model.config.to_dict()
        config.pop("quantization_config", None)
        type(model.config).from_dict(config).save_pretrained(tmp)
        model.generation_config.save_pretrained(tmp)
        safetensors.torch.save_model(model, str(tmp / "model.safetensors"))  # tied weights stored once
        tokenizer.save_pretrained(tmp)
        sums = "".join(f"file-sha256 {sha256_file(p)} {p.name}\n" for p in sorted(tmp.glob("*.safetensors")))
        (tmp / MARKER).write_text(f"{spec.gguf_file}\nsha256 {spec.revision}\ntransformers {transformers.__version__}\n"
                                  + sums, encoding="utf-8")
        for p in tmp.iterdir():  # the cache is trusted by every later run: on disk before it is in place
            with open(p, "rb") as f:
                os.fsync(f.fileno())
        fsio.fsync_folder(tmp)
        os.replace(tmp, folder)
        fsio.fsync_folder(folder.parent)
    except Exception as exc:  # noqa: BLE001 - OSError, or safetensors' own error for a full disk
        if not (folder / MARKER).is_file():  # not another process having moved its copy into place first
            reason = getattr(exc, "strerror", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
            print(f"note: cannot cache the converted model in {folder} ({reason})", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
