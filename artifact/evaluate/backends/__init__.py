"""Generation backends, registered by name and imported only when chosen."""

from __future__ import annotations

from importlib import import_module

from artifact.errors import ModelError

BACKENDS = {"hf": "artifact.evaluate.backends.hf:HFBackend", "vllm": "artifact.evaluate.backends.vllm:VLLMBackend"}


def get_backend(name: str):
    """The backend class for ``name`` (its heavy imports happen here, not at package import)."""
    if name not in BACKENDS:
        raise ModelError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    module, _, cls = BACKENDS[name].partition(":")
    try:
        return getattr(import_module(module), cls)
    except ImportError as exc:
        extra = "eval" if name == "hf" else "vllm"
        raise ModelError(f"backend {name!r} needs packages that are not installed ({exc.name}); "
                         f"pip install -e '.[{extra}]'") from None
