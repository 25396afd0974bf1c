"""The audit's C batch path (``idnkit.audit._fast``) against the pure-Python one: identical partials."""

from __future__ import annotations

import os
import random
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idnkit.audit import FoldKeys, audit_zone
from idnkit.audit import _auditor as auditor
from idnkit.audit._model import Config, Partial, Partition
from idnkit.collisions import MarkFoldedKeys, SkeletonKeys

from .test_audit import _generated_zone, _same


def _require_native() -> None:
    if not auditor.BUILT:
        pytest.fail("idnkit.audit._fast is not built (no C compiler?): the native audit path cannot be compared")


def test_native_present_where_required() -> None:
    if os.environ.get("IDNKIT_REQUIRE_SPEEDUPS"):
        _require_native()


@contextmanager
def python_only() -> Iterator[None]:
    was = auditor._use_native(False)
    try:
        yield
    finally:
        auditor._use_native(was)


def _fields(p: Partial) -> dict[str, object]:
    fields = {name: getattr(p, name) for name in Partial.__slots__ if name not in ("hash_files", "name_bounds")}
    # key hashes are appended source by source per batch or block, and only ever used as a set
    fields["key_hashes"] = sorted(p.key_hashes)
    return fields


def _partials(data: bytes, tmp_path: Path, config: Config) -> tuple[Partial, Partial]:
    path = tmp_path / "input"
    path.write_bytes(data)
    part = Partition(str(path), "input", 0, len(data), 1, config.origin)
    native = auditor.audit_partition(part, config)
    with python_only():
        reference = auditor.audit_partition(part, config)
    return native, reference


def _assert_same(data: bytes, tmp_path: Path, config: Config) -> Partial:
    _require_native()
    native, reference = _partials(data, tmp_path, config)
    assert _fields(native) == _fields(reference)
    return native


SOURCES = [(), (SkeletonKeys(),), (FoldKeys(),), (SkeletonKeys(), MarkFoldedKeys(), FoldKeys())]

NAMES = [
    "strasse", "example", "EXAMPLE", "a", "a-b", "ab--c", "a--b", "-ab", "ab-", "x" * 63, "x" * 64, "xn--mller-kva",
    "xn--zz", "straße", "müller", "_dmarc", "*", "a.b", "A.B.C", "1", "0-0", "m0l1", "rn", "with space", "tab\tin",
    "dot.", "", "#comment", "   padded   ", "a..b", "é" * 30, "\\065bc", "a\\.b", ("a" * 62 + ".") * 4,
]  # fmt: skip


def _lines(rng: random.Random, count: int, origin: str) -> bytes:
    ends = [b"\n", b"\r\n", b"\r"]
    out = []
    for _ in range(count):
        name = rng.choice(NAMES)
        if rng.random() < 0.7:
            name = f"{name}.{origin}" if origin else name
        if rng.random() < 0.3:
            name += "."
        out.append(name.encode("utf-8") + rng.choice(ends))
    return b"".join(out)


@pytest.mark.parametrize("sources", SOURCES, ids=lambda s: "+".join(x.kind for x in s) or "none")
@pytest.mark.parametrize("origin", [b"ee.", b".", b"com.ee."])
def test_names_lists_agree(tmp_path: Path, sources: tuple[object, ...], origin: bytes) -> None:
    rng = random.Random(len(sources) * 7 + len(origin))
    config = Config(origin, sources, (), False, True, None)  # type: ignore[arg-type]
    data = _lines(rng, 3000, origin.decode().rstrip("."))
    native = _assert_same(data, tmp_path, config)
    assert native.names > 2000 and native.valid > 500 and native.invalid > 100


