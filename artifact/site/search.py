"""One search index per language. The search plugin writes a single index holding both languages, so
an English query could list Chinese pages first and the reverse; after the last language build the
index is split: English pages stay in search/, Chinese ones move to zh/search/ (their locations made
relative to zh/, which the Chinese pages' search base points to; see theme/main.html)."""

from __future__ import annotations

import json
from pathlib import Path

INDEX = Path("search") / "search_index.json"


def split_index(site_dir: Path, langs: tuple[str, ...] = ("zh",)) -> None:
    root = site_dir / INDEX
    if not root.is_file():
        return
    index = json.loads(root.read_text(encoding="utf-8"))
    docs = index["docs"]
    for lang in langs:
        prefix = f"{lang}/"
        mine = [{**d, "location": d["location"][len(prefix):]} for d in docs if d["location"].startswith(prefix)]
        if not mine:  # already split
            continue
        target = site_dir / lang / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({**index, "docs": mine}, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
        docs = [d for d in docs if not d["location"].startswith(prefix)]
    root.write_text(json.dumps({**index, "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
