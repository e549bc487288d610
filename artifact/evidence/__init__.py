"""Evidence: the only input. Typed rows, validated on load; a bad file raises EvidenceError."""

from importlib import import_module

__all__ = ["PublishedRow", "load_published", "published_frame"]
# Imported on first use, so that importing a submodule does not pay for pandas.
_WHERE = {"load_published": "published", "published_frame": "published", "PublishedRow": "schema"}


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'artifact.evidence' has no attribute {name!r}")
    return getattr(import_module(f"artifact.evidence.{_WHERE[name]}"), name)
