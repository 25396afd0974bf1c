"""RFC 7940 §6.3 rules matched without backtracking: sets of label positions as bit masks.

A rule is a regular expression over code points with look-around (§6.3.3-6.3.7).  A backtracking
engine (``regex``, ``re``) tries one way through the alternatives at a time, so alternatives that
overlap under a count (``(a|a)+b``, a class and a char it contains) cost exponential time on a label
that does not match: 6.8 s at 20 code points, minutes at 25 (issue 21).  Here every element of a rule
maps a *set* of positions to the set of positions it can reach, all ways at once, so a label is read
once per element per repetition, whatever the rule's shape:

- a set of positions ``0..n`` of an ``n``-code-point label is an ``int`` (bit ``p`` = position ``p``);
- ``fwd(S)``: the positions where a match of the element can end when it starts in ``S``;
  ``bwd(S)``: the positions where a match can start to end in ``S`` (look-ahead, look-behind and
  "where does a match start" use it);
- a sequence composes, a choice takes the union, a count iterates until no new position is reached
  (a count over ``n + 1`` repetitions reaches nothing new: positions never decrease, so past ``n``
  repetitions every path repeats an empty step);
- a look-ahead keeps the positions where its body matches forward, a look-behind those where its
  body matches ending there (§6.3.7).

The work of one evaluation is bounded by the rule's *cost* (``cost``): primitive steps, each
repetition counted ``min(count, 256)`` times (MAX_LABEL + 1 positions).  :data:`MAX_RULE_COST` bounds it
when the LGR loads, so that no document can make one evaluation expensive.  Which rules match is the
same as with a backtracking engine (tests/lgr/test_rule_matcher.py holds the two together on random
rules and labels).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from ._classes import Ranges

#: Positions a label of idnkit's longest (255 code points, MAX_LABEL) has, plus one: a count past this
#: reaches no new position, so it is what a repetition costs at most.
REPEAT_BOUND = 256

#: The largest cost (primitive steps of one evaluation, each repetition counted up to REPEAT_BOUND
#: times) of a rule idnkit compiles.  The costliest rule of a shipped table costs 1,029 (rz5 Latin's
#: ``\A(class+|class+|class+|class+)\Z``); a rule nesting two unbounded counts costs 66,049.
MAX_RULE_COST = 16_384

#: Depth of the compiled element tree, by-ref rules included: evaluation recurses once per level.
MAX_DEPTH = 160

_FEW = 8  # up to this many positions, an element tests them one by one instead of building a mask


class Eval:
    """One label under evaluation: its text, the anchor's code points, masks computed so far."""

    __slots__ = ("all", "anchor", "cache", "chars", "n", "text")

    def __init__(self, text: str, anchor: str | None = None) -> None:
        self.text = text
        self.n = n = len(text)
        self.chars = (1 << n) - 1  # positions holding a code point: 0..n-1
        self.all = (1 << (n + 1)) - 1  # every position: 0..n
        self.anchor = anchor  # None: the rule is not evaluated as a context; no anchor matches
        self.cache: dict[int, int] = {}


def _bits(s: int) -> list[int]:
    out = []
    while s:
        low = s & -s
        out.append(low.bit_length() - 1)
        s ^= low
    return out


class Node:
    """A compiled rule element: ``fwd``/``bwd`` on position sets, and its cost and depth."""

    __slots__ = ("cost", "depth", "empty_class", "required")

    def __init__(
        self, cost: int, depth: int, empty_class: bool = False, required: frozenset[str] = frozenset()
    ) -> None:
        self.cost = cost
        self.depth = depth
        self.empty_class = empty_class  # holds a class with no code point somewhere (a lint warning)
        # Literals every label it matches in holds (a quick refusal: ``str.__contains__`` is C-fast).
        self.required = required

    def fwd(self, ev: Eval, s: int) -> int:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def bwd(self, ev: Eval, s: int) -> int:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


class Start(Node):
    """§6.3.3 ``<start/>``: position 0 only."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(1, 1)

    def fwd(self, ev: Eval, s: int) -> int:
        return s & 1

    bwd = fwd


class End(Node):
    """§6.3.3 ``<end/>``: the last position only."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(1, 1)

    def fwd(self, ev: Eval, s: int) -> int:
        return s & (1 << ev.n)

    bwd = fwd


