"""The RFC 1035 §5 master-file scanner behind :mod:`idnkit.zone` and :mod:`idnkit.audit`.

Names stay ``bytes`` until a caller needs text.  The file is read in large binary chunks that end on
a line boundary.  A chunk without parentheses, quotes or backslashes (nearly every chunk of a real
TLD zone) is matched in one pass by a compiled pattern that recognises every legal line shape; when
the number of matches equals the number of lines, every line was understood and only the owner and
type fields are looked at.  Any other chunk (directives, multi-line records, escapes, a bad line)
goes through the general line tokenizer, which reports bad lines as problems and reads on.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeGuard, cast

from .._files import FileRefusedError, open_regular
from ._generate import MAX_GENERATE, GenerateError, Generation, parse_generate
from ._lines import lone_crs_to_lf

CHUNK = 1 << 20
#: The longest line, and the longest parenthesised record (its bytes in the file, line ends
#: included), the scanner reads; longer ones are refused without being held.  RFC 1035 §3.2.1
#: bounds RDATA at 65,535 octets, and no presentation spends more than a \\DDD escape (4 bytes,
#: RFC 1035 §5.1) per octet: 262,140 bytes (a TXT RDATA all escaped is 261,883, a CAA value about
#: 262,120).  288 KiB leaves room for the owner, TTL, class, type, spacing and comments.
#: (Plain name lists keep ``_lines.MAX_LINE``, 64 KB: no name is that long.)
MAX_LINE = 288 * 1024
SMALL = 4096  # piece size when a chunk needs the general path somewhere
GENERATED_BATCH = 4096  # items per batch while a $GENERATE directive is expanded
MAX_INCLUDE_DEPTH = 8
#: $INCLUDE files one zone read may open, all depths together: a file that includes itself (or the
#: next of a chain) six times at each of 8 levels asked for 6^8 reads.
MAX_INCLUDE_FILES = 1024
#: Bytes one zone read may take from $INCLUDE files, all of them together.
MAX_INCLUDE_BYTES = 4 << 30


@dataclass(slots=True)
class IncludeBudget:
    """What the $INCLUDE files of one zone read may still take: files opened and bytes read."""

    files: int = field(default_factory=lambda: MAX_INCLUDE_FILES)
    bytes: int = field(default_factory=lambda: MAX_INCLUDE_BYTES)
    reading: list[tuple[int, int]] = field(default_factory=list)  # (device, inode) of the files open now


# Type flags of an owner run: the audit classifies names by them.
NS, ADDR, SOA, OTHER = 1, 2, 4, 8
_TYPE_FLAGS = {b"NS": NS, b"A": ADDR, b"AAAA": ADDR, b"SOA": SOA}
for _common in (b"DS", b"RRSIG", b"NSEC", b"NSEC3", b"TXT", b"MX", b"CNAME", b"DNSKEY", b"SRV", b"PTR", b"CAA"):
    _TYPE_FLAGS[_common] = OTHER
_TYPE_FLAGS.update({k.lower(): v for k, v in _TYPE_FLAGS.items()})  # zone files may use either case

_TTL = rb"[0-9]+(?:[SsMmHhDdWw][0-9]*)*"
_CLASS = rb"(?i:IN|CH|HS|CS|NONE|ANY|CLASS[0-9]+)"
# The bulk pattern's spelling of the same fields: possessive (a field never gives back what it took, so
# a line that does not fit fails without backtracking) and without IGNORECASE (slower in ``re``).
_FAST_TTL = rb"[0-9]++(?:[SsMmHhDdWw][0-9]*+)*+"
_FAST_CLASS = rb"(?:[Ii][Nn]|[Cc][Hh]|[Hh][Ss]|[Cc][Ss]|[Nn][Oo][Nn][Ee]|[Aa][Nn][Yy]|[Cc][Ll][Aa][Ss][Ss][0-9]++)"
# A "simple" chunk (no parentheses, quotes or backslashes) is read by one findall of this pattern.
# A match is up to three whole lines of one owner: an owner (or blank), up to two TTL/class fields,
# the type, rdata; then up to two more lines with the same owner token or a blank one.  Or it is one
# blank / comment-only line.  Groups: (owner, type, type, type), an unused type b"".  Whole lines
# per match (anchored at ^, through the \n) make one tuple and one owner object per run of a name
# instead of per line; a line no alternative fits is skipped by findall, which the caller sees as
# fewer lines covered than the chunk has.  A class name in the type's place (``www IN`` has no type)
# matches too: the bulk loop hands such a chunk to the general path, which reports it (a look-ahead
# for it cost every line ~10%).
_FAST_FIELDS = rb"[ \t]++(?:(?:" + _FAST_TTL + rb"|" + _FAST_CLASS + rb")[ \t]++){0,2}+([A-Za-z][A-Za-z0-9-]*+)"
_FAST_REST = rb"(?:[ \t][^\n]*+)?\r?\n"
_FAST_MORE = rb"(?:(?:\1)?" + _FAST_FIELDS + _FAST_REST + rb")?"
_FAST_RUN = re.compile(
    rb"^(?:([^\s;$][^\s;]*+)?" + _FAST_FIELDS + _FAST_REST + _FAST_MORE + _FAST_MORE + rb"|[ \t]*+(?:;[^\n]*+)?\r?\n)",
    re.M,
)
_TTL_RE = re.compile(_TTL + rb"\Z")
_CLASS_RE = re.compile(_CLASS + rb"\Z")
_TYPE_RE = re.compile(rb"[A-Za-z][A-Za-z0-9-]*\Z")
_SPECIAL = frozenset(b'.\\"();@$')
# What hides parentheses from the tokenizer on a line: an escaped byte, a quoted string (escapes
# inside; never across a newline, so an unbalanced quote is left in place), a comment.
_NOT_PARENS = re.compile(rb'\\[^\n]|"(?:[^"\\\n]|\\[^\n])*+"|;[^\n]*+')
_HAS_NOT_PARENS = re.compile(rb'[\\";]').search
_NOT_SYNTAX = bytes(sorted(set(range(256)) - set(b'"();\n')))  # deleted: what cannot change how a line is read
# Whole lines the tokenizer reads without an error and without a parenthesis: they leave the depth as it is.
_QUIET_LINES = re.compile(rb'(?:(?:[^"\\;()\n]++|\\[^\n]|"(?:[^"\\\n]++|\\[^\n])*+")*+(?:;[^\n]*+)?\n)*+').fullmatch


@dataclass(frozen=True, slots=True)
class Problem:
    """A line the scanner could not use: ``rule`` is a ``zone.*`` rule id."""

    file: str
    line: int
    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class ZoneRecord:
    """One resource record's owner: absolute name (presentation format), 1-based line, file, type."""

    owner: str
    line: int
    file: str
    rtype: str

    def to_dict(self) -> dict[str, Any]:
        return {"owner": self.owner, "line": self.line, "file": self.file, "rtype": self.rtype}


