"""BIND's ``$GENERATE`` (issue 20 point 2): syntax, bounds, streaming, and dnspython's expansion as the oracle."""

from __future__ import annotations

import io
import random
from pathlib import Path

import dns.name
import dns.rdatatype
import dns.zone
import pytest

from idnkit.audit import audit_zone
from idnkit.zone import ZoneProblem, ZoneRecord, _generate, _lexer, read_zone

ORIGIN = "0.0.192.in-addr.arpa."
HEAD = b"$TTL 300\n@ IN SOA ns hostmaster 1 2 3 4 5\n"


def ours(text: bytes, origin: str = ORIGIN) -> tuple[set[tuple[dns.name.Name, str]], list[ZoneProblem]]:
    problems: list[ZoneProblem] = []
    got = {(dns.name.from_text(r.owner), r.rtype) for r in read_zone(io.BytesIO(text), origin, problems=problems)}
    return got, problems


def theirs(text: bytes, origin: str = ORIGIN) -> set[tuple[dns.name.Name, str]]:
    zone = dns.zone.from_text(text.decode("utf-8"), origin=origin, relativize=False, check_origin=False)
    return {(name, dns.rdatatype.to_text(rds.rdtype)) for name, node in zone.nodes.items() for rds in node}


# The BIND 9 ARM's own examples ("The $GENERATE Directive"), and the other documented forms.
DOCUMENTED = {
    "arm delegation": b"$GENERATE 1-2 @ NS SERVER$.EXAMPLE.\n$GENERATE 1-127 $ CNAME $.0\n",
    "arm modifiers": b"$GENERATE 1-127 ${-1,3,d}.0 CNAME $.0\n",
    "step": b"$GENERATE 0-255/4 host-$ A 192.0.2.$\n",
    "zero padding": b"$GENERATE 1-254 foo${0,3} A 192.168.1.$\n",
    "octal and hex": b"$GENERATE 8-20 o${0,4,o}-x${0,2,x}-X${0,2,X} PTR h$.example.\n",
    "nibbles": b"$GENERATE 0-300/13 ${0,5,n}.v6 PTR h$.example.\n$GENERATE 250-260 ${0,1,N}.up PTR h$.example.\n",
    "literal dollar": b"$GENERATE 1-3 a$$b-$ TXT x\n$GENERATE 1-3 c\\$d-$ TXT y\n",
    "ttl and class": b"$GENERATE 1-4 t$ 3600 IN A 192.0.2.$\n$GENERATE 1-4 u$ IN A 192.0.2.$\n",
    "absolute lhs": b"$GENERATE 5-9 $.0.0.192.in-addr.arpa. PTR h$.example.\n",
    "comment": b"$GENERATE 1-3 k$ A 192.0.2.$ ; three hosts\n",
    "lower-case keyword": b"$generate 1-3 l$ A 192.0.2.$\n",
    "after origin": b"$ORIGIN sub.0.0.192.in-addr.arpa.\n$GENERATE 1-3 s$ A 192.0.2.$\n",
    "single value": b"$GENERATE 7-7 only$ A 192.0.2.7\n",
}


@pytest.mark.parametrize("case", list(DOCUMENTED))
def test_documented_forms_match_dnspython(case: str) -> None:
    text = HEAD + DOCUMENTED[case]
    got, problems = ours(text)
    assert problems == []
    assert got == theirs(text)


