"""Exact variant counts (and, below, lazy enumeration) where several combinations spell one label: null
variants and sequence variants of mixed lengths, checked against brute-force distinct enumeration."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit.lgr import Lgr, LgrError, _automaton

from ._variant_oracle import UNPRUNABLE_XML, canonical_permutations, table

# Short strings over a three-letter alphabet collide often, which is the case under test.
_chunk = st.lists(st.sampled_from([0x61, 0x62, 0x63]), max_size=3).map(tuple)
_choices = st.lists(st.lists(_chunk, min_size=1, max_size=4), max_size=6)


def _brute(choices: list[list[tuple[int, ...]]]) -> int:
    return len({tuple(c for part in combo for c in part) for combo in itertools.product(*choices)})


@settings(max_examples=400, deadline=None)
@given(_choices)
def test_count_distinct_equals_brute_force(choices: list[list[tuple[int, ...]]]) -> None:
    assert _automaton.count_distinct(choices) == _brute(choices)


@settings(max_examples=100, deadline=None)
@given(_choices)
def test_product_fast_path_only_when_uniquely_decodable(choices: list[list[tuple[int, ...]]]) -> None:
    if _automaton.uniquely_decodable(choices):
        product = 1
        for opts in choices:
            product *= len(opts)
        assert product == _brute(choices)


def test_state_bound_names_the_label() -> None:
    # Every element may vanish: after k code points the automaton may be before any element from k on.
    choices = [[(0x61,), ()] for _ in range(40)]
    assert _automaton.count_distinct(choices) == 41
    with pytest.raises(LgrError, match=r"'aaaa' needs more than 10 automaton states"):
        _automaton.count_distinct(choices, "aaaa", limit=10)


# --- small LGRs: null variants, sequence variants, reflexive and conditional mappings ------------------

_LETTERS = "abcd"
_TYPES = [None, "blocked", "allocatable", "r", "oor"]


def _cp(text: str) -> str:
    return " ".join(f"{ord(c):04X}" for c in text)


@st.composite
def small_lgrs(draw: st.DrawFn) -> tuple[str, list[str]]:
    """An LGR over a-d plus the sequence "ab", whose variants are strings of length 0-2 (some outside
    the repertoire, some reflexive, some conditional), and labels drawn from its elements.  Its leading
    "invalid" actions (a fatal type, rules seeing only what they consume, bounded or not, one looking at
    the end) and
    its element contexts (look-ahead, end) are what variant generation may prune on."""
    elements = [*_LETTERS, "ab"]
    conditional = draw(st.booleans())
    chars = []
    for el in elements:
        targets = draw(st.lists(st.text(alphabet=_LETTERS, max_size=2), max_size=3, unique=True))
        vars_ = []
        for t in targets:
            typ = draw(st.sampled_from(_TYPES))
            attr = f' type="{typ}"' if typ else ""
            if conditional and draw(st.booleans()):
                attr += draw(st.sampled_from([' when="at-end"', ' not-when="at-end"']))
            vars_.append(f'<var cp="{_cp(t)}"{attr}/>')
        when = ""
        if conditional and el in "cd":
            # Each rule both ways: a context decided too early would cut valid labels under one of them.
            # "d-later" looks ahead without bound: never decided by a prefix, so never pruned on.
            rule = draw(st.sampled_from(["before-d", "d-later"])) if el == "c" else "at-end"
            when = draw(st.sampled_from(["", f' when="{rule}"', f' not-when="{rule}"']))
        chars.append(f'<char cp="{_cp(el)}"{when}>{"".join(vars_)}</char>')
    rules = (
        '<rule name="at-end"><anchor/><end/></rule>'
        '<rule name="before-d"><anchor/><look-ahead><char cp="0064"/></look-ahead></rule>'
        '<rule name="d-later"><anchor/><look-ahead><any count="0+"/><char cp="0064"/></look-ahead></rule>'
        '<rule name="two-d"><char cp="0064"/><char cp="0064"/></rule>'
        '<rule name="c-last"><char cp="0063"/><end/></rule>'
        '<rule name="b-then-c"><char cp="0062"/><any count="0+"/><char cp="0063"/><char cp="0063"/></rule>'
        '<action disp="invalid" any-variant="oor"/><action disp="invalid" match="two-d"/>'
        '<action disp="invalid" match="c-last"/><action disp="invalid" match="b-then-c"/>'
        '<action disp="blocked" any-variant="blocked"/><action disp="allocatable" all-variants="allocatable"/>'
    )
    xml = (
        '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta>'
        f"<unicode-version>17.0.0</unicode-version></meta><data>{''.join(chars)}</data>"
        f"<rules>{rules}</rules></lgr>"
    )
    labels = draw(st.lists(st.lists(st.sampled_from(elements), min_size=1, max_size=5).map("".join), max_size=4))
    return xml, labels  # compiled by the test: building it inside the strategy confuses hypothesis


def _table(xml: str) -> Lgr:
    return table(xml)


def _distinct_permutations(table: Lgr, label: str) -> set[str]:
    u, elements = table._eligible(label)
    options = table._options(u, elements)
    return {"".join(chr(c) for o in combo for c in o[0]) for combo in itertools.product(*options)} - {u}


@settings(max_examples=150, deadline=None)
@given(small_lgrs())
def test_variant_count_is_the_number_of_distinct_permutations(case: tuple[str, list[str]]) -> None:
    table, labels = _table(case[0]), case[1]
    for label in labels:
        if not table.validate(label).eligible:
            with pytest.raises(LgrError):
                table.variant_count(label)
            continue
        assert table.variant_count(label) == len(_distinct_permutations(table, label))


@settings(max_examples=150, deadline=None)
@given(small_lgrs())
def test_variants_are_the_canonical_spellings_and_pruning_is_sound(case: tuple[str, list[str]]) -> None:
    table, labels = _table(case[0]), case[1]
    for label in labels:
        if not table.validate(label).eligible:
            continue
        expected = canonical_permutations(table, label)
        every = [(v.label, v.disposition, v.types) for v in table.variants(label, limit=None, include_invalid=True)]
        assert every == expected
        pruned = [(v.label, v.disposition, v.types) for v in table.variants(label, limit=None)]
        assert pruned == [e for e in expected if e[1] != "invalid"]
        assert [v.label for v in table.variants(label, limit=2)] == [e[0] for e in pruned[:2]]


def test_rule_shapes_bound_what_a_match_looks_at() -> None:
    rules = (
        '<rule name="end"><anchor/><end/></rule>'
        '<rule name="behind"><look-behind><char cp="0061" count="1+"/></look-behind><anchor/></rule>'
        '<rule name="ahead"><anchor/><look-ahead><char cp="0061"/><any count="2:3"/></look-ahead></rule>'
        '<rule name="later"><anchor/><look-ahead><any count="0+"/><char cp="0061"/></look-ahead></rule>'
        '<rule name="mix"><char cp="0061"/><any count="0+"/><char cp="0062"/></rule>'
        '<rule name="pair"><rule by-ref="mix"/><char cp="0061" count="2"/></rule>'
    )
    table = _table(
        '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta>'
        '<unicode-version>17.0.0</unicode-version></meta><data><char cp="0061"/><char cp="0062 0063"/></data>'
        f"<rules>{rules}</rules></lgr>"
    )
    # The anchor counts as the longest element (two code points here).
    reach = {name: r.reach for name, r in table.rules.items()}
    assert reach == {
        "end": 2,
        "behind": 2,
        "ahead": 6,
        "later": float("inf"),
        "mix": float("inf"),
        "pair": float("inf"),
    }
    blind = {name for name, r in table.rules.items() if not r.sees_ahead}
    assert blind == {"behind", "mix", "pair"}


def test_unprunable_walk_stops_at_its_budget() -> None:
    # 'c' is invalid before any later 'd' (an unbounded look-ahead, so no prefix decides it): every
    # permutation of "c" + "a" * 30 that turns an 'a' into 'd' is invalid, and none other exists.
    table = _table(UNPRUNABLE_XML)
    label = "c" + "a" * 30
    assert table.variant_count(label) == 2**30 - 1
    with pytest.raises(LgrError, match=r"5000 combination prefixes visited \(max_visited\), 0 variants produced"):
        list(table.variants(label, max_visited=5_000))
    assert list(table.variants("c" + "a" * 8, max_visited=None)) == []


def test_a_dead_canonical_spelling_is_not_replaced_by_a_later_live_one() -> None:
    # "dc": d -> "" (type oor, fatal) then c -> "a" spells "a" first; d -> "a" then c -> "" spells it
    # again, later.  The canonical (first) spelling is invalid, so "a" is not a variant: cutting the dead
    # prefix "d -> ''" must not let the later spelling through (found by hypothesis).
    table = _table(
        '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta>'
        "<unicode-version>17.0.0</unicode-version></meta><data>"
        '<char cp="0061"/><char cp="0063"><var cp=""/><var cp="0061"/></char>'
        '<char cp="0064"><var cp="" type="oor"/><var cp="0061"/></char></data>'
        '<rules><action disp="invalid" any-variant="oor"/></rules></lgr>'
    )
    every = {v.label: v.disposition for v in table.variants("dc", limit=None, include_invalid=True)}
    assert every["a"] == "invalid"
    assert [v.label for v in table.variants("dc", limit=None)] == ["d", "da", "ac", "aa"]