class AnyCp(Node):
    """§6.3.5 ``<any/>``: one code point, whichever."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(1, 1)

    def fwd(self, ev: Eval, s: int) -> int:
        return (s & ev.chars) << 1

    def bwd(self, ev: Eval, s: int) -> int:
        return s >> 1


class Literal(Node):
    """§6.3.5 ``<char cp="..."/>``: a code point or a sequence of them, literally."""

    __slots__ = ("k", "literal")

    def __init__(self, cps: Sequence[int]) -> None:
        literal = "".join(map(chr, cps))
        super().__init__(1, 1, required=frozenset((literal,)) if literal else frozenset())
        self.literal = literal
        self.k = len(literal)

    def _at(self, ev: Eval, literal: str, s: int) -> int:
        """The positions of ``s`` where ``literal`` starts."""
        if not s & (s - 1):  # one position (or none)
            return s if s and ev.text.startswith(literal, s.bit_length() - 1) else 0
        mask = ev.cache.get(id(self))  # an anchor's literal is the same for the whole evaluation
        if mask is None:
            # str.find skips in C to each occurrence: a code point absent from the label costs one call.
            text = ev.text
            mask, p = 0, text.find(literal)
            while p >= 0:
                mask |= 1 << p
                p = text.find(literal, p + 1)
            ev.cache[id(self)] = mask
        return s & mask

    def fwd(self, ev: Eval, s: int) -> int:
        return self._at(ev, self.literal, s) << self.k if self.k else s

    def bwd(self, ev: Eval, s: int) -> int:
        return self._at(ev, self.literal, s >> self.k) if self.k else s


class Anchor(Literal):
    """§6.4 ``<anchor/>``: the code points of the element whose context is evaluated."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(())

    def fwd(self, ev: Eval, s: int) -> int:
        a = ev.anchor
        if not a:
            return 0
        return self._at(ev, a, s) << len(a)

    def bwd(self, ev: Eval, s: int) -> int:
        a = ev.anchor
        if not a:
            return 0
        return self._at(ev, a, s >> len(a))


class Never(Node):
    """An element no label matches (an empty class, a rule with no content)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(1, 1, empty_class=True)

    def fwd(self, ev: Eval, s: int) -> int:
        return 0

    bwd = fwd


class _Memo(dict[int, str]):
    """Code point → "1" (a member) or "0", filled as code points are met: ``str.translate`` then maps a
    whole label to its membership bits in C.  Bounded: past 65,536 entries it stops remembering."""

    __slots__ = ("has",)

    def __init__(self, has: Callable[[int], bool]) -> None:
        super().__init__()
        self.has = has

    def __missing__(self, cp: int) -> str:
        bit = "1" if self.has(cp) else "0"
        if len(self) < 65_536:
            self[cp] = bit
        return bit


class CpClass(Node):
    """§6.3.5 ``<class/>`` (and set operations, §6.2.6): one code point of a set."""

    __slots__ = ("_memo", "_starts", "ranges")

    def __init__(self, ranges: Ranges) -> None:
        super().__init__(1, 1)
        self.ranges = ranges
        self._starts = [a for a, _ in ranges]
        self._memo = _Memo(self.has)

    def has(self, cp: int) -> bool:
        i = bisect.bisect_right(self._starts, cp) - 1
        return i >= 0 and cp <= self.ranges[i][1]

    def _members(self, ev: Eval, s: int) -> int:
        """The positions of ``s`` holding a member (``s`` within 0..n-1)."""
        if not s & (s - 1):  # one position (or none)
            return s if s and self._memo[ord(ev.text[s.bit_length() - 1])] == "1" else 0
        mask = ev.cache.get(id(self))
        if mask is None:
            mask = ev.cache[id(self)] = int(ev.text.translate(self._memo)[::-1] or "0", 2)
        return s & mask

    def fwd(self, ev: Eval, s: int) -> int:
        return self._members(ev, s & ev.chars) << 1

    def bwd(self, ev: Eval, s: int) -> int:
        return self._members(ev, s >> 1)


def _all_of(items: Sequence[Node]) -> frozenset[str]:
    out = frozenset().union(*(i.required for i in items))
    return out if len(out) <= 8 else frozenset(sorted(out)[:8])


def _common(items: Sequence[Node]) -> frozenset[str]:
    return frozenset.intersection(*(i.required for i in items)) if items else frozenset()


class Seq(Node):
    """§6.3.4 a rule's content: its elements one after another."""

    __slots__ = ("items",)

    def __init__(self, items: Sequence[Node]) -> None:
        super().__init__(
            sum(i.cost for i in items) or 1,
            1 + max((i.depth for i in items), default=0),
            any(i.empty_class for i in items),
            _all_of(items),
        )
        self.items = tuple(items)

    def fwd(self, ev: Eval, s: int) -> int:
        for item in self.items:
            s = item.fwd(ev, s)
            if not s:
                return 0
        return s

    def bwd(self, ev: Eval, s: int) -> int:
        for item in reversed(self.items):
            s = item.bwd(ev, s)
            if not s:
                return 0
        return s