def _template(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.3:
            parts.append("$")
        elif kind < 0.7:
            base = rng.choice("doxX")
            offset = rng.randint(0, 40)  # never below zero: see test_negative_value_in_an_unsigned_base
            parts.append(f"${{{offset},{rng.randint(0, 6)},{base}}}" if rng.random() < 0.8 else f"${{{offset}}}")
        elif kind < 0.8:
            parts.append(f"${{0,{rng.choice([1, 3, 5, 7])},{rng.choice('nN')}}}")
        else:
            parts.append(rng.choice(["h", "x-", "$$", "\\$", "a"]))
        if rng.random() < 0.3:
            parts.append(".")
    text = "".join(parts).strip(".").replace("..", ".")
    return text or "$"


def test_generated_directives_match_dnspython() -> None:
    """Random ranges, steps, modifiers and escapes: the same owners and types as dnspython's expansion."""
    rng = random.Random(20)
    cases = names = refused = 0
    for _ in range(400):
        start = rng.randint(0, 300)
        stop = start + rng.randint(0, 80)
        step = f"/{rng.randint(1, 9)}" if rng.random() < 0.4 else ""
        fields = rng.choice(["", "300 ", "IN ", "300 IN "])
        rtype, rhs = rng.choice([("PTR", "h$.example."), ("A", "192.0.2.1"), ("CNAME", "${1}.t"), ("TXT", "v$")])
        line = f"$GENERATE {start}-{stop}{step} {_template(rng)} {fields}{rtype} {rhs}\n".encode()
        text = HEAD + line
        got, problems = ours(text)
        try:
            want = theirs(text)
        except dns.exception.SyntaxError:  # a name too long or with an empty label: both refuse it
            assert [p.rule for p in problems] == ["zone.bad_name"], line
            refused += 1
            continue
        assert problems == [], line
        assert got == want, line
        cases += 1
        names += len(got)
    print(f"{cases} directives, {names} (owner, type) pairs, {refused} refused by both")
    assert cases > 300 and names > 5_000  # measured: 400 directives, 9,613 pairs, all equal


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (b"$GENERATE 3-1 h$ A 192.0.2.1", "ends before it starts"),
        (b"$GENERATE 1-3/0 h$ A 192.0.2.1", "step 0"),
        (b"$GENERATE 1-4294967296 h$ A 192.0.2.1", "unsigned 32-bit"),
        (b"$GENERATE x-3 h$ A 192.0.2.1", "bad range"),
        (b"$GENERATE 1-3 hh${1,2,q}x A 192.0.2.1", "lhs: bad modifier ${1,2,q} ("),  # "}" at an odd index
        (b"$GENERATE 1-3 h${1,2 A 192.0.2.1", "lhs: bad modifier ${1,2 ("),
        (b"$GENERATE 1-3 h${0,128} A 192.0.2.1", "width 128 over 127"),
        (b"$GENERATE 1-3 h$ A 192.0.2.${x}", "rhs: bad modifier"),
        (b"$GENERATE 1-3 h$ A", "expected $GENERATE range"),
        (b"$GENERATE 1-3 h$ 300 IN", "expected a record type, found '300'"),
        (b"$GENERATE 1-3 h$ A 192.0.2.1 extra", "1 field(s) after the rhs"),
        (b"$GENERATE 1-3 h$ 300 IN 300 A 192.0.2.1", "expected a record type"),
        (b"$GENERATE 0-3 h${-1,0,x} A 192.0.2.1", "negative value -1"),
        (b"$GENERATE 0-3 h${-1,3,n} A 192.0.2.1", "negative value -1"),
    ],
)
def test_bad_directive_is_one_problem_and_no_name(line: bytes, why: str) -> None:
    got, problems = ours(HEAD + line + b"\nafter A 192.0.2.9\n")
    assert {n.to_text() for n, _ in got} == {ORIGIN, "after." + ORIGIN}
    assert [(p.line, p.rule) for p in problems] == [(3, "zone.syntax")]
    assert why in problems[0].message and problems[0].message.startswith("$GENERATE: ")


def test_negative_decimal_value_is_written_with_its_sign() -> None:
    text = HEAD + b"$GENERATE 0-3 h${-2} A 192.0.2.1\n"
    got, problems = ours(text)
    assert problems == [] and got == theirs(text)
    assert dns.name.from_text("h-2." + ORIGIN) in {n for n, _ in got}


