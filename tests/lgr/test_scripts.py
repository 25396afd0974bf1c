"""Cases for six RZ-LGR-5 scripts, derived from each table's own WLE and variant documentation
(the rule and action comments in the XML, which quote the RZ-LGR proposals), and RFC 7940 examples."""

from __future__ import annotations

import pytest

from idnkit import lgr


def verdict(name: str, label: str) -> tuple[str, str | None]:
    r = lgr.load(name).validate(label)
    why = (
        r.action.match
        if r.findings == () and r.action is not None
        else (r.findings[0].ref or lgr.finding_kind(r.findings[0]))
    )
    return r.disposition, why


@pytest.mark.parametrize(
    ("name", "label", "disposition", "why"),
    [
        # Arabic WLE Rule 1 (proposal §7): "do not mix Arabic letters KAF and KEHEH in the same label"
        ("rz5/arabic", "كتب", "valid", None),
        ("rz5/arabic", "کتب", "valid", None),
        ("rz5/arabic", "كتبک", "invalid", "no-mix-kaf-keheh"),
        ("rz5/arabic", "\u064eكتب", "invalid", "not-in-repertoire"),  # harakat are not in the RZ repertoire
        # Devanagari Section 7 WLE 2/3: halant only after a consonant; WLE 7: no vowel after H;
        # WLE 4-6: anusvara/candrabindu/visarga only after V, C, N or M.
        ("rz5/devanagari", "कमल", "valid", None),
        ("rz5/devanagari", "क्क", "valid", None),
        ("rz5/devanagari", "अ्क", "invalid", "follows-C-or-CN"),
        ("rz5/devanagari", "क्अ", "invalid", "preceded-by-H"),
        ("rz5/devanagari", "ंक", "invalid", "follows-V-or-C-or-N-or-M"),
        # Chinese: simplified and traditional forms are both allocatable repertoire
        ("rz5/chinese", "中国", "valid", None),
        ("rz5/chinese", "中國", "valid", None),
        # Latin, Cyrillic, Greek: the default "leading combining mark" rule; repertoire per script
        ("rz5/latin", "example", "valid", None),
        ("rz5/latin", "\u0301ab", "invalid", "not-in-repertoire"),
        ("rz5/latin", "exаmple", "invalid", "out-of-repertoire-var"),  # Cyrillic а only as a variant target
        ("rz5/cyrillic", "дом", "valid", None),
        ("rz5/cyrillic", "дoм", "invalid", "out-of-repertoire-var"),
        ("rz5/greek", "ορος", "valid", None),
        ("rz5/greek", "ορoς", "invalid", "out-of-repertoire-var"),
    ],
)
def test_script_cases(name: str, label: str, disposition: str, why: str | None) -> None:
    r = lgr.load(name).validate(label)
    assert r.disposition == disposition
    if why == "out-of-repertoire-var":
        assert r.action is not None and r.action.any_variant == frozenset({"out-of-repertoire-var"})
    elif why is not None:
        assert verdict(name, label)[1] == why


def test_chinese_variants_share_index_label() -> None:
    zh = lgr.load("rz5/chinese")
    assert zh.index_label("中国") == zh.index_label("中國")
    got = {v.label: v.disposition for v in zh.variants("中国")}
    assert got["中國"] == "allocatable"  # the traditional form is an allocatable variant
    assert zh.variant_count("中国") == len(got)


def test_arabic_kaf_keheh_are_variants() -> None:
    ar = lgr.load("rz5/arabic")
    assert ar.index_label("كتب") == ar.index_label("کتب")
    assert "کتب" in {v.label for v in ar.variants("كتب")}


def test_cross_script_variants_in_common() -> None:
    common = lgr.load("rz5/common")
    assert common.index_label("example") == common.index_label("еxample")  # Cyrillic е
    keys = lgr.IndexLabelKeys(common)
    assert keys.kind == "lgr-index:rz5/common"
    assert keys.keys("example") == keys.keys("еxample")
    assert keys.keys("ex☃") == []


# --- RFC 7940 examples ---------------------------------------------------------------------------


def test_rfc7940_631_preferred_label_rule_with_errata_5986() -> None:
    """§6.3.1's "preferred-label" rule, as corrected by verified errata 5986 (count="1+")."""
    xml = b"""<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><data><range first-cp="0061" last-cp="007A"/></data>
    <rules><class name="preferred-codepoint">0061-0066</class>
    <rule name="preferred-label"><start/><class by-ref="preferred-codepoint" count="1+"/><end/></rule>
    <action disp="allocatable" match="preferred-label"/></rules></lgr>"""
    table = lgr.Lgr(lgr.parse_bytes(xml, "rfc7940-6.3.1.xml"))
    assert table.validate("face").disposition == "allocatable"
    assert table.validate("fade").disposition == "allocatable"
    assert table.validate("fact").disposition == "valid"


def test_rfc7940_535_reflexive_and_542_tags() -> None:
    """§5.3.4 reflexive variant: its type applies to labels holding the original code point."""
    xml = b"""<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><data>
    <char cp="0061" tag="letter"><var cp="0061" type="preferred"/></char><char cp="0062" tag="letter"/></data>
    <rules><action disp="allocatable" any-variant="preferred"/></rules></lgr>"""
    table = lgr.Lgr(lgr.parse_bytes(xml))
    assert table.validate("ab").disposition == "allocatable"
    assert table.validate("bb").disposition == "valid"
    assert table.tags["letter"] == ((0x61, 0x62),)