@pytest.mark.parametrize("block", [1, 7, 64, 4096])  # 1: a line never fits
def test_names_lists_in_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    """A list read in blocks (memory flat in its length) counts, finds and keys what one read does."""
    _require_native()
    config = Config(b"ee.", (SkeletonKeys(), FoldKeys()), (), False, True, None)
    data = _lines(random.Random(block), 2000, "ee") + b"last.ee\r"
    whole, reference = _partials(data, tmp_path, config)
    monkeypatch.setattr(auditor, "LIST_BLOCK", block)
    native, _ = _partials(data, tmp_path, config)
    assert _fields(native) == _fields(reference) == _fields(whole)


@pytest.mark.parametrize("block", [4096, 1 << 20])
@pytest.mark.parametrize("at", [0, 500, 1999])
def test_names_list_with_an_overlong_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, at: int) -> None:
    """A line over MAX_LINE is the Python path's zone.line_too_long, where the C path meets it."""
    from idnkit.zone._lines import MAX_LINE

    monkeypatch.setattr(auditor, "LIST_BLOCK", block)
    config = Config(b"ee.", (SkeletonKeys(),), (), False, True, None)
    lines = _lines(random.Random(at), 2000, "ee").split(b"\n")
    lines[at : at + 1] = [b"a" * MAX_LINE, b"b" * (MAX_LINE + 1) + b".ee", b"\r" + b"c" * (MAX_LINE + 5)]
    native = _assert_same(b"\n".join(lines), tmp_path, config)
    assert native.rules["zone.line_too_long"] == 2


def test_names_list_edges(tmp_path: Path) -> None:
    config = Config(b"ee.", (SkeletonKeys(),), (), False, True, None)
    for data in (b"", b"\n", b"a.ee", b"a.ee\r", b"\r\n\r\n", b"a.ee\n\n# x\n b.ee. \n", b"A.EE\rB.EE\r\nc.ee"):
        _assert_same(data, tmp_path, config)


@given(st.lists(st.sampled_from(NAMES) | st.text(max_size=12), max_size=40), st.sampled_from([b"ee.", b"."]))
def test_names_lists_agree_property(tmp_path_factory: pytest.TempPathFactory, names: list[str], origin: bytes) -> None:
    tmp = tmp_path_factory.mktemp("names")
    config = Config(origin, (SkeletonKeys(), FoldKeys()), (), False, True, None)
    suffix = "." + origin.decode() if origin != b"." else ""
    data = "\n".join(n + suffix if i % 2 else n for i, n in enumerate(names)).encode("utf-8", "surrogatepass")
    _assert_same(data, tmp, config)


@pytest.mark.parametrize("sources", SOURCES, ids=lambda s: "+".join(x.kind for x in s) or "none")
def test_zones_agree(tmp_path: Path, sources: tuple[object, ...]) -> None:
    zone = tmp_path / "gen.zone"
    _generated_zone(zone)
    config = Config(b"test.", sources, (), False, False, None)  # type: ignore[arg-type]
    native = _assert_same(zone.read_bytes(), tmp_path, config)
    assert native.names > 3000 and native.invalid > 0


def test_whole_audits_agree(tmp_path: Path) -> None:
    _require_native()
    zone = tmp_path / "gen.zone"
    _generated_zone(zone)
    names = tmp_path / "names.txt"
    names.write_bytes(_lines(random.Random(3), 4000, "test"))
    for path, names_list in ((zone, False), (names, True)):
        sources = [SkeletonKeys(), FoldKeys()]
        native = audit_zone(path, "test", names_list=names_list, partition_bytes=5000, key_sources=sources)
        with python_only():
            reference = audit_zone(path, "test", names_list=names_list, partition_bytes=5000, key_sources=sources)
        _same(native, reference)
        assert native.collisions


def test_name_hash_is_zlibs() -> None:
    _require_native()
    from idnkit.audit import _fast

    rng = random.Random(1)
    for size in (0, 1, 5, 254, 255, 5552, 5553, 100_000):
        data = bytes(rng.randrange(256) for _ in range(size))
        assert _fast.name_hash(data) == zlib.crc32(data) << 32 | zlib.adler32(data) == auditor.name_hash(data)