def test_a_quoted_rhs_is_one_field() -> None:
    """dnspython refuses a quoted rhs ("unknown rdatatype"); as every other field, it is one field here."""
    got, problems = ours(HEAD + b'$GENERATE 1-2 q$ TXT "text $ here"\n')
    assert problems == []
    assert {n.to_text() for n, _ in got} == {ORIGIN, "q1." + ORIGIN, "q2." + ORIGIN}


def test_class_before_ttl_as_bind_accepts() -> None:
    """BIND reads [class] [ttl] in either order; dnspython only ttl-then-class."""
    got, problems = ours(HEAD + b"$GENERATE 1-2 c$ IN 300 A 192.0.2.$\n")
    assert problems == []
    assert {n.to_text() for n, _ in got} == {ORIGIN, "c1." + ORIGIN, "c2." + ORIGIN}


def test_the_bound_is_exact() -> None:
    limit = _generate.MAX_GENERATE
    assert limit == 65_536
    at = read_zone(io.BytesIO(b"$GENERATE 0-%d h$ A 192.0.2.1\n" % (limit - 1)), "example.")
    assert sum(1 for _ in at) == limit  # a /16 of names: allowed
    problems: list[ZoneProblem] = []
    over = list(read_zone(io.BytesIO(b"$GENERATE 0-%d h$ A 192.0.2.1\n" % limit), "example.", problems=problems))
    assert over == []
    assert [(p.line, p.rule) for p in problems] == [(1, "zone.generate_too_large")]
    assert "65,537 names" in problems[0].message and "none were made" in problems[0].message
    stepped = list(read_zone(io.BytesIO(b"$GENERATE 0-%d/2 h$ A 192.0.2.1\n" % (2 * limit - 1)), "example."))
    assert len(stepped) == limit  # the bound counts values of the range, not its span


def test_a_huge_range_is_refused_without_expanding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: object) -> object:
        raise AssertionError("a refused directive must not be expanded")

    monkeypatch.setattr(_generate.Generation, "owners", refuse)
    problems: list[ZoneProblem] = []
    text = b"$GENERATE 0-4294967295 h$ A 192.0.2.1\nb A 192.0.2.2\n"
    assert [r.owner for r in read_zone(io.BytesIO(text), "example.", problems=problems)] == ["b.example."]
    assert [p.rule for p in problems] == ["zone.generate_too_large"]
    assert "4,294,967,296 names" in problems[0].message


@pytest.mark.parametrize("records", [True, False])
def test_expansion_streams_in_bounded_batches(records: bool) -> None:
    """65,536 names from one line arrive in batches of at most GENERATED_BATCH items, in order."""
    text = b"a A 192.0.2.1\n$GENERATE 0-65535 h$ A 192.0.2.1\nz A 192.0.2.2\n"
    scanner = _lexer.Scanner("t", b"example.", records=records)
    sizes, owners = [], []
    for batch in scanner.scan(io.BytesIO(text)):
        sizes.append(len(batch))
        owners.extend(
            item.owner.encode() if isinstance(item, ZoneRecord) else item[0]
            for item in batch
            if not isinstance(item, _lexer.Problem)
        )
    assert max(sizes) <= _lexer.GENERATED_BATCH and len(sizes) > 65_536 // _lexer.GENERATED_BATCH
    assert owners[0] == b"a.example." and owners[-1] == b"z.example." and len(owners) == 65_538
    assert owners[1:4] == [b"h0.example.", b"h1.example.", b"h2.example."]


def test_a_bad_generated_name_stops_the_directive() -> None:
    # a 62-octet prefix fits one digit, not two: 10 makes a 64-octet label (RFC 1035 §2.3.4)
    text = HEAD + b"$GENERATE 8-12 " + b"p" * 62 + b"$ A 192.0.2.1\nafter A 192.0.2.9\n"
    got, problems = ours(text)
    names = sorted(n.to_text() for n, _ in got)
    assert names == sorted([ORIGIN, "after." + ORIGIN, "p" * 62 + "8." + ORIGIN, "p" * 62 + "9." + ORIGIN])
    assert [(p.line, p.rule) for p in problems] == [(3, "zone.bad_name")]
    assert "(at 10)" in problems[0].message and "the directive stops here" in problems[0].message


