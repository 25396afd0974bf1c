"""Variant generation prunes permutations that a fatal variant type makes invalid — kept ones included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit import lgr


@pytest.fixture(scope="module")
def latin() -> lgr.Lgr:
    return lgr.load("rz5/latin")


@pytest.mark.parametrize("label", ["хa", "aхb", "ιх", "sѕ", "ōхүa"])
def test_pruned_generation_equals_filtered_enumeration(latin: lgr.Lgr, label: str) -> None:
    # Labels holding code points whose reflexive mapping has a fatal type (out-of-repertoire-var):
    # pruning must drop exactly the permutations that would have been "invalid".
    pruned = {(v.label, v.disposition) for v in latin.variants(label, limit=None)}
    full = {
        (v.label, v.disposition)
        for v in latin.variants(label, limit=None, include_invalid=True)
        if v.disposition != "invalid"
    }
    assert pruned == full


def test_first_variants_of_a_mostly_invalid_label_come_at_once(latin: lgr.Lgr) -> None:
    # 609,638,399 permutations, nearly all invalid: the generator once walked them before its first yield.
    # Counted, not timed: the first ten variants must come within a thousand combination prefixes visited.
    label = "ōæսjхүaӓʋżëιjhiẽ"
    assert latin.validate(label).disposition == "invalid"
    found = list(latin.variants(label, limit=10, max_visited=1_000))
    assert len(found) == 10 and all(v.disposition != "invalid" for v in found)
    with pytest.raises(lgr.LgrError, match=r"10 combination prefixes visited \(max_visited\), 0 variants produced"):
        list(latin.variants(label, limit=10, max_visited=10))


PRUNED_TABLES = [
    "rz5/arabic",
    "rz5/devanagari",
    "rz5/myanmar",
    "rz5/sinhala",
    "rz5/malayalam",
    "rz5/latin",
    "rz5/korean",
    "rz5/common",
]


@pytest.mark.parametrize("name", PRUNED_TABLES)
def test_pruned_generation_equals_filtered_enumeration_on_shipped_tables(name: str) -> None:
    # Contexts decided by a prefix (Devanagari, Myanmar, Sinhala, Malayalam) and whole-label "invalid"
    # rules matched in one (Arabic no-mix rules, Malayalam, Myanmar) cut prefixes: never a kept label.
    table = lgr.load(name)
    elements = sorted("".join(map(chr, cps)) for cps in table.chars)

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.sampled_from(elements), min_size=1, max_size=4).map("".join))
    def check(label: str) -> None:
        if not table.validate(label).eligible or table.variant_count(label) > 3_000:
            return
        pruned = [(v.label, v.disposition) for v in table.variants(label, limit=None)]
        full = [
            (v.label, v.disposition)
            for v in table.variants(label, limit=None, include_invalid=True)
            if v.disposition != "invalid"
        ]
        assert pruned == full

    check()


def test_a_no_mix_rule_met_by_a_later_fixed_element_cuts_the_walk_at_once() -> None:
    # rz5/common: Hanja with simplified/traditional variants, then one Hangul syllable (no variants).
    # Every permutation mixes Hangul and Hanja (Kore--no-hangul-hanja-mixed-label, a leading "invalid"
    # action); the text alone shows it only at the Hangul, after 3.4 million combinations of the Hanja.
    common = lgr.load("rz5/common")
    label = "檢ی蒶齕瘽赪椘飾靉琖鵄备랬陈啨升"
    assert common.validate(label).disposition == "invalid" and common.variant_count(label) == 3_359_231
    assert list(common.variants(label, limit=10, max_visited=100)) == []


@pytest.mark.parametrize("name", ["rz5/common", "rz5/arabic", "rz5/myanmar"])
def test_no_mix_pairs_say_exactly_when_their_rule_matches(name: str) -> None:
    from idnkit.lgr._classes import contains
    from idnkit.lgr._nomix import no_mix_pairs

    table = lgr.load(name)
    nodes = {r.name: r for r in table.document.rules if r.name is not None}
    shaped = {n: p for n, node in nodes.items() if (p := no_mix_pairs(node, nodes, table._resolve))}
    assert shaped, "the Root Zone's no-mix rules have the recognised shape"
    points = sorted({ranges[0][0] for pairs in shaped.values() for pair in pairs for ranges in pair})  # one of each set
    alphabet = [chr(c) for c in points] + ["a", "\u0628"]

    @settings(max_examples=60, deadline=None)
    @given(st.sampled_from(sorted(shaped)), st.lists(st.sampled_from(alphabet), max_size=6).map("".join))
    def check(rule: str, label: str) -> None:
        cps = [ord(c) for c in label]
        ordered = any(
            contains(x, a) and contains(y, b) for x, y in shaped[rule] for i, a in enumerate(cps) for b in cps[i + 1 :]
        )
        assert table.rules[rule].matches(label) == ordered

    check()


def test_a_no_mix_match_inside_one_sequence_cuts_the_walk_at_once() -> None:
    # "c" never before "b": the sequence "cb" (first element) matches on its own, so every permutation of
    # "cb" + 30 × "a" (each "a" may become "d") is invalid; the walk must not visit their 2^30 prefixes.
    table = lgr.Lgr(
        lgr.parse_bytes(
            b'<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><unicode-version>17.0.0</unicode-version></meta>'
            b'<data><char cp="0063 0062"><var cp="0065 0062"/></char><char cp="0062"/><char cp="0063"/>'
            b'<char cp="0065"/><char cp="0061"><var cp="0064"/></char><char cp="0064"><var cp="0061"/></char></data>'
            b'<rules><rule name="c-before-b"><char cp="0063"/><any count="0+"/><char cp="0062"/></rule>'
            b'<action disp="invalid" match="c-before-b"/></rules></lgr>',
            "seq.xml",
        ),
        "seq",
    )
    label = "cb" + "a" * 30
    assert table.validate(label).disposition == "invalid"
    got = [v.label for v in table.variants(label, limit=3, max_visited=1_000)]
    assert got == ["eb" + "a" * 30, "eb" + "a" * 29 + "d", "eb" + "a" * 28 + "da"]
