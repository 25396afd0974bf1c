"""RFC 7940 §6.3 rules compiled once per LGR to matchers that cannot backtrack (``_match``).

Counts are bounded when the LGR loads (RFC 7940 §6.3.2 syntax, at most MAX_COUNT), and so is the work
of one evaluation (``_match.MAX_RULE_COST``) and the depth of a rule with its references
(``_match.MAX_DEPTH``): every refusal is an LgrParseError naming the file and line.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping

from . import _match
from ._classes import Ranges
from ._errors import LgrParseError
from ._model import RuleNode

ANCHOR = "\x00ANCHOR\x00"


def _cp(c: int) -> str:
    # Code points as 8-digit escapes: exact, and safe inside and outside character classes.
    return f"\\U{c:08X}"


def class_pattern(ranges: Ranges) -> str:
    if not ranges:
        return "(?!)"
    body = "".join(_cp(a) if a == b else f"{_cp(a)}-{_cp(b)}" for a, b in ranges)
    return f"[{body}]"


def _max_count(count: str | None) -> float:
    """The largest repetition a §6.3.2 count allows: "n" -> n, "n:m" -> m, "n+" -> infinity."""
    try:
        hi = parse_count(count)[1]
    except LgrParseError:
        return math.inf  # refused when the rule compiles; unbounded is the safe guess meanwhile
    return math.inf if hi is None else hi


def _shape(n: RuleNode, anchor_width: int, shapes: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """(width, reach) of a rule element: the most code points it consumes, and how far past its start it
    may look (consumed or seen by a look-ahead).  ``anchor_width`` bounds the anchor element's length."""
    kind = n.kind
    if kind in ("start", "end"):
        width, reach = 0.0, 0.0
    elif kind == "look-behind":
        # It ends where it stands, so it looks back only, unless it holds a look-ahead that reaches past
        # what it consumes: that one sees text after the position, and how far is not bounded here.
        w, r = seq_shape(n.children, anchor_width, shapes)
        width, reach = 0.0, (math.inf if r > w else 0.0)
    elif kind == "anchor":
        width = reach = float(anchor_width)
    elif kind in ("any", "class"):
        width = reach = 1.0
    elif kind == "char":
        width = reach = float(len(n.cps))
    elif kind == "choice":
        alts = [_shape(c, anchor_width, shapes) for c in n.children]
        width, reach = max((w for w, _ in alts), default=0.0), max((r for _, r in alts), default=0.0)
    elif kind == "look-ahead":
        width, reach = 0.0, seq_shape(n.children, anchor_width, shapes)[1]
    elif n.ref is not None:  # a rule by reference (compiled before, so its shape is known)
        width, reach = shapes[n.ref]
    else:
        width, reach = seq_shape(n.children, anchor_width, shapes)
    times = _max_count(n.count)
    if times == 0:
        return 0.0, 0.0
    if width == 0:  # repeating what consumes nothing looks no further (and avoids 0 * infinity)
        return 0.0, reach
    # m repetitions: the last one starts at most (m - 1) widths in (0 * inf is no concern: times >= 1).
    return times * width, (times - 1) * width + reach


def seq_shape(
    nodes: tuple[RuleNode, ...], anchor_width: int, shapes: Mapping[str, tuple[float, float]]
) -> tuple[float, float]:
    """(width, reach) of a sequence of rule elements, as :func:`_shape`."""
    pos = reach = 0.0
    for n in nodes:
        w, r = _shape(n, anchor_width, shapes)
        reach = max(reach, pos + r)
        pos += w
    return pos, max(reach, pos)


def sees_ahead(nodes: tuple[RuleNode, ...], refs: Mapping[str, bool]) -> bool:
    """True if a match may depend on text after the code points it consumes (``end`` or a look-ahead).
    A rule that never does matches a label whenever it matches a prefix of it."""
    for n in nodes:
        if n.kind in ("end", "look-ahead") or (n.ref is not None and refs[n.ref]) or sees_ahead(n.children, refs):
            return True
    return False


