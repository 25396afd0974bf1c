"""The audit's findings, in file order: in memory up to a bound, past it on disk (issue 18).

A zone where every name is invalid has a finding per name, about 300 B each as objects: ten million
names would hold 3 GB.  A :class:`Findings` keeps up to :data:`MEMORY_FINDINGS` of them in memory;
past that it writes them in blocks of :data:`BLOCK` to a file in the audit's temporary folder and
reads them back a block at a time, so memory stays about a block per store whatever the count.

Two kinds of file: a worker's store writes a *named* file (the client takes it over when the
partition's result arrives, and removes it); the client's store writes an unnamed one
(``tempfile.TemporaryFile``: no name on a POSIX system), which outlives the temporary folder,
lives as long as the result, and is gone when the process ends, however it ends (SIGKILL too).
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
import os
import struct
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, overload

from ..errors import AuditError
from ..findings import Finding, Severity

MEMORY_FINDINGS = 1 << 13
"""Findings a store holds in memory before it writes them to disk (about 2.5 MB)."""

BLOCK = 1 << 12
"""Findings per block on disk, written and read back as one ``marshal`` record (about 1 MB)."""

_HEADER = struct.Struct("<I")  # the byte length of the marshalled block that follows
_COPY = 1 << 20  # bytes per read when a store takes over another's file


@dataclass(frozen=True, slots=True)
class AuditFinding:
    """One finding on one owner name (or one unreadable line): the :class:`~idnkit.Finding` and where
    in the zone it was met (owner name as read, zone line, name class, Unicode form).

    ``placed``: the report's ``detail`` puts the finding's place (label, position, code point) before
    its message, as for IDNA2008's findings; a check's (an LGR, a policy) names its label itself.
    """

    name: str
    line: int
    name_class: str
    finding: Finding
    unicode: str | None = None
    placed: bool = True

    @property
    def rule(self) -> str:
        return self.finding.rule

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    @property
    def detail(self) -> str:
        """The message, after the label, position and code point where known (the reports' ``detail``)."""
        return self.finding.placed_message() if self.placed else self.finding.message

    def to_dict(self) -> dict[str, Any]:
        f = self.finding
        return {
            "name": self.name,
            "unicode": self.unicode,
            "line": self.line,
            "class": self.name_class,
            "rule": f.rule,
            "severity": f.severity.value,
            "detail": self.detail,
            "label": f.label_index,
            "position": f.position,
            "codepoint": f.codepoint,
        }


# A finding as one marshal row: the audit's fields, then the Finding's (its file and line are the audit's).
_Row = tuple[
    str, int, str, "str | None", bool, str, str, "int | None", "str | None", "int | None", str, "str | None",
    "str | None", "str | None",
]  # fmt: skip
_SEVERITIES = {s.value: s for s in Severity}


def _row(a: AuditFinding) -> _Row:
    f = a.finding
    return (a.name, a.line, a.name_class, a.unicode, a.placed, f.rule, f.message, f.position, f.codepoint,
            f.label_index, f.severity.value, f.engine, f.ref, f.cite)  # fmt: skip


def _finding(row: _Row) -> AuditFinding:
    name, line, name_class, unicode, placed, rule, message, position, codepoint, label, severity, engine, ref, cite = (
        row
    )
    f = Finding(rule, message, position, codepoint, label, _SEVERITIES[severity], engine, ref, cite=cite)
    return AuditFinding(name, line, name_class, f, unicode, placed)


class Findings(Sequence[AuditFinding]):
    """Findings in the order they were added; iterate it to read them (a block at a time from disk).

    ``folder`` is where a store past :data:`MEMORY_FINDINGS` writes (``None``: it never does);
    ``named`` stores write a file with a name, so that another process can take it over (pickling
    passes the file by name).  Reading while adding is not supported; several readers at once are.
    Indexing past the findings in memory reads the blocks before it: iterate instead.
    """

    __slots__ = ("_file", "_folder", "_items", "_limit", "_lock", "_named", "_on_disk", "_path", "_size")

    def __init__(self, items: Iterable[AuditFinding] = (), *, folder: str | None = None, named: bool = False) -> None:
        self._folder = folder
        self._named = named
        self._items: list[AuditFinding] = []  # not written: every finding while none is on disk
        self._limit = MEMORY_FINDINGS
        self._file: IO[bytes] | None = None
        self._path: str | None = None  # the file's name, for a named store
        self._on_disk = 0  # findings written
        self._size = 0  # bytes written
        self._lock = threading.Lock()  # readers share the file's position
        self.extend(items)

    # --- adding -----------------------------------------------------------------------------------

    def append(self, finding: AuditFinding) -> None:
        items = self._items
        items.append(finding)
        if len(items) >= self._limit and self._folder is not None:
            self._write(items)
            items.clear()

    def extend(self, findings: Iterable[AuditFinding]) -> None:
        for finding in findings:
            self.append(finding)

    def take(self, other: Findings) -> None:
        """Add every finding of ``other`` and empty it (its file is copied block by block, not decoded,
        then removed)."""
        if other._on_disk and self._folder is not None and len(self._items) + len(other) > self._limit:
            if self._items:
                self._write(self._items)
                self._items.clear()
            self._copy_file(other)
            self.extend(other._items)
        else:
            self.extend(other)
        other.discard()

    def spill(self) -> None:
        """Write what is in memory to disk now (a partition's findings as its result reaches the client)."""
        if self._items and self._folder is not None:
            self._write(self._items)
            self._items.clear()

    def discard(self) -> None:
        """Forget every finding, and remove the file (this store is emptied, not closed)."""
        self._items = []
        file, path = self._file, self._path
        self._file = self._path = None
        self._on_disk = self._size = 0
        self._limit = MEMORY_FINDINGS
        if file is not None:
            file.close()
        if path is not None:
            with contextlib.suppress(OSError):  # the folder's removal may have taken it
                os.unlink(path)

    def __del__(self) -> None:
        # the file closes with its store (an unnamed one is then gone); a named one stays for its taker
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()

    # --- on disk ------------------------------------------------------------------------------------

    def _open(self) -> IO[bytes]:
        if self._file is None and self._path is not None:  # a named store that came by pickle
            return self._reader()
        if self._file is None:
            assert self._folder is not None
            try:
                if self._named:
                    fd, self._path = tempfile.mkstemp(suffix=".findings", dir=self._folder)
                    self._file = os.fdopen(fd, "w+b")
                else:
                    self._file = tempfile.TemporaryFile(dir=self._folder)  # noqa: SIM115 - open while the store lives
            except OSError as e:
                raise AuditError(f"cannot write to the temporary folder {self._folder}: {e.strerror or e}") from None
        return self._file

    def _write(self, findings: list[AuditFinding]) -> None:
        data = marshal.dumps(list(map(_row, findings)))
        with self._lock:
            file = self._open()
            try:
                file.seek(self._size)
                file.write(_HEADER.pack(len(data)))
                file.write(data)
                file.flush()
            except OSError as e:  # a full disk: the folder is named, not a traceback
                raise AuditError(f"cannot write to the temporary folder {self._folder}: {e.strerror or e}") from None
        self._size += _HEADER.size + len(data)
        self._on_disk += len(findings)
        self._limit = BLOCK

    def _copy_file(self, other: Findings) -> None:
        with other._lock:
            source = other._reader()
            source.seek(0)
            with self._lock:
                file = self._open()
                try:
                    file.seek(self._size)
                    left = other._size
                    while left:
                        data = source.read(min(_COPY, left))
                        if not data:
                            raise AuditError(f"the findings file {other._path or ''} ended early")
                        file.write(data)
                        left -= len(data)
                    file.flush()
                except OSError as e:
                    raise AuditError(
                        f"cannot write to the temporary folder {self._folder}: {e.strerror or e}"
                    ) from None
        self._size += other._size
        self._on_disk += other._on_disk
        self._limit = BLOCK

    def _reader(self) -> IO[bytes]:
        if self._file is None or self._file.closed:
            assert self._path is not None
            self._file = open(self._path, "r+b")  # noqa: SIM115 - kept open while the store lives
        return self._file

    def _blocks(self) -> Iterator[list[_Row]]:
        offset, end = 0, self._size
        while offset < end:
            with self._lock:
                file = self._reader()
                file.seek(offset)
                (length,) = _HEADER.unpack(file.read(_HEADER.size))
                data = file.read(length)
            offset += _HEADER.size + length
            yield marshal.loads(data)

    # --- reading ------------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[AuditFinding]:
        for rows in self._blocks():
            yield from map(_finding, rows)
        yield from self._items[:]

    def __len__(self) -> int:
        return self._on_disk + len(self._items)

    @property
    def folder(self) -> str | None:
        """Where this store writes past its bound (None: it never does)."""
        return self._folder

    @property
    def on_disk(self) -> int:
        """How many of the findings are on disk (the rest are in memory)."""
        return self._on_disk

    @overload
    def __getitem__(self, index: int) -> AuditFinding: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[AuditFinding, ...]: ...

    def __getitem__(self, index: int | slice) -> AuditFinding | tuple[AuditFinding, ...]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step < 0:
                return tuple(self)[index]
            return tuple(itertools.islice(self, start, stop, step))
        n = len(self)
        position = index + n if index < 0 else index
        if not 0 <= position < n:
            raise IndexError("finding index out of range")
        if position >= self._on_disk:
            return self._items[position - self._on_disk]
        return next(itertools.islice(self, position, None))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Findings | tuple | list):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable while the audit adds to it

    def __repr__(self) -> str:
        if len(self) <= 20:
            return f"Findings({list(self)!r})"
        return f"<Findings: {len(self):,} findings, {self._on_disk:,} on disk>"

    def __reduce__(self) -> tuple[Any, ...]:
        """A named store travels by its file's name (a worker's result to the client); any other is
        read whole into the pickle."""
        if self._named and self._on_disk:
            if self._file is not None:
                self._file.flush()
            return (_named, (self._path, self._folder, self._on_disk, self._size, self._items))
        return (_in_memory, (list(self), self._folder, self._named))


def _named(path: str, folder: str, on_disk: int, size: int, items: list[AuditFinding]) -> Findings:
    store = Findings(folder=folder, named=True)
    store._path, store._on_disk, store._size, store._limit = path, on_disk, size, BLOCK
    store._items = list(items)
    return store


def _in_memory(items: list[AuditFinding], folder: str | None, named: bool) -> Findings:
    store = Findings(folder=None, named=named)
    store._items = list(items)
    store._folder = folder
    return store


__all__ = ["BLOCK", "MEMORY_FINDINGS", "AuditFinding", "Findings"]
