"""The hardened RFC 7940 reader: hostile XML refused, errors name file:line, every shipped table parses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from idnkit import lgr
from idnkit.lgr import LgrParseError, parse_bytes

ROOT = Path(__file__).resolve().parents[2]

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lgr [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><description>&lol3;</description></meta></lgr>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE lgr [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><description>&xxe;</description></meta></lgr>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE lgr SYSTEM "http://example.invalid/lgr.dtd">
<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><data><char cp="0061"/></data></lgr>
"""


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(LgrParseError, match="entity declaration 'lol' refused"):
        parse_bytes(BILLION_LAUGHS, "bomb.xml")


def test_external_entity_is_refused() -> None:
    with pytest.raises(LgrParseError, match="refused"):
        parse_bytes(XXE, "xxe.xml")


def test_external_dtd_is_not_fetched() -> None:
    # The external DTD is neither fetched nor needed; the document itself is read.
    doc = parse_bytes(EXTERNAL_DTD, "dtd.xml")
    assert doc.chars[0].cps == (0x61,)


def test_malformed_xml_names_file_and_line() -> None:
    with pytest.raises(LgrParseError, match=r"^bad\.xml:4: not well-formed"):
        parse_bytes(b'<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0">\n<data>\n<char cp="0061">\n</data></lgr>', "bad.xml")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<data><char cp="00G1"/></data>', r"x\.xml:1: bad code point '00G1'"),
        ('<data><char cp="61"/></data>', r"4 to 6 hex digits"),
        ('<data><char cp="0061" when="a" not-when="b"/></data>', "both when and not-when"),
        ('<data><range first-cp="0062" last-cp="0061"/></data>', "first-cp <= one last-cp"),
        ("<rules><action/></rules>", "without disp"),
        ('<rules><action disp="x" match="a" not-match="b"/></rules>', "both match and not-match"),
        ("<rules><rule><any/></rule></rules>", "top-level <rule> without a name"),
        ('<rules><difference name="d"><class>0061</class></difference></rules>', "exactly two"),
        ("<bogus/>", r"unexpected <bogus>"),
        ('<rules><class name="c"><class>0061</class></class></rules>', r"x\.xml:1: <class> holds a <class>"),
        ('<rules><rule name="r"><class>0061 <char cp="0062"/></class></rule></rules>', "holds a <char>"),
    ],
)
def test_structural_errors(body: str, message: str) -> None:
    with pytest.raises(LgrParseError, match=message):
        parse_bytes(f'<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0">{body}</lgr>'.encode(), "x.xml")


def test_parse_keeps_line_numbers() -> None:
    doc = parse_bytes(b'<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0">\n<data>\n\n<char cp="0061 0062"/></data></lgr>')
    assert doc.chars[0].line == 4
    assert doc.chars[0].cps == (0x61, 0x62)


@pytest.mark.parametrize("entry", lgr.catalogue(), ids=lambda e: e.name)
def test_every_shipped_table_loads(entry: lgr.CatalogueEntry) -> None:
    table = lgr.load(entry.name)
    assert table.chars
    assert table.name == entry.name
    # Smoke: labels made of the table's own single code points evaluate without error.
    singles = sorted(cps for cps in table.chars if len(cps) == 1)[:40]
    for i in range(0, len(singles) - 3, 4):
        label = "".join(chr(c[0]) for c in singles[i : i + 4])
        result = table.validate(label)
        assert result.disposition
        if result.eligible:
            assert table.variant_count(label) >= 0
            for v in table.variants(label, limit=5):
                assert v.disposition != "invalid"


def test_catalogue_names() -> None:
    names = {e.name for e in lgr.catalogue()}
    assert {
        "rz5/common",
        "rz5/latin",
        "rz5/arabic",
        "ref/de",
        "ref/und-Grek",
        "msr4",
        "se/latin",
        "se/yiddish",
        "nu/latin",
    } <= names
    assert sum(1 for n in names if n.startswith("rz5/")) == 26


@pytest.mark.slow
def test_catalogue_is_current() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_lgr_catalogue.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr


def test_unknown_table() -> None:
    with pytest.raises(lgr.LgrError, match="unknown LGR 'rz5/klingon'"):
        lgr.load("rz5/klingon")
