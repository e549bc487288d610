"""Load the claim registry (one YAML file per article section) and validate every reference in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from artifact.claims.schema import (Claim, DateTest, GainTest, LabLengthsTest, LabShapeTest, OrderTest, Section,
                                    ThresholdTest, ValueTest)
from artifact.errors import ClaimError, EvidenceError, RegistryError
from artifact.evidence.store import Evidence
from artifact.evidence.text import _line_of

CLAIMS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Located:
    """A claim with the section it belongs to and where it is written."""

    claim: Claim
    section: Section
    path: Path
    line: int | None


def row_refs(claim: Claim) -> list[tuple[str, tuple]]:
    """(row reference, YAML path of the field) for every evidence row a claim's test names."""
    t = claim.test
    if isinstance(t, ValueTest):
        return [(t.article, ("article",)), (t.source, ("source",))] + [(r, ("also", i)) for i, r in enumerate(t.also)]
    if isinstance(t, DateTest):
        return [(t.source, ("source",))]
    if isinstance(t, OrderTest):
        return [(r, ("pairs", i, j)) for i, pair in enumerate(t.pairs) for j, r in enumerate(pair)]
    if isinstance(t, ThresholdTest):
        return [(t.article, ("article",))]
    if isinstance(t, GainTest):
        return [(t.treatment, ("treatment",)), (t.baseline, ("baseline",))]
    return []


def load_claims(evidence: Evidence, folder: Path = CLAIMS_DIR) -> list[Located]:
    """Every claim in article order; ClaimError (file, line, field) for a bad file or a dangling reference."""
    from artifact.exhibits import REGISTRY

    sections: list[tuple[Section, Path, yaml.Node]] = []
    for path in sorted(folder.glob("*.yaml")):
        raw = path.read_text(encoding="utf-8")
        try:
            node, data = yaml.compose(raw), yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ClaimError(path, mark.line + 1 if mark else None, None, f"not valid YAML: {exc.problem}") from None
        try:
            sections.append((Section.model_validate(data), path, node))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            raise ClaimError(path, _line_of(node, err["loc"]), field, err["msg"]) from None
    out: list[Located] = []
    seen: dict[str, Path] = {}
    for section, path, node in sorted(sections, key=lambda s: s[0].order):
        for i, claim in enumerate(section.claims):
            where = ("claims", i)
            line = _line_of(node, where)
            if claim.id in seen:
                raise ClaimError(path, line, "id", f"claim id {claim.id!r} is also used in {seen[claim.id].name}")
            seen[claim.id] = path
            for j, exhibit in enumerate(claim.exhibits):
                if exhibit not in REGISTRY:
                    raise ClaimError(path, _line_of(node, (*where, "exhibits", j)), "exhibits",
                                     f"unknown exhibit {exhibit!r}")
            if isinstance(claim.test, (LabShapeTest, LabLengthsTest)):
                try:
                    evidence.lab(claim.test.sweep)
                except (EvidenceError, RegistryError) as exc:
                    raise ClaimError(path, _line_of(node, (*where, "test", "sweep")), "test.sweep", str(exc)) from None
            for ref, loc in row_refs(claim):
                try:
                    evidence.row(ref)
                except (EvidenceError, RegistryError) as exc:
                    raise ClaimError(path, _line_of(node, (*where, "test", *loc)), "test." + ".".join(map(str, loc)),
                                     f"evidence row {ref!r} not found ({exc})") from None
            out.append(Located(claim, section, path, line))
    return out
