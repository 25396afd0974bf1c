"""UTS #46 with each option flipped, against ICU 78 with the same flags (``icu.IDNA``).

ICU's flags and UTS #46's options (UTS #46 §4; ICU uidna.h):

| UTS #46 option | ICU |
|---|---|
| UseSTD3ASCIIRules | ``USE_STD3_RULES`` |
| CheckBidi | ``CHECK_BIDI`` |
| CheckJoiners | ``CHECK_CONTEXTJ`` |
| Transitional_Processing false | ``NONTRANSITIONAL_TO_ASCII`` and ``NONTRANSITIONAL_TO_UNICODE`` |
| CheckHyphens | none: ICU always reports ``LEADING_HYPHEN``, ``TRAILING_HYPHEN``, ``HYPHEN_3_4`` (*) |
| VerifyDnsLength (ToASCII) | none: ``EMPTY_LABEL``, ``LABEL_TOO_LONG``, ``DOMAIN_NAME_TOO_LONG`` (*) |
| IgnoreInvalidPunycode | none (not compared) |

(*) with the option off, those ICU errors are ignored, as browsers built on ICU do.

ICU's ``CHECK_CONTEXTO`` has no UTS #46 counterpart (UTS #46 §4.1 tests ContextJ only) and stays off
here; ``test_contexto_agrees_with_icu_check_context0`` holds idnkit's RFC 5892 CONTEXTO rules to it.

Each configuration runs ToASCII and ToUnicode on the same generated names (a seeded mix of the
characters IDNA treats specially, any assigned code point, long labels and supplementary
characters).  Every disagreement must fall in a class listed in ``CLASSES`` (documented in
docs/fuzzing.md) and each class's example must still disagree.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import icu
import pytest

from idnkit import check_label, uts46
from idnkit.unicode import GENERAL_CATEGORY

from .test_differential_peers import DOCS

pytestmark = pytest.mark.property

SEED = 20261201
_ERRORS = {getattr(icu.IDNAInfo, n): n.removeprefix("ERROR_") for n in dir(icu.IDNAInfo) if n.startswith("ERROR_")}
_HYPHENS = frozenset({"LEADING_HYPHEN", "TRAILING_HYPHEN", "HYPHEN_3_4"})
_LENGTHS = frozenset({"EMPTY_LABEL", "LABEL_TOO_LONG", "DOMAIN_NAME_TOO_LONG"})

# name -> UTS #46 options that differ from the IdnaTestV2 defaults
CONFIGS: dict[str, dict[str, bool]] = {
    "defaults": {},
    "no-std3": {"use_std3_ascii_rules": False},
    "no-bidi": {"check_bidi": False},
    "no-joiners": {"check_joiners": False},
    "transitional": {"transitional_processing": True},
    "no-hyphens": {"check_hyphens": False},
    "no-dns-length": {"verify_dns_length": False},
    "whatwg-url": {"check_hyphens": False, "use_std3_ascii_rules": False, "verify_dns_length": False},
    "nothing-checked": {
        "check_hyphens": False,
        "check_bidi": False,
        "check_joiners": False,
        "use_std3_ascii_rules": False,
        "verify_dns_length": False,
    },
}


def icu_flags(options: uts46.Uts46Options) -> int:
    # Built from 0: since ICU 76, UIDNA_DEFAULT itself holds the two NONTRANSITIONAL bits.
    flags = 0
    if options.use_std3_ascii_rules:
        flags |= icu.IDNA.USE_STD3_RULES
    if options.check_bidi:
        flags |= icu.IDNA.CHECK_BIDI
    if options.check_joiners:
        flags |= icu.IDNA.CHECK_CONTEXTJ
    if not options.transitional_processing:
        flags |= icu.IDNA.CHECK_NONTRANSITIONAL_TO_ASCII | icu.IDNA.CHECK_NONTRANSITIONAL_TO_UNICODE
    return int(flags)


@dataclass(frozen=True, slots=True)
class Case:
    config: str
    op: str
    text: str
    ours: str | None
    theirs: str | None
    our_rules: frozenset[str]
    their_errors: frozenset[str]


def compare(config: str, text: str) -> list[Case]:
    """Both operations on ``text``; empty when ICU cannot answer (PyICU's result buffer overflows)."""
    try:
        return _compare(config, text)
    except icu.ICUError:
        return []


def _compare(config: str, text: str) -> list[Case]:
    options = uts46.Uts46Options(**CONFIGS[config])
    idna = _icu(icu_flags(options))
    out = []
    for op in ("to_ascii", "to_unicode"):
        kwargs: dict[str, Any] = dict(CONFIGS[config])
        ignored = frozenset() if options.check_hyphens else _HYPHENS
        if op == "to_ascii":
            ours = uts46.to_ascii(text, **kwargs)
            info = icu.IDNAInfo()
            theirs = str(idna.nameToASCII(text, info))
            if not options.verify_dns_length:
                ignored |= _LENGTHS
        else:
            kwargs.pop("verify_dns_length", None)  # ToUnicode has no VerifyDnsLength (UTS #46 §4.3)
            ours = uts46.to_unicode(text, **kwargs)
            info = icu.IDNAInfo()
            theirs = str(idna.nameToUnicode(text, info))
        errors = frozenset(n for v, n in _ERRORS.items() if info.errors() & v) - ignored
        rules = frozenset(f.rule for f in ours.findings if f.is_error)
        out.append(Case(config, op, text, ours.result if ours.ok else None, None if errors else theirs, rules, errors))
    return out


@cache
def _icu(flags: int) -> icu.IDNA:
    return icu.IDNA(flags)


def _trailing_root(c: Case) -> bool:
    # Only the empty root label after a final dot: IdnaTestV2 gives it A4_2 under VerifyDnsLength.
    return c.op == "to_ascii" and c.ours is None and c.our_rules == {"dns.label_empty"} and c.theirs is not None


def _utf16_positions(c: Case) -> bool:
    # ICU tests UTS #46 §4.1 criterion 2 (no "--" in the 3rd and 4th positions) by UTF-16 code unit:
    # a supplementary character among the first three shifts its "positions" against the code
    # points UTS #46 counts, as idnkit does.  Either side may then refuse alone.
    if not (
        (c.ours is not None and c.their_errors == {"HYPHEN_3_4"})
        or (c.theirs is not None and c.our_rules == {"rfc5891.hyphen34"})
    ):
        return False
    labels = uts46.to_unicode(c.text, check_hyphens=False).result.split(".")
    return any((label[2:4] == "--") != (label.encode("utf-16-le")[4:8] == "--".encode("utf-16-le")) for label in labels)


@dataclass(frozen=True, slots=True)
class Class:
    name: str
    why: str
    example: tuple[str, str]  # (config, input)
    matches: Callable[[Case], bool]


CLASSES = (
    Class(
        "trailing-root-label",
        "IdnaTestV2.txt marks the empty label after a final dot with A4_2 under VerifyDnsLength; ICU lets a "
        "trailing dot stand for the root (the same class as in test_differential_peers.py).",
        ("defaults", "example."),
        _trailing_root,
    ),
    Class(
        "icu-utf16-hyphen-positions",
        "ICU tests UTS #46 §4.1 criterion 2 (no '--' in the 3rd and 4th positions) on UTF-16 code units: "
        "after a supplementary character it refuses '--' at code points 2-3 and accepts it at 3-4.",
        ("defaults", "\U00017c1d--j"),
        _utf16_positions,
    ),
)


def classify(case: Case) -> Class | None:
    return next((c for c in CLASSES if c.matches(case)), None)


_SPECIAL = [
    *"-.0aAzZßς\u00b7\u0375\u05f3\u05f4\u30fb\u0660\u06f0\u200c\u200d\u0301\u094d\u3002\uff0e\uff61\u00ad",
    *"\ufdfa\u2488\u05d0\u0627\u0628\u0915\u3042\u4e00\ufffd\u0000\u2603_ !≠ẞ⑴\U00017c1d\U0001f44d",
    *("xn--", "xn--zca", "xn--a", "xn--1ug", "--", "a" * 30),
]


@cache
def _assigned() -> list[int]:
    return [
        cp for first, last in GENERAL_CATEGORY.ranges(lambda g: g not in ("Cn", "Cs")) for cp in range(first, last + 1)
    ]


def names(count: int, seed: int = SEED) -> list[str]:
    """Seeded names: specials, any assigned code point, LDH text; some long enough for the DNS limits."""
    rng = random.Random(seed)
    assigned = _assigned()
    out = []
    for _ in range(count):
        pieces = []
        for _ in range(rng.randint(0, 14)):
            r = rng.random()
            if r < 0.45:
                pieces.append(rng.choice(_SPECIAL))
            elif r < 0.7:
                pieces.append(chr(rng.choice(assigned)))
            else:
                pieces.append(rng.choice("abcdefghij0123456789-."))
        out.append("".join(pieces))
    return out


def _disagreements(config: str, inputs: list[str]) -> dict[str, list[Case]]:
    found: dict[str, list[Case]] = {}
    unanswered = 0
    for text in inputs:
        cases = compare(config, text)
        unanswered += not cases
        for case in cases:
            if case.ours != case.theirs:
                cls = classify(case)
                found.setdefault(cls.name if cls else "unexplained", []).append(case)
    assert unanswered < len(inputs) / 100, f"ICU could not answer {unanswered} of {len(inputs)} names"
    return found


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_agrees_with_icu_under_the_same_flags(config: str) -> None:
    found = _disagreements(config, names(2000))
    unexplained = [
        f"{c.op} {c.text!r}: idnkit {c.ours!r} {sorted(c.our_rules)}, ICU {c.theirs!r} {sorted(c.their_errors)}"
        for c in found.get("unexplained", [])
    ]
    assert unexplained == []


@pytest.mark.slow
@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_agrees_with_icu_under_the_same_flags_long(config: str) -> None:
    found = _disagreements(config, names(30_000, SEED + 1))
    assert "unexplained" not in found, [(c.op, c.text) for c in found["unexplained"][:20]]


def test_every_option_changes_what_icu_and_idnkit_both_answer() -> None:
    # Each configuration must change some verdict relative to the defaults, on both sides, or the
    # flag mapping above could be wrong without the comparison noticing.
    inputs = names(600)
    base = {(c.op, c.text): (c.ours, c.theirs) for t in inputs for c in compare("defaults", t)}
    for config in CONFIGS:
        if config == "defaults":
            continue
        changed_ours = changed_theirs = 0
        for text in inputs:
            for c in compare(config, text):
                ours, theirs = base[(c.op, c.text)]
                changed_ours += c.ours != ours
                changed_theirs += c.theirs != theirs
        assert changed_ours and changed_theirs, config


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.name)
def test_each_listed_class_is_real_and_documented(cls: Class) -> None:
    config, text = cls.example
    cases = [c for c in compare(config, text) if c.ours != c.theirs]
    assert cases, f"{cls.name}: ICU and idnkit now agree on {text!r}; drop the class"
    assert all(classify(c) is cls for c in cases)
    assert f"`{cls.name}`" in DOCS.read_text(encoding="utf-8"), f"{cls.name} is not documented in docs/fuzzing.md"


