"""Adversarial checks of variant generation and counting on generated small LGRs: null variants,
sequences of several lengths, reflexive mappings with fatal types, conditional variants, when/not-when on
elements, no-mix rules ("X, anything, Y" choices over classes and chars), actions in various orders.

The pruned walk (``variants``) and the exact count (``variant_count``) are compared with brute force:
``itertools.product`` over each element's options, de-duplicated by text, keeping the first spelling in
product order, with each label's disposition computed by the table's own action logic."""

from __future__ import annotations

import itertools

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idnkit.lgr import Lgr, _automaton, _nomix, _permute

from ._variant_oracle import canonical_permutations, table

_LETTERS = "abcde"
_ELEMENTS = [*_LETTERS, "ab", "bcd", "ea"]
_TYPES = [None, None, "blocked", "allocatable", "r", "oor", "inv"]
_CONTEXTS = ["at-end", "before-d", "d-later", "after-a", "at-start", "d-two-after", "not-last"]
_WHOLE = [
    "two-d",
    "c-last",
    "b-then-c",
    "mix-ce",
    "mix-by-ref",
    "mix-char",
    "e-start",
    "empty-rule",
    "lb-b-c",
    "st-a-c",
    "a-la-b",
    "d23",
    "a1p",
    "mix-tag",
    "mix-not",
    "a-second-last",
    "b-then-end",
]


def _cp(text: str) -> str:
    return " ".join(f"{ord(c):04X}" for c in text)


_RULES = (
    # contexts
    '<rule name="at-end"><anchor/><end/></rule>'
    '<rule name="at-start"><start/><anchor/></rule>'
    '<rule name="before-d"><anchor/><look-ahead><char cp="0064"/></look-ahead></rule>'
    '<rule name="d-later"><anchor/><look-ahead><any count="0+"/><char cp="0064"/></look-ahead></rule>'
    '<rule name="after-a"><look-behind><char cp="0061"/></look-behind><anchor/></rule>'
    # look-aheads nested in look-behinds see past the position
    '<rule name="d-two-after"><look-behind><look-ahead><any/><any/><char cp="0064"/></look-ahead>'
    "</look-behind><anchor/></rule>"
    '<rule name="not-last"><anchor/><look-ahead><any/></look-ahead></rule>'
    # whole-label rules
    '<rule name="two-d"><char cp="0064"/><char cp="0064"/></rule>'
    '<rule name="c-last"><char cp="0063"/><end/></rule>'
    '<rule name="e-start"><start/><char cp="0065"/></rule>'
    '<rule name="empty-rule"/>'
    '<rule name="b-then-c"><char cp="0062"/><any count="0+"/><char cp="0063"/><char cp="0063"/></rule>'
    '<rule name="a-second-last"><look-behind><look-ahead><char cp="0061"/><any/><end/></look-ahead>'
    "</look-behind><any/></rule>"
    '<rule name="b-then-end"><char cp="0062"/><look-ahead><any count="0:2"/><end/></look-ahead></rule>'
    # no-mix rules in the recognised choice form, with classes and chars
    '<rule name="mix-ce"><choice>'
    '<rule><class by-ref="bc"/><any count="0+"/><class by-ref="de"/></rule>'
    '<rule><char cp="0065"/><any count="0+"/><char cp="0061"/></rule>'
    "</choice></rule>"
    '<rule name="mix-char"><choice>'
    '<rule><char cp="0061"/><any count="0+"/><char cp="0063"/></rule>'
    "</choice></rule>"
    '<rule name="mix-by-ref"><rule by-ref="mix-ce"/></rule>'
    '<rule name="mix-tag"><choice>'
    '<rule><class from-tag="t"/><any count="0+"/><class by-ref="not-t"/></rule>'
    "</choice></rule>"
    '<rule name="mix-not"><choice>'
    '<rule><class by-ref="not-bc"/><any count="0+"/><char cp="0062"/></rule>'
    '<rule><char cp="0064"/><any count="0+"/><class by-ref="bc"/></rule>'
    "</choice></rule>"
    # other shapes: look-behind, start, look-ahead, bounded repeats, one or more of anything
    '<rule name="lb-b-c"><look-behind><char cp="0061"/></look-behind><char cp="0062"/><any count="0+"/>'
    '<char cp="0063"/></rule>'
    '<rule name="st-a-c"><start/><char cp="0061"/><any count="0+"/><char cp="0063"/></rule>'
    '<rule name="a-la-b"><char cp="0061"/><look-ahead><char cp="0062"/></look-ahead></rule>'
    '<rule name="d23"><char cp="0064" count="2:3"/></rule>'
    '<rule name="a1p"><char cp="0061"/><any count="1+"/><char cp="0065"/></rule>'
)
_CLASSES = (
    '<class name="bc">0062 0063</class><class name="de">0064 0065</class>'
    '<complement name="not-bc"><class by-ref="bc"/></complement>'
    '<complement name="not-t"><class from-tag="t"/></complement>'
)


