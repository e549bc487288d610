"""The cot sweep: the two target formats by hand, the smoke version end to end (twice: the same bytes), the
held-out loss against a hand computation, sweeps without heldout_loss, and every status each lab-cot rule
names, driven by hand-made metrics."""

from __future__ import annotations

import json
import math
import shutil

import pandas as pd
import pytest

from artifact.claims.lab_cot import check_lab_cot
from artifact.claims.schema import LabCotTest
from artifact.evidence import lab_cot as views
from artifact.evidence.lab import load_sweep, long_frame
from artifact.lab.config import PRESETS
from artifact.lab.task import Problem, final_answer, problems


def test_the_two_formats_by_hand():
    direct, pad = Problem(565, 844, 3, "direct"), Problem(565, 844, 3, "scratchpad")
    assert (direct.prompt, direct.target, direct.answer) == ("565+844=", "1409", "1409")
    # column totals from the units up, carry included: 5+4=09, 6+4=10, 5+8+1=14; then the sum
    assert (pad.steps, pad.target, pad.answer) == ("091014=", "091014=1409", "1409")
    assert Problem(565, 844, 3).answer == "9041"  # the classic task, reversed, unchanged
    assert Problem(7, 5, 2, "scratchpad").target == "1201=012"  # 7+5=12, then 0+0+1=01
    assert final_answer("091014=1409") == "1409" and final_answer("1409") == "1409" and final_answer("09=") == ""
    same = [(p.a, p.b) for p in problems(3, 50, False, 1234, "direct")]
    assert same == [(p.a, p.b) for p in problems(3, 50, False, 1234, "scratchpad")]
    assert same == [(p.a, p.b) for p in problems(3, 50, False, 1234)]


def test_the_presets_hashes_leave_the_shipped_sweeps_names_alone():
    from artifact.lab.sweep import sweep_id

    assert [sweep_id(p, PRESETS[p]) for p in ("default", "full", "lengths")] == [
        "default-4a4b31ad", "full-b0abfe3f", "lengths-64a72534"]
    assert "formats" not in PRESETS["default"].record() and PRESETS["cot"].record()["formats"] == (
        "direct", "scratchpad")


def test_cot_smoke_sweep_twice_gives_the_same_bytes(tmp_path):
    pytest.importorskip("torch")
    from artifact import paths
    from tests.conftest import run_cli

    folders = []
    for name in ("one", "two"):
        result = run_cli(paths.REPO_ROOT, "lab", "--preset", "cot-smoke", "--out", str(tmp_path / name), "--jobs", "2")
        assert result.returncode == 0, result.stderr
        assert "2 formats (direct, scratchpad)" in result.stdout
        (folder,) = [p for p in (tmp_path / name).iterdir() if not p.name.startswith(".")]  # not the lab lock
        folders.append(folder)
    for f in ("config.json", "metrics.csv", "predictions.jsonl"):
        assert (folders[0] / f).read_bytes() == (folders[1] / f).read_bytes(), f
    config, metrics = load_sweep(folders[0])
    assert (folders[0] / "metrics.csv").read_text().startswith("format,width,seed,")
    assert config["formats"] == ["direct", "scratchpad"]
    by = metrics.set_index(["format", "width", "seed"])
    direct, pad = by.loc["direct"], by.loc["scratchpad"]
    assert (direct["steps"] == pad["steps"]).all() and (direct["parameters"] == pad["parameters"]).all()
    assert (pad["tokens"] > direct["tokens"]).all()  # the same steps, longer targets
    assert metrics["heldout_loss"].notna().all() and (metrics["heldout_loss"] > 0).all()
    preds = [json.loads(x) for x in (folders[0] / "predictions.jsonl").read_text().splitlines()]
    # only the final answer is scored: 3 sum digits and the end mark, whatever the format
    assert {len(p["token_correct"]) for p in preds} == {4}
    assert {p["format"] for p in preds} == {"direct", "scratchpad"}
    assert "cot-smoke/exact_match/scratchpad/w8/s1" in long_frame("cot-smoke", metrics).index
    assert "cot-smoke/heldout_loss/direct/w4/s0" in long_frame("cot-smoke", metrics).index


def test_heldout_loss_is_the_training_objective_on_unscored_problems():
    torch = pytest.importorskip("torch")
    from artifact.lab.train import _batch, build_model, heldout_loss

    config = PRESETS["cot-smoke"]
    model = build_model(config, 8, 0)
    items = problems(2, 7, True, 5, "scratchpad")
    ids, labels, mask = _batch(items)
    with torch.inference_mode():
        logits = model(input_ids=ids, attention_mask=mask).logits
    total, count = 0.0, 0
    for i, p in enumerate(items):
        seq = ids[i].tolist()
        for pos in range(len(p.prompt), len(p.prompt) + len(p.target) + 1):  # target and end mark
            total -= float(torch.log_softmax(logits[i, pos - 1], -1)[seq[pos]])
            count += 1
    assert heldout_loss(model, items) == pytest.approx(total / count, abs=1e-5)
    assert heldout_loss(model, []) is None


def test_a_sweep_without_heldout_loss_loads_it_as_missing_not_zero(tmp_path):
    from artifact import paths

    source = next(paths.LAB_DIR.glob("default-*"))
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    lines = (folder / "metrics.csv").read_text().splitlines()
    if lines[0].endswith(",heldout_loss"):
        lines = [line.rsplit(",", 1)[0] for line in lines]
    (folder / "metrics.csv").write_text("\n".join(lines) + "\n")
    _, metrics = load_sweep(folder)
    assert metrics["heldout_loss"].isna().all()
    assert not any("/heldout_loss/" in i for i in long_frame("default", metrics).index)


