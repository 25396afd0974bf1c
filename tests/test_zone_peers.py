"""Zone files BIND and dnspython load (issue 20 point 3): quoted $INCLUDE names and records up to the
largest legal RDATA, with dnspython's loader as the oracle (tests/data/zones/peers/README.txt)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import dns.name
import dns.rdatatype
import dns.zone
import pytest

from idnkit.audit import audit_zone
from idnkit.zone import ZoneProblem, _lexer, read_zone

from .conftest import ROOT

PEERS = ROOT / "tests" / "data" / "zones" / "peers"
REVERSE = "0.0.192.in-addr.arpa."


def ours(path: Path | io.BytesIO, origin: str) -> set[tuple[dns.name.Name, str]]:
    problems: list[ZoneProblem] = []
    got = {
        (dns.name.from_text(r.owner), r.rtype) for r in read_zone(path, origin, allow_include=True, problems=problems)
    }
    assert problems == []
    return got


def theirs(path: Path, origin: str, monkeypatch: pytest.MonkeyPatch) -> set[tuple[dns.name.Name, str]]:
    monkeypatch.chdir(path.parent)  # dnspython opens an $INCLUDE file relative to the working folder
    with path.open() as f:
        zone = dns.zone.from_file(f, origin=origin, relativize=False, check_origin=False, allow_include=True)
    return {(name, dns.rdatatype.to_text(rds.rdtype)) for name, node in zone.nodes.items() for rds in node}


@pytest.mark.parametrize(
    ("file", "origin", "count"),
    [
        ("bind-arm.db", "example.com.", 14),
        ("dnspython.db", "example.", 13),
        ("bind-reverse.db", "0.0.192.in-addr.arpa.", 136),
    ],
)
def test_peer_zone_matches_dnspython(file: str, origin: str, count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    got = ours(PEERS / file, origin)
    assert got == theirs(PEERS / file, origin, monkeypatch)
    assert len({name for name, _ in got}) == count


def test_quoted_include_resolves(tmp_path: Path) -> None:
    """``$INCLUDE "inc.db"`` names inc.db (the quotes are the field's, not the file's), and the
    names of the included file are read and audited."""
    records = list(read_zone(PEERS / "bind-arm.db", "example.com.", allow_include=True))
    by_file = {(r.owner, Path(r.file).name) for r in records}
    assert ("included1.example.com.", "inc.db") in by_file
    assert ("ns.sub.example.com.", "inc2.db") in by_file
    (tmp_path / "a b.db").write_bytes(b"x A 192.0.2.1\n")
    (tmp_path / "q.db").write_bytes(b'$INCLUDE "a\\032b.db"\n$INCLUDE "a b.db" y\n$INCLUDE "missing.db"\n')
    problems: list[ZoneProblem] = []
    got = [r.owner for r in read_zone(tmp_path / "q.db", "example.", allow_include=True, problems=problems)]
    assert got == ["x.example.", "x.y.example."]
    assert [(p.line, p.rule) for p in problems] == [(3, "zone.include_refused")]
    assert "missing.db" in problems[0].message or "No such file" in problems[0].message


def test_quoted_include_is_audited(tmp_path: Path) -> None:
    (tmp_path / "inc.db").write_bytes(b"xn--bad A 192.0.2.1\nok A 192.0.2.2\n")
    (tmp_path / "z.db").write_bytes(b'@ IN SOA ns hm 1 2 3 4 5\n$INCLUDE "inc.db"\n')
    result = audit_zone(tmp_path / "z.db", origin="example", jobs=1, allow_include=True)
    assert (result.names, result.invalid) == (3, 1)


def _escaped_txt(octets: int, rng: random.Random) -> bytes:
    """A TXT RDATA of exactly ``octets`` octets (length bytes included), every text byte as \\DDD:
    the longest presentation a record can have (RFC 1035 §3.3.14, §5.1)."""
    strings, left = [], octets
    while left:
        size = min(255, left - 1)
        strings.append(b'"' + b"".join(b"\\%03d" % rng.randrange(256) for _ in range(size)) + b'"')
        left -= size + 1
    return b" ".join(strings)


def test_the_largest_legal_record_is_read() -> None:
    """A 65,535-octet RDATA (RFC 1035 §3.2.1's bound) as escaped TXT on one line: 261,895 bytes of
    text, over the old 64 KB bound, under the 288 KiB one; its owner is read as dnspython reads it."""
    rdata = _escaped_txt(65_535, random.Random(3))
    line = b"max IN TXT " + rdata + b"\n"
    assert len(line) == 261_895 and len(line) <= _lexer.MAX_LINE
    text = b"@ IN SOA ns hm 1 2 3 4 5\n" + line + b"after A 192.0.2.1\n"
    zone = dns.zone.from_text(text.decode(), origin="example.", relativize=False, check_origin=False)
    rds = zone.find_rdataset("max.example.", "TXT")
    assert len(rds[0].to_wire()) == 65_535  # dnspython agrees it is the largest legal RDATA
    got = ours(io.BytesIO(text), "example.")
    assert {n.to_text() for n, _ in got} == {"example.", "max.example.", "after.example."}


def test_a_48000_octet_record_over_many_lines() -> None:
    """A generic (RFC 3597) record of 48,000 octets in parentheses, 64 hex digits a line: 97,501 bytes."""
    rng = random.Random(48)
    hexes = [rng.randbytes(32).hex().encode() for _ in range(48_000 // 32)]
    record = b"big IN TYPE65280 \\# 48000 (\n" + b"\n".join(b"  " + h for h in hexes) + b" )\n"
    assert len(record) > 64 * 1024
    text = b"@ IN SOA ns hm 1 2 3 4 5\n" + record + b"after A 192.0.2.1\n"
    zone = dns.zone.from_text(text.decode(), origin="example.", relativize=False, check_origin=False)
    assert len(zone.find_rdataset("big.example.", "TYPE65280")[0].to_wire()) == 48_000
    records = list(read_zone(io.BytesIO(text), "example."))
    assert [(r.owner, r.line) for r in records] == [("example.", 1), ("big.example.", 2), ("after.example.", 1503)]


def test_past_the_bound_is_still_refused() -> None:
    problems: list[ZoneProblem] = []
    line = b'huge IN TXT "' + b"x" * (_lexer.MAX_LINE + 1) + b'"\n'
    got = [r.owner for r in read_zone(io.BytesIO(line + b"b A 192.0.2.1\n"), "example.", problems=problems)]
    assert got == ["b.example."]
    assert [(p.line, p.rule) for p in problems] == [(1, "zone.line_too_long")]
    record = b"r TXT (\n" + b"x" * 1000 + b"\n" + (b"y" * 1000 + b"\n") * (_lexer.MAX_LINE // 1000) + b")\n"
    problems.clear()
    got = [r.owner for r in read_zone(io.BytesIO(record + b"b A 192.0.2.1\n"), "example.", problems=problems)]
    assert got == ["b.example."]
    assert [(p.line, p.rule) for p in problems] == [(1, "zone.record_too_long")]


@pytest.mark.parametrize("before", [0, 1000, 400_000])
def test_a_plain_over_long_line_is_refused_wherever_the_chunk_seams_fall(before: int) -> None:
    """A line past the bound with no quote, escape or parenthesis (the bulk path's kind) is refused
    whether it lies inside one read chunk or across two."""
    filler = b"".join(b"h%d A 192.0.2.1\n" % i for i in range(before // 16))
    text = filler + b"long TXT " + b"x" * (_lexer.MAX_LINE + 10) + b"\nafter A 192.0.2.1\n"
    problems: list[ZoneProblem] = []
    owners = [r.owner for r in read_zone(io.BytesIO(text), "example.", problems=problems)]
    assert "long.example." not in owners and owners[-1] == "after.example."
    assert [p.rule for p in problems] == ["zone.line_too_long"]
    assert len(owners) == before // 16 + 1
