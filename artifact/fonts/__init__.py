"""The one font every chart uses, shipped so PNG and SVG bytes do not depend on the machine.

It is a subset of Noto Sans CJK SC (SIL Open Font License 1.1, see OFL.txt) under a family
name of its own; ``tools/make_font_subset.py`` cuts it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FAMILY = "Artifact Sans SC"
FONT_DIR = Path(__file__).resolve().parent
FONT_FILE = FONT_DIR / "ArtifactSansSC-Regular.otf"
# Charts are drawn with this file: a change to it changes every chart (artifact/codedeps.py reads this).
__data_files__ = ("artifact/fonts/ArtifactSansSC-Regular.otf",)


@cache
def register() -> None:
    """Make the shipped font known to vl-convert (once per process)."""
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIR))
