"""`python -m artifact <command>`: a thin dispatcher; each command lives in its own module."""

from __future__ import annotations

import argparse
import sys

from artifact.errors import ArtifactError, printable


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except ArtifactError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)  # text from data files must not drive the terminal
        return 1
    except KeyboardInterrupt:
        # every command writes through temporary files and resumable records, so stopping loses nothing;
        # the newline ends a progress bar or the terminal's "^C"
        print("\ninterrupted; the same command resumes", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m artifact",
                                     description="Reproducible companion to 'A Closer Look at LLM Emergent Abilities'.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    from artifact.cli import check as check_cmd
    from artifact.cli import evaluate as evaluate_cmd
    from artifact.cli import lab as lab_cmd
    from artifact.cli import list as list_cmd
    from artifact.cli import reproduce as reproduce_cmd

    for module in (reproduce_cmd, check_cmd, evaluate_cmd, lab_cmd, list_cmd):
        module.add_parser(sub)
    return parser
