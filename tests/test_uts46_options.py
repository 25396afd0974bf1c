"""Each UTS #46 §4 processing option, flipped, on hand-written inputs (ToASCII, ToUnicode, process).

Every case gives ToASCII's answer with the IdnaTestV2 defaults and with one option flipped (None:
the operation fails), so each option is shown to change what it should and nothing else.  The
IdnaTestV2 tests (tests/test_idnatestv2.py) flip the options over the whole conformance file; these
cases add what the file does not exercise (IgnoreInvalidPunycode, Transitional_Processing on
single labels, the DNS length bounds, the ASCII the STD3 rules refuse) and check that the result
records the options.
"""

from __future__ import annotations

import pytest

from idnkit import uts46
from idnkit.errors import IdnkitError

SAME = object()  # the expected output is the input itself (long inputs)

# input, ToASCII with the defaults, ToASCII with the option flipped (None: failure)
CASES: dict[str, list[tuple[str, object, object]]] = {
    "check_hyphens": [
        ("-x", None, "-x"),
        ("x-", None, "x-"),
        ("-x-", None, "-x-"),
        ("ab--c", None, "ab--c"),
        ("aa--", None, "aa--"),
        ("-", None, "-"),
        ("--", None, "--"),
        ("a-b", "a-b", "a-b"),
        ("x-.example", None, "x-.example"),
        ("-x.example", None, "-x.example"),
        ("ab--c.example", None, "ab--c.example"),
        ("a†--", None, "xn--a---kp0a"),
        ("-†", None, "xn----xhn"),
        ("†-", None, "xn----whn"),
        ("ab--†", None, "xn--ab---yb7a"),
        ("xn--zca.-x", None, "xn--zca.-x"),
        ("é-", None, "xn----9fa"),
        ("-é", None, "xn----bga"),
        ("é--é", "xn-----9iac", "xn-----9iac"),
        ("e--é", "xn--e---dma", "xn--e---dma"),
        ("-1", None, "-1"),
        ("1-", None, "1-"),
        ("---", None, "---"),
        ("a.-b.c", None, "a.-b.c"),
        ("a.b-.c", None, "a.b-.c"),
    ],
    "check_bidi": [
        ("א.1a", None, "xn--4db.1a"),
        ("א1", "xn--1-zhc", "xn--1-zhc"),
        ("1א", None, "xn--1-0hc"),
        ("אa", None, "xn--a-zhc"),
        ("aא", None, "xn--a-0hc"),
        ("ا١1", None, "xn--1-ymc8o"),
        ("א̈", "xn--ssa73l", "xn--ssa73l"),
        ("א.̈a", None, None),
        ("a.א", "a.xn--4db", "a.xn--4db"),
        ("ي.1", None, "xn--mhb.1"),
        ("xn--mhb.1", None, "xn--mhb.1"),
        ("א-", None, None),
        ("ا.b̀", "xn--mgb.xn--b-vbb", "xn--mgb.xn--b-vbb"),
        ("אב.example", "xn--4dbc.example", "xn--4dbc.example"),
        ("א.ב", "xn--4db.xn--5db", "xn--4db.xn--5db"),
        ("abc.אבc", None, "abc.xn--c-zhcd"),
        ("0.א", None, "0.xn--4db"),
        ("١1", None, "xn--1-9pc"),
        ("א١", "xn--4db40a", "xn--4db40a"),
        ("١", None, "xn--9hb"),
    ],
    "check_joiners": [
        ("\u200d.example", None, "xn--1ug.example"),
        ("a\u200cb", None, "xn--ab-j1t"),
        ("a\u200db", None, "xn--ab-m1t"),
        ("\u200c", None, "xn--0ug"),
        ("क्\u200dष", "xn--11b2ezcw70k", "xn--11b2ezcw70k"),
        ("क्\u200cष", "xn--11b2ezcs70k", "xn--11b2ezcs70k"),
        ("ب\u200cب", "xn--ngba799q", "xn--ngba799q"),
        ("ب\u200c", None, None),
        ("\u200ca", None, "xn--a-rgn"),
        ("xn--1ug.example", None, "xn--1ug.example"),
        ("xn--0ug", None, "xn--0ug"),
        ("a\u200d", None, "xn--a-ugn"),
        ("्\u200d", None, None),
        ("ل\u200cا", "xn--mgb1ds31i", "xn--mgb1ds31i"),
        ("x\u200c\u200dy", None, "xn--xy-j1te"),
        ("\u200c\u200d", None, "xn--0ugc"),
        ("ab\u200c", None, "xn--ab-k1t"),
        ("क\u200d", None, "xn--11b478i"),
        ("\u200dक", None, "xn--11b378i"),
        ("xn--a-ywt", None, None),
    ],
    "use_std3_ascii_rules": [
        ("a_b", None, "a_b"),
        ("_dmarc.example", None, "_dmarc.example"),
        ("a b", None, "a b"),
        ("a*b", None, "a*b"),
        ("a!", None, "a!"),
        ("a$b.com", None, "a$b.com"),
        ("a+b", None, "a+b"),
        ("a=b", None, "a=b"),
        ("a~b", None, "a~b"),
        ("a,b", None, "a,b"),
        ("a(b)", None, "a(b)"),
        ("⑴", None, "(1)"),
        ("＿", None, "_"),
        ("a\x00b", None, "a\x00b"),
        ("a@b", None, "a@b"),
        ("a:b", None, "a:b"),
        ("a/b", None, "a/b"),
        ("a\\b", None, "a\\b"),
        ("⑴.example", None, "(1).example"),
        ("a%b", None, "a%b"),
        ("a#b", None, "a#b"),
        ("a?b", None, "a?b"),
        ("a[b]", None, "a[b]"),
        ("a|b", None, "a|b"),
        ("a^b", None, "a^b"),
    ],
    "verify_dns_length": [
        ("x..example", None, "x..example"),
        ("example.", None, "example."),
        ("", None, ""),
        (".", None, "."),
        ("..", None, ".."),
        ("a." + "b" * 64, None, SAME),
        ("x" * 63, SAME, SAME),
        ("x" * 64, None, SAME),
        ("x" * 64 + ".com", None, SAME),
        (".example", None, ".example"),
        ("a..", None, "a.."),
        ("ü" * 20, "xn--tda" + "a" * 19, "xn--tda" + "a" * 19),
        ("ü" * 60, None, "xn--tda" + "a" * 59),
        (".".join(["a" * 63] * 4), None, SAME),
        (".".join(["a" * 63] * 3) + "." + "a" * 61, SAME, SAME),
        ("a\xad.", None, "a."),
        ("\xad", None, ""),
        ("xn--", None, None),
        ("a.b..c", None, "a.b..c"),
        ("x" * 63 + ".", None, SAME),
        ("é" + "x" * 57, None, "xn--" + "x" * 57 + "-97e"),
        ("é" + "x" * 58, None, "xn--" + "x" * 58 + "-9bf"),
        ("a." * 126 + "a", SAME, SAME),
        ("a." * 127 + "a", None, SAME),
    ],
    "transitional_processing": [
        ("faß.de", "xn--fa-hia.de", "fass.de"),
        ("βόλος.com", "xn--nxasmm1c.com", "xn--nxasmq6b.com"),
        ("a\u200cb", None, "ab"),
        ("a\u200db", None, "ab"),
        ("क्\u200dष", "xn--11b2ezcw70k", "xn--11b2ezc"),
        ("ẞ", "xn--zca", "ss"),
        ("FAẞ.DE", "xn--fa-hia.de", "fass.de"),
        ("xn--zca", "xn--zca", "xn--zca"),
        ("ς", "xn--3xa", "xn--4xa"),
        ("σς", "xn--3xab", "xn--4xaa"),
        ("xn--fa-hia.de", "xn--fa-hia.de", "xn--fa-hia.de"),
        ("xn--3xa", "xn--3xa", "xn--3xa"),
        ("ß", "xn--zca", "ss"),
        ("straße.de", "xn--strae-oqa.de", "strasse.de"),
        ("Straße", "xn--strae-oqa", "strasse"),
        ("ßß", "xn--zcaa", "ssss"),
        ("a\u200d", None, "a"),
        ("\u200c", None, None),
        ("xn--0ug", None, None),
        ("ب\u200cب", "xn--ngba799q", "xn--ngba"),
    ],
    "ignore_invalid_punycode": [
        ("xn--ls8h=", None, "xn--ls8h="),
        ("xn--a", None, None),
        ("xn--", None, None),
        ("xn--zca", "xn--zca", "xn--zca"),
        ("xn---", None, "xn---"),
        ("xn--ab-", None, None),
        ("xn--tešla", None, None),
        ("xn--99999999", None, "xn--99999999"),
        ("xn--a.b", None, None),
        ("xn--ls8h=.example", None, "xn--ls8h=.example"),
        ("xn--zca.xn--ls8h=", None, "xn--zca.xn--ls8h="),
        ("xn--xn--", None, None),
        ("xn--a-", None, None),
        ("xn--_", None, "xn--_"),
        ("xn--a.xn--b", None, None),
        ("xn--0", None, "xn--0"),
        ("xn--ß", None, None),
        ("xn--%", None, "xn--%"),
        ("xn--ww", None, "xn--ww"),
        ("xn--1ug", None, None),
        ("xn--!", None, "xn--!"),
        ("example.xn--ab=c", None, "example.xn--ab=c"),
        ("xn--ls8h=.xn--ls8h=", None, "xn--ls8h=.xn--ls8h="),
    ],
}


