"""Writing files safely, in one place: atomic replacement, the folder swap, our own temporaries, the lock.

- ``write_atomic`` writes beside the target under a unique temporary name, fsyncs it where asked
  (caches other runs trust), then one ``os.replace``: readers see the old file or the new one.
- ``swap_folder`` puts a staged folder in place of another with one ``renameat2(RENAME_EXCHANGE)``;
  where the file system cannot exchange, two renames, and ``recover_swap`` finishes an interrupted
  swap on the next run.
- Temporaries carry the suffix ``TMP_SUFFIX``; ``remove_temporaries`` removes only those, so a
  user's own ``.draft.tmp`` survives.
- ``Lock`` (filelock) guards a folder, writes its holder's pid and host, and refuses a second
  holder with one line naming the first.
- No symbolic link is followed at a destination, a staging name or a lock: each is refused with
  one line (``UnsafePathError``).

The swap's file operations are module functions named in ``FILE_OPS`` so tests can make the n-th fail.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import socket
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from artifact import paths
from artifact.errors import ArtifactError, printable

TMP_SUFFIX = ".artifact-tmp"
_OURS = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}" + re.escape(TMP_SUFFIX) + "$")
RENAME_EXCHANGE = 2
AT_FDCWD = -100
FILE_OPS = ("_exchange", "_rename", "_rmtree")


class LockedError(ArtifactError):
    """Another process holds the lock of the folder this command writes."""


class WriteError(ArtifactError):
    """A file or folder cannot be written (full disk, no permission, read-only, not a folder)."""


class UnsafePathError(WriteError):
    """A destination, staging name or lock is a symbolic link or not what this program made."""


def describe(exc: OSError, target: Path, unchanged: bool = True) -> str:
    """One line for an OSError met while writing ``target``."""
    tail = "; it was left unchanged" if unchanged else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the device while writing {paths.display(target)}{tail}"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"cannot write {paths.display(target)}: permission denied{tail}"
    if exc.errno == errno.EROFS:
        return f"cannot write {paths.display(target)}: read-only file system{tail}"
    return f"cannot write {paths.display(target)}: {exc.strerror or exc}{tail}"


def refuse_symlink(path: Path, what: str = "destination") -> None:
    """UnsafePathError when ``path`` is a symbolic link (followed, it would write somewhere else)."""
    if path.is_symlink():
        raise UnsafePathError(f"{paths.display(path)} is a symbolic link (to {os.readlink(path)}); refusing to "
                              f"write through it as a {what}: replace it with a real folder or file")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temporary_name(target: Path) -> str:
    """The prefix of a temporary beside ``target`` (mkstemp/mkdtemp add a random part and TMP_SUFFIX)."""
    return f".{target.name}."


def write_atomic(path: Path, data: bytes | str, durable: bool = False) -> None:
    """Replace ``path`` with ``data`` at once; ``durable`` fsyncs the file and its folder (for caches).

    Raises OSError as it comes (callers know what the file is for); a symlinked target is refused."""
    refuse_symlink(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temporary_name(path), suffix=TMP_SUFFIX)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; keep the usual file mode
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (where the file system allows a folder to be fsynced)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temporary_folder(target: Path) -> Path:
    """A new empty folder beside ``target`` with one of our temporary names."""
    return Path(tempfile.mkdtemp(prefix=temporary_name(target), suffix=TMP_SUFFIX, dir=target.parent))


def is_temporary(path: Path) -> bool:
    """True for a name this module gives its temporaries (and no other)."""
    return bool(_OURS.match(path.name))


def remove_temporaries(folder: Path, recursive: bool = False) -> list[Path]:
    """Remove the temporaries (files or folders) a killed run of ours left in ``folder``; return them."""
    if not folder.is_dir():
        return []
    found = [p for p in (folder.rglob(f"*{TMP_SUFFIX}") if recursive else folder.glob(f"*{TMP_SUFFIX}"))
             if is_temporary(p)]
    for p in found:
        _remove(p)
    return found


def _remove(path: Path) -> None:
    """Remove a file, a symbolic link (not what it points at) or a folder."""
    if path.is_dir() and not path.is_symlink():
        _rmtree(path)
    else:
        path.unlink()


# ----- the folder swap -----

def swap_names(folder: Path) -> tuple[Path, Path]:
    """Where a new folder is staged and where the previous one waits during a two-rename swap."""
    return folder.parent / f".{folder.name}.staging", folder.parent / f".{folder.name}.old"


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


def check_destination(folder: Path) -> None:
    """Refuse a destination folder that is a symlink or a file, and stray staging names that are not
    folders we made (a file or link made by hand): each is one line naming what to remove."""
    refuse_symlink(folder, "output folder")
    if folder.exists() and not folder.is_dir():
        raise WriteError(f"{paths.display(folder)} is a file, not a folder")
    for aside in swap_names(folder):
        if aside.is_symlink() or (aside.exists() and not aside.is_dir()):
            kind = "a symbolic link" if aside.is_symlink() else "a file"
            raise UnsafePathError(f"{paths.display(aside)} is {kind}, not a folder this program made; "
                                  f"remove it (the name is reserved for updating {paths.display(folder)})")


def swap_folder(staging: Path, folder: Path) -> None:
    """Put ``staging`` in place of ``folder``; the previous contents are removed afterwards."""
    if not folder.exists():
        _rename(staging, folder)
        return
    old = swap_names(folder)[1]
    if _exchange(staging, folder):
        old = staging  # now holds the previous contents
    else:
        _rename(folder, old)
        _rename(staging, folder)
    # The new folder is in place: failing to remove the previous one loses nothing (the next run does it).
    with contextlib.suppress(OSError):
        _rmtree(old)


def recover_swap(folder: Path) -> list[str]:
    """Finish or undo a swap a kill interrupted and remove its leftovers; returns what it did."""
    check_destination(folder)
    done = []
    staging, old = swap_names(folder)
    if old.exists() and not folder.exists() and staging.is_dir():
        _rename(staging, folder)  # killed between the two renames: the staged folder was complete
        done.append(f"finished an interrupted update of {paths.display(folder)}")
    elif old.exists() and not folder.exists():
        _rename(old, folder)
        done.append(f"restored {paths.display(folder)} from an interrupted update")
    for leftover in (staging, old):
        if leftover.exists():
            _rmtree(leftover)
            done.append(f"removed {paths.display(leftover)} left by an interrupted run")
    return done


# ----- the lock -----

class Lock:
    """An exclusive lock on ``path`` (a file beside or inside what it guards) for one ``with`` block.

    Released by the operating system if the process dies. The file holds "<who> pid N on HOST since
    TIME" while held, so a refused second process can say who has it."""

    def __init__(self, path: Path, guards: Path, who: str):
        self.path, self.guards, self.who = path, guards, who
        self._lock = None

    def __enter__(self) -> Lock:
        from filelock import FileLock, Timeout

        refuse_symlink(self.path, "lock file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(self.path), timeout=0)
            lock.acquire()
        except Timeout:
            raise LockedError(f"{paths.display(self.guards)} is in use by {self.holder()}; "
                              "wait for it to finish, then run the command again") from None
        except OSError as exc:
            raise WriteError(f"cannot lock {paths.display(self.guards)}: {exc.strerror or exc} "
                             f"({paths.display(self.path)})") from None
        self._lock = lock
        try:
            self._record(f"{self.who} pid {os.getpid()} on {socket.gethostname()} since "
                         f"{datetime.now(timezone.utc).isoformat(timespec='seconds')}\n")
        except OSError as exc:
            lock.release()
            raise WriteError(f"cannot lock {paths.display(self.guards)}: "
                             + describe(exc, self.path, unchanged=False)) from None
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(OSError):
            self._record("")
        self._lock.release()
        self._lock = None

    def _record(self, text: str) -> None:
        fd = os.open(self.path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.ftruncate(fd, 0)
            if text:
                os.pwrite(fd, text.encode("utf-8"), 0)
        finally:
            os.close(fd)

    def holder(self) -> str:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                text = os.pread(fd, 300, 0).decode("utf-8", "replace")
            finally:
                os.close(fd)
        except OSError:
            text = ""
        return printable(text.strip()) or "another process"
