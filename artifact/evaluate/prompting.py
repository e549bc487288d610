"""Few-shot prompt builders: `standard(shots)` and `cot(shots)` over Wei et al.'s eight exemplars.

A prompt is a shared prefix (the exemplars) plus a per-item suffix, so backends can encode the
prefix once and reuse it for every item.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from artifact import paths
from artifact.errors import EvidenceError
from artifact.strict import line_of, load_yaml

EXEMPLARS_FILE = paths.DATA_DIR / "prompts" / "wei2022_gsm8k.yaml"
STOP = ("\nQ:", "\n\n")  # the next question, or a blank line, ends the answer


class Exemplar(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    question: str
    chain: str
    answer: str


class ExemplarSet(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    source_key: str
    location: str
    exemplars: list[Exemplar] = Field(min_length=8, max_length=8)


@cache
def exemplars() -> ExemplarSet:
    node, data = load_yaml(EXEMPLARS_FILE)
    try:
        return ExemplarSet.model_validate(data)
    except ValidationError as exc:
        raise EvidenceError.from_validation(EXEMPLARS_FILE, exc, lambda loc: line_of(node, loc)) from None


@dataclass(frozen=True)
class PromptStyle:
    name: str
    prefix: str

    def suffix(self, question: str) -> str:
        return f"Q: {question}\nA:"

    def prompt(self, question: str) -> str:
        return self.prefix + self.suffix(question)

    @property
    def sha256(self) -> str:
        template = json.dumps({"name": self.name, "prefix": self.prefix, "suffix": self.suffix("{question}"),
                               "stop": STOP}, sort_keys=True)
        return hashlib.sha256(template.encode("utf-8")).hexdigest()


def _build(name: str, shots: int, with_chain: bool) -> PromptStyle:
    chosen = exemplars().exemplars[:shots]
    blocks = [f"Q: {e.question}\nA: " + (f"{e.chain} " if with_chain else "") + f"The answer is {e.answer}.\n\n"
              for e in chosen]
    return PromptStyle(name, "".join(blocks))


def standard(shots: int = 8) -> PromptStyle:
    """Question -> 'The answer is N.' exemplars (no reasoning)."""
    return _build("standard", shots, with_chain=False)


def cot(shots: int = 8) -> PromptStyle:
    """Question -> chain of thought -> 'The answer is N.' exemplars."""
    return _build("cot", shots, with_chain=True)


STYLES = {"standard": standard, "cot": cot}


def truncate_at_stop(text: str) -> str:
    """The completion up to the first stop sequence."""
    cut = min((i for i in (text.find(s) for s in STOP) if i >= 0), default=len(text))
    return text[:cut]
