"""The distinct labels spelled by per-element choices, counted without enumerating them.

A label's variants (RFC 7940 §8.2) are the concatenations of one choice per element.  When the choices of
an element differ in length (null variants, sequences), several combinations can spell one label, so the
number of labels is not the product of the choice counts.  The choices form a chain automaton whose
states are "before element i" (a boundary) and "inside choice k of element i after j code points"; it
reads the label code point by code point and accepts at the last boundary.  Determinising it lazily
(subset construction over the states reachable after reading one prefix) gives an automaton in which
every string has exactly one path, so counting distinct strings is counting paths: a dynamic programme
over (prefix, subset state), each subset state visited once whatever the number of strings reaching it.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from ._errors import LgrError

#: Subset states a count may build before it is refused.  Shipped tables need a handful per position;
#: the hostile chains measured (every element nullable, "a" or "aa" at every element, "x"|"xy" then
#: "yc"|"c") build at most two per code point, 511 for a 255-code-point label.  A subset holds the
#: states alive after one prefix: a run of r elements that may vanish or change length keeps up to r of
#: them, so such a run costs r² steps (50 ms for r = 255), never more.  Past the bound LgrError is
#: raised rather than a guessed value.
MAX_SUBSET_STATES = 200_000

# A state of the chain automaton: (element, choice, offset); a boundary "before element i" is (i, -1, 0).
_State = tuple[int, int, int]
Choices = Sequence[Sequence[tuple[int, ...]]]


def uniquely_decodable(choices: Choices) -> bool:
    """True when each element's choices are distinct and of one length: then distinct combinations spell
    distinct labels, and the count is a product."""
    return all(len({len(c) for c in opts}) == 1 and len(set(opts)) == len(opts) for opts in choices)


class Chain:
    """The chain automaton of one label's choices, with the lazy subset construction over it."""

    def __init__(self, choices: Choices) -> None:
        self.choices = choices
        self.n = len(choices)
        self.nullable = [any(not c for c in opts) for opts in choices]

    def closure(self, states: set[_State]) -> frozenset[_State]:
        # A null choice lets the automaton pass an element without reading anything.
        todo = [s for s in states if s[1] < 0]
        while todo:
            i = todo.pop()[0]
            if i < self.n and self.nullable[i]:
                nxt = (i + 1, -1, 0)
                if nxt not in states:
                    states.add(nxt)
                    todo.append(nxt)
        return frozenset(states)

    def start(self) -> frozenset[_State]:
        return self.closure({(0, -1, 0)})

    def accepts(self, subset: frozenset[_State]) -> bool:
        return (self.n, -1, 0) in subset

    def moves(self, subset: frozenset[_State]) -> dict[int, set[_State]]:
        """Successor states (before closure) of ``subset``, by the code point read."""
        out: dict[int, set[_State]] = {}
        for i, k, j in subset:
            if k < 0:
                if i == self.n:
                    continue
                for k2, cps in enumerate(self.choices[i]):
                    if cps:
                        out.setdefault(cps[0], set()).add(self._after(i, k2, 1))
            else:
                out.setdefault(self.choices[i][k][j], set()).add(self._after(i, k, j + 1))
        return out

    def read(self, subset: frozenset[_State], c: int) -> set[_State]:
        """The states reached by reading the code point c, before closure (empty when none reads it)."""
        return self.moves(subset).get(c, set())

    def closure_without(self, states: frozenset[_State], banned: _State) -> set[_State]:
        """The closure of ``states`` by paths that never stand at ``banned``."""
        out = {s for s in states if s != banned}
        todo = [s for s in out if s[1] < 0]
        while todo:
            i = todo.pop()[0]
            nxt = (i + 1, -1, 0)
            if i < self.n and self.nullable[i] and nxt != banned and nxt not in out:
                out.add(nxt)
                todo.append(nxt)
        return out

    def _after(self, i: int, k: int, j: int) -> _State:
        return (i + 1, -1, 0) if j == len(self.choices[i][k]) else (i, k, j)


def _key(subset: frozenset[_State]) -> tuple[int, int]:
    # Every move reads a code point and so strictly increases the least (element, offset) of a subset:
    # processing subsets in order of this key visits each after all of its predecessors.
    return min((i, j) for i, _, j in subset)


def count_distinct(choices: Choices, label: str = "", limit: int = MAX_SUBSET_STATES) -> int:
    """Number of distinct strings spelled by one choice per element (big int, exact).

    Raises LgrError naming ``label`` when more than ``limit`` subset states would be needed.
    """
    chain = Chain(choices)
    start = chain.start()
    ways: dict[frozenset[_State], int] = {start: 1}
    heap: list[tuple[tuple[int, int], int, frozenset[_State]]] = [(_key(start), 0, start)]
    serial = 1
    total = 0
    while heap:
        _, _, subset = heapq.heappop(heap)
        n = ways.pop(subset)
        if chain.accepts(subset):
            total += n
        for states in chain.moves(subset).values():
            nxt = chain.closure(states)
            if nxt in ways:
                ways[nxt] += n
                continue
            serial += 1
            if serial > limit:
                raise LgrError(
                    f"counting the variants of {label!r} needs more than {limit} automaton states "
                    "(idnkit's bound); refused rather than guessed"
                )
            ways[nxt] = n
            heapq.heappush(heap, (_key(nxt), serial, nxt))
    return total
