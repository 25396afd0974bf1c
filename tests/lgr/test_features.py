"""One small hand-written LGR per RFC 7940 feature: set operations, rule elements, contexts, actions,
null and reflexive variants, index labels, variant counts, refused rule shapes."""

from __future__ import annotations

import pytest

from idnkit.lgr import Lgr, LgrError, LgrParseError, finding_kind, parse_bytes
from idnkit.lgr._classes import complement, difference, intersection, symmetric_difference, union
from idnkit.lgr._validate import check_document


def make(data: str = "", rules: str = "", meta: str = "<unicode-version>17.0.0</unicode-version>") -> Lgr:
    xml = (
        f'<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta>{meta}</meta>'
        f"<data>{data}</data><rules>{rules}</rules></lgr>"
    )
    return Lgr(parse_bytes(xml.encode(), "t.xml"), "t")


ABC = '<range first-cp="0061" last-cp="007A"/>'


# --- classes (RFC 7940 §6.2) ---------------------------------------------------------------------


def test_range_helpers() -> None:
    a, b = ((0x61, 0x66),), ((0x64, 0x69),)
    assert union(a, b) == ((0x61, 0x69),)
    assert intersection(a, b) == ((0x64, 0x66),)
    assert difference(a, b) == ((0x61, 0x63),)
    assert symmetric_difference(a, b) == ((0x61, 0x63), (0x67, 0x69))
    assert complement(((0, 0x60), (0x62, 0x10FFFF))) == ((0x61, 0x61),)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('<class name="x">0061-0066 0070</class>', ((0x61, 0x66), (0x70, 0x70))),
        ('<union name="x"><class>0061</class><class>0062-0063</class></union>', ((0x61, 0x63),)),
        ('<intersection name="x"><class>0061-0066</class><class>0064-0069</class></intersection>', ((0x64, 0x66),)),
        ('<difference name="x"><class>0061-0066</class><class>0064-0069</class></difference>', ((0x61, 0x63),)),
        (
            '<symmetric-difference name="x"><class>0061-0066</class><class>0064-0069</class></symmetric-difference>',
            ((0x61, 0x63), (0x67, 0x69)),
        ),
        ('<complement name="x"><class>0000-0060 0062-10FFFF</class></complement>', ((0x61, 0x61),)),
        ('<class name="x" from-tag="vowel"/>', ((0x61, 0x61), (0x65, 0x65))),
        ('<class name="y">0062</class><union name="x"><class by-ref="y"/><class>0063</class></union>', ((0x62, 0x63),)),
    ],
)
def test_class_expressions(expr: str, expected: tuple[tuple[int, int], ...]) -> None:
    lgr = make('<char cp="0061" tag="vowel"/><char cp="0065" tag="vowel consonant-ish"/>', expr)
    assert lgr.classes["x"] == expected


def test_property_class_uses_idnkit_tables() -> None:
    lgr = make(rules='<class name="mn" property="gc:Mn"/><class name="d" property="jt:D"/>')
    assert any(a <= 0x0301 <= b for a, b in lgr.classes["mn"])
    assert any(a <= 0x0628 <= b for a, b in lgr.classes["d"])  # ARABIC LETTER BEH is dual-joining
    assert not any(a <= 0x0627 <= b for a, b in lgr.classes["d"])  # ALEF is right-joining


def test_unknown_property_refused() -> None:
    with pytest.raises(LgrParseError, match=r"t\.xml:2: unsupported property 'xx:Y'"):
        make(rules='<class name="x" property="xx:Y"/>')


def test_forward_class_reference_refused() -> None:
    with pytest.raises(LgrParseError, match="names no class defined before it"):
        make(rules='<union name="x"><class by-ref="later"/><class>0061</class></union><class name="later">0062</class>')


# --- rules (RFC 7940 §6.3) and actions (§7) -------------------------------------------------------


def wle(rule_body: str, data: str = ABC) -> Lgr:
    """An LGR whose only action makes labels matching rule r invalid."""
    return make(data, f'<rule name="r">{rule_body}</rule><action disp="invalid" match="r"/>')


