"""Opening files a document names (an ``$INCLUDE``, a policy's name list or table, an LGR) safely.

Only regular files: a FIFO blocks its reader until someone writes (for ever, inside a zone folder), a
device such as ``/dev/zero`` never ends, a folder cannot be read.  The file is opened without blocking
(so a FIFO's open returns at once), then checked on the open descriptor, so that nothing swapped in
between the check and the read gets read.  With ``nofollow`` a symbolic link at the last step is
refused too: callers that resolved and confined a path ask for it.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO


class FileRefusedError(Exception):
    """A file that is not one idnkit reads: the message says what it is instead (never its contents)."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def open_regular(path: str | os.PathLike[str], *, nofollow: bool = False, max_bytes: int | None = None) -> BinaryIO:
    """``path`` opened for binary reading if it is a regular file (of at most ``max_bytes``).

    Raises :class:`FileRefusedError` for anything else, OSError when it cannot be opened.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if nofollow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileRefusedError(f"it is {_kind(st.st_mode)}, not a regular file")
        if max_bytes is not None and st.st_size > max_bytes:
            raise FileRefusedError(f"it is {st.st_size:,} bytes, over the bound of {max_bytes:,}")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], max_bytes: int, *, nofollow: bool = False) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (a file growing past it is refused too)."""
    with open_regular(path, nofollow=nofollow, max_bytes=max_bytes) as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRefusedError(f"it is over the bound of {max_bytes:,} bytes")
    return data