FLIPPED = {"transitional_processing": True, "ignore_invalid_punycode": True}  # the others default to True


def _answer(result: uts46.Uts46Result) -> str | None:
    return result.result if result.ok else None


_PARAMS = [(option, *case) for option, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(("option", "text", "default", "flipped"), _PARAMS)
def test_to_ascii_with_the_option_flipped(option: str, text: str, default: object, flipped: object) -> None:
    value = FLIPPED.get(option, False)
    assert _answer(uts46.to_ascii(text)) == (text if default is SAME else default)
    result = uts46.to_ascii(text, **{option: value})  # type: ignore[arg-type]
    assert _answer(result) == (text if flipped is SAME else flipped)
    assert getattr(result.options, option) is value
    assert result.options.differences() == {option: value}


def test_every_option_has_cases_that_it_changes() -> None:
    for option, cases in CASES.items():
        changed = [text for text, default, flipped in cases if default is not flipped and default != flipped]
        assert len(cases) >= 20 and len(changed) >= 10, option


def test_option_names_are_the_standards() -> None:
    assert list(uts46.OPTION_NAMES) == list(uts46.Uts46Options().to_dict())
    assert set(uts46.OPTION_NAMES.values()) == {
        "CheckHyphens", "CheckBidi", "CheckJoiners", "UseSTD3ASCIIRules", "Transitional_Processing",
        "VerifyDnsLength", "IgnoreInvalidPunycode",
    }  # fmt: skip


# ToUnicode takes every option but VerifyDnsLength (UTS #46 §4.3).
# ToUnicode with one option flipped: (input, option, result, first error under the defaults).  Each
# result was also checked against ICU 78.3 with the same flags, but IgnoreInvalidPunycode (ICU has none).
_UNICODE = [
    ("-x.example", {"check_hyphens": False}, "-x.example", ["rfc5891.hyphen_start"]),
    ("ab--c", {"check_hyphens": False}, "ab--c", ["rfc5891.hyphen34"]),
    ("\u05d0.1a", {"check_bidi": False}, "\u05d0.1a", ["rfc5893.rule1"]),
    ("xn--1ug.example", {"check_joiners": False}, "\u200d.example", ["rfc5892.contextj.zwj"]),
    ("a_b.example", {"use_std3_ascii_rules": False}, "a_b.example", ["uts46.std3"]),
    ("faß.de", {"transitional_processing": True}, "fass.de", []),
    ("xn--zca", {"transitional_processing": True}, "ß", []),
    ("xn--ls8h=", {"ignore_invalid_punycode": True}, "xn--ls8h=", ["rfc3492.invalid"]),
    ("x-.example", {"check_hyphens": False}, "x-.example", ["rfc5891.hyphen_end"]),
    ("--x.example", {"check_hyphens": False}, "--x.example", ["rfc5891.hyphen_start"]),
    ("-X.example", {"check_hyphens": False}, "-x.example", ["rfc5891.hyphen_start"]),
    ("ab--cd.example", {"check_hyphens": False}, "ab--cd.example", ["rfc5891.hyphen34"]),
    ("a.-", {"check_hyphens": False}, "a.-", ["rfc5891.hyphen_start"]),
    ("\u05d0a", {"check_bidi": False}, "\u05d0a", ["rfc5893.rule2"]),
    ("1\u05d0", {"check_bidi": False}, "1\u05d0", ["rfc5893.rule1"]),
    ("a\u05d0", {"check_bidi": False}, "a\u05d0", ["rfc5893.rule5"]),
    ("\u0627\u06611", {"check_bidi": False}, "\u0627\u06611", ["rfc5893.rule4"]),
    ("1.\u05d0", {"check_bidi": False}, "1.\u05d0", ["rfc5893.rule1"]),
    ("a\u200db", {"check_joiners": False}, "a\u200db", ["rfc5892.contextj.zwj"]),
    ("a\u200cb", {"check_joiners": False}, "a\u200cb", ["rfc5892.contextj.zwnj"]),
    ("\u200c.example", {"check_joiners": False}, "\u200c.example", ["rfc5892.contextj.zwnj"]),
    ("xn--0ug", {"check_joiners": False}, "\u200c", ["rfc5892.contextj.zwnj"]),
    ("A\u200dB", {"check_joiners": False}, "a\u200db", ["rfc5892.contextj.zwj"]),
    ("a*b", {"use_std3_ascii_rules": False}, "a*b", ["uts46.std3"]),
    ("a@b.example", {"use_std3_ascii_rules": False}, "a@b.example", ["uts46.std3"]),
    ("x=y", {"use_std3_ascii_rules": False}, "x=y", ["uts46.std3"]),
    ("a\uff3fb", {"use_std3_ascii_rules": False}, "a_b", ["uts46.std3"]),
    ("a b", {"use_std3_ascii_rules": False}, "a b", ["uts46.std3"]),
    ("\u03c2.example", {"transitional_processing": True}, "\u03c3.example", []),
    ("a\u200cb", {"transitional_processing": True}, "ab", ["rfc5892.contextj.zwnj"]),
    ("FA\u1e9e.de", {"transitional_processing": True}, "fass.de", []),
    ("stra\xdfe", {"transitional_processing": True}, "strasse", []),
    ("xn--99999999999999", {"ignore_invalid_punycode": True}, "xn--99999999999999", ["rfc3492.invalid"]),
    ("xn--ls8h=.example", {"ignore_invalid_punycode": True}, "xn--ls8h=.example", ["rfc3492.invalid"]),
    ("xn--ZZ", {"ignore_invalid_punycode": True}, "xn--zz", ["rfc3492.invalid"]),
]


@pytest.mark.parametrize(("text", "options", "expected", "default_errors"), _UNICODE)
def test_to_unicode_with_the_option_flipped(
    text: str, options: dict[str, bool], expected: str, default_errors: list[str]
) -> None:
    default = uts46.to_unicode(text)
    assert [f.rule for f in default.findings if f.is_error][:1] == default_errors[:1]
    flipped = uts46.to_unicode(text, **options)
    assert flipped.ok, [f.rule for f in flipped.findings]
    assert flipped.result == expected
    assert flipped.options.differences(uts46.Uts46Options(verify_dns_length=False)) == options


def test_to_unicode_never_verifies_dns_length() -> None:
    result = uts46.to_unicode("x" * 64 + "..example")
    assert [f.rule for f in result.findings] == ["uts46.empty_label"]  # X4_2, never A4_*
    assert result.options.verify_dns_length is False


def test_ignored_punycode_is_a_warning_that_names_the_option() -> None:
    result = uts46.to_ascii("xn--ls8h=.example", ignore_invalid_punycode=True)
    assert result.ok
    [warning] = result.findings
    assert (warning.rule, warning.label_index, warning.is_error) == ("uts46.invalid_punycode_ignored", 1, False)
    assert "IgnoreInvalidPunycode" in warning.message


def test_transitional_processing_checks_decoded_labels_nontransitionally() -> None:
    # UTS #46 §4 step 4: an xn-- label is validated with the nontransitional criteria, so the
    # deviation characters it encodes stay valid even under Transitional_Processing.
    assert uts46.to_unicode("xn--zca.xn--3xa", transitional_processing=True).result == "ß.ς"
    # ...but typed deviation characters are mapped away first (§4 step 1)
    assert uts46.to_unicode("ß.ς", transitional_processing=True).result == "ss.σ"
    assert uts46.map_string("Faẞ", transitional=True) == "fass"
    assert uts46.map_string("Faẞ") == "faß"


def test_process_takes_the_options() -> None:
    labels, findings = uts46.process("-x.a_b", check_hyphens=False, use_std3_ascii_rules=False)
    assert labels == ["-x", "a_b"] and findings == []
    labels, findings = uts46.process("-x.a_b")
    assert sorted(f.rule for f in findings) == ["rfc5891.hyphen_start", "uts46.std3"]


def test_strict_raises_with_the_options_applied() -> None:
    assert uts46.to_ascii("-x", strict=True, check_hyphens=False).result == "-x"
    with pytest.raises(IdnkitError, match="hyphen"):
        uts46.to_ascii("-x", strict=True)


def test_result_to_dict_names_the_options() -> None:
    record = uts46.to_ascii("-x", check_hyphens=False).to_dict()
    assert record["valid"] is True and record["result"] == "-x"
    assert record["options"] == {**uts46.Uts46Options().to_dict(), "check_hyphens": False}
