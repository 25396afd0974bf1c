"""Lines of a binary stream in bounded memory: LF, CR LF and a lone CR (old Mac files) all end a line.

RFC 1035 §5.1 ends master-file lines with CR LF or LF; a file written with CR alone would otherwise be
one line.  A line longer than the bound is not kept: its length stands for it, so a newline-free
gigabyte costs one block of memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

MAX_LINE = 64 * 1024  # RFC 1035 sets no bound; a line or parenthesised record over this is refused
BLOCK = 1 << 16

_LONE_CR = re.compile(rb"\r(?!\n)")


def lone_crs_to_lf(data: bytes) -> bytes:
    """``data`` with each CR not followed by LF made a LF (a CR at the very end is the caller's)."""
    if data.count(b"\r") == data.count(b"\r\n"):  # two memchr-speed counts: no lone CR, nothing to do
        return data
    return _LONE_CR.sub(b"\n", data)


def count_line_ends(data: bytes, start: int = 0, end: int | None = None) -> int:
    """Line ends in ``data[start:end]``: every LF, and every CR that no LF follows."""
    stop = len(data) if end is None else end
    if data.find(b"\r", start, stop) < 0:  # the usual file: a memchr finds no CR, and LFs alone are counted
        return data.count(b"\n", start, stop)
    return data.count(b"\n", start, stop) + data.count(b"\r", start, stop) - data.count(b"\r\n", start, stop)


class Window:
    """``limit`` bytes of ``stream`` from where it stands: what one partition of a file may read."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream = stream
        self.left = limit

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.stream.read(size) if size > 0 else b""
        self.left -= len(data)
        return data


def iter_lines(stream: IO[bytes] | Window, max_line: int = MAX_LINE, block: int = BLOCK) -> Iterator[bytes | int]:
    """Each line of ``stream`` without its line end; a line over ``max_line`` bytes as its length (int).

    A last line without a line end is a line; an empty file has none.
    """
    line = b""
    over = -1  # >= 0: the current line passed max_line; its length so far
    cr = False  # the block before ended with CR: a LF starting this one is the rest of that line end
    # read1: what a pipe has now, so that lines typed or streamed in are answered as they come
    read = getattr(stream, "read1", stream.read)
    while True:
        data = read(block)
        if not data:
            break
        if cr and data[:1] == b"\n":
            data = data[1:]
        cr = data.endswith(b"\r")
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        parts = data.split(b"\n")
        for i, part in enumerate(parts):
            if over >= 0:
                over += len(part)
            elif len(line) + len(part) > max_line:
                over, line = len(line) + len(part), b""
            else:
                line += part
            if i == len(parts) - 1:
                break
            yield over if over >= 0 else line
            line, over = b"", -1
    if line or over >= 0:
        yield over if over >= 0 else line
