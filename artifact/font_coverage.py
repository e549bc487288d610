"""Which characters the charts draw, and which of them the shipped font lacks: a check over every built
chart (used by the font tests and tools/make_font_subset.py), so it sits beside the build, not among
the utilities in artifact/fonts that the charts themselves import."""

from __future__ import annotations

from artifact.fonts import FONT_FILE


def _strings(node: object):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def required_text() -> str:
    """Every character of every string in every chart spec, both languages (sorted, unique)."""
    from artifact.evidence.store import Evidence
    from artifact.rescore import task_scoring
    from artifact.exhibits import REGISTRY
    from artifact.exhibits.registry import LANGS, Chart
    from artifact.render import chart_spec

    evidence = Evidence(scoring=task_scoring)
    chars: set[str] = set()
    for exhibit in REGISTRY.values():
        for lang in LANGS:
            built = exhibit.build(evidence.restricted(exhibit.inputs), lang)
            if isinstance(built, Chart):
                chars.update("".join(_strings(chart_spec(exhibit, built, lang))))
    return "".join(sorted(c for c in chars if c.isprintable()))


def missing_glyphs(text: str) -> list[str]:
    """Characters of ``text`` the shipped font has no glyph for (spaces aside)."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(FONT_FILE))["cmap"].getBestCmap()
    return sorted({c for c in text if not c.isspace() and ord(c) not in cmap})
