"""Legacy IDN tables imported into the RFC 7940 document model.

Three text formats predate RFC 7940 and still fill the IANA IDN table repository:

* ``rfc3743`` -- the JET Language Variant Table of RFC 3743 §5.1 (examples in §4): one entry per line,
  ``ValidCodePoint;PreferredVariants;CharacterVariants`` with optional ``(1,2)`` reference lists, plus
  ``Version N YYYYMMDD`` and ``Reference N text`` header lines.  Preferred variants become ``activated``
  variants (RFC 7940 §7.3: "the same as a Preferred Variant [RFC3743]"), the other character variants
  ``blocked`` (reserved for the registrant, never registrable by anyone else).
* ``rfc4290`` -- the model table format of RFC 4290: ``U+XXXX[-U+YYYY...]|VARIANT[:VARIANT...]`` where
  ``-`` joins a code point sequence and ``:`` separates variants; variants are ``blocked`` by default.
* ``list`` -- a plain repertoire, one code point, sequence (space separated) or range (``..`` or ``-``)
  per line, ``U+XXXX`` or bare hex, ``#`` comments (the IANA repository style of the .SE reference tables).

Every malformed line is reported (``file:line: detail``), not just the first: a table with problems raises
:class:`LegacyTableError` carrying all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .._files import FileRefusedError, read_regular
from ._errors import LgrParseError
from ._model import Char, Document, Meta, Reference, Var
from ._parser import MAX_DOCUMENT_BYTES, MAX_REPERTOIRE

FORMATS = ("rfc3743", "rfc4290", "list")

_CP = re.compile(r"(?:U\+)?([0-9A-Fa-f]{4,6})\Z")
_CP_REFS = re.compile(r"(?:U\+)?([0-9A-Fa-f]{4,6})(?:\(([0-9]+(?:\s*,\s*[0-9]+)*)\))?\Z")
# Characters XML 1.0 cannot carry (§2.2): a comment holding one could never be written as RFC 7940 XML.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_VERSION = re.compile(r"Version\s+(\S+)(?:\s+(\d{8}))?\s*(?:#\s*(.*))?\Z", re.IGNORECASE)
_REFERENCE = re.compile(r"Reference\s+(\d+)\s+([^#]*?)\s*(?:#\s*(.*))?\Z", re.IGNORECASE)


class LegacyTableError(LgrParseError):
    """A legacy table with malformed lines; ``problems`` lists every ``(line, message)``."""

    def __init__(self, source: str, problems: Iterable[tuple[int, str]]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0] if self.problems else (None, "no problems")
        super().__init__(first[1], source, first[0])
        extra = [f"{source}:{line}: {msg}" for line, msg in self.problems[1:]]
        if extra:
            self.args = ("\n".join([str(self.args[0]), *extra]),)


class _Problems:
    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []

    def add(self, line: int, message: str) -> None:
        self.items.append((line, message))


def _hex(token: str, line: int, problems: _Problems) -> int | None:
    m = _CP.match(token)
    if m is None:
        problems.add(line, f"bad code point {token!r} (expected U+XXXX or 4-6 hex digits)")
        return None
    cp = int(m.group(1), 16)
    if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
        problems.add(line, f"U+{cp:04X} is not a Unicode scalar value")
        return None
    return cp


def _lines(text: str) -> list[str]:
    """Lines as editors count them: split at LF only (str.splitlines also splits at VT, FF, U+2028...)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _strip_comment(raw: str) -> tuple[str, str | None]:
    body, sep, comment = raw.partition("#")
    return body.strip(), (comment.strip() or None) if sep else None


def detect_format(text: str) -> str:
    """Guess the table format from its data lines: ``|`` means RFC 4290, ``;`` RFC 3743, else a list."""
    for raw in _lines(text):
        body, _ = _strip_comment(raw)
        if not body or _VERSION.match(body) or _REFERENCE.match(body):
            continue
        if "|" in body:
            return "rfc4290"
        if ";" in body:
            return "rfc3743"
    return "list"


