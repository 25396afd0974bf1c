"""Differential tests against the peers: ICU (UTS #46, via icukit-pyicu) and the `idna` package.

Three comparisons: UTS #46 ToASCII/ToUnicode against ICU's ``nameToASCII``/``nameToUnicode``;
UTS #46 ToASCII against ``idna.encode(uts46=True)`` and registration-profile A-label decoding
against ``idna.decode``; and IDNA2008 registration (``check_label``) against ``idna.encode`` on
labels drawn script by script (``encode``).

Each disagreement must fall in a class listed in ``DISAGREEMENTS`` (and documented in
docs/fuzzing.md): a name, why idnkit answers as it does, an input that shows it, and a predicate
that recognises it.  An input in no class fails the test; a class whose example no longer
disagrees fails too, so the list cannot keep stale entries.

ICU 78 is built on Unicode 17.0, as idnkit is, so it is compared over all of Unicode.  `idna`
takes NFC and Bidi classes from the interpreter's ``unicodedata`` (14.0 on Python 3.11), so it is
compared only on inputs whose code points are all assigned in Unicode 14.0.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import idna
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit import Profile, check_domain, check_label, uts46
from idnkit.unicode import BIDI_CLASS, RTL_CLASSES, UTS46_IDNA2008

from ..conftest import data_file
from . import strategies as strat

pytestmark = pytest.mark.property

icu = pytest.importorskip("icu", reason="ICU differential needs icukit-pyicu (in the test extra on Linux)")

DOCS = Path(__file__).resolve().parents[2] / "docs" / "fuzzing.md"

_ICU = icu.IDNA(icu.IDNA.DEFAULT | icu.IDNA.CHECK_BIDI | icu.IDNA.CHECK_CONTEXTJ | icu.IDNA.USE_STD3_RULES)
_ICU_ERRORS = {getattr(icu.IDNAInfo, n): n.removeprefix("ERROR_") for n in dir(icu.IDNAInfo) if n.startswith("ERROR_")}


@dataclass(frozen=True, slots=True)
class Case:
    """One comparison: the operation, the input, idnkit's answer and the peer's (None = refused)."""

    peer: str
    op: str
    text: str
    ours: str | None
    theirs: str | None
    our_rules: frozenset[str]
    their_errors: frozenset[str]


def _rtl(text: str) -> bool:
    return any(BIDI_CLASS[ord(c)] in RTL_CLASSES for c in text)


def _only_trailing_root(c: Case) -> bool:
    # Our ToASCII refuses only because of the empty root label after a final dot.
    return c.ours is None and c.our_rules == {"dns.label_empty"} and c.text.endswith((".", "。", "．", "｡"))


def _bidi_on_ltr_labels(c: Case) -> bool:
    # Only Bidi-rule findings, the name has RTL text, and the peer accepted it.
    if c.ours is not None or c.theirs is None or not c.our_rules <= {f"rfc5893.rule{n}" for n in (1, 5, 6)}:
        return False
    mapped = uts46.to_unicode(c.text).result
    return _rtl(mapped) and any(not _rtl(label) for label in mapped.split("."))


def _uts46_valid_symbols(c: Case) -> bool:
    # We accept (UTS #46 valid), the peer refuses, and the name holds a code point that UTS #46
    # marks NV8/XV8: valid in UTS #46 but not in IDNA2008.
    if c.ours is None or c.theirs is not None:
        return False
    return any(UTS46_IDNA2008[ord(ch)] in ("NV8", "XV8") for ch in uts46.to_unicode(c.text).result)


def _utf16_hyphen_positions(c: Case) -> bool:
    # ICU tests "--" in the 3rd and 4th positions by UTF-16 code unit, UTS #46 by code point.
    if not (
        (c.ours is not None and c.their_errors == {"HYPHEN_3_4"})
        or (c.theirs is not None and c.our_rules == {"rfc5891.hyphen34"})
    ):
        return False
    labels = uts46.to_unicode(c.text, check_hyphens=False).result.split(".")
    return any((label[2:4] == "--") != (label.encode("utf-16-le")[4:8] == "--".encode("utf-16-le")) for label in labels)


@dataclass(frozen=True, slots=True)
class Disagreement:
    peer: str
    op: str
    name: str
    why: str
    example: str
    matches: Callable[[Case], bool]


DISAGREEMENTS = (
    Disagreement(
        "icu",
        "to_ascii",
        "trailing-root-label",
        "With VerifyDnsLength, IdnaTestV2.txt marks the empty label after a final dot with A4_2 "
        "('a.b.c.d.' has [A4_2] in toAsciiN), and idnkit follows the conformance file; ICU lets a "
        "trailing dot stand for the root.  check_domain (IDNA2008) accepts the root.",
        "example.",
        _only_trailing_root,
    ),
    *(
        Disagreement(
            "icu",
            op,
            "icu-utf16-hyphen-positions",
            "ICU tests UTS #46 §4.1 criterion 2 ('--' in the 3rd and 4th positions) on UTF-16 code units; "
            "after a supplementary character it refuses '--' at code points 2-3 and accepts it at 3-4.",
            "\U00017c1d--j",
            _utf16_hyphen_positions,
        )
        for op in ("to_ascii", "to_unicode")
    ),
    Disagreement(
        "idna",
        "to_ascii",
        "trailing-root-label",
        "As for ICU: idna.encode(uts46=True) keeps a trailing dot, IdnaTestV2 marks it A4_2.",
        "example.",
        _only_trailing_root,
    ),
    Disagreement(
        "idna",
        "to_ascii",
        "uts46-valid-symbols",
        "idna.encode(uts46=True) maps with UTS #46 and then applies the IDNA2008 code point test, "
        "refusing code points that UTS #46 §5 marks valid with IDNA2008 status NV8/XV8 (symbols, "
        "emoji such as U+1F44D); UTS #46 ToASCII accepts them, and so does idnkit's uts46 module.",
        "\U0001f44d.example",
        _uts46_valid_symbols,
    ),
    Disagreement(
        "idna",
        "to_ascii",
        "bidi-rule-on-ltr-labels",
        "RFC 5893 §2 applies the Bidi Rule to every label of a name that contains a right-to-left "
        "label (RFC 5893 §1.4 'Bidi domain name'); idna checks it only on labels that themselves "
        "contain right-to-left characters, so it accepts e.g. a label starting with a digit next to "
        "a Hebrew label.",
        "\u05d0\u05d1.1a",
        _bidi_on_ltr_labels,
    ),
)


DISAGREEMENTS += (
    Disagreement(
        "idna",
        "encode",
        "ascii-uppercase",
        "Both accept an all-ASCII label with uppercase letters: it is an LDH label, which DNS compares "
        "without case (RFC 4343 §3, RFC 5890 §2.3.1).  idnkit writes its ASCII form in lowercase, as it "
        "does for an A-label typed in capitals, and warns (dns.ascii_case); idna.encode keeps the case.",
        "Example",
        lambda c: c.text.isascii() and c.ours == c.text.lower() != c.text and c.theirs == c.text,
    ),
)


def classify(case: Case) -> Disagreement | None:
    for d in DISAGREEMENTS:
        if d.peer == case.peer and d.op == case.op and d.matches(case):
            return d
    return None


def _rules(findings: tuple[object, ...]) -> frozenset[str]:
    return frozenset(f.rule for f in findings if getattr(f, "is_error", False))  # type: ignore[attr-defined]


def icu_cases(text: str) -> list[Case]:
    out = []
    for op, ours, call in (
        ("to_ascii", uts46.to_ascii(text), _ICU.nameToASCII),
        ("to_unicode", uts46.to_unicode(text), _ICU.nameToUnicode),
    ):
        info = icu.IDNAInfo()
        result = str(call(text, info))
        errors = frozenset(n for v, n in _ICU_ERRORS.items() if info.errors() & v)
        out.append(
            Case("icu", op, text, ours.result if ours.ok else None, None if errors else result, _rules(ours.findings),
                 errors)
        )  # fmt: skip
    return out


def in_unicode14(text: str) -> bool:
    return all(unicodedata.category(c) not in ("Cn", "Cs") for c in text)


def idna_cases(text: str) -> list[Case]:
    if not in_unicode14(text):
        return []
    ours = uts46.to_ascii(text)
    try:
        theirs: str | None = idna.encode(text, uts46=True, std3_rules=True, transitional=False).decode("ascii")
        error = ""
    except (idna.IDNAError, UnicodeError) as e:
        theirs, error = None, type(e).__name__
    cases = [
        Case("idna", "to_ascii", text, ours.result if ours.ok else None, theirs, _rules(ours.findings),
             frozenset({error} - {""}))
    ]  # fmt: skip
    # The decoding direction, label by label: idna.decode against registration-profile checks.
    for label in text.split("."):
        if label[:4].lower() == "xn--" and label.isascii():
            result = check_label(label, profile=Profile.REGISTRATION)
            try:
                decoded: str | None = idna.decode(label)
            except (idna.IDNAError, UnicodeError):
                decoded = None
            ulabel = result.ulabel if result.ok else None
            if all(in_unicode14(x) for x in (ulabel or "", decoded or "")):
                cases.append(Case("idna", "decode", label, ulabel, decoded, _rules(result.findings), frozenset()))
    return cases


def _assigned_by_14() -> frozenset[int]:
    """Code points assigned in Unicode 14.0 or earlier (DerivedAge), the ones ``idna`` can judge."""
    out: set[int] = set()
    with data_file("17.0.0", "ucd", "DerivedAge.txt").open(encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            cps, age = (x.strip() for x in line.split(";"))
            if tuple(int(x) for x in age.split(".")) <= (14, 0):
                first, _, last = cps.partition("..")
                out.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(out)


_OLD = _assigned_by_14()
_BLOCKS = {
    "latin": range(0x61, 0x250),
    "greek": range(0x370, 0x400),
    "cyrillic": range(0x400, 0x530),
    "hebrew": range(0x591, 0x600),
    "arabic": range(0x600, 0x700),
    "devanagari": range(0x900, 0x980),
    "thai": range(0xE00, 0xE80),
    "hangul": range(0xAC00, 0xAC00 + 400),
    "kana": range(0x3040, 0x3100),
    "han": range(0x4E00, 0x4E00 + 400),
}
# Code points every script mixes with: hyphen, digits, the joiners and the CONTEXTO characters, a mark.
_SPECIALS = [0x2D, 0x30, 0x31, 0x200C, 0x200D, 0xB7, 0x6C, 0x375, 0x5F3, 0x5F4, 0x30FB, 0x660, 0x6F0,
             0x301, 0x94D, 0x41, 0x2603, 0xDF, 0x3C2, 0x640, 0x3007]  # fmt: skip
_ALPHABETS = {name: sorted(cp for cp in cps if cp in _OLD) for name, cps in _BLOCKS.items()}


@st.composite
def script_labels(draw: st.DrawFn) -> str:
    """A label of one script's letters, with the characters IDNA2008 treats specially mixed in."""
    alphabet = _ALPHABETS[draw(st.sampled_from(sorted(_ALPHABETS)))]
    chars = st.one_of(st.sampled_from(alphabet), st.sampled_from(alphabet), st.sampled_from(_SPECIALS))
    return "".join(chr(c) for c in draw(st.lists(chars, min_size=1, max_size=24)))


