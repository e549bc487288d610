"""`reproduce` publishes all or nothing, under a lock: a kill or a full disk at any file operation
leaves the output folder old or new, and the next run removes what the interrupted one left."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from artifact import fsio, paths
from artifact.publish import locked, recover
from artifact.reproduce import reproduce
from tests.conftest import run_cli, snapshot

OLD = ["glossary", "knowledge-table"]
NEW = ["glossary", "knowledge-table", "paradigm-table"]  # adds files and changes the manifest
FAULT = Path(__file__).parent / "fault_run.py"


def fault_run(n: int, mode: str, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)}
    return subprocess.run([sys.executable, str(FAULT), str(n), mode, *extra, "--", "reproduce", "--force",
                           "--only", *NEW, "--out", str(out)], env=env, capture_output=True, text=True, timeout=300)


def leftovers(out: Path) -> list[str]:
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p.suffix != ".lock"]
    inside = [p.name for p in out.rglob(f"*{fsio.TMP_SUFFIX}")] if out.is_dir() else []
    return beside + inside


@pytest.fixture(scope="module")
def states(tmp_path_factory) -> tuple[dict, dict, int]:
    """Snapshots of the folder before and after the run under test, and its number of file operations."""
    base = tmp_path_factory.mktemp("states")
    reproduce(OLD, base / "old", echo=lambda _: None)
    counted = base / "counted"
    reproduce(OLD, counted, echo=lambda _: None)
    result = fault_run(0, "count", counted)
    assert result.returncode == 0, result.stderr
    ops = int(result.stderr.split("OPS ")[1])
    return snapshot(base / "old"), snapshot(counted), ops


def fresh_old(tmp_path: Path) -> Path:
    out = tmp_path / "figs"
    reproduce(OLD, out, echo=lambda _: None)
    return out


def test_the_new_state_differs_from_the_old(states):
    old, new, ops = states
    assert old != new and "en/paradigm-table.md" in new and ops >= 6


@pytest.mark.parametrize("exchange", ["", "--no-exchange"])
def test_a_kill_before_any_file_operation_leaves_old_or_new(tmp_path, states, exchange):
    old, new, ops = states
    # Without the exchange only the closing renames differ from the exchange path.
    for n in range(1, ops + 1) if not exchange else range(ops - 3, ops + 1):
        out = fresh_old(tmp_path / f"{n}{exchange}")
        result = fault_run(n, "kill", out, *[e for e in [exchange] if e])
        assert result.returncode == 137
        if not exchange:  # with the atomic exchange the folder is never in between
            assert snapshot(out) in (old, new), f"kill before operation {n}"
        recover(out)
        after = snapshot(out)
        assert after in (old, new), f"kill before operation {n}"
        assert leftovers(out) == [], f"kill before operation {n}"
        reproduce(NEW, out, echo=lambda _: None)
        assert snapshot(out) == new and leftovers(out) == []


@pytest.mark.parametrize("code, message", [
    ("ENOSPC", "no space left on the device while writing {out}; it was left unchanged"),
    ("EACCES", "cannot write {out}: permission denied; it was left unchanged"),
])
def test_a_failing_write_gives_one_line_and_keeps_the_old_state(tmp_path, states, code, message):
    old, _, ops = states
    for n in (2, ops - 1):
        out = fresh_old(tmp_path / str(n))
        result = fault_run(n, code, out)
        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == ["error: " + message.format(out=out)]
        assert snapshot(out) == old and leftovers(out) == []


def test_a_held_lock_refuses_with_the_holder(tmp_path):
    out = fresh_old(tmp_path)
    before = snapshot(out)
    with locked(out):
        result = run_cli(paths.REPO_ROOT, "reproduce", "--force", "--only", *NEW, "--out", str(out))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {out} is in use by reproduce pid {os.getpid()} on ")
    assert lines[0].endswith("; wait for it to finish, then run the command again")
    assert snapshot(out) == before


def test_two_runs_at_once_end_whole(tmp_path, states):
    _, new, _ = states
    out = fresh_old(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)}
    cmd = [sys.executable, "-m", "artifact", "reproduce", "--force", "--only", *NEW, "--out", str(out)]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for code, err in results:
        # the holder is named once it has written its pid; a refusal in between says "another process"
        assert code == 0 or (code == 1 and " is in use by " in err), err
    assert any(code == 0 for code, _ in results)
    assert snapshot(out) == new and leftovers(out) == []


def test_out_naming_a_file_is_one_line(tmp_path):
    target = tmp_path / "a-file"
    target.write_text("keep me", encoding="utf-8")
    result = run_cli(paths.REPO_ROOT, "reproduce", "--only", "glossary", "--out", str(target))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"error: {target} is a file, not a folder"]
    assert target.read_text(encoding="utf-8") == "keep me"


def test_orphan_temporary_files_are_removed_and_the_users_own_kept(tmp_path):
    out = fresh_old(tmp_path)
    orphan = out / f".glossary.csv.abc123_x{fsio.TMP_SUFFIX}"
    orphan.write_bytes(b"half")
    mine = out / ".draft.tmp"  # a user's own file that merely looks temporary
    mine.write_bytes(b"my notes")
    lines = []
    reproduce(OLD, out, echo=lines.append)
    assert not orphan.exists() and any("removed" in line for line in lines)
    assert mine.read_bytes() == b"my notes"
