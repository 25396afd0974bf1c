"""The position-set rule matcher (src/idnkit/lgr/_match.py) against the backtracking engine it replaced.

On random small rules (every RFC 7940 §6.3 element, counts, look-around, anchors, by-ref) and labels
over a three-letter alphabet, each entry point of CompiledRule answers as ``regex`` running the rule's
old spelling does (tests/lgr/_regex_oracle.py).
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from idnkit.lgr import LgrParseError
from idnkit.lgr._classes import evaluate
from idnkit.lgr._model import ClassNode, RuleNode
from idnkit.lgr._rules import CompiledRule, RuleCompiler

from . import _regex_oracle as oracle

pytestmark = pytest.mark.property

A, B, C = 0x61, 0x62, 0x63
# Counts past a label's length (9 > 7 + 1) exercise the matcher's clamp at n + 1 repetitions.
COUNTS = [None, None, None, "0", "1", "2", "0:1", "1:2", "0:3", "0+", "1+", "2+", "9", "8:9", "9+"]


def _resolve(node: ClassNode) -> tuple[tuple[int, int], ...]:
    return evaluate(node, {}, lambda tag: (), "t")


counts = st.sampled_from(COUNTS)
leaves = st.one_of(
    st.builds(lambda k, c: RuleNode(k, count=c), st.sampled_from(["start", "end", "any", "anchor"]), counts),
    st.builds(
        lambda cps, c: RuleNode("char", cps=tuple(cps), count=c),
        st.lists(st.sampled_from([A, B, C]), min_size=1, max_size=2),
        counts,
    ),
    st.builds(
        lambda cps, c: RuleNode("class", cls=ClassNode("set", ranges=tuple((x, x) for x in cps)), count=c),
        st.sets(st.sampled_from([A, B, C]), max_size=2),
        counts,
    ),
)


def _extend(children: st.SearchStrategy[RuleNode]) -> st.SearchStrategy[RuleNode]:
    seqs = st.lists(children, min_size=1, max_size=3).map(tuple)
    return st.one_of(
        st.builds(lambda kids, c: RuleNode("choice", children=kids, count=c), seqs, counts),
        st.builds(lambda kids: RuleNode("look-ahead", children=kids), seqs),
        st.builds(lambda kids: RuleNode("look-behind", children=kids), seqs),
        st.builds(lambda kids, c: RuleNode("rule", children=kids, count=c), seqs, counts),
        st.builds(lambda c: RuleNode("rule", ref="helper", count=c), counts),
    )


elements = st.recursive(leaves, _extend, max_leaves=6)
labels = st.lists(st.text(alphabet="abc", max_size=7), min_size=1, max_size=5)


def _compile(helper: tuple[RuleNode, ...], body: tuple[RuleNode, ...]) -> tuple[CompiledRule, dict[str, str], bool]:
    compiler = RuleCompiler("t", {}, _resolve, anchor_width=2)
    try:
        compiler.add(RuleNode("rule", "helper", children=helper))
        compiler.add(RuleNode("rule", "main", children=body))
    except LgrParseError:
        assume(False)  # nested unbounded counts: refused, as they always were
    c = compiler.compiled["main"]
    rule = CompiledRule("main", c.text, c.node, c.anchor, compiler.shapes["main"][1], empty=not body)
    return rule, {}, c.anchor


@settings(max_examples=600)
@given(st.lists(leaves, max_size=2).map(tuple), st.lists(elements, min_size=1, max_size=3).map(tuple), labels)
def test_matcher_agrees_with_backtracking(
    helper: tuple[RuleNode, ...], body: tuple[RuleNode, ...], texts: list[str]
) -> None:
    rule, _, has_anchor = _compile(helper, body)

    def spelled(anchor: str | None) -> str:
        return oracle.spell(body, anchor, {"helper": oracle.spell(helper, anchor, {}, _resolve)}, _resolve)

    plain = oracle.compile_rule(spelled(None))
    for text in texts:
        n = len(text)
        whole = plain.match(text) if has_anchor else plain.search(text)
        assert rule.matches(text) == (whole is not None), (spelled(None), text)
        for anchor in ("", "a", "ab", "b"):
            pattern = oracle.compile_rule(spelled(anchor or None))
            for i in range(n + 1):
                expected = pattern.match(text, i) if has_anchor else pattern.search(text)
                assert rule.at(text, i, tuple(map(ord, anchor))) == (expected is not None), (
                    spelled(anchor),
                    text,
                    i,
                )
        if has_anchor:
            continue
        for lo in range(n + 1):
            for hi in range(lo, n + 2):
                starts = any(plain.match(text, p) for p in range(lo, hi))
                assert rule.starts_in(text, lo, hi) == starts, (spelled(None), text, lo, hi)
        source = spelled(None)
        ends = [oracle.ends_at(source, e).search(text) is not None for e in range(n + 1)]
        for lo in range(n + 1):
            for hi in range(lo, n + 1):
                assert rule.ends_in(text, lo, hi) == any(ends[lo : hi + 1]), (source, text, lo, hi)
