"""Claims: each test kind passes and fails on real evidence, edits to evidence flip statuses,
and the registry is complete, consistent and strict about its references."""

from __future__ import annotations

import re
import shutil

import pytest

from artifact.claims.checks import check_date, check_gain, check_order, check_value
from artifact.claims.checks_scale import check_flat_then_jump, check_log_linear, check_threshold, check_wins_grow
from artifact.claims.registry import CLAIMS_DIR, load_claims
from artifact.claims.schema import (STATUSES, DateTest, FlatThenJumpTest, GainTest, LogLinearTest, OrderTest,
                                    ThresholdTest, ValueTest, WinsGrowTest)
from artifact.errors import ClaimError
from artifact.exhibits import REGISTRY
from artifact.evidence.store import Evidence
from tests.conftest import copy_repo, run_cli

PALM_COT = "wei2022cot:t2/palm-540b/chain-of-thought/gsm8k/solve-rate-pct"
PALM_STD = "wei2022cot:t2/palm-540b/standard-prompting/gsm8k/solve-rate-pct"
ARTICLE_566 = "fu2022closerlook:s2-1/gsm8k/palm-540b-cot-8-exemplars"


def edit(ev: Evidence, ref: str, value: float) -> None:
    """Change one evidence number in this Evidence's cache (the files are untouched)."""
    stem, _, row_id = ref.partition(":")
    ev.published(stem).loc[row_id, "number"] = value


def test_value_differs_then_supported_when_evidence_says_the_articles_number(ev):
    t = ValueTest(kind="value", article=ARTICLE_566, source=PALM_COT, differs_within=1)
    first = check_value(t, ev)
    assert (first.status, first.observed) == ("differs", 56.9)
    assert "56.6" in first.reason_en and "56.9" in first.reason_en
    edit(ev, PALM_COT, 56.6)
    assert check_value(t, ev).status == "supported"


def test_value_far_off_is_contradicted(ev):
    t = ValueTest(kind="value", article=ARTICLE_566, source=PALM_STD, differs_within=1)
    assert check_value(t, ev).status == "contradicted"


def test_order_holds_then_reversed_is_contradicted(ev):
    t = OrderTest(kind="order", pairs=[(PALM_COT, PALM_STD)])
    assert check_order(t, ev).status == "supported"
    edit(ev, PALM_COT, 10.0)
    v = check_order(t, ev)
    assert v.status == "contradicted" and v.observed == "0/1" and "1 of 1" in v.reason_en


def test_threshold_rules(ev):
    base = dict(kind="threshold", comparisons=["chung/bbh/all"], article="fu2022closerlook:s5/cot-beats-direct-threshold")
    assert check_threshold(ThresholdTest(**base, rule="first-win"), ev).status == "supported"
    only = ThresholdTest(**base, rule="only-model", model="Flan-cont-PaLM 62B")
    assert check_threshold(only, ev).status == "contradicted"
    # If PaLM 62B and cont-PaLM 62B did not gain from CoT, the article's reading would hold.
    edit(ev, "chung2022flan:t5/palm-62b/cot/bbh/few-shot-accuracy", 30.0)
    edit(ev, "chung2022flan:t5/cont-palm-62b/cot/bbh/few-shot-accuracy", 30.0)
    assert check_threshold(only, ev).status == "supported"
    # A small model that gains from CoT breaks "every model below 62B: direct >= CoT".
    below = ThresholdTest(**base, rule="all-smaller-direct")
    assert check_threshold(below, ev).status == "supported"
    edit(ev, "chung2022flan:t5/flan-t5-xxl/cot/bbh/few-shot-accuracy", 50.0)
    v = check_threshold(below, ev)
    assert v.status == "contradicted" and "Flan-T5-XXL" in v.reason_en  # any win contradicts by default
    assert check_threshold(ThresholdTest(**base, rule="first-win"), ev).status == "differs"
    # With a band, a gain inside it only differs; beyond it, it contradicts.
    direct = ev.row("chung2022flan:t5/flan-t5-xxl/direct/bbh/few-shot-accuracy")["number"]
    edit(ev, "chung2022flan:t5/flan-t5-xxl/cot/bbh/few-shot-accuracy", direct + 1)
    banded = ThresholdTest(**base, rule="all-smaller-direct", beats_by=3)
    v = check_threshold(banded, ev)
    assert v.status == "differs" and v.threshold == 0 and v.margin == pytest.approx(1)
    edit(ev, "chung2022flan:t5/flan-t5-xxl/cot/bbh/few-shot-accuracy", direct + 4)
    v = check_threshold(banded, ev)
    assert v.status == "contradicted" and v.threshold == 3 and v.margin == pytest.approx(1)


