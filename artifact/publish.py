"""Publish a reproduce run into its output folder all at once, under a lock.

The new folder is assembled beside the old one (unchanged files hard-linked, new files written),
then the two are swapped with one ``renameat2(RENAME_EXCHANGE)``; so a kill or a full disk at any
moment leaves the folder as it was or as the new run made it. Where the file system cannot
exchange, two renames are used and ``recover`` finishes an interrupted swap on the next run.
Every file operation goes through a function named in ``FILE_OPS``, so tests can make the n-th
one fail.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from artifact import paths
from artifact.errors import ArtifactError

RENAME_EXCHANGE = 2
AT_FDCWD = -100
FILE_OPS = ("_mkdir", "_link", "_write", "_exchange", "_rename", "_rmtree")


class LockedError(ArtifactError):
    """Another process is writing the same output folder."""


class PublishError(ArtifactError):
    """The output folder cannot be written (full disk, no permission, not a folder)."""


def _sibling(out_dir: Path, tag: str) -> Path:
    return out_dir.parent / f".{out_dir.name}.{tag}"


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


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the kernel or file system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _rename(src: Path, dst: Path) -> None:
    os.rename(src, dst)


def _rmtree(path: Path) -> None:
    shutil.rmtree(path)


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold ``.<folder>.lock`` beside ``out_dir`` while writing or checking it; refuse if held."""
    lock_path = _sibling(out_dir, "lock")
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PublishError(f"cannot lock {paths.display(out_dir)}: {exc.strerror} ({paths.display(lock_path)})")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            raise LockedError(f"{paths.display(out_dir)} is being written by {holder}; "
                              "wait for it to finish, then run the command again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} (since {time.strftime('%H:%M:%S')})\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def recover(out_dir: Path) -> list[str]:
    """Finish or undo an interrupted publish and remove its leftovers; returns what it did."""
    done = []
    staging, old = _sibling(out_dir, "staging"), _sibling(out_dir, "old")
    if old.exists() and not out_dir.exists() and staging.is_dir():
        _rename(staging, out_dir)  # killed between the two renames: the staged folder was complete
        done.append(f"finished an interrupted update of {paths.display(out_dir)}")
    elif old.exists() and not out_dir.exists():
        _rename(old, out_dir)
        done.append(f"restored {paths.display(out_dir)} from an interrupted update")
    for leftover in (staging, old):
        if leftover.exists():
            _rmtree(leftover)
            done.append(f"removed {paths.display(leftover)} left by an interrupted run")
    # Temporary files of the per-file writes that earlier versions made inside the folder.
    if out_dir.is_dir():
        for tmp in out_dir.rglob(".*.tmp"):
            tmp.unlink()
            done.append(f"removed {paths.display(tmp)} left by an interrupted run")
    return done


def _describe(exc: OSError, out_dir: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"no space left on the device while writing {paths.display(out_dir)}; it was left unchanged"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {paths.display(out_dir)}: permission denied; it was left unchanged"
    return f"cannot write {paths.display(out_dir)}: {exc.strerror}; it was left unchanged"


def publish(out_dir: Path, files: dict[str, bytes], drop: set[str]) -> None:
    """Make ``out_dir`` hold its current files plus ``files`` (relative path -> bytes), less ``drop``.

    The caller holds ``locked(out_dir)``.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise PublishError(f"{paths.display(out_dir)} is a file, not a folder")
    staging = _sibling(out_dir, "staging")
    try:
        _mkdir(staging)
        if out_dir.is_dir():
            for src in sorted(out_dir.rglob("*")):
                rel = src.relative_to(out_dir).as_posix()
                if src.is_file() and rel not in files and rel not in drop:
                    _link(src, staging / rel)
        for rel, data in sorted(files.items()):
            _write(staging / rel, data)
        if not out_dir.exists():
            _rename(staging, out_dir)
            return
        if not _exchange(staging, out_dir):
            old = _sibling(out_dir, "old")
            _rename(out_dir, old)
            _rename(staging, out_dir)
            _rmtree(old)
            return
    except OSError as exc:
        if staging.exists() and out_dir.exists():
            shutil.rmtree(staging, ignore_errors=True)
        raise PublishError(_describe(exc, out_dir)) from None
    _rmtree(staging)  # now holds the previous contents
