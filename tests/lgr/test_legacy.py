"""Legacy table import (RFC 3743, RFC 4290, plain lists) into the RFC 7940 model."""

from __future__ import annotations

from pathlib import Path

import pytest

from idnkit import lgr
from idnkit.lgr import LegacyTableError, parse_legacy, parse_legacy_file
from idnkit.lgr._legacy import detect_format

DATA = Path(__file__).parent.parent / "data" / "lgr-legacy"
MATSDUF = sorted((DATA / "matsduf").glob("*-table.txt"))


@pytest.mark.parametrize("txt", MATSDUF, ids=lambda p: p.stem)
def test_matsduf_txt_has_the_repertoire_of_its_xml(txt: Path) -> None:
    doc = parse_legacy_file(txt)
    xml = lgr.parse_file(txt.with_suffix(".xml"))
    assert detect_format(txt.read_text(encoding="utf-8")) == "list"
    assert sorted(c.cps for c in doc.chars) == sorted(c.cps for c in xml.chars)
    assert not any(c.variants for c in xml.chars)  # neither form carries variants
    # the comment after "#" is kept on each element
    assert all(c.comment for c in doc.chars)


def test_rfc3743_preferred_variants_are_activated_others_blocked() -> None:
    doc = parse_legacy_file(DATA / "rfc3743-zh.txt")
    assert detect_format((DATA / "rfc3743-zh.txt").read_text(encoding="utf-8")) == "rfc3743"
    assert doc.meta.version == "1" and doc.meta.date == "2003-04-30" and doc.meta.version_comment == "demo table"
    assert [(r.id, r.text) for r in doc.meta.references] == [
        ("0", "Unicode 3.2"),
        ("1", "A Complete Set of Simplified Chinese Characters"),
        ("2", "BIG5"),
    ]
    chars = {c.cps: c for c in doc.chars}
    qian = chars[(0x4E7E,)]
    assert qian.refs == ("0",)
    assert [(v.cps, v.type, v.refs) for v in qian.variants] == [
        ((0x4E7E,), "activated", ("1",)),
        ((0x5E72,), "activated", ("1",)),  # preferred wins over the repeated character variant
        ((0x4E81,), "blocked", ("2",)),
    ]
    assert [(v.cps, v.type) for v in chars[(0x4E81,)].variants] == [((0x4E7E,), "activated"), ((0x5E72,), "blocked")]
    assert [(v.cps, v.type) for v in chars[(0x4E00,)].variants] == [((0x4E00,), "activated")]
    assert chars[(0x4E01,)].variants[0].type == "activated" and chars[(0x4E01,)].refs == ()


def test_rfc3743_table_evaluates() -> None:
    table = lgr.Lgr(parse_legacy_file(DATA / "rfc3743-zh.txt"), "jet")
    assert table.validate("\u4e7e").disposition == "activated"  # all reflexive variants activated (§7.6)
    variants = {v.label: v.disposition for v in table.variants("\u4e7e")}
    assert variants["\u5e72"] == "activated" and variants["\u4e81"] == "blocked"


def test_rfc3743_reports_every_bad_line() -> None:
    with pytest.raises(LegacyTableError) as info:
        parse_legacy_file(DATA / "rfc3743-bad.txt")
    lines = [line for line, _ in info.value.problems]
    assert lines == [2, 3, 4, 5, 7]
    text = str(info.value)
    assert text.startswith(f"{DATA / 'rfc3743-bad.txt'}:2: 4 fields")
    assert "rfc3743-bad.txt:7: U+4E00 already listed on line 6" in text
    assert "rfc3743-bad.txt:3: bad code point 'XYZW'" in text
    assert "rfc3743-bad.txt:4: empty code point set" in text
    assert "rfc3743-bad.txt:5: U+110000 is not a Unicode scalar value" in text


def test_rfc4290_sequences_and_variants() -> None:
    doc = parse_legacy_file(DATA / "rfc4290-de.txt")
    chars = {c.cps: c for c in doc.chars}
    assert [(v.cps, v.type) for v in chars[(0xDF,)].variants] == [((0x73, 0x73), "blocked")]
    assert [(v.cps, v.type) for v in chars[(0xE4,)].variants] == [((0xE4,), None), ((0x61, 0x65), "blocked")]
    assert chars[(0x65,)].variants == () and chars[(0x65,)].comment == "LATIN SMALL LETTER E"
    table = lgr.Lgr(doc, "de-4290")
    assert table.validate("stra\u00dfe").disposition == "invalid"  # t, r not in this tiny repertoire
    assert table.validate("\u00e4sse").disposition == "valid"
    assert {v.label: v.disposition for v in table.variants("\u00df")} == {"ss": "blocked"}


def test_list_reports_every_bad_line_with_file_and_line() -> None:
    with pytest.raises(LegacyTableError) as info:
        parse_legacy_file(DATA / "list-bad.txt")
    assert [line for line, _ in info.value.problems] == [3, 4, 6, 7]
    assert "list-bad.txt:3: bad code point 'U+00ZZ'" in str(info.value)
    assert "list-bad.txt:4: range '0063..0062' runs backwards" in str(info.value)
    assert "list-bad.txt:6: U+0061 already listed on line 2" in str(info.value)
    assert "list-bad.txt:7: U+D800 is not a Unicode scalar value" in str(info.value)


def test_list_ranges_sequences_and_bare_hex() -> None:
    doc = parse_legacy("0061..0063\nU+0064-U+0065\n0063 0301 # c + acute\n1F600\n", "x.txt", "list")
    assert [c.cps for c in doc.chars] == [(0x61,), (0x62,), (0x63,), (0x64,), (0x65,), (0x63, 0x301), (0x1F600,)]


def test_format_is_checked_and_detected() -> None:
    with pytest.raises(lgr.LgrParseError, match="unknown legacy format 'csv'"):
        parse_legacy("0061\n", "x", "csv")
    assert detect_format("# only comments\nU+0061|U+0061\n") == "rfc4290"
    assert detect_format("Version 1 20030101\n0061;0061\n") == "rfc3743"
    assert detect_format("") == "list"


def test_unreadable_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(lgr.LgrParseError, match="cannot read"):
        parse_legacy_file(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"0061\n00\xff62\n")
    with pytest.raises(lgr.LgrParseError, match=r"bad.txt:2: not UTF-8 \(byte 0xFF\)"):
        parse_legacy_file(bad)
