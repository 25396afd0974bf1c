"""The zone audit: IDNA2008 on every name, classes, accounting, collisions, partitions and jobs."""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import re
from array import array
from pathlib import Path

import pytest
from click.testing import CliRunner

import idnkit
from idnkit import audit
from idnkit.audit import AuditResult, FoldKeys, _partition, audit_zone, plan, report
from idnkit.audit._auditor import _Auditor
from idnkit.audit._model import Config
from idnkit.audit._partition import _directive_lines
from idnkit.audit.checks import LgrCheck, PolicyCheck
from idnkit.cli import cli
from idnkit.zone import read_zone

from .conftest import ROOT

ROOT_ZONE = ROOT / "tests" / "data" / "zones" / "root.zone"


def test_root_zone_end_to_end() -> None:
    result = audit_zone(ROOT_ZONE, key_sources=[FoldKeys()])
    owners = {r.owner for r in read_zone(ROOT_ZONE)}
    assert result.names == len(owners) == 7366  # the root zone keeps each owner's records together
    assert (result.valid, result.invalid, result.unreadable) == (7366, 0, 0)
    idn_tlds = {o for o in owners if o.count(".") == 1 and o.startswith("xn--")}
    assert len(idn_tlds) == 151
    assert result.idn_classes["delegation"] == 151  # every IDN TLD was decoded and checked
    assert result.idn == sum(1 for o in owners if "xn--" in o) == 368
    assert result.classes == {"apex": 1, "delegation": 1438, "host": 5927}
    assert result.scripts["Hani"] > 0 and result.scripts["Arab"] > 0


MIXED = (
    "$ORIGIN example.\n"
    "@ IN SOA ns hostmaster ( 1 2 3 4 5 )\n"
    "  NS ns\n"
    "ns A 192.0.2.1\n"
    "bücher NS ns.other.\n"
    "xn--bcher-kva NS ns.other.\n"  # the same name as the line before, in A-label form
    "xn--zz NS ns\n"  # bad Punycode
    "-bad NS ns\n"
    "a\u200cb NS ns\n"  # ZWNJ without context
    "_dmarc TXT v\n"
    "*.wild A 192.0.2.2\n"
    "deep.sub TXT x\n"
    "broken-line\n"
    "out.of.zone.org. A 192.0.2.3\n"
).encode() + b"\xff\xfe NS ns\n"


def test_mixed_zone_accounting_and_findings() -> None:
    result = audit_zone(io.BytesIO(MIXED), origin="example", key_sources=[FoldKeys()])
    assert result.names == result.valid + result.invalid + result.unreadable
    assert (result.names, result.valid, result.invalid, result.unreadable) == (13, 7, 4, 2)
    rules = {(f.line, f.rule) for f in result.findings}
    assert (7, "rfc3492.invalid") in rules
    assert (8, "rfc5891.hyphen_start") in rules
    assert (9, "rfc5892.contextj.zwnj") in rules
    assert (13, "zone.no_type") in rules
    assert (14, "audit.out_of_zone") in rules
    assert (15, "zone.unreadable") in rules
    assert result.classes["non-host"] == 2
    assert result.classes["apex"] == 1
    assert result.classes["deeper"] == 1
    assert result.exit_code == 2
    (group,) = result.collisions
    assert [m[0] for m in group.members] == ["bücher.example.", "xn--bcher-kva.example."]


def test_ascii_name_read_before_the_idn_is_found() -> None:
    zone = "strasse NS ns\n" + "".join(f"filler{i} NS ns\n" for i in range(50)) + "straße NS ns\n"
    result = audit_zone(io.BytesIO(zone.encode()), origin="de", key_sources=[FoldKeys()])
    assert [(g.key, [m[0] for m in g.members]) for g in result.collisions] == [
        ("strasse", ["strasse.de.", "straße.de."])
    ]


def test_ascii_pairs_are_not_reported() -> None:
    zone = b"abc NS ns\nABC.de. NS ns\n"
    assert audit_zone(io.BytesIO(zone), origin="de", key_sources=[FoldKeys()]).collisions == ()


