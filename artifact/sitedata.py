"""What the site shows, written by `reproduce` into figures/site/ as JSON, so the MkDocs build reads
only figures/ and docs/ (never the evidence store).

- ``site/evidence/<source>.json``: every row of one published file, values as printed;
- ``site/runs.json``: each fresh run's summary (accuracy per prompting style);
- ``site/lab.json``: each lab sweep's configuration and per-model metrics;
- ``site/cards.json``: one card per claim, with each evidence reference resolved to the page,
  anchor, label and value the site links to;
- ``site/exhibits.json``: per exhibit, its titles, builder module and the sources it cites.

Pure: evidence in, bytes out (no numbers computed here beyond what the claims checker reports). Files
are read through the same strict readers as everywhere else; the claims report is the one `reproduce`
computed for this run (``artifact/products.py``), never a second one.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

from artifact import paths
from artifact.evidence.lab import metric_columns
from artifact.evidence.schema import PUBLISHED_COLUMNS
from artifact.evidence.store import Evidence, evidence_path
from artifact.strict import csv_records, read_utf8
from artifact.numbers import canonical_tree

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


def _printed_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """A CSV's rows exactly as written (values as printed, no float parsing), read strictly; the loader
    has already validated every cell."""
    return [record for _, record in csv_records(path, read_utf8(path), columns)]


def _authors(bib_entry) -> str:
    """'Wei', 'Kaplan', 'Cobbe': the first author's last name; the page names the paper from it and
    ``et_al`` with ``artifact.display.paper_name``."""
    people = bib_entry.persons.get("author", [])
    return " ".join(people[0].last_names) if people else ""


def published_sources(ev: Evidence) -> dict[str, dict]:
    """One record per published file: source metadata and its rows as printed."""
    from artifact.bib import parsed

    bib = parsed(ev.bib).entries
    out = {}
    for path in sorted(paths.PUBLISHED_DIR.glob("*.csv")):
        ev.published(path.stem)  # validates the file (reproduce has already done so)
        rows = _printed_rows(path, PUBLISHED_COLUMNS)
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
        config, _ = ev.lab(folder.name.rsplit("-", 1)[0])  # folders are <preset>-<hash>; validates both files
        preset = config["preset"]
        many = isinstance(config["digits"], list) and len(config["digits"]) > 1
        rows = _printed_rows(folder / "metrics.csv", metric_columns(folder / "metrics.csv", many, config.get("formats")))
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
    # The row's fields apart too, so a card can tabulate its evidence and show only what differs.
    return {"ref": ref, "page": f"evidence/{stem}.md", "anchor": rest, "source": stem, "label": row["location"],
            "detail": f'{row["model"]}, {row["benchmark"]}', "value": row["value"],
            "row": {f: row[f] for f in ("model", "setting", "benchmark", "metric")}}


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


def claim_cards(claims: list, sources: dict, runs: list[dict], lab: list[dict]) -> list[dict]:
    """One card per claim result: every field of the result (a field added to the report reaches the
    site without an edit here), with its evidence references resolved to links."""
    cards = []
    for c in claims:
        d = asdict(c)
        links = [resolve(ref, sources) for ref in d.pop("evidence")]
        _fill_values(links, runs, lab)
        links = _group_lab(links)
        # The article's own number, where the claim cites the article's text as a row.
        article = [lk["value"] for lk in links if lk["source"] == "fu2022closerlook" and lk["value"] is not None]
        cards.append({**d, "article_values": article, "evidence": links})
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


def site_outputs(ev: Evidence, claims: list) -> dict[str, bytes]:
    """Every figures/site/ file, as bytes keyed by path relative to figures/; ``claims`` is this run's
    claims report (``claims.report.run_claims``)."""
    sources = published_sources(ev)
    keep = ev.printed_numbers()
    runs, lab = runs_summary(ev), lab_summary(ev)
    out = {f"site/evidence/{stem}.json": _dump(src, keep) for stem, src in sources.items()}
    out["site/runs.json"] = _dump(runs, keep)
    out["site/lab.json"] = _dump(lab, keep)
    out["site/cards.json"] = _dump(claim_cards(claims, sources, runs, lab), keep)
    out["site/exhibits.json"] = _dump(exhibits_info(sources), keep)
    return out