_COUNT = re.compile(r"([0-9]{1,9})(?:(\+)|:([0-9]{1,9}))?")

#: The largest number a count (RFC 7940 §6.3.2) may name: idnkit's longest label (MAX_LABEL) has 255
#: code points, so no element repeats more often in a label it evaluates.
MAX_COUNT = 255


def parse_count(count: str | None, source: str = "", line: int = 0) -> tuple[int, int | None]:
    """RFC 7940 §6.3.2: ``"n"``, ``"n+"`` or ``"n:m"`` → (least, most or None for unbounded).

    Numbers are decimal digits only (no sign); ``n <= m``; neither over :data:`MAX_COUNT`.
    """
    if count is None:
        return 1, 1
    m = _COUNT.fullmatch(count.strip())
    if m is None:
        raise LgrParseError(f"bad count {count!r}: 'n', 'n+' or 'n:m' with n, m digits (RFC 7940 §6.3.2)", source, line)
    lo = int(m.group(1))
    hi = None if m.group(2) else int(m.group(3)) if m.group(3) is not None else lo
    if max(lo, hi or 0) > MAX_COUNT:
        raise LgrParseError(
            f"count {count!r} is over idnkit's bound of {MAX_COUNT} (no label it evaluates is longer)", source, line
        )
    if hi is not None and lo > hi:
        raise LgrParseError(f"bad count {count!r}: {lo} is more than {hi} (RFC 7940 §6.3.2)", source, line)
    return lo, hi


def _quantifier(lo: int, hi: int | None) -> str:
    return f"{{{lo},}}" if hi is None else f"{{{lo}}}" if lo == hi else f"{{{lo},{hi}}}"


_SHORT = 256  # a part of a rule's spelling longer than this is written as a digest of itself


def _short(text: str) -> str:
    """``text`` or, when long, a digest standing for it: spellings stay as long as the document."""
    if len(text) <= _SHORT:
        return text
    return "#" + hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class _Compiled:
    """A rule compiled so far: its spelling, its matcher, whether it holds an anchor or an unbounded count."""

    __slots__ = ("anchor", "node", "text", "unbounded")

    def __init__(self, text: str, node: _match.Node, unbounded: bool, anchor: bool) -> None:
        self.text, self.node, self.unbounded, self.anchor = text, node, unbounded, anchor