def encode_cases(label: str) -> list[Case]:
    """IDNA2008 registration of one label: check_label against idna.encode (IDNA2008, no mapping)."""
    if not in_unicode14(label):
        return []
    result = check_label(label)
    try:
        theirs: str | None = idna.encode(label).decode("ascii")
        error = ""
    except (idna.IDNAError, UnicodeError) as e:
        theirs, error = None, type(e).__name__
    ours = result.alabel if result.ok else None
    return [Case("idna", "encode", label, ours, theirs, _rules(result.findings), frozenset({error} - {""}))]


def _assert_explained(cases: list[Case]) -> None:
    for case in cases:
        if case.ours == case.theirs:
            continue
        cls = classify(case)
        cps = " ".join(f"U+{ord(c):04X}" for c in case.text)
        assert cls is not None, (
            f"unexplained disagreement with {case.peer} {case.op} on {case.text!r} ({cps}): idnkit {case.ours!r} "
            f"{sorted(case.our_rules)}, {case.peer} {case.theirs!r} {sorted(case.their_errors)}"
        )


names = st.one_of(
    strat.any_text,
    strat.valid_domain_names,
    strat.alabel_like,
    st.lists(st.one_of(strat.idn_text, strat.alabel_like, strat.valid_labels()), max_size=4).map(".".join),
)


