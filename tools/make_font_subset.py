"""Maintainer tool: cut the shipped CJK font subset from Debian's fonts-noto-cjk.

The PNGs are rendered with this font alone, so their bytes do not depend on the fonts a
machine happens to have. Re-run it (``apt-get install fonts-noto-cjk`` first) when a chart
needs a character the subset lacks; ``tests/test_fonts.py`` says which one.

    python tools/make_font_subset.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from artifact.fonts import FAMILY, FONT_FILE  # noqa: E402
from artifact.font_coverage import required_text  # noqa: E402

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SC_INDEX = 2  # face "Noto Sans CJK SC" inside the collection


def gb2312_level1() -> str:
    """The 3,755 most common simplified characters, so prose edits rarely need a re-cut."""
    chars = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


def main() -> None:
    font = TTCollection(str(SOURCE)).fonts[SC_INDEX]
    text = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(chr(c) for c in range(0xA0, 0x180))
    text += "–—‘’“”…•·×÷−≈≤≥→←↑↓±‰%（）《》「」『』【】、。，；：？！·…"
    text += "".join(chr(c) for c in range(0x391, 0x3CA))  # Greek, for constants such as α_N
    text += gb2312_level1() + required_text()
    options = subset.Options()
    options.name_IDs = ["*"]
    options.layout_features = ["*"]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    # A family name of our own, so a system-wide Noto Sans CJK never stands in for the subset.
    for rec in font["name"].names:
        if rec.nameID in (1, 16):
            rec.string = FAMILY
        elif rec.nameID == 4:
            rec.string = FAMILY + " Regular"
        elif rec.nameID == 6:
            rec.string = FAMILY.replace(" ", "") + "-Regular"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [FAMILY.replace(" ", "") + "-Regular"]
    FONT_FILE.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(FONT_FILE))
    print(f"wrote {FONT_FILE.relative_to(ROOT)} ({FONT_FILE.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
