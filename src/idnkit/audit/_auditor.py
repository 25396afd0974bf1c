"""Pass 1 and pass 2 over one partition: the hot loop that checks, classifies and keys owner names."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import re
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from ..collisions import KeySource
from ..findings import Finding, Severity
from ..idna._labels import check_domain, check_label
from ..unicode import SCRIPT
from ..zone import decode_name
from ..zone._lexer import ADDR, NS, Item, OwnerRun, Problem, Scanner, only_runs, split_labels
from ..zone._lines import MAX_LINE, Window, iter_lines
from ._findings import Findings
from ._model import AuditFinding, Config, Occurrence, Partial, Partition, Row

try:  # the optional C batch path (setup.py); without it the Python paths below do the same work
    from ._fast import audit_items as _audit_items
    from ._fast import audit_list as _audit_list
    from ._fast import sort_hashes as _sort_hashes

    BUILT = True
except ImportError:  # pragma: no cover - depends on the build
    BUILT = False

_T = TypeVar("_T")
_NATIVE = {"on": BUILT}  # tests/test_audit_native.py switches it off to compare both paths


def _use_native(on: bool) -> bool:
    """Switch the C batch path on (when built) or off; returns whether it was on."""
    was = _NATIVE["on"]
    _NATIVE["on"] = on and BUILT
    return was


_LDH_LABEL = rb"(?![a-z0-9]{2}--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"


_LDH_LABEL_RE = re.compile(_LDH_LABEL + rb"\Z", re.I)


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
        # past a bound, its findings go to a named file in the audit's folder, which the client takes over
        self.partial = Partial(findings=Findings(folder=config.spill_dir, named=True))
        sources = config.key_sources
        batches = [getattr(s, "ascii_keys", None) for s in sources]
        # Every source keys a batch of ASCII names at once (or there are none): the batch path applies.
        self.batch_keys: list[Callable[[list[bytes]], list[bytes]]] | None = (
            [k for k in batches if k is not None] if all(batches) else None
        )
        # Every source keys ASCII byte by byte (ascii_table): the C batch path applies.
        tables = [getattr(s, "ascii_table", None) for s in sources]
        self.native_tables: tuple[tuple[bytes, ...], ...] | None = (
            tuple(t for t in tables if t is not None)
            if _NATIVE["on"] and all(t is not None for t in tables) and len(tables) <= 8
            else None
        )

    def run(self, items: list[Item]) -> None:
        """Check one batch: a whole batch of owner runs at C speed where it can, else name by name."""
        if items and self.native_tables is not None and only_runs(items):
            self._run_native(items)
        elif items and self.batch_keys is not None and only_runs(items):
            self._run_batch(items)
        else:
            self._run_items(items)

    def _run_batch(self, items: list[OwnerRun]) -> None:
        """A batch of owner runs without problems: hashes, the LDH test, keys and classes go through
        ``map``, ``Counter`` and one ``findall`` over the whole batch (no bytecode per ASCII name);
        only the other names (IDNs, ``_`` labels, out of zone: ~5% of a TLD zone) take :meth:`_slow`,
        in file order, as they alone add findings and collision keys."""
        p = self.partial
        owners, _, flags = zip(*items, strict=True)
        lowered = list(map(bytes.lower, owners))  # DNS names compare case-insensitively (ASCII only)
        joined = b"\n".join(lowered) + b"\n\n"
        if joined.count(b"\n") != len(lowered) + 1:  # a newline inside a name: cannot be split by lines
            self._run_items(items)
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

    def _native_args(self) -> tuple[bytes, bool, int, int, int, tuple[tuple[bytes, ...], ...]]:
        assert self.native_tables is not None
        return self.suffix, self.origin == b".", self.origin_labels, NS, ADDR, self.native_tables

    def _run_native(self, items: list[OwnerRun]) -> None:
        """:meth:`_run_batch` in C (``_fast.audit_items``): the same hashes, keys, counts and odd names."""
        _, odd = self._add_native(_audit_items(items, *self._native_args()), len(items))
        p = self.partial
        if p.first_owner is None:
            p.first_owner = items[0][0]
        p.last_owner = items[-1][0]
        for i in odd:
            self._slow(*items[i])

    def run_list(self, data: bytes, start_line: int) -> bool:
        """The lines of a name list (as :func:`_names_list_runs` reads them), through the C batch path;
        False, and nothing read, when a line is over MAX_LINE (the Python path reports it)."""
        done = _audit_list(data, start_line, MAX_LINE, *self._native_args())
        if done is None:
            return False
        batch, names, first, last = done
        odd = self._add_native(batch, names)[1]
        p = self.partial
        if first is not None:
            if p.first_owner is None:
                p.first_owner = first
            p.last_owner = last
        for owner, line, flags in odd:
            self._slow(owner, line, flags)
        return True

    def _add_native(
        self, batch: tuple[bytes, tuple[bytes, ...], tuple[int, int, int, int, int], list[_T]], names: int
    ) -> tuple[int, list[_T]]:
        hashes, keys, (plain, delegations, hosts, deeper, other), odd = batch
        p = self.partial
        p.name_hashes.frombytes(hashes)
        for k in keys:
            p.key_hashes.frombytes(k)
        p.names += names
        p.valid += plain
        classes = p.classes
        for name, count in (("delegation", delegations), ("host", hosts), ("deeper", deeper), ("other", other)):
            if count:
                classes[name] += count
        return plain, odd

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

    def _run_items(self, items: Sequence[Item]) -> None:
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
        p.findings.append(AuditFinding("", problem.line, "unreadable", Finding(problem.rule, problem.message)))

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
            # Escapes (\DDD, \X: RFC 1035 §5.1) are resolved before the labels are checked, so that a
            # finding names the escaped character (U+0020 for \032), not the backslash that spells it.
            escaped = [label.lower().decode("utf-8") for label in split_labels(owner)] if b"\\" in owner else None
        except UnicodeDecodeError as e:
            p.unreadable += 1
            p.rules["zone.unreadable"] += 1
            shown = decode_name(owner)  # the bytes that are not UTF-8 as \DDD
            unreadable = Finding("zone.unreadable", f"invalid UTF-8 at byte {e.start + 1}")
            p.findings.append(AuditFinding(shown, line, "unknown", unreadable))
            return
        labels = escaped if escaped is not None else text.split(".")[:-1] if text != "." else []
        special = "_" in text or "*" in text  # maybe labels not checked as host names (most IDNs have none)
        name_class = self._class(lowered, flags, labels, special)
        p.classes[name_class] += 1
        if lowered != self.origin and not lowered.endswith(self.suffix):
            self._invalid(text, None, line, name_class, [Finding("audit.out_of_zone", "not under the zone origin")])
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
        if any("." in label for label in host):  # an escaped dot inside a label: each label on its own
            problems = [
                dataclasses.replace(f, label_index=i)
                for i, label in enumerate(host, 1)
                for f in check_label(label).errors
            ]
            self._invalid(text, None, line, name_class, problems)
            return
        result = check_domain(".".join(host))
        unicode = self._unicode(labels, host, result.name)
        findings = result.findings
        # the IDNA2008 findings themselves (label, position and code point reach the reports as they are)
        problems = [f for f in findings if f.severity is Severity.ERROR or f.rule != "uts46.would_map"]
        if any(f.severity is Severity.ERROR for f in findings):  # result.ok, without a second tuple
            self._invalid(text, unicode, line, name_class, problems)
            return
        relative = unicode[: len(unicode) - len(self.suffix)] if unicode and self.origin != b"." else unicode
        if relative and relative.endswith("."):
            relative = relative[:-1]
        assert relative is not None
        # A name IDNA2008 accepts is an IDN of its script, keyed for collisions, whatever the added checks
        # (an LGR, a policy) say of it: a check only adds findings, it never hides the name from the counts.
        if not text.isascii() or ("xn--" in text and any(label.startswith("xn--") for label in labels)):  # an IDN
            p.idn += 1
            p.scripts[_script(relative)] += 1
            p.idn_classes[name_class] += 1
            if name_class != "non-host":
                shown = unicode or text
                for source in self.config.key_sources:
                    for key in source.keys(relative):
                        p.keys.append((source.kind, key, text, shown, line))
        checked = [_from_check(f) for check in self.config.checks for f in check.findings(relative)]
        if any(f.severity is Severity.ERROR for f in problems) or any(f.severity is Severity.ERROR for f in checked):
            self._invalid(text, unicode, line, name_class, problems, checked)
            return
        p.valid += 1
        for f in problems:  # warnings on a valid name
            p.rules[f.rule] += 1
            p.findings.append(AuditFinding(text, line, name_class, f, unicode))
        for f in checked:
            p.rules[f.rule] += 1
            p.findings.append(AuditFinding(text, line, name_class, f, unicode, False))

    @staticmethod
    def _unicode(labels: list[str], host: list[str], checked: str | None) -> str | None:
        """The name in Unicode form with its ``_``/``*`` labels (not IDNA-checked) put back."""
        if not checked:
            return None
        if host is labels and checked.count(".") == len(labels) - 1:
            return checked + "."  # nothing to put back, label for label (the common case)
        return _unicode_form(labels, checked)

    def _invalid(
        self,
        text: str,
        unicode: str | None,
        line: int,
        name_class: str,
        problems: list[Finding],
        checked: Sequence[Finding] = (),
    ) -> None:
        """Count an invalid name and keep its findings: IDNA2008's (``detail`` shows their place) and
        the checks' (whose messages name their label)."""
        p = self.partial
        p.invalid += 1
        for f in problems:
            p.rules[f.rule] += 1
            p.findings.append(AuditFinding(text, line, name_class, f, unicode))
        for f in checked:
            p.rules[f.rule] += 1
            p.findings.append(AuditFinding(text, line, name_class, f, unicode, False))


