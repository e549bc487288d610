"""The bilingual site: strict build, then headless Chromium (Debian's, driven by Playwright).

Browser tests need /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it).
"""

from __future__ import annotations

import functools
import http.server
import json
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
                            capture_output=True, text=True, timeout=600, check=False,
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


def _marks(path: Path) -> tuple[list[str], list[str], list[str]]:
    """Exhibits shown, claim cards shown and claim markers placed on a page."""
    text = path.read_text(encoding="utf-8")
    return (sorted(re.findall(r'id="exhibit-([\w-]+)"', text)), sorted(re.findall(r'id="claim-([\w-]+)"', text)),
            sorted(re.findall(r'class="claim-marker[^"]*"[^>]*data-claim="([\w-]+)"', text)))


def _numbers_in_cards(path: Path) -> list[str]:
    """Per claim card: its status, the article's and the computed numbers, and each value it quotes."""
    text = path.read_text(encoding="utf-8")
    out = []
    for card in re.findall(r'<article class="claim-card".*?</article>', text, flags=re.DOTALL):
        status = re.search(r'data-status="([^"]+)"', card).group(1)
        numbers = re.findall(r"<dd>([^<]*)</dd>", card) + re.findall(r'class="claim-card__value">([^<]*)<', card)
        out.append(status + " " + " | ".join(numbers))
    return out


def test_both_languages_cite_the_same_exhibits_claims_and_numbers(site):
    compared = 0
    for page in pages(site):
        if page.startswith(("zh/", "api/")):
            continue
        en, zh = site / page / "index.html", site / "zh" / page / "index.html"
        assert _marks(en) == _marks(zh), page
        assert _numbers_in_cards(en) == _numbers_in_cards(zh), page
        compared += len(_numbers_in_cards(en))
    assert compared == len(_cards())


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
        # The pictures load lazily (a live chart replaces them): each must be there to fetch.
        for img in page.locator("img.exhibit-figure").all():
            fetched = page.request.get(img.evaluate("i => i.src"))
            if not (fetched.ok and fetched.body()[:8] == b"\x89PNG\r\n\x1a\n"):
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


@pytest.mark.parametrize("rel, term", [("article/1-emergence/", "chain-of-thought"),
                                       ("zh/article/1-emergence/", "思维链")])
def test_glossary_tooltip_shows_on_hover(server, page, rel, term):
    page.goto(server + rel)
    link = page.locator("a.glossary-link").filter(has_text=re.compile(term, re.IGNORECASE)).first
    link.hover()
    tip = link.locator(".glossary-tip")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.inner_text().strip() == link.get_attribute("data-tip").strip() != ""


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


# ---- from a sentence to its evidence ---------------------------------------------------------

def _cards() -> list[dict]:
    import json

    return json.loads((paths.FIGURES_DIR / "site" / "cards.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("claim, rel", [("finetuned-verifier-35", "article/2-1-complex-reasoning/"),
                                         ("small-model-gains-nothing-from-cot", "article/1-emergence/")])
def test_two_clicks_from_a_sentence_to_the_evidence_row(server, page, lang, claim, rel):
    prefix = "zh/" if lang == "zh" else ""
    page.goto(server + prefix + rel)
    page.locator(f'a.claim-marker[data-claim="{claim}"]').click()  # click 1: the marker in the text
    assert page.url.endswith(f"/{prefix}claims/#claim-{claim}")
    card = page.locator(f'[id="claim-{claim}"]')
    assert card.is_visible()
    link = card.locator("table.claim-evidence a.claim-card__value").first  # the value in the evidence table
    quoted = link.inner_text()
    link.click()  # click 2: the value links to its evidence row
    anchor = unquote(urlparse(page.url).fragment)
    assert f"/{prefix}evidence/" in page.url and anchor
    row = page.locator(f'[id="{anchor}"]')
    assert row.is_visible() and row.locator(".evidence-row__value").inner_text() == quoted
    assert row.evaluate("r => { const b = r.getBoundingClientRect(); return b.top >= 0 && b.top < innerHeight; }")


