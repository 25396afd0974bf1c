"""Tests at the exact boundaries a mutation sample found untested (issue 20 point 7).

Each test sits on both sides of one limit, so that moving the limit by one (a range end, ``>``
for ``>=``, a bound off by one, an overflow at 2^32 instead of 2^31) turns it red:

* RFC 5892 A.8: the Extended Arabic-Indic digits run U+06F0..U+06F9 — U+06F9 is the last one;
* RFC 5891 §4.2 / RFC 1035 §2.3.4: an A-label of exactly 63 octets is valid, 64 is not;
* idnkit's 255-code-point input bound (docs/bounds.md): 255 is examined, 256 is refused unread;
* RFC 3492 §6.4: the decoder behaves as one with signed 32-bit integers, overflowing past 2^31 - 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from idnkit import check_domain, check_label, uts46
from idnkit.idna import _labels, _punycode
from idnkit.idna._labels import MAX_LABEL_INPUT, MAX_LABEL_OCTETS
from idnkit.idna._punycode import PunycodeError


@contextmanager
def _native(on: bool) -> Iterator[None]:
    _labels._use_native(on)
    try:
        yield
    finally:
        _labels._use_native(True)


BOTH_PATHS = pytest.mark.parametrize("native", [True, False], ids=["native", "python"])


# --- RFC 5892 A.8 / A.9 at the ends of both digit ranges -----------------------------------------
@BOTH_PATHS
@pytest.mark.parametrize("extended", [0x06F0, 0x06F8, 0x06F9])
@pytest.mark.parametrize("arabic", [0x0660, 0x0669])
def test_arabic_indic_mixing_at_every_range_end(native: bool, extended: int, arabic: int) -> None:
    # U+0628 BEH, an Arabic-Indic digit, an Extended Arabic-Indic digit: A.8 fails at 2, A.9 at 3.
    with _native(native):
        got = {(f.rule, f.position, f.codepoint) for f in check_label(f"\u0628{chr(arabic)}{chr(extended)}").errors}
    assert ("rfc5892.contexto.arabic_indic_digits", 2, f"U+{arabic:04X}") in got
    assert ("rfc5892.contexto.extended_arabic_indic_digits", 3, f"U+{extended:04X}") in got


@BOTH_PATHS
def test_u06fa_is_not_an_extended_arabic_indic_digit(native: bool) -> None:
    # U+06FA ARABIC LETTER SHEEN WITH DOT BELOW, just past the range: no A.8 finding.
    with _native(native):
        rules = {f.rule for f in check_label("\u0628\u0660\u06fa").findings}
    assert "rfc5892.contexto.arabic_indic_digits" not in rules


# --- 63 and 64 octets -----------------------------------------------------------------------------
U63 = "ü" + "a" * 55  # xn--a…a-oxf: 63 octets
U64 = "ü" + "a" * 56  # 64 octets


@BOTH_PATHS
def test_alabel_of_exactly_63_octets_is_valid(native: bool) -> None:
    with _native(native):
        result = check_label(U63)
        assert result.ok
        assert result.alabel is not None and len(result.alabel) == MAX_LABEL_OCTETS == 63
        assert check_domain(U63 + ".example").ok
        assert check_label(result.alabel).ok  # and the A-label itself


@BOTH_PATHS
def test_alabel_of_64_octets_is_too_long(native: bool) -> None:
    with _native(native):
        result = check_label(U64)
        assert [f.rule for f in result.errors] == ["dns.label_too_long"]
        assert "64 octets" in result.errors[0].message
        assert [f.rule for f in check_domain(U64 + ".example").errors] == ["dns.label_too_long"]


@BOTH_PATHS
def test_ascii_label_of_63_and_64_octets(native: bool) -> None:
    with _native(native):
        assert check_label("a" * 63).ok
        assert [f.rule for f in check_label("a" * 64).errors] == ["dns.label_too_long"]


@BOTH_PATHS
def test_uts46_verify_dns_length_at_63_and_64_octets(native: bool) -> None:
    with _native(native):
        ok = uts46.to_ascii(U63)
        assert len(ok.result) == 63 and not ok.findings
        long = uts46.to_ascii(U64)
        assert len(long.result) == 64
        assert [(f.rule, f.message) for f in long.findings] == [("dns.label_too_long", "label is 64 octets")]
        assert not uts46.to_ascii("a" * 63).findings
        assert [f.rule for f in uts46.to_ascii("a" * 64).findings] == ["dns.label_too_long"]


def test_python_fast_path_answers_a_63_octet_label_itself() -> None:
    # The regular-expression fast path is sure of a 63-octet A-label, and gives up at 64.
    assert _labels._fast_ulabel_python(U63, False) == check_label(U63).alabel
    assert _labels._fast_ulabel_python(U64, False) is None


# --- the 255-code-point input bound ---------------------------------------------------------------
@BOTH_PATHS
@pytest.mark.parametrize(
    ("length", "rule"), [(254, "dns.label_too_long"), (255, "dns.label_too_long"), (256, "dns.input_too_long")]
)
def test_input_bound_is_255_code_points(native: bool, length: int, rule: str) -> None:
    assert MAX_LABEL_INPUT == 255
    with _native(native):
        for text in ("a" * length, "ü" * length):
            assert [f.rule for f in check_label(text).errors] == [rule]
            assert rule in {f.rule for f in check_domain(text).errors}


# --- RFC 3492 §6.4: overflow past 2^31 - 1 --------------------------------------------------------
def _varint(value: int, bias: int = 72) -> str:
    """RFC 3492 §6.3's generalized variable-length integer for ``value`` (the first delta: bias 72)."""
    out = []
    q, k = value, 36
    while True:
        t = 1 if k <= bias else 26 if k >= bias + 26 else k - bias
        if q < t:
            out.append(_punycode._DIGITS[q])
            return "".join(out)
        out.append(_punycode._DIGITS[t + (q - t) % (36 - t)])
        q = (q - t) // (36 - t)
        k += 36


def _decoders() -> list[Callable[[str], str]]:
    return [_punycode.decode, _punycode.decode_python]


@pytest.mark.parametrize("decode", _decoders(), ids=["public", "python"])
def test_decoder_overflows_just_past_2_to_the_31(decode: Callable[[str], str]) -> None:
    # A first delta of 2^31 - 1 still fits a signed 32-bit integer: the code point is then out of
    # range.  One more overflows — an implementation overflowing at 2^32 would say "code space".
    with pytest.raises(PunycodeError, match="beyond the Unicode code space"):
        decode("a-" + _varint(2**31 - 1))
    with pytest.raises(PunycodeError, match="overflow"):
        decode("a-" + _varint(2**31))
    with pytest.raises(PunycodeError, match="overflow"):
        decode("a-" + _varint(2**32 - 1))


def test_varint_helper_round_trips_through_the_decoder() -> None:
    # The helper is right: a small first delta decodes to the code point RFC 3492 §6.2 gives.
    # "a" then delta d: n = 0x80 + d // 2, inserted at d % 2.
    delta = 2 * (0xFC - 0x80) + 1  # ü after the "a"
    assert _punycode.decode_python("a-" + _varint(delta)) == "aü"
    assert _punycode.decode("a-" + _varint(delta)) == "aü"
