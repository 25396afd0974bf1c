"""Differential test against the `idna` package (the reference implementation we test against).

idna takes NFC and Bidi classes from the interpreter's ``unicodedata`` (14.0 on Python 3.11), so
labels are drawn only from code points assigned in Unicode 14.0 or earlier (DerivedAge).  Verdicts
(accept/reject) and A-labels must agree except for the classes listed in ``KNOWN_DISAGREEMENTS``,
each of which is explained there and recognised by a predicate, never skipped silently.
"""

from __future__ import annotations

import unicodedata

import idna
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idnkit import check_label
from idnkit.unicode import DERIVED_PROPERTY

from .conftest import data_file

pytestmark = pytest.mark.property


def _assigned_by_14() -> set[int]:
    out: set[int] = set()
    with data_file("17.0.0", "ucd", "DerivedAge.txt").open(encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            cps, age = (x.strip() for x in line.split(";"))
            major, minor = (int(x) for x in age.split("."))
            if (major, minor) <= (14, 0):
                first, _, last = cps.partition("..")
                out.update(range(int(first, 16), int(last or first, 16) + 1))
    return out


OLD = _assigned_by_14()
assert unicodedata.unidata_version.startswith("14.") or unicodedata.unidata_version >= "14"

BLOCKS = {
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
SPECIALS = [0x2D, 0x30, 0x31, 0x200C, 0x200D, 0xB7, 0x6C, 0x375, 0x5F3, 0x5F4, 0x30FB, 0x660, 0x6F0,
            0x301, 0x94D, 0x41, 0x2603, 0xDF, 0x3C2, 0x640, 0x3007]  # fmt: skip
ALPHABETS = {
    name: sorted(cp for cp in cps if cp in OLD and DERIVED_PROPERTY[cp] != "UNASSIGNED") for name, cps in BLOCKS.items()
}


@st.composite
def labels(draw: st.DrawFn) -> str:
    alphabet = ALPHABETS[draw(st.sampled_from(sorted(ALPHABETS)))]
    chars = st.one_of(st.sampled_from(alphabet), st.sampled_from(alphabet), st.sampled_from(SPECIALS))
    return "".join(chr(c) for c in draw(st.lists(chars, min_size=1, max_size=24)))


def _idna_verdict(label: str) -> str | None:
    try:
        return idna.encode(label).decode("ascii")
    except idna.IDNAError:
        return None


# Each class: (name, why idnkit is right, predicate on (label, idnkit_alabel, idna_alabel)).
KNOWN_DISAGREEMENTS = [
    (
        "ascii-uppercase",
        "idna.encode accepts an all-ASCII label with uppercase letters because DNS compares ASCII "
        "case-insensitively; under RFC 5892 uppercase letters are DISALLOWED (Unstable, §2.2) and "
        "registration takes the label as given (RFC 5891 §4.1), so idnkit rejects it.",
        lambda label, ours, theirs: label.isascii() and label.lower() != label and ours is None
        and theirs == label,
    ),
]  # fmt: skip


def classify(label: str, ours: str | None, theirs: str | None) -> str | None:
    for name, _, predicate in KNOWN_DISAGREEMENTS:
        if predicate(label, ours, theirs):
            return name
    return None


@pytest.mark.slow
@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(labels())
def test_agrees_with_idna(label: str) -> None:
    result = check_label(label)
    ours = result.alabel if result.ok else None
    theirs = _idna_verdict(label)
    if ours == theirs:
        return
    cls = classify(label, ours, theirs)
    codepoints = " ".join(f"U+{ord(c):04X}" for c in label)
    assert cls is not None, (
        f"unexplained disagreement on {label!r} ({codepoints}): idnkit {ours!r} "
        f"{[f.rule for f in result.errors]}, idna {theirs!r}"
    )


@pytest.mark.parametrize(("name", "why", "predicate"), KNOWN_DISAGREEMENTS)
def test_each_known_disagreement_is_real(name: str, why: str, predicate: object) -> None:
    examples = {"ascii-uppercase": "Example"}
    label = examples[name]
    result = check_label(label)
    ours = result.alabel if result.ok else None
    theirs = _idna_verdict(label)
    assert ours != theirs
    assert classify(label, ours, theirs) == name
    assert why
