"""Exhibit builders, one module per table or figure, discovered: importing this package imports every
module beside this file (in name order), and each exhibit module's ``@register`` adds its exhibit to
``registry.REGISTRY``. A new exhibit is one new module here; nothing else lists it.

Modules that register nothing (``registry``, ``labels``, shared table helpers) are imported too, which
is harmless. No exhibit imports another (shared derived tables live in artifact/evidence/views.py).
"""

from importlib import import_module
from pathlib import Path

from artifact.exhibits.registry import REGISTRY

for _file in sorted(Path(__file__).resolve().parent.glob("*.py")):
    if not _file.name.startswith("_"):
        import_module(f"{__name__}.{_file.stem}")

__all__ = ["REGISTRY"]
