"""The bilingual site: strict build, then headless Chromium (Debian's, driven by Playwright).

Browser tests need /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it).
"""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from artifact import paths

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=paths.REPO_ROOT,
                            capture_output=True, text=True, timeout=600,
                            env={"PYTHONPATH": str(paths.REPO_ROOT), "NO_MKDOCS_2_WARNING": "1",
                                 "PATH": "/usr/bin:/bin", "HOME": str(out)})
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def pages(site: Path) -> list[str]:
    """Site-relative URLs of every HTML page (directory URLs)."""
    out = []
    for f in sorted(site.rglob("index.html")):
        rel = f.parent.relative_to(site).as_posix()
        out.append("" if rel == "." else rel + "/")
    return out


def test_every_english_page_has_a_chinese_counterpart(site):
    en = [p for p in pages(site) if not p.startswith("zh/")]
    zh = {p.removeprefix("zh/") for p in pages(site) if p.startswith("zh/")}
    assert len(en) >= 17 and set(en) == zh


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.srcs = set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img" and a.get("src"):
            self.srcs.append(a["src"])


@functools.cache
def _parse(path: Path) -> _Collect:
    c = _Collect()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def _site_prefix() -> str:
    """The path part of site_url: absolute links on the deployed site start with it."""
    import yaml

    config = yaml.safe_load((paths.REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nplugins:")[0])
    return urlparse(config["site_url"]).path


def test_no_internal_link_or_anchor_is_broken(site):
    prefix = _site_prefix()
    broken = []
    for page in pages(site):
        here = site / page / "index.html"
        base = "http://site/" + page
        for href in _parse(here).links + _parse(here).srcs:
            url = urlparse(urljoin(base, href))
            if url.netloc != "site":
                continue
            path = unquote(url.path)
            path = "/" + path[len(prefix):] if path.startswith(prefix) else path
            target = site / path.lstrip("/")
            if target.is_dir() or not target.suffix:
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page}: {href}")
            elif url.fragment and target.suffix == ".html" and url.fragment not in _parse(target).ids:
                broken.append(f"{page}: {href} (no #{url.fragment})")
    assert broken == []


def _marks(path: Path) -> tuple[list[str], list[str]]:
    text = path.read_text(encoding="utf-8")
    return sorted(re.findall(r'id="exhibit-([\w-]+)"', text)), sorted(re.findall(r'id="claim-([\w-]+)"', text))


def _numbers_in_tables(path: Path) -> tuple[list[str], list[str]]:
    """Per claim: status and computed value; and every decimal number the claims tables show."""
    text = path.read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-status="([^"]+)" data-section="[^"]+" data-observed="([^"]*)">', text)
    tables = " ".join(re.findall(r'<table class="claims-table">.*?</table>', text, flags=re.S))
    decimals = set(re.findall(r"-?\d+\.\d+", re.sub("<[^>]+>", " ", tables).replace(",", "")))
    return sorted(rows), sorted(decimals)


def test_both_languages_cite_the_same_exhibits_claims_and_numbers(site):
    for page in pages(site):
        if page.startswith("zh/") or page.startswith("api/"):
            continue
        en, zh = site / page / "index.html", site / "zh" / page / "index.html"
        assert _marks(en) == _marks(zh), page
        assert _numbers_in_tables(en) == _numbers_in_tables(zh), page


def test_references_page_lists_every_bib_entry(site):
    from pybtex.database import parse_file

    keys = set(parse_file(str(paths.REFERENCES_BIB)).entries)
    ids = _parse(site / "references" / "index.html").ids
    assert keys <= ids


def test_unknown_citation_key_fails_the_build(tmp_path):
    from mkdocs.exceptions import PluginError

    from artifact.site import hooks

    class Page:
        class file:
            src_uri = "article/x.md"

    with pytest.raises(PluginError, match="unknown citation key 'nobody2099'"):
        hooks.on_page_markdown("As shown [@nobody2099].", Page, {"theme": {"language": "en"}}, None)
    with pytest.raises(PluginError, match="unknown exhibit 'no-such'"):
        hooks.on_page_markdown("{{ exhibit: no-such }}", Page, {"theme": {"language": "en"}}, None)


