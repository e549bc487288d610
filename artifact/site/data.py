"""What the site shows, written by `reproduce` into figures/site/ as JSON, so the MkDocs build reads
only figures/ and docs/ (never the evidence store).

- ``site/evidence/<source>.json``: every row of one published file, values as printed;
- ``site/runs.json``: each fresh run's summary (accuracy per prompting style);
- ``site/lab.json``: each lab sweep's configuration and per-model metrics;
- ``site/cards.json``: one card per claim, with each evidence reference resolved to the page,
  anchor, label and value the site links to;
- ``site/exhibits.json``: per exhibit, its titles, builder module and the sources it cites.

Pure: evidence in, bytes out (no numbers computed here beyond what the claims checker reports).
"""

from __future__ import annotations

import csv
import io
import json
import re

from artifact.numbers import canonical_tree
from artifact import paths
from artifact.evidence.store import Evidence, evidence_path

ROW_REF = re.compile(r"^[a-z0-9]+:[a-z0-9][a-z0-9./-]*$")
PUBLISHED_FIELDS = ("location", "model_family", "model", "params_billion", "setting", "benchmark", "metric",
                    "value", "caveat", "notes")


def _dump(obj, keep: frozenset[float]) -> bytes:
    obj = canonical_tree(obj, keep)
    # One line per top-level item keeps the files small and their diffs readable.
    if isinstance(obj, list):
        body = ",\n".join(json.dumps(x, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for x in obj)
        return ("[\n" + body + "\n]\n").encode("utf-8")
    return (json.dumps(obj, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _raw_rows(path) -> list[dict[str, str]]:
    """A CSV's rows exactly as written (values as printed, no float parsing)."""
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _authors(bib_entry) -> str:
    """'Wei et al.' / 'Kaplan et al.' / 'Cobbe': the name readers know a paper by (language-neutral
    part; the page adds 'et al.' or '等')."""
    people = bib_entry.persons.get("author", [])
    return " ".join(people[0].last_names) if people else ""


def published_sources(ev: Evidence) -> dict[str, dict]:
    """One record per published file: source metadata and its rows as printed."""
    from pybtex.database import parse_file

    bib = parse_file(str(ev.bib), bib_format="bibtex").entries
    out = {}
    for path in sorted(paths.PUBLISHED_DIR.glob("*.csv")):
        ev.published(path.stem)  # validates the file (reproduce has already done so)
        rows = _raw_rows(path)
        key = rows[0]["source_key"] if rows else path.stem
        entry = bib.get(key)
        out[path.stem] = {
            "stem": path.stem, "key": key,
            "author": _authors(entry) if entry else key,
            "et_al": bool(entry and len(entry.persons.get("author", [])) > 1),
            "year": entry.fields.get("year", "") if entry else "",
            "title": str(entry.fields.get("title", "")).strip("{}") if entry else "",
            "arxiv_id": rows[0]["arxiv_id"] if rows else "",
            "arxiv_version": rows[0]["arxiv_version"] if rows else "",
            "rows": [{"id": r["id"], **{f: r[f] for f in PUBLISHED_FIELDS}} for r in rows],
        }
    return out


def runs_summary(ev: Evidence) -> list[dict]:
    frame = ev.runs()
    out = []
    for run_id, group in frame.groupby("run_id", sort=True):
        from artifact.evidence.runs import load_run

        meta, _ = load_run(paths.RUNS_DIR / run_id)
        cfg = meta.config
        out.append({
            "id": run_id, "model": cfg.model.name, "source": cfg.model.source,
            "parameters": getattr(meta, "parameters", None), "dataset": cfg.dataset.name,
            "items": cfg.dataset.items, "backend": cfg.backend, "task": meta.task,
            "started_at": getattr(meta, "started_at", ""), "finished_at": getattr(meta, "finished_at", ""),
            "rows": [{"id": r["id"], "prompting": r["prompting"], "items": int(r["items"]),
                      "correct": int(r["correct"]), "accuracy_pct": repr(float(r["number"])),
                      "complete": bool(r["complete"])} for _, r in group.sort_values("prompting").iterrows()],
        })
    return out


def lab_summary(ev: Evidence) -> list[dict]:
    out = []
    if not paths.LAB_DIR.is_dir():
        return out
    for folder in sorted(paths.LAB_DIR.iterdir()):
        if not (folder / "config.json").is_file():
            continue
        config, _ = ev.lab(folder.name.rsplit("-", 1)[0])  # folders are <preset>-<hash>
        preset = config["preset"]
        rows = _raw_rows(folder / "metrics.csv")
        # sweeps made before heldout_loss lack it: shown empty (missing), never as 0
        out.append({"preset": preset, "folder": folder.name, "formats": "format" in (rows[0] if rows else {}),
                    "config": {k: config[k] for k in sorted(config) if k != "preset"},
                    "rows": [{"id": _lab_row_id(preset, r), "heldout_loss": "", **r} for r in rows]})
    return out


def _lab_row_id(preset: str, row: dict[str, str]) -> str:
    # Sweeps over several answer lengths name the digit count too (lab:<preset>/<metric>/d<digits>/w<width>/s<seed>).
    # Sweeps over target formats (cot) name the format too (lab:<preset>/<metric>/<format>/w<width>/s<seed>).
    digits = f"d{row['digits']}/" if "digits" in row else ""
    form = f"{row['format']}/" if "format" in row else ""
    return f"{preset}/{digits}{form}w{row['width']}/s{row['seed']}"


def resolve(ref: str, sources: dict[str, dict]) -> dict:
    """Where the site shows one evidence reference: page (docs path), anchor, and the value as printed."""
    stem, _, rest = ref.partition(":")
    if stem == "runs":
        run_id, _, style = rest.partition("/")
        return {"ref": ref, "page": "evidence/runs.md", "anchor": rest, "source": "runs", "label": run_id,
                "detail": style, "value": None}
    if stem == "lab":
        preset, metric, *model = rest.split("/")  # model: [d<digits>,] w<width>, s<seed>
        return {"ref": ref, "page": "evidence/lab.md", "anchor": "/".join([preset, *model]), "source": "lab",
                "label": " ".join(model), "detail": metric, "value": None}
    src = sources.get(stem)
    if src is None:
        raise ValueError(f"evidence reference {ref!r} names no published file")
    if not ROW_REF.match(ref):
        # A cited group of cells ("wei2022cot:(Appendix B Table 2, GSM8K cells)"): the source page.
        return {"ref": ref, "page": f"evidence/{stem}.md", "anchor": "", "source": stem,
                "label": rest.strip("()"), "detail": "", "value": None}
    row = next((r for r in src["rows"] if r["id"] == rest), None)
    if row is None:
        raise ValueError(f"evidence reference {ref!r}: no such row")
    return {"ref": ref, "page": f"evidence/{stem}.md", "anchor": rest, "source": stem, "label": row["location"],
            "detail": f'{row["model"]}, {row["benchmark"]}', "value": row["value"]}


def _fill_values(links: list[dict], runs: list[dict], lab: list[dict]) -> None:
    """Runs and lab links quote the value their row shows."""
    run_rows = {r["id"]: r for run in runs for r in run["rows"]}
    lab_rows = {r["id"]: r for sweep in lab for r in sweep["rows"]}
    for link in links:
        if link["source"] == "runs" and link["anchor"] in run_rows:
            link["value"] = run_rows[link["anchor"]]["accuracy_pct"]
        elif link["source"] == "lab" and link["anchor"] in lab_rows:
            link["value"] = lab_rows[link["anchor"]][link["detail"]]


def _group_lab(links: list[dict]) -> list[dict]:
    """A claim on a lab sweep cites dozens of scores: one entry per sweep and metric, listing its rows."""
    out, groups = [], {}
    for link in links:
        if link["source"] != "lab":
            out.append(link)
            continue
        preset = link["anchor"].split("/")[0]
        key = (preset, link["detail"])
        if key not in groups:
            groups[key] = {"source": "lab", "page": link["page"], "anchor": "", "label": preset,
                           "detail": link["detail"], "value": None, "ref": f"lab:{preset}/{link['detail']}",
                           "rows": []}
            out.append(groups[key])
        groups[key]["rows"].append({"anchor": link["anchor"], "label": link["label"], "value": link["value"]})
    return out


def claim_cards(ev: Evidence, sources: dict, runs: list[dict], lab: list[dict]) -> list[dict]:
    from artifact.claims.report import run_claims

    cards = []
    for c in run_claims(ev):
        d = c.model_dump() if hasattr(c, "model_dump") else dict(vars(c))
        links = [resolve(ref, sources) for ref in d["evidence"]]
        _fill_values(links, runs, lab)
        links = _group_lab(links)
        # The article's own number, where the claim cites the article's text as a row.
        article = [lk["value"] for lk in links if lk["source"] == "fu2022closerlook" and lk["value"] is not None]
        cards.append({**{k: d[k] for k in ("id", "section", "section_title_en", "section_title_zh", "text_en",
                                           "text_zh", "status", "kind", "reason_en", "reason_zh", "exhibits",
                                           "observed", "file", "line")},
                      "article_values": article, "evidence": links})
    return cards


def exhibits_info(sources: dict) -> dict[str, dict]:
    from artifact.exhibits import REGISTRY

    out = {}
    for ex in REGISTRY.values():
        files = [evidence_path(i) for i in ex.inputs]
        out[ex.id] = {"id": ex.id, "kind": ex.kind, "title_en": ex.title_en, "title_zh": ex.title_zh,
                      "alt_en": ex.alt("en"), "alt_zh": ex.alt("zh"),
                      "builder": paths.display(ex.module_file),
                      "inputs": list(ex.inputs),
                      "evidence_files": [paths.display(p) for p in files],
                      "sources": sorted(i.partition(":")[2] for i in ex.inputs
                                        if i.startswith("published:") and i.partition(":")[2] in sources)}
    return out


def site_outputs(ev: Evidence) -> dict[str, bytes]:
    """Every figures/site/ file, as bytes keyed by path relative to figures/."""
    sources = published_sources(ev)
    keep = ev.printed_numbers()
    runs, lab = runs_summary(ev), lab_summary(ev)
    out = {f"site/evidence/{stem}.json": _dump(src, keep) for stem, src in sources.items()}
    out["site/runs.json"] = _dump(runs, keep)
    out["site/lab.json"] = _dump(lab, keep)
    out["site/cards.json"] = _dump(claim_cards(ev, sources, runs, lab), keep)
    out["site/exhibits.json"] = _dump(exhibits_info(sources), keep)
    return out
