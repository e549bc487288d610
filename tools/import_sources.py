"""Maintainer tool: turn the transcription ledgers in ../shared/sources into shipped evidence.

Writes one CSV per source paper into artifact/data/published/. Every ledger column is kept
as it is; two columns are added: a stable row ``id`` (claims and exhibit CSVs cite it) and a
``caveat`` taken from the ledger notes and the sources README (doubtful / suspect cells).

    python tools/import_sources.py [--sources ../shared/sources]
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "artifact" / "data" / "published"
LEDGERS = ("ledger_reasoning.csv", "ledger_knowledge_ood.csv", "ledger_si_fu.csv")
COLUMNS = (
    "id", "source_key", "arxiv_id", "arxiv_version", "location", "model_family", "model",
    "params_billion", "setting", "benchmark", "metric", "value", "caveat", "ledger_group", "notes",
)
# sources/README.md, "Independent check": the one cell a second reader found doubtful.
GENREAD_DOUBT = (
    "DOUBTFUL (second reader): the OCR copy prints 57.5 in a row with a dropped cell; two citing papers "
    "quote 52.6 from the first arXiv version, and the paper's own '+6.9 EM over the original "
    "InstructGPT' fits 52.6 better. Both readings: 57.5 (this copy) / 52.6 (v1, as quoted)."
)
# Numbers the ledger notes quote verbatim but the ledger CSVs leave out (ledger_reasoning.md §1).
EXTRA_ROWS = [
    {"source_key": "cobbe2021", "arxiv_id": "2110.14168", "arxiv_version": "v2 (latest; ar5iv rendering)",
     "location": "Sec 4.1 Finetuning, text", "model_family": "GPT-3", "model": "extrapolated model",
     "params_billion": "", "setting": "finetuned, full GSM8K training set, log-linear extrapolation",
     "benchmark": "GSM8K (80% solve rate)", "metric": "parameters needed", "value": "1e16",
     "notes": "printed '10^16 parameters': 'we can naively extrapolate these results to estimate that a model with "
              "10^16 parameters would be required to reach an 80% solve rate, when using the full GSM8K training "
              "set' (quoted in shared/sources/ledger_reasoning.md §1)",
     "ledger_group": "gsm8k_progress"},
    {"source_key": "cobbe2021", "arxiv_id": "2110.14168", "arxiv_version": "v2 (latest; ar5iv rendering)",
     "location": "Sec 4.1 Finetuning, text", "model_family": "GPT-3", "model": "GPT-3 175B (finetuned)",
     "params_billion": "175", "setting": "finetuned, extrapolation along the data dimension",
     "benchmark": "GSM8K (80% solve rate)", "metric": "training data multiplier", "value": "100",
     "notes": "printed 'at least two additional orders of magnitude of training data' (x100 data, same 175B model; "
              "quoted in shared/sources/ledger_reasoning.md §1)",
     "ledger_group": "gsm8k_progress"},
]
LOCATION_TAGS = (
    (r"^Appendix B Table 2", "t2"), (r"^Appendix B Table 1.*ext\. calc", "t1-extcalc"),
    (r"^Appendix B Table 1", "t1"), (r"^Figure 2", "fig2"), (r"^Table 1 \(Sec 2\)", "t1"),
    (r"^Table 2 \(Sec 3\.2\)", "t2"), (r"^Table 2 ", "t2"), (r"^Table 3 ", "t3"),
    (r"^Table 5", "t5"), (r"^Table 1 \(zero-shot", "t1"), (r"^Table 1 \(overall", "t1"),
    (r"^Table 7", "t7"), (r"^Table 1$", "t1"), (r"^Main results table", "t1"),
    (r"^Sec 4\.1", "s4-1"), (r"^Eq\. \((\d)\.(\d)\)", r"eq\1-\2"), (r"^Figure 1", "fig1"),
    (r"^Sec 1\.2", "s1-2"), (r"^GitHub", "log"),
)


def slug(text: str, limit: int = 40) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:limit].rstrip("-")


def location_tag(location: str) -> str:
    for pattern, tag in LOCATION_TAGS:
        m = re.match(pattern, location)
        if m:
            return m.expand(tag)
    raise SystemExit(f"no short tag for location {location!r}: add one to LOCATION_TAGS")


def caveat(row: dict[str, str]) -> str:
    notes = row["notes"]
    if "REPO LOG, NOT A PAPER-TABLE CELL" in notes:
        return "not-a-paper-cell"
    if "ROW SUSPECT" in notes:
        return "suspect"
    if "inconsistent" in notes:
        return "inconsistent"
    if is_genread_doubt(row):
        return "doubtful"
    return ""


def is_genread_doubt(row: dict[str, str]) -> bool:
    return (row["source_key"] == "yu2022genread" and row["model"].startswith("InstructGPT (no docs")
            and row["benchmark"] == "TriviaQA")


def row_id(row: dict[str, str]) -> str:
    parts = [location_tag(row["location"]), slug(row["model"], 28), slug(row["setting"].split("(")[0], 64),
             slug(row["benchmark"].split("(")[0], 20), slug(row["metric"].split("(")[0], 24)]
    return "/".join(p for p in parts if p)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=ROOT.parent / "shared" / "sources")
    args = parser.parse_args()
    by_source: dict[str, list[dict[str, str]]] = defaultdict(list)
    for name in LEDGERS:
        with open(args.sources / name, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                row = {k: (v or "").strip() for k, v in row.items()}
                row["ledger_group"] = row.pop("figure_id")
                row["caveat"] = caveat(row)
                if is_genread_doubt(row):
                    row["notes"] = (row["notes"].rstrip("; ") + "; " + GENREAD_DOUBT).lstrip("; ")
                by_source[row["source_key"]].append(row)
    for extra in EXTRA_ROWS:
        by_source[extra["source_key"]].append({**extra, "caveat": ""})
    OUT.mkdir(parents=True, exist_ok=True)
    for source, rows in sorted(by_source.items()):
        seen: dict[str, int] = defaultdict(int)
        for row in rows:
            base = row_id(row)
            seen[base] += 1
            row["id"] = base if seen[base] == 1 else f"{base}/{seen[base]}"
        path = OUT / f"{source}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: row[k] for k in COLUMNS} for row in rows)
        print(f"{path.relative_to(ROOT)}: {len(rows)} rows")


if __name__ == "__main__":
    main()
