"""The 'Cite' page: BibTeX and APA forms rendered from CITATION.cff with cffconvert."""

from __future__ import annotations

from artifact import paths


def citation_forms() -> dict[str, str]:
    from cffconvert.cli.create_citation import create_citation

    citation = create_citation(str(paths.REPO_ROOT / "CITATION.cff"), None)
    return {"bibtex": citation.as_bibtex(), "apa": citation.as_apalike()}


def citation_block(lang: str) -> str:
    forms = citation_forms()
    head = {"en": ("BibTeX", "APA"), "zh": ("BibTeX", "APA")}[lang]
    return (f"### {head[0]}\n\n```bibtex\n{forms['bibtex'].strip()}\n```\n\n"
            f"### {head[1]}\n\n```text\n{forms['apa'].strip()}\n```\n")
