"""Which files of the package a builder runs: the static import graph, followed from its module.

The manifest records these per product, so changing any code a builder uses (a helper, the
renderer, a loader) marks exactly the products that import it stale, and nothing else. Imports
inside functions count (the project imports heavy modules lazily). Imports by computed name
(``import_module`` in ``artifact/exhibits/__init__.py``) are registry discovery, not a
dependency of one builder, and are not followed.

A module that reads a non-Python file at build time names it in ``__data_files__``, a tuple of
repository-relative paths (the chart font, the bibliography); those count as code too.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from artifact import paths

ROOT_PACKAGE = "artifact"


def _module_file(name: str) -> Path | None:
    """The file that defines module ``name`` (``artifact.x.y``), or None if it is not ours."""
    if name != ROOT_PACKAGE and not name.startswith(ROOT_PACKAGE + "."):
        return None
    base = paths.REPO_ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(file: Path) -> str:
    parts = file.resolve().relative_to(paths.REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _direct(file: Path) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """(modules ``file`` imports, data files it declares), both as files of this repository."""
    tree = ast.parse(file.read_bytes(), filename=str(file))
    package = _module_name(file) if file.name == "__init__.py" else _module_name(file).rpartition(".")[0]
    names: set[str] = set()
    data: list[Path] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
        elif (isinstance(node, ast.Assign) and node in tree.body
              and any(isinstance(t, ast.Name) and t.id == "__data_files__" for t in node.targets)):
            data += [paths.REPO_ROOT / rel for rel in ast.literal_eval(node.value)]
    modules = set()
    for name in names:
        # Importing a.b.c runs a/__init__ and a/b/__init__ too.
        parts = name.split(".")
        for n in range(1, len(parts) + 1):
            f = _module_file(".".join(parts[:n]))
            if f is not None:
                modules.add(f)
    return tuple(sorted(modules)), tuple(sorted(data))


def code_files(*entry_points: Path) -> list[Path]:
    """Every repository file the entry modules run or read as code, themselves included, sorted."""
    seen: set[Path] = set()
    data: set[Path] = set()
    todo = [p.resolve() for p in entry_points]
    while todo:
        file = todo.pop()
        if file in seen:
            continue
        seen.add(file)
        modules, declared = _direct(file)
        data.update(declared)
        todo += [m for m in modules if m not in seen]
    return sorted(seen | data)
