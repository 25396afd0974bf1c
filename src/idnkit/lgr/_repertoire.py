"""The repertoire of a compiled LGR: its elements by code points and by first code point (RFC 7940 §8.1
greedy longest match), and what compilation derives from them in one pass.

Two forms behind one interface.  :func:`scan` builds it from a parsed document's ``Char`` objects.
:class:`Packed` is the same thing read back from the on-disk cache (``_cache``): the derived values are
plain data, and each element is decoded from its own record the first time a label reaches it, so a
cache hit of rz5/chinese (19,765 elements) builds none of them until it evaluates a label.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from . import _classes
from ._model import Char


class Repertoire:
    """What ``Lgr`` needs of the repertoire.

    ``chars``: the first definition of each element (a later one is in ``duplicates``), in document
    order.  ``index``: first code point -> elements starting with it, longest first.  ``tags``: each
    tag's code points (RFC 7940 §5.5, for ``from-tag`` classes).  ``context_refs``: (rule, line) of the
    first when/not-when naming each rule, in document order (the first undefined one is the error).
    ``simple``: single code points that are whole elements, start no sequence and carry no context
    and no reflexive variant (the fast path of ``validate``).  ``in_sequences``: code points that are
    part of a sequence element.  ``conditional``: the single-code-point elements with a context.
    ``anchor_width``: the longest element, the most an ``<anchor/>`` may stand for.
    """

    __slots__ = (
        "anchor_width",
        "chars",
        "conditional",
        "context_refs",
        "duplicates",
        "has_conditional",
        "in_sequences",
        "index",
        "simple",
        "tags",
    )

    def __init__(
        self,
        chars: Mapping[tuple[int, ...], Char],
        index: Any,  # dict[int, list[Char]] or _LazyIndex: only .get(cp) is used
        duplicates: Sequence[Char],
        tags: dict[str, _classes.Ranges],
        context_refs: Sequence[tuple[str, int]],
        simple: frozenset[str],
        in_sequences: frozenset[int],
        has_conditional: bool,
        conditional: Sequence[tuple[int, ...]],
        anchor_width: int,
    ) -> None:
        self.chars = chars
        self.index = index
        self.duplicates = list(duplicates)
        self.tags = tags
        self.context_refs = tuple(context_refs)
        self.simple = simple
        self.in_sequences = in_sequences
        self.has_conditional = has_conditional
        self.conditional = tuple(conditional)
        self.anchor_width = anchor_width


def scan(chars: Sequence[Char]) -> Repertoire:
    """One pass over a document's elements (tens of thousands in a CJK table: most of a fresh compile
    after the parse) gathering everything the checks and the fast paths of ``Lgr`` need."""
    by_first: dict[tuple[int, ...], Char] = {}
    duplicates: list[Char] = []
    index: dict[int, list[Char]] = {}
    tags: dict[str, list[int]] = {}
    context_refs: dict[str, int] = {}  # rule -> line of its first mention, in document order
    maybe_simple: list[int] = []
    in_sequences: set[int] = set()
    conditional_singles: list[tuple[int, ...]] = []
    has_conditional = False
    for ch in chars:
        cps = ch.cps
        if cps in by_first:
            duplicates.append(ch)
            continue
        by_first[cps] = ch
        first = cps[0]
        same_first = index.get(first)
        if same_first is None:
            index[first] = [ch]
        else:
            same_first.append(ch)
        single = len(cps) == 1
        if single:
            for t in ch.tags:  # Tags (§5.5) become classes usable with from-tag.
                tags.setdefault(t, []).append(first)
        else:
            in_sequences.update(cps)
        conditional = False
        if ch.when is not None:
            conditional = True
            context_refs.setdefault(ch.when, ch.line)
        if ch.not_when is not None:
            conditional = True
            context_refs.setdefault(ch.not_when, ch.line)
        has_conditional |= conditional
        if conditional and single:
            conditional_singles.append(cps)
        reflexive = False
        for v in ch.variants:
            if v.cps == cps:
                reflexive = True
            if v.when is not None:
                context_refs.setdefault(v.when, ch.line)
            if v.not_when is not None:
                context_refs.setdefault(v.not_when, ch.line)
        if single and not conditional and not reflexive:
            maybe_simple.append(first)
    # Indexed by first code point, longest element first (greedy longest match, §8.1).
    for lst in index.values():
        if len(lst) > 1:
            lst.sort(key=lambda c: -len(c.cps))
    return Repertoire(
        by_first,
        index,
        duplicates,
        {t: _classes.from_cps(v) for t, v in tags.items()},
        tuple(context_refs.items()),
        frozenset(chr(cp) for cp in maybe_simple if len(index[cp]) == 1),
        frozenset(in_sequences),
        has_conditional,
        conditional_singles,
        max(map(len, by_first), default=1),
    )


class Packed:
    """The elements of a cache entry, decoded one by one on first use and kept.

    ``decode(i)`` builds element ``i`` of the document (document order).  ``firsts`` lists the first
    code points in increasing order; the elements starting with ``firsts[g]`` are document positions
    ``members[starts[g]:starts[g + 1]]``, longest first, as :func:`scan` orders them.
    """

    def __init__(
        self,
        n: int,
        decode: Callable[[int], Char],
        firsts: Sequence[int],
        starts: Sequence[int],
        members: Sequence[int],
    ) -> None:
        self._n = n
        self._decode = decode
        self._memo: list[Char | None] = [None] * n
        self._firsts, self._starts, self._members = firsts, starts, members

    def char(self, i: int) -> Char:
        ch = self._memo[i]
        if ch is None:
            ch = self._memo[i] = self._decode(i)
        return ch

    def group(self, cp: int) -> list[Char] | None:
        firsts = self._firsts
        g = bisect_left(firsts, cp)
        if g == len(firsts) or firsts[g] != cp:
            return None
        return [self.char(i) for i in self._members[self._starts[g] : self._starts[g + 1]]]

    def all_chars(self) -> tuple[Char, ...]:
        """Every element in document order (duplicates included): the document's ``chars``."""
        return tuple(self.char(i) for i in range(self._n))

    def unique_positions(self) -> list[int]:
        return sorted(self._members)


class LazyIndex:
    """First code point -> elements starting with it (``dict.get`` of :func:`scan`'s index), decoded on demand."""

    __slots__ = ("_memo", "_packed")

    def __init__(self, packed: Packed) -> None:
        self._packed = packed
        self._memo: dict[int, list[Char] | None] = {}

    def get(self, cp: int, default: list[Char] | None = None) -> list[Char] | None:
        try:
            got = self._memo[cp]
        except KeyError:
            got = self._memo[cp] = self._packed.group(cp)
        return default if got is None else got


class LazyChars(Mapping[tuple[int, ...], Char]):
    """Element code points -> its first definition, as :func:`scan`'s ``chars``, decoded on demand.

    Lookups decode only the elements sharing the first code point; iterating decodes them all.
    """

    def __init__(self, packed: Packed, index: LazyIndex) -> None:
        self._packed = packed
        self._index = index

    def __getitem__(self, cps: tuple[int, ...]) -> Char:
        try:
            group = self._index.get(cps[0])
        except (TypeError, IndexError):  # not a non-empty tuple of code points: not an element
            group = None
        for ch in group or ():
            if ch.cps == cps:
                return ch
        raise KeyError(cps)

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        packed = self._packed
        return iter([packed.char(i).cps for i in packed.unique_positions()])

    def __len__(self) -> int:
        return len(self._packed._members)
