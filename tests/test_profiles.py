"""The named profiles (idnkit.profiles): each profile's verdicts on hand-written names.

whatwg-url cases follow the URL Standard's host parser step by step (the living standard at
whatwg/url 6ae8486: §3.2 forbidden domain code points, §3.3 domain parser and domain to Unicode,
§3.5 host parser, ends in a number checker, IPv4 parser); email cases RFC 6531 §3.2-3.3 and RFC
5321 §4.1.2; display cases each browser policy's rules.  tests/property/test_profile_properties.py
holds whatwg-url to an independent transcription of the Standard's steps over generated inputs.
"""

from __future__ import annotations

import doctest
import json
import re

import pytest

from idnkit import Profile, check_domain, profiles, uts46
from idnkit.errors import IdnkitError, ProfileError
from idnkit.profiles import DisplayOptions, check

from ._cli import run_cli
from .conftest import ROOT

# --- the registry of profiles --------------------------------------------------------------------


def test_every_profile_is_named_with_its_standard_and_every_uts46_option() -> None:
    assert profiles.NAMES == ("registration", "lookup", "uts46", "whatwg-url", "display", "email")
    for named in profiles.PROFILES.values():
        assert named.cite and named.summary
        assert set(uts46.OPTION_NAMES) <= set(named.options_dict), named.name
        assert "map" in named.options_dict and "ascii_case" in named.options_dict


def test_whatwg_url_option_values_are_the_url_standards() -> None:
    # URL Standard §3.3 "domain parser ToASCII" with beStrict false.
    values = profiles.get("whatwg-url").options_dict
    assert {k: values[k] for k in uts46.OPTION_NAMES} == {
        "check_hyphens": False,
        "check_bidi": True,
        "check_joiners": True,
        "use_std3_ascii_rules": False,
        "transitional_processing": False,
        "verify_dns_length": False,
        "ignore_invalid_punycode": False,
    }


def test_unknown_profile_and_misplaced_options_are_profile_errors() -> None:
    with pytest.raises(ProfileError, match=r"no profile .browser.*registration, lookup"):
        check("example", "browser")
    with pytest.raises(ProfileError, match="uts46 profile"):
        check("example", "whatwg-url", options=uts46.Uts46Options(check_hyphens=False))
    with pytest.raises(ProfileError, match="registration and lookup"):
        check("example", "email", map=True)
    with pytest.raises(ProfileError, match="display profile"):
        check("example", "lookup", display=DisplayOptions())
    with pytest.raises(ProfileError, match="display policies"):
        DisplayOptions(policies=("safari",))
    with pytest.raises(ProfileError, match="restriction_profile"):
        DisplayOptions(firefox_restriction_profile="ASCII")
    assert issubclass(ProfileError, IdnkitError)


@pytest.mark.parametrize("name", ["bücher.example", "Bücher.Example", "a·b.example", "Example.COM", "-x.example"])
@pytest.mark.parametrize("profile", [Profile.REGISTRATION, Profile.LOOKUP])
def test_registration_and_lookup_are_check_domain(name: str, profile: Profile) -> None:
    result = check(name, profile.value)
    expected = check_domain(name, profile=profile)
    assert result.domain == expected
    assert (result.ok, result.ascii, result.unicode, result.findings) == (
        expected.ok,
        expected.ascii,
        expected.name,
        expected.findings,
    )
    assert result.to_dict()["profile"] == profile.value
    assert result.options_dict["map"] is (profile is Profile.LOOKUP)
    assert check(name, profile.value, map=False).options_dict["map"] is False


def test_uts46_profile_takes_every_option() -> None:
    assert check("_dmarc.example", "uts46").ok is False
    relaxed = check("_dmarc.example", "uts46", options=uts46.Uts46Options(use_std3_ascii_rules=False))
    assert relaxed.ok and relaxed.ascii == "_dmarc.example"
    assert relaxed.options_dict["use_std3_ascii_rules"] is False
    transitional = check("faß.de", "uts46", options=uts46.Uts46Options(transitional_processing=True))
    assert (transitional.ascii, transitional.unicode) == ("fass.de", "fass.de")


def test_records_are_json_and_name_profile_and_options() -> None:
    for name in profiles.NAMES:
        record = check("bücher.example", name).to_dict()
        json.dumps(record)
        assert record["profile"] == name
        assert record["options"] == profiles.get(name).options_dict | ({"top_domains": 0} if name == "display" else {})
        assert record["valid"] is True and record["ascii"] == "xn--bcher-kva.example"


# --- whatwg-url ----------------------------------------------------------------------------------

