"""BIND's ``$GENERATE`` master-file directive (BIND 9 ARM, "The $GENERATE Directive"):

    $GENERATE start-stop[/step] lhs [ttl] [class] type rhs [; comment]

``lhs`` and ``rhs`` are templates: each ``$`` is the iterator, optionally followed by a modifier
``${offset[,width[,base]]}`` (base ``d``, ``o``, ``x``, ``X``, or the nibble forms ``n`` / ``N``:
the value as reversed hexadecimal digits, one per label, the width counting the dots); ``$$`` is a
literal ``$`` and a backslash escape (``\\$``) is copied unchanged for the name parser to resolve.
Everything except a generated name being malformed is decided from the directive alone (the
range, the templates, the smallest value each modifier sees), so a bad directive yields one
problem before any name is made, and a good one is expanded one name at a time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

#: Names one $GENERATE directive may produce: a /16 of PTR records (65,536) fits; a directive
#: asking for more is refused whole (``zone.generate_too_large``), so a 40-byte line cannot ask
#: for 2^32 names to be audited.
MAX_GENERATE = 65_536
#: BIND formats each substitution into a 128-byte buffer (lib/dns/master.c), dnspython refuses a
#: larger width too: without it a short line could ask for an arbitrarily long zero-padded field.
MAX_WIDTH = 127
#: BIND reads the range with ``%u``: each bound is an unsigned 32-bit integer.
MAX_VALUE = 2**32 - 1

_RANGE = re.compile(rb"([0-9]+)-([0-9]+)(?:/([0-9]+))?\Z")
_MODIFIER = re.compile(rb"\{([+-]?[0-9]+)(?:,([0-9]+)(?:,([doxXnN]))?)?\}")
_FORMATS = {"d": "d", "o": "o", "x": "x", "X": "X"}


class GenerateError(Exception):
    """A $GENERATE directive that BIND would refuse: the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Modifier:
    """One ``${offset,width,base}`` substitution (``$`` alone is ``${0,0,d}``)."""

    offset: int = 0
    width: int = 0
    base: str = "d"

    def render(self, counter: int) -> bytes:
        value = counter + self.offset
        if self.base in "nN":
            return nibbles(value, self.width, self.base == "N")
        return format(value, _FORMATS[self.base]).zfill(self.width).encode("ascii")


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed ``lhs`` or ``rhs``: literal bytes and modifiers, in order."""

    parts: tuple[bytes | Modifier, ...]

    def render(self, counter: int) -> bytes:
        return b"".join(p if isinstance(p, bytes) else p.render(counter) for p in self.parts)

    def check_values(self, smallest: int, field: str) -> None:
        """Refuse a modifier whose value would be negative in a base that has no sign (the counter
        only grows, so the range's start gives each modifier its smallest value)."""
        for part in self.parts:
            if isinstance(part, Modifier) and part.base != "d" and smallest + part.offset < 0:
                # BIND prints a negative int with %x / %o as its 32-bit two's complement; dnspython
                # refuses it in nibble mode and prints "-5" otherwise: idnkit refuses it everywhere.
                raise GenerateError(
                    f"{field}: ${{{part.offset},{part.width},{part.base}}} gives the negative value "
                    f"{smallest + part.offset} at {smallest}, which base {part.base!r} cannot write"
                )


def nibbles(value: int, width: int, upper: bool) -> bytes:
    """``value`` as dot-separated hexadecimal digits, least significant first, padded with zero
    nibbles until at least ``width`` characters long (dots included), as BIND's genname writes it."""
    digits = "0123456789ABCDEF" if upper else "0123456789abcdef"
    out: list[str] = []
    while True:
        out.append(digits[value & 0xF])
        value >>= 4
        if width > 0:
            width -= 1
        if width > 0 or value:
            out.append(".")
            if width > 0:
                width -= 1
        if not value and not width:
            return "".join(out).encode("ascii")


def parse_range(token: bytes) -> range:
    """``start-stop[/step]`` (inclusive, BIND's ``%u-%u/%u``) as a Python range, never materialised."""
    m = _RANGE.match(token)
    if m is None:
        raise GenerateError(f"bad range {token.decode('ascii', 'replace')!r} (start-stop[/step])")
    start, stop = int(m.group(1)), int(m.group(2))
    step = int(m.group(3)) if m.group(3) is not None else 1
    if max(start, stop, step) > MAX_VALUE:
        raise GenerateError(f"range bound over {MAX_VALUE} (an unsigned 32-bit integer)")
    if stop < start:
        raise GenerateError(f"range {start}-{stop} ends before it starts")
    if step < 1:
        raise GenerateError("range step 0")
    return range(start, stop + 1, step)


def parse_template(token: bytes, field: str) -> Template:
    """An ``lhs`` or ``rhs`` field into its parts; a malformed modifier is a :class:`GenerateError`."""
    parts: list[bytes | Modifier] = []
    literal = bytearray()
    i, n = 0, len(token)
    while i < n:
        c = token[i]
        if c == 0x5C:  # backslash: copied with the byte it escapes (\$ stays a literal $ for the name parser)
            literal += token[i : i + 2]
            i += 2
        elif c != 0x24:
            literal.append(c)
            i += 1
        elif token[i + 1 : i + 2] == b"$":  # $$: a literal $, kept by BIND for older zone files
            literal += b"$"
            i += 2
        else:
            i += 1
            modifier = Modifier()
            if token[i : i + 1] == b"{":
                m = _MODIFIER.match(token, i)
                if m is None:
                    end = token.find(b"}", i)
                    shown = token[i : end + 1 if end >= 0 else n].decode("ascii", "replace")
                    raise GenerateError(f"{field}: bad modifier ${shown} (${{offset[,width[,base]]}})")
                width = int(m.group(2)) if m.group(2) is not None else 0
                if width > MAX_WIDTH:
                    raise GenerateError(f"{field}: width {width} over {MAX_WIDTH}")
                modifier = Modifier(int(m.group(1)), width, (m.group(3) or b"d").decode("ascii"))
                i = m.end()
            if literal:
                parts.append(bytes(literal))
                literal.clear()
            parts.append(modifier)
    if literal:
        parts.append(bytes(literal))
    return Template(tuple(parts))


@dataclass(frozen=True, slots=True)
class Generation:
    """A checked $GENERATE directive: what the scanner expands, one owner at a time.

    ``origin`` is the ``$ORIGIN`` in effect at the directive (relative owners resolve against it);
    ``line`` is the directive's line, which every generated record reports.
    """

    values: range
    lhs: Template
    rtype: bytes
    rhs: Template
    origin: bytes
    line: int

    def owners(self) -> Iterator[tuple[int, bytes]]:
        """(iterator value, owner field in presentation format), lazily, in order."""
        render = self.lhs.render
        for counter in self.values:
            yield counter, render(counter)


def parse_generate(
    tokens: list[bytes],
    origin: bytes,
    line: int,
    is_ttl_or_class: Callable[[bytes], object],
    is_type: Callable[[bytes], object],
) -> Generation:
    """The fields of a ``$GENERATE`` line (``tokens[0]`` is the keyword) into a :class:`Generation`.

    ``is_ttl_or_class`` and ``is_type`` are the reader's own field tests, so a generated record's
    fields are read as any other record's: up to two TTL / class fields in either order (BIND
    accepts ``class ttl`` as well as ``ttl class``), then the type and exactly one ``rhs``.
    """
    if len(tokens) < 5:
        raise GenerateError("expected $GENERATE range lhs [ttl] [class] type rhs")
    values = parse_range(tokens[1])
    lhs = parse_template(tokens[2], "lhs")
    i = 3
    while i < len(tokens) - 2 and i < 5 and is_ttl_or_class(tokens[i]):
        i += 1
    if not is_type(tokens[i]):
        raise GenerateError(f"expected a record type, found {tokens[i][:80].decode('utf-8', 'replace')!r}")
    if len(tokens) != i + 2:
        what = "no rhs" if len(tokens) < i + 2 else f"{len(tokens) - i - 2} field(s) after the rhs"
        raise GenerateError(f"{what} (one rhs field follows the type)")
    rhs = parse_template(tokens[i + 1], "rhs")
    lhs.check_values(values.start, "lhs")
    rhs.check_values(values.start, "rhs")
    return Generation(values, lhs, tokens[i], rhs, origin, line)
