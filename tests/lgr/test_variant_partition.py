"""Variant labels are judged as §8.1 partitions them, not as the choices spelled them (issue 20 point 5).

Under rz5/common Georgian U+10D8 ი has the blocked variant U+0D31 റ (Malayalam RRA), and the repertoire
also holds the sequence U+0D31 U+0D31 and U+0D31 with ``not-when="Mlym--follows-0D31"``.  Permuting both
ი of "კლგიილყ" spells "റ|റ": the second RRA follows one, so as spelled it fails its context, and the
walk used to prune the label.  But ``validate`` partitions "კლგററლყ" into the sequence ററ, whose
context holds, and lgr-core (which tests a variant label's eligibility as an original label's, by the
same partition) lists it as a blocked variant.  The brute force below judges each permuted label the
same independent way — ``validate(text).eligible`` — and the sweep holds ``Lgr.variants`` to it on
labels mixing the Georgian, Malayalam and Myanmar look-alikes with the sequences and contexts around RRA.
"""

from __future__ import annotations

import itertools
import random

import pytest

from idnkit import lgr
from idnkit.lgr import Lgr, Variant

COMMON = lgr.load("rz5/common")


def brute_force(table: Lgr, label: str) -> set[Variant]:
    """Every permuted label with its canonical spelling's disposition; eligibility by ``validate``."""
    u, elements = table._eligible(label)
    seen: dict[str, Variant] = {}
    for combo in itertools.product(*table._options(u, elements)):
        text = "".join(chr(c) for o in combo for c in o[0])
        if text == u or text in seen:
            continue  # the first spelling in product order is the canonical one
        types = frozenset().union(*(o[1] for o in combo))
        if not table.validate(text).eligible:
            disp = "invalid"  # RFC 7940 §8.3 step 1: not a label of the LGR at all
        else:
            disp = table._apply_actions(text, types, all(o[2] for o in combo))[1].disp
        seen[text] = Variant(text, disp, tuple(sorted(types)))
    return {v for v in seen.values() if v.disposition != "invalid"}


def _fails_as_spelled(table: Lgr, combo: tuple[tuple[tuple[int, ...], frozenset[str], bool], ...]) -> bool:
    """Does some element fail its own context at the place the choices spelled it (the old judgement)?"""
    text = "".join(chr(c) for o in combo for c in o[0])
    pos = 0
    for cps, _, _ in combo:
        ch = table.chars.get(cps)
        if ch is not None and ch.conditional and not table._context_ok(ch, text, pos):
            return True
        pos += len(cps)
    return False


def test_both_rra_of_the_issue_are_a_blocked_variant() -> None:
    variants = {v.label: v for v in COMMON.variants("კლგიილყ", limit=None)}
    assert COMMON.validate("კლგററლყ").valid
    assert variants["კლგററლყ"] == Variant("კლგററლყ", "blocked", ("blocked",))
    assert COMMON.variant_count("კლგიილყ") == 8  # ი, റ or ဂ at each of two places, less the label itself
    assert set(variants.values()) == brute_force(COMMON, "კლგიილყ")


def test_a_spelling_that_fails_where_no_sequence_rescues_it_stays_invalid() -> None:
    # Where the partition has no sequence to take instead (a lone RRA after a Georgian letter turned
    # RRA, three in a row), the labels stay out; every variant listed is one validate accepts.
    for label in ("ლიი", "იიი", "კი\u0d31"):
        try:
            listed = set(COMMON.variants(label, limit=None))
        except lgr.LgrError:
            continue  # not eligible itself
        assert listed == brute_force(COMMON, label)
        assert all(COMMON.validate(v.label).eligible for v in listed)


# Georgian letters without variants, the Georgian/Malayalam/Myanmar look-alikes, and the Malayalam
# code points the RRA sequences and contexts are made of (virama U+0D4D, chillu N U+0D7B).
ALPHABET = "კლგყ" + "ი" + "\u0d31" + "\u1002" + "\u0d4d" + "\u0d7b" + "\u0d28"


def _labels(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    tries = 0
    while len(out) < count and tries < count * 50:
        tries += 1
        label = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(2, 7)))
        if label not in out and COMMON.validate(label).eligible:
            out.append(label)
    return out


@pytest.mark.slow
def test_variant_sets_equal_brute_force_on_mixed_lookalike_labels() -> None:
    labels = _labels(400, seed=20)
    assert len(labels) == 400
    rescued = 0  # labels with a variant only the §8.1 partition makes valid: the sweep reaches the bug
    for label in labels:
        listed = list(COMMON.variants(label, limit=None))
        assert len(listed) == len({v.label for v in listed}), label
        expected = brute_force(COMMON, label)
        assert set(listed) == expected, label
        spelled = {
            "".join(chr(c) for o in combo for c in o[0])
            for combo in itertools.product(*COMMON._options(*COMMON._eligible(label)))
            if _fails_as_spelled(COMMON, combo)
        }
        rescued += any(v.label in spelled for v in expected)
    assert rescued >= 10, rescued
