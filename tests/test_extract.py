"""Answer extraction on completions the way small and large models really write them."""

from __future__ import annotations

import pytest

from artifact.evaluate.dataset import gold_answer
from artifact.evaluate.extract import extract, is_correct

CASES = [
    # completion, extracted, rule
    ("The answer is 18", "18", "answer-is"),  # end of text, no period (lm-eval's strict regex reads "1")
    ("The answer is 18.", "18", "answer-is"),
    (" So she makes 9 * 2 = $18 every day. The answer is $18.", "18", "answer-is"),
    ("The answer is 1,234.", "1234", "answer-is"),
    ("the answer is $1,234.50 in total.", "1234.5", "answer-is"),
    ("The answer is -3.", "-3", "answer-is"),
    ("The answer is 0.75.", "0.75", "answer-is"),
    ("The answer is 7 dozen.", "7", "answer-is"),
    ("The answer is: 42", "42", "answer-is"),
    ("The answer is 5. Wait, no. The answer is 6.", "6", "answer-is"),  # the last statement wins
    # restating with the working first: the final statement holds the value, not the expression's first number
    (" The answer is 150 - 80 = 70. The answer is 70.", "70", "answer-is"),
    (" So the answer is 2 x 2 = 4 bolts of white fiber. The answer is 4.", "4", "answer-is"),
    # fractions are answers in their own right, not the numerator
    ("The answer is 1/2.", "1/2", "answer-is"),
    (" 1/4 + 3/4 = 3/4. So 1/4 + 3/4 = 5/4. The answer is 5/4.", "5/4", "answer-is"),
    ("The answer is 3/4 of a cup.", "3/4", "answer-is"),
    ("The answer is 1/3 * 7 = 5. The answer is 5.", "5", "answer-is"),
    ("She ate 1/2 of it", "1/2", "last-number"),
    ("The answer is -1/2.", "-1/2", "answer-is"),
    ("The answer is 12.00", "12", "answer-is"),
    ("He has 3 apples and 4 pears, 7 in all.", "7", "last-number"),
    ("It costs $2,500 per year", "2500", "last-number"),
    ("I am not sure.", None, "none"),
    ("", None, "none"),
]


@pytest.mark.parametrize("completion, answer, rule", CASES)
def test_extraction(completion, answer, rule):
    found = extract(completion)
    assert (found.answer, found.rule) == (answer, rule)


@pytest.mark.parametrize("answer, gold, correct", [
    ("18", "18", True), ("18.0", "18", True), ("1234", "1,234", True), ("-3", "-3", True),
    ("0.5", ".5", True), ("17", "18", False), (None, "18", False),
    ("1/2", "0.5", True), ("4/2", "2", True), ("5/4", "1", False), ("1/0", "1", False),
])
def test_numeric_comparison(answer, gold, correct):
    assert is_correct(answer, gold) is correct


def test_gold_is_the_number_after_the_marks():
    assert gold_answer("3*7 = <<3*7=21>>21 eggs\n#### 7") == "7"
    assert gold_answer("so 1,000 in all\n#### 1,000") == "1000"
    assert gold_answer("no marks") is None