def test_against_a_protected_list(tmp_path: Path) -> None:
    protected = tmp_path / "protected.txt"
    protected.write_text("# brands\nstrasse.de\n", encoding="utf-8")
    zone = b"stra\xc3\x9fe NS ns\nother NS ns\n"
    result = audit_zone(io.BytesIO(zone), origin="de", key_sources=[FoldKeys()], against=protected)
    (group,) = result.collisions
    assert [(m[0], m[3]) for m in group.members] == [("straße.de.", "zone"), ("strasse.de.", "against")]


def _generated_zone(path: Path, n: int = 3000) -> None:
    """A zone with the awkward bits near partition seams: $ORIGIN changes, parentheses, runs, IDNs,
    and names whose records are scattered over the whole file (in every partition)."""
    rng = random.Random(6)
    words = ["bank", "shop", "mail", "strasse", "straße", "bücher", "müller", "xn--mller-kva", "café", "a--b", "-x"]
    lines = ["$ORIGIN test.", "@ IN SOA ns hm ( 1 2", "   3 4 5 )", "  NS ns"]
    for i in range(n):
        word = rng.choice(words)
        if i % 997 == 0:
            lines.append(f"$ORIGIN sub{i}.test.")
        if i % 401 == 0:
            lines.append(f"txt{i} TXT ( one\n  two )")
        lines.append(f"{word}{i % 7 if rng.random() < 0.5 else ''}{i} NS ns{i}.other.")
        lines.append("  DS 1 8 2 ABCD")
        if i % 3 == 0:
            lines.append(f"ns{i}.{word}{i} A 192.0.2.1")
        if i % 97 == 0:
            lines.append(f"{['split', 'SPLIT', 'spliß', 'xn--zz'][i % 4]}.test. {['TXT x', 'A 192.0.2.9'][i % 2]}")
    lines.append("strasse3 NS ns")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _same(a: AuditResult, b: AuditResult) -> None:
    da, db = a.to_dict(), b.to_dict()
    da.pop("file"), db.pop("file")
    da["provenance"].pop("date"), db["provenance"].pop("date")  # the one field that says when, not what
    assert da == db


def test_partitions_give_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_partition, "PRESCAN_BLOCK", 777)  # the pre-scan's block seams, too
    zone = tmp_path / "gen.zone"
    _generated_zone(zone)
    one = audit_zone(zone, "test", key_sources=[FoldKeys()])
    assert len(plan(str(zone), "gen", b"test.", 40)) > 20
    many = audit_zone(zone, "test", key_sources=[FoldKeys()], partition_bytes=2000)
    _same(one, many)
    assert one.invalid > 0 and one.collisions and one.idn > 0
    assert one.names - one.unreadable == len({record.owner.lower() for record in read_zone(zone)})


def test_jobs_give_the_same_result(tmp_path: Path) -> None:
    zone = tmp_path / "gen.zone"
    _generated_zone(zone)
    one = audit_zone(zone, "test", key_sources=[FoldKeys()])
    two = audit_zone(zone, "test", key_sources=[FoldKeys()], jobs=2, partition_bytes=20_000)
    _same(one, two)


def test_jobs_give_the_same_result_on_a_list_with_pass_two_work(tmp_path: Path) -> None:
    """Two jobs, with pass 2 in the workers: ASCII names that collide with an IDN met before or after
    them, names listed more than once (each partition's hash files tell whether it holds one), and a
    protected list; a partition holding neither is skipped by its worker."""
    rng = random.Random(16)
    lines = []
    for i in range(4000):
        lines.append(f"plain{i}.de")
        if i % 500 == 7:
            lines.append(f"strasse{i}.de")  # an ASCII name before its IDN look-alike
        if i % 500 == 9:
            lines.append(f"straße{i - 2}.de")
        if i % 1300 == 3:
            lines.append(f"again{i // 1300 % 2}.de")  # the same name in partitions far apart
    lines.insert(rng.randrange(len(lines)), "bücher.de")
    lines.append("buecher-x.de")
    path = tmp_path / "names.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    protected = tmp_path / "protected.txt"
    protected.write_text("plain3999.de\nmüller.de\n", encoding="utf-8")
    kwargs = {"names_list": True, "key_sources": [FoldKeys()], "against": protected}
    one = audit_zone(path, "de", **kwargs)  # type: ignore[arg-type]
    assert one.collisions and one.names == len(lines) - 2  # again0 and again1: listed twice each
    for partition_bytes in (audit.PARTITION_BYTES, 3000):
        _same(one, audit_zone(path, "de", jobs=2, partition_bytes=partition_bytes, **kwargs))  # type: ignore[arg-type]


