"""Hand-written cases for every IDNA2008 rule idnkit reports (RFC 5891, 5892 Appendix A, 5893)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import idnkit
from idnkit import Profile, Severity, check_domain, check_label


def rules(label: str, **kw: object) -> list[str]:
    return [f.rule for f in check_label(label, **kw).errors]  # type: ignore[arg-type]


def warnings(label: str, **kw: object) -> list[str]:
    return [f.rule for f in check_label(label, **kw).warnings]  # type: ignore[arg-type]


# --- RFC 5892 Appendix A.1 ZERO WIDTH NON-JOINER ------------------------------------------------
@pytest.mark.parametrize(
    "label",
    [
        "\u0915\u094d\u200c\u0937",  # Devanagari KA + VIRAMA + ZWNJ + SSA: virama before
        "\u0628\u200c\u0628",  # BEH (D) ZWNJ BEH (D): joining context
        "\u0628\u064b\u200c\u064b\u0628",  # with transparent (T) marks on both sides
        "\u06cc\u200c\u0627",  # YEH (D) ZWNJ ALEF (R): Persian "mi-khaham" style
    ],
)
def test_zwnj_allowed(label: str) -> None:
    assert rules(label) == []
    assert "uts46.deviation" in warnings(label)


@pytest.mark.parametrize(
    ("label", "position"),
    [
        ("a\u200cb", 2),  # Latin: no joining types, no virama
        ("\u0627\u200c\u0628", 2),  # ALEF is R: nothing joins to its left
        ("\u0628\u200c", 2),  # nothing after
        ("\u200c\u0628", 1),  # nothing before
    ],
)
def test_zwnj_rejected(label: str, position: int) -> None:
    result = check_label(label)
    zwnj = [f for f in result.errors if f.rule == "rfc5892.contextj.zwnj"]
    assert len(zwnj) == 1
    assert zwnj[0].position == position
    assert zwnj[0].codepoint == "U+200C"


# --- A.2 ZERO WIDTH JOINER -----------------------------------------------------------------------
def test_zwj_after_virama() -> None:
    assert rules("\u0915\u094d\u200d\u0937") == []


def test_zwj_without_virama() -> None:
    assert "rfc5892.contextj.zwj" in rules("\u0915\u200d\u0937")
    assert "rfc5892.contextj.zwj" in rules("a\u200db")


# --- A.3 MIDDLE DOT ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("label", "ok"), [("l·l", True), ("col·lecció", True), ("a·l", False), ("l·", False), ("·l", False), ("L·l", False)]
)
def test_middle_dot(label: str, ok: bool) -> None:
    assert ("rfc5892.contexto.middle_dot" not in rules(label)) is ok


# --- A.4 GREEK KERAIA ----------------------------------------------------------------------------
def test_keraia() -> None:
    assert rules("\u03b1\u0375\u03b2") == []
    assert "rfc5892.contexto.keraia" in rules("\u03b1\u0375a")
    assert "rfc5892.contexto.keraia" in rules("\u03b1\u0375")


# --- A.5 / A.6 HEBREW GERESH, GERSHAYIM -----------------------------------------------------------
@pytest.mark.parametrize(("cp", "rule"), [(0x05F3, "geresh"), (0x05F4, "gershayim")])
def test_geresh_gershayim(cp: int, rule: str) -> None:
    assert rules(f"\u05d0{chr(cp)}\u05d1") == []
    assert f"rfc5892.contexto.{rule}" in rules(f"a{chr(cp)}b")
    assert f"rfc5892.contexto.{rule}" in rules(f"{chr(cp)}\u05d0")


# --- A.7 KATAKANA MIDDLE DOT ---------------------------------------------------------------------
def test_katakana_middle_dot() -> None:
    assert rules("\u30a2\u30fb\u30a4") == []  # Katakana
    assert rules("\u3042\u30fb") == []  # Hiragana anywhere in the label
    assert rules("\u6f22\u30fb\u5b57") == []  # Han
    assert "rfc5892.contexto.katakana_middle_dot" in rules("a\u30fbb")
    assert "rfc5892.contexto.katakana_middle_dot" in rules("\u30fb")


# --- A.8 / A.9 Arabic-Indic digits ---------------------------------------------------------------
def test_arabic_indic_digit_mixing() -> None:
    assert rules("\u0628\u0661\u0662") == []
    assert rules("\u0628\u06f1\u06f2") == []
    mixed = check_label("\u0628\u0661\u06f2")
    got = {(f.rule, f.position) for f in mixed.errors}
    assert ("rfc5892.contexto.arabic_indic_digits", 2) in got
    assert ("rfc5892.contexto.extended_arabic_indic_digits", 3) in got


def test_contexto_is_a_warning_in_lookup() -> None:
    # RFC 5891 §5.4: lookup need only check that a CONTEXTO rule exists.
    result = check_label("a·b", profile=Profile.LOOKUP)
    assert result.ok
    assert [f.rule for f in result.warnings] == ["rfc5892.contexto.middle_dot"]
    # CONTEXTJ rules are tested in lookup too.
    assert not check_label("a\u200cb", profile=Profile.LOOKUP).ok


# --- RFC 5892 code point classes ------------------------------------------------------------------
def test_disallowed_and_unassigned_all_reported() -> None:
    result = check_label("a\u2603b\u0378c\u00a0")
    got = [(f.rule, f.position, f.codepoint) for f in result.errors]
    assert got == [
        ("rfc5892.disallowed", 2, "U+2603"),
        ("rfc5892.unassigned", 4, "U+0378"),
        ("rfc5892.disallowed", 6, "U+00A0"),
    ]
    assert "SNOWMAN" in result.errors[0].message


def test_uppercase_is_disallowed_in_registration() -> None:
    result = check_label("Bücher")
    assert [f.rule for f in result.errors] == ["rfc5892.disallowed"]
    assert "bücher" in result.warnings[-1].message  # what UTS #46 would map it to


@pytest.mark.parametrize("profile", list(Profile))
def test_ascii_letter_case_is_a_warning_in_every_profile(profile: Profile) -> None:
    # RFC 4343 §3: the DNS compares ASCII case-insensitively; an LDH label is not a U-label
    # (RFC 5890 §2.3.1), so "Example" is the label "example", written in lowercase.
    result = check_domain("Example.COM", profile=profile, map=False)
    assert result.ok and result.ascii == "example.com" and result.name == "example.com"
    assert [(f.rule, f.label_index, f.severity) for f in result.findings] == [
        ("dns.ascii_case", 1, Severity.WARNING),
        ("dns.ascii_case", 2, Severity.WARNING),
    ]
    assert "'example'" in result.findings[0].message
    label = check_label("EXAMPLE", profile=profile, map=False)
    assert (label.input, label.ulabel, label.alabel) == ("EXAMPLE", "example", "example")


def test_ascii_case_folding_keeps_the_other_ldh_checks() -> None:
    assert [f.rule for f in check_label("EXAMPLE-").findings] == ["dns.ascii_case", "rfc5891.hyphen_end"]
    assert [f.rule for f in check_label("A_B").errors] == ["rfc5892.disallowed"]
    assert [f.rule for f in check_label("AB--CD").errors] == ["rfc5891.hyphen34"]
    # lowercase and digits-only labels have nothing to fold
    assert check_label("example").findings == () and check_label("123").findings == ()
    # a label with non-ASCII text is a U-label candidate: its capitals stay DISALLOWED (RFC 5892 §2.2)
    assert "dns.ascii_case" not in {f.rule for f in check_label("Bücher").findings}


def test_exceptions() -> None:
    assert rules("straße") == []  # U+00DF PVALID by exception (RFC 5892 §2.6)
    assert rules("\u03c3\u03c2") == []  # final sigma
    assert "rfc5892.disallowed" in rules("\u0628\u0640\u0628")  # TATWEEL DISALLOWED by exception
    assert rules("\u3007") == []  # IDEOGRAPHIC NUMBER ZERO


# --- RFC 5891 §4.2.3 hyphens, marks, NFC -----------------------------------------------------------
@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("-abc", ["rfc5891.hyphen_start"]),
        ("abc-", ["rfc5891.hyphen_end"]),
        ("-", ["rfc5891.hyphen_start", "rfc5891.hyphen_end"]),
        ("ab--cd", ["rfc5891.hyphen34"]),
        ("bü--x", ["rfc5891.hyphen34"]),
        ("a-b-c", []),
        ("ab-c--d", []),
        ("-b--", ["rfc5891.hyphen34", "rfc5891.hyphen_start", "rfc5891.hyphen_end"]),
    ],
)
def test_hyphens(label: str, expected: list[str]) -> None:
    assert rules(label) == expected


def test_hyphen_start_end_not_checked_in_lookup() -> None:
    assert check_label("-abc", profile=Profile.LOOKUP).ok
    assert not check_label("ab--c", profile=Profile.LOOKUP).ok


def test_leading_combining_mark() -> None:
    result = check_label("\u0301abc")
    assert [(f.rule, f.position) for f in result.errors] == [("rfc5891.leading_combining_mark", 1)]


def test_not_nfc() -> None:
    result = check_label("u\u0308ber")
    assert [f.rule for f in result.errors] == ["rfc5891.nfc"]
    assert "'über'" in result.errors[0].message


# --- RFC 5893 Bidi --------------------------------------------------------------------------------
def test_rtl_labels_valid() -> None:
    for label in ("\u05d0\u05d1", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u05d0123", "\u0628\u0661\u0662"):
        assert rules(label) == [], label


@pytest.mark.parametrize(
    ("label", "rule", "position"),
    [
        ("1\u05d0", "rfc5893.rule1", 1),  # starts with EN in an RTL label
        ("\u05d0a", "rfc5893.rule2", 2),  # L inside an RTL label
        ("\u05d0\u0021\u05d1", "rfc5892.disallowed", 2),
        ("\u05d0\u2212", "rfc5893.rule3", 2),  # ends with ES... MINUS SIGN is disallowed too, see below
        ("\u0628\u0661\u0031", "rfc5893.rule4", 3),  # AN and EN mixed
    ],
)
def test_rtl_rules(label: str, rule: str, position: int) -> None:
    found = [(f.rule, f.position) for f in check_label(label).errors]
    assert (rule, position) in found


def test_rtl_must_end_properly() -> None:
    # RFC 5893 rule 3: ends in R, AL, EN or AN followed by NSM only; HYPHEN-MINUS is ES.
    found = [(f.rule, f.position) for f in check_label("\u05d0-\u05d1", bidi_domain=True).errors]
    assert found == []
    found = [f.rule for f in check_label("\u05d0\u05b0", bidi_domain=True).errors]  # NSM after R: fine
    assert found == []


def test_ltr_label_in_bidi_domain() -> None:
    assert rules("abc", bidi_domain=True) == []
    assert rules("1abc", bidi_domain=True) == ["rfc5893.rule1"]  # rule 1: must start with L
    assert rules("abc1", bidi_domain=True) == []  # rule 6: may end with EN
    assert "rfc5893.rule5" in rules("a\u0661b", bidi_domain=True)  # AN in LTR label... also makes it RTL?
    assert rules("1abc") == []  # not a Bidi domain name: no Bidi rule applies


def test_bidi_domain_from_other_label() -> None:
    result = check_domain("1abc.\u05d0\u05d1")
    assert result.bidi_domain
    assert [(f.rule, f.label_index) for f in result.errors] == [("rfc5893.rule1", 1)]
    result = check_domain("xn--4dbc.1abc")  # the RTL label given as an A-label counts too
    assert result.bidi_domain
    assert [f.rule for f in result.errors] == ["rfc5893.rule1"]


def test_all_nsm_label_breaks_rules_1_and_6() -> None:
    got = rules("\u0308", bidi_domain=True)
    assert "rfc5893.rule1" in got
    assert "rfc5891.leading_combining_mark" in got


# --- Lengths --------------------------------------------------------------------------------------
def test_label_length_limits() -> None:
    assert rules("a" * 63) == []
    assert rules("a" * 64) == ["dns.label_too_long"]
    # 59 octets of Punycode + "xn--": find a U-label whose A-label is exactly 63 and 64 octets
    assert check_label("ü" + "a" * 55).alabel is not None
    assert len(check_label("ü" + "a" * 55).alabel or "") <= 63
    assert check_label("ü" + "a" * 58).errors[0].rule == "dns.label_too_long"  # xn--aaa…-… is 66 octets
    long_idn = "".join(chr(0x4E00 + 997 * i) for i in range(20))  # scattered Han: ~4 octets each
    assert rules(long_idn) == ["dns.label_too_long"]


def test_name_length_limits() -> None:
    name = ".".join(["a" * 63] * 3 + ["a" * 61])  # 253 octets
    assert len(name) == 253
    assert check_domain(name).ok
    assert check_domain(name + ".").ok  # the root dot does not count
    result = check_domain(name + "a")
    assert [f.rule for f in result.errors] == ["dns.name_too_long"]


def test_empty_labels() -> None:
    assert [f.rule for f in check_domain("a..b").errors] == ["dns.label_empty"]
    assert [f.rule for f in check_domain(".a").errors] == ["dns.label_empty"]
    assert [f.rule for f in check_domain("").errors] == ["dns.label_empty"]
    assert check_domain("example.").name == "example."


def test_huge_input_rejected_before_work() -> None:
    result = check_label("a" * 1_000_000)
    assert [f.rule for f in result.errors] == ["dns.input_too_long"]
    result = check_domain("a." * 500_000)
    assert [f.rule for f in result.errors] == ["dns.input_too_long"]


# --- A-labels -------------------------------------------------------------------------------------
def test_alabel_valid_and_roundtrip() -> None:
    result = check_label("xn--bcher-kva")
    assert result.ok
    assert result.ulabel == "bücher"
    assert result.alabel == "xn--bcher-kva"


def test_alabel_uppercase_prefix_warns_in_registration() -> None:
    result = check_label("XN--bcher-kva")
    assert result.ok
    assert [f.rule for f in result.warnings] == ["rfc5891.alabel_case"]
    lookup = check_label("XN--bcher-kva", profile=Profile.LOOKUP)  # lookup maps case first
    assert lookup.ok
    assert [f.rule for f in lookup.warnings] == ["uts46.mapped"]


@pytest.mark.parametrize(
    ("alabel", "rule"),
    [
        ("xn--", "rfc5890.fake_alabel"),  # decodes to the empty string
        ("xn--abc-", "rfc5890.fake_alabel"),  # decodes to ASCII "abc"
        ("xn--zz", "rfc3492.invalid"),  # truncated variable-length integer
        ("xn--a-!", "rfc3492.invalid"),  # not a Punycode digit
        ("xn--99999999999a", "rfc3492.invalid"),  # overflow
        ("xn---kva", "rfc3492.invalid"),  # delimiter without basic code points: RFC 3492 §6.2
        ("xn--n3h", "rfc5892.disallowed"),  # decodes to U+2603 SNOWMAN
        ("xn--bcher-KVA", None),  # digits are case-insensitive: valid
    ],
)
def test_bad_alabels(alabel: str, rule: str | None) -> None:
    result = check_label(alabel)
    if rule is None:
        assert result.ok
    else:
        assert rule in [f.rule for f in result.errors], [f.rule for f in result.findings]


def test_alabel_case_is_folded_before_decoding() -> None:
    # DNS compares ASCII case-insensitively: "XN--BCHER-KVA" is the label "xn--bcher-kva".
    result = check_label("XN--BCHER-KVA")
    assert result.ok
    assert result.ulabel == "bücher"
    assert [f.rule for f in result.warnings] == ["rfc5891.alabel_case"]


def test_fake_alabel_has_no_ulabel() -> None:
    result = check_label("xn--zz--")
    assert [f.rule for f in result.errors] == ["rfc5890.fake_alabel"]
    assert result.ulabel is None


def test_alabel_that_encodes_a_reserved_ulabel() -> None:
    # A U-label may not have "--" in positions 3-4 either, even when it arrives as an A-label.
    result = check_label("xn--ab---3ra")  # decodes to "ab--ü"
    assert result.ulabel == "ab--ü"
    assert [f.rule for f in result.errors] == ["rfc5891.hyphen34"]


def test_findings_carry_severity_and_source() -> None:
    finding = check_label("a\u200cb").errors[0]
    assert finding.severity is Severity.ERROR
    assert finding.source == "RFC 5892 Appendix A.1"
    assert finding.to_dict()["codepoint"] == "U+200C"
    # Issue 19: Severity is a str enum, so a comparison with the JSON's string holds.
    assert finding.severity == "error" and finding.severity != "warning"
    assert isinstance(finding.severity, str) and f"{finding.severity}" == "error"


@pytest.mark.parametrize(
    "call",
    [
        idnkit.check_domain,
        idnkit.check_label,
        idnkit.to_alabel,
        idnkit.to_ulabel,
        idnkit.uts46.to_ascii,
        idnkit.uts46.to_unicode,
    ],
    ids=lambda f: f.__name__,
)
def test_bytes_input_is_a_type_error_saying_what_to_pass(call: Callable[[str], object]) -> None:
    with pytest.raises(TypeError, match=r"takes a str, not bytes \(decode bytes first"):
        call(b"abc")  # type: ignore[arg-type]
