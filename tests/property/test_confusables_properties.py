"""Properties of the UTS #39 functions and the collision index (hypothesis)."""

from __future__ import annotations

import pytest
import unicodedata2
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit import confusables as c
from idnkit.collisions import CollisionIndex

pytestmark = pytest.mark.property

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
labelish = st.text(st.sampled_from("abcilmnoprs01-аеорсіӏαοιéöü\u0301\u0308"), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(text)
def test_skeleton_ignores_normalization_form(s: str) -> None:
    assert c.skeleton(unicodedata2.normalize("NFC", s)) == c.skeleton(unicodedata2.normalize("NFD", s))


@settings(max_examples=300, deadline=None)
@given(text, text)
def test_confusable_is_symmetric(a: str, b: str) -> None:
    assert c.confusable(a, b, mark_folded=True) is c.confusable(b, a, mark_folded=True)


@settings(max_examples=300, deadline=None)
@given(text)
def test_skeleton_is_nfd_and_mark_folding_only_removes(s: str) -> None:
    sk = c.skeleton(s)
    assert unicodedata2.normalize("NFD", sk) == sk
    folded = c.mark_folded_skeleton(s)
    assert not any(ord(ch) in c._FOLDED_MARKS for ch in folded)


@settings(max_examples=100, deadline=None)
@given(st.lists(labelish, max_size=30), labelish)
def test_index_query_equals_pairwise_confusable(names: list[str], probe: str) -> None:
    index = CollisionIndex(ascii_pairs=True)
    index.add_many(names)
    found = {hit.name: hit.kind for hit in index.query(probe)}
    expected = {}
    for name in names:
        kind = c.confusable(probe, name)
        if name != probe and kind is not None:
            expected[name] = kind.value
    assert found == expected
