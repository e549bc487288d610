"""The 'Cite' page: BibTeX and APA entries for this artifact (from CITATION.cff, with the commit the
site was built from) and for the article it accompanies (its entry in docs/references.bib)."""

from __future__ import annotations

import re

import yaml

from artifact import paths
from artifact.site.build_info import build_info
from artifact.site.figures import GITHUB

ARTICLE_KEY = "fu2022closerlook"
HEAD = {"en": ("This artifact", "The article", "BibTeX", "APA"),
        "zh": ("本项目", "原文", "BibTeX", "APA")}


def _bib_value(text: str) -> str:
    """A BibTeX field value: braces balanced by escaping stray ones."""
    return re.sub(r"([{}])", r"\\\1", str(text))


def artifact_entry(repo_url: str) -> tuple[str, str]:
    cff = yaml.safe_load((paths.REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    info = build_info()
    date = str(cff.get("date-released", ""))
    year = date[:4]
    authors = " and ".join("{" + _bib_value(a["name"]) + "}" if "name" in a
                           else f"{_bib_value(a['family-names'])}, {_bib_value(a.get('given-names', ''))}"
                           for a in cff["authors"])
    fields = [("author", authors, False), ("title", cff["title"], True), ("year", year, True),
              ("date", date, True), ("version", cff["version"], True), ("url", repo_url, True)]
    if info["commit"]:
        fields.append(("note", f"Commit {info['commit']}", True))
    body = ",\n".join(f"  {k} = {{{_bib_value(v) if esc else v}}}" for k, v, esc in fields)
    bibtex = f"@software{{closerlook_artifact_{year},\n{body}\n}}"
    names = "; ".join(a.get("name") or f"{a['family-names']}, {a.get('given-names', '')[:1]}." for a in cff["authors"])
    apa = f"{names} ({year}). {cff['title']} (Version {cff['version']}) [Computer software]. {repo_url}"
    return bibtex, apa


def article_entry() -> tuple[str, str]:
    from pybtex.database import BibliographyData

    from artifact.bib import parsed, safe_url

    entry = parsed(paths.REFERENCES_BIB).entries[ARTICLE_KEY]
    bibtex = BibliographyData({ARTICLE_KEY: entry}).to_string("bibtex").strip()
    people = entry.persons["author"]
    names = ", ".join(f"{' '.join(p.last_names)}, {' '.join(n[0] + '.' for n in p.first_names)}" for p in people[:-1])
    last = people[-1]
    names += f", & {' '.join(last.last_names)}, {' '.join(n[0] + '.' for n in last.first_names)}"
    apa = f"{names} ({entry.fields['year']}). {entry.fields['title']}. {safe_url(entry)}"
    return bibtex, apa


def citation_block(lang: str, repo_url: str = GITHUB) -> str:
    mine, article = artifact_entry(repo_url), article_entry()
    h = HEAD[lang]
    out = []
    for title, (bibtex, apa) in ((h[0], mine), (h[1], article)):
        out.append(f"## {title}\n\n### {h[2]}\n\n```bibtex\n{bibtex}\n```\n\n### {h[3]}\n\n```text\n{apa}\n```\n")
    return "\n".join(out)
