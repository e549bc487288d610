"""One search index per language. The search plugin writes a single index holding both languages, so
an English query could list Chinese pages first and the reverse; after the last language build the
index is split: English pages stay in search/, Chinese ones move to zh/search/ (their locations made
relative to zh/, which the Chinese pages' search base points to; see theme/main.html).

The Chinese index is tuned for Chinese: no English stemmer or stop-word filter (its text is already
cut into words at build time, by jieba), and the common synonyms of the site's terms (涌现 for the
article's 突现, 微调 for 精调) reach it, so a reader searching either word finds the page."""

from __future__ import annotations

import json
from pathlib import Path

INDEX = Path("search") / "search_index.json"
# (term the site writes, the word many readers search for), longest first.
SYNONYMS = {"zh": (("突现能力", "涌现能力"), ("指令精调", "指令微调"), ("突现", "涌现"), ("精调", "微调"))}


def with_synonyms(doc: dict, lang: str) -> dict:
    """The entry with the synonyms of the terms it uses appended to its text, as words of their own."""
    text = doc["text"].replace("\u200b", "")
    extra = [b for a, b in SYNONYMS.get(lang, ()) if a in text and b not in text]
    return {**doc, "text": doc["text"] + "".join(f" {w}" for w in extra)} if extra else doc


def split_index(site_dir: Path, langs: tuple[str, ...] = ("zh",)) -> None:
    root = site_dir / INDEX
    if not root.is_file():
        return
    index = json.loads(root.read_text(encoding="utf-8"))
    docs = index["docs"]
    for lang in langs:
        prefix = f"{lang}/"
        mine = [with_synonyms({**d, "location": d["location"][len(prefix):]}, lang)
                for d in docs if d["location"].startswith(prefix)]
        if not mine:  # already split
            continue
        target = site_dir / lang / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        # An empty pipeline: the search worker then drops lunr's English trimmer, stop words and stemmer.
        config = {**index["config"], "pipeline": []}
        target.write_text(json.dumps({**index, "config": config, "docs": mine}, ensure_ascii=False,
                                     separators=(",", ":")), encoding="utf-8")
        docs = [d for d in docs if not d["location"].startswith(prefix)]
    root.write_text(json.dumps({**index, "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