@st.composite
def _action(draw: st.DrawFn) -> str:
    disp = draw(st.sampled_from(["invalid", "invalid", "invalid", "blocked", "allocatable", "valid"]))
    kind = draw(st.sampled_from(["match", "match", "not-match", "any-variant", "all-variants", "only-variants"]))
    if kind in ("match", "not-match"):
        cond = f' {kind}="{draw(st.sampled_from(_WHOLE))}"'
    else:
        types = draw(st.lists(st.sampled_from([t for t in _TYPES if t]), min_size=1, max_size=2, unique=True))
        cond = f' {kind}="{" ".join(types)}"'
        if draw(st.booleans()):
            cond += f' match="{draw(st.sampled_from(_WHOLE))}"'
    return f'<action disp="{disp}"{cond}/>'


@st.composite
def adversarial_lgrs(draw: st.DrawFn) -> tuple[str, list[str]]:
    chars = []
    for el in _ELEMENTS:
        targets = draw(st.lists(st.text(alphabet=_LETTERS, max_size=3), max_size=3))
        if draw(st.booleans()):
            targets.append(el)  # a reflexive mapping
        vars_ = []
        for t in targets:
            typ = draw(st.sampled_from(_TYPES))
            attr = f' type="{typ}"' if typ else ""
            if draw(st.integers(0, 3)) == 0:
                attr += f' {draw(st.sampled_from(["when", "not-when"]))}="{draw(st.sampled_from(_CONTEXTS))}"'
            vars_.append(f'<var cp="{_cp(t)}"{attr}/>')
        when = ""
        if draw(st.integers(0, 3)) == 0:
            when = f' {draw(st.sampled_from(["when", "not-when"]))}="{draw(st.sampled_from(_CONTEXTS))}"'
        if len(el) == 1 and draw(st.booleans()):
            when += ' tag="t"'
        chars.append(f'<char cp="{_cp(el)}"{when}>{"".join(vars_)}</char>')
    actions = "".join(draw(st.lists(_action(), max_size=5)))
    leading = draw(st.sampled_from(["", '<action disp="invalid" any-variant="oor"/>']))
    xml = (
        '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta>'
        f"<unicode-version>17.0.0</unicode-version></meta><data>{''.join(chars)}</data>"
        f"<rules>{_CLASSES}{_RULES}{leading}{actions}</rules></lgr>"
    )
    labels = draw(st.lists(st.lists(st.sampled_from(_ELEMENTS), min_size=1, max_size=6).map("".join), max_size=3))
    return xml, labels


def _table(xml: str) -> Lgr:
    return table(xml, "adversarial")


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(adversarial_lgrs())
def test_walk_and_count_equal_brute_force(case: tuple[str, list[str]]) -> None:
    table, labels = _table(case[0]), case[1]
    for label in labels:
        if not table.validate(label).eligible:
            continue
        expected = canonical_permutations(table, label)
        assert table.variant_count(label) == len(expected)
        every = [(v.label, v.disposition, v.types) for v in table.variants(label, limit=None, include_invalid=True)]
        assert every == expected
        pruned = [(v.label, v.disposition, v.types) for v in table.variants(label, limit=None)]
        assert pruned == [e for e in expected if e[1] != "invalid"]


# --- no-mix rules: elements whose every choice holds X or Y, null choices, X and Y inside one chunk ---------

_MIX_ELEMENTS = ["a", "b", "c", "d", "e", "bd", "db", "ca"]