class RuleCompiler:
    """Turns rule trees into matchers (``_match``); rules may only reference rules defined earlier.

    Each rule also gets a *spelling* (``patterns``): regular-expression text that is equal for rules
    built alike, used to tell whether two LGRs' contexts are the same; long parts (a large class, a
    referenced rule) are written as digests, so spellings never grow past the document's size.
    """

    def __init__(
        self,
        source: str,
        classes: Mapping[str, Ranges],
        resolve_class: Callable[..., Ranges],
        anchor_width: int = 1,
    ) -> None:
        self.source = source
        self.anchor_width = anchor_width
        # name -> (width, reach): how far past a match's start each rule may look (variant pruning).
        self.shapes: dict[str, tuple[float, float]] = {}
        self.sees_ahead: dict[str, bool] = {}
        self.classes = classes
        self.resolve_class = resolve_class
        self.patterns: dict[str, tuple[str, bool]] = {}  # name -> (spelling, has unbounded repetition)
        self.compiled: dict[str, _Compiled] = {}
        self._class_nodes: dict[Ranges, _match.Node] = {}
        self._current = ""

    def add(self, rule: RuleNode) -> None:
        assert rule.name is not None
        if rule.name in self.compiled:
            raise LgrParseError(f"rule {rule.name!r} defined twice (RFC 7940 §6.3.4)", self.source, rule.line)
        self._current = rule.name
        compiled = self._seq(rule.children)
        if compiled.node.depth > _match.MAX_DEPTH:
            raise LgrParseError(
                f"rule {rule.name!r}: rule references nested too deeply to compile (over {_match.MAX_DEPTH} levels)",
                self.source,
                rule.line,
            )
        if compiled.node.cost > _match.MAX_RULE_COST:
            raise LgrParseError(
                f"rule {rule.name!r} costs {compiled.node.cost:,} steps per position set, over idnkit's bound of "
                f"{_match.MAX_RULE_COST:,} (counts nested in counts, or a rule referenced many times over)",
                self.source,
                rule.line,
            )
        self.compiled[rule.name] = compiled
        self.patterns[rule.name] = (compiled.text, compiled.unbounded)
        self.shapes[rule.name] = seq_shape(rule.children, self.anchor_width, self.shapes)
        self.sees_ahead[rule.name] = sees_ahead(rule.children, self.sees_ahead)

    def _seq(self, nodes: tuple[RuleNode, ...]) -> _Compiled:
        parts = [self._node(n) for n in nodes]
        return _Compiled(
            "".join(p.text for p in parts),
            parts[0].node if len(parts) == 1 else _match.Seq([p.node for p in parts]),
            any(p.unbounded for p in parts),
            any(p.anchor for p in parts),
        )

    def _class(self, ranges: Ranges) -> _match.Node:
        node = self._class_nodes.get(ranges)  # one matcher per distinct set: its masks are shared
        if node is None:
            node = self._class_nodes[ranges] = _match.CpClass(ranges) if ranges else _match.Never()
        return node

    def _node(self, n: RuleNode) -> _Compiled:
        lo, hi = parse_count(n.count, self.source, n.line)
        counted = n.count is not None
        kind = n.kind
        inner_unbounded = anchor = False
        node: _match.Node
        if kind == "start":
            pat, node = r"\A", _match.Start()
        elif kind == "end":
            pat, node = r"\Z", _match.End()
        elif kind == "anchor":
            pat, node, anchor = ANCHOR, _match.Anchor(), True
        elif kind == "any":
            pat, node = ".", _match.AnyCp()
        elif kind == "char":
            pat = "".join(_cp(c) for c in n.cps)
            pat = f"(?:{pat})" if len(n.cps) > 1 and counted else pat
            node = _match.Literal(n.cps)
        elif kind == "class":
            assert n.cls is not None
            ranges = self.resolve_class(n.cls)
            pat, node = _short(class_pattern(ranges)), self._class(ranges)
        elif kind == "choice":
            alts = [self._node(c) for c in n.children]
            pat = "(?:" + "|".join(a.text for a in alts) + ")"
            node = _match.Choice([a.node for a in alts]) if alts else _match.Seq([])  # "(?:)": empty matches
            inner_unbounded = any(a.unbounded for a in alts)
            anchor = any(a.anchor for a in alts)
        elif kind in ("look-ahead", "look-behind"):
            body = self._seq(n.children)
            inner_unbounded, anchor = body.unbounded, body.anchor
            if kind == "look-ahead":
                pat, node = f"(?={body.text})", _match.LookAhead(body.node)
            else:
                pat, node = f"(?<={body.text})", _match.LookBehind(body.node)
        elif kind == "rule":
            if n.ref is not None:
                target = self.compiled.get(n.ref)
                if target is None:
                    raise LgrParseError(
                        f"rule by-ref={n.ref!r} names no rule defined before it (RFC 7940 §6.3.4)", self.source, n.line
                    )
                body = target
            else:
                body = self._seq(n.children)
            inner_unbounded, anchor = body.unbounded, body.anchor
            pat, node = f"(?:{_short(body.text)})", body.node
        else:  # pragma: no cover - the parser produces only the kinds above
            raise LgrParseError(f"unknown rule element {kind}", self.source, n.line)
        if counted:
            if hi is None and inner_unbounded:
                # Nested unbounded repetition ((a+)+) gains nothing over one count and costs the square
                # of one; it was refused when rules ran on a backtracking engine, and still is.
                raise LgrParseError(
                    f"rule {self._current!r} nests unbounded counts (could backtrack exponentially); refused",
                    self.source,
                    n.line,
                )
            pat = f"(?:{pat}){_quantifier(lo, hi)}"
            node = _match.Repeat(node, lo, hi)
        return _Compiled(pat, node, hi is None or inner_unbounded, anchor)


