"""The zone reader, one master-file feature at a time, cross-checked with dnspython's zone parser."""

from __future__ import annotations

import gzip
import io
import random
from pathlib import Path

import dns.name
import dns.rdatatype
import dns.zone
import pytest

from idnkit.zone import ZoneError, ZoneProblem, ZoneRecord, read_names, read_zone
from idnkit.zone import _lexer as _zone_lexer

from .conftest import ROOT

ROOT_ZONE = ROOT / "tests" / "data" / "zones" / "root.zone"


def ours(text: bytes, origin: str = "example.") -> set[tuple[dns.name.Name, str]]:
    problems: list[ZoneProblem] = []
    got = {(dns.name.from_text(r.owner), r.rtype) for r in read_zone(io.BytesIO(text), origin, problems=problems)}
    assert problems == []
    return got


def theirs(text: bytes, origin: str = "example.") -> set[tuple[dns.name.Name, str]]:
    zone = dns.zone.from_text(text.decode("utf-8"), origin=origin, relativize=False, check_origin=False)
    return {(name, dns.rdatatype.to_text(rdataset.rdtype)) for name, node in zone.nodes.items() for rdataset in node}


SOA = b"@ 3600 IN SOA ns.example. hostmaster.example. 1 7200 900 1209600 86400\n"

FEATURES = {
    "absolute names": SOA + b"www.example. 300 IN A 192.0.2.1\nmail.example. IN MX 10 www.example.\n",
    "relative names": SOA + b"www 300 IN A 192.0.2.1\na.b.c IN TXT hello\n",
    "at sign": SOA + b"@ IN NS ns\n@ 60 IN A 192.0.2.9\n",
    "origin directive": SOA + b"$ORIGIN sub.example.\nwww A 192.0.2.1\n$ORIGIN deeper\nx A 192.0.2.2\n",
    "ttl directive": b"$TTL 1h30m\n" + SOA + b"www A 192.0.2.1\n",
    "class before ttl": SOA + b"www IN 300 A 192.0.2.1\nftp 300 in a 192.0.2.2\n",
    "no ttl no class": SOA + b"www A 192.0.2.1\n",
    "blank owner continuation": SOA + b"www A 192.0.2.1\n     AAAA 2001:db8::1\n\tTXT x\nftp A 192.0.2.3\n",
    "parentheses across lines": b"@ IN SOA ns hostmaster (\n  1 ; serial\n  7200\n  900 1209600\n  86400 )\n"
    b"www IN TXT ( one\n two )\n",
    "comments": SOA + b"; a comment line\nwww A 192.0.2.1 ; trailing comment\n   ; indented comment\n\n",
    "quoted strings": SOA + b'www TXT "a ; not a comment" "b ( c"\nx TXT "quote \\" inside"\n',
    "escapes": SOA + b'a\\.b TXT x\n\\065bc TXT x\nsp\\032ace TXT x\nq\\"uote TXT x\n\\(p\\) TXT x\n',
    "crlf line ends": SOA.replace(b"\n", b"\r\n") + b"www A 192.0.2.1\r\n  AAAA ::1\r\n",
    "wildcards and services": SOA + b"*.w A 192.0.2.1\n_sip._tcp SRV 0 0 5060 sip\n",
    "case": SOA + b"WWW A 192.0.2.1\nwww AAAA ::1\n",
    "type numbers": SOA + b"x TYPE65534 \\# 1 00\nx CLASS1 TXT y\n",
}


@pytest.mark.parametrize("feature", list(FEATURES))
def test_feature_matches_dnspython(feature: str) -> None:
    text = FEATURES[feature]
    assert ours(text) == theirs(text)


