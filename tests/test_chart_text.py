"""No chart text overprints other text or leaves the picture, in either language.

Boxes come from vl-convert's scenegraph of each committed spec (figures/ is checked against a fresh
build by test_reproduce), measured with the shipped font; see tests/chart_overlap.py.
"""

from __future__ import annotations

import json

import pytest
import vl_convert

from artifact import fonts, paths
from artifact.exhibits import REGISTRY
from tests.chart_overlap import collisions, text_boxes, text_width
from artifact.exhibits.registry import LANGS

CHARTS = [(e.id, lang) for e in REGISTRY.values() if e.kind == "chart" for lang in LANGS]


def scenegraph(spec: dict) -> dict:
    fonts.register()
    return vl_convert.vegalite_to_scenegraph(spec)


@pytest.mark.parametrize("exhibit_id, lang", CHARTS)
def test_no_text_overlaps_or_leaves_the_picture(exhibit_id, lang):
    spec = json.loads((paths.FIGURES_DIR / lang / f"{exhibit_id}.vl.json").read_text(encoding="utf-8"))
    graph = scenegraph(spec)
    assert len(text_boxes(graph)) > 5  # the chart's axis labels, titles and legend were all found
    assert collisions(graph) == []


def _labels(points: list[dict], **mark) -> dict:
    return {"data": {"values": points}, "mark": {"type": "text", "fontSize": 14, "font": fonts.FAMILY, **mark},
            "encoding": {"x": {"field": "x", "type": "quantitative", "scale": {"domain": [0, 100]}},
                         "y": {"field": "y", "type": "quantitative", "scale": {"domain": [0, 100]}},
                         "text": {"field": "t"}},
            "width": 200, "height": 100, "config": {"font": fonts.FAMILY}}


def test_a_chart_made_to_collide_fails():
    problems = collisions(scenegraph(_labels([{"x": 50, "y": 50, "t": "Average human rater"},
                                              {"x": 52, "y": 51, "t": "65.2"}])))
    assert any("'Average human rater' overlaps" in p and "'65.2'" in p for p in problems), problems


def test_text_leaving_the_picture_fails():
    # Vega's default autosize grows the picture around its marks; a fixed size lets a label spill.
    spec = _labels([{"x": 98, "y": 50, "t": "a label far too long to fit"}], align="left") | {"autosize": "none"}
    problems = collisions(scenegraph(spec))
    assert any("leaves the" in p and "far too long" in p for p in problems), problems


def test_slanted_neighbours_are_judged_by_their_own_outline():
    # Two labels at -45 degrees side by side: their bounding boxes overlap, the labels do not.
    apart = _labels([{"x": 30, "y": 50, "t": "first label"}, {"x": 45, "y": 50, "t": "second label"}], angle=315)
    assert collisions(scenegraph(apart)) == []
    touching = _labels([{"x": 30, "y": 50, "t": "first label"}, {"x": 33, "y": 50, "t": "second label"}], angle=315)
    assert collisions(scenegraph(touching)) != []


def test_text_width_uses_the_fonts_advances():
    assert text_width("iiii", 11) < text_width("MMMM", 11)
    assert text_width("思维链", 10) == pytest.approx(30, abs=0.5)  # CJK glyphs are one em wide
    assert text_width("a long label", 11, limit=20) == 20