def parse_legacy(text: str, source: str = "<text>", format: str = "auto") -> Document:
    """Import a legacy table (``rfc3743``, ``rfc4290``, ``list`` or ``auto``) as an RFC 7940 document.

    >>> doc = parse_legacy("U+0061\\nU+0062..U+0063  # b and c\\n", "demo.txt")
    >>> [c.cps for c in doc.chars]
    [(97,), (98,), (99,)]
    """
    if format == "auto":
        format = detect_format(text)
    if format not in FORMATS:
        raise LgrParseError(f"unknown legacy format {format!r} (expected auto, {', '.join(FORMATS)})", source)
    problems = _Problems()
    for n, raw in enumerate(_lines(text), 1):
        bad = NOT_XML.search(raw)
        if bad:
            problems.add(n, f"control character U+{ord(bad.group()):04X} (not allowed in XML 1.0)")
    if format == "list":
        meta, chars = _parse_list(text, problems)
    elif format == "rfc4290":
        meta, chars = _parse_rfc4290(text, problems)
    else:
        meta, chars = _parse_rfc3743(text, problems)
    seen: dict[tuple[int, ...], int] = {}
    for ch in chars:
        if ch.cps in seen:
            problems.add(ch.line, f"{_fmt(ch.cps)} already listed on line {seen[ch.cps]}")
        else:
            seen[ch.cps] = ch.line
    if problems.items:
        raise LegacyTableError(source, sorted(problems.items))
    return Document(source, meta, tuple(chars), (), (), ())