# (input, host or None for failure, host type, rule ids reported)
_URL = [
    ("EXAMPLE.com", "example.com", "domain", set()),  # domain parser step 5: ASCII lowercased
    ("bücher.example", "xn--bcher-kva.example", "domain", set()),
    ("XN--BCHER-KVA.example", "xn--bcher-kva.example", "domain", set()),
    ("-x.example", "-x.example", "domain", {"whatwg.domain_to_ascii"}),  # CheckHyphens false
    ("x-.example", "x-.example", "domain", {"whatwg.domain_to_ascii"}),
    ("ab--c.example", "ab--c.example", "domain", {"whatwg.domain_to_ascii"}),
    ("a†--.example", "xn--a---kp0a.example", "domain", {"whatwg.domain_to_ascii"}),
    ("a_b.example", "a_b.example", "domain", {"whatwg.domain_to_ascii"}),  # UseSTD3ASCIIRules false
    ("x..example", "x..example", "domain", {"whatwg.domain_to_ascii"}),  # VerifyDnsLength false
    ("example.", "example.", "domain", {"whatwg.domain_to_ascii"}),
    ("x" * 64 + ".com", "x" * 64 + ".com", "domain", {"whatwg.domain_to_ascii"}),
    ("≠.example", "xn--1ch.example", "domain", set()),  # valid in UTS #46, NV8 in IDNA2008
    ("☕.example", "xn--53h.example", "domain", set()),  # the Standard's own example
    ("faß.de", "xn--fa-hia.de", "domain", set()),  # Transitional_Processing false
    ("ｅｘａｍｐｌｅ.com", "example.com", "domain", set()),
    ("example。com", "example.com", "domain", set()),
    ("a\u00adb.example", "ab.example", "domain", set()),  # ignored code point
    # ASCII input is lowercased whatever ToASCII says (step 5, web compatibility)
    ("xn--a.example", "xn--a.example", "domain", {"whatwg.domain_to_ascii"}),
    ("xn--8i7caa.example", "xn--8i7caa.example", "domain", {"whatwg.domain_to_ascii"}),
    ("xn--", "xn--", "domain", {"whatwg.domain_to_ascii"}),
    # non-ASCII input fails with ToASCII (step 6)
    ("xn--tešla", None, None, {"uts46.xn_non_ascii", "whatwg.domain_to_ascii"}),
    ("a\u200db.example", None, None, {"rfc5892.contextj.zwj", "whatwg.domain_to_ascii"}),  # CheckJoiners true
    ("\u05d0.1a", None, None, {"rfc5893.rule1", "whatwg.domain_to_ascii"}),  # CheckBidi true
    ("\ufffd.com", None, None, {"uts46.disallowed", "whatwg.domain_to_ascii"}),
    # step 7: empty; step 8: forbidden domain code points (§3.2)
    ("", None, None, {"whatwg.empty_host"}),
    ("\u00ad", None, None, {"whatwg.empty_host", "whatwg.domain_to_ascii"}),
    ("a b.example", None, None, {"whatwg.forbidden_domain_code_point", "whatwg.domain_to_ascii"}),
    ("a<b.example", None, None, {"whatwg.forbidden_domain_code_point", "whatwg.domain_to_ascii"}),
    ("a^b.example", None, None, {"whatwg.forbidden_domain_code_point", "whatwg.domain_to_ascii"}),
    ("a|b.example", None, None, {"whatwg.forbidden_domain_code_point", "whatwg.domain_to_ascii"}),
    ("a\x7fb.example", None, None, {"whatwg.forbidden_domain_code_point", "whatwg.domain_to_ascii"}),
    ("a\x01b.example", None, None, {"whatwg.forbidden_domain_code_point", "whatwg.domain_to_ascii"}),
    ("a%b.example", None, None, {"whatwg.forbidden_domain_code_point", "whatwg.domain_to_ascii"}),
    # host parser steps 4-5: percent-decoding first
    ("a%41.example", "aa.example", "domain", {"whatwg.domain_percent_encoded"}),
    ("%C3%BC.example", "xn--tda.example", "domain", {"whatwg.domain_percent_encoded"}),
    ("%FF.example", None, None, {"whatwg.domain_percent_encoded", "uts46.disallowed", "whatwg.domain_to_ascii"}),
    # step 8: ends in a number -> IPv4 parser
    ("1.2.3.4", "1.2.3.4", "ipv4", {"whatwg.ipv4"}),
    ("1.2.3.4.", "1.2.3.4", "ipv4", {"whatwg.ipv4", "whatwg.ipv4_validation", "whatwg.domain_to_ascii"}),
    ("0x7f.1", "127.0.0.1", "ipv4", {"whatwg.ipv4", "whatwg.ipv4_validation"}),  # non-decimal, too few parts
    ("4294967295", "255.255.255.255", "ipv4", {"whatwg.ipv4", "whatwg.ipv4_validation"}),
    ("4294967296", None, None, {"whatwg.ipv4_validation", "whatwg.ipv4_invalid"}),
    ("999.1.1.1", None, None, {"whatwg.ipv4_validation", "whatwg.ipv4_invalid"}),
    ("1.2.3.4.5", None, None, {"whatwg.ipv4_invalid"}),
    ("example.1", None, None, {"whatwg.ipv4_validation", "whatwg.ipv4_invalid"}),
    ("example.0x", None, None, {"whatwg.ipv4_validation", "whatwg.ipv4_invalid"}),
    ("a.b.c.09", None, None, {"whatwg.ipv4_invalid"}),  # the Standard's note: "09" caught by the IPv4 parser
    ("[::1]", None, None, {"whatwg.not_a_domain"}),
]