def test_every_claim_has_a_card_and_every_evidence_link_lands_on_an_anchor(site):
    cards = _cards()
    for lang in ("", "zh/"):
        here = site / lang / "claims" / "index.html"
        ids = _parse(here).ids
        assert {f"claim-{c['id']}" for c in cards} <= ids
        for c in cards:
            html = here.read_text(encoding="utf-8")
            block = html[html.index(f'id="claim-{c["id"]}"'):]
            block = block[:block.index("</article>")]
            hrefs = re.findall(r'href="([^"]+)"', block)
            for e in c["evidence"]:
                targets = [r["anchor"] for r in e.get("rows") or []] or [e["anchor"]]
                for anchor in targets:
                    want = [h for h in hrefs if e["page"].removesuffix(".md") in h
                            and unquote(urlparse(h).fragment) == anchor]
                    assert want, (lang, c["id"], e["ref"], anchor)
                    target = site / lang / e["page"].removesuffix(".md") / "index.html"
                    assert not anchor or anchor in _parse(target).ids, (c["id"], anchor)


def test_every_article_claim_has_a_marker_in_the_text(site):
    article = {c["id"] for c in _cards() if c["section"].startswith("s")}
    for lang in ("", "zh/"):
        text = " ".join(p.read_text(encoding="utf-8") for p in (site / lang / "article").rglob("index.html"))
        marked = set(re.findall(r'class="claim-marker[^"]*"[^>]*data-claim="([\w-]+)"', text))
        assert marked == article, sorted(article - marked)


def test_claims_filter_state_lives_in_the_url(server, page):
    cards = _cards()
    page.goto(server + "claims/?status=differs")
    visible = page.locator(".claim-card:visible")
    assert visible.count() == sum(c["status"] == "differs" for c in cards) > 0
    page.locator('select[data-filter="section"]').select_option("s2-1")
    assert "section=s2-1" in page.url and "status=differs" in page.url
    page.reload()
    assert page.locator('select[data-filter="status"]').input_value() == "differs"
    assert page.locator('select[data-filter="section"]').input_value() == "s2-1"
    n = sum(c["status"] == "differs" and c["section"] == "s2-1" for c in cards)
    assert visible.count() == n and f" {n} " in page.locator(".claims-count").inner_text()


@pytest.mark.parametrize("rel", ["", "article/2-1-complex-reasoning/", "claims/", "evidence/chung2022flan/", "zh/",
                                 "zh/article/2-1-complex-reasoning/", "zh/claims/", "zh/evidence/chung2022flan/"])
def test_no_sideways_scroll_on_a_phone(server, browser, rel):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(server + rel)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_text_from_data_is_not_markup(site):
    """GSM8K's reference solution writes 3*7; Markdown must not turn it into italics."""
    for lang in ("", "zh/"):
        html = (site / lang / "article" / "2-1-complex-reasoning" / "index.html").read_text(encoding="utf-8")
        assert "3*7 = &lt;&lt;3*7=21&gt;&gt;21" in html


# ---- hostile text in evidence; a build that reads only figures/ and docs/ ----------------------

PAYLOAD = "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) *emphasis* [@nobody]"


def _poison_csv(path: Path, fields: tuple[str, ...]) -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (v + " " + PAYLOAD if k in fields else v) for k, v in row.items()})
    path.write_text(out.getvalue(), encoding="utf-8")


def _poison_yaml(path: Path, fields: tuple[str, ...]) -> None:
    import yaml

    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for f in fields:
        doc[f] = f"{doc[f]} {PAYLOAD}"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    """A copy of the project whose evidence carries markup in every free-text field that reaches a
    page, regenerated with `reproduce`; then artifact/data is removed and the site built from
    figures/ and docs/ alone."""
    import shutil

    repo = tmp_path_factory.mktemp("hostile") / "repo"
    def skip(folder, names):
        top = {".git", "site", ".venv", ".nox", ".pytest_cache"} if Path(folder) == paths.REPO_ROOT else set()
        return [n for n in names if n in top or n == "__pycache__"]

    shutil.copytree(paths.REPO_ROOT, repo, ignore=skip)
    data = repo / "artifact" / "data"
    for csv_path in sorted((data / "published").glob("*.csv")):
        _poison_csv(csv_path, ("location", "notes"))
    _poison_yaml(data / "text" / "gsm8k_example.yaml", ("dataset", "reference_solution"))
    _poison_yaml(data / "text" / "knowledge_table.yaml", ("location",))
    for samples in sorted((data / "runs").glob("*/samples.jsonl")):  # model completions (the worked example)
        import json

        lines = [json.loads(line) for line in samples.read_text(encoding="utf-8").splitlines()]
        for rec in lines:
            if rec["index"] == 18:
                rec["completion"] += " " + PAYLOAD
        samples.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    env = {"PYTHONPATH": str(repo), "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    run = functools.partial(subprocess.run, cwd=repo, capture_output=True, text=True, timeout=900, env=env)
    made = run([sys.executable, "-m", "artifact", "reproduce", "--force"])
    assert made.returncode == 0, made.stderr[-3000:]
    shutil.rmtree(data)
    out = repo / "built"
    built = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)])
    assert built.returncode == 0, built.stderr[-3000:]
    return out


