"""RFC 3492 Punycode: the RFC's §7.1 samples, malformed input, bounds, and the stdlib as an oracle."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from idnkit.idna import _punycode
from idnkit.idna._punycode import MAX_INPUT, PunycodeError, decode, encode

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
        assert _punycode._c_decode is not None


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


# --- the C decoder against the reference decoder ------------------------------------------------


def _c_decode() -> Callable[[str], str | None]:
    if _punycode._c_decode is None:
        pytest.fail("the C accelerator is not built; run pip install . with a C compiler")
    return _punycode._c_decode


def assert_decoders_agree(puny: str) -> None:
    """The C decoder gives the reference decoder's string, or None exactly where it raises."""
    fast = _c_decode()(puny)
    try:
        reference = _punycode.decode_python(puny)
    except PunycodeError:
        assert fast is None, (puny, fast)
    else:
        assert type(fast) is str and fast == reference, (puny, fast, reference)
        assert decode(puny) == reference


# RFC 3492 digits in both cases, the delimiter, and characters that are neither.
_PUNY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-"
puny_text = st.text(st.sampled_from(_PUNY_CHARS), max_size=80)
odd_text = st.text(st.one_of(st.sampled_from(_PUNY_CHARS), st.sampled_from("-_.! \x7fü\u4e00\ud800\U0001f600")))
# Digits that make large values and weights: the §6.4 overflow checks and the code space bound.
big_digits = st.text(st.sampled_from("0123456789zZyx"), min_size=1, max_size=16)


@pytest.mark.property
@given(st.text(scalar, max_size=120))
def test_c_decoder_roundtrips_encoded_text(text: str) -> None:
    puny = encode(text)
    assert_decoders_agree(puny)
    assert_decoders_agree(puny.upper())  # RFC 3492 §5: digits are case-insensitive
    assert _c_decode()(puny) == text


@pytest.mark.property
@given(odd_text)
@example("")
@example("-")
@example("--")
@example("a-")
@example("-a")
@example("a--")
@example("a--a")
@example("-> $1.00 <--")
@example("BCHER-KVA")
@example("ü-kva")
@example("bücher-kva")
@example("bcher-kvü")
def test_c_decoder_matches_reference_on_any_text(text: str) -> None:
    assert_decoders_agree(text)


@pytest.mark.property
@given(puny_text)
def test_c_decoder_matches_reference_on_digit_strings(text: str) -> None:
    assert_decoders_agree(text)


@pytest.mark.property
@given(st.text(st.characters(max_codepoint=0x7F), max_size=20), big_digits, big_digits)
def test_c_decoder_matches_reference_on_huge_deltas(basic: str, first: str, second: str) -> None:
    assert_decoders_agree(f"{basic}-{first}{second}")
    assert_decoders_agree(first + second)


@pytest.mark.parametrize(
    ("puny", "what"),
    [
        ("zz", "ends in the middle"),
        ("bcher-kv!", "not a Punycode digit"),
        ("ü-kva", "not a basic"),
        ("a-999999999999", "overflow"),
        ("99999a", "beyond the Unicode code space"),
        ("ib9b", "surrogate"),  # U+D800
        ("a" * (MAX_INPUT + 1), "over the bound"),
    ],
)
def test_c_decoder_leaves_every_error_to_python(puny: str, what: str) -> None:
    assert _c_decode()(puny) is None
    with pytest.raises(PunycodeError, match=what):
        decode(puny)


def test_c_decoder_takes_the_longest_input() -> None:
    # Encoded CJK cut at the bound: long enough to be truncated mid-integer or not, either way
    # compared over the whole length, and the encoding of a long text round-trips.
    text = "".join(chr(0x4E00 + i) for i in range(0, 2000, 3))
    puny = encode(text)
    assert len(puny) > MAX_INPUT
    for cut in range(MAX_INPUT - 12, MAX_INPUT + 1):
        assert_decoders_agree(puny[:cut])
    short = encode(text[:300])
    assert len(short) <= MAX_INPUT
    assert _c_decode()(short) == text[:300]


def test_c_decoder_rejects_non_str() -> None:
    with pytest.raises(TypeError):
        _c_decode()(b"bcher-kva")  # type: ignore[arg-type]


def _idnatest_alabels() -> Iterator[str]:
    from .test_idnatestv2 import CASES

    for case in CASES:
        for field in (case.source, case.to_unicode, case.to_ascii_n):
            for label in field.split("."):
                if label[:4].lower() == "xn--":
                    yield label[4:]


IDNATEST_ALABELS = sorted(set(_idnatest_alabels()))


def test_c_decoder_matches_reference_on_idnatestv2_alabels() -> None:
    assert len(IDNATEST_ALABELS) > 1000  # the file has thousands; an empty harvest must fail
    rejected = 0
    for puny in IDNATEST_ALABELS:
        for variant in (puny, puny.lower()):  # check_domain decodes the lower-cased form
            assert_decoders_agree(variant)
        rejected += _c_decode()(puny) is None
    assert 0 < rejected < len(IDNATEST_ALABELS)  # both outcomes are exercised


def test_decode_and_check_domain_use_the_c_decoder(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = _c_decode()

    def spy(text: str) -> str | None:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(_punycode, "_c_decode", spy)
    from idnkit import check_domain
    from idnkit.idna import _labels

    # The native label check decodes A-labels itself; the Python path below it uses this decoder.
    _labels._use_native(False)
    try:
        assert check_domain("xn--bcher-kva.xn--e1afmkfd.example").ok
    finally:
        _labels._use_native(True)
    assert calls == ["bcher-kva", "e1afmkfd"]