def test_unknown_comparison_is_an_error(ev):
    t = ThresholdTest(kind="threshold", comparisons=["chung/gsm8k/all"], rule="first-win",
                      article="fu2022closerlook:s5/cot-beats-direct-threshold")
    with pytest.raises(KeyError, match="chung/gsm8k/all"):
        check_threshold(t, ev)


def test_flat_then_jump(ev):
    t = FlatThenJumpTest(kind="flat-then-jump", small_below=10, flat_within=3, jump_at_least=5)
    v = check_flat_then_jump(t, ev)
    assert v.status == "supported" and v.observed["max_small_abs_gain"] == pytest.approx(2.2)
    edit(ev, "wei2022cot:t2/lamda-8b/chain-of-thought/gsm8k/solve-rate-pct", 12.0)  # a small model jumps
    assert check_flat_then_jump(t, ev).status == "contradicted"


def test_log_linear_depends_on_the_exponent(ev):
    t = LogLinearTest(kind="log-linear", min_r2=0.95)
    v = check_log_linear(t, ev)
    assert v.status == "supported" and 0.95 <= v.observed < 1
    edit(ev, "kaplan2020scaling:eq1-1/l/webtext2-test-loss/alpha-n", 0.5)  # a strongly curved power law
    assert check_log_linear(t, ev).status == "contradicted"


def test_wins_grow_not_all(ev):
    t = WinsGrowTest(kind="wins-grow-not-all", small_below=62)
    v = check_wins_grow(t, ev)
    assert v.status == "supported" and v.observed == "62B 3/8, 540B 4/8"
    for model in ("palm-540b", "flan-palm-540b", "u-palm-540b", "flan-u-palm-540b"):
        edit(ev, f"chung2022flan:t5/{model}/cot/mmlu/few-shot-accuracy", 99.0)  # 540B now wins everywhere
    assert check_wins_grow(t, ev).status == "contradicted"


@pytest.mark.parametrize("kind", ["flat-then-jump", "log-linear", "wins-grow-not-all"])
def test_scale_kinds_require_every_field(kind):
    """The old 'trend' kind had optional fields that only some shapes used; each kind now requires its own."""
    from pydantic import TypeAdapter, ValidationError

    from artifact.claims.schema import Test

    with pytest.raises(ValidationError, match="Field required"):
        TypeAdapter(Test).validate_python({"kind": kind})


def test_gain_within_and_beyond_bounds(ev):
    t = GainTest(kind="gain", treatment=PALM_COT, baseline=PALM_STD, at_least=30)
    v = check_gain(t, ev)
    assert v.status == "supported" and v.observed == pytest.approx(39.0)
    assert check_gain(GainTest(kind="gain", treatment=PALM_COT, baseline=PALM_STD, at_most=3), ev).status == "contradicted"
    edit(ev, PALM_COT, 18.9)  # a one-point gain
    assert check_gain(GainTest(kind="gain", treatment=PALM_COT, baseline=PALM_STD, at_least=-3, at_most=3),
                      ev).status == "supported"


def test_date_kinds(ev):
    src = "fu2022complexity:t1/code-davinci-002/complexity-voting/gsm8k/accuracy-pct"
    m = next(m for m in ev.text("gsm8k_progress").milestones if m.key == "complexity")
    t = DateTest(kind="date", milestone="complexity", source=src, in_first_version="yes")
    assert m.article_date == "2022-11" and check_date(t, ev).status == "differs"  # in v1 (2022-10), a month off
    unknown = DateTest(kind="date", milestone="complexity", source=src, in_first_version="unknown")
    assert check_date(unknown, ev).status == "unverified"  # a later version may have printed it in 2022-11
    object.__setattr__(m, "article_date", "2022-10")
    assert check_date(t, ev).status == "supported"
    object.__setattr__(m, "article_date", "2022-09")  # before the paper existed
    assert check_date(unknown, ev).status == "differs"