def test_repeated_hashes_and_the_files_holding_them(tmp_path: Path) -> None:
    """_repeated over any range of top bytes: the hashes met twice or more, and which files hold one."""
    from idnkit.audit._passes import _repeated, repeated_hashes

    rng = random.Random(18)
    shared = [rng.getrandbits(64) for _ in range(20)]
    files, contents = [], []
    for k in range(6):
        values = [rng.getrandbits(64) for _ in range(3000)]
        if k in (1, 4):
            values += shared[:10]
        if k in (2, 4):
            values += shared[10:]
        if k == 5:
            values += [values[0]]  # twice in one file
        values.sort()
        path = tmp_path / f"{k}.hashes"
        path.write_bytes(array("Q", values).tobytes())
        bounds = [next((i for i, v in enumerate(values) if v >> 56 >= top), len(values)) for top in range(257)]
        files.append((str(path), bounds))
        contents.append(values)
    counts: dict[int, int] = {}
    for values in contents:
        for v in values:
            counts[v] = counts.get(v, 0) + 1
    expected = {v for v, n in counts.items() if n > 1}
    holders = {k for k, values in enumerate(contents) if expected & set(values)}
    assert repeated_hashes(files) == expected
    assert _repeated(files, 0, 256) == (expected, holders)
    for cut in (1, 77, 128, 255):
        low, high = _repeated(files, 0, cut), _repeated(files, cut, 256)
        assert low[0] | high[0] == expected and low[1] | high[1] == holders


def test_a_pool_that_fails_to_start_raises_in_the_client() -> None:
    from idnkit.audit._passes import PoolStarter

    calls: list[int] = []

    def broken(jobs: int, tmpdir: str | None) -> None:
        calls.append(jobs)
        raise OSError("no processes")

    starter = PoolStarter(broken, 2, None)
    with pytest.raises(OSError, match="no processes"):
        starter.get()
    starter.abandon()  # nothing started, nothing to stop
    assert calls == [2] and starter.get() is None
    assert PoolStarter(lambda jobs, tmpdir: calls.append(jobs), 1, None).get() is None and calls[-1] == 1


def test_bad_seam_inside_parentheses_is_repaired(tmp_path: Path) -> None:
    zone = tmp_path / "paren.zone"
    body = "".join(f"n{i} NS ns\n" for i in range(200))
    zone.write_text(body + "rec TXT (\nx1 y\nx2 y\nx3 y )\n" + body.replace("n", "m"), encoding="utf-8")
    one = audit_zone(zone, "test", key_sources=[])
    for size in (700, 1500, 1900, 2000, 2100):
        _same(one, audit_zone(zone, "test", key_sources=[], partition_bytes=size))
    assert one.unreadable == 0


def test_gzip_and_stream_input(tmp_path: Path) -> None:
    path = tmp_path / "z.gz"
    path.write_bytes(gzip.compress(MIXED))
    a = audit_zone(path, "example", key_sources=[FoldKeys()])
    b = audit_zone(io.BytesIO(MIXED), "example", key_sources=[FoldKeys()])
    _same(a, b)


