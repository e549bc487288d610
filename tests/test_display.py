"""One table each for the claim status words and papers' display names (artifact/display.py)."""

from __future__ import annotations

import re

from artifact import paths
from artifact.display import STATUS_WORDS, STATUSES, paper_name, status_mark, status_word


def test_every_status_has_a_word_in_each_language_and_a_mark():
    assert tuple(STATUS_WORDS) == STATUSES
    for status in STATUSES:
        assert status_word(status, "en") == status and status_word(status, "zh") and len(status_mark(status)) == 1
    assert len({status_mark(s) for s in STATUSES}) == len(STATUSES)


def test_paper_names():
    assert paper_name("Wei", "en") == "Wei et al." and paper_name("Wei", "zh") == "Wei 等"
    assert paper_name("Cobbe", "zh", several_authors=False) == "Cobbe"


def test_no_other_module_keeps_its_own_copy():
    """The words live in one table: a second dict of them elsewhere in the package is a copy to delete."""
    copies = re.compile(r'"(有出入|不可检验|无法核实|✓|≈)"|" et al\."|" 等"')
    found = [f"{p.relative_to(paths.REPO_ROOT)}:{n}" for p in sorted(paths.PACKAGE_DIR.rglob("*.py"))
             if p.name != "display.py" for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if copies.search(line)]
    assert not found, found