@pytest.mark.slow
@settings(max_examples=800)
@given(names)
def test_uts46_agrees_with_icu(text: str) -> None:
    _assert_explained(icu_cases(text))


@pytest.mark.slow
@settings(max_examples=800)
@given(names)
def test_agrees_with_idna(text: str) -> None:
    _assert_explained(idna_cases(text))


@pytest.mark.slow
@settings(max_examples=3000)
@given(script_labels())
def test_registration_agrees_with_idna_encode(label: str) -> None:
    _assert_explained(encode_cases(label))


_CASES = {"icu": icu_cases, "idna": idna_cases, "encode": encode_cases}


@pytest.mark.parametrize("d", DISAGREEMENTS, ids=lambda d: f"{d.peer}-{d.op}-{d.name}")
def test_each_listed_disagreement_is_real(d: Disagreement) -> None:
    cases = [c for c in _CASES["encode" if d.op == "encode" else d.peer](d.example) if c.op == d.op]
    assert cases, "the example must be in the compared domain"
    case = cases[0]
    assert case.ours != case.theirs, f"{d.name}: the peers now agree on {d.example!r}; drop the class"
    assert classify(case) is d
    assert d.name in DOCS.read_text(encoding="utf-8"), f"{d.name} is not documented in docs/fuzzing.md"


def test_icu_is_the_unicode_version_we_use() -> None:
    from idnkit import UNICODE_VERSION

    assert icu.UNICODE_VERSION.split(".")[:2] == UNICODE_VERSION.split(".")[:2]


def test_check_domain_accepts_the_root() -> None:
    # The trailing-root-label class concerns UTS #46 ToASCII only.
    assert check_domain("example.").ok
