"""Live charts on the site: the assets that let a page draw each exhibit from its Vega-Lite spec.

The page keeps the PNG (the picture without JavaScript, and a download); ``charts.js`` draws the
committed ``figures/<lang>/<id>.vl.json`` over it with vega-embed. The script bundle is
vl-convert's ``javascript_bundle()`` (Vega, Vega-Lite and vega-embed at the versions that
rendered the PNG and SVG), written at build time, so the site needs no CDN. Only pages that hold a
chart load these (theme/main.html, deferred); the charts' font is served as WOFF2 subsets
(artifact/site/webfonts.py).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ASSETS = "assets/charts"
STATIC = Path(__file__).resolve().parent / "static"
BUNDLE = f"{ASSETS}/vega-bundle.js"
SCRIPTS = (BUNDLE, f"{ASSETS}/charts.js")
STYLES = (f"{ASSETS}/charts.css",)


@cache
def vega_bundle() -> Path:
    """Vega, Vega-Lite and vega-embed as one script (about 0.9 MB; same text on every call), in a
    temporary file: the i18n plugin copies every site file from a path on disk."""
    import tempfile

    import vl_convert

    path = Path(tempfile.mkdtemp(prefix="artifact-site-")) / "vega-bundle.js"
    path.write_text(vl_convert.javascript_bundle(), encoding="utf-8")
    return path


def asset_files(config) -> list:
    """The generated site files: the bundle, the page script and styles."""
    from mkdocs.structure.files import File

    return [File.generated(config, BUNDLE, abs_src_path=str(vega_bundle())),
            File.generated(config, f"{ASSETS}/charts.js", abs_src_path=str(STATIC / "charts.js")),
            File.generated(config, f"{ASSETS}/charts.css", abs_src_path=str(STATIC / "charts.css"))]
