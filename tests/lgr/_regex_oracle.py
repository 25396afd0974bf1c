"""The rule engine idnkit used before issue 21, kept as a test oracle: RFC 7940 rules as ``regex`` text.

Every element is spelled inline (by-ref rules copied in), then ``regex`` backtracks over it.  That is
exponential on hostile shapes, which is why the library no longer runs it; on the small random rules
of tests/lgr/test_rule_matcher.py it is quick, and it says which labels a rule matches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import regex

from idnkit.lgr._classes import Ranges
from idnkit.lgr._model import RuleNode
from idnkit.lgr._rules import parse_count


def _cp(c: int) -> str:
    return f"\\U{c:08X}"


def _class(ranges: Ranges) -> str:
    if not ranges:
        return "(?!)"
    return "[" + "".join(_cp(a) if a == b else f"{_cp(a)}-{_cp(b)}" for a, b in ranges) + "]"


def spell(
    nodes: tuple[RuleNode, ...], anchor: str | None, rules: Mapping[str, str], resolve: Callable[..., Ranges]
) -> str:
    """``regex`` text of a rule's content; ``anchor`` the anchor's code points (None: no anchor matches)."""
    return "".join(_node(n, anchor, rules, resolve) for n in nodes)


def _node(n: RuleNode, anchor: str | None, rules: Mapping[str, str], resolve: Callable[..., Ranges]) -> str:
    kind = n.kind
    if kind == "start":
        pat = r"\A"
    elif kind == "end":
        pat = r"\Z"
    elif kind == "anchor":
        pat = "(?:" + "".join(_cp(ord(c)) for c in anchor) + ")" if anchor else "(?!)"
    elif kind == "any":
        pat = "."
    elif kind == "char":
        pat = "(?:" + "".join(_cp(c) for c in n.cps) + ")"
    elif kind == "class":
        pat = _class(resolve(n.cls))
    elif kind == "choice":
        pat = "(?:" + "|".join(_node(c, anchor, rules, resolve) for c in n.children) + ")"
    elif kind == "look-ahead":
        pat = f"(?={spell(n.children, anchor, rules, resolve)})"
    elif kind == "look-behind":
        pat = f"(?<={spell(n.children, anchor, rules, resolve)})"
    else:
        body = rules[n.ref] if n.ref is not None else spell(n.children, anchor, rules, resolve)
        pat = f"(?:{body})"
    if n.count is not None:
        lo, hi = parse_count(n.count)
        pat = f"(?:{pat}){{{lo},{'' if hi is None else hi}}}"
    return pat


def compile_rule(text: str) -> regex.Pattern[str]:
    return regex.compile(text, regex.DOTALL | regex.V0)


def ends_at(text: str, end: int) -> regex.Pattern[str]:
    """The rule, then "the position is ``end``": a match ending there, the whole label still in view."""
    return compile_rule(f"(?:{text})(?<=\\A.{{{end}}})")
