""""No X before Y" rules, decided before a permuted label is complete.

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

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._classes import Ranges, contains
from ._model import RuleNode

Pair = tuple[Ranges, Ranges]


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


class MixGuard:
    """For one label's choices: does a combination prefix force an X-before-Y order in every completion?

    ``step(i, k)`` records choice k for element i (after elements 0..i-1) and answers for the new prefix.
    """

    def __init__(self, chunks: Sequence[Sequence[tuple[int, ...]]], pairs: Sequence[Pair]) -> None:
        n = len(chunks)
        self.hits: list[tuple[list[list[bool]], list[list[bool]], list[float], list[int]]] = []
        points = {c for opts in chunks for ch in opts for c in ch}
        for xs, ys in pairs:
            in_x = {c for c in points if contains(xs, c)}
            in_y = {c for c in points if contains(ys, c)}
            if not in_x or not in_y:
                continue  # no choice of this label can hold X (or Y): the pair never matches here
            hx = [[not in_x.isdisjoint(ch) for ch in opts] for opts in chunks]
            hy = [[not in_y.isdisjoint(ch) for ch in opts] for opts in chunks]
            # The first later element whose every choice holds X, the last whose every choice holds Y.
            next_x: list[float] = [float("inf")] * (n + 1)
            last_y = [-1] * (n + 1)
            for i in range(n - 1, -1, -1):
                next_x[i] = i if hx[i] and all(hx[i]) else next_x[i + 1]
                last_y[i] = last_y[i + 1] if last_y[i + 1] >= 0 else (i if hy[i] and all(hy[i]) else -1)
            self.hits.append((hx, hy, next_x, last_y))
        # Per boundary and pair: the first element of the prefix holding X, the last holding Y.
        self.first_x: list[tuple[float, ...]] = [(float("inf"),) * len(self.hits)] * (n + 1)
        self.last_y: list[tuple[int, ...]] = [(-1,) * len(self.hits)] * (n + 1)

    def __bool__(self) -> bool:
        return bool(self.hits)

    def step(self, i: int, k: int) -> bool:
        firsts, lasts, dead = [], [], False
        for p, (hx, hy, next_x, last_y) in enumerate(self.hits):
            fx = self.first_x[i][p]
            if fx == float("inf") and hx[i][k]:
                fx = i
            ly = i if hy[i][k] else self.last_y[i][p]
            firsts.append(fx)
            lasts.append(ly)
            # Strictly before: an X and a Y inside one element's choice are left to the text check.
            if min(fx, next_x[i + 1]) < max(ly, last_y[i + 1]):
                dead = True
        self.first_x[i + 1], self.last_y[i + 1] = tuple(firsts), tuple(lasts)
        return dead
