"""Cutting a zone into partitions: byte ranges at owner lines, with the origin and line at each start.

The pre-scan reads only ``$`` directive lines and counts newlines; stdin and gzip input are first
spooled to a seekable temporary file.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import os
import stat
from collections.abc import Iterator
from typing import IO

from ..errors import AuditError
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
    with open(path, "rb") as f:
        cuts = [0]
        for k in range(1, parts):
            # a boundary is looked for before the next target only: a newline-free file is one
            # partition, found in one pass, not a search to the end of the file per target
            pos = _boundary(f, max(size * k // parts, cuts[-1] + 1), size, size * (k + 1) // parts)
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


SEARCH_BLOCK = 1 << 16  # the planner reads the file in pieces this size (never maps it: a mapped file
# scanned end to end counts as resident memory, and as address space under RLIMIT_AS)


def _find_newline(f: IO[bytes], pos: int, stop: int) -> int:
    """Offset of the first LF at or after ``pos`` and before ``stop``, or -1; reads SEARCH_BLOCK at a time."""
    while pos < stop:
        f.seek(pos)
        block = f.read(min(SEARCH_BLOCK, stop - pos))
        if not block:
            return -1
        nl = block.find(b"\n")
        if nl >= 0:
            return pos + nl
        pos += len(block)
    return -1


def _boundary(f: IO[bytes], pos: int, size: int, stop: int | None = None) -> int | None:
    """The first start of a line with a new owner at or after ``pos`` (looking no further than ``stop``)."""
    stop = size if stop is None else min(stop, size)
    for _ in range(1000):
        nl = _find_newline(f, pos - 1, stop)
        if nl < 0 or nl + 1 >= size:
            return None
        start = nl + 1
        f.seek(start)
        head = f.read(MAX_LINE + 1)
        first = head[:1]
        if first not in b' \t\r\n;$()"' and first:
            end = head.find(b"\n")
            if end < 0 and len(head) > MAX_LINE:
                pos = start + 1  # an over-long line: the reader refuses it; not a place to cut
                continue
            line = head[:end] if end >= 0 else head
            prev = _previous_owner(f, nl)
            token = line.split(None, 1)[0] if line.strip() else b""
            if token and token != prev and b"(" not in line:
                return start
        pos = start + 1
    return None


def _previous_owner(f: IO[bytes], nl: int) -> bytes | None:
    """The owner token of the nearest earlier line that has one (within 64 KB back; else None)."""
    back = min(nl, SEARCH_BLOCK)
    f.seek(nl - back)
    window = f.read(back)
    end = len(window)
    for _ in range(200):
        start = window.rfind(b"\n", 0, end) + 1
        if start == 0 and back < nl:
            return None  # the line runs further back than the window: unknown (the seam check still holds)
        line = window[start:end]
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
    with open(path, "rb") as f:
        for k in range(1, parts):
            nl = _find_newline(f, size * k // parts, size * (k + 1) // parts)
            end = nl + 1 if nl >= 0 else 0
            if cuts[-1] < end < size:
                cuts.append(end)
    cuts.append(size)
    lines_at, _ = _prescan(path, cuts)
    return [Partition(path, file, a, b, lines_at[a], origin) for a, b in itertools.pairwise(cuts)]


MAX_SPOOL_BYTES = 64 << 30
"""Bytes a stream or gzip file may decompress to before the audit refuses it (``--max-bytes``): the
largest zones (.com) are about 25 GB uncompressed."""
MAX_RATIO = 100.0
"""Decompressed bytes per compressed byte a gzip zone may reach (``--max-ratio``): zone files compress
5-20×; a gigabyte of zeros compresses about 1,000×."""
RATIO_FLOOR = 4 << 20  # the ratio is judged once this much came out: a gzip header alone says nothing
SPOOL_BLOCK = 1 << 20


def spool(
    source: str | os.PathLike[str] | IO[bytes],
    tmpdir: str,
    *,
    max_bytes: int = MAX_SPOOL_BYTES,
    max_ratio: float = MAX_RATIO,
) -> tuple[str, str]:
    """A seekable, uncompressed copy of ``source`` when it is a stream or gzip: (path, display name).

    The limits are checked before each block is written, while decompressing: a gzip bomb is refused
    after a few MB, not after filling the temporary folder.  A block that cannot be written (disk
    full, a file size limit, a folder gone) is an :class:`AuditError` naming the folder.
    """
    stream, name, owned = open_zone(source)
    plain_file = owned and not hasattr(stream, "decompress") and type(stream).__name__ == "BufferedReader"
    if plain_file and stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
        stream.close()
        return name, name
    # gzip, stdin, or a pipe given by path (<(zcat zone.gz)): partitions need a file they can seek in
    compressed = getattr(stream, "fileobj", None) if isinstance(stream, gzip.GzipFile) else None
    target = os.path.join(tmpdir, "zone")
    written = 0
    try:
        try:
            out = open(target, "wb")  # noqa: SIM115 - closed below, its errors told apart from the input's
        except OSError as e:
            raise _temp_error(tmpdir, e) from None
        with out:
            while data := stream.read(SPOOL_BLOCK):
                written += len(data)
                if written > max_bytes:
                    raise ZoneError(
                        f"refused: it holds more than {max_bytes:,} bytes (--max-bytes); nothing more was read or kept",
                        name,
                    )
                if compressed is not None and written >= RATIO_FLOOR:
                    taken = max(compressed.tell(), 1)
                    if written > max_ratio * taken:
                        raise ZoneError(
                            f"refused: {written:,} bytes came out of {taken:,} compressed bytes, over "
                            f"{max_ratio:g}× (--max-ratio): a gzip bomb, or not a zone file",
                            name,
                        )
                try:
                    out.write(data)
                except OSError as e:
                    raise _temp_error(tmpdir, e) from None
    except READ_ERRORS as e:
        raise ZoneError(f"read failed: {describe_read_error(e)}", name) from None
    finally:
        if owned:
            stream.close()
    return target, name


def _temp_error(folder: str, error: OSError) -> AuditError:
    return AuditError(
        f"cannot write to the temporary folder {folder}: {error.strerror or error} "
        "(set TMPDIR to a folder with room for the spooled zone)"
    )
