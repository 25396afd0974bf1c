"""The on-disk cache of compiled LGR tables (src/idnkit/lgr/_cache.py, docs/lgr.md "Load time and the cache").

Each test points ``IDNKIT_CACHE_DIR`` at its own tmp folder (the session's is set in tests/conftest.py).
"""

from __future__ import annotations

import os
import random
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idnkit import lgr
from idnkit.lgr import LgrError, LgrParseError, _cache, _catalogue, _classes
from idnkit.lgr._evaluate import Lgr
from idnkit.lgr._model import Document

TABLES = ("rz5/latin", "rz5/arabic", "rz5/japanese", "ref/de", "ref/und-Mymr", "se/latin", "rz5/common")

SMALL = """<?xml version="1.0" encoding="utf-8"?>
<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0">
  <meta><version>1</version><language>und</language></meta>
  <data>
    <char cp="0061" tag="sc:Latn"><var cp="0430" type="blocked"/></char>
    <char cp="0062" tag="sc:Latn"/>
    <char cp="0430" when="after-a"><var cp="0061" type="blocked"/></char>
    <range first-cp="0063" last-cp="{last}" tag="sc:Latn"/>
  </data>
  <rules>
    <rule name="after-a"><look-behind><char cp="0061"/></look-behind><anchor/></rule>
    <action disp="invalid" any-variant="out-of-repertoire-var"/>
  </rules>
</lgr>
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IDNKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("IDNKIT_NO_CACHE", raising=False)
    return tmp_path / "cache" / "lgr"


def shipped_bytes(name: str) -> tuple[bytes, str]:
    from idnkit._resources import resource

    entry = _catalogue._entries()[name]
    return resource("script_tables", "lgr", *entry.file.split("/")).read_bytes(), f"script_tables/lgr/{entry.file}"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{_cache.SUFFIX}")) if folder.exists() else []


def same_document(a: Document, b: Document) -> None:
    assert a == b
    assert a.meta.lines == b.meta.lines  # compare=False in the model, but kept by the cache


def labels_of(table: Lgr, n: int, seed: int) -> list[str]:
    """Labels drawn from the table's repertoire (elements and their variants), plus a few outsiders."""
    rnd = random.Random(seed)
    pieces = ["".join(map(chr, cps)) for cps in table.chars]
    pieces += ["".join(map(chr, v.cps)) for ch in table.chars.values() for v in ch.variants if v.cps]
    out = []
    for _ in range(n):
        label = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 5)))
        if rnd.random() < 0.1:
            label += rnd.choice("Zß!\u0301\u4e00")
        out.append(label)
    return out


def verdicts(table: Lgr, label: str) -> dict[str, Any]:
    out: dict[str, Any] = {"validate": table.validate(label).to_dict()}
    for what, run in (
        ("variants", lambda: [v.to_dict() for v in table.variants(label, limit=40)]),
        ("index", lambda: table.index_label(label)),
    ):
        try:
            out[what] = run()
        except LgrError as e:  # not eligible, no index label: the same refusal either way
            out[what] = f"LgrError: {e}"
    return out


@pytest.mark.parametrize("name", TABLES)
def test_a_cache_hit_gives_the_fresh_answers(name: str, cache_dir: Path) -> None:
    data, source = shipped_bytes(name)
    fresh = _catalogue.load(name, cache=False)
    assert entries(cache_dir) == []
    first = _cache.load_cached(data, source, name)  # a miss: parsed, compiled, then written
    assert len(entries(cache_dir)) == 1
    cached = _cache.read(entries(cache_dir)[0], _cache.key(data), source, name)
    assert cached is not None
    assert cached._document is None  # elements decoded as labels reach them, the document on demand
    for label in labels_of(fresh, 150, seed=len(name)):
        assert verdicts(cached, label) == verdicts(fresh, label), label
    same_document(cached.document, fresh.document)
    same_document(first.document, fresh.document)


def test_load_reads_its_own_entry_on_the_second_call(cache_dir: Path, tmp_path: Path) -> None:
    xml = tmp_path / "small.xml"
    xml.write_text(SMALL.format(last="0066"), encoding="utf-8")
    one = lgr.load(xml)
    [entry] = entries(cache_dir)
    mtime = entry.stat().st_mtime_ns
    two = lgr.load(str(xml))
    assert entries(cache_dir) == [entry] and entry.stat().st_mtime_ns == mtime  # read, not rewritten
    same_document(one.document, two.document)
    assert two.document.source == str(xml)
    assert [two.validate(x).disposition for x in ("ab", "a\u0430", "\u0430", "cf", "g")] == [
        one.validate(x).disposition for x in ("ab", "a\u0430", "\u0430", "cf", "g")
    ]


