"""docs/architecture.md (and its Chinese page) describes every top-level module and package of artifact/."""

from __future__ import annotations

import re

import pytest

from artifact import paths


def top_level() -> set[str]:
    """``artifact/<name>.py`` for each module and ``artifact/<name>/`` for each package or data folder."""
    root = paths.PACKAGE_DIR
    modules = {f"artifact/{p.name}" for p in root.glob("*.py")}
    folders = {f"artifact/{p.name}/" for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    return modules | folders


@pytest.mark.parametrize("page", ["architecture.md", "architecture.zh.md"])
def test_every_top_level_module_is_described(page):
    text = (paths.DOCS_DIR / page).read_text(encoding="utf-8")
    table = text.split("## ")[3]  # the "What each part does" section: one row per part
    described = set(re.findall(r"^\| `(artifact/[^`]+)` \|", table, flags=re.M))
    assert top_level() - described == set(), f"{page}: add a row for each of these"
    assert described - top_level() == set(), f"{page}: these no longer exist"


def test_the_page_is_in_the_site_navigation():
    assert "architecture.md" in (paths.REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