# RFC 5892 Appendix A's CONTEXTO characters, and letters of the scripts their rules look for.
_CONTEXTO = (
    "\u00b7\u0375\u05f3\u05f4\u30fb"
    + "".join(map(chr, range(0x0660, 0x066A)))
    + "".join(map(chr, range(0x06F0, 0x06FA)))
)
_AROUND_CONTEXTO = "lab1\u03b1\u03b2\u05d0\u05d1\u3042\u30a2\u4e00\u0628\u0627\u0915"


def test_contexto_agrees_with_icu_check_context0() -> None:
    # ICU's CHECK_CONTEXTO (spelt CHECK_CONTEXT0 in PyICU) is not a UTS #46 option, but it is the
    # same RFC 5892 Appendix A rules (A.3-A.9) idnkit's IDNA2008 check applies: each label must get
    # a CONTEXTO punctuation error (A.3-A.7) or digit error (A.8-A.9) from both or from neither.
    idna = _icu(int(icu.IDNA.CHECK_NONTRANSITIONAL_TO_UNICODE | icu.IDNA.CHECK_CONTEXT0))
    rng = random.Random(SEED)
    seen = {"punctuation": 0, "digits": 0}
    disagreements = []
    for _ in range(4_000):
        label = "".join(
            rng.choice(_CONTEXTO if rng.random() < 0.4 else _AROUND_CONTEXTO) for _ in range(rng.randint(1, 6))
        )
        info = icu.IDNAInfo()
        idna.nameToUnicode(label, info)
        theirs = {
            kind
            for kind, bit in (
                ("punctuation", icu.IDNAInfo.ERROR_CONTEXTO_PUNCTUATION),
                ("digits", icu.IDNAInfo.ERROR_CONTEXTO_DIGITS),
            )
            if info.errors() & bit
        }
        ours = {
            "digits" if "arabic_indic" in f.rule else "punctuation"
            for f in check_label(label).findings
            if f.rule.startswith("rfc5892.contexto.")
        }
        for kind in ours:
            seen[kind] += 1
        if ours != theirs:
            disagreements.append((label, sorted(ours), sorted(theirs)))
    assert disagreements == [], disagreements[:10]
    assert min(seen.values()) > 500, seen  # both kinds of rule were exercised
