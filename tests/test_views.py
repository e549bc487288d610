"""Structure: derived views live in artifact/evidence/views.py; no exhibit imports another exhibit and the
claims import no exhibit, so neither side depends on the other's import order."""

from __future__ import annotations

import ast
from pathlib import Path

import artifact

PACKAGE = Path(artifact.__file__).parent
EXHIBITS = {p.stem for p in (PACKAGE / "exhibits").glob("*.py")}
SHARED = {"__init__", "registry", "labels", "text_table"}  # exhibit plumbing, not exhibits


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
    return out


def test_no_exhibit_imports_another_exhibit():
    for stem in EXHIBITS - SHARED:
        imports = imported_modules(PACKAGE / "exhibits" / f"{stem}.py")
        others = {m for m in imports if m.startswith("artifact.exhibits.")
                  and m.rsplit(".", 1)[1] not in SHARED}
        assert not others, (stem, others)


def test_claims_and_views_import_no_exhibit_builder():
    """Checks read views, never builders; the claim registry only looks exhibit ids up in the registry."""
    for path in [*(PACKAGE / "claims").glob("*.py"), PACKAGE / "evidence" / "views.py"]:
        allowed = {"artifact.exhibits"} if path.name == "registry.py" else set()
        assert not {m for m in imported_modules(path) if m.startswith("artifact.exhibits")} - allowed, path.name


def test_registry_is_discovered_from_the_package_in_module_order():
    """No hand-kept list: every module of artifact/exhibits is imported, in name order, and the registry
    holds exactly what their registrations add."""
    import artifact.exhibits as package
    from artifact.exhibits import REGISTRY

    order = [e.module_file.stem for e in REGISTRY.values()]
    assert order == sorted(order)
    assert not hasattr(package, "MODULES")
    registering = {stem for stem in EXHIBITS if "@register(" in (PACKAGE / "exhibits" / f"{stem}.py").read_text("utf-8")}
    assert set(order) == registering
