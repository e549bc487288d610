"""The one place exhibits become files: Vega-Lite JSON, SVG, PNG, Markdown and CSV.

``render(exhibit, evidence)`` returns ``{relative path: bytes}``; it writes nothing, so a
failure in any exhibit leaves ``figures/`` as it was.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re

import pandas as pd

from artifact import fonts
from artifact.numbers import canonical, canonical_frame, canonical_tree
from artifact.evidence.store import Evidence
from artifact.exhibits.registry import LANGS, Chart, Exhibit, Table

PNG_SCALE = 1.5
# oxipng's fastest preset: lossless (same pixels; palette or grey colour types where the picture
# allows), about 6x smaller than vl-convert's output at ~25 ms a chart; same bytes every run.
PNG_OPT_LEVEL = 0
THEME = {
    "font": fonts.FAMILY,
    "background": "white",
    "padding": 8,
    # Only the Regular face ships, so nothing may ask for bold (a fallback font would step in).
    "title": {"anchor": "start", "fontSize": 15, "fontWeight": "normal", "subtitleFontSize": 11,
              "subtitleColor": "#555555", "subtitleFontWeight": "normal", "offset": 10},
    "axis": {"titleFontWeight": "normal", "titleFontSize": 12, "labelFontSize": 11},
    "legend": {"titleFontWeight": "normal", "titleFontSize": 12, "labelFontSize": 11, "orient": "bottom",
               "labelLimit": 400},
    "header": {"titleFontWeight": "normal", "labelFontWeight": "normal", "titleFontSize": 12, "labelFontSize": 12},
    "text": {"fontWeight": "normal"},
    "mark": {"fontWeight": "normal"},
}


SUBTITLE_WIDTH = 110  # in half-width columns; a CJK character counts two
_TOKENS = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+\s*|\s+")


def wrap(text: str, width: int = SUBTITLE_WIDTH) -> list[str]:
    """Break a subtitle into lines of at most ``width`` columns, between words or CJK characters."""
    lines, line, used = [], "", 0
    for token in _TOKENS.findall(text):
        w = sum(2 if "\u2e80" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" else 1 for c in token.rstrip())
        if line and used + w > width:
            lines.append(line.rstrip())
            line, used = "", 0
            token = token.lstrip()
        line += token
        used += w + (len(token) - len(token.rstrip()))
    return lines + ([line.rstrip()] if line.strip() else [])


def chart_spec(exhibit: Exhibit, built: Chart, lang: str, keep: frozenset[float] = frozenset()) -> dict:
    """The Vega-Lite spec of a built chart, titled from the registry and themed."""
    import altair as alt

    subtitle = [line for s in (built.source, built.note) if s for line in wrap(s)]
    chart = built.chart.properties(title=alt.Title(exhibit.title(lang), subtitle=subtitle))
    spec = _renamed_datasets(canonical_tree(chart.to_dict(), keep))
    spec["config"] = THEME
    return spec


def _renamed_datasets(spec: dict) -> dict:
    """Name each inline dataset by a hash of its canonical values.

    Altair names them by a hash of the raw values, whose last bits may depend on the CPU.
    """
    names = {old: "data-" + hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]
             for old, values in spec.get("datasets", {}).items()}

    def rename(obj):
        if isinstance(obj, dict):
            return {names.get(k, k): rename(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [rename(v) for v in obj]
        return names.get(obj, obj) if isinstance(obj, str) else obj

    return rename(spec)


def csv_bytes(frame: pd.DataFrame, keep: frozenset[float] = frozenset()) -> bytes:
    buf = io.StringIO()
    canonical_frame(frame, keep).to_csv(buf, index=False, lineterminator="\n", float_format=None)
    return buf.getvalue().encode("utf-8")


def _cell(value: object, keep: frozenset[float] = frozenset()) -> str:
    if isinstance(value, float) and not pd.isna(value) and value not in keep:
        value = canonical(value)
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    # Cells are text, never HTML: escape markup, then keep line breaks visible.
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", "<br>")


def markdown_table(exhibit: Exhibit, built: Table, lang: str, keep: frozenset[float] = frozenset()) -> bytes:
    """A Markdown fragment: title, table, note and source."""
    frame = built.table
    lines = [f"**{exhibit.title(lang)}**", "", "| " + " | ".join(_cell(c) for c in frame.columns) + " |",
             "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(_cell(v, keep) for v in row) + " |" for row in frame.itertuples(index=False)]
    # the note and source are text too (a note may quote the data set's own markup, such as <<3*7=21>>)
    lines += [f"\n{html.escape(p, quote=False)}" for p in (built.note, built.source) if p]
    return ("\n".join(lines) + "\n").encode("utf-8")


def optimised_png(png: bytes) -> bytes:
    """The same picture, losslessly recompressed, without metadata chunks."""
    import oxipng

    return oxipng.optimize_from_memory(png, level=PNG_OPT_LEVEL, strip=oxipng.StripChunks.safe())


def render(exhibit: Exhibit, evidence: Evidence) -> dict[str, bytes]:
    """Every output file of one exhibit, in both languages, as bytes keyed by relative path."""
    import vl_convert

    fonts.register()
    keep = evidence.printed_numbers()  # published numbers keep every digit they are printed with
    view = evidence.restricted(exhibit.inputs)
    out: dict[str, bytes] = {}
    for lang in LANGS:
        built = exhibit.build(view, lang)
        stem = f"{lang}/{exhibit.id}"
        if isinstance(built, Chart):
            spec = chart_spec(exhibit, built, lang, keep)
            out[f"{stem}.vl.json"] = (json.dumps(spec, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()
            svg = vl_convert.vegalite_to_svg(spec)
            out[f"{stem}.svg"] = svg.encode("utf-8")
            # Rasterising the SVG gives the same bytes as vegalite_to_png without a second Vega run.
            out[f"{stem}.png"] = optimised_png(bytes(vl_convert.svg_to_png(svg, scale=PNG_SCALE)))
        else:
            out[f"{stem}.md"] = markdown_table(exhibit, built, lang, keep)
        if lang == LANGS[0]:
            out[f"{exhibit.id}.csv"] = csv_bytes(built.data, keep)
    return out