def test_names_list(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("# list\nbücher.de\nstrasse.de.\nstraße.de\nbad-.de\n", encoding="utf-8")
    result = audit_zone(path, "de", names_list=True, key_sources=[FoldKeys()])
    assert (result.names, result.valid, result.invalid) == (4, 3, 1)
    assert len(result.collisions) == 1
    many = audit_zone(path, "de", names_list=True, key_sources=[FoldKeys()], partition_bytes=10)
    _same(result, many)


# --- reports and the CLI -------------------------------------------------------------------------


def test_reports() -> None:
    result = audit_zone(io.BytesIO(MIXED), origin="example", key_sources=[FoldKeys()])
    lines = [json.loads(x) for x in report.jsonl(result)]
    assert [x["type"] for x in lines].count("finding") == len(result.findings)
    assert lines[-1]["type"] == "summary" and lines[-1]["names"] == 13
    assert {"name", "line", "rule", "severity", "detail"} <= set(lines[0])
    csv_rows = report.csv_text(result).splitlines()
    assert csv_rows[0] == ",".join(report.CSV_FIELDS)
    assert len(csv_rows) == 1 + len(result.findings) + sum(len(g.members) for g in result.collisions)
    page = report.html_report(result)
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "sortable" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page
    assert "src=" not in page and "<link" not in page
    assert "13 names read = 7 valid + 4 invalid + 2 unreadable" in report.summary(result)


def test_cli_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    zone = tmp_path / "mixed.zone"
    zone.write_bytes(MIXED)
    result = runner.invoke(cli, ["audit", str(zone), "--origin", "example", "-j", "1"])
    assert result.exit_code == 2, result.output
    assert "13 names read = 7 valid + 4 invalid + 2 unreadable" in result.output
    result = runner.invoke(cli, ["audit", "-", "--origin", "example", "--json", "-j", "1"], input=MIXED)
    assert result.exit_code == 2
    assert json.loads(result.output.splitlines()[-1])["unreadable"] == 2
    out = tmp_path / "report.html"
    result = runner.invoke(cli, ["audit", str(zone), "--origin", "example", "--format", "html", "-o", str(out)])
    assert result.exit_code == 2 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = runner.invoke(cli, ["audit", str(zone), "--origin", "example", "--format", "csv", "-j", "1"])
    assert result.output.startswith("type,name,")


def test_cli_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "good.zone"
    good.write_text("bücher NS ns\nwww A 192.0.2.1\n", encoding="utf-8")
    assert runner.invoke(cli, ["audit", str(good), "--origin", "de", "-j", "1"]).exit_code == 0
    bad = tmp_path / "bad.zone"
    bad.write_text("bad- NS ns\n", encoding="utf-8")
    assert runner.invoke(cli, ["audit", str(bad), "--origin", "de", "-j", "1"]).exit_code == 1
    assert runner.invoke(cli, ["audit", str(tmp_path / "missing.zone")]).exit_code == 2
    assert runner.invoke(cli, ["audit", str(good), "--scheduler", "tcp://x:1"]).exit_code == 2
    assert runner.invoke(cli, ["audit", str(good), "--origin", "a..b"]).exit_code == 2


@pytest.mark.parametrize("origin", [".", "test."])
def test_origin_forms(origin: str) -> None:
    zone = b"$ORIGIN test.\nxn--bcher-kva NS ns\n"
    result = audit_zone(io.BytesIO(zone), origin, key_sources=[])
    assert (result.names, result.valid, result.idn) == (1, 1, 1)


@pytest.mark.slow
def test_dask_engine_equals_local(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    zone = tmp_path / "gen.zone"
    _generated_zone(zone, 1500)
    protected = tmp_path / "protected.txt"
    protected.write_text("bank1.test\nmüller.test\n", encoding="utf-8")
    local = audit_zone(zone, "test", key_sources=[FoldKeys()], against=protected, partition_bytes=8000)
    dask = audit_zone(
        zone, "test", key_sources=[FoldKeys()], against=protected, partition_bytes=8000, engine="dask", jobs=2
    )
    _same(local, dask)
    assert local.collisions


def test_progress_bar_and_missing_lgr(tmp_path: Path) -> None:
    from idnkit.cli._audit import _progress

    with _progress(False) as silent:
        assert silent is None
    with _progress(True) as update:
        assert update is not None
        update(50, 100, 1000)
    good = tmp_path / "good.zone"
    good.write_text("bücher NS ns\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", str(good), "--origin", "de", "--lgr", "rz5/latin", "-j", "1"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["audit", str(good), "--origin", "de", "--lgr", "rz5/nonesuch", "-j", "1"])
    assert result.exit_code == 2 and "rz5/nonesuch" in result.output


def test_policy_of_the_origin_applies_by_default(tmp_path: Path) -> None:
    zone = tmp_path / "se.zone"
    zone.write_text("bücher NS ns\nпример NS ns\nplain NS ns\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", str(zone), "--origin", "se", "--json", "-j", "1"])
    assert result.exit_code == 1, result.output  # .se's official policy refuses the Cyrillic label
    findings = [json.loads(line) for line in result.output.splitlines()]
    refused = {f["name"] for f in findings if f.get("rule", "").startswith("policy.") and f.get("severity") == "error"}
    assert refused == {"пример.se."}  # and the Latin bücher passes (se/latin)
    assert runner.invoke(cli, ["audit", str(zone), "--origin", "se", "--policy", "none", "-j", "1"]).exit_code == 0
    named = runner.invoke(cli, ["audit", str(zone), "--origin", "se", "--policy", "xn--p1ai", "-j", "1"])
    assert named.exit_code == 1  # the .рф example policy refuses the Latin bücher
    assert runner.invoke(cli, ["audit", str(zone), "--origin", "se", "--policy", "nosuch", "-j", "1"]).exit_code == 2


def test_fold_keys_keep_their_ascii_promise() -> None:
    fold = FoldKeys()
    for name in ["Example", "a-b-c9", "STRASSE", "xn--bcher-kva"]:
        assert tuple(fold.keys(name)) == (name.lower(),)
        assert fold.ascii_key(name.encode()) == name.lower().encode()  # the audit's bytes path agrees
    assert fold.keys("Straße") == ("strasse",)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_lgr_variants_registered_separately_collide(tmp_path: Path, jobs: str) -> None:
    zone = tmp_path / "cn.zone"
    zone.write_text("中国 NS ns\nexample NS ns\n中國 NS ns\n", encoding="utf-8")  # simplified and traditional
    result = CliRunner().invoke(
        cli, ["audit", str(zone), "--origin", "cn", "--lgr", "ref/zh", "--policy", "none", "--json", "-j", jobs]
    )
    records = [json.loads(line) for line in result.output.splitlines()]
    groups = [r for r in records if r.get("type") == "collision"]
    assert [(g["kind"], g["key"]) for g in groups] == [("lgr-index:ref/zh", "中囯")], result.output
    assert sorted(m["name"] for m in groups[0]["members"]) == ["中国.cn.", "中國.cn."]


def _split_owner_zone() -> str:
    """Owners whose records are scattered over the file, spelled relative, absolute and in upper case."""
    rng = random.Random(3)
    names = [f"n{i}" for i in range(150)] + ["bücher", "xn--zz", "-bad", "müller", "ab--c"]
    lines = ["$ORIGIN example.", "@ SOA ns hm 1 2 3 4 5", "  NS ns"]
    for _ in range(900):
        name = rng.choice(names)
        spelled = rng.choice([name, name.upper() if name.isascii() else name, f"{name}.example."])
        lines.append(f"{spelled} {rng.choice(['TXT x', 'A 192.0.2.1', 'NS ns', 'AAAA ::1'])}")
    return "\n".join(lines) + "\n"


def _dnspython_classes(text: str) -> dict[str, int]:
    """The audit's classes of every distinct owner, from dnspython's view of the zone (the oracle)."""
    import dns.name
    import dns.rdatatype
    import dns.zone

    zone = dns.zone.from_text(text, origin="example.", relativize=False, check_origin=False)
    classes: dict[str, int] = {}
    for name, node in zone.nodes.items():
        types = {rdataset.rdtype for rdataset in node}
        if name == dns.name.from_text("example."):
            kind = "apex"
        elif dns.rdatatype.NS in types:
            kind = "delegation"
        elif types & {dns.rdatatype.A, dns.rdatatype.AAAA}:
            kind = "host"
        else:
            kind = "other"
        classes[kind] = classes.get(kind, 0) + 1
    return classes


@pytest.mark.parametrize(("partition_bytes", "jobs"), [(audit.PARTITION_BYTES, 1), (600, 1), (900, 2)])
def test_a_name_split_across_the_file_is_one_name(tmp_path: Path, partition_bytes: int, jobs: int) -> None:
    text = _split_owner_zone()
    zone = tmp_path / "split.zone"
    zone.write_text(text, encoding="utf-8")
    result = audit_zone(zone, "example", key_sources=[FoldKeys()], partition_bytes=partition_bytes, jobs=jobs)
    expected = _dnspython_classes(text)
    assert result.names == sum(expected.values()) == 156
    assert result.names == result.valid + result.invalid + result.unreadable
    assert result.classes == expected  # each name classed by the types of all its runs
    assert result.invalid == 3 and result.idn == 2
    first_line = {}
    for number, line in enumerate(text.splitlines(), 1):
        first_line.setdefault(line.split()[0].lower().removesuffix(".example.") + ".example.", number)
    assert result.findings and all(f.line == first_line[f.name] for f in result.findings)
    assert len({(f.name, f.rule) for f in result.findings}) == len(result.findings)  # once per name
    assert sum(result.rules.values()) == len(result.findings)


def test_include_of_gzip_input_resolves_in_the_zone_folder(tmp_path: Path) -> None:
    """gzip input is spooled to a temporary folder; $INCLUDE still means the zone file's own folder."""
    (tmp_path / "hosts.zone").write_text("bücher NS ns\n", encoding="utf-8")
    path = tmp_path / "main.zone.gz"
    path.write_bytes(gzip.compress(b"$ORIGIN example.\n@ SOA ns hm 1 2 3 4 5\n$INCLUDE hosts.zone\nafter NS ns\n"))
    result = audit_zone(path, "example", key_sources=[], allow_include=True)
    assert (result.names, result.unreadable, result.idn) == (3, 0, 1)
    streamed = audit_zone(io.BytesIO(gzip.decompress(path.read_bytes())), "example", allow_include=True)
    assert [(f.line, f.rule) for f in streamed.findings] == [(3, "zone.include_refused")]  # stdin: no folder
    assert streamed.names == 3 and streamed.unreadable == 1


_BATCH_LABELS = ["www", "Mail-1", "xn--bcher-kva", "bücher", "_dmarc", "*", "a--b", "ab--c", "-x", "x" * 63, "x" * 64]
_BATCH_LABELS += ["\\.", "1"]


@pytest.mark.parametrize("origin", [b"example.", b"."])
def test_batch_path_equals_name_by_name(origin: bytes) -> None:
    """The batch path (``map``, one findall per batch) counts, keys and reports what the per-name loop does."""
    rng = random.Random(7)
    for source in ((), (audit.default_key_sources()[0],), (FoldKeys(),)):
        config = Config(origin, source)
        for _ in range(40):
            items: list[object] = []
            for line in range(rng.randrange(1, 30)):
                labels = [rng.choice(_BATCH_LABELS) for _ in range(rng.randrange(1, 5))]
                tail = origin if origin != b"." else b""
                owner = ".".join(labels).encode() + b"." + (tail if rng.random() < 0.9 else b"other.")
                owner = origin if rng.random() < 0.05 else owner
                items.append((owner, line + 1, rng.choice([0, 1, 2, 3, 8, 10])))
            items.append(((b"x" * 61 + b".") * 4 + origin.lstrip(b"."), 99, 1))  # LDH labels, over 254 bytes
            batch, one_by_one = _Auditor(config, "f"), _Auditor(config, "f")
            batch._run_batch(items)  # type: ignore[arg-type]
            one_by_one._run_items(items)
            a, b = batch.partial, one_by_one.partial
            assert sorted(a.name_hashes) == sorted(b.name_hashes) and sorted(a.key_hashes) == sorted(b.key_hashes)
            a.name_hashes = b.name_hashes = a.key_hashes = b.key_hashes = array("Q")
            assert a == b


def test_directive_lines_are_the_lines_starting_with_a_dollar() -> None:
    rng = random.Random(1)
    shapes = [b"$ORIGIN x.\n", b"a $b\n", b"$TTL 1\n", b"x NS y\n", b"$\n", b"\n", b"$X", b'a TXT "$"\n']
    for _ in range(2000):
        body = b"".join(rng.choice(shapes) for _ in range(rng.randrange(0, 8)))
        expected = [(m.start() + 5, m.group()) for m in re.finditer(rb"^\$[^\n]*", body, re.M)]
        assert list(_directive_lines(body, 5)) == expected


@pytest.mark.parametrize("check", ["lgr", "policy"])
def test_an_added_check_only_adds_findings(tmp_path: Path, check: str) -> None:
    """An LGR or a policy refusing an IDN name adds its finding; the name stays an IDN of its script, keyed."""
    zone = tmp_path / "z.zone"
    zone.write_text("bücher NS ns.x.\nраураӏ NS ns.x.\npaypal NS ns.x.\nstraße NS ns.x.\n", encoding="utf-8")
    added = LgrCheck("rz5/latin") if check == "lgr" else PolicyCheck("se", "se")
    plain = audit_zone(str(zone), "se")
    checked = audit_zone(str(zone), "se", checks=[added])
    assert (checked.idn, checked.scripts, checked.idn_classes) == (plain.idn, plain.scripts, plain.idn_classes)
    assert {(g.kind, g.key, g.members) for g in plain.collisions} <= {
        (g.kind, g.key, g.members) for g in checked.collisions
    }
    assert set(plain.findings) <= set(checked.findings)
    assert checked.invalid > plain.invalid and checked.names == plain.names
    assert {f.rule for f in checked.findings} - {f.rule for f in plain.findings}


def test_summary_names_each_refused_name_once_with_its_other_rules(tmp_path: Path) -> None:
    # Issue 19: the first N lines were the first N findings, so one name with many errors filled them.
    zone = tmp_path / "z.zone"
    zone.write_text("".join(f"-bad{i}- NS ns.x.\n" for i in range(12)), encoding="utf-8")
    text = report.summary(audit_zone(str(zone), "de"))
    assert "invalid names (first 10 of 12; 24 error findings, all in jsonl/csv/html):" in text
    shown = [line for line in text.splitlines() if line.startswith(f"  {zone}:")]
    assert len(shown) == 10 and len({line.split()[1] for line in shown}) == 10
    assert shown[0] == f"  {zone}:1: -bad0-.de.  rfc5891.hyphen_start: " + shown[0].split("rfc5891.hyphen_start: ")[1]
    assert all(line.endswith("  (+1 more: rfc5891.hyphen_end)") for line in shown)


def test_summary_tells_apart_members_with_one_unicode_form(tmp_path: Path) -> None:
    zone = tmp_path / "z.zone"
    zone.write_text("bücher NS ns.x.\nxn--bcher-kva NS ns.x.\n", encoding="utf-8")
    text = report.summary(audit_zone(str(zone), "de"))
    assert "': bücher.de., bücher.de. (xn--bcher-kva.de.)\n" in text + "\n"  # the key is the NFD skeleton


def test_reports_name_invalid_names_with_file_and_line_and_say_what_produced_them(tmp_path: Path) -> None:
    zone = tmp_path / "z.zone"
    zone.write_text("ok NS ns.x.\n" + "".join(f"bad{i}- NS ns.x.\n" for i in range(12)), encoding="utf-8")
    result = audit_zone(str(zone), "de", checks=[LgrCheck("rz5/latin")])
    text = report.summary(result)
    assert "invalid names (first 10 of 12; 12 error findings, all in jsonl/csv/html):" in text
    assert f"  {zone}:2: bad0-.de.  rfc5891.hyphen_end: " in text and "bad9-.de." in text
    assert "bad10-.de." not in text
    provenance = result.provenance
    assert provenance["unicode"] == "17.0.0" and provenance["checks"] == ["lgr:rz5/latin"]
    page = report.html_report(result)
    assert "<h2>Provenance</h2>" in page and "<td>lgr:rz5/latin</td>" in page and "<td>17.0.0</td>" in page
    assert "No collision groups" in page and '<table class="sortable"><thead><tr><th>#</th>' not in page
    summary = json.loads(list(report.jsonl(result))[-1])
    assert summary["provenance"]["idnkit"] == idnkit.__version__
    clean = tmp_path / "clean.zone"
    clean.write_text("ok NS ns.x.\n", encoding="utf-8")
    assert "No findings: every name read is valid." in report.html_report(audit_zone(str(clean), "de"))


def test_default_jobs_follow_the_input_size(tmp_path: Path) -> None:
    import gzip
    import io
    import os

    from idnkit.audit import SMALL_INPUT, default_jobs

    cores = os.cpu_count() or 1
    small, big, packed = tmp_path / "small.zone", tmp_path / "big.zone", tmp_path / "packed.zone.gz"
    small.write_text("a NS b.\n", encoding="utf-8")
    with big.open("wb") as f:
        f.truncate(SMALL_INPUT)
    with gzip.open(packed, "wb", compresslevel=0) as f:
        f.write(b"\0" * (SMALL_INPUT // 6))  # small on disk, large once decompressed
    assert (default_jobs(small), default_jobs(big), default_jobs(packed)) == (1, cores, cores)
    assert default_jobs(io.BytesIO(b"a NS b.\n")) == cores  # a stream's size is not known in advance
    assert default_jobs(tmp_path / "missing.zone") == 1
    assert audit_zone(small, "de", jobs=None).names == 1


def test_jobs_none_follows_the_size_of_a_stream_or_gzip_once_spooled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stream's or gzip file's size is known only once spooled: ``jobs=None`` is chosen then."""
    import gzip
    import io
    import os

    import idnkit.audit as audit

    cores = os.cpu_count() or 1
    started: list[int] = []
    monkeypatch.setattr(audit, "_executor", lambda jobs, tmpdir=None: started.append(jobs))  # no pool: in-process
    monkeypatch.setattr(audit, "SMALL_INPUT", 200)
    small, big = (b"".join(b"n%d NS b.\n" % i for i in range(n)) for n in (3, 40))  # under, over 200 bytes
    packed = tmp_path / "big.zone.gz"
    packed.write_bytes(gzip.compress(big))
    assert len(packed.read_bytes()) < 200  # small on disk: only its spooled size is over the bound
    for source, jobs in ((io.BytesIO(small), 1), (io.BytesIO(big), cores), (packed, cores)):
        assert audit_zone(source, "de", jobs=None).names in (3, 40)
        assert started.pop() == jobs, source
    assert audit_zone(io.BytesIO(big), "de", jobs=1).names == 40 and started.pop() == 1  # given: kept


def test_the_html_report_names_the_file_as_given_not_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("z.zone").write_text("bad- NS ns.x.\n", encoding="utf-8")
    page = report.html_report(audit_zone("z.zone", "de"))
    assert "<td>z.zone</td>" in page or ">z.zone<" in page
    assert str(tmp_path) not in page


def test_jsonl_and_csv_carry_label_position_and_codepoint_of_each_finding(tmp_path: Path) -> None:
    """Issue 13: the place of a finding comes from the Finding (IDNA2008's, an LGR's, a policy's), not from text."""
    zone = tmp_path / "z.zone"
    zone.write_text("www.a\u00b7b NS ns.x.\nbücherж NS ns.x.\n", encoding="utf-8")
    result = audit_zone(str(zone), "se", checks=[LgrCheck("rz5/latin"), PolicyCheck("se", "se")])
    records = [json.loads(line) for line in report.jsonl(result)]
    found = {(r["name"], r["rule"]): r for r in records if r["type"] == "finding"}
    idna = found[("www.a\u00b7b.se.", "rfc5892.contexto.middle_dot")]
    assert (idna["label"], idna["position"], idna["codepoint"]) == (2, 2, "U+00B7")
    assert idna["detail"].startswith("label 2, position 2, U+00B7: ")  # as before the fields were added
    lgr_found = found[("bücherж.se.", "audit.lgr")]
    assert (lgr_found["label"], lgr_found["position"], lgr_found["codepoint"]) == (1, 7, "U+0436")
    assert lgr_found["detail"] == "rz5/latin: 'bücherж' is invalid"
    policy_found = [r for (name, _), r in found.items() if name == "bücherж.se." and r["position"] == 7]
    assert any(r["rule"].startswith("policy.") and r["codepoint"] == "U+0436" and r["label"] == 1 for r in policy_found)
    assert all(r["detail"].startswith("se ") for r in policy_found if r["rule"] != "audit.lgr")
    rows = list(csv.DictReader(io.StringIO(report.csv_text(result))))
    assert list(rows[0])[-3:] == ["label", "position", "codepoint"]
    by_rule = {(row["name"], row["rule"]): row for row in rows if row["type"] == "finding"}
    row = by_rule[("www.a\u00b7b.se.", "rfc5892.contexto.middle_dot")]
    assert (row["label"], row["position"], row["codepoint"]) == ("2", "2", "U+00B7")
    assert by_rule[("bücherж.se.", "audit.lgr")]["position"] == "7"
