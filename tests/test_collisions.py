"""The collision index: key sources, both storage backends, queries, groups, ASCII pairs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit import IdnkitError
from idnkit.collisions import (
    Collision,
    CollisionError,
    CollisionGroup,
    CollisionIndex,
    CollisionStore,
    KeySource,
    MarkFoldedKeys,
    MemoryCollisionStore,
    SkeletonKeys,
    SQLiteCollisionStore,
    unicode_form,
)

NAMES = ["paypal", "apple", "example", "kohls", "m0zilla", "rn0zilla", "bücher", "bucher"]


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CollisionStore]:
    if request.param == "memory":
        yield MemoryCollisionStore()
    else:
        s = SQLiteCollisionStore(tmp_path / "index.sqlite", batch=3)  # tiny batches: flushing is exercised
        yield s
        s.close()


def _pairs(collisions: list[Collision]) -> list[tuple[str, str]]:
    return [(c.name, c.kind) for c in collisions]


def test_query_classifies_confusables(store: CollisionStore) -> None:
    index = CollisionIndex(store)
    assert index.add_many(NAMES) == len(NAMES)
    assert _pairs(index.query("раураӏ")) == [("paypal", "whole-script")]
    assert _pairs(index.query("pаypal")) == [("paypal", "mixed-script")]
    assert _pairs(index.query("ｐａｙｐａｌ")) == [("paypal", "single-script")]
    assert index.query("москва") == []
    assert index.query("paypal") == []  # itself is not a collision


def test_ascii_pairs_are_left_out_by_default(store: CollisionStore) -> None:
    index = CollisionIndex(store)
    index.add_many(NAMES)
    assert index.query("rn0zilla") == []  # m0zilla ~ rn0zilla: both ASCII
    assert [g.names for g in index.groups()] == []
    loud = CollisionIndex(store, ascii_pairs=True)
    assert _pairs(loud.query("rn0zilla")) == [("m0zilla", "single-script")]
    assert [g.names for g in loud.groups()] == [("m0zilla", "rn0zilla")]


def test_a_labels_are_keyed_by_their_unicode_form(store: CollisionStore) -> None:
    index = CollisionIndex(store)
    index.add_many(["paypal.com", "xn--80aa0cbo65f.com"])  # раураӏ.com
    assert unicode_form("xn--80aa0cbo65f.com") == "раураӏ.com"
    assert _pairs(index.query("paypal.com")) == [("xn--80aa0cbo65f.com", "whole-script")]
    assert unicode_form("xn--broken-.com") == "xn--broken-.com"  # decodes to ASCII: a fake A-label
    assert unicode_form("XN--ZZ.com") == "XN--ZZ.com"  # does not decode


def test_groups(store: CollisionStore) -> None:
    index = CollisionIndex(store)
    index.add_many([*NAMES, "раураӏ", "аррӏе", "ǉeto", "ljeto"])
    groups = sorted(index.groups(), key=lambda g: g.key)
    assert [(g.source, g.key, g.names) for g in groups] == [
        ("skeleton", "apple", ("apple", "аррӏе")),
        ("skeleton", "ljeto", ("ǉeto", "ljeto")),
        ("skeleton", "paypal", ("paypal", "раураӏ")),
    ]
    assert groups[0].to_dict() == {"source": "skeleton", "key": "apple", "names": ["apple", "аррӏе"]}


def test_mark_folded_source_is_opt_in(store: CollisionStore) -> None:
    index = CollisionIndex(store, mark_folded=True)
    index.add_many(NAMES)
    assert _pairs(index.query("köhls")) == [("kohls", "mark-folded")]
    assert [c.source for c in index.query("köhls")] == ["mark-folded"]
    # found by the skeleton first: reported once, under the stronger source
    assert _pairs(index.query("раураӏ")) == [("paypal", "whole-script")]
    assert sorted(g.names for g in index.groups("mark-folded")) == [("bücher", "bucher")]


def test_mark_folding_is_off_by_default() -> None:
    index = CollisionIndex()
    index.add_many(NAMES)
    assert index.query("köhls") == []


class IndexLabelKeys:
    """A stand-in for ``idnkit.lgr.IndexLabelKeys``: the protocol needs no import from collisions."""

    kind = "lgr-index:test"

    def keys(self, u_label: str) -> Iterable[str]:
        return (u_label.replace("ß", "ss"),)


def test_foreign_key_source(store: CollisionStore) -> None:
    source = IndexLabelKeys()
    assert isinstance(source, KeySource)
    index = CollisionIndex(store, sources=[SkeletonKeys(), source])
    index.add_many(["strasse", "example"])
    assert [(c.name, c.kind, c.source) for c in index.query("straße")] == [("strasse", "lgr-variant", "lgr-index:test")]


def test_duplicates_are_stored_once(store: CollisionStore) -> None:
    index = CollisionIndex(store)
    index.add_many(["paypal", "paypal", "раураӏ", "раураӏ"])
    index.add("paypal")
    assert len(index) == 2
    assert "paypal" in index and "apple" not in index and 3 not in index
    assert list(index.groups()) == [CollisionGroup("skeleton", "paypal", ("paypal", "раураӏ"))]


def test_key_sources_must_be_distinct() -> None:
    with pytest.raises(CollisionError, match="distinct"):
        CollisionIndex(sources=[SkeletonKeys(), SkeletonKeys()])
    with pytest.raises(CollisionError):
        CollisionIndex(sources=[])
    assert issubclass(CollisionError, IdnkitError)
    assert [s.kind for s in CollisionIndex(sources=[MarkFoldedKeys()], mark_folded=True).sources] == ["mark-folded"]


def test_sqlite_store_persists_between_runs(tmp_path: Path) -> None:
    path = tmp_path / "zone.sqlite"
    with_store = SQLiteCollisionStore(path)
    CollisionIndex(with_store).add_many(["paypal", "apple"])
    with_store.close()
    reopened = SQLiteCollisionStore(path)
    index = CollisionIndex(reopened)
    assert len(index) == 2
    assert _pairs(index.query("аррӏе")) == [("apple", "whole-script")]
    index.add_many(["paypal"])  # re-feeding a zone is harmless
    assert len(index) == 2
    reopened.close()


def test_sqlite_store_refuses_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "not.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CollisionError, match="not a usable collision store"):
        SQLiteCollisionStore(bad)


def test_collision_to_dict() -> None:
    index = CollisionIndex()
    index.add("paypal")
    (hit,) = index.query("раураӏ")
    assert hit.to_dict() == {
        "name": "paypal",
        "kind": "whole-script",
        "source": "skeleton",
        "key": "paypal",
        "rule": "uts39.confusable",
    }


def test_memory_and_sqlite_agree_on_a_larger_list(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    alphabet = "abcdeilmnoprs01аеорсіӏ"  # Latin, digits and Cyrillic look-alikes
    names = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(3000)]
    memory = CollisionIndex()
    memory.add_many(names)
    sqlite_store = SQLiteCollisionStore(tmp_path / "x.sqlite", batch=500)
    on_disk = CollisionIndex(sqlite_store)
    on_disk.add_many(names)
    assert len(memory) == len(on_disk) == len(set(names))
    assert sorted(memory.groups(), key=lambda g: g.key) == sorted(on_disk.groups(), key=lambda g: g.key)
    for name in names[:200]:
        assert sorted(_pairs(memory.query(name))) == sorted(_pairs(on_disk.query(name)))
    sqlite_store.close()


def test_inlined_zone_load_equals_the_generic_path() -> None:
    import random

    rng = random.Random(11)
    alphabet = "abcmn01lI-аоріӏ"
    names = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(4000)]
    names += ["xn--80aa0cbo65f", "paypal", "paypal"]
    fast = MemoryCollisionStore()
    CollisionIndex(fast, ascii_pairs=True).add_many(names)  # takes the inlined loop
    slow = MemoryCollisionStore()
    generic = CollisionIndex(slow, ascii_pairs=True)
    for name in names:
        generic.add(name)
    assert fast._names == slow._names
    assert fast._buckets == slow._buckets


class PickyKeys:
    """A key source that, like an LGR, cannot key labels outside its repertoire."""

    kind = "lgr-index:picky"

    def keys(self, u_label: str) -> Iterable[str]:
        if not u_label.isascii():
            raise IdnkitError(f"{u_label!r} is outside the repertoire")
        return (u_label.replace("0", "o"),)


def test_a_source_that_cannot_key_a_name_is_counted_not_fatal(store: CollisionStore) -> None:
    index = CollisionIndex(store, sources=[SkeletonKeys(), PickyKeys()], ascii_pairs=True)
    index.add_many(["g00gle", "paypal", "раураӏ"])
    assert index.unkeyed == {"lgr-index:picky": 1}
    assert _pairs(index.query("gоogle")) == []  # Cyrillic о: skeleton differs from g00gle's gOOgle
    assert _pairs(index.query("google")) == [("g00gle", "lgr-variant")]
    assert _pairs(index.query("paypal")) == [("раураӏ", "whole-script")]
    assert index.unkeyed == {"lgr-index:picky": 2}
    assert "раураӏ" in index


def test_collision_rules() -> None:
    index = CollisionIndex(sources=[SkeletonKeys(), MarkFoldedKeys(), IndexLabelKeys()])
    index.add_many(["paypal", "kohls", "strasse"])
    rules = {c.name: c.rule for q in ("раураӏ", "köhls", "straße") for c in index.query(q)}
    assert rules == {"paypal": "uts39.confusable", "kohls": "uts39.mark_folded", "strasse": None}


def test_lone_surrogates_are_refused(store: CollisionStore) -> None:
    from idnkit import InputError

    index = CollisionIndex(store)
    index.add_many(["paypal"])
    with pytest.raises(InputError, match="U\\+D800 at position 2"):
        index.add_many(["a\ud800b"])
    with pytest.raises(InputError):
        index.add("x\udfff")
    with pytest.raises(InputError):
        index.query("p\ud800")
    assert len(index) == 1


class _CountingName(str):
    """A name that counts the equality tests made on it (a group scan shows up as n**2 of them)."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        _CountingName.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


@pytest.mark.parametrize("path", ["add_many", "add"])
def test_one_big_group_loads_in_linear_comparisons(path: str) -> None:
    # 2**11 ASCII spellings of one skeleton ("l"/"1"): every name joins the same group, and the
    # duplicate check must not scan the group (that made loading quadratic: ~2 million tests here).
    names = [_CountingName(format(i, "011b").replace("0", "l")) for i in range(2**11)]
    names += names[:50]  # duplicates are still recognised
    store = MemoryCollisionStore()
    index = CollisionIndex(store, ascii_pairs=True)
    _CountingName.comparisons = 0
    if path == "add_many":
        index.add_many(names)
    else:
        for name in names:
            index.add(name)
    assert len(index) == 2**11
    assert _CountingName.comparisons < 20 * len(names)
    (group,) = index.groups()
    assert len(group.names) == 2**11


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_key_is_the_skeleton_in_bytes(s: str) -> None:
    # the zone audit hashes ASCII names through ascii_key: it must be exactly the str key, encoded
    for source in (SkeletonKeys(), MarkFoldedKeys()):
        assert source.ascii_key(s.encode()) == source.keys(s)[0].encode()
