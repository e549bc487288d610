"""The lab: the task and its split, metrics against hand-computed values, a smoke sweep end to end
(same seed reproduces it, another seed changes it), its evidence loader and the lab claims."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pandas as pd
import pytest

from artifact.claims.checks import check_lab_shape
from artifact.claims.schema import LabShapeTest
from artifact.errors import EvidenceError, RegistryError
from artifact.evidence.lab import load_sweep, sweep_folder
from artifact.evidence.store import Evidence
from artifact.evidence.views import largest_step_share, seed_means
from artifact.lab.config import PRESETS, SweepConfig
from artifact.lab.score import edit_distance, summarise
from artifact.lab.task import Problem, decode, encode, is_heldout, problems
from tests.conftest import run_cli

torch = pytest.importorskip("torch")


def test_problems_are_fixed_width_reversed_sums():
    p = Problem(65, 85, 2)
    assert (p.prompt, p.answer) == ("65+85=", "051")
    assert (Problem(3, 4, 2).prompt, Problem(3, 4, 2).answer) == ("03+04=", "700")
    assert decode(encode("12+3=") + [12, 13]) == "12+3=_"  # end mark dropped, padding kept visible


def test_split_is_disjoint_by_construction_and_seeded():
    train = problems(2, 2000, heldout=False, seed=7)
    held = problems(2, 300, heldout=True, seed=7)
    assert not {(p.a, p.b) for p in train} & {(p.a, p.b) for p in held}
    assert all(is_heldout(p.a, p.b) for p in held) and not any(is_heldout(p.a, p.b) for p in train)
    assert problems(2, 300, heldout=True, seed=7) == held
    assert problems(2, 300, heldout=True, seed=8) != held


def test_config_refuses_impossible_sweeps():
    with pytest.raises(ValueError, match="not divisible by heads"):
        SweepConfig(widths=(4, 5))
    with pytest.raises(ValueError, match="held-out"):
        SweepConfig(digits=1, heldout_items=10)


def test_metrics_match_hand_computed_values():
    assert edit_distance("051", "051") == 0
    assert edit_distance("05", "051") == 1  # one token missing
    assert edit_distance("150", "051") == 2  # two substitutions
    assert edit_distance("", "051") == 3
    preds = [
        {"exact": True, "token_correct": [1, 1, 1, 1], "log_likelihood": -0.1, "edit_distance": 0},
        {"exact": False, "token_correct": [1, 0, 1, 1], "log_likelihood": -2.5, "edit_distance": 1},
        {"exact": False, "token_correct": [0, 0, 0, 1], "log_likelihood": -6.0, "edit_distance": 3},
    ]
    m = summarise(preds)
    assert m["exact_match"] == pytest.approx(1 / 3)
    assert m["token_accuracy"] == pytest.approx(8 / 12)
    assert m["log_likelihood"] == pytest.approx(-8.6 / 3)
    assert m["edit_distance"] == pytest.approx(4 / 3)


def test_largest_step_share_by_hand():
    assert largest_step_share([0.0, 0.0, 0.9, 1.0]) == (pytest.approx(0.9), 1)
    assert largest_step_share([0.0, 0.25, 0.5, 0.75, 1.0])[0] == pytest.approx(0.25)
    assert largest_step_share([3.0, 2.0, 1.5, 0.0], higher_is_better=False) == (pytest.approx(0.5), 2)
    assert largest_step_share([0.5, 0.4, 0.3]) == (0.0, 0)  # nothing improves


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """The smoke preset run twice through the CLI (two workers) into two folders."""
    out = [tmp_path_factory.mktemp(f"lab{i}") for i in range(2)]
    from artifact import paths

    for o in out:
        result = run_cli(paths.REPO_ROOT, "lab", "--preset", "smoke", "--out", str(o), "--jobs", "2")
        assert result.returncode == 0, result.stderr
    return [next(o.iterdir()) for o in out], result.stdout


def test_smoke_sweep_end_to_end(smoke):
    (folder, _), stdout = smoke
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "metrics.csv", "predictions.jsonl",
                                                         "timing.json"]
    assert "tok/s" in stdout and "models trained in" in stdout
    # the partial folder is gone (the lock file stays, empty)
    assert sorted(p.name for p in folder.parent.iterdir()) == [".lab.lock", folder.name]
    config, metrics = load_sweep(folder)
    smoke_cfg = PRESETS["smoke"]
    assert config["preset"] == "smoke" and len(metrics) == len(smoke_cfg.widths) * len(smoke_cfg.seeds)
    assert metrics["parameters"].is_monotonic_increasing
    assert (metrics["tokens"] <= smoke_cfg.tokens).all()
    preds = pd.DataFrame([json.loads(line) for line in (folder / "predictions.jsonl").read_text().splitlines()])
    assert len(preds) == len(metrics) * smoke_cfg.heldout_items
    # metrics.csv is what the predictions say, recomputed here independently.
    for row in metrics.itertuples():
        mine = preds[(preds["width"] == row.width) & (preds["seed"] == row.seed)]
        assert row.exact_match == pytest.approx((mine["prediction"] == mine["answer"]).mean(), abs=1e-6)
        tokens = [c for cs in mine["token_correct"] for c in cs]
        assert row.token_accuracy == pytest.approx(sum(tokens) / len(tokens), abs=1e-6)
        assert row.log_likelihood == pytest.approx(mine["log_likelihood"].mean(), abs=1e-6)
        dist = [edit_distance(p, a) for p, a in zip(mine["prediction"], mine["answer"])]
        assert row.edit_distance == pytest.approx(sum(dist) / len(dist), abs=1e-6)
        assert all(len(cs) == 4 for cs in mine["token_correct"])  # three sum digits and the end mark


def test_same_seed_reproduces_the_sweep_whatever_the_worker_count(smoke, tmp_path):
    (first, second), _ = smoke
    for name in ("config.json", "metrics.csv", "predictions.jsonl"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    from artifact.lab.sweep import files, run_sweep

    one_worker = files("smoke", PRESETS["smoke"], run_sweep(PRESETS["smoke"], jobs=1, echo=lambda _: None))
    assert one_worker["metrics.csv"] == (first / "metrics.csv").read_bytes()


def test_an_interrupted_sweep_resumes_without_retraining(tmp_path):
    from artifact.lab.sweep import _keep, run_sweep
    from artifact.lab.train import ModelResult

    partial = tmp_path / ".smoke.partial"
    partial.mkdir()
    kept = ModelResult(4, 0, parameters=1, steps=1, tokens=1, train_seconds=1.0, predictions=[
        {"prompt": "00+00=", "answer": "000", "prediction": "000", "exact": True, "token_correct": [1, 1, 1, 1],
         "log_likelihood": -0.5, "edit_distance": 0}])
    _keep(partial, kept)
    (partial / "w8-s1.json").write_text('{"width": 8, "se')  # torn by the interruption
    lines: list[str] = []
    results = run_sweep(PRESETS["smoke"], jobs=1, echo=lines.append, partial=partial)
    assert lines[0].startswith("resuming: 1 of 4 models")
    assert results[0] == dataclasses.replace(kept, digits=2)  # reused as kept, not retrained
    assert [(r.width, r.seed) for r in results] == [(4, 0), (4, 1), (8, 0), (8, 1)]
    assert results[3].parameters > 1 and sorted(p.name for p in partial.iterdir()) == [
        "w4-s0.json", "w4-s1.json", "w8-s0.json", "w8-s1.json"]


def test_another_seed_changes_data_and_models():
    from artifact.lab.sweep import files, run_sweep

    small = PRESETS["smoke"].model_copy(update={"widths": (4,), "seeds": (0,)})
    base = files("smoke", small, run_sweep(small, echo=lambda _: None))
    other_data = files("smoke", small.model_copy(update={"data_seed": 99}), run_sweep(
        small.model_copy(update={"data_seed": 99}), echo=lambda _: None))
    other_init = files("smoke", small.model_copy(update={"seeds": (1,)}), run_sweep(
        small.model_copy(update={"seeds": (1,)}), echo=lambda _: None))
    def prompts(f: dict[str, bytes]) -> list[str]:
        return [json.loads(line)["prompt"] for line in f["predictions.jsonl"].decode().splitlines()]

    assert prompts(base) != prompts(other_data)
    assert prompts(base) == prompts(other_init)
    assert base["predictions.jsonl"] != other_init["predictions.jsonl"]


@pytest.mark.parametrize("preset", ["default", "full"])
def test_the_shipped_sweeps_match_their_presets(preset):
    config, metrics = Evidence().lab(preset)
    wanted = PRESETS[preset]
    assert {k: config[k] for k in wanted.record()} == json.loads(wanted.hashed())
    assert sorted(metrics["width"].unique()) == sorted(wanted.widths)
    assert metrics.groupby("width")["seed"].nunique().min() >= 3
    assert metrics["parameters"].max() / metrics["parameters"].min() >= 100  # two orders of magnitude
    assert metrics["tokens"].nunique() == 1  # one token budget for every size


def test_a_model_does_not_depend_on_the_sweep_around_it():
    """The full sweep retrains every default model (same settings, other schedule): the same numbers."""
    ev = Evidence()
    default, full = ev.lab("default")[1], ev.lab("full")[1]
    merged = default.merge(full, on=["width", "seed"], suffixes=("", "_full"))
    assert len(merged) == len(default)
    for column in ("parameters", "exact_match", "token_accuracy", "log_likelihood", "edit_distance"):
        assert (merged[column] == merged[f"{column}_full"]).all(), column


def _write_config(folder, preset: str = "default") -> None:
    from artifact.lab.sweep import files

    (folder / "config.json").write_bytes(files(preset, PRESETS[preset], [])["config.json"])


@pytest.mark.parametrize("line, text, field", [
    (2, "4,0,600,75,24000,1.5,0.5,-5.0,2.0", "exact_match"),
    (2, "4,0,600,75,24000,0.0,0.5,oops,2.0", "log_likelihood"),
    (3, "4,0,600,75,24000,0.0,0.5,-5.0,2.0", "seed"),
])
def test_malformed_lab_metrics_name_file_line_and_field(tmp_path, line, text, field):
    folder = tmp_path / "default-abc"
    folder.mkdir()
    _write_config(folder)
    header = "width,seed,parameters,steps,tokens,exact_match,token_accuracy,log_likelihood,edit_distance"
    rows = ["4,0,600,75,24000,0.0,0.5,-5.0,2.0", text] if line == 3 else [text]
    (folder / "metrics.csv").write_text("\n".join([header, *rows]) + "\n")
    with pytest.raises(EvidenceError) as err:
        load_sweep(folder)
    assert (err.value.line, err.value.field) == (line, field)
    assert "metrics.csv" in str(err.value)


def test_sweep_folder_must_be_unique(tmp_path):
    with pytest.raises(RegistryError, match="python -m artifact lab --preset default"):
        sweep_folder("default", tmp_path)
    for name in ("default-aaaaaaaa", "default-bbbbbbbb", "default-smoke-cccccccc"):
        (tmp_path / name).mkdir()
        _write_config(tmp_path / name)
    with pytest.raises(RegistryError, match="2 'default' lab sweeps"):
        sweep_folder("default", tmp_path)


def _set_metric(ev: Evidence, metric: str, by_width: dict[int, float]) -> None:
    _, metrics = ev.lab("default")
    metrics[metric] = metrics["width"].map(by_width)


def test_lab_shape_claims_follow_the_evidence():
    ev = Evidence()
    widths = sorted(ev.lab("default")[1]["width"].unique())
    sharp = LabShapeTest(kind="lab-shape", metric="exact_match", shape="sharp")
    smooth = LabShapeTest(kind="lab-shape", metric="token_accuracy", shape="smooth")
    even = {w: i / (len(widths) - 1) for i, w in enumerate(widths)}  # a straight ramp: no step dominates
    _set_metric(ev, "exact_match", even)
    _set_metric(ev, "token_accuracy", even)
    assert check_lab_shape(sharp, ev).status == "contradicted"
    assert check_lab_shape(smooth, ev).status == "supported"
    jump = {w: float(i >= len(widths) // 2) for i, w in enumerate(widths)}  # all of it in one step
    _set_metric(ev, "exact_match", jump)
    _set_metric(ev, "token_accuracy", jump)
    v = check_lab_shape(sharp, ev)
    assert v.status == "supported" and v.observed == 1.0
    assert check_lab_shape(smooth, ev).status == "contradicted"
    # edit distance improves downwards
    falling = {w: 3 * (1 - i / (len(widths) - 1)) for i, w in enumerate(widths)}
    _set_metric(ev, "edit_distance", falling)
    smooth_edit = LabShapeTest(kind="lab-shape", metric="edit_distance", shape="smooth")
    assert check_lab_shape(smooth_edit, ev).status == "supported"


def test_seed_means_by_hand():
    frame = pd.DataFrame({"width": [8, 4, 8, 4], "seed": [0, 0, 1, 1], "parameters": [20, 10, 20, 10],
                          "exact_match": [0.5, 0.0, 1.0, 0.2]})
    stats = seed_means(frame, "exact_match")
    assert stats["width"].tolist() == [4, 8]
    assert stats["mean"].tolist() == pytest.approx([0.1, 0.75])
    assert stats["low"].tolist() == [0.0, 0.5] and stats["high"].tolist() == [0.2, 1.0]


def test_cli_lab_refuses_a_file_as_out(tmp_path):
    from artifact import paths

    target = tmp_path / "file"
    target.write_text("x")
    result = run_cli(paths.REPO_ROOT, "lab", "--preset", "smoke", "--out", str(target))
    assert result.returncode == 1 and "is a file" in result.stderr
    assert target.read_text() == "x"


def test_lab_rows_resolve_and_unknown_ones_name_the_file():
    ev = Evidence()
    _, metrics = ev.lab("default")
    width, seed, value = int(metrics["width"].iloc[0]), int(metrics["seed"].iloc[0]), metrics["exact_match"].iloc[0]
    assert ev.row(f"lab:default/exact_match/w{width}/s{seed}")["number"] == value
    with pytest.raises(EvidenceError, match="metrics.csv.*no lab score 'default/exact_match/w3/s0'"):
        ev.row("lab:default/exact_match/w3/s0")


def test_a_lab_claim_on_a_missing_sweep_names_file_line_and_field(tmp_path):
    from artifact.claims.registry import CLAIMS_DIR, load_claims
    from artifact.errors import ClaimError

    folder = tmp_path / "claims"
    shutil.copytree(CLAIMS_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    target = folder / "lab.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("sweep: default", "sweep: nosuch", 1), encoding="utf-8")
    with pytest.raises(ClaimError, match="no 'nosuch' lab sweep") as info:
        load_claims(Evidence(), folder)
    assert (info.value.path.name, info.value.field) == ("lab.yaml", "test.sweep")
    assert "sweep: nosuch" in target.read_text(encoding="utf-8").splitlines()[info.value.line - 1]


def test_cli_lab_refuses_an_unknown_or_missing_device(tmp_path):
    from artifact import paths
    from artifact.lab.sweep import sweep_id

    bad = run_cli(paths.REPO_ROOT, "lab", "--preset", "smoke", "--device", "tpu", "--out", str(tmp_path))
    assert bad.returncode == 1 and "use 'cpu' or 'cuda'" in bad.stderr
    if not torch.cuda.is_available():
        none = run_cli(paths.REPO_ROOT, "lab", "--preset", "smoke", "--device", "cuda", "--out", str(tmp_path))
        assert none.returncode == 1 and "sees no GPU" in none.stderr
    assert list(tmp_path.iterdir()) == []
    cfg = PRESETS["smoke"]
    assert sweep_id("smoke", cfg, "cuda") == sweep_id("smoke", cfg) + "-cuda"  # GPU numbers never overwrite CPU ones


def test_cli_lab_refuses_zero_jobs(tmp_path):
    from artifact import paths

    result = run_cli(paths.REPO_ROOT, "lab", "--preset", "smoke", "--jobs", "0", "--out", str(tmp_path))
    assert result.returncode == 1 and "--jobs must be at least 1" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_broken_sweep_config_names_file_and_line(tmp_path):
    folder = tmp_path / "default-abc"
    folder.mkdir()
    (folder / "config.json").write_text('{\n "preset": "default",\n}\n')
    with pytest.raises(EvidenceError) as err:
        load_sweep(folder)
    assert err.value.path.name == "config.json" and err.value.line == 3