# --- the rules, on hand-made sweeps -------------------------------------------------------------------------

WIDTHS = (8, 16, 24, 32, 48)


def sweep(direct: list[float], pad: list[float], spread: float = 0.0) -> pd.DataFrame:
    """Three seeds per width and format around the given seed means (``spread`` apart)."""
    rows = []
    for i, w in enumerate(WIDTHS):
        for form, means in (("direct", direct), ("scratchpad", pad)):
            for s, off in enumerate((-spread, 0.0, spread)):
                rows.append({"digits": 3, "format": form, "width": w, "seed": s, "parameters": 24 * w * w + 62 * w,
                             "exact_match": min(1.0, max(0.0, means[i] + off))})
    return pd.DataFrame(rows)


class Stub:
    """An Evidence with one hand-made cot sweep."""

    def __init__(self, metrics: pd.DataFrame):
        self.metrics = metrics

    def lab(self, preset: str):
        return {"preset": preset}, self.metrics


def verdict(statistic: str, metrics: pd.DataFrame, **kw):
    return check_lab_cot(LabCotTest(kind="lab-cot", statistic=statistic, **kw), Stub(metrics))


def test_gain_crosses_returns_each_status_it_names():
    at_24 = sweep([0, 0, 0.1, 0.4, 0.9], [0, 0.01, 0.6, 0.9, 1.0])
    v = verdict("gain-crosses", at_24, width=24)
    assert v.status == "supported" and v.observed == 24 and v.threshold == views.NO_GAIN
    assert v.margin == pytest.approx(min(abs(0.5 - 0.02), abs(0.01 - 0.02)))
    assert verdict("gain-crosses", at_24, width=32).status == "differs"
    comes_and_goes = sweep([0, 0, 0.1, 0.6, 0.9], [0, 0.01, 0.6, 0.6, 1.0])  # no gain again at width 32
    assert verdict("gain-crosses", comes_and_goes, width=24).status == "contradicted"
    from_start = sweep([0, 0, 0.1, 0.4, 0.9], [0.3, 0.5, 0.6, 0.9, 1.0])  # the smallest already gains
    assert verdict("gain-crosses", from_start, width=24).status == "contradicted"
    never = sweep([0, 0.2, 0.6, 0.8, 0.9], [0, 0.2, 0.6, 0.8, 0.9])  # both learn, the same
    assert verdict("gain-crosses", never, width=24).status == "contradicted"
    nothing = sweep([0, 0, 0, 0.01, 0.02], [0, 0, 0.01, 0.05, 0.2])
    v = verdict("gain-crosses", nothing, width=24)
    assert v.status == "unverified" and "neither format" in v.reason_en
    saturated = sweep([0, 0.96, 1, 1, 1], [0.6, 1, 1, 1, 1])
    v = verdict("gain-crosses", saturated, width=24)
    assert v.status == "unverified" and "room" in v.reason_en


def test_gain_grows_direct_sharper_and_scratchpad_earlier_each_status():
    growing = sweep([0, 0, 0, 0, 0.1], [0, 0.1, 0.3, 0.6, 0.9])
    peaked = sweep([0, 0, 0.1, 0.9, 1.0], [0, 0.5, 0.9, 1.0, 1.0])
    assert verdict("gain-grows", growing, at_least=0.7).status == "supported"
    v = verdict("gain-grows", peaked, at_least=0.7)
    assert v.status == "contradicted" and v.margin == pytest.approx(abs(v.observed - 0.7), abs=1e-4)
    assert verdict("gain-grows", sweep([0] * 5, [0] * 5), at_least=0.7).status == "unverified"
    # direct: all of its rise in one step; scratchpad: an even ramp
    sharp_vs_ramp = sweep([0, 0, 0, 1.0, 1.0], [0, 0.25, 0.5, 0.75, 1.0])
    assert verdict("direct-sharper", sharp_vs_ramp, at_least=0.1).status == "supported"
    assert verdict("direct-sharper", sweep([0, 0.25, 0.5, 0.75, 1.0], [0, 0, 0, 1.0, 1.0]),
                   at_least=0.1).status == "contradicted"
    assert verdict("direct-sharper", sweep([0, 0, 0, 0, 0.3], [0, 0.25, 0.5, 0.75, 1.0]),
                   at_least=0.1).status == "unverified"
    assert verdict("scratchpad-earlier", peaked, at_least=2).status == "supported"
    assert verdict("scratchpad-earlier", sweep([0, 0.5, 0.9, 1, 1], [0, 0.5, 0.9, 1, 1]),
                   at_least=2).status == "contradicted"
    v = verdict("scratchpad-earlier", sweep([0, 0, 0, 0, 0.3], [0, 0.5, 0.9, 1, 1]), at_least=2)
    assert v.status == "unverified" and v.observed is None


def test_gain_table_pairs_seeds():
    m = sweep([0, 0, 0.1, 0.4, 0.9], [0, 0.01, 0.6, 0.9, 1.0], spread=0.05)
    g = views.gain_table(m).set_index("width")
    assert g.loc[24, "gain"] == pytest.approx(0.5) and g.loc[24, "gain_low"] == pytest.approx(0.5)
    assert views.spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(views.spearman([1, 2, 3], [0, 0, 0]))


def test_reading_a_sweep_never_imports_the_lab():
    """The evidence layer and the lab exhibits read sweeps through evidence/lab_schema.py, not the lab's code."""
    import ast
    from pathlib import Path

    import artifact

    package = Path(artifact.__file__).parent
    files = [*(package / "evidence").glob("*.py"), *(package / "exhibits").glob("lab_*.py")]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in names if m == "artifact.lab" or m.startswith("artifact.lab.")}, path.name
