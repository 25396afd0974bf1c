"""The audit's values: findings, collision groups, the result, and what partitions carry (picklable)."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..collisions import KeySource
from ..findings import Finding
from ._findings import AuditFinding as AuditFinding  # re-exported: its home before the store
from ._findings import Findings

CLASSES = ("apex", "delegation", "host", "deeper", "other", "non-host")
"""Name classes: the origin; has NS below the apex; glue or other in-zone host (address records);
deeper than one label below the origin; any other name; not a host name by design (``_`` labels,
``*`` wildcards: reported, but never counted as invalid IDNs)."""

Occurrence = tuple[bytes, int, int]  # owner as read, line, type flags of the run
Row = tuple[str, str, str, str, int]  # kind, key, name, unicode, line
ProgressCallback = Callable[[int, int, int], None]  # bytes done, bytes total, names done


class Check:
    """An extra check run on every IDN name that passed IDNA2008 (an LGR, a registry policy).

    Subclasses set ``id`` and implement :meth:`findings` on the name's Unicode form below the
    origin.  Each finding is a :class:`~idnkit.Finding` whose message names the check and label
    (the report's ``detail``) and whose ``label_index``, ``position`` and ``codepoint`` say where
    (the report's own columns).  A ``(rule, severity, detail)`` tuple is still taken, with no place.
    """

    id = "check"

    def findings(self, u_name: str) -> Iterable[Finding | tuple[str, str, str]]:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class CollisionGroup:
    """Names sharing a key: ``members`` are ``(name, unicode, line, source)``, source "zone" or "against"."""

    kind: str
    key: str
    members: tuple[tuple[str, str, int, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "members": [{"name": n, "unicode": u, "line": ln, "source": s} for n, u, ln, s in self.members],
        }


@dataclass(slots=True)
class Partial:
    """What one partition found; :meth:`merge` adds another partition's partial (file order)."""

    names: int = 0
    valid: int = 0
    invalid: int = 0
    unreadable: int = 0
    idn: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    scripts: Counter[str] = field(default_factory=Counter)
    idn_classes: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    findings: Findings = field(default_factory=Findings)  # in file order; past a bound on disk
    keys: list[tuple[str, str, str, str, int]] = field(default_factory=list)  # kind, key, name, unicode, line
    # 64-bit hashes (CRC-32, Adler-32; 32 bits alone gave false hits), written to disk as each partial
    # reaches the client, so that no state per ASCII name stays in memory across the zone:
    # - of every owner run's lowercased name, sorted: merged, they show the names split across the file
    name_hashes: array[int] = field(default_factory=lambda: array("Q"))
    # - of every key of every ASCII name: pass 2 re-reads only partitions where one meets a wanted key
    key_hashes: array[int] = field(default_factory=lambda: array("Q"))
    hash_files: tuple[str, str] | None = None  # (name hashes, key hashes) once spilled
    name_bounds: list[int] = field(default_factory=list)  # where each top byte's run of name hashes starts
    first_owner: bytes | None = None
    last_owner: bytes | None = None
    end_origin: bytes = b"."
    end_depth: int = 0
    bytes_read: int = 0

    def merge(self, other: Partial) -> None:
        self.names += other.names
        self.valid += other.valid
        self.invalid += other.invalid
        self.unreadable += other.unreadable
        self.idn += other.idn
        self.classes.update(other.classes)
        self.scripts.update(other.scripts)
        self.idn_classes.update(other.idn_classes)
        self.rules.update(other.rules)
        self.findings.take(other.findings)
        self.keys.extend(other.keys)
        if self.first_owner is None:
            self.first_owner = other.first_owner
        self.last_owner = other.last_owner if other.last_owner is not None else self.last_owner
        self.end_origin, self.end_depth = other.end_origin, other.end_depth
        self.bytes_read += other.bytes_read

    def count(self, other: Partial, sign: int = 1) -> None:
        """Add (``sign=-1``: take back) the counts of ``other``, one name's :func:`name_delta`; not its
        findings or keys, which :func:`merge_repeated_names` places itself."""
        self.names += sign * other.names
        self.valid += sign * other.valid
        self.invalid += sign * other.invalid
        self.unreadable += sign * other.unreadable
        self.idn += sign * other.idn
        for mine, theirs in (
            (self.classes, other.classes),
            (self.scripts, other.scripts),
            (self.idn_classes, other.idn_classes),
            (self.rules, other.rules),
        ):
            mine.update({k: sign * v for k, v in theirs.items()})
            for gone in [k for k, v in mine.items() if v <= 0]:
                del mine[gone]


@dataclass(frozen=True, slots=True)
class AuditResult:
    """The audit of one zone.  ``names == valid + invalid + unreadable`` always holds."""

    file: str
    origin: str
    names: int
    valid: int
    invalid: int
    unreadable: int
    idn: int
    classes: dict[str, int]
    scripts: dict[str, int]
    idn_classes: dict[str, int]
    rules: dict[str, int]
    findings: Findings  # a sequence: iterate it, it may be on disk (_findings.py)
    collisions: tuple[CollisionGroup, ...]
    key_kinds: tuple[str, ...]
    # What produced the result, for a report read later: idnkit and Unicode versions, when, and the
    # checks and options that change findings (never the job count or engine, which change nothing).
    provenance: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else 1 if self.invalid else 0

    def summary_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "origin": self.origin,
            "names": self.names,
            "valid": self.valid,
            "invalid": self.invalid,
            "unreadable": self.unreadable,
            "idn": self.idn,
            "classes": self.classes,
            "scripts": self.scripts,
            "idn_classes": self.idn_classes,
            "rules": self.rules,
            "collision_groups": len(self.collisions),
            "key_kinds": list(self.key_kinds),
            "provenance": dict(self.provenance),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "collisions": [g.to_dict() for g in self.collisions],
        }


@dataclass(frozen=True, slots=True)
class Partition:
    """A byte range of a zone file and the lexer state at its start."""

    path: str
    file: str
    start: int
    end: int
    start_line: int
    origin: bytes


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a partition worker needs (picklable)."""

    origin: bytes
    key_sources: tuple[KeySource, ...] = ()
    checks: tuple[Check, ...] = ()
    allow_include: bool = False
    names_list: bool = False
    # the folder $INCLUDE is resolved against and confined to: the zone file's own, also when gzip
    # input was spooled to a temporary file; None (stdin, a stream) refuses $INCLUDE
    include_dir: str | None = None
    # where a worker writes its findings past the in-memory bound (the audit's temporary folder, which
    # the client reads); None keeps them in memory (a Dask worker on another machine)
    spill_dir: str | None = None
