"""Audit a whole zone: check every owner name, classify it, find collisions, account for everything.

>>> import io
>>> zone = "bücher NS ns.example.\\nxn--bcher-kva NS ns\\nbad-.x NS ns\\n_dmarc TXT v\\n".encode()
>>> result = audit_zone(io.BytesIO(zone), origin="de")
>>> result.names, result.valid, result.invalid, result.unreadable
(4, 3, 1, 0)
>>> [(f.name, f.rule) for f in result.findings]
[('bad-.x.de.', 'rfc5891.hyphen_end')]

The work is cut into *partitions*: byte ranges of the file, aligned to line starts, each read
with the origin in effect at its first byte (found by a cheap pre-scan of the ``$`` directives).
A partition returns a mergeable :class:`Partial` (counts, findings in file order, collision keys
of its IDN names); partials are merged in file order, so the result is the same whether the
partitions ran in one process, in ``jobs`` processes or on a Dask cluster.  Collisions take two
passes: the first collects the keys of every IDN name; the second probes the other names against
them, so an ASCII name read before the IDN it collides with is found too.  A name whose records are
split across the file is one name: pass 1 counts each owner run, and the runs of names met more than
once (found by hashes kept on disk) are counted again as one.  Memory grows with the number of IDN
names, findings and split names, not with the size of the zone (docs/scale-out.md).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import mmap
import operator
import os
import re
import shutil
import tempfile
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import IO, Any

from ._audit_keys import FoldKeys, default_key_sources
from ._idna2008 import check_domain
from ._results import Severity
from ._ucd import SCRIPT
from ._zone_lexer import ADDR, NS, NameSyntaxError, Problem, Scanner, parse_name
from .collisions import KeySource
from .zone import ZoneError, open_zone, parse_origin

__all__ = [
    "CLASSES",
    "AuditFinding",
    "AuditResult",
    "Check",
    "CollisionGroup",
    "FoldKeys",
    "KeySource",
    "Partial",
    "audit_zone",
]

CLASSES = ("apex", "delegation", "host", "deeper", "other", "non-host")
"""Name classes: the origin; has NS below the apex; glue or other in-zone host (address records);
deeper than one label below the origin; any other name; not a host name by design (``_`` labels,
``*`` wildcards: reported, but never counted as invalid IDNs)."""

PARTITION_BYTES = 32 << 20
PRESCAN_BLOCK = 4 << 20  # the pre-scan holds about three blocks at once: a 16 MB block was the peak of a 1-job audit
_LDH_LABEL = rb"(?![a-z0-9]{2}--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_LDH_LABEL_RE = re.compile(_LDH_LABEL + rb"\Z", re.I)


class Check:
    """An extra check run on every IDN name that passed IDNA2008 (an LGR, a registry policy).

    Subclasses set ``id`` and implement :meth:`findings` on the name's Unicode form below the
    origin; each finding is ``(rule, severity, detail)`` with severity ``"error"`` or ``"warning"``.
    """

    id = "check"

    def findings(self, u_name: str) -> Iterable[tuple[str, str, str]]:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class AuditFinding:
    """One finding on one owner name (or one unreadable line)."""

    name: str
    line: int
    rule: str
    severity: str
    detail: str
    name_class: str
    unicode: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unicode": self.unicode,
            "line": self.line,
            "class": self.name_class,
            "rule": self.rule,
            "severity": self.severity,
            "detail": self.detail,
        }


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
    findings: list[AuditFinding] = field(default_factory=list)
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
        self.findings.extend(other.findings)
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
    findings: tuple[AuditFinding, ...]
    collisions: tuple[CollisionGroup, ...]
    key_kinds: tuple[str, ...]

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
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "collisions": [g.to_dict() for g in self.collisions],
        }


# --- partitions ----------------------------------------------------------------------------------


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
    block = PRESCAN_BLOCK
    lines_at: dict[int, int] = {}
    directives: list[tuple[int, bytes]] = []
    pending = sorted(cuts)
    offset, lines, tail = 0, 0, b""
    with open(path, "rb") as f:
        while True:
            data = f.read(block)
            chunk = tail + data
            end = len(chunk) if not data else chunk.rfind(b"\n") + 1
            body, tail = chunk[:end], chunk[end:]
            while pending and pending[0] <= offset + len(body):
                cut = pending.pop(0)
                lines_at[cut] = lines + 1 + body.count(b"\n", 0, cut - offset)
            directives.extend(_directive_lines(body, offset))
            lines += body.count(b"\n")
            offset += len(body)
            if not data:
                break
    for cut in pending:
        lines_at[cut] = lines + 1
    return lines_at, directives


def _directive_lines(body: bytes, offset: int) -> Iterator[tuple[int, bytes]]:
    """The ``$`` lines of a block of whole lines, with their file offsets.

    A byte search for ``$`` (rare in a zone: memchr skips most of the block), kept where it starts a
    line: a pattern anchored at ``^`` is tried at every byte (0.7 s for 130 MB), and a search for
    ``\n$`` stops at every newline (3 ms per 4 MB block, in the client before any worker starts).
    """
    start = body.find(b"$")
    while start >= 0:
        end = body.find(b"\n", start)
        end = len(body) if end < 0 else end
        if start == 0 or body[start - 1] == 0x0A:
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


class _Auditor:
    """Checks owner runs of one partition into a :class:`Partial` (the hot loop lives here)."""

    def __init__(self, config: Config, file: str) -> None:
        self.config = config
        self.file = file
        origin = config.origin.lower()
        self.origin = origin
        self.suffix = b"." + origin if origin != b"." else b"."
        self.origin_labels = 0 if origin == b"." else origin.count(b".")
        tail = re.escape(origin) if origin != b"." else b""
        self.ldh = re.compile(rb"(?:" + _LDH_LABEL + rb"\.)+" + tail, re.I).fullmatch
        # Over lowercased names joined by newlines (and an empty last line), each match is a run of
        # plain LDH names under the origin (under 255 bytes) and the one name after it that is not:
        # findall yields the names that need the slow path, at C speed, without a call per name.
        self.odd_names = re.compile(
            rb"(?:(?=[^\n]{0,254}\n)(?:" + _LDH_LABEL + rb"\.)+" + tail + rb"\n)*+([^\n]*+)\n"
        ).findall
        self.partial = Partial()
        sources = config.key_sources
        batches = [getattr(s, "ascii_keys", None) for s in sources]
        # Every source keys a batch of ASCII names at once (or there are none): the batch path applies.
        self.batch_keys: list[Callable[[list[bytes]], list[bytes]]] | None = (
            [k for k in batches if k is not None] if all(batches) else None
        )

    def run(self, items: list[object]) -> None:
        """Check one batch: a whole batch of owner runs at C speed where it can, else name by name."""
        if items and self.batch_keys is not None and set(map(type, items)) == {tuple}:
            self._run_batch(items)  # type: ignore[arg-type]
        else:
            self._run_items(items)

    def _run_batch(self, items: list[tuple[bytes, int, int]]) -> None:
        """A batch of owner runs without problems: hashes, the LDH test, keys and classes go through
        ``map``, ``Counter`` and one ``findall`` over the whole batch (no bytecode per ASCII name);
        only the other names (IDNs, ``_`` labels, out of zone: ~5% of a TLD zone) take :meth:`_slow`,
        in file order, as they alone add findings and collision keys."""
        p = self.partial
        owners, _, flags = zip(*items, strict=True)
        lowered = list(map(bytes.lower, owners))  # DNS names compare case-insensitively (ASCII only)
        joined = b"\n".join(lowered) + b"\n\n"
        if joined.count(b"\n") != len(lowered) + 1:  # a newline inside a name: cannot be split by lines
            self._run_items(items)  # type: ignore[arg-type]
            return
        p.name_hashes.extend(_hashes(lowered))
        odd = set(self.odd_names(joined))
        odd.discard(b"")  # the empty last line
        if odd:
            is_odd = list(map(odd.__contains__, lowered))
            keep = list(map(operator.not_, is_odd))
            plain, plain_flags = list(itertools.compress(lowered, keep)), list(itertools.compress(flags, keep))
        else:
            plain, plain_flags = lowered, list(flags)
        if self.batch_keys:
            cut = -len(self.suffix) if self.origin != b"." else -1
            relatives = list(map(operator.itemgetter(slice(None, cut)), plain))
            for keys_of_batch in self.batch_keys:
                p.key_hashes.extend(_hashes(keys_of_batch(relatives)))
        p.names += len(items)
        p.valid += len(plain)
        self._count_classes(plain, plain_flags)
        if p.first_owner is None:
            p.first_owner = owners[0]
        p.last_owner = owners[-1]
        if odd:
            for owner, line, flag in itertools.compress(items, is_odd):
                self._slow(owner, line, flag)

    def _count_classes(self, plain: list[bytes], flags: list[int]) -> None:
        """Classes of plain LDH names: by their type flags, and for the few with neither NS nor
        address records (never the apex, which has a label less than an LDH name), by depth."""
        delegations = hosts = deeper = other = 0
        rest: set[int] = set()
        for flag, count in Counter(flags).items():
            if flag & NS:
                delegations += count
            elif flag & ADDR:
                hosts += count
            else:
                rest.add(flag)
        if rest:
            labels = self.origin_labels
            for owner in itertools.compress(plain, map(rest.__contains__, flags)):
                if owner.count(b".") - labels > 1:
                    deeper += 1
                else:
                    other += 1
        classes = self.partial.classes
        for name, count in (("delegation", delegations), ("host", hosts), ("deeper", deeper), ("other", other)):
            if count:
                classes[name] += count

    def _run_items(self, items: list[object]) -> None:
        """Check one batch name by name (problems in it, or key sources without a batch method)."""
        p = self.partial
        ldh = self.ldh
        keys_of = [source.keys for source in self.config.key_sources]
        # Sources may key an ASCII name straight from its bytes (SkeletonKeys does): no str round trip.
        ascii_keys = [getattr(s, "ascii_key", None) for s in self.config.key_sources]
        bytes_keys = [k for k in ascii_keys if k is not None] if keys_of and all(ascii_keys) else None
        # ... or a whole batch of names at once: the names are gathered, keyed after the loop
        batches = [getattr(s, "ascii_keys", None) for s in self.config.key_sources]
        batch_keys = [k for k in batches if k is not None] if keys_of and all(batches) else None
        relatives: list[bytes] = []
        gather = relatives.append
        append_name = p.name_hashes.append
        append_key = p.key_hashes.append
        crc32, adler32 = zlib.crc32, zlib.adler32
        cut = -len(self.suffix) if self.origin != b"." else -1
        origin_labels = self.origin_labels
        names = ldh_names = delegations = hosts = deeper = other = 0
        first = last = None
        for item in items:
            if type(item) is not tuple:
                assert isinstance(item, Problem)
                self._problem(item)
                continue
            owner, line, flags = item
            names += 1
            last = owner
            if first is None:
                first = owner
            lowered = owner.lower()  # DNS names compare case-insensitively (ASCII only, as bytes.lower)
            append_name(crc32(lowered) << 32 | adler32(lowered))
            if len(owner) < 255 and ldh(owner):
                ldh_names += 1
                if batch_keys is not None:
                    gather(lowered[:cut])
                elif bytes_keys is not None:
                    relative_bytes = lowered[:cut]
                    for ascii_key in bytes_keys:
                        encoded = ascii_key(relative_bytes)
                        append_key(crc32(encoded) << 32 | adler32(encoded))
                elif keys_of:
                    relative = lowered[:cut].decode("ascii")
                    for keys in keys_of:
                        for key in keys(relative):
                            encoded = key.encode("utf-8")
                            append_key(crc32(encoded) << 32 | adler32(encoded))
                if flags & NS:
                    delegations += 1
                elif flags & ADDR:
                    hosts += 1
                elif owner.count(b".") - origin_labels > 1:
                    deeper += 1
                else:
                    other += 1
                continue
            self._slow(owner, line, flags)
        for keys_of_batch in batch_keys or ():
            for encoded in keys_of_batch(relatives):
                append_key(crc32(encoded) << 32 | adler32(encoded))
        p.names += names
        p.valid += ldh_names
        classes = p.classes
        for name, count in (("delegation", delegations), ("host", hosts), ("deeper", deeper), ("other", other)):
            if count:
                classes[name] += count
        if first is not None:
            if p.first_owner is None:
                p.first_owner = first
            p.last_owner = last

    def _problem(self, problem: Problem) -> None:
        p = self.partial
        p.names += 1
        p.unreadable += 1
        p.rules[problem.rule] += 1
        p.findings.append(AuditFinding("", problem.line, problem.rule, "error", problem.message, "unreadable"))

    def _class(self, name: bytes, flags: int, labels: Sequence[str], special: bool = True) -> str:
        if name == self.origin:
            return "apex"
        if special and any(label.startswith("_") or label == "*" for label in labels):
            return "non-host"
        if flags & NS:
            return "delegation"
        if flags & ADDR:
            return "host"
        return "deeper" if len(labels) - self.origin_labels > 1 else "other"

    def _slow(self, owner: bytes, line: int, flags: int) -> None:
        p = self.partial
        lowered = owner.lower()
        try:
            text = lowered.decode("utf-8")
        except UnicodeDecodeError as e:
            p.unreadable += 1
            p.rules["zone.unreadable"] += 1
            shown = owner.decode("utf-8", "backslashreplace")
            p.findings.append(
                AuditFinding(shown, line, "zone.unreadable", "error", f"invalid UTF-8 at byte {e.start + 1}", "unknown")
            )
            return
        labels = text.split(".")[:-1] if text != "." else []
        special = "_" in text or "*" in text  # maybe labels not checked as host names (most IDNs have none)
        name_class = self._class(lowered, flags, labels, special)
        p.classes[name_class] += 1
        if lowered != self.origin and not lowered.endswith(self.suffix):
            self._invalid(text, None, line, name_class, [("audit.out_of_zone", "error", "not under the zone origin")])
            return
        if name_class == "apex":
            p.valid += 1
            return
        host = [label for label in labels if not (label.startswith("_") or label == "*")] if special else labels
        if not host:
            p.valid += 1
            return
        if all(label.isascii() and _LDH_LABEL_RE.match(label.encode("ascii")) for label in host):
            p.valid += 1
            return
        result = check_domain(".".join(host))
        unicode = self._unicode(labels, host, result.name)
        findings = result.findings
        problems = [
            (f.rule, f.severity.value, _detail(f.message, f.label_index, f.position, f.codepoint))
            for f in findings
            if f.severity is Severity.ERROR or f.rule != "uts46.would_map"
        ]
        if any(f.severity is Severity.ERROR for f in findings):  # result.ok, without a second tuple
            self._invalid(text, unicode, line, name_class, problems)
            return
        relative = unicode[: len(unicode) - len(self.suffix)] if unicode and self.origin != b"." else unicode
        if relative and relative.endswith("."):
            relative = relative[:-1]
        assert relative is not None
        for check in self.config.checks:
            problems.extend(check.findings(relative))
        if problems and any(severity == "error" for _, severity, _ in problems):
            self._invalid(text, unicode, line, name_class, problems)
            return
        p.valid += 1
        for rule, severity, detail in problems:  # warnings on a valid name
            p.rules[rule] += 1
            p.findings.append(AuditFinding(text, line, rule, severity, detail, name_class, unicode))
        if not text.isascii() or ("xn--" in text and any(label.startswith("xn--") for label in labels)):  # an IDN
            p.idn += 1
            p.scripts[_script(relative)] += 1
            p.idn_classes[name_class] += 1
            if name_class != "non-host":
                shown = unicode or text
                for source in self.config.key_sources:
                    for key in source.keys(relative):
                        p.keys.append((source.kind, key, text, shown, line))

    @staticmethod
    def _unicode(labels: list[str], host: list[str], checked: str | None) -> str | None:
        """The name in Unicode form with its ``_``/``*`` labels (not IDNA-checked) put back."""
        if not checked:
            return None
        if host is labels and checked.count(".") == len(labels) - 1:
            return checked + "."  # nothing to put back, label for label (the common case)
        return _unicode_form(labels, checked)

    def _invalid(
        self, text: str, unicode: str | None, line: int, name_class: str, problems: list[tuple[str, str, str]]
    ) -> None:
        p = self.partial
        p.invalid += 1
        for rule, severity, detail in problems:
            p.rules[rule] += 1
            p.findings.append(AuditFinding(text, line, rule, severity, detail, name_class, unicode))


def _hashes(values: list[bytes]) -> Iterator[int]:
    """:func:`name_hash` of each value, through ``map`` (no bytecode per value)."""
    crcs = map(operator.lshift, map(zlib.crc32, values), itertools.repeat(32))
    return map(operator.or_, crcs, map(zlib.adler32, values))


def _unicode_form(labels: list[str], checked: str) -> str:
    """The name in Unicode form with its ``_``/``*`` labels (not IDNA-checked) put back."""
    it = iter(checked.split("."))
    return ".".join(label if label.startswith("_") or label == "*" else next(it, label) for label in labels) + "."


def _detail(message: str, label: int | None, position: int | None, codepoint: str | None) -> str:
    where = ", ".join(
        x for x in (f"label {label}" if label else "", f"position {position}" if position else "", codepoint or "") if x
    )
    return f"{where}: {message}" if where else message


def _script(u_name: str) -> str:
    """The first script other than Common/Inherited among the name's non-ASCII characters."""
    for c in u_name:
        if not c.isascii():
            sc = SCRIPT[ord(c)]
            if sc not in ("Zyyy", "Zinh", "Zzzz"):
                return sc
    return "Latn"