@pytest.mark.parametrize(
    ("body", "invalid", "valid"),
    [
        ('<start/><char cp="0078"/>', "xab", "axb"),  # start
        ('<char cp="0078"/><end/>', "abx", "axb"),  # end
        ('<char cp="0078 0079"/>', "axyb", "axb"),  # char sequence
        ('<any/><char cp="0078"/>', "ax", "xa"),  # any
        ("<start/><class>0078-0079</class><end/>", "y", "ya"),  # class
        ('<choice><char cp="0071"/><char cp="0078 0078"/></choice>', "axxa", "axa"),  # choice
        ('<start/><char cp="0061" count="3"/><end/>', "aaa", "aa"),  # count n
        ('<char cp="0061" count="3+"/>', "baaaab", "baab"),  # count n+
        ('<start/><char cp="0061" count="2:3"/><end/>', "aaa", "aaaa"),  # count n:m
        ('<char cp="0071"/><look-ahead><char cp="0075"/></look-ahead>', "qu", "qa"),  # look-ahead
        ('<look-behind><char cp="0071"/></look-behind><char cp="0075"/>', "qu", "au"),  # look-behind
    ],
)
def test_rule_elements(body: str, invalid: str, valid: str) -> None:
    lgr = wle(body)
    assert lgr.validate(invalid).disposition == "invalid"
    assert lgr.validate(valid).disposition == "valid"


def test_rule_by_ref_and_not_match() -> None:
    lgr = make(
        ABC,
        '<rule name="dbl"><char cp="0078" count="2"/></rule><rule name="r"><rule by-ref="dbl"/></rule>'
        '<action disp="blocked" not-match="r"/>',
    )
    assert lgr.validate("axxa").disposition == "valid"
    assert lgr.validate("axa").disposition == "blocked"


def test_action_document_order() -> None:
    lgr = make(
        ABC,
        '<rule name="x"><char cp="0078"/></rule><rule name="y"><char cp="0079"/></rule>'
        '<action disp="blocked" match="x"/><action disp="invalid" match="y"/>',
    )
    assert lgr.validate("xy").disposition == "blocked"
    result = lgr.validate("ya")
    assert result.disposition == "invalid" and result.action is not None and result.action.match == "y"
    assert result.to_dict()["action"]["default"] is False


def test_default_catch_all() -> None:
    result = make(ABC).validate("abc")
    assert result.disposition == "valid" and result.default_action


def test_nested_unbounded_counts_refused_naming_rule() -> None:
    with pytest.raises(LgrParseError, match=r"t\.xml:2: rule 'evil' nests unbounded counts"):
        make(ABC, '<rule name="evil"><rule count="1+"><char cp="0061" count="1+"/></rule></rule>')


def test_undefined_rule_refused() -> None:
    with pytest.raises(LgrParseError, match="context rule 'nope' is not defined"):
        make('<char cp="0061" when="nope"/>')


# --- contexts (RFC 7940 §5.2, §6.4) -----------------------------------------------------------------

VIRAMA_LGR = (
    '<range first-cp="0915" last-cp="0939" tag="consonant"/><char cp="094D" when="after-consonant"/>',
    '<class name="C" from-tag="consonant"/>'
    '<rule name="after-consonant"><look-behind><class by-ref="C"/></look-behind><anchor/></rule>',
)


def test_when_context_at_anchor() -> None:
    lgr = make(*VIRAMA_LGR)
    assert lgr.validate("क्क").valid
    bad = lgr.validate("्क")
    assert bad.disposition == "invalid" and not bad.eligible
    (finding,) = bad.findings
    assert (finding_kind(finding), finding.position, finding.codepoint, finding.ref) == (
        "context",
        1,
        "U+094D",
        "after-consonant",
    )


def test_not_when_context() -> None:
    lgr = make(
        '<char cp="0061"/><char cp="002D" not-when="hyphen-edge"/>',
        '<rule name="hyphen-edge"><choice><rule><start/><anchor/></rule><rule><anchor/><end/></rule></choice></rule>',
    )
    assert lgr.validate("a-a").valid
    assert not lgr.validate("-a").valid
    assert not lgr.validate("a-").valid


