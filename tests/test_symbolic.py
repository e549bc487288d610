"""Wei et al.'s symbolic tasks: the shipped sets are what the generator makes, loaded strictly, scored right."""

from __future__ import annotations

import json

import pytest

from artifact.errors import DataError
from artifact.evaluate import symbolic, tasks


@pytest.mark.parametrize("task,split", sorted(symbolic.SEEDS))
def test_shipped_sets_are_the_generator_output_byte_for_byte(task, split):
    pytest.importorskip("names")
    first, last = symbolic.census_names()
    assert len(set(first)) > 900 and len(set(last)) == 1000
    assert symbolic.data_file(task, split).read_text(encoding="utf-8") == symbolic.generate(task, split, first, last)


@pytest.mark.parametrize("task", ["last-letters", "coin-flip"])
def test_every_split_loads_with_its_steps_and_distinct_questions(task):
    registered = tasks.get(task)
    assert list(registered.splits) == ["id-2", "ood-3", "ood-4"] and registered.styles == ("standard", "cot")
    for split, steps in symbolic.SPLITS.items():
        data = registered.load(None, split)
        assert len(data.items) == symbolic.ITEMS == len({i.question for i in data.items})
        for item in data.items:
            if task == "last-letters":
                words = item.question.split('"')[1].split()
                assert len(words) == steps and item.gold == "".join(w[-1] for w in words).lower()
            else:
                flips = item.question.count(" flips the coin.")
                assert item.question.count("the coin.") == steps and item.gold == ("no" if flips % 2 else "yes")
    golds = [i.gold for s in symbolic.SPLITS for i in registered.load(None, s).items]
    if task == "coin-flip":
        assert 0.35 < golds.count("yes") / len(golds) < 0.65  # neither answer is a free win


def test_exemplars_match_their_own_rule_and_use_two_steps():
    letters = tasks.get("last-letters").style("cot").prefix
    assert letters.count("Q: ") == 4 and 'Put together, they give "ae". The answer is ae.' in letters
    coin = tasks.get("coin-flip").style("standard").prefix
    assert coin.count("Q: ") == 8 and "so it is flipped" not in coin  # standard prompting has no chain


def test_a_bad_line_names_the_file_line_and_field(tmp_path):
    good = symbolic.data_file("coin-flip", "id-2").read_text(encoding="utf-8").splitlines()[:2]
    record = json.loads(good[1])
    record["steps"] = "two"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good[0] + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl, line 2, field 'steps'"):
        tasks.get("coin-flip").load(bad, "id-2")


@pytest.mark.parametrize("text,answer,rule", [
    (' The last letter of "Ada" is "a". Put together, they give "ae". The answer is ae.', "ae", "answer-is"),
    (" The answer is Yn.", "yn", "answer-is"),
    (' Put together, they give "ae".', None, "none"),
])
def test_last_letters_extraction(text, answer, rule):
    found = symbolic.extract_letters(text)
    assert (found.answer, found.rule) == (answer, rule)


@pytest.mark.parametrize("text,answer,rule", [
    (" So it is flipped 1 time. The answer is no.", "no", "answer-is"),
    (" The answer is Yes, because nobody flips it.", "yes", "answer-is"),
    (" Yes, it is. Well, no.", "no", "last-yes-no"),
    (" The coin is heads up.", None, "none"),
])
def test_coin_flip_extraction(text, answer, rule):
    found = symbolic.extract_yes_no(text)
    assert (found.answer, found.rule) == (answer, rule)
    assert symbolic.same_text(found.answer, "no") == (answer == "no")