@pytest.mark.parametrize(("text", "host", "host_type", "rules"), _URL)
def test_whatwg_url_host_parser(text: str, host: str | None, host_type: str | None, rules: set[str]) -> None:
    result = check(text, "whatwg-url")
    assert (result.ok, result.ascii, result.host_type) == (host is not None, host, host_type)
    assert {f.rule for f in result.findings} == rules
    assert all(not f.is_error for f in result.findings) == result.ok


def test_whatwg_url_validation_errors_are_warnings_and_failures_are_errors() -> None:
    lenient = check("-x.example", "whatwg-url")
    [warning] = lenient.findings
    assert not warning.is_error and "rfc5891.hyphen_start" in warning.message
    failed = check("a b.example", "whatwg-url")
    forbidden = [f for f in failed.findings if f.rule == "whatwg.forbidden_domain_code_point"]
    assert [(f.position, f.codepoint, f.is_error) for f in forbidden] == [(2, "U+0020", True)]


def test_whatwg_url_domain_to_unicode() -> None:
    # §3.3 domain to Unicode: ToUnicode with the URL options; the domain itself on any error
    assert check("xn--bcher-kva.example", "whatwg-url").unicode == "bücher.example"
    assert check("-x.xn--zca", "whatwg-url").unicode == "-x.ß"
    assert check("xn--a.example", "whatwg-url").unicode == "xn--a.example"
    assert check("xn--8i7caa.example", "whatwg-url").unicode == "xn--8i7caa.example"


# --- email ---------------------------------------------------------------------------------------

# (input, ASCII form or None, Unicode form, the domain part when it is not the input, rules)
_EMAIL = [
    ("bücher.de", "xn--bcher-kva.de", "bücher.de", None, set()),
    ("user@bücher.de", "xn--bcher-kva.de", "bücher.de", "bücher.de", set()),
    ('"a@b"@example.com', "example.com", "example.com", "example.com", set()),  # the last "@" separates
    ("пример.рф", "xn--e1afmkfd.xn--p1ai", "пример.рф", None, set()),
    ("XN--BCHER-KVA.de", "xn--bcher-kva.de", "bücher.de", None, {"rfc5891.alabel_case"}),
    ("Example.COM", "example.com", "example.com", None, {"dns.ascii_case"}),  # RFC 5321 §2.4, RFC 4343
    ("ab--cd.example", "ab--cd.example", "ab--cd.example", None, {"rfc5321.reserved_ldh"}),
    ("localhost", "localhost", "localhost", None, {"rfc5321.single_label"}),
    # no mapping in the protocol: "Bücher" is not a U-label (RFC 6531 §3.3 imports RFC 5890's)
    ("Bücher.de", None, "Bücher.de", None, {"rfc5892.disallowed", "uts46.would_map"}),
    ("a·b.example", None, "a·b.example", None, {"rfc5892.contexto.middle_dot"}),
    ("-x.example", None, "-x.example", None, {"rfc5891.hyphen_start"}),
    ("example.", None, "example.", None, {"rfc5321.trailing_dot"}),  # RFC 5321 §4.1.2 Domain
    ("[192.0.2.1]", None, None, None, {"rfc5321.address_literal"}),
    ("user@[192.0.2.1]", None, None, "[192.0.2.1]", {"rfc5321.address_literal"}),
    ("ab--cd\u00fc.example", None, "ab--cdü.example", None, {"rfc5891.hyphen34"}),  # a U-label stays refused
]