# ---- in the browser ---------------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site, tmp_path_factory):
    """The site served under its deployed path (site_url's), as GitHub Pages serves it."""
    root = tmp_path_factory.mktemp("www")
    prefix = _site_prefix().strip("/")
    (root / prefix).symlink_to(site, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/{prefix}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    yield pg
    context.close()


def test_every_page_loads_without_console_errors_and_images_load(site, server, page):
    errors = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    broken_images = []
    for rel in pages(site):
        response = page.goto(server + rel, wait_until="load")
        assert response.ok, rel
        for img in page.locator("img.exhibit-figure").all():
            if not img.evaluate("i => i.complete && i.naturalWidth > 0"):
                broken_images.append(f"{rel}: {img.get_attribute('src')}")
    assert errors == [] and broken_images == []


def test_language_switch_lands_on_the_counterpart(server, page):
    page.goto(server + "article/2-1-complex-reasoning/")
    href = page.locator('a.md-select__link[hreflang="zh"]').first.get_attribute("href")
    page.goto(urljoin(page.url, href))
    assert page.url.endswith("/zh/article/2-1-complex-reasoning/")
    assert "复杂推理" in page.locator("h1").first.inner_text()
    back = page.locator('a.md-select__link[hreflang="en"]').first.get_attribute("href")
    page.goto(urljoin(page.url, back))
    assert page.url.endswith("/article/2-1-complex-reasoning/") and "/zh/" not in page.url


@pytest.mark.parametrize("rel, term", [("article/1-emergence/", "chain-of-thought"), ("zh/article/1-emergence/", "思维链")])
def test_glossary_tooltip_shows_on_hover(server, page, rel, term):
    page.goto(server + rel)
    abbr = page.locator("abbr.glossary").filter(has_text=re.compile(term, re.I)).first
    title = abbr.get_attribute("title") or abbr.get_attribute("data-md-tooltip") or ""
    abbr.hover()
    tip = page.locator(".md-tooltip2, .md-tooltip").filter(has_text=re.compile(".+"))
    tip.first.wait_for(state="visible", timeout=5000)
    shown = tip.first.inner_text()
    assert shown and (not title or shown.strip() == title.strip())


def test_chinese_search_finds_the_right_page(server, page):
    page.goto(server + "zh/")
    box = page.locator(".md-search__input")
    box.click()
    box.fill("思维链")
    page.keyboard.press("End")  # Material reads the query on keyup, which an IME's commit also sends
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(state="visible", timeout=30000)
    hrefs = [urljoin(page.url, a.get_attribute("href")) for a in results.all()]
    assert any(urlparse(h).path.endswith(("zh/article/1-emergence/", "zh/glossary/")) for h in hrefs), hrefs


# ---- live charts (artifact/site/charts.py, static/charts.js) ------------------------------------
# Every exhibit chart becomes a Vega view that fits the screen, says where each number comes from
# on hover, opens full screen, and leaves its PNG for readers without JavaScript.

WIDTHS = (1280, 390)


def chart_pages(site) -> list[str]:
    return [p for p in pages(site) if 'data-chart="' in (site / p / "index.html").read_text(encoding="utf-8")]


def _open(browser, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    return context, context.new_page()


def _wait_live(page, rel: str) -> int:
    count = page.locator(".exhibit[data-chart]").count()
    page.wait_for_function(f'document.querySelectorAll(".exhibit.is-live .chart-live svg").length === {count}',
                           timeout=30000)
    return count


LAYOUT = r"""() => {
  // Unrotated texts whose boxes intersect (more than a pixel each way): panels narrowed to the
  // screen must not make labels overprint. Rotated titles are left to the scenegraph test.
  const overlaps = texts => {
    const boxes = texts.filter(t => t.textContent.trim() && +getComputedStyle(t).opacity > 0 && !/rotate\((?!0)/.test(t.getAttribute('transform') || ''))
      .map(t => {
        // The browser's box is a full line tall (ascent + descent); glyphs fill about the font size.
        const r = t.getBoundingClientRect(), fs = parseFloat(getComputedStyle(t).fontSize);
        const pad = Math.max(0, (r.height - Math.max(1, t.querySelectorAll('tspan').length) * fs) / 2);
        return [t.textContent, {left: r.left, right: r.right, top: r.top + pad, bottom: r.bottom - pad, width: r.width}];
      }).filter(([, r]) => r.width > 0);
    const hits = [];
    boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, s]) => {
      if (Math.min(r.right, s.right) - Math.max(r.left, s.left) > 1 &&
          Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > 1) hits.push(a + ' / ' + b);
    }));
    return hits;
  };
  return {
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  charts: [...document.querySelectorAll('.exhibit[data-chart]')].map(box => {
    const svg = box.querySelector('.chart-live svg'), live = box.querySelector('.chart-live');
    const labels = [...svg.querySelectorAll('.role-axis-label text')].filter(t => t.textContent.trim());
    return {id: box.dataset.chart, png_hidden: getComputedStyle(box.querySelector('img.exhibit-figure')).display === 'none',
            drawn: svg.getBoundingClientRect().width, natural: +svg.getAttribute('width'), room: live.clientWidth,
            labels: labels.length, smallest: Math.min(...labels.map(t => parseFloat(getComputedStyle(t).fontSize))),
            outside: [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).filter(t => {
              const r = t.getBoundingClientRect(), s = svg.getBoundingClientRect();
              return r.width && (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.bottom > s.bottom + 1);
            }).map(t => t.textContent),
            overlaps: overlaps([...svg.querySelectorAll('text')])};
  })};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_is_live_legible_and_fits(site, server, browser, width):
    context, page = _open(browser, width)
    errors, seen = [], set()
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    for rel in chart_pages(site):
        page.goto(server + rel, wait_until="load")
        _wait_live(page, rel)
        layout = page.evaluate(LAYOUT)
        assert layout["overflow"] <= 0, f"{rel} scrolls sideways at {width} px"
        for c in layout["charts"]:
            seen.add((rel.startswith("zh/"), c["id"]))
            where = f"{rel} {c['id']} at {width} px"
            assert c["png_hidden"], where
            assert c["drawn"] == pytest.approx(c["natural"], abs=0.5), f"{where}: the chart is scaled"
            assert c["drawn"] <= c["room"] + 0.5, f"{where}: {c['drawn']} px wide in {c['room']} px"
            assert c["labels"] > 0 and c["smallest"] >= 11, f"{where}: axis labels {c['smallest']} px"
            assert c["outside"] == [], f"{where}: text cut off at the edge"
            assert c["overlaps"] == [], f"{where}: texts overprint"
    context.close()
    from artifact.exhibits import REGISTRY

    charts = {e.id for e in REGISTRY.values() if e.kind == "chart"}
    assert {cid for zh, cid in seen if not zh} == charts and {cid for zh, cid in seen if zh} == charts
    assert errors == []


@pytest.mark.parametrize("rel, mark, source", [
    ("article/1-emergence/", "gsm8k-scaling .mark-symbol.role-mark path", "Wei et al. 2022, arXiv 2201.11903v6"),
    ("zh/article/1-emergence/", "gsm8k-scaling .mark-symbol.role-mark path", "Wei 等 2022，arXiv 2201.11903v6"),
    ("article/5-model-size/", "bbh-cot .mark-rect.role-mark path", "Suzgun et al. 2022, arXiv 2210.09261v1, Table 2"),
    ("article/2-1-complex-reasoning/", "gsm8k-progress .mark-symbol.role-mark path",
     "the article (Fu, Peng & Khot 2022), Sec 2.1"),
])
def test_hovering_a_mark_names_its_source(server, browser, rel, mark, source):
    context, page = _open(browser, 1280)
    page.goto(server + rel)
    _wait_live(page, rel)
    chart_id, selector = mark.split(" ", 1)
    target = page.locator(f'.exhibit[data-chart="{chart_id}"] .chart-live svg {selector}').first
    target.scroll_into_view_if_needed()
    target.hover(force=True)
    tip = page.locator("#vg-tooltip-element.visible")
    tip.wait_for(state="visible", timeout=5000)
    assert source in tip.inner_text()
    context.close()


def test_without_javascript_the_png_shows(site, server, browser):
    context, page = _open(browser, 390, java_script_enabled=False)
    for rel in ("article/1-emergence/", "zh/exhibits/"):
        page.goto(server + rel, wait_until="load")
        images = page.locator(".exhibit[data-chart] img.exhibit-figure").all()
        assert images and page.locator(".chart-live").count() == 0
        for img in images:
            assert img.is_visible() and img.evaluate("i => i.complete && i.naturalWidth > 0")
            assert img.evaluate("i => i.getBoundingClientRect().right <= window.innerWidth")
    context.close()


def test_full_screen_button_fills_the_window_and_redraws(server, browser):
    context, page = _open(browser, 1280)
    page.goto(server + "article/3-scaling-law/")
    _wait_live(page, "article/3-scaling-law/")
    box = page.locator('.exhibit[data-chart="scaling-vs-emergence"]')
    before = box.locator(".chart-live svg").evaluate("s => s.getBoundingClientRect().width")
    box.locator("button.chart-full").click()
    page.wait_for_function("document.querySelector('.exhibit.chart-expanded .chart-live svg')"
                           f".getBoundingClientRect().width > {before + 100}", timeout=10000)
    assert box.evaluate("b => b.getBoundingClientRect().width") == pytest.approx(1280, abs=20)
    page.keyboard.press("Escape")  # the button still has focus, inside the chart
    assert "chart-expanded" not in (box.get_attribute("class") or "")
    box.locator("button.chart-full").click()
    assert "chart-expanded" in box.get_attribute("class")
    box.locator("button.chart-full").click()  # the same button closes it
    assert "chart-expanded" not in box.get_attribute("class")
    context.close()
