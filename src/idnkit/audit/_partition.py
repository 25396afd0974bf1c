"""Cutting a zone into partitions: byte ranges at owner lines, with the origin and line at each start.

The pre-scan reads only ``$`` directive lines and counts newlines; stdin and gzip input are first
spooled to a seekable temporary file.
"""

from __future__ import annotations

import contextlib
import itertools
import mmap
import os
import shutil
import stat
from collections.abc import Iterator
from typing import IO

from ..zone import READ_ERRORS, ZoneError, describe_read_error, open_zone
from ..zone._lexer import NameSyntaxError, parse_name
from ..zone._lines import MAX_LINE, count_line_ends
from ._model import Partition

PARTITION_BYTES = 32 << 20


PRESCAN_BLOCK = 4 << 20  # the pre-scan holds about three blocks at once: a 16 MB block was the peak of a 1-job audit


def plan(path: str, file: str, origin: bytes, parts: int) -> list[Partition]:
    """Cut ``path`` into about ``parts`` byte ranges starting at owner lines, with their origin and line.

    The pre-scan reads only the ``$`` directive lines (a byte search, in blocks) and counts
    newlines; a boundary is a line starting with an owner different from the one before.
    A wrong guess (a boundary inside a parenthesised record) is caught when partials are merged.
    """
    size = os.path.getsize(path)
    if size == 0 or parts <= 1:
        return [Partition(path, file, 0, size, 1, origin)]
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        cuts = [0]
        for k in range(1, parts):
            pos = _boundary(mm, max(size * k // parts, cuts[-1] + 1), size)
            if pos is not None and pos > cuts[-1] and pos < size:
                cuts.append(pos)
        cuts.append(size)
    # Line numbers at the cuts and the $ORIGIN lines, read in blocks: a memory map scanned end to end
    # would count the whole file as resident memory.
    lines_at, directives = _prescan(path, cuts)
    result = []
    current, d = origin, 0
    for a, b in itertools.pairwise(cuts):
        result.append(Partition(path, file, a, b, lines_at[a], current))
        while d < len(directives) and directives[d][0] < b:
            tokens = directives[d][1].split(b";")[0].split()
            if len(tokens) == 2 and tokens[0].upper() == b"$ORIGIN":
                with contextlib.suppress(NameSyntaxError):  # reported by the partition itself
                    current = parse_name(tokens[1], current)
            d += 1
    return result


def _prescan(path: str, cuts: list[int]) -> tuple[dict[int, int], list[tuple[int, bytes]]]:
    """Line numbers at the cuts and the ``$`` lines with their offsets, reading ``path`` in blocks.

    Lines end as the zone reader ends them: LF, CR LF, or a lone CR.  A line longer than the reader
    reads (MAX_LINE, refused there as ``zone.line_too_long``) is counted, not kept: a newline-free file
    was once kept whole as an unfinished tail and copied again with every block.
    """
    block = PRESCAN_BLOCK
    lines_at: dict[int, int] = {}
    directives: list[tuple[int, bytes]] = []
    pending = sorted(cuts)
    offset, lines, tail = 0, 0, b""
    at_line_start = True  # whether the next body starts a line (not the rest of an over-long one)
    with open(path, "rb") as f:
        while True:
            data = f.read(block)
            chunk = tail + data
            # The last line end of the chunk; a CR at its very end waits for the next block (CR LF?).
            end = len(chunk) if not data else max(chunk.rfind(b"\n"), chunk.rfind(b"\r", 0, len(chunk) - 1)) + 1
            if end == 0 and len(chunk) > MAX_LINE:
                end = len(chunk) - 1  # all of it is one over-long line: count it, keep one byte (a CR?)
            body, tail = chunk[:end], chunk[end:]
            while pending and pending[0] <= offset + len(body):
                cut = pending.pop(0)
                lines_at[cut] = lines + 1 + count_line_ends(body, 0, cut - offset)
            directives.extend(_directive_lines(body, offset, at_line_start))
            ends = count_line_ends(body)
            lines += ends
            if body:
                at_line_start = body[-1] in b"\r\n"
            offset += len(body)
            if not data:
                break
    for cut in pending:
        lines_at[cut] = lines + 1
    return lines_at, directives


def _directive_lines(body: bytes, offset: int, at_line_start: bool = True) -> Iterator[tuple[int, bytes]]:
    """The ``$`` lines of a block of whole lines, with their file offsets.

    A byte search for ``$`` (rare in a zone: memchr skips most of the block), kept where it starts a
    line: a pattern anchored at ``^`` is tried at every byte (0.7 s for 130 MB), and a search for
    ``\n$`` stops at every newline (3 ms per 4 MB block, in the client before any worker starts).
    """
    start = body.find(b"$")
    while start >= 0:
        end = min(x for x in (body.find(b"\n", start), body.find(b"\r", start), len(body)) if x >= 0)
        if (start == 0 and at_line_start) or (start > 0 and body[start - 1] in (0x0A, 0x0D)):
            yield offset + start, body[start:end]
        start = body.find(b"$", end)


def _boundary(mm: mmap.mmap, pos: int, size: int) -> int | None:
    for _ in range(1000):
        nl = mm.find(b"\n", pos - 1)
        if nl < 0 or nl + 1 >= size:
            return None
        start = nl + 1
        first = mm[start : start + 1]
        if first not in b' \t\r\n;$()"' and first:
            prev = _previous_owner(mm, nl)
            end = mm.find(b"\n", start)
            line = mm[start : end if end >= 0 else size]
            token = line.split(None, 1)[0] if line.strip() else b""
            if token and token != prev and b"(" not in line:
                return start
        pos = start + 1
    return None


def _previous_owner(mm: mmap.mmap, nl: int) -> bytes | None:
    """The owner token of the nearest earlier line that has one (a few KB back at most)."""
    end = nl
    for _ in range(200):
        start = mm.rfind(b"\n", 0, end) + 1
        line = mm[start:end]
        if line[:1] and line[:1] not in b" \t\r;$":
            return line.split(None, 1)[0]
        if start == 0:
            return None
        end = start - 1
    return None


def _plan_lines(path: str, file: str, origin: bytes, parts: int) -> list[Partition]:
    size = os.path.getsize(path)
    if size == 0 or parts <= 1:
        return [Partition(path, file, 0, size, 1, origin)]
    cuts = [0]
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        for k in range(1, parts):
            end = mm.find(b"\n", size * k // parts) + 1
            if cuts[-1] < end < size:
                cuts.append(end)
    cuts.append(size)
    lines_at, _ = _prescan(path, cuts)
    return [Partition(path, file, a, b, lines_at[a], origin) for a, b in itertools.pairwise(cuts)]


def spool(source: str | os.PathLike[str] | IO[bytes], tmpdir: str) -> tuple[str, str]:
    """A seekable, uncompressed copy of ``source`` when it is a stream or gzip: (path, display name)."""
    stream, name, owned = open_zone(source)
    plain_file = owned and not hasattr(stream, "decompress") and type(stream).__name__ == "BufferedReader"
    if plain_file and stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
        stream.close()
        return name, name
    # gzip, stdin, or a pipe given by path (<(zcat zone.gz)): partitions need a file they can seek in
    target = os.path.join(tmpdir, "zone")
    try:
        with open(target, "wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
    except READ_ERRORS as e:
        raise ZoneError(f"read failed: {describe_read_error(e)}", name) from None
    finally:
        if owned:
            stream.close()
    return target, name
