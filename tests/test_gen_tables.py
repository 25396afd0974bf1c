"""The table generator: current tables, a run on the next Unicode version, its own normalizer."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import unicodedata2

from .conftest import ROOT, UNICODE_DATA, data_file


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_tables", ROOT / "tools" / "gen_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_tables"] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.mark.slow
def test_checked_in_tables_are_current() -> None:
    lines: list[str] = []
    assert gen.main(["--check"], write=lines.append) == 0, "".join(lines)


@pytest.mark.slow
def test_check_detects_a_stale_table(tmp_path: Path) -> None:
    assert gen.main(["--out", str(tmp_path)], write=lambda _: None) == 0
    target = tmp_path / "joining_type.py"
    target.write_text(target.read_text(encoding="utf-8").replace("'D'", "'R'", 1), encoding="utf-8")
    lines: list[str] = []
    assert gen.main(["--check", "--out", str(tmp_path)], write=lines.append) == 1
    assert "stale" in "".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("name", [gen.C_HEADER, gen.C_SKELETON_HEADER])
def test_check_covers_the_c_tables(tmp_path: Path, name: str) -> None:
    assert gen.main(["--out", str(tmp_path)], write=lambda _: None) == 0
    header = tmp_path / name
    assert header.read_text(encoding="utf-8") == (ROOT / "src" / "idnkit" / "idna" / name).read_text(encoding="utf-8")
    header.write_text(header.read_text(encoding="utf-8").replace("0x", "0X", 1), encoding="utf-8")
    lines: list[str] = []
    assert gen.main(["--check", "--out", str(tmp_path)], write=lines.append) == 1
    assert name in "".join(lines) and "stale" in "".join(lines)


@pytest.mark.slow
def test_generator_runs_on_unicode_18(tmp_path: Path) -> None:
    data_file("18.0.0", "ucd", "UnicodeData.txt")
    assert gen.main(["--ucd", str(UNICODE_DATA / "18.0.0"), "--out", str(tmp_path)], write=lambda _: None) == 0
    text = (tmp_path / "idna2008.py").read_text(encoding="utf-8")
    assert 'UNICODE_VERSION = "18.0.0"' in text
    spec = importlib.util.spec_from_file_location("idna2008_18", tmp_path / "idna2008.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from idnkit.unicode._ranges import RangeMap

    derived18 = RangeMap(module.DERIVED_STARTS, module.DERIVED_VALUES)
    from idnkit.unicode import DERIVED_PROPERTY

    derived17 = DERIVED_PROPERTY

    # Stability (RFC 5892 §5.1): nothing PVALID in 17.0.0 stops being PVALID in 18.0.0, and
    # 18.0.0 assigns characters that 17.0.0 left UNASSIGNED.
    pvalid17 = derived17.ranges(lambda v: v == "PVALID")
    assert all(derived18[cp] == "PVALID" for first, last in pvalid17 for cp in (first, last))
    newly = [
        cp
        for first, last in derived17.ranges(lambda v: v == "UNASSIGNED")
        for cp in range(first, last + 1)
        if derived18[cp] == "PVALID"
    ]
    assert len(newly) > 1000


@pytest.fixture(scope="module")
def normalizer() -> object:
    ucd = UNICODE_DATA / "17.0.0" / "ucd"
    data = gen.UnicodeDataFile(ucd / "UnicodeData.txt")
    exclusions = gen.read_binary(ucd / "DerivedNormalizationProps.txt", "Full_Composition_Exclusion")
    return gen.Normalizer(data, exclusions)


@pytest.mark.slow
def test_generator_normalizer_matches_unicodedata2(normalizer: object) -> None:
    # The generator normalizes by itself (it must run on versions unicodedata2 does not know);
    # on 17.0.0 it must agree with unicodedata2 17.0 for every code point, NFKC and NFC.
    mismatches = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        expect = unicodedata2.normalize("NFKC", ch)
        got = "".join(map(chr, normalizer.nfkc([cp])))  # type: ignore[attr-defined]
        if got != expect:
            mismatches.append(f"U+{cp:04X}")
    assert mismatches == []


def test_generator_composition_of_sequences(normalizer: object) -> None:
    for text in ["e\u0301", "\u1100\u1161\u11a8", "a\u0328\u0301", "\u0041\u030a\u0301", "\u0fb3\u0f80\u0f71"]:
        expect = unicodedata2.normalize("NFC", text)
        assert "".join(map(chr, normalizer.nfc(map(ord, text)))) == expect  # type: ignore[attr-defined]
