"""Properties of the named profiles over generated names.

whatwg-url is held to a transcription of the URL Standard's steps (whatwg/url 6ae8486, §3.3 and
§3.5) written here against the public ``uts46`` API, so the profile's own code path (its option
objects, its findings) is compared with the Standard read afresh.  The 2026-02 review draft's note
is checked too: with beStrict false, an ASCII domain none of whose labels starts with "xn--"
converts by ASCII lowercasing alone, which holds of UTS #46 ToASCII itself.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idnkit import profiles, uts46

from . import strategies as strat

pytestmark = pytest.mark.property

_LENIENT = {
    "check_hyphens": False,
    "check_bidi": True,
    "check_joiners": True,
    "use_std3_ascii_rules": False,
    "transitional_processing": False,
    "verify_dns_length": False,
    "ignore_invalid_punycode": False,
}
_FORBIDDEN_DOMAIN = set("\x00\t\n\r #/:<>?@[\\]^|%\x7f") | {chr(c) for c in range(0x20)}


def _standard_host(text: str) -> str | None:
    """URL Standard §3.5 host parser (domain branch) and §3.3 domain parser, step by step."""
    if text.startswith("[") or text == "":
        return None
    domain = unquote(text, encoding="utf-8", errors="replace")  # step 5
    if domain.isascii():  # domain parser step 5
        result: str | None = domain.lower()
    else:
        converted = uts46.to_ascii(domain, **_LENIENT)  # step 6
        result = converted.result if converted.ok else None
    if not result or any(c in _FORBIDDEN_DOMAIN for c in result):  # steps 7-8
        return None
    parts = result.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    hexadecimal = last[:2] in ("0x", "0X") and all(c in "0123456789abcdefABCDEF" for c in last[2:])
    if (last and last.isascii() and last.isdigit()) or hexadecimal:  # ends in a number
        return _standard_ipv4(result)
    return result


def _standard_ipv4(text: str) -> str | None:
    parts = text.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        return None
    numbers = []
    for part in parts:
        if part[:2] in ("0x", "0X"):
            digits, base, allowed = part[2:], 16, "0123456789abcdefABCDEF"
        elif len(part) > 1 and part[0] == "0":
            digits, base, allowed = part[1:], 8, "01234567"
        else:
            digits, base, allowed = part, 10, "0123456789"
        if part == "" or any(c not in allowed for c in digits):
            return None
        numbers.append(int(digits, base) if digits else 0)
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = numbers[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(numbers[:-1]))
    return ".".join(str((value >> s) & 0xFF) for s in (24, 16, 8, 0))


_PIECES = st.one_of(
    strat.special_chars,
    st.sampled_from("xn--0123456789abcdefXABC.%#/:@[]^| _"),
    st.sampled_from(["%41", "%C3%BC", "%FF", "0x", "xn--", "Ü", "ß", "\u200d", "\u05d0", "255", "4294967296"]),
    st.characters(codec=None),
)
_URLISH = st.lists(_PIECES, max_size=20).map("".join)


@given(st.one_of(_URLISH, strat.valid_domain_names, strat.any_text))
def test_whatwg_url_is_the_standards_host_parser(text: str) -> None:
    result = profiles.check(text, "whatwg-url")
    assert result.ascii == _standard_host(text), [f.rule for f in result.findings]
    assert result.ok == (result.ascii is not None)
    json.dumps(result.to_dict())


@given(st.text(st.sampled_from("abcXYZ019-_.~!$&'()*+,;=\x00 \t\x7f"), max_size=30))
def test_review_draft_note_ascii_domains_are_lowercased(domain: str) -> None:
    # URL Standard review draft 2026-02, §3.3 domain to ASCII step 1 note
    if any(label.lower().startswith("xn--") for label in domain.split(".")):
        return
    result = uts46.to_ascii(domain, **_LENIENT)
    assert result.ok and result.result == domain.lower()


@given(strat.any_text)
def test_display_and_email_answer_every_input(text: str) -> None:
    shown = profiles.check(text, "display")
    if shown.display is not None:
        assert shown.ok and shown.host_type == "domain"
        assert [label.ascii for label in shown.display.labels] == (shown.ascii or "").split(".")
        for label in shown.display.labels:
            assert not (label.as_unicode and label.reasons)  # a reason always keeps the A-label
            if label.ascii == label.unicode:
                assert label.as_unicode  # an LDH label is shown as it is
    email = profiles.check(text, "email")
    assert email.ok == (not email.errors) == (email.ascii is not None)
    json.dumps(shown.to_dict())
    json.dumps(email.to_dict())


@given(strat.valid_domain_names)
def test_valid_names_show_their_labels_in_one_of_their_forms(name: str) -> None:
    result = profiles.check(name, "display")
    assert result.ok and result.display is not None and result.ascii is not None
    for label, a in zip(result.display.labels, result.ascii.split("."), strict=True):
        assert label.ascii == a
        assert label.shown in (label.ascii, label.unicode)
        assert label.as_unicode or label.reasons or result.display.reasons