@pytest.mark.parametrize(("text", "ascii_form", "unicode_form", "subject", "rules"), _EMAIL)
def test_email_domain_part(
    text: str, ascii_form: str | None, unicode_form: str | None, subject: str | None, rules: set[str]
) -> None:
    result = check(text, "email")
    assert (result.ok, result.ascii, result.unicode, result.subject) == (
        ascii_form is not None,
        ascii_form,
        unicode_form,
        subject,
    )
    assert {f.rule for f in result.findings} == rules
    if result.domain is not None:
        assert result.domain.ok == result.ok and result.domain.ascii == result.ascii


def test_email_differs_from_registration_only_where_rfc5321_says() -> None:
    assert not check_domain("ab--cd.example").ok and check("ab--cd.example", "email").ok
    assert check_domain("example.").ok and not check("example.", "email").ok


# --- display -------------------------------------------------------------------------------------

_ALL = None
_FF = DisplayOptions(policies=("firefox",))
_FF_MODERATE = DisplayOptions(policies=("firefox",), firefox_restriction_profile="moderate")
_UTS39 = DisplayOptions(policies=("uts39",))
_CR = DisplayOptions(policies=("chromium",))
_TOP = DisplayOptions.with_top_domains(["google.com", "# a comment", "Example.ORG."])

# (input, options, what is shown, the reasons' rule ids)
_DISPLAY = [
    ("bücher.de", _ALL, "bücher.de", set()),
    ("東京abc.jp", _ALL, "東京abc.jp", set()),  # Latin with Han: Highly Restrictive (UTS #39 §5.2)
    ("αβγ.gr", _ALL, "αβγ.gr", set()),
    ("xn--bcher-kva.de", _ALL, "bücher.de", set()),
    # whole-script Cyrillic look-alike of Latin: Chromium's step 10 refuses it under .com only
    ("аррӏе.com", _ALL, "xn--80ak6aa92e.com", {"display.chromium.whole_script_confusable"}),
    ("xn--80ak6aa92e.com", _ALL, "xn--80ak6aa92e.com", {"display.chromium.whole_script_confusable"}),
    ("аррӏе.com", _FF, "аррӏе.com", set()),  # Firefox shows single-script labels
    ("аррӏе.com", _UTS39, "аррӏе.com", set()),
    ("аррӏе.рф", _ALL, "аррӏе.рф", set()),  # the TLD is Cyrillic
    ("аррӏе.ru", _ALL, "аррӏе.ru", set()),  # allow-listed TLD
    ("ιο.com", _ALL, "xn--uxam.com", {"display.chromium.whole_script_confusable"}),
    # mixed scripts
    (
        "pаypal.com",
        _ALL,
        "xn--pypal-4ve.com",
        {
            "display.uts39.restriction_level",
            "display.firefox.script_mix",
            "display.chromium.script_mix",
            "display.chromium.mixed_script_confusable",
        },
    ),
    ("abcअ.in", _FF, "xn--abc-meh.in", {"display.firefox.script_mix"}),  # "high": Latin + other refused
    ("abcअ.in", _FF_MODERATE, "abcअ.in", set()),  # "moderate": Latin + one other script
    ("abcअ.in", _UTS39, "abcअ.in", set()),  # Moderately Restrictive
    ("abcअ.in", _CR, "xn--abc-meh.in", {"display.chromium.script_mix"}),  # Chrome: Highly Restrictive
    # numbering systems (UTS #39 §5.3 and both browsers) and digit look-alikes (Chromium step 11)
    (
        "১1.in",
        _ALL,
        "xn--1-t6d.in",
        {"display.uts39.mixed_numbers", "display.firefox.mixed_numbers", "display.chromium.mixed_numbers"},
    ),
    ("৪৪.com", _CR, "xn--47ba.com", {"display.chromium.digit_lookalike", "display.chromium.whole_script_confusable"}),
    # characters tied to a TLD or a context
    ("l·l.cat", _ALL, "l·l.cat", set()),
    ("l·l.com", _ALL, "xn--ll-0ea.com", {"display.firefox.middle_dot", "display.chromium.middle_dot"}),
    ("þorn.is", _ALL, "þorn.is", set()),
    ("þorn.com", _ALL, "xn--orn-ooa.com", {"display.firefox.tld_character", "display.chromium.tld_character"}),
    ("bəy.az", _ALL, "bəy.az", set()),
    ("bəy.com", _ALL, "xn--by-ufb.com", {"display.firefox.tld_character", "display.chromium.tld_character"}),
    ("ʻokina.com", _ALL, "xn--okina-51c.com", {"display.firefox.quote_like", "display.chromium.not_allowed"}),
    ("ß.de", _ALL, "xn--zca.de", {"display.chromium.deviation"}),  # Chromium shows deviations as A-labels
    ("ß.de", _FF, "ß.de", set()),
    # marks and Kana
    (
        "ki\u0307s.com",
        _ALL,
        "xn--kis-9dc.com",
        {"display.firefox.combining_mark", "display.chromium.dangerous_pattern"},
    ),
    ("q\u0308\u0308.com", _ALL, "xn--q-ccba.com", {"display.firefox.combining_mark", "display.chromium.invisible"}),
    ("ーabc.jp", _ALL, "xn--abc-ss4b.jp", {"display.firefox.kana_context", "display.chromium.dangerous_pattern"}),
    ("aノb.jp", _ALL, "xn--ab-8j4a.jp", {"display.firefox.kana_context", "display.chromium.dangerous_pattern"}),
    ("日本ノb.jp", _ALL, "日本ノb.jp", set()),  # ノ next to Han is fine
    # top domains (Chromium step 13): the skeleton of a suffix of the name, diacritics removed
    ("googlé.com", _ALL, "googlé.com", set()),  # no list given: nothing to compare with
    ("googlé.com", _TOP, "xn--googl-fsa.com", {"display.chromium.top_domain"}),
    ("mail.googlé.com", _TOP, "mail.xn--googl-fsa.com", {"display.chromium.top_domain"}),
    ("éxample.org", _TOP, "xn--xample-9ua.org", {"display.chromium.top_domain"}),
    ("bücher.de", _TOP, "bücher.de", set()),
    # domain to Unicode records an error: the name is shown as it is
    ("xn--a.com", _ALL, "xn--a.com", {"display.unicode_error", "whatwg.domain_to_ascii"}),
]