def _runs(partition: Partition, config: Config) -> tuple[Scanner, Iterator[list[object]]]:
    base = Path(config.include_dir) if config.include_dir is not None else None
    scanner = Scanner(partition.file, partition.origin, allow_include=config.allow_include, base_dir=base)
    return scanner, _scan(scanner, partition)


def _scan(scanner: Scanner, partition: Partition) -> Iterator[list[object]]:
    with open(partition.path, "rb") as stream:
        stream.seek(partition.start)
        yield from scanner.scan(stream, limit=partition.end - partition.start, start_line=partition.start_line)


def _names_list_runs(partition: Partition) -> Iterator[list[object]]:
    """A plain list: each line is an absolute name (trailing dot optional)."""
    with open(partition.path, "rb") as stream:
        stream.seek(partition.start)
        data = stream.read(partition.end - partition.start)
    batch: list[object] = []
    for n, raw in enumerate(data.split(b"\n"), partition.start_line):
        text = raw.strip()
        if not text or text.startswith(b"#"):
            continue
        batch.append((text if text.endswith(b".") else text + b".", n, 0))
    yield batch


def audit_partition(partition: Partition, config: Config) -> Partial:
    """Pass 1 over one partition: check and classify every owner run, collect IDN collision keys."""
    auditor = _Auditor(config, partition.file)
    if config.names_list:
        for batch in _names_list_runs(partition):
            auditor.run(batch)
        auditor.partial.bytes_read = partition.end - partition.start
    else:
        scanner, batches = _runs(partition, config)
        for batch in batches:
            auditor.run(batch)
        auditor.partial.end_origin = scanner.state.origin
        auditor.partial.end_depth = int(scanner.unclosed)
        auditor.partial.bytes_read = partition.end - partition.start
    auditor.partial.name_hashes = array("Q", sorted(auditor.partial.name_hashes))
    return auditor.partial


