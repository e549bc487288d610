"""Pull the final number out of a completion, and say which rule found it.

Rule 1 ('answer-is'): the number after "The answer is" (commas, '$', units, a trailing period,
negative, decimal and fraction numbers, end of text). Rule 2 ('last-number'): the last number in the
text. Otherwise 'none'. The number is returned normalised (no commas, no trailing '.0'; a fraction
stays a fraction, "3/4", and is compared by value).

When "The answer is" appears more than once, the last one counts. Wei et al.'s exemplars end every
answer with exactly one "The answer is N.", so the answer is the sentence that closes the reasoning;
small models that restate it ("The answer is 150 - 80 = 70. The answer is 70.") put their final
value last, and a first-match rule would take the expression's first number (150) instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

# A number: optional sign, digits with optional thousands commas, optional decimals. The decimal
# point must be followed by a digit, so "18." at the end of a sentence is 18 (not "18." or "1").
# A fraction is digits '/' digits with no spaces ("1/2"; "1 / 2" is an expression, not an answer).
NUMBER = r"-?\$?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:/\d+(?!\.\d))?"
ANSWER_IS = re.compile(r"answer is[:\s]*(?:\$\s?)?(" + NUMBER + ")", re.IGNORECASE)
ANY_NUMBER = re.compile(NUMBER)

Rule = Literal["answer-is", "last-number", "none"]


@dataclass(frozen=True)
class Extraction:
    answer: str | None
    rule: Rule


def normalise(number: str) -> str:
    s = number.replace(",", "").replace("$", "").replace(" ", "")
    if "." in s and "/" not in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def value(number: str) -> Fraction:
    """The exact value of a normalised number, fractions included (ValueError if it is none)."""
    return Fraction(number)  # accepts "12", "-3.5", "3/4"; raises ZeroDivisionError on "1/0"


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
        return value(answer) == value(normalise(gold))
    except (ValueError, ZeroDivisionError):
        return False
