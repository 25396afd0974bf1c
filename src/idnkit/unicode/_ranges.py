"""Range maps: the one lookup structure behind every generated Unicode table."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class RangeMap(Generic[T]):
    """Maps every code point to a value; ``starts`` are sorted range starts covering 0..10FFFF."""

    __slots__ = ("_starts", "_values")

    def __init__(self, starts: Sequence[int], values: Sequence[T]) -> None:
        if len(starts) != len(values) or not starts or starts[0] != 0:
            raise ValueError("a range map needs parallel starts/values beginning at U+0000")
        self._starts = starts
        self._values = values

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