def test_markup_in_evidence_is_shown_as_text(hostile_site):
    html = {p: p.read_text(encoding="utf-8") for p in hostile_site.rglob("*.html")}
    everything = "\n".join(html.values())
    assert "<script>alert" not in everything
    assert not re.search(r"<img[^>]*onerror", everything)
    assert not re.search(r"""href=["']?\s*javascript:""", everything, re.IGNORECASE)
    assert "<em>emphasis</em>" not in everything
    shown = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; " \
            "[x](javascript:alert(3)) *emphasis* [@nobody]"
    # Where each poisoned field reaches a page, it is there in full, as text.
    for rel in ("evidence/wei2022cot/index.html", "zh/evidence/wei2022cot/index.html",        # location, notes
                "article/2-1-complex-reasoning/index.html", "zh/article/2-1-complex-reasoning/index.html",
                "article/2-2-knowledge/index.html", "exhibits/index.html", "zh/exhibits/index.html"):
        assert shown in html[hostile_site / rel], rel
    solution = html[hostile_site / "article" / "2-1-complex-reasoning" / "index.html"]
    assert "3*7 = &lt;&lt;3*7=21&gt;&gt;21" in solution
    assert solution.count(shown) >= 4  # dataset, reference solution and both completions


# ---- site basics --------------------------------------------------------------------------------

def test_headings_never_skip_a_level(site):
    skipped = []
    for page in pages(site):
        text = (site / page / "index.html").read_text(encoding="utf-8")
        levels = [int(x) for x in re.findall(r"<h([1-6])[ >]", text[text.index('class="md-content"'):])]
        if any(b > a + 1 for a, b in zip([0, *levels], levels)):
            skipped.append(f"{page}: {levels}")
    assert skipped == []


def test_404_page_per_language(site):
    assert '<html lang="en"' in (site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in (site / "zh" / "404.html").read_text(encoding="utf-8")


def test_dark_palette_toggles(server, page):
    page.goto(server)
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    before = scheme()
    page.locator("form[data-md-component=palette] label:visible").first.click()
    after = scheme()
    assert {before, after} == {"default", "slate"}


def _search(page, url: str, query: str) -> list[str]:
    page.goto(url)
    box = page.locator(".md-search__input")
    box.click()
    box.fill(query)
    page.keyboard.press("End")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(state="visible", timeout=30000)
    return [urlparse(urljoin(page.url, a.get_attribute("href"))).path for a in results.all()]


def test_search_keeps_to_the_page_language(server, page):
    zh = _search(page, server + "zh/", "GSM8K")
    assert zh and all("/zh/" in h for h in zh), zh
    en = _search(page, server, "GSM8K")
    assert en and not any("/zh/" in h for h in en), en
    assert any(h.endswith("/zh/article/1-emergence/") for h in _search(page, server + "zh/", "涌现"))


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
    # Charts are drawn as they near the window: bring each one there.
    for box in page.locator(".exhibit[data-chart]").all():
        box.scroll_into_view_if_needed()
        box.locator(".chart-live svg").wait_for(state="attached", timeout=30000)
    page.evaluate("window.scrollTo(0, 0)")
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
            img.scroll_into_view_if_needed()  # lazy pictures load as they near the window
            page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle(), timeout=10000)
            assert img.is_visible()
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


