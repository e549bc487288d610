"""Which files of the package a builder runs: the static import graph, followed from its module.

The manifest records these per product, so changing any code a builder uses (a helper, the
renderer, a loader) marks exactly the products that import it stale, and nothing else. Imports
inside functions count (the project imports heavy modules lazily).

A package whose ``__init__`` imports by computed name (``import_module``: the exhibit registry
discovers its modules that way) may run any module beside it, so a module that uses the package
itself (``from artifact.exhibits import REGISTRY``) depends on all of them: the site data lists every
exhibit's title, and must be rebuilt when one changes. A module that only imports a submodule
(``from artifact.exhibits.registry import register``) runs the discovery too, but reads nothing it
adds, so one exhibit's builder does not depend on every other exhibit.

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
def discovered(init: Path) -> tuple[Path, ...]:
    """The modules a package's ``__init__`` may import by computed name: all of its own modules when it
    calls ``import_module``, else none."""
    tree = ast.parse(init.read_bytes(), filename=str(init))
    calls = any(isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) == "import_module"
                for n in ast.walk(tree))
    return tuple(sorted(p for p in init.parent.glob("*.py") if p != init)) if calls else ()


def _imported_names(tree: ast.Module, package: str) -> tuple[set[str], set[str]]:
    """(every module name imported, the packages whose own namespace is used: ``import pkg``,
    ``from pkg import name`` where ``name`` is not a submodule)."""
    names: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            used.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
            if any(_module_file(f"{base}.{alias.name}") is None for alias in node.names):
                used.add(base)
    return names, used


@cache
def _direct(file: Path) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """(modules ``file`` imports, data files it declares), both as files of this repository."""
    tree = ast.parse(file.read_bytes(), filename=str(file))
    package = _module_name(file) if file.name == "__init__.py" else _module_name(file).rpartition(".")[0]
    names, used = _imported_names(tree, package)
    data = [paths.REPO_ROOT / rel for node in tree.body if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__data_files__" for t in node.targets)
            for rel in ast.literal_eval(node.value)]
    modules = set()
    for name in names:
        # Importing a.b.c runs a/__init__ and a/b/__init__ too.
        parts = name.split(".")
        for n in range(1, len(parts) + 1):
            f = _module_file(".".join(parts[:n]))
            if f is not None:
                modules.add(f)
    for name in used:
        f = _module_file(name)
        if f is not None and f.name == "__init__.py":
            modules.update(discovered(f))
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
