"""RFC 7940 §6.2 code point classes as sorted, disjoint, inclusive ranges, with the set operations."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .. import unicode as _ucd
from ..unicode._ranges import RangeMap
from ._errors import LgrParseError
from ._model import ClassNode

Ranges = tuple[tuple[int, int], ...]
MAX_CP = 0x10FFFF


def normalize(ranges: Iterable[tuple[int, int]]) -> Ranges:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return tuple(out)


def from_cps(cps: Iterable[int]) -> Ranges:
    """``normalize`` of one-point ranges, without building them: a tag of a CJK table has ~20,000 points."""
    points = sorted(set(cps))
    if not points:
        return ()
    out: list[tuple[int, int]] = []
    lo = hi = points[0]
    for c in points[1:]:
        if c == hi + 1:
            hi = c
        else:
            out.append((lo, hi))
            lo = hi = c
    out.append((lo, hi))
    return tuple(out)


def union(*sets: Ranges) -> Ranges:
    return normalize(r for s in sets for r in s)


def complement(a: Ranges) -> Ranges:
    out, nxt = [], 0
    for lo, hi in a:
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= MAX_CP:
        out.append((nxt, MAX_CP))
    return tuple(out)


def intersection(a: Ranges, b: Ranges) -> Ranges:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def difference(a: Ranges, b: Ranges) -> Ranges:
    return intersection(a, complement(b))


def symmetric_difference(a: Ranges, b: Ranges) -> Ranges:
    return union(difference(a, b), difference(b, a))


def contains(a: Ranges, cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in a)


_PROPERTIES: dict[str, RangeMap[str]] = {
    "gc": _ucd.GENERAL_CATEGORY,
    "general_category": _ucd.GENERAL_CATEGORY,
    "jt": _ucd.JOINING_TYPE,
    "joining_type": _ucd.JOINING_TYPE,
    "bc": _ucd.BIDI_CLASS,
    "bidi_class": _ucd.BIDI_CLASS,
    "sc": _ucd.SCRIPT,
    "script": _ucd.SCRIPT,
}
_GC_GROUPS = {
    "L": "Lu Ll Lt Lm Lo",
    "LC": "Lu Ll Lt",
    "M": "Mn Mc Me",
    "N": "Nd Nl No",
    "P": "Pc Pd Ps Pe Pi Pf Po",
    "S": "Sm Sc Sk So",
    "Z": "Zs Zl Zp",
    "C": "Cc Cf Cs Co Cn",
}
_property_cache: dict[str, Ranges] = {}


def property_ranges(spec: str, source: str = "", line: int = 0) -> Ranges:
    """``gc:Mn``, ``jt:D``, ``sc:Arab``, ``ccc:9`` against idnkit's own Unicode tables (RFC 7940 §6.2.4)."""
    if spec in _property_cache:
        return _property_cache[spec]
    name, _, value = spec.partition(":")
    key = name.strip().lower()
    if key in ("ccc", "canonical_combining_class"):
        try:
            number = int(value)
        except ValueError:
            raise LgrParseError(f"bad property value in {spec!r}", source, line) from None
        if not 0 <= number <= 254:
            raise LgrParseError(f"canonical combining class {number} in {spec!r} is not 0-254", source, line)
        ranges = normalize(_ucd.COMBINING_CLASS.ranges(lambda v: v == number))
    elif key in _PROPERTIES:
        wanted = set(_GC_GROUPS.get(value, value).split()) if key in ("gc", "general_category") else {value}
        known = set(_PROPERTIES[key].values)
        if not wanted <= known:
            # An unknown value used to give an empty class, and a rule that silently never matched.
            raise LgrParseError(
                f"unknown value {value!r} of property {name.strip()!r} in {spec!r} (RFC 7940 §6.2.4; "
                f"idnkit's Unicode tables know {len(known)} values, e.g. {', '.join(sorted(known)[:6])})",
                source,
                line,
            )
        ranges = normalize(_PROPERTIES[key].ranges(lambda v: v in wanted))
    else:
        raise LgrParseError(
            f"unsupported property {spec!r} (idnkit knows gc, jt, bc, sc, ccc; RFC 7940 §6.2.4)", source, line
        )
    _property_cache[spec] = ranges
    return ranges


def evaluate(
    node: ClassNode,
    named: Mapping[str, Ranges],
    tag_lookup: Callable[[str], Ranges],
    source: str = "",
) -> Ranges:
    """Resolve a class expression; references must name a class defined earlier (RFC 7940 §6.2.1)."""
    kind = node.kind
    if kind == "set":
        return normalize(node.ranges)
    if kind == "ref":
        assert node.ref is not None
        if node.ref not in named:
            raise LgrParseError(f"class by-ref={node.ref!r} names no class defined before it", source, node.line)
        return named[node.ref]
    if kind == "tag":
        assert node.ref is not None
        return tag_lookup(node.ref)
    if kind == "property":
        assert node.ref is not None
        return property_ranges(node.ref, source, node.line)
    parts = [evaluate(c, named, tag_lookup, source) for c in node.children]
    if kind == "union":
        return union(*parts)
    if kind == "complement":
        return complement(parts[0])
    if kind == "difference":
        return difference(parts[0], parts[1])
    result = parts[0]
    for p in parts[1:]:
        result = intersection(result, p) if kind == "intersection" else symmetric_difference(result, p)
    return result
