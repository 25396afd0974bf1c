"""Differential tests against ICU's SpoofChecker (icukit-pyicu 78.3, ICU 78 on Unicode 17).

ICU is a required test dependency (the ``test`` extra): a missing ``icu`` module fails collection
rather than skipping.  Every disagreement class is listed in docs/confusables.md; the tests below
assert that each disagreement found falls into a listed class and that none is left over.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import icu
import pytest

from idnkit import confusables as c
from idnkit.confusables import ConfusableKind, RestrictionLevel
from idnkit.unicode import GENERAL_CATEGORY, SCRIPT

from .conftest import ROOT
from .test_confusables import CONFUSABLES

SEED = 20261129
_LEVELS = [
    (RestrictionLevel.ASCII_ONLY, icu.URestrictionLevel.ASCII),
    (RestrictionLevel.SINGLE_SCRIPT, icu.URestrictionLevel.SINGLE_SCRIPT_RESTRICTIVE),
    (RestrictionLevel.HIGHLY_RESTRICTIVE, icu.URestrictionLevel.HIGHLY_RESTRICTIVE),
    (RestrictionLevel.MODERATELY_RESTRICTIVE, icu.URestrictionLevel.MODERATELY_RESTRICTIVE),
    (RestrictionLevel.MINIMALLY_RESTRICTIVE, icu.URestrictionLevel.MINIMALLY_RESTRICTIVE),
]
# areConfusable's bit mask -> UTS #39 §4 kind (whole-script confusables are also mixed-script).
_ICU_KIND = {
    0: None,
    icu.USpoofChecks.SINGLE_SCRIPT_CONFUSABLE: ConfusableKind.SINGLE_SCRIPT,
    icu.USpoofChecks.MIXED_SCRIPT_CONFUSABLE: ConfusableKind.MIXED_SCRIPT,
    icu.USpoofChecks.MIXED_SCRIPT_CONFUSABLE | icu.USpoofChecks.WHOLE_SCRIPT_CONFUSABLE: ConfusableKind.WHOLE_SCRIPT,
}

DOCUMENTED_CLASSES = (ROOT / "docs" / "confusables.md").read_text(encoding="utf-8")


def _documented(cls: str) -> bool:
    return f"`{cls}`" in DOCUMENTED_CLASSES


def _general_security_profile() -> icu.UnicodeSet:
    allowed = icu.UnicodeSet()
    for first, last in c._ALLOWED.ranges(bool):
        allowed.add(chr(first), chr(last))
    allowed.freeze()
    return allowed


def _icu_level_function(allowed: icu.UnicodeSet | None) -> Callable[[str], RestrictionLevel]:
    """The string's level: the most restrictive level whose RESTRICTION_LEVEL check passes."""
    checkers = []
    for ours, theirs in _LEVELS:
        sc = icu.SpoofChecker()
        sc.setChecks(icu.USpoofChecks.RESTRICTION_LEVEL)
        sc.setRestrictionLevel(theirs)
        if allowed is not None:
            sc.setAllowedUnicodeSet(allowed)
        checkers.append((ours, sc))

    def level(s: str) -> RestrictionLevel:
        for ours, sc in checkers:
            if sc.check(s) == 0:
                return ours
        return RestrictionLevel.UNRESTRICTED

    return level


@pytest.fixture(scope="module")
def spoof() -> icu.SpoofChecker:
    assert icu.ICU_VERSION.startswith("78.") and icu.UNICODE_VERSION == "17.0", (icu.ICU_VERSION, icu.UNICODE_VERSION)
    return icu.SpoofChecker()


@pytest.fixture(scope="module")
def assigned() -> list[int]:
    return [
        cp
        for first, last in GENERAL_CATEGORY.ranges(lambda gc: gc not in ("Cn", "Cs", "Co"))
        for cp in range(first, last + 1)
    ]