def parse_legacy_file(path: str | Path, format: str = "auto") -> Document:
    """Read and import a legacy table file (UTF-8, a BOM is accepted)."""
    p = Path(path)
    try:
        data = read_regular(p, MAX_DOCUMENT_BYTES)
    except FileRefusedError as e:
        raise LgrParseError(f"not read: {e}", str(p)) from None
    except OSError as e:
        raise LgrParseError(f"cannot read: {e.strerror}", str(p)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise LgrParseError(f"not UTF-8 (byte 0x{data[e.start]:02X})", str(p), line) from None
    return parse_legacy(text, str(p), format)


def _fmt(cps: tuple[int, ...]) -> str:
    return " ".join(f"U+{c:04X}" for c in cps)


def _parse_list(text: str, problems: _Problems) -> tuple[Meta, list[Char]]:
    chars: list[Char] = []
    for n, raw in enumerate(_lines(text), 1):
        body, comment = _strip_comment(raw)
        if not body:
            continue
        tokens = body.split()
        if len(tokens) == 1 and (".." in body or body.count("-") == 1):
            lo_text, _, hi_text = body.partition("..") if ".." in body else body.partition("-")
            lo, hi = _hex(lo_text, n, problems), _hex(hi_text, n, problems)
            if lo is None or hi is None:
                continue
            if lo > hi:
                problems.add(n, f"range {body!r} runs backwards")
                continue
            if len(chars) + hi - lo + 1 > MAX_REPERTOIRE:  # all of Unicode took 6.7 s and a gigabyte
                problems.add(n, f"range {body!r}: the repertoire would pass idnkit's bound of {MAX_REPERTOIRE:,}")
                continue
            if lo <= 0xDFFF and hi >= 0xD800:
                problems.add(n, f"range {body!r} holds surrogates (U+D800..U+DFFF), which are not characters")
                continue
            chars.extend(Char((cp,), comment=comment, line=n) for cp in range(lo, hi + 1))
            continue
        cps = [_hex(t, n, problems) for t in tokens]
        if all(c is not None for c in cps):
            chars.append(Char(tuple(c for c in cps if c is not None), comment=comment, line=n))
    return Meta(), chars


def _sequence(text: str, sep: str, n: int, problems: _Problems) -> tuple[int, ...] | None:
    tokens = [t for t in (x.strip() for x in text.split(sep)) if t]
    if not tokens:
        problems.add(n, "empty code point sequence")
        return None
    cps = [_hex(t, n, problems) for t in tokens]
    if any(c is None for c in cps):
        return None
    return tuple(c for c in cps if c is not None)


def _parse_rfc4290(text: str, problems: _Problems, var_type: str = "blocked") -> tuple[Meta, list[Char]]:
    chars: list[Char] = []
    for n, raw in enumerate(_lines(text), 1):
        body, comment = _strip_comment(raw)
        if not body:
            continue
        if body.count("|") > 1:
            problems.add(n, "more than one '|' (RFC 4290: reference|variant:variant...)")
            continue
        ref_text, _, var_text = body.partition("|")
        cps = _sequence(ref_text, "-", n, problems)
        variants: list[Var] = []
        targets: set[tuple[int, ...]] = set()
        for item in var_text.split(":") if var_text.strip() else ():
            v = _sequence(item, "-", n, problems)
            if v is None:
                continue
            if v in targets:
                problems.add(n, f"variant {_fmt(v)} listed twice")
                continue
            targets.add(v)
            # "U+0061|U+0061" only says the code point stands for itself: an untyped reflexive mapping.
            variants.append(Var(v, None if v == cps else var_type, line=n))
        if cps is not None:
            chars.append(Char(cps, comment=comment, variants=tuple(variants), line=n))
    return Meta(), chars


def _cp_set_list(text: str, n: int, problems: _Problems) -> list[tuple[tuple[int, ...], tuple[str, ...]]]:
    """RFC 3743 §5.1: CodePointSet *("," CodePointSet); a set is space-separated CodePoint["(" Reflist ")"]."""
    out: list[tuple[tuple[int, ...], tuple[str, ...]]] = []
    # Reference lists hold commas too ("4E7E(1,2),5E72(1)"): split on commas outside parentheses.
    items, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    for item in items:
        tokens = item.split()
        if not tokens:
            problems.add(n, "empty code point set (RFC 3743 §5.1)")
            continue
        cps: list[int] = []
        refs: list[str] = []
        ok = True
        for t in tokens:
            m = _CP_REFS.match(t)
            if m is None:
                problems.add(n, f"bad code point {t!r} (RFC 3743 §5.1: hex digits with an optional (refs))")
                ok = False
                continue
            cp = int(m.group(1), 16)
            if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
                problems.add(n, f"U+{cp:04X} is not a Unicode scalar value")
                ok = False
                continue
            cps.append(cp)
            if m.group(2):
                refs.extend(r.strip() for r in m.group(2).split(","))
        if ok:
            out.append((tuple(cps), tuple(dict.fromkeys(refs))))
    return out


def _parse_rfc3743(text: str, problems: _Problems) -> tuple[Meta, list[Char]]:
    chars: list[Char] = []
    version = date = version_comment = None
    references: list[Reference] = []
    for n, raw in enumerate(_lines(text), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = _VERSION.match(stripped)
        if m:
            version, version_comment = m.group(1), m.group(3)
            if m.group(2):
                d = m.group(2)
                date = f"{d[:4]}-{d[4:6]}-{d[6:]}"
            continue
        m = _REFERENCE.match(stripped)
        if m:
            references.append(Reference(m.group(1), m.group(2), m.group(3)))
            continue
        body, comment = _strip_comment(raw)
        fields = [f.strip() for f in body.split(";")]
        if fields and fields[-1] == "" and len(fields) > 1:
            fields.pop()  # a trailing ";" ends the entry
        if len(fields) > 3:
            problems.add(n, f"{len(fields)} fields; RFC 3743 §5.1 has at most 3 (valid;preferred;variants)")
            continue
        valid = _cp_set_list(fields[0], n, problems)
        if len(valid) != 1:
            if valid:
                problems.add(n, "the valid code point field holds more than one entry (RFC 3743 §5.1)")
            continue
        cps, refs = valid[0]
        variants: dict[tuple[int, ...], Var] = {}
        for index, var_type in ((1, "activated"), (2, "blocked")):
            if len(fields) <= index or not fields[index]:
                continue
            for vcps, vrefs in _cp_set_list(fields[index], n, problems):
                # A character variant also listed as preferred keeps the preferred (activated) type.
                variants.setdefault(vcps, Var(vcps, var_type, refs=vrefs, line=n))
        chars.append(Char(cps, refs=refs, comment=comment, variants=tuple(variants.values()), line=n))
    meta = Meta(version=version, version_comment=version_comment, date=date, references=tuple(references))
    return meta, chars
