"""Exhibit builders, one module per table or figure, imported in the article's order.

Importing this package fills ``registry.REGISTRY``.
"""

from importlib import import_module

from artifact.exhibits.registry import REGISTRY, select

MODULES = (
    "gsm8k_scaling",
    "gsm8k_example",
    "gsm8k_progress",
    "genread_table",
)

for _name in MODULES:
    import_module(f"artifact.exhibits.{_name}")

__all__ = ["MODULES", "REGISTRY", "select"]