def test_the_source_is_the_callers_not_the_first_readers(cache_dir: Path) -> None:
    data = SMALL.format(last="0066").encode()
    _cache.load_cached(data, "first.xml", None)
    assert _cache.load_cached(data, "second.xml", None).document.source == "second.xml"
    assert _cache.load_cached(data, "third.xml", None).name == "third.xml"


def test_the_key_follows_the_table_bytes(cache_dir: Path, tmp_path: Path) -> None:
    a, b = SMALL.format(last="0066").encode(), SMALL.format(last="0067").encode()
    assert _cache.key(a) != _cache.key(b)
    assert _cache.key(a) == _cache.key(bytes(a))
    xml = tmp_path / "t.xml"
    xml.write_bytes(a)
    assert lgr.load(xml).validate("g").disposition == "invalid"
    xml.write_bytes(b)  # edited in place: another key, so a fresh parse
    assert lgr.load(xml).validate("g").disposition == "valid"
    assert len(entries(cache_dir)) == 2


def test_the_key_follows_idnkit_and_the_format(monkeypatch: pytest.MonkeyPatch) -> None:
    data = SMALL.format(last="0066").encode()
    before = _cache.key(data)
    for attr, value in (("__version__", "999.0"), ("FORMAT", _cache.FORMAT + 1)):
        with monkeypatch.context() as m:
            m.setattr(_cache, attr, value)
            _cache._code_fingerprint.cache_clear()
            assert _cache.key(data) != before, attr
        _cache._code_fingerprint.cache_clear()
    assert _cache.key(data) == before


