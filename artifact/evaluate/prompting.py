"""Few-shot prompts built from a task's exemplars file and its question/answer template.

A prompt is a shared prefix (the exemplars) plus a per-item suffix, so backends can encode the
prefix once and reuse it for every item. What differs between tasks (the exemplars, how a question
and an answer are written, which strings end an answer) is data: an exemplars YAML file and a
`Template`; the styles (`standard`, `cot`) are the same two ways of writing an exemplar's answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from artifact import paths
from artifact.errors import ArtifactError, DataError
from artifact.strict import line_of, load_yaml

GSM8K_EXEMPLARS = paths.DATA_DIR / "prompts" / "wei2022_gsm8k.yaml"


@dataclass(frozen=True)
class Template:
    """How a task writes a question, closes an exemplar's answer, and which strings end a completion."""

    question: str = "Q: {question}\nA:"  # the per-item suffix; an exemplar starts the same way
    answer: str = "The answer is {answer}."  # the sentence that closes every exemplar's answer
    separator: str = "\n\n"  # between exemplars
    stop: tuple[str, ...] = ("\nQ:", "\n\n")  # the next question, or a blank line, ends the answer


STOP = Template().stop  # GSM8K's (and the symbolic tasks') stop strings


class Exemplar(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    question: str
    chain: str
    answer: str


class ExemplarSet(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    source_key: str
    location: str
    exemplars: list[Exemplar] = Field(min_length=1)


@cache
def load_exemplars(path: Path) -> ExemplarSet:
    """A task's exemplars file (YAML: source_key, location, exemplars: question/chain/answer)."""
    node, data = load_yaml(path, DataError)  # the one strict YAML reader: a missing file is one DataError
    try:
        return ExemplarSet.model_validate(data)
    except ValidationError as exc:
        raise DataError.from_validation(path, exc, lambda loc: line_of(node, loc)) from None


def exemplars() -> ExemplarSet:
    """GSM8K's eight exemplars (Wei et al. 2022, Appendix G)."""
    return load_exemplars(GSM8K_EXEMPLARS)


@dataclass(frozen=True)
class PromptStyle:
    name: str
    prefix: str
    template: Template = Template()

    @property
    def stop(self) -> tuple[str, ...]:
        return self.template.stop

    def suffix(self, question: str) -> str:
        return self.template.question.replace("{question}", question)

    def prompt(self, question: str) -> str:
        return self.prefix + self.suffix(question)

    def truncate(self, text: str) -> str:
        """The completion up to the first stop sequence."""
        return truncate_at_stop(text, self.stop)

    @property
    def sha256(self) -> str:
        # The fields hashed are those of the first (GSM8K-only) format, so its run folders keep their names.
        template = json.dumps({"name": self.name, "prefix": self.prefix, "suffix": self.suffix("{question}"),
                               "stop": self.stop}, sort_keys=True)
        return hashlib.sha256(template.encode("utf-8")).hexdigest()


# The prompting styles: how an exemplar's answer is written (with or without its chain of thought).
WITH_CHAIN = {"standard": False, "cot": True}


def build(name: str, chosen: ExemplarSet, template: Template, shots: int) -> PromptStyle:
    """The style ``name`` over the first ``shots`` exemplars of ``chosen``."""
    if name not in WITH_CHAIN:
        raise ArtifactError(f"unknown prompting style {name!r}; known: {', '.join(WITH_CHAIN)}")
    blocks = [template.question.replace("{question}", e.question) + " "
              + (f"{e.chain} " if WITH_CHAIN[name] else "") + template.answer.replace("{answer}", e.answer)
              + template.separator for e in chosen.exemplars[:shots]]
    return PromptStyle(name, "".join(blocks), template)


def standard(shots: int = 8) -> PromptStyle:
    """GSM8K: question -> 'The answer is N.' exemplars (no reasoning)."""
    return build("standard", exemplars(), Template(), shots)


def cot(shots: int = 8) -> PromptStyle:
    """GSM8K: question -> chain of thought -> 'The answer is N.' exemplars."""
    return build("cot", exemplars(), Template(), shots)


def truncate_at_stop(text: str, stop: tuple[str, ...] = STOP) -> str:
    """The completion up to the first stop sequence."""
    cut = min((i for i in (text.find(s) for s in stop) if i >= 0), default=len(text))
    return text[:cut]
