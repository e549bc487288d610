"""Each exhibit's CSV holds exactly the evidence numbers it cites (or values derived from them)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from artifact.evidence.store import Evidence
from artifact.exhibits import REGISTRY
from artifact.evidence.views import pair_up, smallest_cot_win
from artifact.exhibits.registry import LANGS, Chart, Table


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    ev = Evidence()
    ev.load_all()
    return ev


def exhibit_csv(rebuilt, exhibit_id: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO((rebuilt / f"{exhibit_id}.csv").read_text(encoding="utf-8")), keep_default_na=False)


def cited(evidence: Evidence, ref: str) -> float:
    return float(evidence.row(ref)["number"])


def test_readme_table_lists_exactly_the_registered_exhibits():
    """The README's table of exhibits (one row per exhibit id, or several ids in one row) is the registry."""
    import re

    from artifact import paths

    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1] for line in readme.splitlines() if re.match(r"^\| `[a-z0-9-]+`", line)]
    listed = [i for cell in rows for i in re.findall(r"`([a-z0-9-]+)`", cell)]
    assert sorted(listed) == sorted(REGISTRY), "README.md's exhibit table is out of step with the registry"
    assert len(listed) == len(set(listed)), "an exhibit id is listed twice in README.md"


@pytest.mark.parametrize("exhibit_id", [i for i in REGISTRY])
def test_every_csv_number_traces_to_its_evidence(rebuilt, evidence, exhibit_id):
    frame = exhibit_csv(rebuilt, exhibit_id)
    assert "evidence" in frame.columns, "every exhibit CSV cites its evidence"
    assert (frame["evidence"] != "").any()
    if "value" not in frame.columns:
        return  # text tables: nothing numeric to trace
    derivation = frame["derivation"] if "derivation" in frame.columns else pd.Series([""] * len(frame))
    checked = 0
    for value, refs, how in zip(frame["value"], frame["evidence"], derivation):
        if how == "" and value != "" and ";" not in refs and ":" in refs:
            assert float(value) == cited(evidence, refs), refs
            checked += 1
        elif how == "difference":
            a, b = refs.split(";")
            assert float(value) == round(cited(evidence, a) - cited(evidence, b), 1), refs
            checked += 1
        elif how == "mean":  # a seed mean of the lab sweep
            cells = [cited(evidence, r) for r in refs.split(";")]
            assert float(value) == pytest.approx(sum(cells) / len(cells), abs=1e-6), refs
            checked += 1
        elif how == "gain":  # one seed's scratchpad score minus its direct score (lab-cot)
            a, b = refs.split(";")
            assert float(value) == pytest.approx(cited(evidence, a) - cited(evidence, b), abs=1e-8), refs
            checked += 1
        elif how == "gain-of-means":  # mean of the first half of the rows minus the mean of the second half
            cells = [cited(evidence, r) for r in refs.split(";")]
            half = len(cells) // 2
            assert float(value) == pytest.approx(sum(cells[:half]) / half - sum(cells[half:]) / half, abs=1e-8)
            checked += 1
        elif how.startswith("power:"):  # seed-mean per-token accuracy raised to the answer length
            cells = [cited(evidence, r) for r in refs.split(";")]
            assert "/token_accuracy/" in refs
            assert float(value) == pytest.approx((sum(cells) / len(cells)) ** int(how[6:]), abs=1e-6), refs
            checked += 1
    assert checked or exhibit_id in {"cot-threshold", "gsm8k-example"}


def test_scaling_law_curve_is_kaplans_equation(rebuilt, evidence):
    frame = exhibit_csv(rebuilt, "scaling-vs-emergence")
    law = frame[frame["panel"] == "scaling-law"]
    n_c_ref, alpha_ref = law["evidence"].iloc[0].split(";")
    n_c, alpha = cited(evidence, n_c_ref), cited(evidence, alpha_ref)
    assert (n_c, alpha) == (8.8e13, 0.076)
    for x, y in zip(law["x"].astype(float), law["value"].astype(float)):
        # Derived values are written to 9 significant digits (artifact/numbers.py), so within 5e-9.
        assert y == pytest.approx((n_c / x) ** alpha, rel=5e-9)
        assert y == float(f"{y:.9g}")
    assert law["value"].astype(float).is_monotonic_decreasing


