"""RFC 7940 §6.3 rules compiled to ``regex`` patterns once per LGR, with a guard against bad backtracking."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import regex

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
    """The largest repetition a (validated) §6.3.2 count allows: "n" -> n, "n:m" -> m, "n+" -> infinity."""
    if count is None:
        return 1
    c = count.strip()
    if c.endswith("+"):
        return math.inf
    return int(c.split(":")[-1])


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


def _count(count: str | None, source: str, line: int) -> tuple[str, bool]:
    """RFC 7940 §6.3.2: "n", "n+" or "n:m" → a quantifier and whether it is unbounded."""
    if count is None:
        return "", False
    c = count.strip()
    try:
        if c.endswith("+"):
            return f"{{{int(c[:-1])},}}", True
        if ":" in c:
            lo, hi = (int(x) for x in c.split(":"))
            if lo > hi:
                raise ValueError
            return f"{{{lo},{hi}}}", False
        return f"{{{int(c)}}}", False
    except ValueError:
        raise LgrParseError(f"bad count {count!r} (RFC 7940 §6.3.2)", source, line) from None


class RuleCompiler:
    """Turns rule trees into pattern text; rules may only reference rules defined earlier."""

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
        self.patterns: dict[str, tuple[str, bool]] = {}  # name -> (pattern, has unbounded repetition)
        self._current = ""

    def add(self, rule: RuleNode) -> None:
        assert rule.name is not None
        if rule.name in self.patterns:
            raise LgrParseError(f"rule {rule.name!r} defined twice (RFC 7940 §6.3.4)", self.source, rule.line)
        self._current = rule.name
        self.patterns[rule.name] = self._seq(rule.children)
        self.shapes[rule.name] = seq_shape(rule.children, self.anchor_width, self.shapes)
        self.sees_ahead[rule.name] = sees_ahead(rule.children, self.sees_ahead)

    def _seq(self, nodes: tuple[RuleNode, ...]) -> tuple[str, bool]:
        parts = [self._node(n) for n in nodes]
        return "".join(p for p, _ in parts), any(u for _, u in parts)

    def _node(self, n: RuleNode) -> tuple[str, bool]:
        quant, unbounded = _count(n.count, self.source, n.line)
        kind = n.kind
        inner_unbounded = False
        if kind == "start":
            pat = r"\A"
        elif kind == "end":
            pat = r"\Z"
        elif kind == "anchor":
            pat = ANCHOR
        elif kind == "any":
            pat = "."
        elif kind == "char":
            pat = "".join(_cp(c) for c in n.cps)
            pat = f"(?:{pat})" if len(n.cps) > 1 and quant else pat
        elif kind == "class":
            assert n.cls is not None
            pat = class_pattern(self.resolve_class(n.cls))
        elif kind == "choice":
            alts = [self._node(c) for c in n.children]
            pat = "(?:" + "|".join(p for p, _ in alts) + ")"
            inner_unbounded = any(u for _, u in alts)
        elif kind in ("look-ahead", "look-behind"):
            body, inner_unbounded = self._seq(n.children)
            pat = f"(?={body})" if kind == "look-ahead" else f"(?<={body})"
        elif kind == "rule":
            if n.ref is not None:
                if n.ref not in self.patterns:
                    raise LgrParseError(
                        f"rule by-ref={n.ref!r} names no rule defined before it (RFC 7940 §6.3.4)", self.source, n.line
                    )
                body, inner_unbounded = self.patterns[n.ref]
            else:
                body, inner_unbounded = self._seq(n.children)
            pat = f"(?:{body})"
        else:  # pragma: no cover - the parser produces only the kinds above
            raise LgrParseError(f"unknown rule element {kind}", self.source, n.line)
        if quant:
            if unbounded and inner_unbounded:
                # Nested unbounded repetition ((a+)+) can backtrack exponentially; a verdict must never
                # depend on time, so such a rule is refused when the LGR loads (issue §2).
                raise LgrParseError(
                    f"rule {self._current!r} nests unbounded counts (could backtrack exponentially); refused",
                    self.source,
                    n.line,
                )
            pat = f"(?:{pat}){quant}"
        return pat, unbounded or inner_unbounded


class CompiledRule:
    """A named rule ready to match: whole-label (search anywhere) or as a context at an anchor position."""

    __slots__ = ("_by_anchor", "_find", "has_anchor", "name", "pattern", "plain", "reach", "sees_ahead")

    def __init__(self, name: str, pattern: str, reach: float = math.inf, sees_ahead: bool = True) -> None:
        self.name = name
        self.pattern = pattern
        # False when a match never depends on text after what it consumes: a match in a prefix is then
        # a match in every label extending it.
        self.sees_ahead = sees_ahead
        # How far past the position a match starts at the pattern may look (code points, an upper bound;
        # infinity when unbounded): a label prefix that extends beyond start + reach decides the match.
        self.reach = reach
        self.has_anchor = ANCHOR in pattern
        self.plain = regex.compile(pattern, regex.DOTALL | regex.V0) if pattern and not self.has_anchor else None
        self._by_anchor: dict[tuple[int, ...], regex.Pattern[str]] = {}
        # A rule that begins with <start/> can only match at 0: match there instead of searching.
        self._find = None
        if self.plain is not None:
            self._find = self.plain.match if pattern.startswith(r"\A") else self.plain.search

    def matches(self, label: str) -> bool:
        """RFC 7940 §6.3: a rule matches a label if its pattern is found anywhere (empty rules never match)."""
        if self.plain is None:
            if not self.pattern:
                return False
            return self.at(label, 0, ())
        assert self._find is not None
        return self._find(label) is not None

    def at(self, label: str, index: int, anchor: tuple[int, ...]) -> bool:
        """As a when/not-when context of the element ``anchor`` starting at ``index`` (RFC 7940 §6.4)."""
        if not self.pattern:
            return False
        if not self.has_anchor:
            assert self._find is not None
            return self._find(label) is not None
        compiled = self._by_anchor.get(anchor)
        if compiled is None:
            literal = "(?:" + "".join(_cp(c) for c in anchor) + ")" if anchor else "(?!)"
            compiled = regex.compile(self.pattern.replace(ANCHOR, literal), regex.DOTALL | regex.V0)
            self._by_anchor[anchor] = compiled
        # The anchor is the element at ``index``: the match must start there, look-behind sees the prefix.
        return compiled.match(label, index) is not None