@pytest.fixture(scope="module")
def script_pools() -> dict[str, list[int]]:
    """Up to 200 Allowed code points per script: labels built from them mix scripts on purpose."""
    pools: dict[str, list[int]] = {}
    for first, last in c._ALLOWED.ranges(bool):
        for cp in range(first, last + 1):
            pool = pools.setdefault(SCRIPT[cp], [])
            if len(pool) < 200:
                pool.append(cp)
    return pools


# --- skeletons ---------------------------------------------------------------------------------


def test_skeleton_of_every_confusables_source(spoof: icu.SpoofChecker) -> None:
    wrong = [
        f"confusables.txt:{n}: U+{ord(src):04X}"
        for n, src, _ in CONFUSABLES
        if c.skeleton(src) != spoof.getSkeleton(0, src)
    ]
    assert wrong == []


def test_skeleton_of_every_target(spoof: icu.SpoofChecker) -> None:
    wrong = [
        f"confusables.txt:{n}: {dst!r}" for n, _, dst in CONFUSABLES if c.skeleton(dst) != spoof.getSkeleton(0, dst)
    ]
    assert wrong == []


def test_skeleton_of_random_strings(spoof: icu.SpoofChecker, assigned: list[int]) -> None:
    """Random strings: half any assigned code point (marks, ignorables, Hangul...), half sources."""
    rng = random.Random(SEED)
    sources = sorted(c._conf.PROTOTYPES)
    wrong = []
    for _ in range(30_000):
        s = "".join(
            chr(rng.choice(assigned) if rng.random() < 0.5 else rng.choice(sources)) for _ in range(rng.randint(1, 8))
        )
        if c.skeleton(s) != spoof.getSkeleton(0, s):
            wrong.append(s)
    assert wrong == []


def test_skeleton_of_every_assigned_code_point(spoof: icu.SpoofChecker, assigned: list[int]) -> None:
    wrong = [f"U+{cp:04X}" for cp in assigned if c.skeleton(chr(cp)) != spoof.getSkeleton(0, chr(cp))]
    assert wrong == []


# --- restriction levels ------------------------------------------------------------------------


