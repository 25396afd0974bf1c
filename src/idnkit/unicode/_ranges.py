"""Range maps: the one lookup structure behind every generated Unicode table."""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_LOADED = ("_starts", "_values")


class RangeMap(Generic[T]):
    """Maps every code point to a value; ``starts`` are sorted range starts covering 0..10FFFF.

    :meth:`lazy` makes one whose table is read on first use: ``import idnkit`` then loads no table
    that the name being checked does not need (the native core answers most names without any).
    """

    __slots__ = ("_load", "_starts", "_values")
    _load: Callable[[], tuple[Sequence[int], Sequence[T]]]

    def __init__(self, starts: Sequence[int], values: Sequence[T]) -> None:
        if len(starts) != len(values) or not starts or starts[0] != 0:
            raise ValueError("a range map needs parallel starts/values beginning at U+0000")
        self._starts = starts
        self._values = values

    @classmethod
    def lazy(cls, load: Callable[[], tuple[Sequence[int], Sequence[T]]]) -> RangeMap[T]:
        """A map whose ``(starts, values)`` come from ``load()`` the first time they are needed."""
        self = cls.__new__(cls)
        self._load = load
        return self

    def __getattr__(self, name: str) -> Any:
        # Reached only while a lazy map's slots are unset; afterwards lookups never come here.
        if name not in _LOADED:
            raise AttributeError(name)
        try:
            load = object.__getattribute__(self, "_load")
        except AttributeError:
            raise AttributeError(name) from None
        starts, values = load()
        RangeMap.__init__(self, starts, values)
        return object.__getattribute__(self, name)

    def __getitem__(self, cp: int) -> T:
        return self._values[bisect_right(self._starts, cp) - 1]

    @property
    def values(self) -> Sequence[T]:
        return self._values

    def ranges(self, keep: Callable[[T], bool]) -> list[tuple[int, int]]:
        """Inclusive (first, last) ranges of the code points whose value satisfies ``keep``."""
        out: list[tuple[int, int]] = []
        ends = [*self._starts[1:], 0x110000]
        for start, end, value in zip(self._starts, ends, self._values, strict=True):
            if keep(value):
                if out and out[-1][1] == start - 1:
                    out[-1] = (out[-1][0], end - 1)
                else:
                    out.append((start, end - 1))
        return out


def _numbers(hex_text: str, size: int) -> array[int]:
    """Fixed-width big-endian unsigned numbers of ``size`` bytes from their hex digits, run together."""
    code = next(c for c in ("B", "H", "I", "L") if array(c).itemsize == size)
    numbers = array(code, bytes.fromhex(hex_text))
    if size > 1 and sys.byteorder == "little":
        numbers.byteswap()
    return numbers


def unpack(starts_hex: str, index_hex: str, distinct: Sequence[T]) -> tuple[tuple[int, ...], tuple[T, ...]]:
    """``(starts, values)`` of a range map as ``tools/gen_tables.py`` packs it (``range_map_source``)."""
    starts = tuple(_numbers(starts_hex, 4))
    if len(index_hex) != len(starts) * 2 and len(index_hex) != len(starts) * 4:
        raise ValueError(f"a packed range map of {len(starts)} ranges has {len(index_hex)} index digits")
    index = _numbers(index_hex, 1 if len(index_hex) == len(starts) * 2 else 2)
    return starts, tuple(map(distinct.__getitem__, index))


def unpack_attribute(namespace: dict[str, Any], name: str) -> tuple[Any, ...]:
    """``NAME_STARTS`` or ``NAME_VALUES`` of a generated module, decoded from its packed columns and kept."""
    table, _, column = name.rpartition("_")
    if column not in ("STARTS", "VALUES") or f"{table}_STARTS_HEX" not in namespace:
        raise AttributeError(f"module {namespace.get('__name__')!r} has no attribute {name!r}")
    packed = (namespace[f"{table}_STARTS_HEX"], namespace[f"{table}_INDEX_HEX"], namespace[f"{table}_DISTINCT"])
    starts, values = unpack(*packed)
    namespace[f"{table}_STARTS"], namespace[f"{table}_VALUES"] = starts, values
    return starts if column == "STARTS" else values


def char_class(ranges: Sequence[tuple[int, int]]) -> str:
    """A regular-expression character class body for inclusive code point ranges."""
    parts = []
    for first, last in ranges:
        if first == last:
            parts.append(re.escape(chr(first)))
        else:
            parts.append(f"{re.escape(chr(first))}-{re.escape(chr(last))}")
    return "".join(parts)


def ranges_where(keep: Callable[[int], bool], *maps: RangeMap[Any]) -> list[tuple[int, int]]:
    """Inclusive ranges where ``keep(cp)`` holds, for a predicate constant on each range of ``maps``."""
    bounds = sorted({s for m in maps for s in m._starts})
    out: list[tuple[int, int]] = []
    for start, end in zip(bounds, [*bounds[1:], 0x110000], strict=True):
        if keep(start):
            if out and out[-1][1] == start - 1:
                out[-1] = (out[-1][0], end - 1)
            else:
                out.append((start, end - 1))
    return out
