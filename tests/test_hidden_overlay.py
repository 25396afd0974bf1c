"""UTS #39 §5.4 hidden overlays ("gmai\u0307l"): the check, the collision keys, ICU as the oracle.

ICU's default SpoofChecker flags a COMBINING DOT ABOVE hidden in the letter before it (its
HIDDEN_OVERLAY check, bit 256); idnkit reports ``uts39.hidden_overlay`` by default in
``check_confusables`` and keys such a name to its look-alike in the collision index and in a
policy's conflict keys.  The differential test compares the verdict on generated strings of dot
leads, other letters, precomposed dotted letters and marks of every relevant combining class.
"""

from __future__ import annotations

import random

import icu
import pytest

from idnkit import confusables as c
from idnkit.collisions import CollisionIndex, SkeletonKeys, SQLiteCollisionStore
from idnkit.unicode._data import confusables as _conf

HIDDEN_OVERLAY = 256  # USPOOF_HIDDEN_OVERLAY (PyICU's USpoofChecks has no name for it)


@pytest.fixture(scope="module")
def spoof() -> icu.SpoofChecker:
    return icu.SpoofChecker()  # ICU's default checks


def test_gmail_with_a_dot_on_the_i() -> None:
    label = "gmai\u0307l"
    result = c.check_confusables(label)
    assert [(f.rule, f.position, f.codepoint) for f in result.findings] == [("uts39.hidden_overlay", 5, "U+0307")]
    assert "'gmail'" in result.findings[0].message
    assert c.hidden_overlay(label) == 5
    assert c.overlay_folded(label) == "gmail"
    assert c.skeleton(label) != c.skeleton("gmail")  # UTS #39 §4 alone does not see it
    assert c.skeleton_keys(label) == (c.skeleton(label), c.skeleton("gmail"))


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("i\u0307", 2),
        ("j\u0307", 2),
        ("l\u0307", 2),
        ("\u0131\u0307", 2),  # dotless i: the dot makes an i
        ("\u0456\u0307", 2),  # Cyrillic і (Soft_Dotted)
        ("I\u0307", 2),  # prototype l
        ("1\u0307", 2),  # prototype l
        ("i\u0323\u0307", 3),  # a mark below (ccc 220) does not separate them
        ("i\u0328\u0307", 3),  # nor an ogonek (ccc 202)
        ("ab\u0133\u0307", 4),  # ĳ: prototype "ij" ends in a lead
    ],
)
def test_hidden(text: str, position: int) -> None:
    assert c.hidden_overlay(text) == position


@pytest.mark.parametrize(
    "text",
    [
        "gmail",
        "a\u0307",  # ȧ spelled out: the dot shows
        "\u017c",  # ż
        "i\u0301\u0307",  # an acute (ccc 230) comes between: the dot is on top of it
        "\u0130",  # İ precomposed: ICU reads the text as given
        "i",
        "\u0307",  # a dot with nothing before it
    ],
)
def test_not_hidden(text: str) -> None:
    assert c.hidden_overlay(text) is None
    assert c.overlay_folded(text) == text
    assert c.skeleton_keys(text) == (c.skeleton(text),)


def test_every_hidden_dot_is_folded() -> None:
    assert c.overlay_folded("i\u0307l\u0307a\u0307") == "ila\u0307"


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_collision_index_keys_the_look_alike(store: str) -> None:
    for bulk in (True, False):
        index = CollisionIndex(SQLiteCollisionStore(":memory:") if store == "sqlite" else None)
        names = ["gmail", "gmai\u0307l.com", "xn--gmail-bgd", "example"]
        if bulk:
            index.add_many(names)
        else:
            for name in names:
                index.add(name)
        assert {h.name for h in index.query("gmai\u0307l")} == {"gmail", "xn--gmail-bgd"}
        assert {h.name for h in index.query("gmail")} == {"xn--gmail-bgd"}  # ASCII pairs left out as usual
        assert {h.name for h in index.query("gmail.com")} == {"gmai\u0307l.com"}
        assert "xn--gmail-bgd" in index


def test_skeleton_keys_source() -> None:
    assert SkeletonKeys().keys("gmai\u0307l") == c.skeleton_keys("gmai\u0307l")
    assert SkeletonKeys().keys("paypal") == ("paypal",)


def test_policy_conflict_keys_include_the_look_alike() -> None:
    from idnkit.policy import loads
    from idnkit.policy._engines import DefaultEngines

    from .policy.fakes import ENGINES, FakeEngines
    from .policy.test_loader import MINIMAL

    assert DefaultEngines().skeleton_keys("gmai\u0307l") == c.skeleton_keys("gmai\u0307l")

    class TwoKeys(FakeEngines):
        def skeleton_keys(self, label: str) -> tuple[str, ...]:
            return c.skeleton_keys(label)

    policy = loads(MINIMAL + "\n[confusables]\nskeleton = true\n", "test.toml", engines=TwoKeys(ENGINES.tables))
    keys = [k for kind, k in policy.conflict_keys("gmai\u0307l") if kind == "skeleton"]
    assert keys == list(c.skeleton_keys("gmai\u0307l"))


# --- differential against ICU -------------------------------------------------------------------
SEED = 20261203
_LEADS = [chr(cp) for cp in _conf.DOT_OVERLAY_LEADS]
_OTHERS = [*"aeoumnrz", "\u017c", "\u0227", "\u0130", "\u0430", "\u03bf", "\u05d0", "\u0915"]
_MARKS = [*["\u0307"] * 6, "\u0301", "\u0308", "\u0323", "\u0328", "\u0327", "\u0334", "\u093c", "\u05b4"]


def _strings(count: int) -> list[str]:
    rng = random.Random(SEED)
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 6)):
            r = rng.random()
            parts.append(rng.choice(_LEADS) if r < 0.4 else rng.choice(_OTHERS) if r < 0.65 else rng.choice(_MARKS))
        out.append("".join(parts))
    return out


def test_hidden_overlay_agrees_with_icu(spoof: icu.SpoofChecker) -> None:
    strings = _strings(30_000)
    flagged = 0
    disagreements = []
    for s in strings:
        theirs = bool(spoof.check(s) & HIDDEN_OVERLAY)
        ours = c.hidden_overlay(s) is not None
        flagged += ours
        if ours != theirs:
            disagreements.append((s, ours, theirs))
    assert disagreements == []
    assert flagged > 4_000  # the generator reaches the check often (4,829 of 30,000)
    for lead in _LEADS:  # and every lead, on its own
        assert bool(spoof.check(lead + "\u0307") & HIDDEN_OVERLAY), f"U+{ord(lead):04X}"
        assert c.hidden_overlay(lead + "\u0307") == 2
