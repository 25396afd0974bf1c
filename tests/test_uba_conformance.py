"""``idnkit.unicode._uba`` against UAX #9's own conformance method, with ICU 78.3 (Unicode 17) as the reference.

BidiTest.txt runs every sequence of Bidi_Class values up to a small length, in each paragraph
direction, and gives the resolved levels and the visual order (UAX #9 §4.2 "BidiTest.txt").  The
17.0.0 copies of BidiTest.txt and BidiCharacterTest.txt are not in ``../shared/data`` and cannot be
downloaded here, so these tests regenerate the same enumeration at test time: one representative
character per class, every sequence up to four classes (alone and followed by a paragraph
separator), both paragraph levels, and ICU's ``ubidi`` — the UAX #9 implementation ICU's
``uspoof_getBidiSkeleton`` calls — gives the expected answer.  BidiCharacterTest.txt's subject,
bracket pairs (rule N0, BD16), gets the same enumeration over brackets and the classes around them.

The explicit formatting classes (LRE RLE LRO RLO PDF LRI RLI FSI PDI) are left out: the subset does
not interpret X1-X8, they are DISALLOWED in domain names, and docs/confusables.md names that class
(``explicit-formatting``).

Visual order must agree everywhere.  Levels agree everywhere but one documented place: in a
left-to-right paragraph with no R or AL and no character that could be neutral, ICU calls the text
all-LTR and gives Arabic numbers (AN) level 0, where UAX #9 I1 gives level 2 (ICU ``ubidi.c``
``directionFromFlags``).  The visual order is the same either way; the test counts those cases and
checks that every one of them has that shape.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import icu
import pytest

from idnkit.unicode import BIDI_CLASS
from idnkit.unicode._uba import _levels, display_order

# One character per Bidi_Class (each checked against the UCD below).
REPRESENTATIVE = {
    "L": "a",
    "R": "\u05d0",
    "AL": "\u0627",
    "EN": "1",
    "ES": "+",
    "ET": "$",
    "AN": "\u0661",
    "CS": ",",
    "NSM": "\u0300",
    "BN": "\u00ad",
    "S": "\t",
    "WS": " ",
    "ON": "!",
    "B": "\u2029",
}
CLASSES = [cls for cls in REPRESENTATIVE if cls != "B"]
# N0 needs real bracket pairs (BidiBrackets.txt): two pairs, so that mismatched and nested pairs occur.
BRACKETS = {"(": "(", ")": ")", "[": "[", "]": "]"}
AROUND_BRACKETS = ["L", "R", "AL", "EN", "AN", "NSM", "ON", "WS"]
# Classes that make ICU's directionFromFlags say "not all LTR" besides R and AL.
_POSSIBLY_NEUTRAL = {"ON", "WS", "S", "B", "ES", "ET", "CS"}


def _visual_order(levels: list[int]) -> list[int]:
    """UAX #9 L2: from the highest level down to the lowest odd level, reverse every run at or above it."""
    order = list(range(len(levels)))
    odd = [level for level in levels if level & 1]
    if not odd:
        return order
    for level in range(max(levels), min(odd) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order


def _cases(alphabet: dict[str, str], tokens: list[str], longest: int) -> Iterator[tuple[tuple[str, ...], str]]:
    for length in range(1, longest + 1):
        for sequence in itertools.product(tokens, repeat=length):
            for tail in ((), ("B",)):
                yield sequence + tail, "".join(alphabet[token] for token in sequence + tail)


def _run(alphabet: dict[str, str], tokens: list[str], longest: int) -> tuple[int, list[str], list[str]]:
    bidi = icu.Bidi()
    cases = 0
    order_failures: list[str] = []
    level_differences: list[str] = []
    for sequence, text in _cases(alphabet, tokens, longest):
        cps = [ord(ch) for ch in text]
        for base in (0, 1):
            bidi.setPara(icu.UnicodeString(text), base)
            expected_levels = list(bidi.getLevels())
            expected_order = list(bidi.getVisualMap())
            levels = _levels(cps, base)
            cases += 1
            order = _visual_order(levels)
            if order != expected_order:
                order_failures.append(f"{' '.join(sequence)} @{base}: ICU {expected_order}, ours {order}")
            if levels != expected_levels:
                level_differences.append(f"{' '.join(sequence)} @{base}")
                shape = set(sequence)
                all_ltr_to_icu = base == 0 and not shape & {"R", "AL"} and not shape & _POSSIBLY_NEUTRAL
                assert all_ltr_to_icu and "AN" in shape, (
                    f"{' '.join(sequence)} @{base}: levels ICU {expected_levels}, ours {levels}"
                )
    return cases, order_failures, level_differences


def test_representatives_have_their_class() -> None:
    for cls, ch in REPRESENTATIVE.items():
        assert BIDI_CLASS[ord(ch)] == cls, (cls, f"U+{ord(ch):04X}")
    for ch in BRACKETS:
        assert BIDI_CLASS[ord(ch)] == "ON"


def test_every_class_sequence_up_to_four_reorders_as_icu() -> None:
    cases, order_failures, level_differences = _run(REPRESENTATIVE, CLASSES, 4)
    # 13 classes: sum of 13^k for k = 1..4, each alone and before a paragraph separator, both levels.
    assert cases == 2 * 2 * sum(13**k for k in range(1, 5)) == 123_760
    assert order_failures == [], order_failures[:20]
    # The ICU all-LTR shortcut (see the module docstring): counted, so a change in either side shows.
    assert len(level_differences) == 220, level_differences[:20]


def test_bracket_pairs_reorder_as_icu() -> None:
    alphabet = {**REPRESENTATIVE, **BRACKETS}
    tokens = AROUND_BRACKETS + list(BRACKETS)
    cases, order_failures, _ = _run(alphabet, tokens, 4)
    assert cases == 2 * 2 * sum(12**k for k in range(1, 5))
    assert order_failures == [], order_failures[:20]


@pytest.mark.parametrize("rtl", [False, True])
def test_display_order_is_the_visual_order_of_the_levels(rtl: bool) -> None:
    # display_order (what bidiSkeleton reorders with) against the index order above, on text without
    # marks (L3 keeps a base and its marks together, so NSM is left out here) or mirrored characters.
    tokens = ["L", "R", "AL", "EN", "AN", "ES", "ET", "CS", "WS", "BN"]
    base = 1 if rtl else 0
    for _sequence, text in _cases(REPRESENTATIVE, tokens, 4):
        cps = [ord(ch) for ch in text]
        expected = "".join(text[i] for i in _visual_order(_levels(cps, base)))
        assert display_order(text, rtl) == expected, [f"U+{cp:04X}" for cp in cps]
