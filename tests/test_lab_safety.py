"""The lab under crashes and bad input: kill -9 leaves no worker behind, a crash during the folder swap is
undone by the next run, Ctrl-C ends in one line, and a broken sweep file is refused in one line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from artifact import fsio, paths
from artifact.errors import EvidenceError
from artifact.evidence.lab import load_sweep
from artifact.lab.config import PRESETS
from artifact.lab.sweep import files, recover, sweep_id, write

LINUX = Path("/proc/self/stat").exists()


def _children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# A sweep that would train for many minutes: two workers busy when the parent is killed.
LONG_SWEEP = """
from artifact.lab.config import PRESETS
from artifact.lab.sweep import run_sweep
run_sweep(PRESETS["smoke"].model_copy(update={"tokens": 50_000_000}), jobs=2, echo=print)
"""


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_kill_9_of_the_sweep_leaves_no_worker_alive():
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", LONG_SWEEP], cwd=paths.REPO_ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while time.monotonic() < deadline:  # two workers plus the resource tracker
            workers = _children(parent.pid)
            if len(workers) >= 3:
                break
            time.sleep(0.2)
        assert len(workers) >= 3, f"workers did not start: {workers}"
        time.sleep(3)  # let them get into training (past the start-up, into the watched state)
        assert all(_alive(p) for p in workers)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    left = [p for p in workers if _alive(p)]
    for p in left:  # do not leave them to the next test either way
        os.kill(p, signal.SIGKILL)
    assert not left, f"still alive 10 s after the parent's kill -9: {left}"


def _tiny_results():
    from artifact.lab.train import ModelResult

    pred = {"prompt": "00+00=", "answer": "000", "prediction": "000", "exact": True, "token_correct": [1, 1, 1, 1],
            "log_likelihood": -0.5, "edit_distance": 0}
    return [ModelResult(w, s, 10, 1, 1, 1.0, [pred], 2) for w in (4, 8) for s in (0, 1)]


def test_a_crash_between_the_two_renames_is_undone_by_the_next_run(tmp_path, monkeypatch):
    config = PRESETS["smoke"]
    first = write(tmp_path, "smoke", config, _tiny_results())
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    renames = []
    real = fsio._rename

    def crash_on_second(src, dst):
        renames.append(src)
        if len(renames) == 2:
            raise OSError("killed")  # the process dies here: old folder aside, new one not yet in
        return real(src, dst)

    monkeypatch.setattr(fsio, "_exchange", lambda a, b: False)  # the two-rename path (no atomic exchange)
    monkeypatch.setattr(fsio, "_rename", crash_on_second)
    with pytest.raises(OSError, match="killed"):
        write(tmp_path, "smoke", config, _tiny_results())
    monkeypatch.undo()
    folder = tmp_path / sweep_id("smoke", config)
    assert not folder.exists() and (tmp_path / f".{folder.name}.old").is_dir()  # the gap the crash left
    recover(folder)  # what the next `lab` run does first
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # the previous sweep, intact


def test_a_leftover_old_folder_is_removed_when_the_sweep_is_there(tmp_path):
    config = PRESETS["smoke"]
    folder = write(tmp_path, "smoke", config, _tiny_results())
    (tmp_path / f".{folder.name}.old").mkdir()
    (tmp_path / f".{folder.name}.staging").mkdir()
    write(tmp_path, "smoke", config, _tiny_results())
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]


@pytest.mark.skipif(not LINUX, reason="POSIX signals")
def test_ctrl_c_during_lab_says_how_to_resume(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "artifact", "lab", "--preset", "smoke", "--jobs", "2",
                             "--out", str(tmp_path)], cwd=paths.REPO_ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(_children(proc.pid)) < 3:
        time.sleep(0.2)
    workers = _children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["interrupted; the same command resumes"]
    assert "Traceback" not in out + err
    # The workers were told to stop at once; give them the few seconds the issue allows to be gone.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and [p for p in workers if _alive(p)]:
        time.sleep(0.1)
    assert not [p for p in workers if _alive(p)]
    # no sweep folder, no debris (the lock file stays, empty: waiters share its inode)
    assert not [p for p in tmp_path.iterdir() if not p.name.endswith(".partial") and p.name != ".lab.lock"]


def _sweep(tmp_path: Path, preset: str = "default") -> Path:
    folder = tmp_path / f"{preset}-0123abcd"
    folder.mkdir()
    for name, data in files(preset, PRESETS[preset], _tiny_results()).items():
        (folder / name).write_bytes(data)
    return folder


def test_non_utf8_metrics_name_the_byte(tmp_path):
    folder = _sweep(tmp_path)
    data = (folder / "metrics.csv").read_bytes()
    (folder / "metrics.csv").write_bytes(data[:100] + b"\xff" + data[100:])
    with pytest.raises(EvidenceError, match=r"metrics.csv, line \d+: not UTF-8: byte 0xff at byte offset 100 "):
        load_sweep(folder)


def test_non_utf8_config_names_the_byte(tmp_path):
    folder = _sweep(tmp_path)
    (folder / "config.json").write_bytes(b'{\n "preset": "d\xe9fault"\n}\n')
    with pytest.raises(EvidenceError, match=r"config.json, line 2: not UTF-8: byte 0xe9 at byte offset 15 "):
        load_sweep(folder)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "NaN", "-Infinity"])
def test_non_finite_metrics_are_refused(tmp_path, value):
    folder = _sweep(tmp_path)
    lines = (folder / "metrics.csv").read_text().splitlines()
    cells = lines[2].split(",")
    cells[7] = value  # log_likelihood of the second model
    lines[2] = ",".join(cells)
    (folder / "metrics.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(EvidenceError) as err:
        load_sweep(folder)
    assert (err.value.line, err.value.field) == (3, "log_likelihood")
    assert "finite" in str(err.value)


def _config(folder: Path) -> dict:
    return json.loads((folder / "config.json").read_text())


@pytest.mark.parametrize("change, field, problem", [
    (lambda c: c.pop("digits"), "digits", "missing"),
    (lambda c: c.update(learning_rate=float("inf")), None, "not a finite number"),
    (lambda c: c.update(learning_rate=float("nan")), None, "not a finite number"),
    (lambda c: c.update(digits="3"), "digits", "valid"),
    (lambda c: c.update(widths=4), "widths", "valid"),
    (lambda c: c.update(digits=9), "digits", "1 to 6"),
])
def test_a_bad_config_is_one_line_naming_file_and_field(tmp_path, change, field, problem):
    folder = _sweep(tmp_path)
    config = _config(folder)
    change(config)
    (folder / "config.json").write_text(json.dumps(config, indent=1))
    with pytest.raises(EvidenceError) as err:
        load_sweep(folder)
    message = str(err.value)
    assert "config.json" in message and problem in message and "\n" not in message
    if field:
        assert err.value.field == field


@pytest.mark.parametrize("text, problem", [
    ("[1, 2]", "expected a JSON object of settings, found list"),
    ('"default"', "found str"),
    ('{"preset": "default", "preset": "full"}', "key 'preset' appears twice"),
])
def test_a_config_of_the_wrong_shape_is_one_line(tmp_path, text, problem):
    folder = _sweep(tmp_path)
    (folder / "config.json").write_text(text)
    with pytest.raises(EvidenceError, match=problem):
        load_sweep(folder)


def test_the_cli_reports_a_bad_sweep_in_one_line(tmp_path):
    """Through reproduce, on a copy of the repository's lab folder with one sweep broken."""
    import shutil

    lab = tmp_path / "lab"
    shutil.copytree(paths.LAB_DIR, lab)
    (next(lab.glob("default-*")) / "config.json").write_bytes(b"\xff\xfe")
    script = ("import sys; from pathlib import Path; from artifact import paths; "
              f"paths.LAB_DIR = Path({str(lab)!r}); from artifact.cli import main; sys.exit(main(['check']))")
    result = subprocess.run([sys.executable, "-c", script], cwd=paths.REPO_ROOT, capture_output=True, text=True,
                            check=False, env={**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)})
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "not UTF-8: byte 0xff at byte offset 0 " in result.stderr
    assert "Traceback" not in result.stderr