def name_hash(data: bytes) -> int:
    """The 64-bit hash of a lowercased owner name or of a UTF-8 key, as pass 1 computes it inline."""
    return zlib.crc32(data) << 32 | zlib.adler32(data)


Occurrence = tuple[bytes, int, int]  # owner as read, line, type flags of the run
Row = tuple[str, str, str, str, int]  # kind, key, name, unicode, line


def probe_partition(
    partition: Partition, config: Config, wanted: frozenset[tuple[str, str]], repeated: frozenset[int] = frozenset()
) -> tuple[list[Row], list[Occurrence]]:
    """Pass 2 over one partition: the ASCII names' keys that some IDN (or protected) name has, and
    every run of a name whose hash is in ``repeated`` (a name that may occur in more than one run)."""
    hits: list[Row] = []
    occurrences: list[Occurrence] = []
    auditor = _Auditor(config, partition.file)
    ldh = auditor.ldh
    cut = len(auditor.suffix) if auditor.origin != b"." else 1
    probes = _key_probes(config.key_sources, wanted)
    batches = _names_list_runs(partition) if config.names_list else _runs(partition, config)[1]
    for batch in batches:
        for item in batch:
            if type(item) is not tuple:
                continue
            owner, line, flags = item
            lowered = owner.lower()
            if repeated and name_hash(lowered) in repeated:
                occurrences.append((owner, line, flags))
            if probes and len(owner) < 255 and ldh(owner):
                relative = lowered[:-cut]
                for kind, probe in probes:
                    for key in probe(relative):
                        name = lowered.decode("ascii")
                        hits.append((kind, key, name, name, line))
    return hits, occurrences


