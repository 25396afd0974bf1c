"""Stream the owner names of a DNS zone file (RFC 1035 §5 master format) or of a plain name list.

>>> import io
>>> zone = io.BytesIO(b"$ORIGIN example.\\n@ 3600 IN SOA ns hostmaster 1 2 3 4 5\\nwww IN A 192.0.2.1\\n")
>>> [(r.owner, r.line, r.rtype) for r in read_zone(zone)]
[('example.', 2, 'SOA'), ('www.example.', 3, 'A')]

Memory stays flat whatever the size of the zone: the file is read in chunks and nothing is kept but
the current origin and owner.  A line the reader cannot use becomes a :class:`ZoneProblem` (with
``file:line``) and reading goes on; pass ``problems=list`` to collect them, else they are dropped
after counting into :attr:`ZoneReader.problems`.  ``$INCLUDE`` is refused unless
``allow_include=True``, and then confined to the zone file's folder.
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from ..errors import ZoneError
from ._lexer import NameSyntaxError, Problem, Scanner, ZoneRecord, parse_name
from ._lexer import decode_name as decode_name
from ._lines import iter_lines

__all__ = [
    "READ_ERRORS",
    "ZoneError",
    "ZoneProblem",
    "ZoneRecord",
    "open_zone",
    "parse_origin",
    "read_names",
    "read_zone",
]

GZIP_MAGIC = b"\x1f\x8b"

#: What reading a gzip stream may raise when its bytes are corrupt: a bad header (BadGzipFile, an
#: OSError), a bad deflate stream or check value (zlib.error, not an OSError), a cut-off end (EOFError).
READ_ERRORS = (OSError, EOFError, zlib.error)


@dataclass(frozen=True, slots=True)
class ZoneProblem:
    """A line the reader could not use; ``rule`` is one of the ``zone.*`` rule ids."""

    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} [{self.rule}]"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "rule": self.rule, "message": self.message}


def parse_origin(origin: str) -> bytes:
    """``origin`` as an absolute name in canonical presentation bytes (``"example"`` → ``b"example."``)."""
    text = origin if origin.endswith(".") else origin + "."
    try:
        return parse_name(text.encode("utf-8"), b".")
    except NameSyntaxError as e:
        raise ZoneError(f"bad origin {origin!r}: {e}") from None


def open_zone(source: str | os.PathLike[str] | IO[bytes]) -> tuple[IO[bytes], str, bool]:
    """Open a path (gzip detected by its magic bytes) or wrap a binary stream: (stream, name, owned)."""
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        try:
            raw = open(name, "rb")  # noqa: SIM115 - returned to the caller, who closes it
            mode = os.fstat(raw.fileno()).st_mode
        except OSError as e:
            raise ZoneError(e.strerror or str(e), name) from None
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            # /dev/zero, /dev/urandom, a disk: endless or not a zone; a pipe (<(zcat ...)) is read as a stream
            raw.close()
            raise ZoneError("is a device, not a zone file (give a file, a pipe or - for stdin)", name)
        if raw.peek(2)[:2] == GZIP_MAGIC:
            raw.close()
            return cast(IO[bytes], gzip.open(name, "rb")), name, True
        return raw, name, True
    label = getattr(source, "name", None)
    return source, label if isinstance(label, str) else "<stream>", False


def read_zone(
    source: str | os.PathLike[str] | IO[bytes],
    origin: str = ".",
    *,
    allow_include: bool = False,
    problems: list[ZoneProblem] | None = None,
) -> Iterator[ZoneRecord]:
    """Yield every record's owner of a master file, in file order.

    ``origin`` is the initial ``$ORIGIN`` (RFC 1035 §5.1); relative names and ``@`` are resolved
    against the origin in effect.  Bad lines go to ``problems`` when given, else are skipped.
    Owner names that are not UTF-8 are shown with ``\\DDD`` escapes for the offending bytes.
    """
    stream, name, owned = open_zone(source)
    base = Path(name).resolve().parent if owned else None
    scanner = Scanner(name, parse_origin(origin), records=True, allow_include=allow_include, base_dir=base)
    try:
        for batch in scanner.scan(stream):
            for item in batch:
                if type(item) is ZoneRecord:
                    yield item
                elif problems is not None and isinstance(item, Problem):
                    problems.append(ZoneProblem(item.file, item.line, item.rule, item.message))
    except READ_ERRORS as e:
        raise ZoneError(f"read failed: {describe_read_error(e)}", name, scanner.line) from None
    finally:
        if owned:
            stream.close()


def describe_read_error(e: BaseException) -> str:
    """A read error in words: corrupt gzip data says so (zlib's own text is "Error -3 while ...")."""
    if isinstance(e, zlib.error | gzip.BadGzipFile):
        return f"corrupt gzip data ({e})"
    if isinstance(e, EOFError):
        return f"the gzip stream ends early ({e})"
    return str(e)


def read_names(
    source: str | os.PathLike[str] | IO[bytes], problems: list[ZoneProblem] | None = None
) -> Iterator[ZoneRecord]:
    """A plain list, one name per line (``#`` comments and blank lines skipped); names are absolute.

    A line that is not UTF-8, or is longer than 64 KB, goes to ``problems`` with its line number.
    LF, CR LF and CR alone end lines.
    """
    stream, name, owned = open_zone(source)
    number = 0
    try:
        for number, raw in enumerate(iter_lines(stream), 1):
            if isinstance(raw, int):
                if problems is not None:
                    problems.append(
                        ZoneProblem(name, number, "zone.line_too_long", f"line of {raw} bytes (over 64 KB)")
                    )
                continue
            text = raw.strip()
            if not text or text.startswith(b"#"):
                continue
            try:
                owner = text.decode("utf-8")
            except UnicodeDecodeError as e:
                if problems is not None:
                    problems.append(
                        ZoneProblem(name, number, "zone.unreadable", f"invalid UTF-8 at byte {e.start + 1}")
                    )
                continue
            yield ZoneRecord(owner if owner.endswith(".") else owner + ".", number, name, "")
    except READ_ERRORS as e:
        raise ZoneError(f"read failed: {describe_read_error(e)}", name, number + 1) from None
    finally:
        if owned:
            stream.close()