class Choice(Node):
    """§6.3.6 ``<choice>``: any one of its elements."""

    __slots__ = ("items",)

    def __init__(self, items: Sequence[Node]) -> None:
        super().__init__(
            sum(i.cost for i in items) or 1,
            1 + max((i.depth for i in items), default=0),
            any(i.empty_class for i in items),
            _common(items),
        )
        self.items = tuple(items)

    def fwd(self, ev: Eval, s: int) -> int:
        out = 0
        for item in self.items:
            out |= item.fwd(ev, s)
        return out

    def bwd(self, ev: Eval, s: int) -> int:
        out = 0
        for item in self.items:
            out |= item.bwd(ev, s)
        return out


class Repeat(Node):
    """§6.3.2 ``count``: ``lo`` to ``hi`` (None: unbounded) repetitions of an element."""

    __slots__ = ("hi", "item", "lo")

    def __init__(self, item: Node, lo: int, hi: int | None) -> None:
        steps = min(lo, REPEAT_BOUND) + (REPEAT_BOUND if hi is None else min(hi - lo, REPEAT_BOUND))
        required = item.required if lo > 0 else frozenset()
        super().__init__(max(1, steps) * item.cost, item.depth + 1, item.empty_class, required)
        self.item, self.lo, self.hi = item, lo, hi

    def _run(self, ev: Eval, s: int, step: Callable[[Eval, int], int]) -> int:
        # Exactly ``lo`` steps first; past n + 1 steps the reachable set no longer changes.
        for _ in range(min(self.lo, ev.n + 1)):
            s = step(ev, s)
            if not s:
                return 0
        reached = frontier = s
        more = ev.n + 1 if self.hi is None else min(self.hi - self.lo, ev.n + 1)
        # Then up to ``hi - lo`` more, only from the positions reached for the first time (the
        # element distributes over unions, so the others reach nothing new).
        for _ in range(more):
            frontier = step(ev, frontier) & ~reached
            if not frontier:
                break
            reached |= frontier
        return reached

    def fwd(self, ev: Eval, s: int) -> int:
        return self._run(ev, s, self.item.fwd)

    def bwd(self, ev: Eval, s: int) -> int:
        return self._run(ev, s, self.item.bwd)


class LookAhead(Node):
    """§6.3.7 ``<look-ahead>``: positions where its content matches, reading forward; consumes nothing."""

    __slots__ = ("body",)

    def __init__(self, body: Node) -> None:
        # What the body needs stands in the label too, if not in what the rule consumes.
        super().__init__(body.cost + 1, body.depth + 1, body.empty_class, body.required)
        self.body = body

    def fwd(self, ev: Eval, s: int) -> int:
        if s.bit_count() <= _FEW:
            body = self.body
            return sum(1 << p for p in _bits(s) if body.fwd(ev, 1 << p))
        mask = ev.cache.get(id(self))
        if mask is None:
            mask = ev.cache[id(self)] = self.body.bwd(ev, ev.all)
        return s & mask

    bwd = fwd


class LookBehind(Node):
    """§6.3.7 ``<look-behind>``: positions where a match of its content ends; consumes nothing."""

    __slots__ = ("body",)

    def __init__(self, body: Node) -> None:
        # What the body needs stands in the label too, if not in what the rule consumes.
        super().__init__(body.cost + 1, body.depth + 1, body.empty_class, body.required)
        self.body = body

    def fwd(self, ev: Eval, s: int) -> int:
        if s.bit_count() <= _FEW:
            body = self.body
            return sum(1 << p for p in _bits(s) if body.bwd(ev, 1 << p))
        mask = ev.cache.get(id(self))
        if mask is None:
            mask = ev.cache[id(self)] = self.body.fwd(ev, ev.all)
        return s & mask

    bwd = fwd
