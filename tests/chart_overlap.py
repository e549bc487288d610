"""Where a chart's text lands: every text item's box from vl-convert's scenegraph, and the
collisions among them (two texts overprinting, or a text leaving the picture).

The scenegraph gives each text item its anchor, font size, alignment, baseline and angle but no
size, so widths come from the shipped font's advance widths (the font every chart uses), and the
box is placed the way Vega's own text bounds do (vega-scenegraph ``text.js``: 0.8 of the font
size above the baseline, baseline offsets 0.79 / 0.30 / -0.21 of it). Rotated labels keep their
rotated rectangle, so two slanted neighbours do not collide through their bounding boxes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from artifact.fonts import FONT_FILE

_BASELINE = {"top": 0.79, "middle": 0.30, "bottom": -0.21}
TOUCH = 0.5  # px: boxes closer than this count as overprinting (edges of glyphs meet)


@dataclass(frozen=True)
class TextBox:
    text: str
    role: str
    corners: tuple[tuple[float, float], ...]  # four corners, in picture pixels

    def bounds(self) -> tuple[float, float, float, float]:
        xs, ys = [c[0] for c in self.corners], [c[1] for c in self.corners]
        return min(xs), min(ys), max(xs), max(ys)


@cache
def _advances() -> tuple[dict[int, float], float]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_FILE))
    cmap, hmtx, upem = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    return {code: hmtx[name][0] / upem for code, name in cmap.items()}, 1.0


def text_width(text: str, size: float, limit: float = 0) -> float:
    """Advance width of ``text`` at ``size`` px in the shipped font, cut at ``limit`` like Vega's ellipsis."""
    widths, fallback = _advances()
    w = sum(widths.get(ord(c), fallback) for c in text) * size
    return min(w, limit) if limit else w


def _item_box(item: dict, role: str, ox: float, oy: float) -> TextBox | None:
    text = item.get("text")
    lines = [str(t) for t in text] if isinstance(text, list) else [str(text if text is not None else "")]
    if not any(s.strip() for s in lines) or item.get("opacity", 1) == 0 or item.get("fillOpacity", 1) == 0:
        return None
    size = float(item.get("fontSize", 11))
    line_height = float(item.get("lineHeight", size + 2))
    width = max(text_width(s, size, float(item.get("limit", 0) or 0)) for s in lines)
    height = size + line_height * (len(lines) - 1)
    x, y = ox + float(item.get("x", 0) or 0), oy + float(item.get("y", 0) or 0)
    dx = float(item.get("dx", 0) or 0)
    dy = float(item.get("dy", 0) or 0) + round(_BASELINE.get(item.get("baseline", "alphabetic"), 0) * size) \
        - round(0.8 * size)
    align = item.get("align", "left")
    dx -= width / 2 if align == "center" else width if align == "right" else 0
    x1, y1 = x + dx, y + dy
    rect = ((x1, y1), (x1 + width, y1), (x1 + width, y1 + height), (x1, y1 + height))
    angle = math.radians(float(item.get("angle", 0) or 0))
    if angle:
        c, s = math.cos(angle), math.sin(angle)
        rect = tuple((x + (px - x) * c - (py - y) * s, y + (px - x) * s + (py - y) * c) for px, py in rect)
    return TextBox(lines[0] if len(lines) == 1 else " / ".join(lines), role, rect)


def text_boxes(scenegraph: dict) -> list[TextBox]:
    """Every visible text item of a ``vl_convert.vegalite_to_scenegraph`` result, in picture pixels."""
    boxes: list[TextBox] = []

    def walk(mark: dict, ox: float, oy: float) -> None:
        role = mark.get("role") or mark.get("name") or ""
        for item in mark.get("items") or []:
            if mark.get("marktype") == "text":
                box = _item_box(item, role, ox, oy)
                if box:
                    boxes.append(box)
            elif mark.get("marktype") == "group":
                gx, gy = ox + float(item.get("x", 0) or 0), oy + float(item.get("y", 0) or 0)
                for child in item.get("items") or []:
                    walk(child, gx, gy)

    ox, oy = scenegraph.get("origin", (0, 0))
    walk(scenegraph["scenegraph"], float(ox), float(oy))
    return boxes


def _separated(a: TextBox, b: TextBox, gap: float) -> bool:
    """Separating-axis test on two rectangles: some edge normal keeps them ``gap`` apart."""
    for poly in (a.corners, b.corners):
        for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1]):
            nx, ny = y1 - y2, x2 - x1
            norm = math.hypot(nx, ny) or 1.0
            pa = [(px * nx + py * ny) / norm for px, py in a.corners]
            pb = [(px * nx + py * ny) / norm for px, py in b.corners]
            if max(pa) + gap <= min(pb) or max(pb) + gap <= min(pa):
                return True
    return False


def collisions(scenegraph: dict, gap: float = TOUCH) -> list[str]:
    """Human-readable problems: text pairs that overprint, and texts that leave the picture."""
    boxes = text_boxes(scenegraph)
    width, height = float(scenegraph["width"]), float(scenegraph["height"])
    problems = []
    for box in boxes:
        x1, y1, x2, y2 = box.bounds()
        if x1 < -0.5 or y1 < -0.5 or x2 > width + 0.5 or y2 > height + 0.5:
            problems.append(f"{box.role} {box.text!r} leaves the {width:.0f}x{height:.0f} picture "
                            f"({x1:.0f},{y1:.0f})-({x2:.0f},{y2:.0f})")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if not _separated(a, b, gap):
                problems.append(f"{a.role} {a.text!r} overlaps {b.role} {b.text!r}")
    return problems