def test_owner_context_is_not_changed() -> None:
    """A blank owner field after $GENERATE continues the owner before it (BIND's loader; dnspython
    would continue the last generated name)."""
    text = b"www A 192.0.2.1\n$GENERATE 1-3 h$ A 192.0.2.$\n  AAAA 2001:db8::1\n"
    got = [(r.owner, r.line, r.rtype) for r in read_zone(io.BytesIO(text), "example.")]
    assert got[-1] == ("www.example.", 3, "AAAA")
    assert [o for o, line, _ in got if line == 2] == ["h1.example.", "h2.example.", "h3.example."]


@pytest.mark.parametrize("chunk", [5, 64, 1 << 20])
def test_across_chunk_seams(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_lexer, "CHUNK", chunk)
    body = b"".join(b"n%d A 192.0.2.1\n" % i for i in range(30))
    text = HEAD + body + DOCUMENTED["nibbles"] + body.replace(b"n", b"m") + DOCUMENTED["arm delegation"] + body
    got, problems = ours(text)
    assert problems == [] and got == theirs(text)


def test_in_an_included_file(tmp_path: Path) -> None:
    (tmp_path / "gen.db").write_bytes(b"$GENERATE 1-3 g$ A 192.0.2.$\n")
    (tmp_path / "main.db").write_bytes(HEAD + b'$INCLUDE "gen.db" sub.0.0.192.in-addr.arpa.\nafter A 192.0.2.9\n')
    records = list(read_zone(tmp_path / "main.db", ORIGIN, allow_include=True))
    owners = [(r.owner, r.file.endswith("gen.db")) for r in records]
    assert owners[1:] == [(f"g{i}.sub.{ORIGIN}", True) for i in (1, 2, 3)] + [(f"after.{ORIGIN}", False)]


@pytest.mark.parametrize("partition_bytes", [1 << 20, 40])
def test_the_audit_checks_every_generated_owner(tmp_path: Path, partition_bytes: int) -> None:
    """The owners $GENERATE makes are audited like any other: counted, and a bad one reported, in one
    partition or cut into many (each $GENERATE line then lies in a partition of its own)."""
    zone = tmp_path / "gen.zone"
    zone.write_bytes(
        b"$ORIGIN example.\n@ IN SOA ns hm 1 2 3 4 5\n  IN NS ns\n"
        b"$GENERATE 1-200 host-$ A 192.0.2.1\n"
        b"$GENERATE 1-5 xn--$ AAAA ::1\n"  # xn--1 ... xn--5: not A-labels
    )
    result = audit_zone(zone, origin="example", jobs=1, partition_bytes=partition_bytes)
    assert result.names == 1 + 200 + 5
    assert result.invalid == 5
    assert {f.line for f in result.findings if f.name.startswith("xn--")} == {5}


def test_expansion_memory_is_one_batch_not_the_range(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading 16,384 generated records one by one peaks near one batch of 256 (measured 68 KB);
    the same records kept in a list take 3.2 MB: the range is never materialised."""
    import tracemalloc

    monkeypatch.setattr(_lexer, "GENERATED_BATCH", 256)
    text = b"$GENERATE 0-16383 host-$ A 192.0.2.1\n"
    tracemalloc.start()
    try:
        assert sum(1 for _ in read_zone(io.BytesIO(text), "example.")) == 16_384
        _, streamed = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        kept = list(read_zone(io.BytesIO(text), "example."))
        _, materialised = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(kept) == 16_384
    assert streamed < 512 << 10 and materialised > 8 * streamed