def _key_probes(
    sources: Sequence[KeySource], wanted: frozenset[tuple[str, str]]
) -> list[tuple[str, Callable[[bytes], Iterable[str]]]]:
    """Per key source, a function from a lowercase relative ASCII name to its wanted keys.

    A source with ``ascii_key`` is probed on bytes against the wanted keys encoded once, so the
    pass over every ASCII name of the zone makes no str per name.
    """
    probes: list[tuple[str, Callable[[bytes], Iterable[str]]]] = []
    for source in sources:
        keys = frozenset(key for kind, key in wanted if kind == source.kind)
        if not keys:
            continue
        ascii_key = getattr(source, "ascii_key", None)
        if ascii_key is not None:
            encoded = {key.encode("utf-8"): (key,) for key in keys}
            probes.append((source.kind, functools.partial(_probe_bytes, ascii_key, encoded)))
        else:
            probes.append((source.kind, functools.partial(_probe_text, source.keys, keys)))
    return probes


def _probe_bytes(ascii_key: Callable[[bytes], bytes], wanted: dict[bytes, tuple[str]], name: bytes) -> tuple[str, ...]:
    return wanted.get(ascii_key(name), ())


def _probe_text(keys: Callable[[str], Iterable[str]], wanted: frozenset[str], name: bytes) -> list[str]:
    return [key for key in keys(name.decode("ascii")) if key in wanted]


