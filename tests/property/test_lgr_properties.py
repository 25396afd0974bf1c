"""Properties of LGR evaluation on shipped tables, with labels drawn from each LGR's repertoire."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit import lgr

pytestmark = pytest.mark.property

# Tables whose variant mappings are all unconditional, so the relation must be symmetric label-wide.
TABLES = ["rz5/latin", "rz5/cyrillic", "rz5/greek", "rz5/arabic", "rz5/chinese", "ref/und-Cyrl", "ref/zh"]


def elements(name: str) -> list[str]:
    table = lgr.load(name)
    return sorted("".join(map(chr, cps)) for cps in table.chars)


def labels(name: str, max_size: int = 4) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(elements(name)), min_size=1, max_size=max_size).map("".join)


@pytest.mark.parametrize("name", TABLES)
def test_tables_are_unconditional(name: str) -> None:
    table = lgr.load(name)
    assert not any(v.conditional for ch in table.chars.values() for v in ch.variants)


@pytest.mark.parametrize("name", TABLES)
def test_variant_relation_symmetric_and_index_shared(name: str) -> None:
    table = lgr.load(name)

    @settings(max_examples=25, deadline=None)
    @given(labels(name, 3))
    def check(label: str) -> None:
        if not table.validate(label).eligible:
            return
        try:
            index: str | None = table.index_label(label)
        except lgr.LgrError:
            index = None
        for v in table.variants(label, limit=15, include_invalid=True):
            if not table.validate(v.label).eligible:
                continue
            back = {w.label for w in table.variants(v.label, limit=None, include_invalid=True)}
            assert label in back, f"{v.label!r} is a variant of {label!r} but not the reverse"
            if index is not None:
                assert table.index_label(v.label) == index

    check()


@pytest.mark.parametrize("name", [*TABLES, "rz5/devanagari", "rz5/common", "msr4"])
def test_fast_path_agrees_with_full_evaluation(name: str) -> None:
    table = lgr.load(name)

    @settings(max_examples=60, deadline=None)
    @given(labels(name, 6))
    def check(label: str) -> None:
        result = table.validate(label)
        elements_, findings = table._partition(label)
        assert result.eligible == (not findings)
        if not findings:
            types, only = table._reflexive_types(label, elements_)
            _, action = table._apply_actions(label, types, only)
            assert result.disposition == action.disp
        else:
            assert result.disposition == "invalid"

    check()


@pytest.mark.parametrize("name", TABLES)
def test_count_matches_enumeration(name: str) -> None:
    table = lgr.load(name)

    @settings(max_examples=20, deadline=None)
    @given(labels(name, 3))
    def check(label: str) -> None:
        if not table.validate(label).eligible:
            return
        n = table.variant_count(label)
        if n <= 2000:
            assert n == sum(1 for _ in table.variants(label, limit=None, include_invalid=True))
        assert label not in {v.label for v in table.variants(label, limit=50, include_invalid=True)}

    check()
