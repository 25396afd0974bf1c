"""The permuted labels of RFC 7940 §8.2, walked lazily: each distinct label once, by its canonical spelling,
with prefixes cut as soon as every label extending them is known to be "invalid".

The walk is a depth-first search over one choice per element, in order: the element itself (or its
reflexive mapping) first, then its variants in document order.  It therefore meets the combinations in
lexicographic order, and the first combination to spell a label is its *canonical spelling*, the one
whose variant types and contexts decide the label's disposition.  Choices of one element that differ in
length (null variants, sequences) let several combinations spell one label; a combination prefix that
reaches element i having spelled the same text as an earlier one is cut, because every completion of it
spells a label the earlier prefix spells with a smaller combination.  Without that cut duplicates cost
exponential time; with it every prefix visited spells a distinct (element, text) pair.

A prefix whose *text* matches a leading "invalid" rule is cut: every label starting so is invalid.  A
prefix dead by its *spelling* (a fatal variant type, a context decided false) is cut when every
spelling of every label extending it passes the same (element, text) pair (always so when every
element's choices are distinct and of one length; otherwise read off the automaton's paths over the
prefix's text).  Where another route exists, a label it spells canonically could come again by a later, live
spelling, so the dead subtree is walked without yielding, to record its (element, text) pairs, until
no other route remains over its text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from ._automaton import Chain
from ._nomix import ALIVE, DEAD_BY_SPELLING, DEAD_BY_TEXT, MixGuard, PairSets

# One choice for one element of a label: (code points, its variant types, from a variant mapping?).  Types are
# a set because an element kept as it is takes the type of every reflexive mapping whose context holds.
Option = tuple[tuple[int, ...], frozenset[str], bool]

#: Default work budget of ``Lgr.variants``: combination prefixes visited (each choice tried for an element
#: counts one).  Every prefix visited either leads to a label produced or is cut at once, except where a
#: context or whole-label rule can only be decided on the whole label (unbounded look-ahead); the budget
#: turns that exponential case into an LgrError instead of a hang.  Producing a million variants needs
#: about a million visits.
MAX_VISITED = 2_000_000


class BudgetExceededError(Exception):
    """The walk visited more combination prefixes than its budget allows."""

    def __init__(self, visited: int) -> None:
        super().__init__(visited)
        self.visited = visited


@dataclass(frozen=True, slots=True)
class ContextCheck:
    """A repertoire element's when/not-when (RFC 7940 §7.5): ``holds(text, position)``, decided by a prefix
    that extends more than ``reach`` code points past the element's start."""

    holds: Callable[[str, int], bool]
    reach: float


@dataclass(frozen=True, slots=True)
class InvalidRule:
    """A whole-label rule whose match makes a label "invalid" whatever else holds (an action in the
    leading run of "invalid" actions, with no other condition).

    ``starts_in(text, lo, hi)`` tells whether a match starts at a position in ``[lo, hi)``; one found in
    a prefix is genuine when the rule never looks past what it consumes (``blind``), or when the prefix
    extends more than ``reach`` code points past its start.  ``ends_in(text, lo, hi)`` tells whether a
    match ends at a position in ``[lo, hi]``: for a blind rule of unbounded reach ("X, anything, Y")
    only matches ending in the newly added code points are new.
    """

    starts_in: Callable[[str, int, int], bool]
    reach: float
    blind: bool
    ends_in: Callable[[str, int, int], bool]

    def decided(self, text: str, old_len: int) -> bool:
        """Does every label extending ``text`` match?  (The parent prefix, ``old_len`` long, did not.)"""
        if self.reach == math.inf:  # then blind (Lgr._pruning keeps no other unbounded rule)
            return self.ends_in(text, old_len + 1, len(text))
        # Matches starting before old_len - reach were decided by the parent prefix (and found absent).
        lo = max(0, old_len - int(self.reach))
        return self.starts_in(text, lo, len(text) + 1 if self.blind else len(text) - int(self.reach))


@dataclass(frozen=True, slots=True)
class Pruning:
    """What lets the walk cut a prefix: fatal variant types, element contexts, whole-label rules."""

    fatal_types: frozenset[str]
    contexts: Mapping[tuple[int, ...], ContextCheck]
    rules: tuple[InvalidRule, ...]
    no_mix: PairSets | None = None  # "X before Y" pairs of leading "invalid" rules (see _nomix)