def _hashes(values: list[bytes]) -> Iterator[int]:
    """:func:`name_hash` of each value, through ``map`` (no bytecode per value)."""
    crcs = map(operator.lshift, map(zlib.crc32, values), itertools.repeat(32))
    return map(operator.or_, crcs, map(zlib.adler32, values))


def _unicode_form(labels: list[str], checked: str) -> str:
    """The name in Unicode form with its ``_``/``*`` labels (not IDNA-checked) put back."""
    it = iter(checked.split("."))
    return ".".join(label if label.startswith("_") or label == "*" else next(it, label) for label in labels) + "."


def _from_check(found: Finding | tuple[str, str, str]) -> Finding:
    """A check's finding; a ``(rule, severity, detail)`` tuple (the older protocol) has no place."""
    if isinstance(found, Finding):
        return found
    rule, severity, detail = found
    return Finding(rule, detail, severity=Severity(severity))


def _script(u_name: str) -> str:
    """The first script other than Common/Inherited among the name's non-ASCII characters."""
    for c in u_name:
        if not c.isascii():
            sc = SCRIPT[ord(c)]
            if sc not in ("Zyyy", "Zinh", "Zzzz"):
                return sc
    return "Latn"


def _runs(partition: Partition, config: Config) -> tuple[Scanner, Iterator[list[Item]]]:
    base = Path(config.include_dir) if config.include_dir is not None else None
    scanner = Scanner(partition.file, partition.origin, allow_include=config.allow_include, base_dir=base)
    return scanner, _scan(scanner, partition)