def test_sequence_longest_match() -> None:
    lgr = make('<char cp="0061"/><char cp="0062 0063"/>')
    assert lgr.validate("abc").valid
    result = lgr.validate("ab")
    assert [finding_kind(f) for f in result.findings] == ["not-in-repertoire"]
    assert "only part of a sequence" in result.findings[0].message


# --- variants (RFC 7940 §5.3, §8.2) ------------------------------------------------------------------

SIMPLE = (
    '<char cp="0061"><var cp="0062" type="blocked"/></char><char cp="0062"><var cp="0061" type="blocked"/>'
    '</char><char cp="0063"/>'
)


def test_variants_and_dispositions() -> None:
    lgr = make(SIMPLE)
    assert [(v.label, v.disposition) for v in lgr.variants("ac")] == [("bc", "blocked")]
    assert lgr.variant_count("aa") == 3
    assert sorted(v.label for v in lgr.variants("aa")) == ["ab", "ba", "bb"]
    assert len(list(lgr.variants("aaaaaaaaaaaaaaaaaaaa", limit=5))) == 5
    assert lgr.variant_count("aaaaaaaaaaaaaaaaaaaa") == 2**20 - 1


def test_index_label_defined_for_equivalence_classes() -> None:
    lgr = make(SIMPLE)
    assert lgr.index_label("bcb") == "aca"
    assert all(lgr.index_label(v.label) == "aca" for v in lgr.variants("bcb"))


def test_index_label_undefined_when_not_transitive() -> None:
    lgr = make(
        '<char cp="0061"><var cp="0062"/></char><char cp="0062"><var cp="0061"/><var cp="0063"/></char>'
        '<char cp="0063"><var cp="0062"/></char>'
    )
    with pytest.raises(LgrError, match=r"U\+0061 \(position 1\) is not symmetric, transitive"):
        lgr.index_label("a")
    problems = {p.kind for p in check_document(lgr.document)}
    assert "non-transitive-variant" in problems


def test_conditional_variant() -> None:
    lgr = make(
        '<char cp="0061"><var cp="0062" when="at-end"/></char><char cp="0062"><var cp="0061"/></char>',
        '<rule name="at-end"><anchor/><end/></rule>',
    )
    assert [v.label for v in lgr.variants("aa")] == ["ab"]  # only the final a has its variant
    with pytest.raises(LgrError, match=r"RFC 7940 §8\.5"):
        lgr.index_label("aa")


def test_reflexive_variant_type_applies_to_label() -> None:
    lgr = make('<char cp="0061"><var cp="0061" type="activated"/></char>')
    assert lgr.validate("aa").disposition == "activated"  # §7.6 default: all-variants="activated"


def test_null_variant() -> None:
    lgr = make('<char cp="0061"/><char cp="002D"><var cp="" type="blocked"/></char>')
    assert [(v.label, v.disposition) for v in lgr.variants("a-a")] == [("aa", "blocked")]


def test_any_all_only_variant_triggers() -> None:
    data = (
        '<char cp="0061"><var cp="0062" type="x"/><var cp="0063" type="y"/></char>'
        '<char cp="0062"><var cp="0061" type="x"/></char><char cp="0063"><var cp="0061" type="y"/></char>'
        '<char cp="0064"/>'
    )
    rules = (
        '<action disp="only" only-variants="x"/><action disp="all" all-variants="x y"/>'
        '<action disp="any" any-variant="y"/>'
    )
    got = {v.label: v.disposition for v in make(data, rules).variants("ad")}
    assert got == {"bd": "all", "cd": "all"}
    got = {v.label: v.disposition for v in make(data, rules).variants("aa")}
    assert got["bb"] == "only" and got["bc"] == "all" and got["ba"] == "all"
    rules2 = '<action disp="any" any-variant="y"/>'
    got = {v.label: v.disposition for v in make(data, rules2).variants("aa")}
    assert got == {
        "ab": "valid",
        "ac": "any",
        "ba": "valid",
        "bb": "valid",
        "bc": "any",
        "ca": "any",
        "cb": "any",
        "cc": "any",
    }