# --- the engine ----------------------------------------------------------------------------------


ProgressCallback = Callable[[int, int, int], None]  # bytes done, bytes total, names done


def _executor(jobs: int) -> Executor | None:
    """A pool of ``jobs`` processes, started now: their start (an interpreter, the import of idnkit,
    ~0.35 s) overlaps the client's pre-scan instead of following it."""
    if jobs <= 1:
        return None
    context: BaseContext
    if os.name == "posix":
        forkserver = get_context("forkserver")
        forkserver.set_forkserver_preload([__name__])  # imported once in the fork server, not in each worker
        context = forkserver
    else:
        context = get_context("spawn")
    executor = ProcessPoolExecutor(jobs, mp_context=context)
    for _ in range(jobs):
        executor.submit(os.getpid)  # a process is started per submitted task, up to ``jobs``
    return executor


def _seams_ok(partials: list[Partial], parts: list[Partition]) -> int | None:
    """Index k of the first partition whose assumed start state its predecessor's end contradicts."""
    for k in range(1, len(parts)):
        before, after = partials[k - 1], partials[k]
        if before.end_origin != parts[k].origin or before.end_depth:
            return k
        if before.last_owner is not None and before.last_owner == after.first_owner:
            return k
    return None


def run_partitions(
    parts: list[Partition],
    config: Config,
    executor: Executor | None,
    spill_dir: str,
    progress: ProgressCallback | None = None,
) -> tuple[list[Partition], Partial, frozenset[int], list[tuple[str, str]]]:
    """Pass 1 over every partition, merged in file order; bad seams are re-read as one partition.

    Returns the partitions (after repairs), the merged partial, the hashes of names met in more than
    one owner run and, per partition, its hash files, written to ``spill_dir`` as partials arrive.
    """
    total = sum(p.end - p.start for p in parts)
    done_bytes = done_names = 0
    if executor is None:
        results: Iterable[Partial] = (audit_partition(part, config) for part in parts)
    else:
        futures = [executor.submit(audit_partition, part, config) for part in parts]
        results = (future.result() for future in futures)
    partials = []
    for partial in results:
        _spill_hashes(partial, spill_dir)
        partials.append(partial)
        done_bytes += partial.bytes_read
        done_names += partial.names
        if progress:
            progress(done_bytes, total, done_names)
    repair_seams(parts, partials, config)
    for partial in partials:
        _spill_hashes(partial, spill_dir)  # the partitions a repair re-read
    files = [p.hash_files for p in partials if p.hash_files]
    repeated = repeated_hashes([(p.hash_files[0], p.name_bounds) for p in partials if p.hash_files])
    merged = Partial(end_origin=config.origin)
    for partial in partials:
        merged.merge(partial)
    return parts, merged, repeated, files


