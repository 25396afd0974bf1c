"""LGR sets: merged repertoires, namespaced rules, cross-script variants, collisions between members."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from idnkit import lgr
from idnkit.lgr import LgrSet, merge, parse_bytes, to_xml
from idnkit.lgr._validate import check_document

SETS = Path(__file__).parent.parent / "data" / "lgr-sets"


def _labels(table: lgr.Lgr, limit: int = 30) -> list[str]:
    elements = sorted(table.chars)
    step = max(1, len(elements) // limit)
    picked = ["".join(map(chr, cps)) for cps in elements[::step]][:limit]
    pairs = [a + b for a, b in itertools.pairwise(picked)]
    return picked + pairs + [a + "-" + b for a, b in zip(picked, picked[3:], strict=False)]


def _scope(table: lgr.Lgr) -> set[int]:
    return {cp for cps in table.chars for cp in cps}


@pytest.mark.parametrize(
    "names",
    [("ref/de", "ref/ru"), ("ref/ar", "ref/de"), ("ref/und-Arab", "ref/hi", "ref/en"), ("ref/th", "ref/he")],
    ids="+".join,
)
def test_each_member_still_judges_its_own_labels(names: tuple[str, ...]) -> None:
    tables = [lgr.load(n) for n in names]
    merged = merge(tables).compile()
    scopes = [_scope(t) for t in tables]
    checked = 0
    for t in tables:
        for label in _labels(t):
            inside = [i for i, s in enumerate(scopes) if set(map(ord, label)) <= s]
            if len(inside) != 1:
                continue  # shared by several members (digits, hyphen): each member's view may differ
            checked += 1
            assert merged.validate(label).disposition == t.validate(label).disposition, (t.name, label)
    assert checked > 40


def test_shared_code_points_keep_each_members_context() -> None:
    # ref/ar restricts digits by context; the digits of a German label must not inherit that restriction.
    ar, de = lgr.load("ref/ar"), lgr.load("ref/de")
    merged = merge([ar, de]).compile()
    for label in ("1abc", "abc1", "12-ab", "\u0628\u0661", "\u0661\u0628"):
        expected = "valid" if de.validate(label).valid or ar.validate(label).valid else "invalid"
        assert merged.validate(label).disposition == expected, label


def test_labels_mixing_members_are_invalid() -> None:
    merged = merge([lgr.load("ref/de"), lgr.load("ref/ru")]).compile()
    r = merged.validate("m\u043e\u0441\u043a\u0432\u0430")  # Latin m + Cyrillic
    assert r.disposition == "invalid" and r.action is not None and r.action.not_match == "merge:any-member"


def test_elements_are_tagged_with_their_members_and_namespaced() -> None:
    s = merge([lgr.load("ref/de"), lgr.load("ref/ru")])
    chars = {c.cps: c for c in s.document.chars}
    assert chars[(0x61,)].tags[0] == "de" and "ru" not in chars[(0x61,)].tags
    assert chars[(0x430,)].tags[0] == "ru"
    assert chars[(0x30,)].tags[:2] == ("de", "ru")
    assert chars[(0x2D,)].not_when == "de:hyphen-minus-disallowed"  # identical rules of both members: kept once
    assert {r.name for r in s.document.rules} >= {"de:leading-combining-mark", "ru:leading-combining-mark"}
    assert s.notes == ()


def test_full_variant_set_cross_script_variants_collide() -> None:
    de, ru = lgr.parse(SETS / "de.xml", "fvs-de"), lgr.parse(SETS / "ru.xml", "fvs-ru")
    s = merge([de, ru])
    assert s.members == ("fvs-de", "fvs-ru")
    chars = {c.cps: c for c in s.document.chars}
    a, cyr_a = chars[(0x61,)], chars[(0x430,)]
    # the injected placeholder for U+0430 in de.xml gave way to ru's real element
    assert cyr_a.tags[0] == "fvs-ru" and "Not part of repertoire" not in (cyr_a.comment or "")
    assert not any(v.cps == (0x430,) and v.type == "out-of-repertoire-var" for v in cyr_a.variants)
    assert any(v.cps == (0x430,) and v.type == "blocked" for v in a.variants)
    assert any(v.cps == (0x61,) and v.type == "blocked" for v in cyr_a.variants)
    merged = s.compile()
    assert merged.validate("pa").valid and merged.validate("\u0440\u0430").valid
    assert ("\u0440\u0430", "blocked") in {(v.label, v.disposition) for v in merged.variants("pa")}
    found = s.collisions(["pa", "\u0440\u0430", "straße", "\u0440\u0430\u0430", "strasse"], merged)
    assert [c.to_dict() for c in found] == [
        {
            "index_label": "pa",
            "labels": [
                {"label": "pa", "valid_under": ["fvs-de"]},
                {"label": "\u0440\u0430", "valid_under": ["fvs-ru"]},
            ],
        },
    ]  # straße has no index label: its U+00DF -> "ss" mapping is not transitive in de.xml itself (§8.5)


def test_without_cross_script_variants_there_is_no_collision() -> None:
    s = merge([lgr.load("ref/de"), lgr.load("ref/ru")])
    assert s.collisions(["pa", "\u0440\u0430"]) == []


def test_merged_set_round_trips_through_xml() -> None:
    s = merge([lgr.parse(SETS / "de.xml", "de"), lgr.parse(SETS / "ru.xml", "ru"), lgr.load("ref/ar")])
    again = lgr.Lgr(parse_bytes(to_xml(s.document), "merged.xml"))
    merged = s.compile()
    for label in ["pa", "\u0440\u0430", "1abc", "\u0628\u0661", "p\u0430", "-ab", "stra\u00dfe"]:
        if not merged.validate(label).eligible:
            assert not again.validate(label).eligible
            continue
        assert again.validate(label).disposition == merged.validate(label).disposition, label
        assert sorted(v.label for v in again.variants(label)) == sorted(v.label for v in merged.variants(label))


@pytest.mark.parametrize(
    "names", [("ref/de", "ref/ar", "ref/und-Arab"), ("ref/hi", "ref/und-Deva", "ref/th")], ids="+".join
)
def test_merged_document_has_no_rfc7940_errors(names: tuple[str, ...]) -> None:
    doc = merge([lgr.load(n) for n in names]).document
    assert check_document(doc, include_warnings=False) == []


def test_bad_merge_arguments() -> None:
    de = lgr.load("ref/de")
    with pytest.raises(ValueError, match="at least one"):
        merge([])
    with pytest.raises(ValueError, match="unique member name"):
        merge([de, de], members=["x", "x"])
    assert merge([de, de]).members == ("de", "de-2")
    assert isinstance(merge([de]), LgrSet)


def test_every_injected_cross_script_variant_between_members_survives() -> None:
    # ICANN's full variant set de.xml lists, for each German element, blocked "(injected)" variants to
    # look-alikes of other scripts; where ru.xml has the target for real, the merged set keeps the mapping
    # both ways, and the German placeholder for the target is gone.
    de, ru = lgr.parse(SETS / "de.xml", "de"), lgr.parse(SETS / "ru.xml", "ru")
    merged = {c.cps: c for c in merge([de, ru]).document.chars}
    ru_real = {
        cps
        for cps, ch in ru.chars.items()
        if not any(v.cps == cps and v.type == "out-of-repertoire-var" for v in ch.variants)
    }
    pairs = [
        (cps, v.cps)
        for cps, ch in de.chars.items()
        for v in ch.variants
        if v.type == "blocked"
        and "(injected)" in (v.comment or "")
        and v.cps in ru_real
        and cps not in ru_real
        and not any(w.cps == cps and w.type == "out-of-repertoire-var" for w in ch.variants)
    ]
    assert len(pairs) == 8  # a/а c/с e/е o/о p/р r/г x/х y/у
    for x, y in pairs:
        assert any(v.cps == y and v.type == "blocked" for v in merged[x].variants), (x, y)
        assert any(v.cps == x and v.type == "blocked" for v in merged[y].variants), (y, x)
        assert not any(v.type == "out-of-repertoire-var" for v in merged[y].variants), y


def _member(body: str, version: str = "17.0.0") -> bytes:
    return (
        f'<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><unicode-version>{version}</unicode-version></meta>'
        f"<data>{body}</data></lgr>"
    ).encode()


def test_merge_notes_carry_catalogued_rule_ids_and_elements() -> None:
    from idnkit import RULES
    from idnkit.lgr._sets import MERGE_RULES

    one = lgr.Lgr(
        parse_bytes(
            _member(
                '<char cp="0061"><var cp="0062" type="blocked"/></char><char cp="0062">'
                '<var cp="0061" type="blocked"/></char>'
            ),
            "one.xml",
        ),
        "one",
    )
    two = lgr.Lgr(
        parse_bytes(
            _member(
                '<char cp="0061"><var cp="0062" type="allocatable"/></char><char cp="0062">'
                '<var cp="0061" type="allocatable"/></char>',
                "16.0.0",
            ),
            "two.xml",
        ),
        "two",
    )
    notes = merge([one, two]).notes
    assert {n.kind for n in notes} == {"variant-conflict", "unicode-version"}
    assert all(rule in RULES for rule in MERGE_RULES.values())
    by_kind = {n.kind: n.to_dict() for n in notes}
    assert by_kind["variant-conflict"]["rule_id"] == "rfc7940.merge.variant_conflict"
    assert by_kind["variant-conflict"]["element"] in ("U+0061", "U+0062")
    assert by_kind["unicode-version"] == {
        "kind": "unicode-version",
        "rule_id": "rfc7940.merge.unicode_version",
        "element": None,
        "message": by_kind["unicode-version"]["message"],
    }