@st.composite
def no_mix_lgrs(draw: st.DrawFn) -> tuple[str, list[str]]:
    chars = []
    for el in _MIX_ELEMENTS:
        pool = draw(st.sampled_from(["bc", "de", "a", "abcde"]))  # all-X, all-Y, neither, mixed choices
        targets = draw(st.lists(st.text(alphabet=pool, max_size=2), max_size=3))
        vars_ = []
        for t in targets:
            typ = draw(st.sampled_from([None, None, "oor", "blocked"]))
            attr = f' type="{typ}"' if typ else ""
            if draw(st.integers(0, 4)) == 0:
                attr += f' {draw(st.sampled_from(["when", "not-when"]))}="{draw(st.sampled_from(_CONTEXTS))}"'
            vars_.append(f'<var cp="{_cp(t)}"{attr}/>')
        when = ""
        if draw(st.integers(0, 5)) == 0:
            when = f' {draw(st.sampled_from(["when", "not-when"]))}="{draw(st.sampled_from(_CONTEXTS))}"'
        chars.append(f'<char cp="{_cp(el)}"{when}>{"".join(vars_)}</char>')
    lead = draw(
        st.lists(
            st.sampled_from(
                [
                    '<action disp="invalid" match="mix-ce"/>',
                    '<action disp="invalid" match="mix-not"/>',
                    '<action disp="invalid" match="mix-char"/>',
                    '<action disp="invalid" match="mix-by-ref"/>',
                    '<action disp="invalid" any-variant="oor"/>',
                    '<action disp="blocked" match="two-d"/>',
                    '<action disp="invalid" not-match="mix-char"/>',
                ]
            ),
            min_size=1,
            max_size=3,
        )
    )
    xml = (
        '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta>'
        f"<unicode-version>17.0.0</unicode-version></meta><data>{''.join(chars)}</data>"
        f"<rules>{_CLASSES}{_RULES}{''.join(lead)}</rules></lgr>"
    )
    labels = draw(
        st.lists(st.lists(st.sampled_from(_MIX_ELEMENTS), min_size=2, max_size=7).map("".join), min_size=1, max_size=2)
    )
    return xml, labels


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(no_mix_lgrs())
def test_no_mix_walk_equals_brute_force(case: tuple[str, list[str]]) -> None:
    table = _table(case[0])
    for label in case[1]:
        if not table.validate(label).eligible or table.variant_count(label) > 5_000:
            continue
        expected = canonical_permutations(table, label)
        pruned = [(v.label, v.disposition, v.types) for v in table.variants(label, limit=None, max_visited=None)]
        assert pruned == [e for e in expected if e[1] != "invalid"]
        assert [v.label for v in table.variants(label, limit=3)] == [e[0] for e in pruned[:3]]


# --- the walk alone, on arbitrary choices: fatal types and dead spellings sharing text with live ones -----

_chunk = st.lists(st.sampled_from([0x61, 0x62, 0x61, 0x62, 0x63]), max_size=3).map(tuple)
_option = st.tuples(
    _chunk,
    st.sampled_from([frozenset(), frozenset({"fatal"}), frozenset({"ok", "fatal"}), frozenset({"ok"})]),
    st.booleans(),
)
_options = st.lists(st.lists(_option, min_size=1, max_size=3), min_size=1, max_size=7)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(_options)
def test_walk_on_arbitrary_choices_equals_brute_force(options: list[list[_permute.Option]]) -> None:
    u = "".join(chr(c) for opts in options for c in opts[0][0])
    first: dict[str, list[_permute.Option]] = {}
    for combo in itertools.product(*options):
        text = "".join(chr(c) for o in combo for c in o[0])
        if text != u:
            first.setdefault(text, list(combo))
    choices = [[o[0] for o in opts] for opts in options]
    dedup = not _automaton.uniquely_decodable(choices)
    every = list(_permute.Walk(u, options, dedup, None, None))
    assert every == list(first.items())
    assert _automaton.count_distinct(choices) - 1 == len(first)
    # The pruned walk may still yield labels a prefix could not condemn (the caller computes each one's
    # disposition); it must yield every live label, by its canonical spelling, and keep their order.
    check = _permute.ContextCheck(lambda text, pos: text[pos + 1 : pos + 2] != "a", 1)  # no "a" after "b"
    pairs = _nomix.PairSets([(((0x63, 0x63),), ((0x62, 0x62),))])  # no "c" anywhere before a "b"

    def dead(text: str, combo: list[_permute.Option], contexts: bool, mix: bool) -> bool:
        pos = 0
        for o in combo:
            if "fatal" in o[1] or (contexts and o[0] == (0x62,) and not check.holds(text, pos)):
                return True
            pos += len(o[0])
        return mix and regex.search("c.*b", text) is not None

    for contexts, mix in [(False, False), (True, False), (False, True), (True, True)]:
        pruning = _permute.Pruning(
            frozenset({"fatal"}), {(0x62,): check} if contexts else {}, (), pairs if mix else None
        )
        live = [(t, c) for t, c in first.items() if not dead(t, c, contexts, mix)]
        walked = list(_permute.Walk(u, options, dedup, pruning, None))
        assert [(t, c) for t, c in walked if not dead(t, c, contexts, mix)] == live
        assert all(first[t] == c for t, c in walked)


