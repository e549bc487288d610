"""Load the claim registry (one YAML file per article section) and validate every reference in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import yaml
from pydantic import ValidationError

from artifact.claims.schema import (BestInTableTest, Claim, CotVsReferenceTest, DateTest, GainTest, GapTest,
                                    LabLengthsTest, LabShapeTest, OrderTest, PairsTest, PaperDateTest, RowSaysTest, Section, ThresholdTest,
                                    Test, ValueTest)
from artifact.errors import ClaimError, EvidenceError, RegistryError
from artifact.evidence.store import Evidence
from artifact.evidence.strict import line_of as _line_of
from artifact.evidence.strict import load_yaml

CLAIMS_DIR = Path(__file__).resolve().parent
TEST_KINDS = frozenset(t.model_fields["kind"].annotation.__args__[0] for t in get_args(get_args(Test)[0]))


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
    if isinstance(t, (ThresholdTest, CotVsReferenceTest)):
        return [(t.article, ("article",))]
    if isinstance(t, GapTest):
        return [(r, ("larger", j)) for j, r in enumerate(t.larger)] + [
            (r, ("smaller", i, j)) for i, pair in enumerate(t.smaller) for j, r in enumerate(pair)]
    if isinstance(t, (BestInTableTest, RowSaysTest)):
        return [(t.row, ("row",))]
    if isinstance(t, GainTest):
        return [(t.treatment, ("treatment",)), (t.baseline, ("baseline",))]
    return []


def _evidence_at_fault(exc: EvidenceError, claim_id: str, path: Path, line: int | None) -> EvidenceError:
    """A malformed evidence file is reported at its own file, line and field (that is what to fix),
    with the claim that read it added."""
    return type(exc)(exc.path, exc.line, exc.field, f"{exc.problem} (read for claim '{claim_id}', "
                                                    f"{path.name} line {line})")


def _check_comparisons(test: ThresholdTest, evidence: Evidence, path: Path, node: yaml.Node, where: tuple) -> None:
    """Every comparison key a threshold test names is one the cot-threshold exhibit derives."""
    from artifact.evidence.views import comparisons

    known = [c.key for c in comparisons(evidence)]
    for k, key in enumerate(test.comparisons):
        if key not in known:
            raise ClaimError(path, _line_of(node, (*where, "test", "comparisons", k)), f"test.comparisons.{k}",
                             f"unknown comparison {key!r} (known: {', '.join(known)})")


def paper_refs(claim: Claim) -> list[tuple[str, tuple]]:
    """(BibTeX key, YAML path of the field) for every paper a claim's test dates."""
    t = claim.test
    if isinstance(t, DateTest) and t.model_paper:
        return [(t.model_paper, ("model_paper",))]
    if isinstance(t, PaperDateTest):
        return [(k, ("papers", i)) for i, k in enumerate(t.papers)]
    return []


def load_claims(evidence: Evidence, folder: Path = CLAIMS_DIR) -> list[Located]:
    """Every claim in article order; ClaimError (file, line, field) for a bad file or a dangling reference."""
    from artifact.exhibits import REGISTRY

    sections: list[tuple[Section, Path, yaml.Node]] = []
    for path in sorted(folder.glob("*.yaml")):
        node, data = load_yaml(path, ClaimError)
        try:
            sections.append((Section.model_validate(data), path, node))
        except ValidationError as exc:
            raise ClaimError.from_validation(path, exc, lambda loc, node=node: _line_of(node, loc), TEST_KINDS) from None
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
                except EvidenceError as exc:
                    raise _evidence_at_fault(exc, claim.id, path, line) from None
                except RegistryError as exc:
                    raise ClaimError(path, _line_of(node, (*where, "test", "sweep")), "test.sweep", str(exc)) from None
            if isinstance(claim.test, ThresholdTest):
                _check_comparisons(claim.test, evidence, path, node, where)
            for i, stem in enumerate(claim.test.sources if isinstance(claim.test, PairsTest) else []):
                try:
                    evidence.published(stem)
                except EvidenceError as exc:
                    raise _evidence_at_fault(exc, claim.id, path, line) from None
                except RegistryError as exc:
                    raise ClaimError(path, _line_of(node, (*where, "test", "sources", i)), f"test.sources.{i}",
                                     str(exc)) from None
            for key, loc in paper_refs(claim):
                if key not in evidence.sources:
                    raise ClaimError(path, _line_of(node, (*where, "test", *loc)), "test." + ".".join(map(str, loc)),
                                     f"reference {key!r} is not in {evidence.bib.name}")
            for ref, loc in row_refs(claim):
                try:
                    evidence.row(ref)
                except (EvidenceError, RegistryError) as exc:  # a row that is not there: the claim is at fault
                    raise ClaimError(path, _line_of(node, (*where, "test", *loc)), "test." + ".".join(map(str, loc)),
                                     f"evidence row {ref!r} not found ({exc})") from None
            out.append(Located(claim, section, path, line))
    return out
