"""Variant generation prunes permutations that a fatal variant type makes invalid — kept ones included."""

from __future__ import annotations

import pytest

from idnkit import lgr


@pytest.fixture(scope="module")
def latin() -> lgr.Lgr:
    return lgr.load("rz5/latin")


@pytest.mark.parametrize("label", ["хa", "aхb", "ιх", "sѕ", "ōхүa"])
def test_pruned_generation_equals_filtered_enumeration(latin: lgr.Lgr, label: str) -> None:
    # Labels holding code points whose reflexive mapping has a fatal type (out-of-repertoire-var):
    # pruning must drop exactly the permutations that would have been "invalid".
    pruned = {(v.label, v.disposition) for v in latin.variants(label, limit=None)}
    full = {
        (v.label, v.disposition)
        for v in latin.variants(label, limit=None, include_invalid=True)
        if v.disposition != "invalid"
    }
    assert pruned == full


def test_first_variants_of_a_mostly_invalid_label_come_at_once(latin: lgr.Lgr) -> None:
    # 609,638,399 permutations, nearly all invalid: the generator once walked them before its first yield.
    # Counted, not timed: the first ten variants must be found among the first few hundred permutations.
    label = "ōæսjхүaӓʋżëιjhiẽ"
    assert latin.validate(label).disposition == "invalid"
    seen = 0
    original = latin._raw_variants

    def counting(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        nonlocal seen
        for item in original(*args, **kwargs):  # type: ignore[arg-type]
            seen += 1
            yield item

    latin._raw_variants = counting  # type: ignore[method-assign]
    try:
        found = list(latin.variants(label, limit=10))
    finally:
        del latin._raw_variants
    assert len(found) == 10 and all(v.disposition != "invalid" for v in found)
    assert seen < 1_000