def _spill_hashes(partial: Partial, folder: str) -> None:
    if partial.hash_files is None:
        partial.hash_files = (_write(partial.name_hashes, folder), _write(partial.key_hashes, folder))
        partial.name_bounds = [bisect.bisect_left(partial.name_hashes, top << 56) for top in range(256)]
        partial.name_bounds.append(len(partial.name_hashes))
        partial.name_hashes, partial.key_hashes = array("Q"), array("Q")


def _write(values: array[int], folder: str) -> str:
    fd, path = tempfile.mkstemp(suffix=".hashes", dir=folder)
    with os.fdopen(fd, "wb") as out:
        values.tofile(out)
    return path


def may_hold(files: tuple[str, str], wanted: frozenset[int], repeated: frozenset[int]) -> bool:
    """Whether a partition can hold a collision hit or a run of a repeated name (by its hash files)."""
    names, keys = files
    return any(not repeated.isdisjoint(block) for block in _blocks(names)) or any(
        not wanted.isdisjoint(block) for block in _blocks(keys)
    )


def _blocks(file: str, block: int = 1 << 16) -> Iterator[array[int]]:
    with open(file, "rb") as f:
        while True:
            values = array("Q")
            values.frombytes(f.read(block * values.itemsize))
            if not values:
                return
            yield values


def repeated_hashes(files: Sequence[tuple[str, list[int]]]) -> frozenset[int]:
    """Hashes found more than once across sorted hash files, one top byte of the hash at a time.

    ``files`` pairs each file with where each top byte's hashes start in it: memory holds 1/256 of
    the zone's hashes at once, and the work is C-level set and Counter operations, not a merge.
    """
    repeated: set[int] = set()
    for top in range(256):
        values: array[int] = array("Q")
        for file, bounds in files:
            if bounds[top + 1] > bounds[top]:
                with open(file, "rb") as f:
                    f.seek(bounds[top] * values.itemsize)
                    values.frombytes(f.read((bounds[top + 1] - bounds[top]) * values.itemsize))
        if len(set(values)) < len(values):
            repeated.update(value for value, count in Counter(values).items() if count > 1)
    return frozenset(repeated)


def repair_seams(parts: list[Partition], partials: list[Partial], config: Config) -> list[int]:
    """Re-read as one partition every pair whose seam the pre-scan guessed wrong; the indexes redone."""
    redone: list[int] = []
    while not config.names_list and (k := _seams_ok(partials, parts)) is not None:
        a, b = parts[k - 1], parts[k]
        joined = Partition(a.path, a.file, a.start, b.end, a.start_line, a.origin)
        parts[k - 1 : k + 1] = [joined]
        partials[k - 1 : k + 1] = [audit_partition(joined, config)]
        redone = [i if i < k else i - 1 for i in redone if i != k] + [k - 1]
    return redone