# ---- the site as a reader meets it (issue 24) -------------------------------------------------
# What a first-time reader sees: no internal text leaking, cards that scan, every page accessible
# (axe-core, both languages and colour schemes), light on a phone, Chinese search that finds the
# words Chinese readers use.

AXE = paths.REPO_ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"  # .ci/run installs it (pinned)
READER_PAGES = ("", "article/1-emergence/", "article/2-1-complex-reasoning/", "article/2-2-knowledge/",
                "article/3-scaling-law/", "article/5-model-size/", "exhibits/", "claims/", "evidence/",
                "evidence/yu2022genread/", "evidence/runs/", "lab/", "glossary/", "references/")


def _html(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def test_no_internal_text_reaches_a_reader(site):
    for rel in pages(site):
        html = _html(site, rel)
        assert "built-in method" not in html, rel  # a template printing a method instead of calling it
        assert not re.search(r"<td>[^<]*\*\*", html), f"{rel}: raw Markdown in a table cell"
        for note in ("OCR cells", "ar5iv", "not shown in copies", "ledger", "Notion capture"):
            assert note not in html, f"{rel}: transcriber note {note!r}"
        for url in re.findall(r'href="(https?://arxiv\.org/[^"]*)"', html):
            assert re.fullmatch(r"https://arxiv\.org/abs/\d{4}\.\d{4,5}", url), f"{rel}: {url}"
    assert "找不到" in (site / "zh" / "404.html").read_text(encoding="utf-8")
    refs = _html(site, "article/1-emergence/") + _html(site, "zh/article/2-1-complex-reasoning/")
    assert "Wei et al. 2022a" in refs and "Wei 等, 2022" in refs and not re.search(r"Wei (et al\.|等,) 2022[^ab]", refs)
    runs = _html(site, "evidence/runs/")
    assert re.search(r"\d+ items", runs), "the runs page names its item counts"
    for spec in (paths.FIGURES_DIR / "zh").glob("*.vl.json"):
        text = spec.read_text(encoding="utf-8")
        assert not re.search(r'"axis": ?\{[^{}]*"format": ?"[^"]*e"', text), f"{spec.name}: an axis prints 1e+19"
        assert not re.search(r"(Wei|Wang|Fu) (t|fig)\d", text), f"{spec.name}: English point labels"


def test_cards_show_verdict_numbers_with_unit_and_a_compact_table(site):
    html = _html(site, "claims/")
    card = html.split('id="claim-two-orders-is-17500b"', 1)[1].split("</article>", 1)[0]
    assert "17,500" in card and "billions of parameters" in card  # the article's number and its unit
    card = html.split('id="claim-cot-needs-over-100b"', 1)[1].split("</article>", 1)[0]
    assert "<details" in card and "11 evidence rows" in card  # long lists fold
    # Each card's table shows only the columns whose values differ; what every row shares is said once.
    tables = re.findall(r'<table class="claim-evidence">(.*?)</table>', html, re.S)
    assert len(tables) > 20
    for table in tables:
        heads = re.findall(r'<th scope="col">([^<]*)</th>', table)
        rows = [re.findall(r"<td>(.*?)</td>", "<td>" + r) for r in re.findall(r"<tr><td>(.*?)</tr>", table, re.S)]
        assert heads[-1] == "Value"
        for i, name in enumerate(heads[:-1]):
            assert len({r[i] for r in rows}) > 1, f"column {name} repeats one value"
    for rel in ("article/1-emergence/", "claims/", "zh/article/1-emergence/", "zh/claims/"):
        legend = re.search(r'<p class="claim-legend".*?</p>', _html(site, rel), re.S)
        assert legend and all(m in legend.group(0) for m in "✓≈✗?–"), rel
    assert "Start here" in _html(site, "") and "从这里开始" in _html(site, "zh/")


def test_chart_assets_and_fonts_only_where_needed(site):
    for rel in pages(site):
        html = _html(site, rel)
        assert ".otf" not in html, rel
        assert ("vega-bundle.js" in html) == ('data-chart="' in html), rel
        if "vega-bundle.js" in html:
            assert re.search(r'<script defer src="[^"]*vega-bundle\.js"', html), rel
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    assert css.count("unicode-range") == 2 and 'local("Noto Sans CJK SC")' in css
    fonts = site / "assets" / "fonts"
    assert (fonts / "artifact-latin.woff2").read_bytes()[:4] == b"wOF2"
    assert (fonts / "artifact-cjk.woff2").stat().st_size <= 600_000


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ' x' + v.nodes.length + ': ' + v.nodes[0].target.join(' '))""")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(server, browser, scheme):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (.ci/run: npm install --prefix .axe axe-core@4.14.1)")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    found = []
    for rel in [*READER_PAGES, *("zh/" + r for r in READER_PAGES)]:
        page.goto(server + rel, wait_until="networkidle")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == \
            ("slate" if scheme == "dark" else "default")
        found += [f"{rel or '/'}: {v}" for v in _axe(page)]
    context.close()
    assert found == []


def test_charts_are_named_tabulated_and_dark_in_dark_mode(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.goto(server + "zh/article/3-scaling-law/")
    _wait_live(page, "zh/article/3-scaling-law/")
    box = page.locator('.exhibit[data-chart="scaling-vs-emergence"]')
    svg = box.locator(".chart-live svg")
    assert svg.get_attribute("aria-label") == "缩放法则与突现能力"
    assert box.locator("details.exhibit-numbers table tbody tr").count() > 10  # the text alternative
    ground = box.locator(".chart-live").evaluate("e => getComputedStyle(e).backgroundColor")
    assert ground == "rgb(30, 33, 41)"
    button = box.locator("button.chart-full")
    colours = button.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
    assert colours[0] != colours[1]
    context.close()


def _inside(page, selector: str) -> bool:
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= document.documentElement.clientWidth; }")


def test_glossary_tips_open_by_keyboard_and_touch_inside_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(server + "zh/article/1-emergence/")
    links = page.locator("a.glossary-link")
    assert links.count() > 0
    for i in range(links.count()):  # every tip, wherever its term sits on the line
        link = links.nth(i)
        link.focus()
        tip = link.locator(".glossary-tip")
        assert tip.is_visible() and tip.inner_text() == link.get_attribute("data-tip")
        assert link.get_attribute("aria-describedby") == tip.get_attribute("id")
        assert _inside(page, f"#{tip.get_attribute('id')}"), tip.inner_text()
    page.keyboard.press("Escape")
    first = links.first
    first.scroll_into_view_if_needed()
    first.tap()  # a first tap shows the tip and stays on the page
    assert first.locator(".glossary-tip").is_visible() and "/glossary/" not in page.url
    context.close()


def test_markers_are_24px_targets_and_chart_tooltips_fit_a_phone(server, browser):
    context, page = _open(browser, 390)
    page.goto(server + "article/1-emergence/")
    sizes = page.locator("a.claim-marker").evaluate_all(
        "ms => ms.map(m => { const r = m.getBoundingClientRect(); return [r.width, r.height]; })")
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes), sizes
    _wait_live(page, "article/1-emergence/")
    marks = page.locator('.exhibit[data-chart="gsm8k-scaling"] .chart-live svg .mark-symbol.role-mark path')
    for i in (0, marks.count() - 1):  # the leftmost and rightmost points
        marks.nth(i).scroll_into_view_if_needed()
        marks.nth(i).hover(force=True)
        tip = page.locator("#vg-tooltip-element.visible")
        tip.wait_for(state="visible", timeout=5000)
        assert _inside(page, "#vg-tooltip-element")
    context.close()


def test_chinese_search_finds_both_words_with_clean_snippets(server, page):
    for query in ("涌现", "突现", "指令微调"):
        found = _search(page, server + "zh/", query)
        assert any(h.endswith("/zh/glossary/") or "/zh/article/" in h for h in found), (query, found)
        text = page.locator(".md-search-result__list").inner_text()
        assert "\u200b" not in text and "✓" not in text, query


def test_chinese_index_has_no_english_pipeline(site):
    index = json.loads((site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["pipeline"] == []
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("article/"))
    assert "✓" not in text and "≈" not in text


def test_language_switch_is_relative_on_the_home_page(site):
    for rel in ("", "zh/"):
        hrefs = re.findall(r'<a href="([^"]*)" hreflang="\w+" class="md-select__link"', _html(site, rel))
        assert len(hrefs) == 2 and not any(h.startswith(("/", "http")) for h in hrefs), (rel, hrefs)
