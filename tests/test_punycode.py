"""RFC 3492 Punycode: the RFC's §7.1 samples, malformed input, bounds, and the stdlib as an oracle."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idnkit import _punycode
from idnkit._punycode import MAX_INPUT, PunycodeError, decode, encode

# RFC 3492 §7.1 sample strings (Unicode, Punycode).
SAMPLES = [
    (
        "\u0644\u064a\u0647\u0645\u0627\u0628\u062a\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064a\u061f",
        "egbpdaj6bu4bxfgehfvwxn",
    ),  # (A) Arabic (Egyptian)
    ("\u4ed6\u4eec\u4e3a\u4ec0\u4e48\u4e0d\u8bf4\u4e2d\u6587", "ihqwcrb4cv8a8dqg056pqjye"),  # (B) Chinese
    ("Pro\u010dprost\u011bnemluv\u00ed\u010desky", "Proprostnemluvesky-uyb24dma41a"),  # (D) Czech
    ("3\u5e74B\u7d44\u91d1\u516b\u5148\u751f", "3B-ww4c5e180e575a65lsy2b"),  # (L) Japanese
    ("\u305d\u306e\u30b9\u30d4\u30fc\u30c9\u3067", "d9juau41awczczp"),  # (R) Japanese
    ("-> $1.00 <-", "-> $1.00 <--"),  # (S) all basic code points
]


@pytest.mark.parametrize(("text", "puny"), SAMPLES)
def test_rfc3492_samples(text: str, puny: str) -> None:
    assert encode(text) == puny
    assert decode(puny) == text


@pytest.mark.parametrize(
    ("puny", "what"),
    [
        ("bcher-kv!", "not a Punycode digit"),
        ("zz", "ends in the middle"),
        ("a-999999999999", "overflow"),
        ("-kva", "not a Punycode digit"),  # a delimiter with no basic code points before it
        ("ü-kva", "not a basic"),
        ("99999a", "beyond the Unicode code space"),
    ],
)
def test_malformed(puny: str, what: str) -> None:
    with pytest.raises(PunycodeError, match=what) as info:
        decode(puny)
    assert info.value.position is None or 1 <= info.value.position <= len(puny)


def test_surrogates_are_not_encoded() -> None:
    with pytest.raises(PunycodeError, match="surrogate"):
        encode("a\ud800")


def test_bounds() -> None:
    with pytest.raises(PunycodeError, match="over the bound"):
        decode("a" * (MAX_INPUT + 1))
    with pytest.raises(PunycodeError, match="over the bound"):
        encode("ü" * (MAX_INPUT + 1))


scalar = st.characters(blacklist_categories=("Cs",))


@pytest.mark.property
@given(st.text(scalar, max_size=64))
def test_roundtrip_and_stdlib_oracle(text: str) -> None:
    puny = encode(text)
    assert decode(puny) == text
    assert puny == text.encode("punycode").decode("ascii")


def test_accelerator_present_where_required() -> None:
    # CI builds the C accelerator (IDNKIT_REQUIRE_SPEEDUPS=1); elsewhere it is optional.
    if os.environ.get("IDNKIT_REQUIRE_SPEEDUPS") == "1":
        assert _punycode._c_encode is not None


@pytest.mark.property
@given(st.text(max_size=80))
def test_accelerator_matches_reference(text: str) -> None:
    if _punycode._c_encode is None:
        pytest.fail("the C accelerator is not built; run pip install . with a C compiler")
    fast = _punycode._c_encode(text)
    try:
        reference = _punycode.encode_python(text)
    except PunycodeError:
        assert fast is None
    else:
        assert fast == reference