@pytest.mark.parametrize("chunk", [7, 64, 1000])
def test_all_features_across_chunk_seams(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small read chunks put chunk seams everywhere: the bulk path and the general path alternate."""
    monkeypatch.setattr(_zone_lexer, "CHUNK", chunk)
    filler = b"".join(b"h%d A 192.0.2.1\n  NS ns%d\n" % (i, i) for i in range(40))
    parts = [b"$ORIGIN example.\n" + FEATURES[f].replace(b" SOA ", b" TXT ") for f in FEATURES]
    text = SOA + filler.join(parts) + filler
    assert ours(text) == theirs(text)


def test_lines_and_files() -> None:
    text = b"$ORIGIN example.\n\n@ IN SOA ns hm 1 2 3 4 5\n  NS ns\n\nwww A 192.0.2.1\n"
    got = [(r.owner, r.line, r.rtype) for r in read_zone(io.BytesIO(text))]
    assert got == [("example.", 3, "SOA"), ("example.", 4, "NS"), ("www.example.", 6, "A")]
    rec = ZoneRecord("www.example.", 6, "<stream>", "A")
    assert rec.to_dict() == {"owner": "www.example.", "line": 6, "file": "<stream>", "rtype": "A"}


BAD_LINES = [
    (b"www\n", "zone.no_type"),
    (b"www IN 300 192.0.2.1\n", "zone.no_type"),
    (b"www IN\n", "zone.no_type"),  # the bulk pattern takes IN for the type: the loop must hand it on
    (b"www 300 in\n", "zone.no_type"),
    (b'www TXT "open\n', "zone.syntax"),
    (b"www TXT a )\n", "zone.syntax"),
    (b"a..b A 192.0.2.1\n", "zone.bad_name"),
    (b"x" * 64 + b" A 192.0.2.1\n", "zone.bad_name"),
    (b"\\300x A 192.0.2.1\n", "zone.bad_name"),
    (b"$UNKNOWN 1\n", "zone.unsupported_directive"),
    (b"$GENERATE 3-1 h$ A 192.0.2.$\n", "zone.syntax"),  # a bad $GENERATE is one problem, no name
    (b"$GENERATE 0-65536 h$ A 192.0.2.1\n", "zone.generate_too_large"),
    (b"$INCLUDE other.zone\n", "zone.include_refused"),
    (b"$ORIGIN\n", "zone.syntax"),
    (b"   A 192.0.2.1\n", "zone.no_owner"),
]


@pytest.mark.parametrize(("line", "rule"), BAD_LINES)
def test_bad_line_is_a_problem_and_reading_goes_on(line: bytes, rule: str) -> None:
    text = line + b"after A 192.0.2.1\n"
    problems: list[ZoneProblem] = []
    got = [(r.owner, r.line) for r in read_zone(io.BytesIO(text), "example.", problems=problems)]
    assert got[-1] == ("after.example.", 2)
    assert [(p.line, p.rule) for p in problems] == [(1, rule)]
    assert str(problems[0]).startswith("<stream>:1: ")


@pytest.mark.parametrize("records", [False, True])
def test_class_in_the_type_place_leaves_the_bulk_path(records: bool) -> None:
    """A chunk the bulk pattern matched whole is still handed to the general path for ``www IN``."""
    text = b"".join(b"h%d 300 IN NS ns\n" % i for i in range(50)) + b"www IN\nafter A 192.0.2.1\n"
    scanner = _zone_lexer.Scanner("t", b"example.", records=records)
    assert _zone_lexer._FAST_RUN.findall(text)[50] == (b"www", b"IN", b"", b"")
    items = [item for batch in scanner.scan(io.BytesIO(text)) for item in batch]
    problems = [(item.line, item.rule) for item in items if isinstance(item, _zone_lexer.Problem)]
    assert problems == [(51, "zone.no_type")]
    owners = [_owner(item) for item in items if not isinstance(item, _zone_lexer.Problem)]
    assert owners[-1] == b"after.example." and b"www.example." not in owners


def _owner(item: _zone_lexer.OwnerRun | ZoneRecord) -> bytes:
    """The owner of an owner run (``records=False``) or of a record (``records=True``), as bytes."""
    return item.owner.encode() if isinstance(item, ZoneRecord) else item[0]


def test_unclosed_parenthesis() -> None:
    problems: list[ZoneProblem] = []
    assert list(read_zone(io.BytesIO(b"a A 1.2.3.4\nb TXT ( x\n y\n"), "example.", problems=problems))
    assert [(p.line, p.rule) for p in problems] == [(2, "zone.syntax")]


def test_overlong_line_is_bounded() -> None:
    text = b"a A 192.0.2.1\nb TXT " + b"x" * (3 << 20) + b"\nc A 192.0.2.3\n"
    problems: list[ZoneProblem] = []
    got = [(r.owner, r.line) for r in read_zone(io.BytesIO(text), "example.", problems=problems)]
    assert got == [("a.example.", 1), ("c.example.", 3)]
    assert [(p.line, p.rule) for p in problems] == [(2, "zone.line_too_long")]


def test_overlong_parenthesised_record() -> None:
    text = b"a A 192.0.2.1\nb TXT (\n" + b" xxxxxxxxxxxxxxx\n" * 20_000 + b")\nc A 192.0.2.3\n"
    problems: list[ZoneProblem] = []
    got = [r.owner for r in read_zone(io.BytesIO(text), "example.", problems=problems)]
    assert got == ["a.example.", "c.example."]
    assert [(p.line, p.rule) for p in problems] == [(2, "zone.record_too_long")]


def test_include_confined_to_the_zone_folder(tmp_path: Path) -> None:
    (tmp_path / "inner.zone").write_bytes(b"host A 192.0.2.7\n")
    (tmp_path / "main.zone").write_bytes(
        b"$ORIGIN example.\n$INCLUDE inner.zone sub.example.\nafter A 192.0.2.8\n$INCLUDE ../escape.zone\n"
    )
    problems: list[ZoneProblem] = []
    got = [(r.owner, Path(r.file).name, r.line) for r in read_zone(tmp_path / "main.zone", problems=problems)]
    assert [(p.line, p.rule) for p in problems] == [(2, "zone.include_refused"), (4, "zone.include_refused")]
    assert got == [("after.example.", "main.zone", 3)]
    problems = []
    got = [
        (r.owner, Path(r.file).name, r.line)
        for r in read_zone(tmp_path / "main.zone", allow_include=True, problems=problems)
    ]
    assert got == [("host.sub.example.", "inner.zone", 1), ("after.example.", "main.zone", 3)]
    assert [(p.line, p.rule) for p in problems] == [(4, "zone.include_refused")]
    assert "outside the zone's folder" in problems[0].message


def test_include_off_by_default_is_reported(tmp_path: Path) -> None:
    (tmp_path / "main.zone").write_bytes(b"$INCLUDE inner.zone\n")
    problems: list[ZoneProblem] = []
    assert list(read_zone(tmp_path / "main.zone", "example.", problems=problems)) == []
    assert [(p.line, p.rule) for p in problems] == [(1, "zone.include_refused")]


def test_gzip_input(tmp_path: Path) -> None:
    text = FEATURES["blank owner continuation"]
    path = tmp_path / "z.gz"
    path.write_bytes(gzip.compress(text))
    assert {(dns.name.from_text(r.owner), r.rtype) for r in read_zone(path, "example.")} == theirs(text)


def test_missing_file() -> None:
    with pytest.raises(ZoneError, match=r"nope\.zone"):
        list(read_zone("nope.zone"))


def test_bad_origin() -> None:
    with pytest.raises(ZoneError, match="bad origin"):
        list(read_zone(io.BytesIO(b""), "a..b"))


def test_non_utf8_owner_is_escaped() -> None:
    (rec,) = read_zone(io.BytesIO(b"\xffx A 192.0.2.1\n"), "example.")
    assert rec.owner == "\\255x.example."  # RFC 1035 §5.1 \DDD: still the name in presentation format


def test_plain_name_list() -> None:
    problems: list[ZoneProblem] = []
    text = b"# comment\nexample.com\n\nb\xc3\xbccher.de.\n\xff\n"
    got = [(r.owner, r.line) for r in read_names(io.BytesIO(text), problems=problems)]
    assert got == [("example.com.", 2), ("bücher.de.", 4)]
    assert [(p.line, p.rule) for p in problems] == [(5, "zone.unreadable")]


@pytest.mark.slow
def test_root_zone_matches_dnspython() -> None:
    mine = {(dns.name.from_text(r.owner), r.rtype) for r in read_zone(ROOT_ZONE)}
    with ROOT_ZONE.open() as f:
        zone = dns.zone.from_file(f, origin=".", relativize=False, check_origin=False)
    assert mine == {(n, dns.rdatatype.to_text(rds.rdtype)) for n, node in zone.nodes.items() for rds in node}
    owners = {r.owner for r in read_zone(ROOT_ZONE)}
    assert len(owners) == 7366  # PROVENANCE.txt


def test_refused_record_is_skipped_to_its_true_end() -> None:
    # Inside the refused record: plain lines (parentheses counted), a quoted ")" and a commented ")"
    # (tokenized): the record still ends at its real closing parenthesis, and line numbers hold.
    body = "AwEAAb" * 12 + "\n"
    zone = (
        "a IN TXT ( 257\n"
        + body * 4200
        + '"quoted ) paren" ; comment )\n'
        + "( nested\n"
        + body * 10
        + ")\n"
        + ")\n"
        + "b IN A 192.0.2.1\n"
    )
    problems: list[ZoneProblem] = []
    records = list(read_zone(io.BytesIO(zone.encode()), origin="x.", problems=problems))
    assert [(r.owner, r.line) for r in records] == [("b.x.", 4216)]
    assert [(p.line, p.rule) for p in problems] == [(1, "zone.record_too_long")]


def _random_simple_zone(rng: random.Random, awkward: bool = False) -> bytes:
    """Lines the bulk path takes (and some it must hand on): owners repeated, blank, bad; runs of any length."""
    owners = [b"a", b"a", b"A", b"b", b"a.example.", b"@", b"", b"", b"a..b", b"x" * 64, b"c.d"]
    fields = [b" NS ns", b" 300 IN A 192.0.2.1", b"\tIN DS 1 8 2 AB", b" TXT x", b" 60 in aaaa ::1", b" TYPE9 x"]
    lines = []
    for _ in range(rng.randrange(1, 40)):
        kind = rng.random()
        if kind < 0.06:
            lines.append(rng.choice([b"", b"; comment", b"   "]))
        elif kind < 0.08:
            lines.append(rng.choice([b"www", b"www IN", b" 300 IN"]))  # no type: the general path's to report
        elif awkward and kind < 0.15:
            lines.append(rng.choice([b'q TXT "a ; b"', b"p TXT ( x\n y )", b"e\\.s A 192.0.2.1", b"  TXT ( z )"]))
        else:
            lines.append(rng.choice(owners) + rng.choice(fields) + rng.choice([b"", b" ; c", b"\r"]))
    return b"\n".join(lines) + b"\n"


@pytest.mark.parametrize("records", [False, True])
def test_bulk_path_equals_the_general_path(records: bool) -> None:
    """The bulk path (several lines of one owner per match) yields exactly what the line tokenizer does."""
    rng = random.Random(5)
    bulk_taken = 0
    for _ in range(1500):
        text = _random_simple_zone(rng)
        bulk, general = (_zone_lexer.Scanner("t", b"example.", records=records) for _ in range(2))
        bulk.state.last_owner = general.state.last_owner = rng.choice([None, b"prev.example."])
        fast = bulk._try_fast(text)
        bulk_taken += fast is not None
        got = (fast if fast is not None else bulk._general(text)) + bulk.finish()
        want = general._general(text) + general.finish()
        assert got == want, text
        assert (bulk.line, bulk.state.last_owner) == (general.line, general.state.last_owner), text
    assert bulk_taken > 300


@pytest.mark.parametrize("records", [False, True])
def test_chunk_cut_around_awkward_lines_equals_the_general_path(records: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines with parentheses, quotes or escapes are cut out; the rest of the chunk stays on the bulk path."""
    monkeypatch.setattr(_zone_lexer, "SMALL", 64)
    rng = random.Random(8)
    for _ in range(800):
        text = _random_simple_zone(rng, awkward=True)
        cut, general = (_zone_lexer.Scanner("t", b"example.", records=records) for _ in range(2))
        assert cut._chunk(text) + cut.finish() == general._general(text) + general.finish(), text
        assert (cut.line, cut.state.last_owner) == (general.line, general.state.last_owner), text


class _RandomReads(io.RawIOBase):
    """A stream whose reads return any number of bytes: chunk seams fall anywhere."""

    def __init__(self, data: bytes, rng: random.Random) -> None:
        self.data, self.pos, self.rng = data, 0, rng

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = len(self.data) if size < 0 else size
        take = min(size, self.rng.choice([1, 7, 50, 300, 5000, size]))
        piece = self.data[self.pos : self.pos + take]
        self.pos += len(piece)
        return piece


def _refused_records_zone(rng: random.Random, bound: int) -> bytes:
    """Records over ``bound`` bytes inside parentheses, with every line shape the skip must read right."""
    inside = [
        b"AwEAAb" * 8,
        b'"x" ;c',
        b'"a ) b" )',
        b"; ) (",
        b"; ((",
        b'"((" x',
        b"\\( y",
        b"\\) \\(",
        b"(",
        b")",
        b"( x ) (",
        b'"unbalanced (',
        b'"unbalanced',
        b'a \\" )',
        b'"esc \\" ) "',
        b"",
        b"x" * (bound + 5),
        b"))",
        b"$ORIGIN y.",
    ]
    lines = [b"$ORIGIN example.", b"s IN SOA a b ( 1 2 3 4 5 )"]
    for n in range(rng.randrange(1, 6)):
        lines.append(b"h%d A 192.0.2.1" % n)
        lines.append(b"r%d IN TXT " % n + b"(" * rng.randrange(1, 4) + b" start")
        lines += [b"AwEAAb" * 10] * (bound // 60 + 1)  # over the bound: refused
        lines += [rng.choice(inside) for _ in range(rng.randrange(0, 60))]
        lines += [b")"] * rng.randrange(0, 6)
        lines.append(rng.choice([b"  NS ns", b"t%d NS ns" % n, b'q TXT "a;b"']))
    return b"\n".join(lines) + rng.choice([b"\n", b""])


@pytest.mark.parametrize("records", [False, True])
def test_skip_of_a_refused_record_equals_line_by_line(records: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rest of a refused record skipped a block at a time: the same items, problems and line numbers
    as line by line (the reference: the skip patched to take one line per call), seams anywhere."""

    def one_line(self: _zone_lexer.Scanner, chunk: bytes, start: int, out: list[object]) -> int:
        end = chunk.find(b"\n", start) + 1 or len(chunk)
        out.extend(self._general(chunk[start:end]))
        return end

    bound = 300
    monkeypatch.setattr(_zone_lexer, "MAX_LINE", bound)
    rng = random.Random(11)
    refused = 0
    for _ in range(150):
        text = _refused_records_zone(rng, bound)
        monkeypatch.setattr(_zone_lexer, "CHUNK", rng.choice([64, 1000, 1 << 20]))
        monkeypatch.setattr(_zone_lexer, "SMALL", rng.choice([64, 4096]))
        got = _scan_all(_zone_lexer.Scanner("t", b"x.", records=records), _RandomReads(text, rng))
        with monkeypatch.context() as m:
            m.setattr(_zone_lexer.Scanner, "_skip_refused", one_line)
            want = _scan_all(_zone_lexer.Scanner("t", b"x.", records=records), io.BytesIO(text))
        assert got == want, text
        refused += sum(isinstance(i, _zone_lexer.Problem) and i.rule == "zone.record_too_long" for i in got)
    assert refused > 150


def _scan_all(scanner: _zone_lexer.Scanner, stream: io.RawIOBase | io.BytesIO) -> list[object]:
    return [item for batch in scanner.scan(stream) for item in batch] + [scanner.line, scanner.state.depth]


def test_record_size_counts_line_ends() -> None:
    """A record of many short lines is measured in file bytes: 160,000 lines of "x" are 320 KB, over the bound."""
    zone = b"a IN TXT (\n" + b"x\n" * 160_000 + b")\nb IN A 192.0.2.1\n"
    problems: list[ZoneProblem] = []
    records = list(read_zone(io.BytesIO(zone), origin="x.", problems=problems))
    assert [(r.owner, r.line) for r in records] == [("b.x.", 160_003)]
    assert [(p.line, p.rule) for p in problems] == [(1, "zone.record_too_long")]


@pytest.mark.parametrize(
    ("token", "octets"),
    [
        (b"a\\000b", b"a\x00b"),  # the smallest \DDD (RFC 1035 §5.1: "the octet corresponding to DDD")
        (b"a\\255b", b"a\xffb"),  # the largest: an octet's top value is accepted ...
        (b"\\255", b"\xff"),
        (b"a\\254\\255", b"a\xfe\xff"),
        (b"a\\0655", b"aA5"),  # three digits are the escape, the fourth a byte of its own
    ],
)
def test_ddd_escape_boundaries_are_accepted(token: bytes, octets: bytes) -> None:
    """``\\255`` is the largest octet; dnspython reads every one of these to the same label bytes."""
    name = _zone_lexer.parse_name(token, b"example.")
    assert _zone_lexer.split_labels(name)[0] == octets
    assert dns.name.from_text(token.decode("ascii"), dns.name.from_text("example.")).labels[0] == octets
    problems: list[ZoneProblem] = []
    (record,) = read_zone(io.BytesIO(token + b" A 192.0.2.1\n"), "example.", problems=problems)
    assert problems == [] and dns.name.from_text(record.owner).labels[0] == octets


@pytest.mark.parametrize("token", [b"a\\256b", b"\\999", b"a\\25", b"a\\2x5", b"a\\25.b"])
def test_ddd_escape_past_the_boundary_is_refused(token: bytes) -> None:
    """... and ``\\256`` is not an octet, nor is an escape of fewer than three digits."""
    with pytest.raises(_zone_lexer.NameSyntaxError, match="bad escape"):
        _zone_lexer.parse_name(token, b"example.")
    with pytest.raises(dns.exception.SyntaxError):
        dns.name.from_text(token.decode("ascii"))
    problems: list[ZoneProblem] = []
    assert list(read_zone(io.BytesIO(token + b" A 192.0.2.1\n"), "example.", problems=problems)) == []
    assert [(p.line, p.rule) for p in problems] == [(1, "zone.bad_name")]


@pytest.mark.parametrize(
    ("token", "path"),
    [
        (b'"inc.db"', b"inc.db"),  # BIND's quoted file name: the quotes are the field's
        (b"inc.db", b"inc.db"),
        (b'"sub dir/inc.db"', b"sub dir/inc.db"),
        (b'"a\\032b.db"', b"a b.db"),  # \DDD is the octet DDD (RFC 1035 §5.1)
        (b"a\\\\b", b"a\\b"),  # \X is X
        (b'"q\\"uote"', b'q"uote'),
        (b"x\\2555", b"x\xff5"),  # three digits at most: \255 then "5"
        (b"x\\256", b"x256"),  # not an octet: \2 is "2", as for any other \X
        (b"abc\\", b"abc\\"),  # a backslash that ends the field (odd position) is kept
        (b"ab\\", b"ab\\"),  # ... and at an even one
    ],
)
def test_include_file_name_unquoted(token: bytes, path: bytes) -> None:
    assert _zone_lexer._unquote(token) == path


def test_include_names_with_escapes_and_a_trailing_backslash(tmp_path: Path) -> None:
    (tmp_path / "a b.db").write_bytes(b"x A 192.0.2.1\n")
    (tmp_path / "z.db").write_bytes(b'$INCLUDE "a\\032b.db"\n$INCLUDE abc\\\nafter A 192.0.2.2\n')
    problems: list[ZoneProblem] = []
    got = [r.owner for r in read_zone(tmp_path / "z.db", "example.", allow_include=True, problems=problems)]
    assert got == ["x.example.", "after.example."]
    assert [(p.line, p.rule) for p in problems] == [(2, "zone.include_refused")]


@pytest.mark.parametrize(
    ("token", "owner"),
    [
        (b"a\\.b", "a\\.b.example."),  # a dot inside a label stays escaped
        (b"\\065bc", "Abc.example."),  # an escaped printable byte is written as itself
        (b"sp\\032ace", "sp\\032ace.example."),  # space and controls as \DDD (RFC 1035 §5.1)
        (b"t\\009b", "t\\009b.example."),
        (b"d\\127l", "d\\127l.example."),  # DEL too
        (b'q\\"u', 'q\\"u.example.'),
        (b"\\(p\\)", "\\(p\\).example."),
        (b"\\@\\$\\;", "\\@\\$\\;.example."),
        (b"\\a\\b", "ab.example."),  # an escape that needs none is dropped
        (b"b\\195\\188cher", "bücher.example."),  # UTF-8 bytes come back as the text they spell
    ],
)
def test_escaped_owners_are_written_canonically(token: bytes, owner: str) -> None:
    """Equal names compare equal as text: each escape resolved, then written back only where the byte
    would otherwise be read differently (dnspython's Name.to_text writes the ASCII ones the same)."""
    (record,) = read_zone(io.BytesIO(token + b" TXT x\n"), "example.")
    assert record.owner == owner
