""" "No X before Y" rules, decided before a permuted label is complete.

The Root Zone LGRs forbid mixing two sets of code points in one label with rules of one shape: a choice
of ``<class X/><any count="0+"/><class Y/>`` alternatives (Hangul and Hanja, Arabic kaf and keheh,
Myanmar and Mon ...).  Such a rule matches a label exactly when a code point of X stands somewhere before
one of Y.  When it leads the "invalid" actions, a permuted label is invalid as soon as its chosen prefix
*plus the elements still to come whose every choice holds X (or Y)* guarantees that order.  Checking the
prefix text alone finds the match only when the walk reaches the later code point, after it has visited
every combination of the elements in between: exponential for a Han label with one Hangul syllable at
its end.  Knowing which later elements are fixed cuts the walk at its first step.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._classes import Ranges, normalize
from ._model import RuleNode

Pair = tuple[Ranges, Ranges]

ALIVE, DEAD_BY_SPELLING, DEAD_BY_TEXT = 0, 1, 2


def no_mix_pairs(
    node: RuleNode, rules: Mapping[str, RuleNode], resolve: Callable[[Any], Ranges], depth: int = 0
) -> list[Pair] | None:
    """The (X, Y) pairs of a rule of the shape above (a choice of such alternatives, by-ref allowed), or
    None when the rule has another shape."""
    if depth > 16 or node.kind != "rule" or node.count is not None:
        return None
    if node.ref is not None:
        target = rules.get(node.ref)
        return None if target is None else no_mix_pairs(target, rules, resolve, depth + 1)
    kids = node.children
    if len(kids) == 1 and kids[0].kind == "choice" and kids[0].count is None:
        out: list[Pair] = []
        for alt in kids[0].children:
            pairs = no_mix_pairs(alt, rules, resolve, depth + 1)
            if pairs is None:
                return None
            out += pairs
        return out
    if len(kids) == 3 and kids[1].kind == "any" and kids[1].count == "0+":
        x, y = _one(kids[0], resolve), _one(kids[2], resolve)
        if x is not None and y is not None:
            return [(x, y)]
    return None


def _one(node: RuleNode, resolve: Callable[[Any], Ranges]) -> Ranges | None:
    """The code points a node matches when it matches exactly one code point; None otherwise."""
    if node.count not in (None, "1"):
        return None
    if node.kind == "class" and node.cls is not None:
        return resolve(node.cls)
    if node.kind == "char" and len(node.cps) == 1:
        return ((node.cps[0], node.cps[0]),)
    return None


class PairSets:
    """An LGR's no-mix pairs, with each code point's membership as two bit masks (pair p: bit p), cached
    across labels: a label meets most pairs with none of its code points, and finding that must be cheap."""

    def __init__(self, pairs: Sequence[Pair]) -> None:
        self.pairs = tuple(pairs)
        self._masks: dict[int, tuple[int, int]] = {}
        # Sorted range starts and ends per side, for a binary search (a Han class has thousands of ranges).
        self._sides = [tuple(_searchable(side) for side in pair) for pair in self.pairs]

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def masks(self, cp: int) -> tuple[int, int]:
        m = self._masks.get(cp)
        if m is None:
            xm = sum(1 << p for p, (xs, _) in enumerate(self._sides) if _holds(xs, cp))
            ym = sum(1 << p for p, (_, ys) in enumerate(self._sides) if _holds(ys, cp))
            m = self._masks[cp] = (xm, ym)
        return m


def _searchable(ranges: Ranges) -> tuple[list[int], list[int]]:
    ordered = sorted(normalize(ranges))
    return [lo for lo, _ in ordered], [hi for _, hi in ordered]


def _holds(side: tuple[list[int], list[int]], cp: int) -> bool:
    starts, ends = side
    k = bisect.bisect_right(starts, cp) - 1
    return k >= 0 and cp <= ends[k]


class MixGuard:
    """For one label's choices: does a combination prefix force an X-before-Y order in every completion?

    ``step(i, k)`` records choice k for element i (after elements 0..i-1) and answers for the new prefix.
    """

    def __init__(self, chunks: Sequence[Sequence[tuple[int, ...]]], sets: PairSets) -> None:
        n = len(chunks)
        self.hits: list[tuple[list[list[bool]], list[list[bool]], list[list[bool]], list[float], list[int]]] = []
        masks = {c: sets.masks(c) for opts in chunks for ch in opts for c in ch}
        any_x = any_y = 0
        for xm, ym in masks.values():
            any_x |= xm
            any_y |= ym
        relevant = any_x & any_y  # pairs this label's choices can meet on both sides
        for p in range(len(sets.pairs)) if relevant else ():
            if not relevant >> p & 1:
                continue
            in_x = {c for c, (xm, _) in masks.items() if xm >> p & 1}
            in_y = {c for c, (_, ym) in masks.items() if ym >> p & 1}
            hx = [[not in_x.isdisjoint(ch) for ch in opts] for opts in chunks]
            hy = [[not in_y.isdisjoint(ch) for ch in opts] for opts in chunks]
            # A choice that holds an X before a Y within itself (a sequence) matches on its own.
            inner = [[_ordered(ch, in_x, in_y) for ch in opts] for opts in chunks]
            # The first later element whose every choice holds X, the last whose every choice holds Y.
            next_x: list[float] = [float("inf")] * (n + 1)
            last_y = [-1] * (n + 1)
            for i in range(n - 1, -1, -1):
                next_x[i] = i if hx[i] and all(hx[i]) else next_x[i + 1]
                last_y[i] = last_y[i + 1] if last_y[i + 1] >= 0 else (i if hy[i] and all(hy[i]) else -1)
            self.hits.append((hx, hy, inner, next_x, last_y))
        # Per boundary and pair: the first element of the prefix holding X, the last holding Y.
        self.first_x: list[tuple[float, ...]] = [(float("inf"),) * len(self.hits)] * (n + 1)
        self.last_y: list[tuple[int, ...]] = [(-1,) * len(self.hits)] * (n + 1)

    def __bool__(self) -> bool:
        return bool(self.hits)

    def step(self, i: int, k: int) -> int:
        """ALIVE, DEAD_BY_TEXT (the prefix's text holds an X before a Y: every label starting with it is
        invalid) or DEAD_BY_SPELLING (so do this combination's later elements, whatever their choice)."""
        firsts, lasts, dead = [], [], ALIVE
        for p, (hx, hy, inner, next_x, last_y) in enumerate(self.hits):
            fx = self.first_x[i][p]
            if fx == float("inf") and hx[i][k]:
                fx = i
            ly = i if hy[i][k] else self.last_y[i][p]
            firsts.append(fx)
            lasts.append(ly)
            if fx < ly or inner[i][k]:
                dead = DEAD_BY_TEXT
            elif dead == ALIVE and min(fx, next_x[i + 1]) < max(ly, last_y[i + 1]):
                dead = DEAD_BY_SPELLING
        self.first_x[i + 1], self.last_y[i + 1] = tuple(firsts), tuple(lasts)
        return dead


def _ordered(chunk: tuple[int, ...], xs: set[int], ys: set[int]) -> bool:
    """Does the chunk hold a code point of xs before one of ys?"""
    seen_x = False
    for c in chunk:
        if seen_x and c in ys:
            return True
        seen_x = seen_x or c in xs
    return False
