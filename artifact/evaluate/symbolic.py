"""Wei et al.'s two symbolic tasks, generated offline from a seed: last-letter concatenation and coin flip.

Each task has an in-domain split (2 words / 2 people, as many steps as its exemplars) and two
out-of-domain splits with more steps (3 and 4), the length-generalisation test of Wei et al.
(arXiv 2201.11903v6, Sec. 5). The sets ship as JSONL under artifact/data/tasks/<task>/<split>.jsonl,
each line carrying the generator version and seed, so the test set is fixed evidence; running
this module (``python -m artifact.evaluate.symbolic``) regenerates them byte for byte.

Names: the 1990 US Census frequency lists (a work of the US government, public domain) as shipped
in the `names` package 0.3.0 on PyPI (MIT licence): the 500 most frequent male and 500 most
frequent female first names, and the 1,000 most frequent last names, in the spirit of Wei et al.'s
"top one-thousand first and last names". The package is needed only to regenerate the sets.
The questions, exemplars and chains are this project's own wording in Wei et al.'s structure.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from artifact import paths
from artifact.errors import DataError
from artifact.evaluate.dataset import Dataset, Item
from artifact.evaluate.extract import Extraction
from artifact.evaluate.task import Task, register

GENERATOR = "artifact-symbolic/1"  # bump when the generator's output changes
ITEMS = 150  # per split: enough to tell 0% from 50% from 100%, small enough for a 2-core run
TASKS_DIR = paths.DATA_DIR / "tasks"
PROMPTS_DIR = paths.DATA_DIR / "prompts"
SPLITS = {"id-2": 2, "ood-3": 3, "ood-4": 4}  # split -> words in a name / people near the coin
SEEDS = {("last-letters", "id-2"): 2201_1, ("last-letters", "ood-3"): 2201_2, ("last-letters", "ood-4"): 2201_3,
         ("coin-flip", "id-2"): 2201_4, ("coin-flip", "ood-3"): 2201_5, ("coin-flip", "ood-4"): 2201_6}


class SymbolicRecord(BaseModel):
    """One line of a shipped symbolic set."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    index: int = Field(ge=0)
    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    steps: int = Field(ge=1, description="Words in the name, or people near the coin.")
    generator: str
    seed: int


# -- generating -----------------------------------------------------------------------------------
def census_names() -> tuple[list[str], list[str]]:
    """(first names, last names) from the `names` package's census lists, most frequent first."""
    try:
        import names
    except ImportError:
        raise DataError(TASKS_DIR, None, None, "regenerating the symbolic sets needs the census name lists: "
                                               "pip install names==0.3.0") from None

    def top(key: str, n: int) -> list[str]:
        lines = Path(names.FILES[key]).read_text(encoding="ascii").splitlines()
        return [line.split()[0].capitalize() for line in lines[:n]]

    return top("first:male", 500) + top("first:female", 500), top("last", 1000)


def last_letters_item(rng: random.Random, steps: int, first: list[str], last: list[str]) -> tuple[str, str]:
    words = [rng.choice(first) for _ in range(steps - 1)] + [rng.choice(last)]
    name = " ".join(words)
    return f'Take the last letter of each word in "{name}" and put them together.', "".join(w[-1] for w in words).lower()


def coin_flip_item(rng: random.Random, steps: int, first: list[str], last: list[str]) -> tuple[str, str]:
    people = rng.sample(first, steps)
    flips = [rng.random() < 0.5 for _ in people]
    acts = " ".join(f"{p} flips the coin." if f else f"{p} does not flip the coin." for p, f in zip(people, flips))
    return f"A coin is heads up. {acts} Is the coin still heads up?", "no" if sum(flips) % 2 else "yes"


MAKERS = {"last-letters": last_letters_item, "coin-flip": coin_flip_item}


def generate(task: str, split: str, first: list[str], last: list[str], items: int = ITEMS) -> str:
    """The JSONL text of one split: ``items`` distinct questions drawn with the split's seed."""
    seed = SEEDS[(task, split)]
    rng, seen, lines = random.Random(seed), set(), []
    while len(lines) < items:
        question, answer = MAKERS[task](rng, SPLITS[split], first, last)
        if question in seen:
            continue
        seen.add(question)
        record = SymbolicRecord(index=len(lines), question=question, answer=answer, steps=SPLITS[split],
                                generator=GENERATOR, seed=seed)
        lines.append(json.dumps(record.model_dump(), ensure_ascii=False) + "\n")
    return "".join(lines)


def data_file(task: str, split: str) -> Path:
    return TASKS_DIR / task / f"{split}.jsonl"


def write_all() -> list[Path]:
    from artifact.fsio import write_atomic

    first, last = census_names()
    written = []
    for task, split in SEEDS:
        path = data_file(task, split)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, generate(task, split, first, last))
        written.append(path)
    return written


# -- loading --------------------------------------------------------------------------------------
def load(task: str, path: Path | None, split: str) -> Dataset:
    """A shipped split (or ``path``, a file of the same format); DataError names file, line and field."""
    path = path or data_file(task, split)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(path, None, None, f"cannot read the data set: {exc.strerror}") from None
    items = []
    for n, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = SymbolicRecord.model_validate_json(line)
        except ValidationError as exc:
            raise DataError.from_validation(path, exc, line=n) from None
        if record.index != len(items):
            raise DataError(path, n, "index", f"expected {len(items)}, found {record.index}")
        items.append(Item(record.index, record.question, "", record.answer))
    if not items:
        raise DataError(path, None, None, "no items")
    return Dataset(path, hashlib.sha256(raw).hexdigest(), tuple(items))


# -- answers --------------------------------------------------------------------------------------
LETTERS_IS = re.compile(r"answer is[:\s]*[\"'“]?([A-Za-z]+)", re.IGNORECASE)
YES_NO_IS = re.compile(r"answer is[:\s]*[\"'“]?(yes|no)\b", re.IGNORECASE)
YES_NO = re.compile(r"\b(yes|no)\b", re.IGNORECASE)


def extract_letters(completion: str) -> Extraction:
    found = LETTERS_IS.findall(completion)
    return Extraction(found[-1].lower(), "answer-is") if found else Extraction(None, "none")


def extract_yes_no(completion: str) -> Extraction:
    found = YES_NO_IS.findall(completion)
    if found:
        return Extraction(found[-1].lower(), "answer-is")
    words = YES_NO.findall(completion)
    return Extraction(words[-1].lower(), "last-yes-no") if words else Extraction(None, "none")


def same_text(answer: str | None, gold: str) -> bool:
    return answer is not None and answer.strip().lower() == gold.strip().lower()



def _titles(what: str, unit: str) -> dict[str, str]:
    return {s: f"{what}, {k} {unit} ({'in-domain' if s.startswith('id') else 'out-of-domain'})" for s, k in SPLITS.items()}


LAST_LETTERS = register(Task(
    name="last-letters",
    splits=_titles("last-letter concatenation", "words"),
    load=lambda path, split: load("last-letters", path, split),
    exemplars=PROMPTS_DIR / "symbolic_last_letters.yaml",
    extract=extract_letters, score=same_text,
    max_new_tokens={"standard": 16, "cot": 128},
))
COIN_FLIP = register(Task(
    name="coin-flip",
    splits=_titles("coin flip", "people"),
    load=lambda path, split: load("coin-flip", path, split),
    exemplars=PROMPTS_DIR / "symbolic_coin_flip.yaml",
    extract=extract_yes_no, score=same_text,
    max_new_tokens={"standard": 8, "cot": 128},
))


if __name__ == "__main__":
    for p in write_all():
        print(paths.display(p))