#: One run of records of one owner (``records=False``): the absolute owner name in canonical
#: presentation bytes, the run's first line, the type flags (NS, ADDR, ...) OR-ed over its records.
#: A plain tuple, not a class: the bulk path makes one per name of the zone, and the audit's C
#: batch path (``audit/_fast.c``: ``audit_items``) takes exact 3-tuples.
OwnerRun = tuple[bytes, int, int]
#: What :meth:`Scanner.scan` yields, in file order: owner runs (``records=False``) or records
#: (``records=True``), and problems.  ``type(item) is tuple`` singles out an owner run.
Item = OwnerRun | ZoneRecord | Problem


#: A batch being built: its $GENERATE markers are expanded by :meth:`Scanner._expand` before it is yielded.
_Batch = list[Item | Generation]


def only_runs(batch: list[Item]) -> TypeGuard[list[OwnerRun]]:
    """Whether every item of a non-empty ``batch`` is an owner run: the audit's batch paths take it whole."""
    return set(map(type, batch)) == {tuple}


def _ddd(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(f"\\{b:03d}" for b in bad), error.end


codecs.register_error("idnkit-ddd", _ddd)


def decode_name(name: bytes) -> str:
    """Presentation bytes → text; bytes that are not UTF-8 become ``\\DDD`` escapes (RFC 1035 §5.1), so
    the text is still the name in presentation format."""
    return name.decode("utf-8", "idnkit-ddd")


class NameSyntaxError(Exception):
    pass


def parse_name(token: bytes, origin: bytes) -> bytes:
    """An owner token in presentation format → the absolute name in canonical presentation bytes.

    Escapes (RFC 1035 §5.1: ``\\X`` and ``\\DDD``) are resolved, then written back only where a
    byte would otherwise be read differently, so that equal names compare equal as bytes.
    """
    if token == b"@":
        return origin
    if b"\\" not in token:
        if token == b".":
            return b"."
        labels = token.split(b".")
        absolute = token.endswith(b".")
        if absolute:
            labels.pop()
        if b"" in labels:
            raise NameSyntaxError("empty label")
        for label in labels:
            if len(label) > 63:
                raise NameSyntaxError(f"label of {len(label)} octets (at most 63)")
        name = token if absolute else token + (b"." + origin if origin != b"." else b".")
        return _check_length(name)
    return _parse_escaped(token, origin)


def _parse_escaped(token: bytes, origin: bytes) -> bytes:
    """:func:`parse_name` for a token with a backslash: labels as octets, then presented again."""
    raw_labels: list[bytearray] = [bytearray()]
    i, n = 0, len(token)
    absolute = False
    while i < n:
        c = token[i]
        if c == 0x5C:  # backslash
            if i + 1 >= n:
                raise NameSyntaxError("backslash at the end of the name")
            digits = token[i + 1 : i + 4]
            if digits[:1].isdigit():
                if len(digits) < 3 or not digits.isdigit() or int(digits) > 255:
                    raise NameSyntaxError(f"bad escape \\{digits.decode('ascii', 'replace')}")
                raw_labels[-1].append(int(digits))
                i += 4
            else:
                raw_labels[-1].append(token[i + 1])
                i += 2
            continue
        if c == 0x2E:  # dot
            if i == n - 1:
                absolute = True
            else:
                raw_labels.append(bytearray())
            if not raw_labels[-1 if absolute else -2]:
                raise NameSyntaxError("empty label")
            i += 1
            continue
        raw_labels[-1].append(c)
        i += 1
    if not absolute and not raw_labels[-1]:
        raise NameSyntaxError("empty label")
    parts = []
    for raw_label in raw_labels:
        if len(raw_label) > 63:
            raise NameSyntaxError(f"label of {len(raw_label)} octets (at most 63)")
        parts.append(_present(bytes(raw_label)))
    name = b".".join(parts) + b"."
    if not absolute:
        name = name + origin if origin != b"." else name
    return _check_length(name)


def split_labels(name: bytes) -> list[bytes]:
    """The labels of a name in canonical presentation bytes with escapes resolved (RFC 1035 §5.1):
    ``b"a\\032b.ex\\.c."`` → ``[b"a b", b"ex.c"]``; the root name has none."""
    labels: list[bytes] = []
    current = bytearray()
    i, n = 0, len(name)
    while i < n:
        c = name[i]
        if c == 0x5C and i + 1 < n:  # canonical names hold only valid escapes
            digits = name[i + 1 : i + 4]
            if len(digits) == 3 and digits.isdigit():
                current.append(int(digits))
                i += 4
            else:
                current.append(name[i + 1])
                i += 2
        elif c == 0x2E:
            labels.append(bytes(current))
            current.clear()
            i += 1
        else:
            current.append(c)
            i += 1
    if current:
        labels.append(bytes(current))
    return [label for label in labels if label] if name == b"." else labels


def _present(label: bytes) -> bytes:
    out = bytearray()
    for c in label:
        if c in _SPECIAL:
            out += b"\\" + bytes((c,))
        elif c <= 0x20 or c == 0x7F:
            out += b"\\%03d" % c
        else:
            out.append(c)
    return bytes(out)


def wire_length(name: bytes) -> int:
    """Octets of ``name`` (canonical presentation, absolute) on the wire (RFC 1035 §3.1)."""
    if b"\\" not in name:
        return len(name) + 1 if name != b"." else 1
    return len(re.sub(rb"\\[0-9]{3}|\\.", b"x", name)) + 1


def _check_length(name: bytes) -> bytes:
    if len(name) > 254 and wire_length(name) > 255:
        raise NameSyntaxError(f"name of {wire_length(name)} octets on the wire (at most 255)")
    return name


@dataclass(slots=True)
class State:
    """What a partition needs to know at its first byte: the origin and the previous owner."""

    origin: bytes
    last_owner: bytes | None = None
    depth: int = 0  # open parentheses; a partition must start at depth 0


class Scanner:
    """Reads one master file (and, when allowed, its includes) into batches of items.

    Items (:data:`Item`) are :data:`OwnerRun` tuples (``records=False``: flags OR-ed over the run's
    types) or :class:`ZoneRecord` objects (``records=True``), and :class:`Problem` objects.
    """

    def __init__(
        self,
        file: str,
        origin: bytes,
        *,
        records: bool = False,
        allow_include: bool = False,
        base_dir: Path | None = None,
        include_depth: int = 0,
        budget: IncludeBudget | None = None,
    ) -> None:
        self.file = file
        self.state = State(origin)
        self.records = records
        self.allow_include = allow_include
        self.base_dir = base_dir
        self.include_depth = include_depth
        self.budget = budget if budget is not None else IncludeBudget()
        self.line = 0
        # record being assembled across parenthesised lines
        self._tokens: list[bytes] = []
        self._has_owner = False
        self._start_line = 0
        self._record_bytes = 0
        self._run_owner: bytes | None = None
        self._run_line = 0
        self._run_flags = 0
        self._generations = 0  # $GENERATE markers put in the batch being built, expanded by scan()

    # --- chunking ------------------------------------------------------------------------------

    def scan(self, stream: IO[bytes], limit: int | None = None, start_line: int = 1) -> Iterator[list[Item]]:
        """Yield batches of items from ``stream`` (reading at most ``limit`` bytes)."""
        self.line = start_line - 1
        tail = b""
        skipping = False  # inside a line over MAX_LINE: drop bytes up to its newline
        remaining = limit
        cr = b""  # a CR that ended the last read: its LF may start the next one
        if not self.budget.reading:
            self.budget.reading.append(_identity(stream))
        while True:
            size = CHUNK if remaining is None else min(CHUNK, remaining)
            data = stream.read(size) if size > 0 else b""
            if remaining is not None:
                remaining -= len(data)
            if not data:
                break
            if cr:
                data, cr = cr + data, b""
            if b"\r" in data:
                # A lone CR ends a line (old Mac files), as CR LF and LF do (RFC 1035 §5.1 names CR LF).
                if data.endswith(b"\r"):
                    data, cr = data[:-1], b"\r"
                data = lone_crs_to_lf(data)
                if not data:
                    continue
            if skipping:
                nl = data.find(b"\n")
                if nl < 0:
                    continue
                data = data[nl + 1 :]
                skipping = False
            data = tail + data if tail else data
            cut = data.rfind(b"\n") + 1
            tail = data[cut:]
            if cut:
                batch = self._chunk(data[:cut])
                if batch:
                    yield from self._expand(batch)
            if len(tail) > MAX_LINE:
                self.line += 1
                too_long: _Batch = []
                self._report(
                    too_long, Problem(self.file, self.line, "zone.line_too_long", f"line longer than {MAX_LINE} bytes")
                )
                yield from self._expand(too_long)
                tail = b""
                skipping = True
        if cr and not skipping:
            tail += b"\n"  # the file ended with a lone CR: a line end
        if tail and not skipping:
            batch = self._chunk(tail if tail.endswith(b"\n") else tail + b"\n")
            if batch:
                yield from self._expand(batch)
        end = self.finish()
        if end:
            yield from self._expand(end)

    def _expand(self, batch: _Batch) -> Iterator[list[Item]]:
        """``batch`` with each $GENERATE marker replaced by its records, streamed in batches of
        GENERATED_BATCH items: a directive's range is never held in memory."""
        if not self._generations:
            yield cast(list[Item], batch)  # no marker in it: the batch as it is, not a copy
            return
        self._generations = 0
        start = 0
        for k, item in enumerate(batch):
            if type(item) is Generation:
                if k > start:
                    yield cast(list[Item], batch[start:k])  # the markers are at k and before start
                yield from self._generated(item)
                start = k + 1
        if start < len(batch):
            yield cast(list[Item], batch[start:])

    def _generated(self, gen: Generation) -> Iterator[list[Item]]:
        """The records (or owner runs) of one $GENERATE directive, a batch at a time; a generated
        owner that is not a name stops the directive (BIND refuses the zone there)."""
        out: list[Item] = []
        flag = _TYPE_FLAGS.get(gen.rtype.upper(), OTHER)
        rtype = gen.rtype.decode("ascii").upper()
        run_owner: bytes | None = None
        run_flags = 0
        for counter, raw in gen.owners():
            try:
                owner = parse_name(raw, gen.origin)
            except NameSyntaxError as e:
                if run_owner is not None:
                    out.append((run_owner, gen.line, run_flags))
                    run_owner = None
                message = f"$GENERATE owner {_show(raw)} (at {counter}): {e}; the directive stops here"
                out.append(Problem(self.file, gen.line, "zone.bad_name", message))
                break
            if self.records:
                out.append(ZoneRecord(decode_name(owner), gen.line, self.file, rtype))
            elif owner != run_owner:  # an lhs without $ names one owner over and over: one run
                if run_owner is not None:
                    out.append((run_owner, gen.line, run_flags))
                run_owner, run_flags = owner, flag
            if len(out) >= GENERATED_BATCH:
                yield out
                out = []
        if run_owner is not None:
            out.append((run_owner, gen.line, run_flags))
        if out:
            yield out

    def _chunk(self, chunk: bytes) -> _Batch:
        """Lines ending in ``\n``: the bulk path if every line fits it, else in parts.

        The lines holding parentheses, quotes or backslashes (an SOA record at the top, a TXT record)
        are cut out first, so that the lines around them still go through the bulk path in one piece.
        """
        if self._skip_record:
            return self._pieces(chunk)  # the rest of a refused record first, a block at a time
        fast = self._try_fast(chunk)
        if fast is not None:
            return fast
        if len(chunk) <= SMALL:
            return self._general(chunk)
        first, last = _awkward_lines(chunk)
        if first == 0 and last == len(chunk):
            return self._pieces(chunk)
        return self._pieces(chunk[:first]) + self._pieces(chunk[first:last]) + self._pieces(chunk[last:])

    def _pieces(self, chunk: bytes) -> _Batch:
        """The bulk path on the whole if it fits, else on pieces of about SMALL bytes."""
        fast = self._try_fast(chunk) if chunk else []
        if fast is not None:
            return fast
        out: _Batch = []
        start = 0
        while start < len(chunk):  # one awkward line must not push a whole chunk off the bulk path
            if self._skip_record:
                start = self._skip_refused(chunk, start, out)
                continue
            end = chunk.find(b"\n", min(start + SMALL, len(chunk) - 1)) + 1 or len(chunk)
            piece = chunk[start:end]
            fast = self._try_fast(piece)
            out.extend(fast if fast is not None else self._general(piece))
            start = end
        return out

    def _try_fast(self, chunk: bytes) -> _Batch | None:
        if (
            self.state.depth == 0
            and not self._tokens
            and b"(" not in chunk
            and b'"' not in chunk
            and b"\\" not in chunk
            and b")" not in chunk
            and not _has_long_line(chunk)
        ):
            lines = chunk.count(b"\n")
            matches = _FAST_RUN.findall(chunk)
            if len(matches) * 3 >= lines:  # else lines were skipped for sure: no need to look
                return self._fast_records(matches, lines) if self.records else self._fast_runs(matches, lines)
        return None

    def _general(self, chunk: bytes) -> _Batch:
        out: _Batch = []
        for raw in chunk.split(b"\n")[:-1]:
            self.line += 1
            if len(raw) > MAX_LINE:
                self._report(
                    out, Problem(self.file, self.line, "zone.line_too_long", f"line longer than {MAX_LINE} bytes")
                )
                continue
            self._line(raw, out)
        return out

    # --- the rest of a refused record ----------------------------------------------------------

    def _skip_refused(self, chunk: bytes, start: int, out: _Batch) -> int:
        """Drop whole lines of a refused record from ``chunk[start:]``; where reading resumes.

        Per line, only the parentheses matter; blocks of up to MAX_LINE bytes of lines are handled
        by :meth:`_skip_block` with a few C-level calls, so refusing a record costs the same per
        byte whatever its size (line by line, it cost ~15 times more at 10 times the bound).
        """
        n = len(chunk)
        while self._skip_record and start < n:
            end = chunk.rfind(b"\n", start, min(n, start + MAX_LINE + 1)) + 1
            if end <= start:  # a line over MAX_LINE: the general path reports it
                end = chunk.find(b"\n", start) + 1 or n
                out.extend(self._general(chunk[start:end]))
                start = end
                continue
            start = self._skip_block(chunk, start, end, out)
        return start

    def _skip_block(self, chunk: bytes, start: int, end: int, out: _Batch) -> int:
        """Lines ``chunk[start:end]`` (each at most MAX_LINE bytes) of a refused record: where reading resumes.

        A block the tokenizer reads without an error or a parenthesis is skipped whole; so is one
        that, with quoted strings, escapes and comments taken out, closes fewer parentheses than are
        open (it cannot end the record nor close one too many).  Else its halves are, down to a few
        lines that go through the line tokenizer, as every line did before.
        """
        block = chunk[start:end]
        lines = block.count(b"\n")
        shape, times = _shape(block, lines)
        if _QUIET_LINES(shape):  # the common case (a long TXT or key record)
            self.line += lines
            self._record_bytes += len(block)
            return end
        if not _HAS_NOT_PARENS(shape):
            bare: bytes | None = shape * times
        elif times > 1 or lines <= 64:  # one shape for every line, or a small block: a cheap strip
            bare = _NOT_PARENS.sub(b"", shape) * times
        else:
            bare = None  # halves first: a strip costs per quote and comment, most halves need none
        depth = self.state.depth
        if bare is not None and bare.count(b")") < depth and b'"' not in bare:  # a quote left is unbalanced
            self.state.depth = depth + bare.count(b"(") - bare.count(b")")
            self.line += lines
            self._record_bytes += len(block)
            return end
        if lines <= 4:
            return self._skip_lines(chunk, start, end, out)
        middle = chunk.rfind(b"\n", start, (start + end) // 2) + 1
        if middle <= start:
            middle = chunk.find(b"\n", (start + end) // 2) + 1
        resume = self._skip_block(chunk, start, middle, out)
        if not self._skip_record or resume < middle:
            return resume
        return self._skip_block(chunk, middle, end, out)

    def _skip_lines(self, chunk: bytes, start: int, end: int, out: _Batch) -> int:
        """Line by line through :meth:`_line` until the refused record ends (or fails)."""
        while start < end:
            nl = chunk.index(b"\n", start)
            self.line += 1
            self._line(chunk[start:nl], out)
            start = nl + 1
            if not self._skip_record:
                break
        return start

    # --- the fast path -------------------------------------------------------------------------

    def _fast_records(self, matches: list[tuple[bytes, bytes, bytes, bytes]], lines: int) -> _Batch | None:
        """One item per record of a chunk whose every line matched; None (nothing changed) to use the
        general path: a line was skipped, a class name stands for the type, or a bad owner has more
        lines in its match (a blank owner there would be a problem of its own)."""
        out: _Batch = []
        append = out.append
        state = self.state
        suffix = b"." + state.origin if state.origin != b"." else b"."
        last_raw = b""
        last = state.last_owner
        text = "" if last is None else decode_name(last)
        file = self.file
        line = self.line
        for raw, *types in matches:
            line += 1
            if raw and raw != last_raw:
                last = self._fast_owner(raw, suffix, line, out)
                last_raw = raw if last is not None else b""  # a bad owner is reported on each of its lines
                if last is not None:
                    text = decode_name(last)
            elif not types[0]:
                continue  # blank or comment-only line
            for k, rtype in enumerate(types):
                if not rtype:
                    break
                if rtype not in _TYPE_FLAGS and _unknown_type_flag(rtype) == 0:
                    return None
                if last is None:
                    if k or types[1]:
                        return None
                    if not raw:
                        append(Problem(self.file, line, "zone.no_owner", "a record without an owner name"))
                    break
                append(ZoneRecord(text, line + k, file, rtype.decode("ascii").upper()))
            line += bool(types[1]) + bool(types[2])
        if line - self.line != lines:
            return None
        self.line = line
        state.last_owner = last
        return out

    def _fast_runs(self, matches: list[tuple[bytes, bytes, bytes, bytes]], lines: int) -> _Batch | None:
        """Owner runs of a chunk whose every line matched; None as for :meth:`_fast_records`."""
        out: _Batch = []
        append = out.append
        state = self.state
        suffix = b"." + state.origin if state.origin != b"." else b"."
        last_raw = b""
        last = state.last_owner
        line = self.line
        flags_of = _TYPE_FLAGS.get
        run_owner, run_line, run_flags = self._run_owner, self._run_line, self._run_flags
        if last is not None and last != run_owner and not next((m[0] for m in matches if m[1]), b"x"):
            return None  # a blank owner continues an owner outside the current run (after $INCLUDE)
        short = min(63, 254 - len(suffix))
        for raw, first, second, third in matches:
            line += 1
            if raw and raw != last_raw:  # an owner field unlike the match before's
                last_raw = raw
                if len(raw) <= short and b"." not in raw and raw != b"@":
                    last = raw + suffix  # the common shape: one relative label
                else:
                    at = len(out)
                    last = self._fast_owner(raw, suffix, line, out)
                    if last is None:
                        if second:
                            return None
                        if run_owner is not None:  # the problem goes after the run in progress (_report)
                            out.insert(at, (run_owner, run_line, run_flags))
                            run_owner = None
                        last_raw = b""  # a bad owner is reported on each of its lines, as the general path does
                        continue
                if last != run_owner:
                    if run_owner is not None:
                        append((run_owner, run_line, run_flags))
                    run_owner, run_line, run_flags = last, line, 0
            elif not first:
                continue  # blank or comment-only line
            elif last is None:  # a blank owner after no owner, or the same bad owner again
                if second:
                    return None
                if not raw:
                    if run_owner is not None:  # the problem goes after the run in progress (_report)
                        append((run_owner, run_line, run_flags))
                        run_owner = None
                    append(Problem(self.file, line, "zone.no_owner", "a record without an owner name"))
                continue
            flag = flags_of(first) or _unknown_type_flag(first)
            if second:
                line += 1
                more = flags_of(second) or _unknown_type_flag(second)
                flag = flag | more if flag and more else 0
                if third:
                    line += 1
                    more = flags_of(third) or _unknown_type_flag(third)
                    flag = flag | more if flag and more else 0
            if not flag:
                return None  # a class name where the type should be
            run_flags |= flag
        if line - self.line != lines:
            return None
        self._run_owner, self._run_line, self._run_flags = run_owner, run_line, run_flags
        self.line = line
        state.last_owner = last
        return out

    def _fast_owner(self, raw: bytes, suffix: bytes, line: int, out: _Batch) -> bytes | None:
        if raw.endswith(b".") and len(raw) <= 64 and b".." not in raw and raw != b".":
            return raw  # absolute, short, no empty label: nothing to check
        if not raw.endswith(b".") and raw != b"@" and len(raw) <= 63 and b"." not in raw:
            return raw + suffix if len(raw) + len(suffix) <= 254 else self._owner(raw, line, out)
        return self._owner(raw, line, out, flush=False)

    def _owner(self, token: bytes, line: int, out: _Batch, flush: bool = True) -> bytes | None:
        try:
            return parse_name(token, self.state.origin)
        except NameSyntaxError as e:
            problem = Problem(self.file, line, "zone.bad_name", f"owner {_show(token)}: {e}")
            if flush:
                self._report(out, problem)
            else:  # the bulk path, which keeps its owner run in local variables: it gives up on a problem
                out.append(problem)
            return None

    def _report(self, out: _Batch, problem: Problem) -> None:
        """A problem goes after the owner run in progress, which began before it: runs and problems
        then come in file order, wherever the file is cut into partitions (and so whatever --jobs)."""
        if not self.records and self._run_owner is not None:
            out.append((self._run_owner, self._run_line, self._run_flags))
            self._run_owner = None
        out.append(problem)

    # --- the general path ----------------------------------------------------------------------

    def _line(self, raw: bytes, out: _Batch) -> None:
        state = self.state
        if state.depth == 0 and raw.startswith(b"$"):
            self._directive(raw, out)
            return
        if self._skip_record and self._skip_counted(raw, out):
            return
        try:
            tokens, depth = _tokenize(raw, state.depth)
        except _TokenError as e:
            self._report(out, Problem(self.file, self.line, "zone.syntax", str(e)))
            self._reset()
            return
        if state.depth == 0:
            if not tokens and depth == 0:
                return
            self._tokens = []
            self._has_owner = bool(raw) and raw[0] not in b" \t\r("
            self._start_line = self.line
            self._record_bytes = 0
        # the record's bytes in the file, line ends included: a record of a million one-byte lines
        # is not "16 KB" (and its refusal no longer waits for 64 K lines read one by one)
        self._record_bytes += len(raw) + 1
        state.depth = depth
        if not self._skip_record:
            self._tokens.extend(tokens)
            if depth and self._record_bytes > MAX_LINE:
                out.append(
                    Problem(self.file, self._start_line, "zone.record_too_long", f"record longer than {MAX_LINE} bytes")
                )
                self._skip_record = True
                self._tokens = []
        if depth == 0:
            self._record(out)

    def _skip_counted(self, raw: bytes, out: _Batch) -> bool:
        """A line of the rest of a refused over-long record, taken without tokenizing if it can be.

        Only its parentheses matter, and without quotes, escapes or comments they can be counted
        (refusal stays cheap); False leaves the line to the tokenizer.
        """
        if b'"' in raw or b"\\" in raw or b";" in raw:
            return False
        state = self.state
        closes = raw.count(b")")
        if closes > state.depth:  # below zero mid-line: the tokenizer reports the error
            return False
        depth = state.depth + raw.count(b"(") - closes
        self._record_bytes += len(raw) + 1
        state.depth = depth
        if depth == 0:
            self._record(out)
        return True

    _skip_record = False
    unclosed = False  # the input ended inside parentheses

    def _reset(self) -> None:
        self._tokens = []
        self.state.depth = 0
        self._skip_record = False

    def _record(self, out: _Batch) -> None:
        tokens, line = self._tokens, self._start_line
        self._tokens = []
        if self._skip_record:
            self._skip_record = False
            return
        state = self.state
        if self._has_owner:
            owner = self._owner(tokens[0], line, out)
            if owner is None:
                state.last_owner = None
                return
            rest = tokens[1:]
        else:
            owner = state.last_owner
            if owner is None:
                self._report(out, Problem(self.file, line, "zone.no_owner", "a record without an owner name"))
                return
            rest = tokens
        state.last_owner = owner
        i = 0
        while i < len(rest) and i < 2 and (_TTL_RE.match(rest[i]) or _CLASS_RE.match(rest[i])):
            i += 1
        if i >= len(rest) or not _TYPE_RE.match(rest[i]):
            found = _show(rest[i]) if i < len(rest) else "nothing"
            self._report(out, Problem(self.file, line, "zone.no_type", f"expected a record type, found {found}"))
            return
        self._emit(owner, line, rest[i], out)

    def _emit(self, owner: bytes, line: int, rtype: bytes, out: _Batch) -> None:
        if self.records:
            out.append(ZoneRecord(decode_name(owner), line, self.file, rtype.decode("ascii").upper()))
            return
        if owner != self._run_owner:
            if self._run_owner is not None:
                out.append((self._run_owner, self._run_line, self._run_flags))
            self._run_owner, self._run_line, self._run_flags = owner, line, 0
        self._run_flags |= _TYPE_FLAGS.get(rtype.upper(), OTHER)

    def finish(self) -> _Batch:
        """Close the file: flush the last owner run, report an unclosed parenthesis."""
        out: _Batch = []
        if self.state.depth:
            self.unclosed = True
            self._report(out, Problem(self.file, self._start_line, "zone.syntax", "parenthesis never closed"))
            self._reset()
        if self._run_owner is not None:
            out.append((self._run_owner, self._run_line, self._run_flags))
            self._run_owner = None
        return out

    def _directive(self, raw: bytes, out: _Batch) -> None:
        try:
            tokens, depth = _tokenize(raw, 0)
        except _TokenError as e:
            self._report(out, Problem(self.file, self.line, "zone.syntax", str(e)))
            return
        if depth:
            self._report(out, Problem(self.file, self.line, "zone.syntax", "parentheses in a directive"))
            return
        keyword = tokens[0].upper()
        state = self.state
        if keyword == b"$ORIGIN" and len(tokens) == 2:
            try:
                state.origin = parse_name(tokens[1], state.origin)
            except NameSyntaxError as e:
                self._report(out, Problem(self.file, self.line, "zone.bad_name", f"$ORIGIN {_show(tokens[1])}: {e}"))
        elif keyword == b"$TTL" and len(tokens) == 2:
            if not _TTL_RE.match(tokens[1]):
                self._report(out, Problem(self.file, self.line, "zone.syntax", f"bad $TTL value {_show(tokens[1])}"))
        elif keyword == b"$INCLUDE" and len(tokens) in (2, 3):
            self._include(tokens, out)
        elif keyword == b"$GENERATE":
            self._generate(tokens, out)
        elif keyword in (b"$ORIGIN", b"$TTL", b"$INCLUDE"):
            self._report(
                out, Problem(self.file, self.line, "zone.syntax", f"wrong number of fields for {_show(keyword)}")
            )
        else:
            out.append(
                Problem(
                    self.file, self.line, "zone.unsupported_directive", f"directive {_show(tokens[0])} not supported"
                )
            )

    def _generate(self, tokens: list[bytes], out: _Batch) -> None:
        """A $GENERATE line: checked whole here, expanded lazily by :meth:`_expand`."""
        try:
            gen = parse_generate(
                tokens, self.state.origin, self.line, lambda t: _TTL_RE.match(t) or _CLASS_RE.match(t), _TYPE_RE.match
            )
        except GenerateError as e:
            self._report(out, Problem(self.file, self.line, "zone.syntax", f"$GENERATE: {e}"))
            return
        if len(gen.values) > MAX_GENERATE:
            message = (
                f"$GENERATE {_show(tokens[1])} would make {len(gen.values):,} names, over the "
                f"{MAX_GENERATE:,} one directive may make; none were made"
            )
            self._report(out, Problem(self.file, self.line, "zone.generate_too_large", message))
            return
        if not self.records and self._run_owner is not None:  # the run in progress ends before them
            out.append((self._run_owner, self._run_line, self._run_flags))
            self._run_owner = None
        # BIND's owner context (a later blank owner field) is not changed by $GENERATE.
        out.append(gen)
        self._generations += 1

    def _include(self, tokens: list[bytes], out: _Batch) -> None:
        """``$INCLUDE file [origin]`` (RFC 1035 §5.1): the file's items in place, when includes are
        allowed and the file is inside the zone's folder and within the zone's include budget;
        else one ``zone.include_refused`` (or ``zone.bad_name``) problem on the directive's line."""
        found = self._include_target(tokens, out)
        if found is None:
            return
        target, origin = found
        try:
            # resolved and confined above: a link put at the last step since is refused too
            stream = open_regular(target, nofollow=True)
        except FileRefusedError as e:
            self._report(out, Problem(self.file, self.line, "zone.include_refused", f"$INCLUDE {target} refused: {e}"))
            return
        except OSError as e:
            self._report(
                out, Problem(self.file, self.line, "zone.include_refused", f"$INCLUDE cannot be read: {e.strerror}")
            )
            return
        with stream:
            self._read_include(stream, target, origin, out)
        # RFC 1035 §5.1: the origin (and so the owner context) of the including file is unchanged.

    def _include_target(self, tokens: list[bytes], out: _Batch) -> tuple[Path, bytes] | None:
        """The resolved path and the origin of an $INCLUDE, or None (a problem reported) when it is
        off, nested too deep, outside the zone's folder, has a bad origin or the budget is spent."""
        line = self.line
        if not self.allow_include:
            self._report(out, Problem(self.file, line, "zone.include_refused", "$INCLUDE is off (allow_include=False)"))
            return None
        if self.base_dir is None or self.include_depth >= MAX_INCLUDE_DEPTH:
            why = "no folder to confine it to" if self.base_dir is None else f"nested deeper than {MAX_INCLUDE_DEPTH}"
            self._report(out, Problem(self.file, line, "zone.include_refused", f"$INCLUDE refused: {why}"))
            return None
        try:
            target = (self.base_dir / _unquote(tokens[1]).decode("utf-8")).resolve()
        except (UnicodeDecodeError, OSError, ValueError) as e:
            self._report(out, Problem(self.file, line, "zone.include_refused", f"$INCLUDE path unusable: {e}"))
            return None
        if not target.is_relative_to(self.base_dir.resolve()):
            out.append(
                Problem(self.file, line, "zone.include_refused", f"$INCLUDE {target} is outside the zone's folder")
            )
            return None
        origin = self.state.origin
        if len(tokens) == 3:
            try:
                origin = parse_name(tokens[2], origin)
            except NameSyntaxError as e:
                self._report(out, Problem(self.file, line, "zone.bad_name", f"$INCLUDE origin {_show(tokens[2])}: {e}"))
                return None
        budget = self.budget
        if budget.files <= 0 or budget.bytes <= 0:
            why = f"{MAX_INCLUDE_FILES} files" if budget.files <= 0 else f"{MAX_INCLUDE_BYTES:,} bytes"
            out.append(
                Problem(
                    self.file,
                    line,
                    "zone.include_refused",
                    f"$INCLUDE {target} refused: the zone's includes "
                    f"have already read {why}, idnkit's bound for one zone",
                )
            )
            return None
        return target, origin

    def _read_include(self, stream: IO[bytes], target: Path, origin: bytes, out: _Batch) -> None:
        """An open $INCLUDE file read by a scanner of its own, its items added to ``out`` (its owner
        runs joined to the runs around them), unless it is being read already (a cycle) or would
        pass the bytes left in the budget."""
        line = self.line
        budget = self.budget
        identity = _identity(stream)
        size = os.fstat(stream.fileno()).st_size
        if identity in budget.reading:
            why = "it is one of the files being read (an $INCLUDE cycle)"
        elif size > budget.bytes:
            why = f"its {size:,} bytes would pass the {MAX_INCLUDE_BYTES:,} bytes the zone's includes may read"
        else:
            why = ""
        if why:
            self._report(out, Problem(self.file, line, "zone.include_refused", f"$INCLUDE {target} refused: {why}"))
            return
        budget.files -= 1
        budget.reading.append(identity)
        inner = Scanner(
            str(target),
            origin,
            records=self.records,
            allow_include=True,
            base_dir=self.base_dir,
            include_depth=self.include_depth + 1,
            budget=budget,
        )
        try:
            for batch in inner.scan(stream, limit=budget.bytes):
                for item in batch:
                    if isinstance(item, Problem):
                        self._report(out, item)
                    elif type(item) is tuple:
                        self._emit_run(item, out)
                    else:
                        out.append(item)  # a record, which names the included file
        except OSError as e:
            self._report(
                out, Problem(self.file, line, "zone.include_refused", f"$INCLUDE cannot be read: {e.strerror}")
            )
        finally:
            budget.reading.pop()
            budget.bytes -= stream.tell()

    def _emit_run(self, item: OwnerRun, out: _Batch) -> None:
        owner, line, flags = item
        if owner != self._run_owner:
            if self._run_owner is not None:
                out.append((self._run_owner, self._run_line, self._run_flags))
            self._run_owner, self._run_line, self._run_flags = owner, line, 0
        self._run_flags |= flags


class _TokenError(Exception):
    pass


def _identity(stream: IO[bytes]) -> tuple[int, int]:
    """(device, inode) of an open file, to recognise a file being read again; (-1, -1) for a stream."""
    try:
        st = os.fstat(stream.fileno())
    except (OSError, AttributeError, ValueError):
        return (-1, -1)
    return (st.st_dev, st.st_ino)


def _tokenize(raw: bytes, depth: int) -> tuple[list[bytes], int]:
    """Split one line into fields (RFC 1035 §5.1): quotes, escapes, parentheses, comments."""
    tokens: list[bytes] = []
    current = bytearray()
    in_token = False
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == 0x5C:  # backslash: the next byte is literal (\DDD is resolved later)
            current += raw[i : i + 2]
            in_token = True
            i += 2
            continue
        if c == 0x22:  # quoted string: one field, may hold spaces and ;
            end = i + 1
            while end < n and raw[end] != 0x22:
                end += 2 if raw[end] == 0x5C else 1
            if end >= n:
                raise _TokenError("unbalanced quote")
            current += raw[i : end + 1]
            in_token = True
            i = end + 1
            continue
        if c in b" \t\r\f\v" or c in b"();":
            if in_token:
                tokens.append(bytes(current))
                current.clear()
                in_token = False
            if c == 0x3B:  # ; comment to end of line
                break
            if c == 0x28:
                depth += 1
            elif c == 0x29:
                if depth == 0:
                    raise _TokenError("')' without '('")
                depth -= 1
            i += 1
            continue
        current.append(c)
        in_token = True
        i += 1
    if in_token:
        tokens.append(bytes(current))
    return tokens, depth


def _has_long_line(chunk: bytes) -> bool:
    """Whether a line of ``chunk`` is over MAX_LINE, which the bulk pattern would read as any other.

    A line longer than 2h holds a whole newline-free window of h bytes aligned on h, so a few
    ``find`` calls per chunk (h = MAX_LINE / 2: 8 per MiB) rule it out; only such a window is
    measured.  Without this a plain over-long line was refused or read depending on where the
    chunk seams fell.
    """
    if len(chunk) <= MAX_LINE:
        return False
    half = MAX_LINE // 2
    for k in range(0, len(chunk) - half + 1, half):
        if chunk.find(b"\n", k, k + half) < 0:
            start = chunk.rfind(b"\n", 0, k) + 1
            end = chunk.find(b"\n", k + half)
            if (len(chunk) if end < 0 else end) - start > MAX_LINE:
                return True
    return False


def _unquote(token: bytes) -> bytes:
    """A file-name field with its quotes taken off and its escapes resolved: ``"inc.db"`` → ``inc.db``.

    RFC 1035 §5.1 lets any field be a quoted <character-string>, and BIND's loader reads the
    ``$INCLUDE`` file name as one (``$INCLUDE "inc.db"``); ``\\X`` is X and ``\\DDD`` the octet DDD.
    """
    if b'"' not in token and b"\\" not in token:
        return token
    out = bytearray()
    i, n = 0, len(token)
    while i < n:
        c = token[i]
        if c == 0x22:
            i += 1
        elif c == 0x5C and i + 1 < n:
            digits = token[i + 1 : i + 4]
            if len(digits) == 3 and digits.isdigit() and int(digits) <= 255:
                out.append(int(digits))
                i += 4
            else:
                out.append(token[i + 1])
                i += 2
        else:
            out.append(c)
            i += 1
    return bytes(out)


def _awkward_lines(chunk: bytes) -> tuple[int, int]:
    """The line-aligned span of ``chunk`` holding every byte the bulk path refuses (``( ) " \\``)."""
    found = [(chunk.find(c), chunk.rfind(c)) for c in (b"(", b")", b'"', b"\\")]
    firsts = [a for a, _ in found if a >= 0]
    if not firsts:
        return 0, len(chunk)
    first = chunk.rfind(b"\n", 0, min(firsts)) + 1
    last = chunk.find(b"\n", max(b for _, b in found)) + 1 or len(chunk)
    return first, last


def _shape(block: bytes, lines: int) -> tuple[bytes, int]:
    """``block``'s lines reduced to what decides how the tokenizer reads their parentheses, as
    ``(shape, times)`` with ``shape * times`` the reduced block.

    Without escapes, that is quotes, semicolons, parentheses and newlines (``translate``, at
    memory speed); lines all of one shape (base64, ``"text" ;comment``) are given as the first.
    """
    if b"\\" in block:
        return block, 1
    reduced = block.translate(None, _NOT_SYNTAX)
    first = reduced[: reduced.find(b"\n") + 1]
    return (first, lines) if reduced == first * lines else (reduced, 1)


def _show(token: bytes) -> str:
    text = token[:80].decode("utf-8", "backslashreplace")
    return repr(text + ("…" if len(token) > 80 else ""))


def _unknown_type_flag(rtype: bytes) -> int:
    """The flag of a type field missing from the table, 0 when it is a class name (no type: a bad line)."""
    return 0 if _CLASS_RE.match(rtype) else _TYPE_FLAGS.get(rtype.upper(), OTHER)
