"""`list`: the registered exhibits, in the article's order."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("list", help="list the exhibits with their inputs")
    p.set_defaults(run=run)


def run(args) -> int:
    from artifact.exhibits import REGISTRY

    for ex in REGISTRY.values():
        print(f"{ex.id:<22} {ex.kind:<6} {ex.title_en}")
        print(f"{'':<22} {'':<6} {ex.title_zh}")
        print(f"{'':<22} {'':<6} inputs: {', '.join(ex.inputs)}")
    return 0