@pytest.mark.parametrize(("text", "options", "shown", "rules"), _DISPLAY)
def test_display_policies(text: str, options: DisplayOptions | None, shown: str, rules: set[str]) -> None:
    result = check(text, "display", display=options)
    assert result.ok and result.display is not None
    assert result.display.shown == shown
    assert {f.rule for f in result.findings} == rules
    assert result.display.as_unicode == (shown == result.unicode)
    assert all(not f.is_error for f in result.display.reasons)


def test_display_reasons_name_their_policy_label_and_character() -> None:
    decision = check("l·l.com", "display").display
    assert decision is not None
    [label, tld] = decision.labels
    assert (label.ascii, label.unicode, label.as_unicode, tld.as_unicode) == ("xn--ll-0ea", "l·l", False, True)
    assert {(f.ref, f.label_index, f.position, f.codepoint) for f in label.reasons} == {
        ("firefox", 1, 2, "U+00B7"),
        ("chromium", 1, 2, "U+00B7"),
    }
    assert decision.to_dict()["labels"][0]["shown"] == "xn--ll-0ea"


def test_display_of_what_is_not_a_domain() -> None:
    ipv4 = check("1.2.3.4", "display")
    assert ipv4.ok and ipv4.display is None and ipv4.host_type == "ipv4"
    failed = check("a b.com", "display")
    assert not failed.ok and failed.display is None


def test_display_options_are_recorded() -> None:
    record = check("bücher.de", "display", display=_FF_MODERATE).to_dict()
    assert record["options"]["policies"] == "firefox"
    assert record["options"]["firefox_restriction_profile"] == "moderate"
    assert check("bücher.de", "display", display=_TOP).options_dict["top_domains"] == 2
    assert _TOP.top_domains == frozenset({"google.com", "example.org"})


# --- docs/profiles.md ------------------------------------------------------------------------------


def test_the_docs_examples_run() -> None:

    page = (ROOT / "docs" / "profiles.md").read_text(encoding="utf-8")
    for block in re.findall(r"```python\n(.*?)```", page, flags=re.S):
        test = doctest.DocTestParser().get_doctest(block, {}, "docs/profiles.md", "docs/profiles.md", 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test)
        assert runner.failures == 0 and runner.tries > 0
    [console] = re.findall(r"```console\n(.*?)```", page, flags=re.S)
    command, *expected = console.splitlines()
    output = run_cli(*command.removeprefix("$ idncheck ").split()).output
    assert doctest.OutputChecker().check_output("\n".join(expected) + "\n", output, doctest.ELLIPSIS)
    # every option and every profile of the library is in the page's tables
    for name in profiles.NAMES:
        assert f"| `{name}`" in page
    for keyword, standard in uts46.OPTION_NAMES.items():
        assert f"| `{keyword}` | {standard}" in page