class Walk:
    """Iterate (label, canonical combination) over the distinct permuted labels except ``u`` itself.

    ``pruning`` (None: none) cuts prefixes whose every completion is "invalid"; ``visited`` counts the
    combination prefixes tried, and past ``max_visited`` (None: no bound) BudgetExceededError is raised.
    """

    def __init__(
        self,
        u: str,
        options: list[list[Option]],
        dedup: bool,
        pruning: Pruning | None,
        max_visited: int | None,
    ) -> None:
        self.u = u
        self.options = options
        self.dedup = dedup
        self.pruning = pruning
        self.max_visited = max_visited
        self.visited = 0
        n = len(options)
        self.chunks = [["".join(map(chr, o[0])) for o in opts] for opts in options]
        # The prefix's text at each element boundary: extending a string copies it, but in C, so a walk
        # down a 255-code-point label costs far less than building each prefix from code points.
        self.texts = [""] * (n + 1)
        self.combo: list[Option] = []
        self.ids = [0] * (n + 1)  # text of the prefix at each boundary, as a node of ``trie``
        self.trie: dict[tuple[int, int], int] = {}
        self.seen: set[tuple[int, int]] = set()
        # With two spellings possible: the automaton's subset after each prefix's text, which tells
        # whether every spelling of a label extending it passes this very boundary after this text.
        # Only a cut by spelling (a choice of a fatal type or with a context) needs it; it costs a
        # subset per step.
        chunks = [[o[0] for o in opts] for opts in options]
        self.mix = MixGuard(chunks, pruning.no_mix) if pruning is not None and pruning.no_mix else None
        by_spelling = pruning is not None and (
            bool(self.mix)
            or any(
                not o[1].isdisjoint(pruning.fatal_types) or o[0] in pruning.contexts for opts in options for o in opts
            )
        )
        self.chain = Chain(chunks) if dedup and by_spelling else None
        empty: frozenset[tuple[int, int, int]] = frozenset()
        self.subsets = [empty] * (n + 1)  # after each prefix's text
        self.reached = [empty] * (n + 1)  # the same before closure: the states its last code point reached
        if self.chain is not None:
            self.reached[0] = frozenset({(0, -1, 0)})
            self.subsets[0] = self.chain.start()
        # Depth from which the current prefix is dead but still walked (see _enter); n + 1: none.
        self.ghost = n + 1
        # Context checks of chosen elements not yet decided, at each boundary: (element start, check).
        self.pending: list[tuple[tuple[int, ContextCheck], ...]] = [()] * (n + 1)

    def __iter__(self) -> Iterator[tuple[str, list[Option]]]:
        n = len(self.options)
        nxt = [0] * n  # next choice to try at each element
        i = 0
        while i >= 0:
            if i == n:
                text = self.texts[n]
                # The label itself (or another spelling of it) is no variant of itself; nor is a dead one.
                if text != self.u and self.ghost > n:
                    yield text, list(self.combo)
                i -= 1
                continue
            k = nxt[i]
            if k == len(self.options[i]):
                nxt[i] = 0
                i -= 1
                continue
            nxt[i] = k + 1
            if self._enter(i, k):
                i += 1

    def _enter(self, i: int, k: int) -> bool:
        """Choose option k for element i; False when the prefix is cut (a duplicate or dead)."""
        self.visited += 1
        if self.max_visited is not None and self.visited > self.max_visited:
            raise BudgetExceededError(self.visited)
        if self.ghost > i:
            self.ghost = len(self.options) + 1  # a sibling of the dead prefix, or above it: alive again
        opt = self.options[i][k]
        del self.combo[i:]
        self.combo.append(opt)
        self.texts[i + 1] = self.texts[i] + self.chunks[i][k]
        if self.dedup and not self._fresh(i, opt[0]):
            return False
        if self.chain is not None:
            subset, reached = self.subsets[i], self.reached[i]
            for c in opt[0]:
                reached = frozenset(self.chain.read(subset, c))
                subset = self.chain.closure(set(reached))
            self.subsets[i + 1], self.reached[i + 1] = subset, reached
        if self.pruning is None:
            return True
        mixed = self.mix.step(i, k) if self.mix else ALIVE
        if mixed == DEAD_BY_TEXT or self._text_dead(i, self.pruning):
            return False  # every label starting with this text is invalid, whichever its spelling
        if self.ghost <= i:
            # Dead already: walked only while another route may still spell its labels.
            return not self._only_way(i)
        if mixed == DEAD_BY_SPELLING or self._spelling_dead(i, opt, self.pruning):
            if self._only_way(i):
                return False
            # Labels spelled here may have other, later spellings that are not dead.  They are not
            # canonical (this prefix is smaller), so this subtree is walked without yielding, only to
            # record its (element, text) pairs: the later spellings are then cut as duplicates.
            self.ghost = i + 1
        return True

    def _only_way(self, i: int) -> bool:
        """Does every spelling of every label extending this prefix read its text exactly up to element
        i + 1?  Then all of them meet this (element, text) pair, the first one here is dead, and the
        others are cut as duplicates: the subtree can be cut."""
        if not self.dedup:
            return True  # no label has two spellings
        assert self.chain is not None  # built whenever a cut by spelling is possible
        # The automaton's paths over this text that do not stand before element i + 1 at its end.
        return not self.chain.closure_without(self.reached[i + 1], (i + 1, -1, 0))

    def _fresh(self, i: int, cps: tuple[int, ...]) -> bool:
        # The trie gives each text one id whichever combination spelled it, so (boundary, id) identifies
        # the prefix's future: only the first (smallest) combination reaching it goes on.
        tid = self.ids[i]
        for c in cps:
            tid = self.trie.setdefault((tid, c), len(self.trie) + 1)
        key = (i + 1, tid)
        if key in self.seen:
            return False
        self.seen.add(key)
        self.ids[i + 1] = tid
        return True

    def _text_dead(self, i: int, pruning: Pruning) -> bool:
        """Does a leading "invalid" action's whole-label rule match in the prefix?  Then every label
        starting with this text is invalid, however it is spelled."""
        text = self.texts[i + 1]
        start = len(self.texts[i])
        return len(text) > start and any(r.decided(text, start) for r in pruning.rules)

    def _spelling_dead(self, i: int, opt: Option, pruning: Pruning) -> bool:
        """Does this spelling make every extension invalid: a fatal variant type, or an element's context
        decided false by the prefix?"""
        if not opt[1].isdisjoint(pruning.fatal_types):
            return True
        text = self.texts[i + 1]
        start, end = len(self.texts[i]), len(text)
        pending = self.pending[i]
        check = pruning.contexts.get(opt[0])
        if check is not None and check.reach < math.inf:
            pending = (*pending, (start, check))
        keep: list[tuple[int, ContextCheck]] = []
        for pos, c in pending:
            if end <= pos + c.reach:
                keep.append((pos, c))  # the prefix does not reach far enough to decide it yet
            elif not c.holds(text, pos):
                return True
        self.pending[i + 1] = tuple(keep)
        return False