def _random_labels(pools: dict[str, list[int]], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    scripts = sorted(pools)
    outside = [0x21, 0x2160, 0x01BF, 0x13A0, 0x0501, 0x00A0]  # not in the General Security Profile
    labels = []
    for _ in range(count):
        chosen = [rng.choice(scripts) for _ in range(rng.randint(1, 3))]
        label = "".join(chr(rng.choice(pools[rng.choice(chosen)])) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.05:
            label += chr(rng.choice(outside))
        labels.append(label)
    return labels


def test_restriction_levels_agree_with_the_identifier_profile_configured(script_pools: dict[str, list[int]]) -> None:
    """ICU configured with the General Security Profile as its allowed set agrees on every label."""
    icu_level = _icu_level_function(_general_security_profile())
    labels = [*_random_labels(script_pools, 8000, SEED), "pаypal", "東京abc", "abcअ", "abcα", "a!", "abⅠ"]
    wrong = [(label, c.restriction_level(label), icu_level(label)) for label in labels]
    wrong = [w for w in wrong if w[1] is not w[2]]
    assert wrong == []
    assert {c.restriction_level(label) for label in labels} == set(RestrictionLevel)  # every level exercised


def test_restriction_levels_with_icus_default_allowed_set(script_pools: dict[str, list[int]]) -> None:
    """ICU's default allowed set is every code point: the disagreements are exactly the labels with a
    Restricted character (class `identifier-profile`), which idnkit rates unrestricted."""
    icu_level = _icu_level_function(None)
    disagreements: dict[str, list[str]] = {}
    for label in _random_labels(script_pools, 4_000, SEED + 1):
        ours, theirs = c.restriction_level(label), icu_level(label)
        if ours is theirs:
            continue
        restricted = any(c.identifier_status(ord(ch)) == "Restricted" for ch in label)
        cls = "identifier-profile" if restricted and ours is RestrictionLevel.UNRESTRICTED else "unexplained"
        disagreements.setdefault(cls, []).append(label)
    assert disagreements.get("unexplained", []) == []
    assert disagreements, "the default-allowed-set class should show on labels with Restricted characters"
    assert all(_documented(cls) for cls in disagreements)


# --- areConfusable -----------------------------------------------------------------------------


def _lookalike_pairs(pools: dict[str, list[int]], count: int) -> list[tuple[str, str]]:
    """Pairs of labels where the second has characters replaced by others of the same prototype."""
    same: dict[str, list[str]] = {}
    for cp, proto in c._conf.PROTOTYPES.items():
        same.setdefault(proto, [proto]).append(chr(cp))
    rng = random.Random(SEED + 2)
    pairs = []
    for label in [*_random_labels(pools, count, SEED + 3), "paypal", "apple", "scope", "rn", "ljeto"]:
        swapped = "".join(
            rng.choice(same[c.skeleton(ch)]) if c.skeleton(ch) in same and rng.random() < 0.6 else ch for ch in label
        )
        pairs.append((label, swapped))
        pairs.append((label, "".join(rng.choice(same[p]) for p in c.skeleton(label) if p in same)))
    return [*pairs, ("раураӏ", "paypal"), ("pаypal", "paypal"), ("ǉeto", "ljeto"), ("abc", "abd")]


def test_are_confusable_agrees(spoof: icu.SpoofChecker, script_pools: dict[str, list[int]]) -> None:
    pairs = _lookalike_pairs(script_pools, 3_000)
    wrong = []
    kinds = set()
    for a, b in pairs:
        ours = c.confusable(a, b)
        kinds.add(ours)
        if ours is not _ICU_KIND[spoof.areConfusable(a, b)]:
            wrong.append((a, b, ours, spoof.areConfusable(a, b)))
    assert wrong == []
    assert kinds == {None, ConfusableKind.SINGLE_SCRIPT, ConfusableKind.MIXED_SCRIPT, ConfusableKind.WHOLE_SCRIPT}


# --- idnkit beyond ICU (documented classes) ----------------------------------------------------


def test_single_label_whole_script_is_beyond_icu_check(spoof: icu.SpoofChecker) -> None:
    """ICU's check() without a second string does not flag "раураӏ" (class `single-label-whole-script`);
    idnkit does."""
    assert _documented("single-label-whole-script")
    sc = icu.SpoofChecker()
    sc.setChecks(icu.USpoofChecks.ALL_CHECKS & ~icu.USpoofChecks.CHAR_LIMIT)
    assert sc.check("раураӏ") == 0
    assert [f.rule for f in c.check_confusables("раураӏ").findings] == ["uts39.whole_script_confusable"]


def test_mark_folded_is_beyond_icu(spoof: icu.SpoofChecker) -> None:
    assert _documented("mark-folded")
    assert spoof.areConfusable("köhls", "kohls") == 0
    assert c.confusable("köhls", "kohls") is None
    assert c.confusable("köhls", "kohls", mark_folded=True) is ConfusableKind.MARK_FOLDED


def test_mixed_numbers_agree(assigned: list[int]) -> None:
    """§5.3 on strings of digits from several systems (ICU's MIXED_NUMBERS check)."""
    sc = icu.SpoofChecker()
    sc.setChecks(icu.USpoofChecks.MIXED_NUMBERS)
    digits = [cp for cp in assigned if GENERAL_CATEGORY[cp] == "Nd"]
    rng = random.Random(SEED + 4)
    wrong = []
    mixed = 0
    for _ in range(5_000):
        system = [rng.choice(digits) for _ in range(rng.randint(1, 2))]
        text = "".join(chr(rng.choice(system)) for _ in range(rng.randint(1, 5))) + rng.choice(["", "a", "b1"])
        ours = len(c.mixed_numbers(text)) > 1
        mixed += ours
        if ours != (sc.check(text) != 0):
            wrong.append(text)
    assert wrong == []
    assert 0 < mixed < 5_000