def _scan(scanner: Scanner, partition: Partition) -> Iterator[list[Item]]:
    with open(partition.path, "rb") as stream:
        stream.seek(partition.start)
        yield from scanner.scan(stream, limit=partition.end - partition.start, start_line=partition.start_line)


NAMES_BATCH = 1 << 14  # names per batch of a names list: a batch is a few MB at most


def _names_list_runs(partition: Partition) -> Iterator[list[Item]]:
    """A plain list: each line is an absolute name (trailing dot optional).

    Read in blocks (``iter_lines``): a line over MAX_LINE is one ``zone.line_too_long`` problem at its
    line number and is never held, so memory is a batch of names whatever the file's shape.
    """
    with open(partition.path, "rb") as stream:
        stream.seek(partition.start)
        batch: list[Item] = []
        # LF, CR LF or a lone CR end a line, as in a zone file (and as the pre-scan counted them)
        lines = iter_lines(Window(stream, partition.end - partition.start))
        for n, raw in enumerate(lines, partition.start_line):
            if isinstance(raw, int):
                batch.append(
                    Problem(partition.file, n, "zone.line_too_long", f"line of {raw:,} bytes (over {MAX_LINE} bytes)")
                )
                continue
            text = raw.strip()
            if not text or text.startswith(b"#"):
                continue
            batch.append((text if text.endswith(b".") else text + b".", n, 0))
            if len(batch) >= NAMES_BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


