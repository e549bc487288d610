"""The lengths sweep: p^L, half-way sizes, one-curve fits and take-off loss on hand-made metrics with known
answers; the loss per answer token on a model built here; the preset's validation; the smoke version end to
end; and the claims' checks on hand-made sweeps."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from artifact.claims.lab_lengths import statistic
from artifact.claims.schema import LabLengthsTest
from artifact.evidence import lab_lengths as views
from artifact.evidence.lab import load_sweep, long_frame
from artifact.lab.config import PRESETS, SweepConfig


def table(rows: list[tuple]) -> pd.DataFrame:
    """(digits, width, seed, parameters, exact_match, token_accuracy, answer_loss) per model."""
    frame = pd.DataFrame(rows, columns=["digits", "width", "seed", "parameters", "exact_match", "token_accuracy",
                                        "answer_loss"])
    frame["log_likelihood"] = -frame["answer_loss"] * (frame["digits"] + 2)
    frame["heldout_loss"] = frame["answer_loss"]  # a sweep made with the column
    return frame


def test_power_prediction_by_hand():
    m = table([(2, 8, 0, 100, 0.6, 0.9, 0.1), (3, 8, 0, 110, 0.2, 0.5, 0.7)])
    t = views.power_table(m)
    assert t["tokens"].tolist() == [4, 5]
    assert t["predicted"].tolist() == pytest.approx([0.9 ** 4, 0.5 ** 5])
    assert t["error"].tolist() == pytest.approx([0.6561 - 0.6, 0.03125 - 0.2])
    s = views.power_summary(m)
    assert s["mean_abs_error"].tolist() == pytest.approx([0.0561, 0.16875])
    assert s["mean_error"].tolist() == pytest.approx([0.0561, -0.16875])  # 5 tokens: more whole answers than p^L


def test_halfway_size_by_hand():
    # from 0 to 1.0: half is 0.5, between 100 (0.2) and 1000 (1.0): 3/8 of the way in log size
    assert views.halfway_size([10, 100, 1000], [0.0, 0.2, 1.0]) == pytest.approx(10 ** 2.375)
    # per-token accuracy starting at 0.4: half of its rise (0.7), not half of its final value
    assert views.halfway_size([10, 100, 1000], [0.4, 0.7, 1.0]) == pytest.approx(100)
    assert views.halfway_size([10, 100], [0.0, 0.04]) is None  # no rise worth placing
    m = table([(2, w, s, p, em, ta, 1.0) for w, p, em, ta in [(4, 10, 0.0, 0.4), (8, 100, 0.5, 0.7),
                                                              (16, 1000, 1.0, 1.0)] for s in (0, 1)])
    h = views.halfway_table(m).set_index("metric")["halfway"]
    assert h["exact_match"] == pytest.approx(100) and h["token_accuracy"] == pytest.approx(100)


def test_isotonic_and_one_curve_r2_by_hand():
    assert views.isotonic([1, 3, 2, 4]) == pytest.approx([1, 2.5, 2.5, 4])
    assert views.isotonic([4, 2, 3, 1], increasing=False) == pytest.approx([4, 2.5, 2.5, 1])
    # every model on one falling curve of loss, whatever its length: R^2 = 1 on loss
    one = table([(d, w, 0, w * 10 * d, em, em, loss) for d in (2, 3)
                 for w, em, loss in [(4, 0.0, 2.0), (8, 0.5, 1.0), (16, 1.0, 0.1)]])
    assert views.one_curve_r2(one, "exact_match", "answer_loss") == pytest.approx(1.0)
    # the same loss, different exact match by length: one curve explains only part
    two = table([(2, 8, 0, 100, 1.0, 0.9, 1.0), (3, 8, 0, 100, 0.0, 0.9, 1.0),
                 (2, 16, 0, 200, 1.0, 1.0, 0.1), (3, 16, 0, 200, 1.0, 1.0, 0.1)])
    # mean 0.75, total 0.75; the fit pools the tie at loss 1.0 to 0.5: residual 0.5
    assert views.one_curve_r2(two, "exact_match", "answer_loss") == pytest.approx(1 - 0.5 / 0.75)


def test_takeoff_loss_by_hand():
    m = table([(2, 4, 0, 10, 0.0, 0.4, 2.0), (2, 8, 0, 20, 0.05, 0.6, 1.0), (2, 16, 0, 40, 0.3, 0.8, 0.5),
               (3, 4, 0, 10, 0.0, 0.4, 2.0), (3, 8, 0, 20, 0.2, 0.7, 0.8), (3, 16, 0, 40, 0.9, 0.9, 0.2)])
    assert views.takeoff_by_length(m) == {2: 0.5, 3: 0.8}
    assert views.takeoff_loss(m[m["digits"] == 2].assign(exact_match=0.0)) is None
    value, en, zh, _, undecided = statistic(LabLengthsTest(kind="lab-lengths", statistic="takeoff-spread",
                                                           at_most=1.5), m)
    assert value == pytest.approx(1.6) and "0.500 to 1.000" in en and "0.800 to 2.000" in en and "1.60" in zh
    # the take-off lies in [0.5, 1.0] and [0.8, 2.0]: any spread from 1 to 4, both sides of the 1.5 line
    assert undecided is not None and "1.00 to 4.00" in undecided[0]
    assert views.takeoff_bracket(m[m["digits"] == 2]) == (0.5, 1.0)
    assert statistic(LabLengthsTest(kind="lab-lengths", statistic="takeoff-spread", at_most=5), m)[4] is None


def _grid(em: dict[int, list[float]], ta: dict[int, list[float]]) -> pd.DataFrame:
    sizes = [10, 100, 1000, 10000]
    return table([(d, 4 * (i + 1), s, p, em[d][i], ta[d][i], 1 - ta[d][i] + 0.01 * d)
                  for d in em for i, p in enumerate(sizes) for s in (0, 1)])


def test_halfway_claims_can_come_out_either_way():
    grows = _grid({2: [0, 0.5, 1, 1], 3: [0, 0.1, 0.9, 1]}, {2: [0.4, 0.9, 1, 1], 3: [0.4, 0.6, 0.9, 1]})
    t = LabLengthsTest(kind="lab-lengths", statistic="halfway-grows", at_least=1)
    # 4 tokens: exact match halfway at 100; 5 tokens: 10^2.5 (half of 0.1 -> 0.9 between 100 and 1000)
    assert statistic(t, grows)[0] == pytest.approx(10 ** 0.5) and statistic(t, grows)[4] is None
    shrinks = _grid({2: [0, 0.1, 0.9, 1], 3: [0, 0.5, 1, 1]}, {2: [0.4, 0.6, 0.9, 1], 3: [0.4, 0.9, 1, 1]})
    assert statistic(t, shrinks)[0] < 1 and statistic(t, shrinks)[4] is None  # in different grid intervals
    ratio = LabLengthsTest(kind="lab-lengths", statistic="halfway-ratio", at_least=1.0)
    # 4 tokens: exact match at 100, token accuracy 0.6 of the way from 10 to 100; 5 tokens: 316 vs 10^(7/3)
    assert statistic(ratio, grows)[0] == pytest.approx(min(100 / 10 ** 1.6, 10 ** 2.5 / 10 ** (7 / 3)))
    early = _grid({2: [0, 0.9, 1, 1], 3: [0, 0.9, 1, 1]}, {2: [0.4, 0.45, 0.9, 1], 3: [0.4, 0.45, 0.9, 1]})
    assert statistic(ratio, early)[0] < 1.0
    # exact match at 10^1.5 and per-token accuracy between 100 and 1000: other intervals, so decided
    assert statistic(ratio, early)[4] is None
    # exact match at 10^1.83, per-token accuracy at 10^1.86: both between sizes 10 and 100
    near = _grid({2: [0, 0.6, 1, 1], 3: [0, 0.6, 1, 1]}, {2: [0.4, 0.75, 1, 1], 3: [0.4, 0.75, 1, 1]})
    assert statistic(ratio, near)[0] < 1.0 and "same two neighbouring sizes" in statistic(ratio, near)[4][0]


def test_loss_claims_need_heldout_loss_and_compare_on_seed_means():
    m = _grid({2: [0, 0.5, 1, 1], 3: [0, 0.1, 0.9, 1]}, {2: [0.4, 0.9, 1, 1], 3: [0.4, 0.6, 0.9, 1]})
    one = LabLengthsTest(kind="lab-lengths", statistic="one-curve", metric="exact_match", at_least=0.9)
    beats = LabLengthsTest(kind="lab-lengths", statistic="loss-beats-size", metric="exact_match", at_least=0.05)
    assert statistic(one, m)[4] is None and 0 < statistic(one, m)[0] <= 1
    # seed means per size and length: the same values as one seed each, so the two seeds here change nothing
    means = views.group_means(m, ["exact_match", "heldout_loss", "parameters"])
    assert len(means) == 8 and statistic(beats, m)[0] == pytest.approx(
        views.one_curve_r2(means, "exact_match", "heldout_loss") - views.one_curve_r2(means, "exact_match", "parameters"))
    missing = m.assign(heldout_loss=float("nan"))
    for t in (one, beats):
        assert "before heldout_loss existed" in statistic(t, missing)[4][0]


def test_power_error_claim_by_hand():
    m = table([(2, 8, 0, 100, 0.6, 0.9, 0.1), (3, 8, 0, 110, 0.2, 0.5, 0.7)])
    value, en, _, names, _ = statistic(LabLengthsTest(kind="lab-lengths", statistic="power-error", at_most=0.05), m)
    assert value == pytest.approx((0.0561 + 0.16875) / 2) and "4 tokens 0.056" in en
    assert names == ("exact_match", "token_accuracy")


def test_the_lengths_preset_is_valid_and_impossible_ones_are_refused():
    lengths = PRESETS["lengths"]
    assert lengths.digit_counts == (2, 3, 4) and lengths.heldout_items >= 500  # 0.2% per problem
    assert [lengths.for_digits(d).digits for d in lengths.digit_counts] == [2, 3, 4]
    with pytest.raises(ValueError, match="1-digit addition has 5 held-out and 95 training pairs"):
        SweepConfig(digits=(1, 2), heldout_items=10, train_items=90)
    with pytest.raises(ValueError, match="2-digit addition has 500 held-out"):
        SweepConfig(digits=(2, 3), heldout_items=501, train_items=9000)
    with pytest.raises(ValueError, match="1 to 6 digits"):
        SweepConfig(digits=(3, 7))
    with pytest.raises(ValueError, match="distinct digit counts in increasing order"):
        SweepConfig(digits=(3, 2))


def test_answer_loss_is_the_models_own_cross_entropy():
    torch = pytest.importorskip("torch")
    from artifact.lab.score import answer_loss
    from artifact.lab.task import problems
    from artifact.lab.train import _batch, build_model, score

    config = PRESETS["lengths-smoke"].for_digits(3)
    model = build_model(config, 8, seed=0).eval()
    heldout = problems(3, 40, heldout=True, seed=config.data_seed)
    predictions = score(model, heldout)
    ids, labels, mask = _batch(heldout)
    with torch.inference_mode():
        reference = float(model(input_ids=ids, attention_mask=mask, labels=labels).loss)
    assert answer_loss(predictions) == pytest.approx(reference, abs=1e-5)
    assert all(len(p["token_correct"]) == 5 for p in predictions)  # 4 sum digits and the end mark
    # and what the evidence derives from metrics.csv (mean log-likelihood over 5 tokens) is the same number
    from artifact.lab.score import summarise

    assert -summarise(predictions)["log_likelihood"] / 5 == pytest.approx(reference, abs=1e-5)


def test_lengths_smoke_sweep_end_to_end(tmp_path):
    pytest.importorskip("torch")
    from artifact import paths
    from tests.conftest import run_cli

    result = run_cli(paths.REPO_ROOT, "lab", "--preset", "lengths-smoke", "--out", str(tmp_path), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "2 tasks (2, 3 digits)" in result.stdout and "digits 3 width" in result.stdout
    (folder,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]  # not the lab lock
    config, metrics = load_sweep(folder)
    assert config["digits"] == [2, 3] and (folder / "metrics.csv").read_text().startswith("digits,width,")
    assert sorted(set(zip(metrics["digits"], metrics["width"]))) == [(2, 4), (2, 8), (3, 4), (3, 8)]
    assert (metrics["answer_loss"] > 0).all()
    ids = long_frame("lengths-smoke", metrics).index
    assert "lengths-smoke/exact_match/d3/w8/s0" in ids
    t = views.power_table(metrics)
    assert t["tokens"].tolist() == [4, 4, 5, 5]
    assert all(math.isfinite(x) for x in t["error"])


def test_the_shipped_lengths_sweep_matches_its_preset():
    import json

    from artifact.evidence.store import Evidence

    config, metrics = Evidence().lab("lengths")
    wanted = PRESETS["lengths"]
    assert {k: config[k] for k in wanted.record()} == json.loads(wanted.hashed())
    grid = {(d, w, s) for d in wanted.digit_counts for w in wanted.widths for s in wanted.seeds}
    assert set(zip(metrics["digits"], metrics["width"], metrics["seed"])) == grid
    assert (metrics.groupby("digits")["tokens"].nunique() == 1).all()  # one budget per task
    assert (abs(metrics["tokens"] - wanted.tokens) < 32 * 16).all()  # the same budget across tasks


def test_the_exhibit_plots_the_loss_the_evidence_gives():
    from artifact.evidence.store import Evidence
    from artifact.exhibits import REGISTRY

    evidence = Evidence()
    frame = REGISTRY["lab-lengths"].build(evidence, "en").data
    loss = frame[frame["x_derivation"].str.startswith("loss:")]
    assert len(loss) == 2 * 54
    for x, ref, how in zip(loss["x"], loss["x_evidence"], loss["x_derivation"]):
        assert float(x) == pytest.approx(-float(evidence.row(ref)["number"]) / int(how[5:]), abs=1e-8)
    power = frame[frame["panel"] == "power"]
    for x, ref in zip(power["x"], power["x_evidence"]):
        assert float(x) == float(evidence.row(ref)["number"])
