"""GGUF models converted once into a transformers folder, so that later runs load in seconds.

transformers reads a GGUF file three times in Python (config, tokenizer, weights) and dequantises
every tensor: 35 s for the bundled SmolLM2 on 2 cores, about as long as decoding the benchmark's
64 items. The float32 weights it produces, the config and the tokenizer are saved once (safetensors:
lossless) in the cache, keyed by the file's SHA-256 and the transformers version that converted it,
and later loads read that folder. A test checks the two give the same tokens and weights.
``ARTIFACT_MODEL_CACHE`` names another cache folder; ``ARTIFACT_MODEL_CACHE=off`` converts every time.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import safetensors.torch
import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

from artifact.evaluate.models import ModelSpec

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
    """(tokenizer, model) of ``spec``; a GGUF file is converted once and then read from the cache."""
    folder = folder_for(spec)
    if folder is not None and (folder / MARKER).is_file():
        try:
            return AutoTokenizer.from_pretrained(folder), AutoModelForCausalLM.from_pretrained(folder, dtype=dtype)
        except Exception as exc:  # noqa: BLE001 - whatever is wrong with our own copy, converting again fixes it
            print(f"note: ignoring the converted model in {folder} ({type(exc).__name__}); converting again",
                  file=sys.stderr)
            shutil.rmtree(folder, ignore_errors=True)
    kwargs = {"gguf_file": spec.gguf_file} if spec.gguf_file else {}
    tokenizer = AutoTokenizer.from_pretrained(spec.path, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(spec.path, dtype=torch.float32 if folder else dtype, **kwargs)
    if folder is not None:
        _save(folder, spec, tokenizer, model)
        model = model.to(dtype)
    return tokenizer, model


def _save(folder: Path, spec: ModelSpec, tokenizer, model) -> None:
    """Write the folder under a temporary name and move it into place; a cache that cannot be
    written (read-only home, full disk) only costs the next run the conversion again."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as exc:
        print(f"note: cannot cache the converted model in {folder.parent} ({exc.strerror})", file=sys.stderr)
        return
    try:
        # save_pretrained refuses a model loaded from GGUF (it counts as quantised, though its weights
        # are dequantised floats), so the parts are written directly, without the quantisation note.
        config = model.config.to_dict()
        config.pop("quantization_config", None)
        type(model.config).from_dict(config).save_pretrained(tmp)
        model.generation_config.save_pretrained(tmp)
        safetensors.torch.save_model(model, str(tmp / "model.safetensors"))  # tied weights stored once
        tokenizer.save_pretrained(tmp)
        (tmp / MARKER).write_text(f"{spec.gguf_file}\nsha256 {spec.revision}\ntransformers {transformers.__version__}\n",
                                  encoding="utf-8")
        os.replace(tmp, folder)
    except OSError as exc:  # includes another process having moved its copy into place first
        if not (folder / MARKER).is_file():
            print(f"note: cannot cache the converted model in {folder} ({exc.strerror})", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