def test_cot_threshold_values_are_the_winners_sizes(rebuilt, evidence):
    frame = exhibit_csv(rebuilt, "cot-threshold").set_index(["source", "benchmark", "scope"])
    bbh = frame.loc[("Chung et al. 2022 v5, Table 5", "BBH", "all 20 rows")]
    assert float(bbh["value"]) == 62.0
    assert bbh["winners"].split(";") == ["PaLM 62B", "cont-PaLM 62B", "Flan-cont-PaLM 62B"]
    assert frame.loc[("Chung et al. 2022 v5, Table 5", "MMLU", "all 20 rows")]["value"] == ""
    refs = bbh["evidence"].split(";")
    for cot_ref, direct_ref in zip(refs[::2], refs[1::2]):
        assert cited(evidence, cot_ref) > cited(evidence, direct_ref)


def test_smallest_cot_win_on_hand_made_pairs():
    rows = pd.DataFrame({
        "model": ["s", "s", "m", "m", "l", "l", "u", "u"],
        "params_billion": [1, 1, 10, 10, 100, 100, None, None],
        "prompting": ["cot", "direct"] * 4,
        "number": [2.0, 3.0, 5.0, 5.0, 9.0, 4.0, 7.0, 6.0],
        "id": [f"r{i}" for i in range(8)],
    })
    t = smallest_cot_win(pair_up(rows, "x", "cot", "direct"))
    assert t.size == 100 and t.winners == ("l",)  # the tie at 10B is not a win
    assert t.smaller_all_direct and t.unsized_winners == ("u",) and t.compared == 4
    rows.loc[0, "number"] = 3.5  # now the 1B model wins
    t = smallest_cot_win(pair_up(rows, "x", "cot", "direct"))
    assert t.size == 1 and t.winners == ("s",)


def test_gsm8k_progress_shows_article_and_source_numbers_side_by_side(rebuilt):
    frame = exhibit_csv(rebuilt, "gsm8k-progress")
    palm = frame[frame["milestone"] == "palm-cot"]
    assert palm.loc[palm["kind"] == "article", "value"].astype(float).tolist() == [56.6]
    assert sorted(palm.loc[palm["kind"] == "source", "value"].astype(float)) == [56.5, 56.9, 57.0]
    first = frame[frame["milestone"] == "finetuned-gpt3"]
    assert sorted(first["value"].astype(float)) == [33.0, 35.0, 35.0, 55.0]


def test_missing_numbers_are_said_not_filled(rebuilt):
    for lang in LANGS:
        text = (rebuilt / lang / "ood-gpt3-vs-roberta.md").read_text(encoding="utf-8")
        assert ("missing" if lang == "en" else "缺失") in text
    zh = (rebuilt / "zh" / "ood-complex-prompts.vl.json").read_text(encoding="utf-8")
    assert "表 7" in zh and "图 2" in zh


@pytest.mark.parametrize("exhibit_id", [i for i in REGISTRY])
def test_both_languages_show_the_same_numbers(evidence, exhibit_id):
    exhibit = REGISTRY[exhibit_id]
    built = {lang: exhibit.build(evidence.restricted(exhibit.inputs), lang) for lang in LANGS}
    pd.testing.assert_frame_equal(built["en"].data, built["zh"].data)
    assert type(built["en"]) is type(built["zh"]) and isinstance(built["en"], (Chart, Table))
    assert exhibit.title_en != exhibit.title_zh


def test_table_cells_are_text_not_html(rebuilt):
    md = (rebuilt / "en" / "gsm8k-example.md").read_text(encoding="utf-8")
    assert "&lt;&lt;3*7=21&gt;&gt;" in md and "<<" not in md
