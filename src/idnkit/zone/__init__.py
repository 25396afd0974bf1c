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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from ..errors import ZoneError
from ._lexer import NameSyntaxError, Problem, Scanner, parse_name

__all__ = ["ZoneError", "ZoneProblem", "ZoneRecord", "open_zone", "parse_origin", "read_names", "read_zone"]

GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class ZoneRecord:
    """One resource record's owner: absolute name (presentation format), 1-based line, file, type."""

    owner: str
    line: int
    file: str
    rtype: str

    def to_dict(self) -> dict[str, Any]:
        return {"owner": self.owner, "line": self.line, "file": self.file, "rtype": self.rtype}


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
        except OSError as e:
            raise ZoneError(e.strerror or str(e), name) from None
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
                if isinstance(item, Problem):
                    if problems is not None:
                        problems.append(ZoneProblem(item.file, item.line, item.rule, item.message))
                    continue
                assert isinstance(item, tuple)
                file = item[3] if len(item) == 4 else name
                yield ZoneRecord(decode_name(item[0]), item[1], file, item[2].decode("ascii").upper())
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise ZoneError(f"read failed: {e}", name, scanner.line) from None
    finally:
        if owned:
            stream.close()


def decode_name(name: bytes) -> str:
    """Presentation bytes → text; bytes that are not UTF-8 become ``\\DDD`` escapes."""
    try:
        return name.decode("utf-8")
    except UnicodeDecodeError:
        return name.decode("utf-8", "backslashreplace").encode("ascii", "backslashreplace").decode("ascii")


def read_names(
    source: str | os.PathLike[str] | IO[bytes], problems: list[ZoneProblem] | None = None
) -> Iterator[ZoneRecord]:
    """A plain list, one name per line (``#`` comments and blank lines skipped); names are absolute.

    A line that is not UTF-8 goes to ``problems`` with its line number.
    """
    stream, name, owned = open_zone(source)
    try:
        for number, raw in enumerate(stream, 1):
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
    finally:
        if owned:
            stream.close()
