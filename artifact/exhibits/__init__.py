"""Exhibit builders, one module per table or figure, imported in the article's order.

Importing this package fills ``registry.REGISTRY`` in that order. No exhibit imports another (shared
derived tables live in artifact/evidence/views.py), so import order is registration order.
"""

from importlib import import_module

from artifact.exhibits.registry import REGISTRY

MODULES = (
    "gsm8k_scaling",
    "gsm8k_example",
    "gsm8k_progress",
    "genread_table",
    "knowledge_table",
    "ood_gpt3_vs_roberta",
    "ood_complex_prompts",
    "scaling_vs_emergence",
    "lab_emergence",
    "lab_lengths",
    "lab_cot",
    "paradigm_table",
    "flan_table5",
    "cot_threshold",
    "bbh_cot",
    "emergent_tasks",
    "glossary",
)

for _name in MODULES:
    import_module(f"artifact.exhibits.{_name}")

__all__ = ["MODULES", "REGISTRY"]
