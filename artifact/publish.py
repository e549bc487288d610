"""Publish a reproduce run into its output folder all at once, under a lock.

The new folder is assembled beside the old one (unchanged files hard-linked, new files written),
then swapped in by ``fsio.swap_folder``; so a kill or a full disk at any moment leaves the folder as
it was or as the new run made it, and ``recover`` finishes an interrupted swap on the next run.
The staging operations are functions named in ``FILE_OPS`` (and fsio's in ``fsio.FILE_OPS``), so
tests can make the n-th one fail.
"""

from __future__ import annotations

import errno
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from artifact import fsio, paths
from artifact.fsio import LockedError, WriteError

PublishError = WriteError  # the name reproduce and its tests know
__all__ = ["FILE_OPS", "LockedError", "PublishError", "locked", "publish", "recover"]
FILE_OPS = ("_mkdir", "_link", "_write")


def _mkdir(path: Path) -> None:
    path.mkdir(parents=True)


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError as exc:  # a file system without hard links: copy instead
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copy2(src, dst)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def lock_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.lock"


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold ``.<folder>.lock`` beside ``out_dir`` while writing or checking it; refuse if held."""
    fsio.check_destination(out_dir)
    with fsio.Lock(lock_path(out_dir), out_dir, "reproduce"):
        yield


def recover(out_dir: Path) -> list[str]:
    """Finish or undo an interrupted publish and remove its leftovers; returns what it did."""
    done = fsio.recover_swap(out_dir)
    # Temporary files a killed per-file write left inside the folder (ours only: a user's .draft.tmp stays).
    for tmp in fsio.remove_temporaries(out_dir, recursive=True):
        done.append(f"removed {paths.display(tmp)} left by an interrupted run")
    return done


def publish(out_dir: Path, files: dict[str, bytes], drop: set[str]) -> None:
    """Make ``out_dir`` hold its current files plus ``files`` (relative path -> bytes), less ``drop``.

    The caller holds ``locked(out_dir)``.
    """
    fsio.check_destination(out_dir)
    staging = fsio.swap_names(out_dir)[0]
    try:
        _mkdir(staging)
        if out_dir.is_dir():
            for src in sorted(out_dir.rglob("*")):
                rel = src.relative_to(out_dir).as_posix()
                if src.is_file() and rel not in files and rel not in drop:
                    _link(src, staging / rel)
        for rel, data in sorted(files.items()):
            _write(staging / rel, data)
        fsio.swap_folder(staging, out_dir)
    except OSError as exc:
        if staging.exists() and out_dir.exists():
            shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(fsio.describe(exc, out_dir)) from None