def collisions(
    merged: Partial,
    hits: Iterable[tuple[str, str, str, str, int]],
    against: Iterable[tuple[str, str, str, str, int]] = (),
) -> tuple[CollisionGroup, ...]:
    """Join keys into groups of two or more distinct names, each with at least one zone name."""
    groups: dict[tuple[str, str], dict[str, tuple[str, str, int, str]]] = {}
    for source, rows in (("zone", merged.keys), ("zone", hits), ("against", against)):
        for kind, key, name, unicode, line in rows:
            members = groups.setdefault((kind, key), {})
            row = (name, unicode, line, source)
            # keep one row per name, chosen the same way whatever order rows arrive in
            if name not in members or (source != "zone", line) < (members[name][3] != "zone", members[name][2]):
                members[name] = row
    out = []
    for (kind, key), members in groups.items():
        if len(members) > 1 and any(m[3] == "zone" for m in members.values()):
            ordered = tuple(sorted(members.values(), key=lambda m: (m[3] != "zone", m[2], m[0])))
            out.append(CollisionGroup(kind, key, ordered))
    out.sort(key=lambda g: (-len(g.members), g.kind, g.key))
    return tuple(out)


def against_keys(
    path: str | os.PathLike[str], sources: Sequence[KeySource], origin: bytes = b"."
) -> list[tuple[str, str, str, str, int]]:
    """Keys of a protected list: one name or label per line, IDNs in U- or A-label form.

    Keys are compared below the zone origin, so ``strasse.de`` and ``strasse`` protect the same
    name in the ``de.`` zone.
    """
    from .zone import read_names

    suffix = "." + origin.decode("utf-8").lower().rstrip(".") if origin != b"." else ""
    rows = []
    for record in read_names(path):
        name = record.owner.rstrip(".").lower()
        unicode = check_domain(name).name or name
        relative = unicode[: -len(suffix)] if suffix and unicode.endswith(suffix) else unicode
        for source in sources:
            for key in source.keys(relative):
                rows.append((source.kind, key, name + ".", unicode + ".", record.line))
    return rows


