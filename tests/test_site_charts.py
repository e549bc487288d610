"""Live charts in the browser: every exhibit chart becomes a Vega view that fits the screen, says where
each number comes from on hover, opens full screen, and leaves its PNG for readers without JavaScript.

Shares test_site.py's fixtures (a strict build served under the site's path, Debian's Chromium).
"""

from __future__ import annotations

import pytest
from test_site import browser, pages, server, site  # noqa: F401 - fixtures

WIDTHS = (1280, 390)


def chart_pages(site) -> list[str]:  # noqa: F811
    return [p for p in pages(site) if 'data-chart="' in (site / p / "index.html").read_text(encoding="utf-8")]


def _open(browser, width: int, **options):  # noqa: F811
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
def test_every_chart_is_live_legible_and_fits(site, server, browser, width):  # noqa: F811
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
def test_hovering_a_mark_names_its_source(server, browser, rel, mark, source):  # noqa: F811
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


def test_without_javascript_the_png_shows(site, server, browser):  # noqa: F811
    context, page = _open(browser, 390, java_script_enabled=False)
    for rel in ("article/1-emergence/", "zh/exhibits/"):
        page.goto(server + rel, wait_until="load")
        images = page.locator(".exhibit[data-chart] img.exhibit-figure").all()
        assert images and page.locator(".chart-live").count() == 0
        for img in images:
            assert img.is_visible() and img.evaluate("i => i.complete && i.naturalWidth > 0")
            assert img.evaluate("i => i.getBoundingClientRect().right <= window.innerWidth")
    context.close()


def test_full_screen_button_fills_the_window_and_redraws(server, browser):  # noqa: F811
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
