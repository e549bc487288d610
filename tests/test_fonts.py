"""Chinese glyphs render from the shipped font, not as boxes, on any machine."""

from __future__ import annotations

import json

import vl_convert

from artifact import fonts
from artifact.font_coverage import missing_glyphs, required_text


def test_shipped_font_covers_every_character_the_charts_draw():
    text = required_text()
    assert "思" in text and "链" in text
    assert missing_glyphs(text) == []


def test_every_chart_asks_for_the_shipped_font(rebuilt):
    for spec_file in rebuilt.glob("*/*.vl.json"):
        assert json.loads(spec_file.read_text(encoding="utf-8"))["config"]["font"] == fonts.FAMILY


def _render(text: str) -> bytes:
    fonts.register()
    spec = {"data": {"values": [{}]}, "mark": {"type": "text", "font": fonts.FAMILY, "fontSize": 40},
            "encoding": {"text": {"value": text}}, "width": 80, "height": 60, "config": {"font": fonts.FAMILY}}
    return bytes(vl_convert.vegalite_to_png(spec))


def test_distinct_chinese_characters_draw_distinct_glyphs():
    # A missing glyph draws the same empty box for every character; real glyphs differ.
    assert _render("思") != _render("维")
    assert missing_glyphs("\ue000") == ["\ue000"]  # the check itself can fail
