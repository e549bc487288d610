"""What builders assume about the rows of a published file, checked when the file loads.

The schema checks one row at a time; a builder that pairs rows (chain of thought against direct
prompting for the same model) also needs the partner row to exist, once. A renamed model or a
dropped row would otherwise surface as a KeyError deep inside an exhibit. Each expectation here says
which rows it covers, how they group, and which "slots" every group fills exactly once; a miss is an
EvidenceError naming the file, the line of the row and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from artifact.errors import EvidenceError
from artifact.evidence.schema import PublishedRow


@dataclass(frozen=True)
class Complete:
    """Rows chosen by ``covers`` fall into groups (``group``); each group has every slot in ``slots``
    exactly once, and no other slot."""

    what: str  # the rows, as a reader would name them
    readers: str  # who relies on the expectation
    covers: Callable[[PublishedRow], bool]
    group: Callable[[PublishedRow], str]  # e.g. the model
    slot: Callable[[PublishedRow], str]  # e.g. the setting
    slot_field: str  # the field a wrong slot is reported in
    slots: tuple[str, ...]


def _bench_prefix(row: PublishedRow) -> str:
    match = re.match(r"^(Norm\. avg|MMLU|BBH|TyDiQA|MGSM)", row.benchmark)
    return f"{match.group(1) if match else row.benchmark} / {row.setting}"


EXPECTATIONS: dict[str, tuple[Complete, ...]] = {
    "wei2022cot": (Complete(
        "Appendix B Table 2 rows with standard or chain-of-thought prompting", "gsm8k-scaling, cot-threshold",
        covers=lambda r: r.location.startswith("Appendix B Table 2")
        and r.setting in ("standard_prompting", "chain_of_thought"),
        group=lambda r: f"{r.model} ({r.benchmark})", slot=lambda r: r.setting, slot_field="setting",
        slots=("standard_prompting", "chain_of_thought")),),
    "chung2022flan": (Complete(
        "Table 5 rows", "flan-table5, cot-threshold",
        covers=lambda r: r.location.startswith("Table 5"), group=lambda r: r.model, slot=_bench_prefix,
        slot_field="benchmark",
        slots=("Norm. avg / all", "MMLU / direct", "MMLU / cot", "BBH / direct", "BBH / cot", "TyDiQA / direct",
               "MGSM / cot")),),
    "suzgun2022bbh": (Complete(
        "Table 2 accuracy rows with answer-only or chain-of-thought prompting", "bbh-cot, cot-threshold",
        covers=lambda r: r.location.startswith("Table 2") and r.metric == "accuracy_exact_match_pct"
        and r.setting in ("answer_only", "cot"),
        group=lambda r: f"{r.model} ({r.benchmark})", slot=lambda r: r.setting, slot_field="setting",
        slots=("answer_only", "cot")),),
}


# Rows a builder or a claim check reads by id: (row id, who reads it).
REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    "wei2022cot": (("t1/prior-best-finetuning/finetuned-verifier/gsm8k/solve-rate-pct", "gsm8k-scaling"),),
    "kaplan2020scaling": (("eq1-1/l/webtext2-test-loss/n-c", "scaling-vs-emergence and the log-linear claim"),
                          ("eq1-1/l/webtext2-test-loss/alpha-n", "scaling-vs-emergence and the log-linear claim")),
}


def check_expectations(path: Path, rows: list[PublishedRow], lines: dict[str, int]) -> None:
    """EvidenceError for the first row that breaks an expectation on the file ``path`` (by its stem)."""
    for row_id, readers in REQUIRED.get(path.stem, ()):
        if row_id not in lines:
            raise EvidenceError(path, None, "id", f"no row {row_id!r} ({readers} read it by id)")
    for rule in EXPECTATIONS.get(path.stem, ()):
        groups: dict[str, dict[str, PublishedRow]] = {}
        for row in (r for r in rows if rule.covers(r)):
            slot, filled = rule.slot(row), groups.setdefault(rule.group(row), {})
            if slot not in rule.slots:
                raise EvidenceError(path, lines[row.id], rule.slot_field,
                                    f"{slot!r} is not one of {', '.join(rule.slots)} ({rule.what}; read by "
                                    f"{rule.readers})")
            if slot in filled:
                raise EvidenceError(path, lines[row.id], "model",
                                    f"a second {slot!r} row for {rule.group(row)!r} (first on line "
                                    f"{lines[filled[slot].id]}; {rule.what} hold one per model)")
            filled[slot] = row
        for group, filled in groups.items():
            missing = [s for s in rule.slots if s not in filled]
            if missing:
                first = min(filled.values(), key=lambda r: lines[r.id])
                raise EvidenceError(path, lines[first.id], "model",
                                    f"{group!r} has no {missing[0]!r} row to pair with ({rule.what} come in "
                                    f"complete sets of {', '.join(rule.slots)}; read by {rule.readers})")