class CompiledRule:
    """A named rule ready to match: whole-label (search anywhere) or as a context at an anchor position."""

    __slots__ = (
        "_anchors",
        "_at_start",
        "_required",
        "empty",
        "empty_class",
        "has_anchor",
        "name",
        "node",
        "pattern",
        "reach",
        "sees_ahead",
    )

    def __init__(
        self,
        name: str,
        pattern: str,
        node: _match.Node,
        has_anchor: bool,
        reach: float = math.inf,
        sees_ahead: bool = True,
        empty: bool = False,
    ) -> None:
        self.name = name
        self.pattern = pattern  # the spelling (RuleCompiler): equal for rules built alike; never run
        self.node = node
        self.has_anchor = has_anchor
        self.empty = empty  # a rule with no content never matches (RFC 7940 §6.3.4 gives it no match)
        self.empty_class = node.empty_class
        # False when a match never depends on text after what it consumes: a match in a prefix is then
        # a match in every label extending it.
        self.sees_ahead = sees_ahead
        # How far past the position a match starts at the pattern may look (code points, an upper bound;
        # infinity when unbounded): a label prefix that extends beyond start + reach decides the match.
        self.reach = reach
        self._anchors: dict[tuple[int, ...], str] = {}
        self._required = tuple(node.required)
        # A rule that begins with <start/> matches only from position 0.
        first = node.items[0] if isinstance(node, _match.Seq) and node.items else node
        self._at_start = isinstance(first, _match.Start)

    def _absent(self, label: str) -> bool:
        """Whether the label lacks a literal every match needs (then nothing more is read)."""
        return any(r not in label for r in self._required)

    def matches(self, label: str, ev: _match.Eval | None = None) -> bool:
        """RFC 7940 §6.3: a rule matches a label if it matches starting anywhere (empty rules never match).

        ``ev`` (an evaluation of ``label`` without an anchor) lets several rules share what they read.
        """
        if self.empty:
            return False
        if self.has_anchor:
            return self.at(label, 0, ())  # outside a context no anchor matches: only at 0 as before
        if self._absent(label):
            return False
        if ev is None:
            ev = _match.Eval(label)
        return self.node.fwd(ev, 1 if self._at_start else ev.all) != 0

    def at(self, label: str, index: int, anchor: tuple[int, ...]) -> bool:
        """As a when/not-when context of the element ``anchor`` starting at ``index`` (RFC 7940 §6.4)."""
        if self.empty:
            return False
        if not self.has_anchor:
            return self.matches(label)
        text = self._anchors.get(anchor)
        if text is None:
            text = "".join(map(chr, anchor))
            if len(self._anchors) < 4096:
                self._anchors[anchor] = text
        # The anchor is the element at ``index``: the match must start there, look-behind sees the prefix.
        return self.node.fwd(_match.Eval(label, text), 1 << index) != 0

    def starts_in(self, label: str, lo: int, hi: int) -> bool:
        """Whether a match starts at a position ``lo <= p < hi`` (a whole-label rule, no anchor)."""
        if self.empty or hi <= lo or (self._at_start and lo > 0) or self._absent(label):
            return False
        ev = _match.Eval(label)
        return self.node.fwd(ev, ev.all & ~((1 << lo) - 1) & ((1 << hi) - 1)) != 0

    def ends_in(self, label: str, lo: int, hi: int) -> bool:
        """Whether a match (starting anywhere) ends at a position ``lo <= p <= hi``."""
        if self.empty or hi < lo or self._absent(label):
            return False
        ev = _match.Eval(label)
        return (self.node.fwd(ev, ev.all) >> lo) & ((1 << (hi - lo + 1)) - 1) != 0
