"""The audit's per-run temporary folder, and the sweep of folders whose audit was killed (issue 18).

Every run keeps its temporary files (the spool, hash files, findings past their bound) in one folder,
``idnkit-audit-*`` in the temporary folder, holding a file ``lock`` the run keeps ``flock``-ed while it
lives.  The kernel releases the lock when the process ends, however it ends: a run killed with SIGKILL
(which can clean up nothing) leaves a folder whose lock is free, and the next run removes it.  A live
run's lock is held, and its folder is never touched.

The lock file is locked under another name and then renamed to ``lock`` (a rename keeps the inode, and
the lock is the inode's): a folder whose ``lock`` exists is locked from the first moment, and one without
it (being made this instant, or by an older idnkit) is left alone.

The sweep is careful with a folder shared by every user (``/tmp``): it looks only at directories named
``idnkit-audit-*`` owned by this user, opens everything relative to the temporary folder with
``O_NOFOLLOW`` (never following a link planted in place of a folder or of the lock), and removes with
:func:`shutil.rmtree` relative to that folder's descriptor, which does not follow links either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from types import TracebackType

from ..errors import AuditError

PREFIX = "idnkit-audit-"
LOCK = "lock"
MP_RECORD = "mp-tempdir"
"""A file naming multiprocessing's folder (``pymp-*``, beside the run's) when this process made it:
the sweep removes it with the run's folder (a run killed with its workers leaves it too)."""

_MP_PREFIX = "pymp-"
try:
    import fcntl
except ImportError:  # Windows: no flock, so no sweep; a run's folder is removed as it ends, as before
    HAVE_FLOCK = False
else:
    HAVE_FLOCK = True
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW


class RunFolder:
    """A run's temporary folder, locked while the run lives and removed when it ends.

    ``with RunFolder() as path:`` sweeps folders left by killed runs first, then makes the run's own.
    """

    def __init__(self, parent: str | None = None) -> None:
        self.parent = parent if parent is not None else tempfile.gettempdir()
        self.path = ""
        self._lock: int | None = None

    def __enter__(self) -> str:
        sweep(self.parent)
        try:
            self.path = tempfile.mkdtemp(prefix=PREFIX, dir=self.parent)
            fd = os.open(os.path.join(self.path, ".lock-new"), os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        except OSError as e:
            if self.path:
                shutil.rmtree(self.path, ignore_errors=True)
            raise AuditError(f"cannot make a folder in the temporary folder {self.parent}: {e.strerror or e}") from None
        try:
            if HAVE_FLOCK:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody else can hold it
            os.rename(os.path.join(self.path, ".lock-new"), os.path.join(self.path, LOCK))
        except BaseException:
            os.close(fd)
            shutil.rmtree(self.path, ignore_errors=True)
            raise
        self._lock = fd
        return self.path

    def record_mp_tempdir(self, folder: str) -> None:
        """Name multiprocessing's folder in the run's, for the sweep, when it sits beside the run's."""
        if os.path.dirname(folder) == self.parent and os.path.basename(folder).startswith(_MP_PREFIX):
            with open(os.path.join(self.path, MP_RECORD), "w", encoding="utf-8") as f:
                f.write(os.path.basename(folder))

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        # removed while the lock is held: a sweep running meanwhile finds the lock held, or no lock
        shutil.rmtree(self.path, ignore_errors=True)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def sweep(parent: str) -> list[str]:
    """Remove the folders of killed runs in ``parent`` (their lock free); the names removed.

    Never raises: a folder that cannot be examined or removed is left for a later run."""
    removed: list[str] = []
    if not HAVE_FLOCK:
        return removed
    try:
        top = os.open(parent, _NOFOLLOW_DIR)
    except OSError:
        return removed  # the audit itself reports a missing or unusable temporary folder
    try:
        with os.scandir(top) as entries:
            names = [entry.name for entry in entries if entry.name.startswith(PREFIX)]
        for name in names:
            with contextlib.suppress(OSError):
                if _sweep_one(top, name):
                    removed.append(name)
    except OSError:
        pass
    finally:
        os.close(top)
    return removed


def _sweep_one(top: int, name: str) -> bool:
    """Remove ``top``/``name`` if it is this user's run folder and no live run holds its lock."""
    info = os.lstat(name, dir_fd=top)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False  # a link, a file, or another user's: not ours to judge
    folder = os.open(name, _NOFOLLOW_DIR, dir_fd=top)
    try:
        try:
            lock = os.open(LOCK, os.O_RDONLY | _NOFOLLOW, dir_fd=folder)
        except FileNotFoundError:
            return False  # being made this instant (or by an older idnkit): left alone
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                    return False  # a live run
                raise
            # the lock is ours now: a second sweeper waits here, then finds the folder gone
            if not stat.S_ISREG(os.fstat(lock).st_mode):
                return False
            mp = _mp_record(folder)
            if mp is not None:
                _remove_dir(top, mp)
            shutil.rmtree(name, dir_fd=top)
            return True
        finally:
            os.close(lock)
    finally:
        os.close(folder)


def _mp_record(folder: int) -> str | None:
    """The multiprocessing folder a run named (its basename), if the record is sound."""
    try:
        fd = os.open(MP_RECORD, os.O_RDONLY | _NOFOLLOW, dir_fd=folder)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        text = f.read(256).decode("ascii", "replace").strip()
    if not text.startswith(_MP_PREFIX) or "/" in text or "\0" in text or text in (".", ".."):
        return None
    return text


def _remove_dir(top: int, name: str) -> None:
    """Remove ``top``/``name`` if it is a directory of this user (not a link)."""
    with contextlib.suppress(OSError):
        info = os.lstat(name, dir_fd=top)
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            shutil.rmtree(name, dir_fd=top)


__all__ = ["LOCK", "PREFIX", "RunFolder", "sweep"]