LIST_BLOCK = 1 << 20  # a name list is read in blocks of about this size: memory stays flat in its length


def _list_blocks(partition: Partition) -> Iterator[tuple[bytes | None, int, int]]:
    """A partition of a name list in blocks of whole lines, each with its first line's number and offset.

    A block ends just after a LF, so a CR LF is never split and a lone CR (also a line end, as
    :func:`_names_list_runs` reads it) is counted where it stands.  More than MAX_LINE bytes without
    a LF end the blocks with ``(None, line, offset)``: the rest is the Python path's.
    """
    line, block = partition.start_line, LIST_BLOCK
    left = partition.end - partition.start
    offset = partition.start
    tail = b""
    with open(partition.path, "rb") as stream:
        stream.seek(partition.start)
        while True:
            data = stream.read(min(block, left))
            left -= len(data)
            chunk = tail + data
            end = chunk.rfind(b"\n") + 1 if data else len(chunk)
            if end == 0 and data:  # no LF yet: one long line, or lone CRs only; read on
                if len(chunk) > MAX_LINE:
                    yield None, line, offset
                    return
                tail = chunk
                continue
            body, tail = chunk[:end], chunk[end:]
            if body:
                yield body, line, offset
                line += body.count(b"\n") + body.count(b"\r") - body.count(b"\r\n")
                offset += len(body)
            if not data:
                return


def audit_partition(partition: Partition, config: Config) -> Partial:
    """Pass 1 over one partition: check and classify every owner run, collect IDN collision keys."""
    auditor = _Auditor(config, partition.file)
    if config.names_list and auditor.native_tables is not None:
        for block, line, offset in _list_blocks(partition):
            if block is None or not auditor.run_list(block, line):  # a line over MAX_LINE from here on
                rest = Partition(partition.path, partition.file, offset, partition.end, line, partition.origin)
                for batch in _names_list_runs(rest):
                    auditor.run(batch)
                break
        auditor.partial.bytes_read = partition.end - partition.start
    elif config.names_list:
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
    if _NATIVE["on"]:
        _sort_hashes(auditor.partial.name_hashes)  # in place, in C
    else:
        auditor.partial.name_hashes = array("Q", sorted(auditor.partial.name_hashes))
    return auditor.partial


def name_hash(data: bytes) -> int:
    """The 64-bit hash of a lowercased owner name or of a UTF-8 key, as pass 1 computes it inline."""
    return zlib.crc32(data) << 32 | zlib.adler32(data)


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


def name_delta(config: Config, file: str, owner: bytes, line: int, flags: int) -> Partial:
    """What pass 1 counted for one owner run (a fresh auditor on that run alone)."""
    auditor = _Auditor(config, file)
    auditor.run([(owner, line, flags)])
    return auditor.partial
