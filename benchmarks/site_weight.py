"""Bytes each page of the built site makes the browser load (HTML, CSS, scripts, fonts, images, JSON).

    python benchmarks/site_weight.py SITE_DIR [--width 390] [--lang en|zh|all] [--top 10]

Serves SITE_DIR under the deployed sub-path, opens every page in Debian's Chromium (Playwright),
waits for the network to go quiet (charts drawn, fonts fetched), and sums the on-disk size of every
file the page requested from the site. Two figures per page: the bytes as built ("raw"), and the
bytes a server that gzips text (GitHub Pages does) would send ("gzip": HTML, CSS, JS, JSON and SVG
compressed at level 6, images and fonts as they are). Prints one line per page, heaviest first,
then the heaviest page's largest files.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

PREFIX = "closer-look"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    root = Path(tempfile.mkdtemp(prefix="site-weight-"))
    (root / PREFIX).symlink_to(site.resolve(), target_is_directory=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/{PREFIX}/", httpd


def pages(site: Path) -> list[str]:
    return sorted("" if f.parent == site else f.parent.relative_to(site).as_posix() + "/"
                  for f in site.rglob("index.html"))


TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


@functools.cache
def gzipped(path: Path) -> int:
    data = path.read_bytes()
    return len(gzip.compress(data, 6, mtime=0)) if path.name.endswith(TEXT) else len(data)


def page_bytes(page, base: str, site: Path, rel: str) -> tuple[int, dict[str, int]]:
    """(total bytes, bytes per file) of the site files one page load requested."""
    seen: dict[str, int] = {}

    def record(request):
        path = urlparse(request.url).path
        if request.url.startswith(base):
            local = site / unquote(path.split(f"/{PREFIX}/", 1)[1])
            local = local / "index.html" if local.is_dir() else local
            if local.is_file():
                seen[local.relative_to(site).as_posix()] = local.stat().st_size

    page.on("request", record)
    page.goto(base + rel, wait_until="networkidle")
    page.remove_listener("request", record)
    return sum(seen.values()), seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--lang", choices=("en", "zh", "all"), default="all")
    parser.add_argument("--top", type=int, default=5, help="files listed under the heaviest page")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    base, httpd = serve(args.site)
    rels = [r for r in pages(args.site) if args.lang == "all" or (r.startswith("zh/") == (args.lang == "zh"))]
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for rel in rels:
            # A fresh context per page: nothing cached from the page before.
            context = browser.new_context(viewport={"width": args.width, "height": 900})
            results.append((rel, *page_bytes(context.new_page(), base, args.site, rel)))
            context.close()
        browser.close()
    httpd.shutdown()
    results.sort(key=lambda r: -r[1])
    print("      raw       gzip  page")
    for rel, total, files in results:
        print(f"{total / 1e3:9.1f} kB {sum(gzipped(args.site / f) for f in files) / 1e3:8.1f} kB  /{rel}")
    rel, total, files = results[0]
    print(f"max {total / 1e3:.1f} kB raw (/{rel}); heaviest files there (raw, gzip):")
    for name, size in sorted(files.items(), key=lambda f: -f[1])[:args.top]:
        print(f"  {size / 1e3:9.1f} kB {gzipped(args.site / name) / 1e3:8.1f} kB  {name}")


if __name__ == "__main__":
    main()