def spool(source: str | os.PathLike[str] | IO[bytes], tmpdir: str) -> tuple[str, str]:
    """A seekable, uncompressed copy of ``source`` when it is a stream or gzip: (path, display name)."""
    stream, name, owned = open_zone(source)
    plain_file = owned and not hasattr(stream, "decompress") and type(stream).__name__ == "BufferedReader"
    if plain_file:
        stream.close()
        return name, name
    target = os.path.join(tmpdir, "zone")
    try:
        with open(target, "wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
    except (OSError, EOFError) as e:
        raise ZoneError(f"read failed: {e}", name) from None
    finally:
        if owned:
            stream.close()
    return target, name


def audit_zone(
    source: str | os.PathLike[str] | IO[bytes],
    origin: str = ".",
    *,
    jobs: int = 1,
    key_sources: Sequence[KeySource] | None = None,
    checks: Sequence[Check] = (),
    against: str | os.PathLike[str] | None = None,
    allow_include: bool = False,
    names_list: bool = False,
    partition_bytes: int = PARTITION_BYTES,
    progress: ProgressCallback | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> AuditResult:
    """Audit a zone file (path, gzip file or binary stream) or, with ``names_list``, a list of names.

    ``key_sources`` default to :func:`idnkit._audit_keys.default_key_sources`; ``checks`` run on
    IDN names that pass IDNA2008; ``against`` is a protected list to find look-alikes of.  The
    result does not depend on ``jobs`` or ``engine`` (``"local"`` or ``"dask"``).  With
    ``allow_include``, ``$INCLUDE`` is resolved against (and confined to) the folder of a zone given
    by path, gzip or not; a stream (stdin) has no folder, and its ``$INCLUDE`` lines are refused.
    """
    origin_bytes = parse_origin(origin)
    sources = tuple(default_key_sources() if key_sources is None else key_sources)
    include_dir = str(Path(source).resolve().parent) if isinstance(source, str | os.PathLike) else None
    config = Config(origin_bytes, sources, tuple(checks), allow_include, names_list, include_dir)
    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r} (local or dask)")
    executor = _executor(jobs) if engine == "local" else None
    try:
        with tempfile.TemporaryDirectory(prefix="idnkit-audit-") as tmpdir:
            merged, hits, occurrences, protected, file = _audit_passes(
                source, config, jobs, partition_bytes, against, progress, engine, scheduler, executor, tmpdir
            )
    finally:
        if executor is not None:
            executor.shutdown()
    merge_repeated_names(merged, occurrences, config, file)
    groups = collisions(merged, hits, protected)
    return AuditResult(
        file=file,
        origin=origin_bytes.decode("utf-8", "backslashreplace"),
        names=merged.names,
        valid=merged.valid,
        invalid=merged.invalid,
        unreadable=merged.unreadable,
        idn=merged.idn,
        classes={c: merged.classes[c] for c in CLASSES if merged.classes[c]},
        scripts=dict(sorted(merged.scripts.items(), key=lambda kv: (-kv[1], kv[0]))),
        idn_classes={c: merged.idn_classes[c] for c in CLASSES if merged.idn_classes[c]},
        rules=dict(sorted(merged.rules.items(), key=lambda kv: (-kv[1], kv[0]))),
        findings=tuple(merged.findings),
        collisions=groups,
        key_kinds=tuple(s.kind for s in sources),
    )


def _audit_passes(
    source: str | os.PathLike[str] | IO[bytes],
    config: Config,
    jobs: int,
    partition_bytes: int,
    against: str | os.PathLike[str] | None,
    progress: ProgressCallback | None,
    engine: str,
    scheduler: str | None,
    executor: Executor | None,
    tmpdir: str,
) -> tuple[Partial, list[Row], list[Occurrence], list[Row], str]:
    """Both passes of :func:`audit_zone` (partials merged, pass 2's hits and runs of repeated names)."""
    origin_bytes, sources, names_list = config.origin, config.key_sources, config.names_list
    path, file = spool(source, tmpdir)
    size = os.path.getsize(path)
    parts_wanted = max(jobs, -(-size // partition_bytes)) if jobs > 1 else max(1, -(-size // partition_bytes))
    if names_list:
        parts = _plan_lines(path, file, origin_bytes, parts_wanted)
    else:
        parts = plan(path, file, origin_bytes, parts_wanted)
    protected = against_keys(against, sources, origin_bytes) if against is not None else []
    if engine == "dask":
        from ._audit_dask import run_dask

        merged, hits, occurrences = run_dask(parts, config, protected, scheduler, jobs)
        return merged, hits, occurrences, protected, file
    spill = os.path.join(tmpdir, "hashes")
    os.mkdir(spill)
    parts, merged, repeated, files = run_partitions(parts, config, executor, spill, progress)
    wanted = wanted_keys(merged.keys, protected)
    hits, occurrences = pass_two(parts, files, config, wanted, repeated, executor)
    return merged, hits, occurrences, protected, file


def wanted_keys(keys: Iterable[Row], protected: Iterable[Row]) -> frozenset[tuple[str, str]]:
    return frozenset((row[0], row[1]) for rows in (keys, protected) for row in rows)


def wanted_hashes(wanted: frozenset[tuple[str, str]]) -> frozenset[int]:
    return frozenset(_hashes([key.encode("utf-8") for _, key in wanted]))


def pass_two(
    parts: list[Partition],
    files: list[tuple[str, str]],
    config: Config,
    wanted: frozenset[tuple[str, str]],
    repeated: frozenset[int],
    executor: Executor | None,
) -> tuple[list[Row], list[Occurrence]]:
    """Pass 2 over the partitions whose hash files meet a wanted key or a repeated name."""
    if not wanted and not repeated:
        return [], []
    keys = wanted_hashes(wanted)
    todo = [part for part, pair in zip(parts, files, strict=True) if may_hold(pair, keys, repeated)]
    if executor is None:
        results = [probe_partition(part, config, wanted, repeated) for part in todo]
    else:
        futures = [executor.submit(probe_partition, part, config, wanted, repeated) for part in todo]
        results = [future.result() for future in futures]
    return [hit for hits, _ in results for hit in hits], [occ for _, occs in results for occ in occs]


def name_delta(config: Config, file: str, owner: bytes, line: int, flags: int) -> Partial:
    """What pass 1 counted for one owner run (a fresh auditor on that run alone)."""
    auditor = _Auditor(config, file)
    auditor.run([(owner, line, flags)])
    return auditor.partial


def merge_repeated_names(merged: Partial, occurrences: Sequence[Occurrence], config: Config, file: str) -> None:
    """Count a name whose runs are split across the file once: at its first run, with every run's types.

    Pass 1 counted each run (a partition cannot know what later ones hold); for a name met in
    several runs, every run's counts are taken back and one name is counted in their place.  Its
    findings keep the first run's place; a later run's are dropped.  Collision keys need nothing:
    groups keep one row per name.
    """
    runs: dict[bytes, list[Occurrence]] = {}
    for occurrence in occurrences:  # file order
        runs.setdefault(occurrence[0].lower(), []).append(occurrence)
    replace: dict[AuditFinding, list[AuditFinding]] = {}
    for found in runs.values():
        if len(found) < 2:
            continue  # a hash shared with another name, not a repeated name
        flags = 0
        first_findings: list[AuditFinding] | None = None
        for owner, line, run_flags in found:
            flags |= run_flags
            delta = name_delta(config, file, owner, line, run_flags)
            merged.count(delta, -1)
            first_findings = delta.findings if first_findings is None else first_findings
            replace.update((finding, []) for finding in delta.findings)
        owner, line, _ = found[0]
        combined = name_delta(config, file, owner, line, flags)
        merged.count(combined)
        if first_findings:  # findings depend on the name, not on its types: both lists are empty or not
            replace[first_findings[0]] = combined.findings
    if replace:
        merged.findings = [new for old in merged.findings for new in replace.get(old, [old])]


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
