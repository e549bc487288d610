"""Pull the final number out of a completion, and say which rule found it.

Rule 1 ('answer-is'): the number after the last "The answer is" (commas, '$', units, a trailing
period, negative and decimal numbers, end of text). Rule 2 ('last-number'): the last number in the
text. Otherwise 'none'. The number is returned normalised (no commas, no trailing '.0').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# A number: optional sign, digits with optional thousands commas, optional decimals. The decimal
# point must be followed by a digit, so "18." at the end of a sentence is 18 (not "18." or "1").
NUMBER = r"-?\$?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
ANSWER_IS = re.compile(r"answer is[:\s]*(?:\$\s?)?(" + NUMBER + ")", re.IGNORECASE)
ANY_NUMBER = re.compile(NUMBER)

Rule = Literal["answer-is", "last-number", "none"]


@dataclass(frozen=True)
class Extraction:
    answer: str | None
    rule: Rule


def normalise(number: str) -> str:
    s = number.replace(",", "").replace("$", "").replace(" ", "")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def extract(completion: str) -> Extraction:
    found = ANSWER_IS.findall(completion)
    if found:
        return Extraction(normalise(found[-1]), "answer-is")
    numbers = ANY_NUMBER.findall(completion)
    if numbers:
        return Extraction(normalise(numbers[-1]), "last-number")
    return Extraction(None, "none")


def is_correct(answer: str | None, gold: str) -> bool:
    """Numeric comparison; 'no answer' is wrong."""
    if answer is None:
        return False
    try:
        return abs(float(answer) - float(normalise(gold))) < 1e-9
    except ValueError:
        return False