def test_registry_covers_the_article_and_meets_expectations(results):
    assert len(results) >= 30
    sections = list(dict.fromkeys(r.section for r in results))  # in order of first appearance
    assert sections == ["s1", "s2-1", "s2-2", "s2-3", "s3", "s4", "s5", "s6", "s7", "lab"]
    assert sum(1 for a, b in zip(results, results[1:]) if a.section != b.section) == len(sections) - 1
    assert {r.status for r in results} == set(STATUSES)
    assert [r.id for r in results if not r.as_expected] == []
    by_id = {r.id: r for r in results}
    assert by_id["palm-cot-56-6"].status == "differs"
    assert by_id["flan-cont-palm-first"].status == "contradicted"
    assert by_id["two-orders-is-17500b"].status == "contradicted"
    assert by_id["self-consistency-74-4"].status == "supported"
    for r in results:
        assert r.reason_en and r.reason_zh and r.text_zh != r.text_en


def test_every_number_in_a_reason_comes_from_the_evidence(results):
    """Reasons are generated from computed values: each decimal number they quote is an evidence value
    or derived from two (a gap)."""
    ev = Evidence()
    ev.load_all()
    known = set()
    for stem in ("wei2022cot", "wang2022sc", "fu2022complexity", "fu2022closerlook", "chung2022flan",
                 "suzgun2022bbh", "yu2022genread", "cobbe2021"):
        known |= {f"{v:g}" for v in ev.published(stem)["number"]}
    for r in results:
        if r.kind != "value":
            continue
        reason = r.reason_en.split(" (gap")[0]
        for number in re.findall(r"\b\d+\.\d+\b", reason):
            assert number in known, (r.id, number)


def test_dangling_references_name_file_line_and_field(tmp_path):
    folder = tmp_path / "claims"
    shutil.copytree(CLAIMS_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    target = folder / "s5_model_size.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("exhibits: [bbh-cot]", "exhibits: [bbh-cto]", 1), encoding="utf-8")
    with pytest.raises(ClaimError, match="unknown exhibit 'bbh-cto'") as info:
        load_claims(Evidence(), folder, exhibit_ids=frozenset(REGISTRY))
    assert (info.value.path.name, info.value.field) == ("s5_model_size.yaml", "exhibits")  # first use of bbh-cot
    assert target.read_text(encoding="utf-8").splitlines()[info.value.line - 1].strip().startswith("exhibits: [bbh-cto]")

    target.write_text(text, encoding="utf-8")
    target = folder / "s2_1_complex_reasoning.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("t1/prior-best-finetuning/", "t1/prior-best-fine-tuning/", 1), encoding="utf-8")
    with pytest.raises(ClaimError, match="evidence row 'wei2022cot:t1/prior-best-fine-tuning/") as info:
        load_claims(Evidence(), folder)
    assert info.value.field == "test.pairs.0.1"

    target.write_text(text, encoding="utf-8")
    target = folder / "s6_scale_only_factor.yaml"  # an all-pairs test naming a file that does not exist
    target.write_text(target.read_text(encoding="utf-8").replace("fu2022complexity, wang2022sc]",
                                                                 "fu2022complexity, wang2022sx]"), encoding="utf-8")
    with pytest.raises(ClaimError, match="wang2022sx") as info:
        load_claims(Evidence(), folder)
    assert (info.value.path.name, info.value.field) == ("s6_scale_only_factor.yaml", "test.sources.3")


def test_duplicate_claim_id_is_an_error(tmp_path):
    folder = tmp_path / "claims"
    shutil.copytree(CLAIMS_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    target = folder / "s7_conclusion.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("id: open-questions", "id: cot-phase-change"),
                      encoding="utf-8")
    with pytest.raises(ClaimError, match="'cot-phase-change' is also used in s3_scaling_law.yaml"):
        load_claims(Evidence(), folder)


def test_cli_check_fails_loudly_when_a_status_flips(tmp_path):
    repo = copy_repo(tmp_path)
    ok = run_cli(repo, "check")
    assert ok.returncode == 0 and f"{len(load_claims(Evidence()))} claims:" in ok.stdout
    # Edit the evidence to the article's number: the claim now computes as supported, not differs.
    csv = repo / "artifact/data/published/wei2022cot.csv"
    text = csv.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("t2/palm-540b/chain-of-thought/"))
    csv.write_text(text.replace(row, row.replace(",56.9,", ",56.6,")), encoding="utf-8")
    bad = run_cli(repo, "check")
    assert bad.returncode == 1
    assert "s2_1_complex_reasoning.yaml, line" in bad.stderr
    assert "claim 'palm-cot-56-6': computed supported, expected differs" in bad.stderr


def test_cli_check_json(tmp_path):
    import json

    out = run_cli(copy_repo(tmp_path), "check", "--json")
    doc = json.loads(out.stdout)
    assert doc["counts"]["supported"] == sum(c["status"] == "supported" for c in doc["claims"])