def test_invalid_variants_dropped_unless_asked() -> None:
    data = '<char cp="0061"><var cp="0062" type="oor"/></char><char cp="0062"><var cp="0061" type="oor"/></char>'
    lgr = make(data, '<action disp="invalid" any-variant="oor"/>')
    assert list(lgr.variants("a")) == []
    assert [v.disposition for v in lgr.variants("a", include_invalid=True)] == ["invalid"]
    assert lgr.variant_count("a") == 1


def test_ineligible_label_has_no_variants() -> None:
    with pytest.raises(LgrError, match="not eligible"):
        make(SIMPLE).variant_count("az")


def test_a_label_input() -> None:
    lgr = make('<range first-cp="0061" last-cp="007A"/><char cp="00FC"/>')
    assert lgr.validate("xn--bcher-kva").label == "bücher"
    with pytest.raises(LgrError, match="not a valid A-label"):
        lgr.validate("xn--a-\u00e9")


# --- document validation ---------------------------------------------------------------------------


def test_document_problems_name_lines() -> None:
    xml = (
        '<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><unicode-version>6.3.0</unicode-version>\n'
        '<references><reference id="1">RFC</reference></references></meta><data>\n'
        '<char cp="0061" ref="2"><var cp="0062"/></char>\n'
        '<char cp="0062"/>\n'
        '<char cp="0061"/>\n'
        '</data><rules><action disp="weird"/></rules></lgr>'
    )
    problems = check_document(parse_bytes(xml.encode(), "d.xml"))
    found = {(p.kind, p.line) for p in problems}
    assert ("undefined-reference", 3) in found
    assert ("asymmetric-variant", 3) in found
    assert ("overlapping-repertoire", 5) in found
    assert ("unknown-disposition", 6) in found
    assert any(p.kind == "unicode-version" for p in problems)
    assert str(next(p for p in problems if p.kind == "undefined-reference")).startswith("d.xml:3: error:")


def test_count_with_two_spellings_of_one_label() -> None:
    # p -> x | xy and q -> yc | c: "x"+"yc" and "xy"+"c" spell the same variant label once.
    lgr = make(
        '<char cp="0070"><var cp="0078"/><var cp="0078 0079"/></char>'
        '<char cp="0071"><var cp="0079 0063"/><var cp="0063"/></char>'
    )
    labels = [v.label for v in lgr.variants("pq", limit=None, include_invalid=True)]
    assert len(labels) == len(set(labels)) == 7
    assert "xyc" in labels
    assert lgr.variant_count("pq") == 7


def test_overlong_and_empty_labels() -> None:
    lgr = make(ABC)
    long = lgr.validate("a" * 256)
    assert long.disposition == "invalid" and finding_kind(long.findings[0]) == "too-long"
    assert long.to_dict()["findings"][0]["codepoint"] is None
    assert lgr.validate("a" * 255).valid
    assert finding_kind(lgr.validate("").findings[0]) == "empty"
    with pytest.raises(LgrError, match="longer than 255"):
        lgr.variant_count("a" * 300)


def test_unmatchable_rule_warning() -> None:
    xml = (
        '<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><data><char cp="0061"/></data><rules>\n'
        '<rule name="never"><end/><char cp="0061"/></rule>\n'
        '<rule name="never2"><char cp="0061"/><start/></rule>\n'
        '<rule name="fine"><start/><char cp="0061" count="0+"/><end/></rule>\n'
        '<rule name="empty"><class>0062</class><intersection><class>0061</class><class>0062</class>'
        "</intersection></rule></rules></lgr>"
    )
    problems = [p for p in check_document(parse_bytes(xml.encode(), "u.xml")) if p.kind == "unmatchable-rule"]
    assert sorted((p.line, p.message.split("'")[1]) for p in problems) == [(2, "never"), (3, "never2"), (5, "empty")]
