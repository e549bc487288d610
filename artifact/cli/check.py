"""`check`: every claim of the article with its computed status and reason; non-zero on a surprise."""

from __future__ import annotations

import sys
import textwrap


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="check every claim of the article against the evidence",
                       description="Compute each claim's status; exit 1 if any differs from the expected one.")
    p.add_argument("--json", action="store_true", help="print the full report as JSON instead of a table")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the table (default: en)")
    p.set_defaults(run=run)


def run(args) -> int:
    from artifact.claims.report import run_claims, summary_line, to_json
    from artifact.display import status_word
    from artifact.errors import ClaimsMismatch, printable
    from artifact.evidence.store import Evidence
    from artifact.rescore import task_scoring

    from artifact.exhibits import REGISTRY

    results = run_claims(Evidence(scoring=task_scoring), exhibit_ids=frozenset(REGISTRY))
    if args.json:
        sys.stdout.write(to_json(results).decode("utf-8"))
    else:
        for r in results:
            status = status_word(r.status, args.lang)
            mark = "" if r.as_expected else f"  <-- expected {r.expected}"
            print(f"{r.section:<5} {r.id:<40} {status}{mark}")
            reason = printable(r.reason_en if args.lang == "en" else r.reason_zh)  # reasons quote evidence text
            print(textwrap.indent(textwrap.fill(reason, 110), " " * 6))
        print(summary_line(results))
    surprises = [r for r in results if not r.as_expected]
    if surprises:
        raise ClaimsMismatch("computed status differs from the expected one:\n  " + "\n  ".join(
            f"{r.file}, line {r.line}, claim '{r.id}': computed {r.status}, expected {r.expected}" for r in surprises))
    return 0