def damaged(blob: bytes) -> dict[str, bytes]:
    head = len(_cache.MAGIC) + 32
    flipped = bytearray(blob)
    flipped[head + len(blob[head:]) // 2] ^= 0x40
    return {
        "empty": b"",
        "truncated": blob[: len(blob) // 2],
        "header only": blob[:head],
        "bit flipped": bytes(flipped),
        "other magic": b"idnkit-lgr-cachX\n" + blob[len(_cache.MAGIC) :],
        "garbage": os.urandom(len(blob)),
    }


def resealed(payload: bytes) -> bytes:
    import hashlib

    return _cache.MAGIC + hashlib.sha256(payload).digest() + payload


def test_damaged_or_foreign_entries_are_ignored_and_rebuilt(cache_dir: Path) -> None:
    import marshal

    data = SMALL.format(last="0066").encode()
    good = _cache.load_cached(data, "t.xml", None)
    [entry] = entries(cache_dir)
    blob = entry.read_bytes()
    k = _cache.key(data)
    enc = _cache.encode(good)
    head, scanned, layout = enc
    cases = damaged(blob)
    # Well sealed, but not ours: another format, another key, another shape, a code object.
    cases["other format"] = resealed(marshal.dumps((_cache.FORMAT + 1, k, enc)))
    cases["other key"] = resealed(marshal.dumps((_cache.FORMAT, "0" * 64, enc)))
    cases["other shape"] = resealed(marshal.dumps((_cache.FORMAT, k, enc[:2])))
    cases["a list"] = resealed(marshal.dumps([_cache.FORMAT, k, enc]))
    cases["a code object"] = resealed(marshal.dumps((_cache.FORMAT, k, compile("1", "x", "eval"))))
    # Well sealed, right shape, but a layout this module never writes: each is refused at read time,
    # before any element record is decoded.
    firsts, starts, members, offsets, records = layout
    one = _cache._array(members)
    one[0] = head[5]  # a position past the last element
    for what, bad_layout in {
        "records cut short": (firsts, starts, members, offsets, records[:-1]),
        "a position out of range": (firsts, starts, one.tobytes(), offsets, records),
        "firsts out of order": (firsts[4:8] + firsts[:4] + firsts[8:], starts, members, offsets, records),
        "half an offset": (firsts, starts, members, offsets[:-2], records),
        "records not bytes": (firsts, starts, members, offsets, "text"),
    }.items():
        cases[what] = resealed(marshal.dumps((_cache.FORMAT, k, (head, scanned, bad_layout))))
    for what, bad in cases.items():
        entry.write_bytes(bad)
        os.chmod(entry, 0o600)
        assert _cache.read(entry, k, "t.xml") is None, what
        again = _cache.load_cached(data, "t.xml", None)  # never a crash, never another answer
        same_document(again.document, good.document)
        for label in ("ab", "a\u0430", "\u0430", "cf", "g", "ba"):
            assert verdicts(again, label) == verdicts(good, label), (what, label)
        assert entry.read_bytes() == blob, what  # rewritten whole


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_an_entry_others_could_write_is_not_read(cache_dir: Path) -> None:
    data = SMALL.format(last="0066").encode()
    _cache.load_cached(data, "t.xml", None)
    [entry] = entries(cache_dir)
    k = _cache.key(data)
    assert _cache.read(entry, k, "t.xml") is not None
    for mode in (0o620, 0o602, 0o666):
        os.chmod(entry, mode)
        assert _cache.read(entry, k, "t.xml") is None, oct(mode)
    os.chmod(entry, 0o600)
    link = entry.with_name("link" + _cache.SUFFIX)
    link.symlink_to(entry)
    assert _cache.read(link, k, "t.xml") is None  # O_NOFOLLOW: a planted link is not followed
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners")
def test_an_entry_of_another_owner_is_not_read(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = SMALL.format(last="0066").encode()
    _cache.load_cached(data, "t.xml", None)
    [entry] = entries(cache_dir)
    me = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: me + 1)  # as seen by another user, this file is not theirs
    assert _cache.read(entry, _cache.key(data), "t.xml") is None


def test_disabled_cache_never_writes(cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xml = tmp_path / "small.xml"
    xml.write_text(SMALL.format(last="0066"), encoding="utf-8")
    assert lgr.load(xml, cache=False).validate("ab").valid
    assert not cache_dir.exists()
    monkeypatch.setenv("IDNKIT_NO_CACHE", "1")
    assert lgr.load(xml).validate("ab").valid
    assert _cache.load_cached(xml.read_bytes(), "x", None).chars
    assert not cache_dir.exists()
    monkeypatch.setenv("IDNKIT_NO_CACHE", "0")  # "0" means on
    lgr.load(xml)
    assert len(entries(cache_dir)) == 1


def test_an_unwritable_folder_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    monkeypatch.setenv("IDNKIT_CACHE_DIR", str(ro))
    if getattr(os, "getuid", lambda: -1)() == 0:  # root writes anywhere: what anyone else gets from a read-only folder
        denied = PermissionError(13, "Permission denied")
        monkeypatch.setattr(_cache.tempfile, "mkstemp", lambda *a, **k: (_ for _ in ()).throw(denied))
        monkeypatch.setattr(_cache.os, "mkdir", lambda *a, **k: (_ for _ in ()).throw(denied))
    data = SMALL.format(last="0066").encode()
    assert _cache.load_cached(data, "t.xml", None).chars
    assert list(ro.iterdir()) == []


def test_a_folder_that_cannot_be_made_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("IDNKIT_CACHE_DIR", str(blocker))  # works for root too: a file is in the way
    data = SMALL.format(last="0066").encode()
    same_document(_cache.load_cached(data, "t.xml", None).document, lgr.parse_bytes(data, "t.xml"))
    assert _cache.write(blocker / "lgr" / "x.lgrc", "x", Lgr(lgr.parse_bytes(data, "t.xml"))) is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_parse_error_caches_nothing(cache_dir: Path) -> None:
    bad = SMALL.format(last="0066").replace('cp="0062"', 'cp="62"').encode()
    for _ in range(2):
        with pytest.raises(LgrParseError, match="bad code point"):
            _cache.load_cached(bad, "bad.xml", None)
    # Parsed but refused by the compiler (a context rule that is not defined): nothing cached either.
    refused = SMALL.format(last="0066").replace('when="after-a"', 'when="nowhere"').encode()
    for _ in range(2):
        with pytest.raises(LgrParseError, match="context rule 'nowhere' is not defined"):
            _cache.load_cached(refused, "refused.xml", None)
    assert entries(cache_dir) == []


def test_where_the_cache_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("IDNKIT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.cache_dir() == tmp_path / "xdg" / "idnkit" / "lgr"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert _cache.cache_dir() == tmp_path / "home" / ".cache" / "idnkit" / "lgr"
    monkeypatch.setenv("IDNKIT_CACHE_DIR", str(tmp_path / "mine"))
    assert _cache.cache_dir() == tmp_path / "mine" / "lgr"


@given(st.lists(st.integers(0, 300), max_size=60))
def test_from_cps_is_normalize_of_points(points: list[int]) -> None:
    assert _classes.from_cps(points) == _classes.normalize((c, c) for c in points)


COMPARED = ("name", "meta", "duplicates", "tags", "classes", "actions", "fatal_types", "_simple",
            "_in_sequences", "_conditional", "_has_conditional_chars", "_n_doc_actions", "_plain_actions")  # fmt: skip


@pytest.mark.parametrize("name", ["rz5/arabic", "rz5/common", "ref/und-Mymr"])
def test_the_compiled_table_is_the_same_from_either_path(name: str, cache_dir: Path) -> None:
    """Everything ``Lgr`` derives from a document, compared between a fresh parse and a cache hit."""
    data, source = shipped_bytes(name)
    fresh = Lgr(lgr.parse_bytes(data, source), name)
    _cache.load_cached(data, source, name)
    hit = _cache.read(entries(cache_dir)[0], _cache.key(data), source, name)
    assert hit is not None
    for attr in COMPARED:
        assert getattr(hit, attr) == getattr(fresh, attr), attr
    for attr in ("context_refs", "anchor_width", "conditional"):
        assert getattr(hit._rep, attr) == getattr(fresh._rep, attr), attr
    assert len(hit.chars) == len(fresh.chars)
    for cp in {cps[0] for cps in fresh.chars} | {0x41, 0x10FFFF}:  # every first code point, two outsiders
        assert hit._index.get(cp) == fresh._index.get(cp), hex(cp)
    assert hit.chars == fresh.chars  # Mapping equality: decodes every element
    assert list(hit.chars) == list(fresh.chars)  # in document order
    assert set(hit.rules) == set(fresh.rules)  # compiled rules hold closures: compared by spelling
    assert [r.pattern for r in hit.rules.values()] == [r.pattern for r in fresh.rules.values()]
    same_document(hit.document, fresh.document)
    assert all(a is b for a, b in zip(hit.document.chars, (hit.chars[c.cps] for c in hit.document.chars), strict=True)
               if a.cps not in {d.cps for d in hit.duplicates})  # fmt: skip


def test_a_hit_decodes_only_the_elements_a_label_reaches(cache_dir: Path) -> None:
    name = "rz5/japanese"
    data, source = shipped_bytes(name)
    _cache.load_cached(data, source, name)
    hit = _cache.read(entries(cache_dir)[0], _cache.key(data), source, name)
    assert hit is not None
    packed = hit.chars._packed  # type: ignore[attr-defined]
    assert sum(ch is not None for ch in packed._memo) == 0
    assert hit.validate("\u65e5\u672c").valid  # 日本: the fast path, no element needed
    assert sum(ch is not None for ch in packed._memo) == 0
    assert not hit.validate("\u65e5\u672cA").eligible  # partitioned: 日 and 本 decoded, A is not there
    decoded = sum(ch is not None for ch in packed._memo)
    assert 2 <= decoded <= 4
    assert (0x65E5,) in hit.chars and (0x41,) not in hit.chars and () not in hit.chars
    assert hit.chars.get("not a key") is None  # type: ignore[call-overload]
    assert len(hit.document.chars) == len(packed._memo)  # the whole document, on demand


def test_duplicate_elements_survive_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    xml = tmp_path / "dup.xml"
    doubled = SMALL.format(last="0066").replace(
        '<char cp="0062" tag="sc:Latn"/>', '<char cp="0062" tag="sc:Latn"/><char cp="0062" comment="again"/>'
    )
    xml.write_text(doubled, encoding="utf-8")
    fresh = lgr.load(xml, cache=False)
    assert [d.comment for d in fresh.duplicates] == ["again"]
    lgr.load(xml)
    hit = lgr.load(xml)
    assert hit._document is None and hit.duplicates == fresh.duplicates
    same_document(hit.document, fresh.document)


def test_a_hit_pickles_and_stays_lazy(cache_dir: Path) -> None:
    """The audit pickles its checks, LGR tables included, into worker processes."""
    import pickle

    name = "rz5/japanese"
    fresh = _catalogue.load(name, cache=False)
    data, source = shipped_bytes(name)
    _cache.load_cached(data, source, name)
    hit = _cache.read(entries(cache_dir)[0], _cache.key(data), source, name)
    assert hit is not None
    copy = pickle.loads(pickle.dumps(hit))
    assert copy._document is None
    for label in labels_of(fresh, 60, seed=3):
        assert verdicts(copy, label) == verdicts(fresh, label), label
    same_document(copy.document, fresh.document)
