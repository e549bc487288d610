"""The site's web fonts: the chart font (artifact/fonts) cut, after the build, to the characters the
built pages and charts use, as two WOFF2 files, Latin and CJK apart.

``site.css`` declares both under the charts' family name with ``unicode-range``, so a browser fetches
only the part a page draws (an English page never the CJK one), and names locally installed CJK fonts
first, so a reader who has one downloads nothing. The 1.9 MB OpenType file itself is never served.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from artifact import fonts

FOLDER = Path("assets") / "fonts"
LATIN, CJK = "artifact-latin.woff2", "artifact-cjk.woff2"
# Must match the unicode-range of the CJK @font-face in docs/assets/site.css.
CJK_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def is_cjk(char: str) -> bool:
    return any(lo <= ord(char) <= hi for lo, hi in CJK_RANGES)


def used_text(site_dir: Path) -> str:
    """Every character of the built pages and chart specs (sorted, once each)."""
    chars: set[str] = set()
    for path in sorted(site_dir.rglob("*")):
        if path.suffix == ".html" or path.name.endswith(".vl.json"):
            chars.update(path.read_text(encoding="utf-8"))
    return "".join(sorted(c for c in chars if c.isprintable() or c == " "))


@cache
def subset(text: str) -> bytes:
    """The chart font cut to ``text``, as WOFF2 (same text, same bytes)."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(fonts.FONT_FILE))
    options = ft_subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    sub = ft_subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def write(site_dir: Path) -> dict[str, int]:
    """Cut and write both subsets into the built site; their sizes in bytes."""
    text = used_text(site_dir)
    parts = {LATIN: "".join(c for c in text if not is_cjk(c)), CJK: "".join(c for c in text if is_cjk(c))}
    folder = site_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, chars in parts.items():
        data = subset(chars)
        (folder / name).write_bytes(data)
        sizes[name] = len(data)
    return sizes