def test_an_empty_or_overlong_permutation_is_no_variant_label() -> None:
    # Every element has a null variant: one permutation spells the empty label, which ``validate`` calls
    # invalid ("empty"); it was produced as a "valid" variant.  Likewise a sequence variant that takes a
    # label past MAX_LABEL (``validate``: invalid, "too-long").  Both still count (include_invalid).
    table = _table(
        '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta>'
        "<unicode-version>17.0.0</unicode-version></meta><data>"
        '<char cp="0061"><var cp=""/></char><char cp="0062"><var cp="0062 0062"/></char></data><rules/></lgr>'
    )
    assert table.validate("").disposition == "invalid"
    assert [(v.label, v.disposition) for v in table.variants("a", limit=None, include_invalid=True)] == [
        ("", "invalid")
    ]
    assert list(table.variants("a", limit=None)) == [] and table.variant_count("a") == 1
    long = "b" * 255
    assert table.validate(long).disposition == "valid"
    every = {v.label: v.disposition for v in table.variants(long, limit=None, include_invalid=True)}
    assert every["b" * 256] == "invalid" and table.validate("b" * 256).disposition == "invalid"
    assert all(len(v.label) <= 255 for v in table.variants(long, limit=3))


def test_every_holding_reflexive_mapping_types_a_kept_element() -> None:
    # Two reflexive mappings of "a" hold at the end of a label: validate("ba") and validate("ca") apply both
    # types (blocked wins); the variant "ca" of "ba" kept "a" with the type of the last one only and came
    # out "valid".
    table = _table(
        '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta>'
        "<unicode-version>17.0.0</unicode-version></meta><data>"
        '<char cp="0061"><var cp="0061" type="blocked" when="at-end"/><var cp="0061" type="r" not-when="at-start"/>'
        '</char><char cp="0062"><var cp="0063"/></char><char cp="0063"/></data>'
        '<rules><rule name="at-end"><anchor/><end/></rule><rule name="at-start"><start/><anchor/></rule></rules></lgr>'
    )
    assert table.validate("ba").disposition == table.validate("ca").disposition == "blocked"
    got = [(v.label, v.disposition, v.types) for v in table.variants("ba", limit=None, include_invalid=True)]
    assert got == [("ca", "blocked", ("blocked", "r"))]


def _small(data: str, rules: str) -> Lgr:
    return _table(
        '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta>'
        f"<unicode-version>17.0.0</unicode-version></meta><data>{data}</data><rules>{rules}</rules></lgr>"
    )


def _pruned_equals_filtered(table: Lgr, label: str) -> None:
    every = [(v.label, v.disposition) for v in table.variants(label, limit=None, include_invalid=True)]
    assert [(v.label, v.disposition) for v in table.variants(label, limit=None)] == [
        e for e in every if e[1] != "invalid"
    ]


def test_a_look_ahead_inside_a_look_behind_sees_past_the_position() -> None:
    # "b" needs a "d" two code points after it, seen by a look-ahead nested in a look-behind.  The rule's
    # reach counted the look-behind as looking back only (0), so the prefix "ba" of the variant "bad" of
    # "ead" was taken to decide the context, found it false, and the walk cut the valid "bad".
    context = (
        '<rule name="d-two-after"><look-behind><look-ahead><any/><any/><char cp="0064"/></look-ahead>'
        "</look-behind><anchor/></rule>"
    )
    table = _small(
        '<char cp="0061"/><char cp="0062" when="d-two-after"/><char cp="0064"/><char cp="0065"><var cp="0062"/></char>',
        context,
    )
    assert table.rules["d-two-after"].reach == float("inf")
    assert [(v.label, v.disposition) for v in table.variants("ead", limit=None)] == [("bad", "valid")]
    _pruned_equals_filtered(table, "ead")


def test_a_whole_label_rule_with_an_end_seen_from_a_look_behind_is_not_decided_by_a_prefix() -> None:
    # "(?<=(?=a.$))." matches only where an "a" stands second to last: the prefix "xab" of "xabz" matches
    # it, the label does not.  Counted as reaching one code point, the prefix was taken to decide it.
    rule = (
        '<rule name="a-second-last"><look-behind><look-ahead><char cp="0061"/><any/><end/></look-ahead>'
        '</look-behind><any/></rule><action disp="invalid" match="a-second-last"/>'
    )
    table = _small(
        '<char cp="0061"/><char cp="0062"/><char cp="0078"/><char cp="007A"/><char cp="0063"><var cp="0061"/></char>',
        rule,
    )
    assert table.validate("xabz").disposition == "valid"
    assert ("xabz", "valid") in [(v.label, v.disposition) for v in table.variants("xcbz", limit=None)]
    _pruned_equals_filtered(table, "xcbz")
