"""Hostile zone input (issue 21 §2, §3, §5, §9): $INCLUDE fan-out and cycles, FIFOs and devices,
newline-free files, corrupt gzip, CR-only line ends.  Each gets a problem or a ZoneError naming the
file (and line), the rest of the zone is read, and work and memory stay bounded; hangs and blow-ups
are caught by a child process under CPU, memory and wall-clock limits (tests/_bounded.py)."""

from __future__ import annotations

import gzip
import io
import os
import random
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from idnkit.audit import audit_zone
from idnkit.cli import cli
from idnkit.zone import ZoneError, ZoneProblem, _lexer, read_names, read_zone
from idnkit.zone._lines import iter_lines

from ._bounded import python_code, run_bounded

ZONE = b"$ORIGIN example.\n@ IN SOA ns host 1 2 3 4 5\nwww IN A 192.0.2.1\nb\xc3\xbccher IN NS ns\nmail IN MX 10 www\n"


def _read(path: Path, **kw: object) -> tuple[list[tuple[str, int, str]], list[ZoneProblem]]:
    problems: list[ZoneProblem] = []
    records = [(r.owner, r.line, Path(r.file).name) for r in read_zone(path, problems=problems, **kw)]  # type: ignore[arg-type]
    return records, problems


# --- $INCLUDE (§2) ---------------------------------------------------------------------------------


def test_a_file_including_itself_is_a_cycle_read_once(tmp_path: Path) -> None:
    zone = tmp_path / "self.zone"
    zone.write_bytes(b"a IN A 192.0.2.1\n" + b"$INCLUDE self.zone\n" * 6 + b"b IN A 192.0.2.2\n")
    assert len(zone.read_bytes()) < 160  # the 140-byte file: 6^8 reads before
    records, problems = _read(zone, allow_include=True)
    assert [(o, line) for o, line, _ in records] == [("a.", 1), ("b.", 8)]
    assert [(p.line, p.rule) for p in problems] == [(n, "zone.include_refused") for n in range(2, 8)]
    assert all("cycle" in p.message and p.file == str(zone) for p in problems)


def test_include_fan_out_is_bounded(tmp_path: Path) -> None:
    # f0 includes f1 six times, f1 includes f2 six times ... f8: 6^8 = 1,679,616 file reads, no cycle.
    for level in range(9):
        body = b"x%d IN A 192.0.2.1\n" % level
        if level < 8:
            body += b"$INCLUDE f%d.zone\n" % (level + 1) * 6
        (tmp_path / f"f{level}.zone").write_bytes(body)
    code = f"""
from idnkit.zone import read_zone
from idnkit.zone._lexer import MAX_INCLUDE_FILES
problems = []
records = sum(1 for _ in read_zone({str(tmp_path / "f0.zone")!r}, allow_include=True, problems=problems))
refused = [p for p in problems if "already read {{}} files".format(MAX_INCLUDE_FILES) in p.message]
print(records, len(refused), MAX_INCLUDE_FILES, problems[-1])
"""
    done = run_bounded(python_code(code), cpu_seconds=60, memory_mb=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    records, refused, bound, last = done.stdout.decode().split(" ", 3)
    assert int(records) == int(bound) + 1  # the top file's record, then one per included file read
    assert int(refused) > 0 and "f" in last and ".zone:" in last


def test_include_depth_still_bounded(tmp_path: Path) -> None:
    for level in range(12):
        (tmp_path / f"d{level}.zone").write_bytes(b"d%d IN A 192.0.2.1\n$INCLUDE d%d.zone\n" % (level, level + 1))
    records, problems = _read(tmp_path / "d0.zone", allow_include=True)
    assert len(records) == _lexer.MAX_INCLUDE_DEPTH + 1
    assert [p.rule for p in problems] == ["zone.include_refused"]
    assert "nested deeper than" in problems[0].message


def test_include_byte_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_lexer, "MAX_INCLUDE_BYTES", 100)
    (tmp_path / "big.zone").write_bytes(b"big IN A 192.0.2.1\n" * 10)  # 190 bytes
    (tmp_path / "small.zone").write_bytes(b"small IN A 192.0.2.1\n")
    (tmp_path / "top.zone").write_bytes(b"$INCLUDE small.zone\n$INCLUDE big.zone\n$INCLUDE small.zone\n")
    records, problems = _read(tmp_path / "top.zone", allow_include=True)
    assert [o for o, _, _ in records] == ["small.", "small."]
    assert [(p.line, p.rule) for p in problems] == [(2, "zone.include_refused")]
    assert "190 bytes would pass" in problems[0].message


def test_an_included_fifo_is_refused_not_waited_for(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.zone")  # nobody ever writes to it: reading it would block for ever
    (tmp_path / "top.zone").write_bytes(b"a IN A 192.0.2.1\n$INCLUDE pipe.zone\nb IN A 192.0.2.2\n")
    code = f"""
from idnkit.zone import read_zone
problems = []
print([r.owner for r in read_zone({str(tmp_path / "top.zone")!r}, allow_include=True, problems=problems)])
print(problems[0])
"""
    done = run_bounded(python_code(code), cpu_seconds=30, wall_seconds=60)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    owners, problem = done.stdout.decode().splitlines()
    assert owners == "['a.', 'b.']"
    assert problem.startswith(f"{tmp_path / 'top.zone'}:2: $INCLUDE") and "a FIFO, not a regular file" in problem


def test_an_included_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "top.zone").write_bytes(b"$INCLUDE sub\na IN A 192.0.2.1\n")
    records, problems = _read(tmp_path / "top.zone", allow_include=True)
    assert [o for o, _, _ in records] == ["a."]
    assert [p.line for p in problems] == [1] and "folder" in problems[0].message


def test_a_device_is_not_a_zone(tmp_path: Path) -> None:
    with pytest.raises(ZoneError, match=r"/dev/zero: is a device"):
        list(read_zone("/dev/zero"))
    with pytest.raises(ZoneError, match=r"/dev/zero: is a device"):
        list(read_names("/dev/zero"))
    result = CliRunner().invoke(cli, ["audit", "/dev/zero", "--origin", "example"])
    assert result.exit_code == 2 and "is a device" in result.output


def test_a_pipe_given_by_path_is_audited_whole(tmp_path: Path) -> None:
    fifo = tmp_path / "zone.pipe"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write(ZONE)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = audit_zone(str(fifo), origin="example", jobs=1)
    finally:
        writer.join(10)
    assert (result.names, result.unreadable) == (4, 0)


# --- newline-free input (§3) -----------------------------------------------------------------------


def test_prescan_of_a_newline_free_file_keeps_memory_flat(tmp_path: Path) -> None:
    zeros = tmp_path / "zeros.zone"
    with open(zeros, "wb") as f:
        f.truncate(600 << 20)  # 600 MB of NUL bytes, sparse: no disk used, read at memory speed
    code = f"""
from idnkit.audit._partition import plan
parts = plan({str(zeros)!r}, "zeros.zone", b".", 8)
print(len(parts), parts[0].start_line, parts[-1].end)
"""
    # The pre-scan kept the whole file as an unfinished line and copied it per block (2.5x the file).
    done = run_bounded(python_code(code), cpu_seconds=60, memory_mb=400)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert done.stdout.split() == [b"1", b"1", str(600 << 20).encode()]


def test_audit_of_a_newline_free_file_in_partitions(tmp_path: Path) -> None:
    tail = b"\nmail IN A 192.0.2.2\n$ORIGIN sub.example.\nx IN A 1.2.3.4\n"
    data = b"www IN A 192.0.2.1\n" + b"\0" * (3 << 20) + tail
    (tmp_path / "z.zone").write_bytes(data)
    result = audit_zone(tmp_path / "z.zone", origin="example", jobs=1, partition_bytes=1 << 20)
    assert (result.names, result.valid, result.unreadable) == (4, 3, 1)
    (finding,) = [f for f in result.findings if f.rule == "zone.line_too_long"]
    assert finding.line == 2
    assert {f.name for f in result.findings} <= {""}


def test_prescan_counts_lines_and_directives_around_long_lines(tmp_path: Path) -> None:
    rng = random.Random(21)
    lines = []
    for i in range(400):
        kind = rng.random()
        if kind < 0.05:
            lines.append(b"z" * rng.randint(70_000, 300_000))  # over MAX_LINE
        elif kind < 0.1:
            lines.append(b"$ORIGIN o%d.example." % i)
        else:
            lines.append(b"n%d IN A 192.0.2.1" % i)
    ends = [b"\n", b"\r\n", b"\r"]
    data = b"".join(line + rng.choice(ends) for line in lines)
    path = tmp_path / "mixed.zone"
    path.write_bytes(data)
    from idnkit.audit import _partition

    cuts = sorted({0, *(rng.randrange(len(data)) for _ in range(30))})
    cuts = [c for c in cuts if c == 0 or data[c - 1 : c] == b"\n"]
    for block in (1 << 12, 1 << 16, 1 << 20):
        _partition.PRESCAN_BLOCK = block
        try:
            lines_at, directives = _partition._prescan(str(path), cuts)
        finally:
            _partition.PRESCAN_BLOCK = 4 << 20
        normalized = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        for cut in cuts:
            # line numbers as the reader counts them: each LF, CR LF or lone CR before the cut
            before = data[:cut].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            assert lines_at[cut] == before.count(b"\n") + 1
        expected = [line for line in normalized.split(b"\n") if line.startswith(b"$")]
        assert [d for _, d in directives] == expected


# --- corrupt gzip (§5) -----------------------------------------------------------------------------


def _corrupt_gzip(tmp_path: Path) -> Path:
    packed = bytearray(gzip.compress(ZONE * 2000))
    for i in range(200, 260):  # in the deflate stream: not a truncation, a corruption
        packed[i] ^= 0x5A
    path = tmp_path / "corrupt.zone.gz"
    path.write_bytes(bytes(packed))
    return path


def test_corrupt_gzip_is_a_zone_error(tmp_path: Path) -> None:
    path = _corrupt_gzip(tmp_path)
    with pytest.raises(ZoneError, match=rf"{path}:\d+: read failed: corrupt gzip data"):
        list(read_zone(path))
    with pytest.raises(ZoneError, match=rf"{path}:\d+: read failed: corrupt gzip data"):
        list(read_names(path))
    with pytest.raises(ZoneError, match="corrupt gzip data"):
        audit_zone(path, origin="example")


@pytest.mark.parametrize("extra", [[], ["--names"], ["--jobs", "2"]])
def test_cli_audit_of_corrupt_gzip_exits_2_with_a_message(tmp_path: Path, extra: list[str]) -> None:
    path = _corrupt_gzip(tmp_path)
    result = CliRunner().invoke(cli, ["audit", str(path), "--origin", "example", *extra])
    assert result.exit_code == 2, result.output
    assert "corrupt gzip data" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


# --- CR line ends (§9) -----------------------------------------------------------------------------


def _with_ends(data: bytes, end: bytes) -> bytes:
    return data.replace(b"\n", end)


@pytest.mark.parametrize("end", [b"\r", b"\r\n"])
def test_cr_line_ends_read_as_lf(tmp_path: Path, end: bytes) -> None:
    zone = ZONE + b'txt IN TXT ( "a"\n  "b" )\nlast IN A 192.0.2.9\n'
    (tmp_path / "lf.zone").write_bytes(zone)
    (tmp_path / "other.zone").write_bytes(_with_ends(zone, end))
    expected, _ = _read(tmp_path / "lf.zone")
    records, problems = _read(tmp_path / "other.zone")
    assert [r[:2] for r in records] == [r[:2] for r in expected] and problems == []
    assert len(expected) == 6


def test_cr_lf_split_across_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(9)
    lines = [b"n%d IN A 192.0.2.1" % i if rng.random() < 0.8 else b"" for i in range(300)]
    data = b"".join(line + rng.choice([b"\n", b"\r\n", b"\r"]) for line in lines)
    want = [(r.owner, r.line) for r in read_zone(io.BytesIO(data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")))]
    for chunk in (1, 2, 3, 7, 64, 1000):
        monkeypatch.setattr(_lexer, "CHUNK", chunk)
        assert [(r.owner, r.line) for r in read_zone(io.BytesIO(data))] == want, chunk


def test_cr_only_names_list_and_dash_f(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_bytes(b"example.com\rb\xc3\xbccher.de\r# comment\rbad-.com\r")
    assert [(r.owner, r.line) for r in read_names(path)] == [("example.com.", 1), ("bücher.de.", 2), ("bad-.com.", 4)]
    result = CliRunner().invoke(cli, ["check", "-f", str(path), "--json"])
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 4 and '"line": 4' in result.output  # three names and the summary
    audit = audit_zone(path, names_list=True)
    assert (audit.names, audit.invalid) == (3, 1)
    assert [f.line for f in audit.findings] == [4]


def test_iter_lines_matches_splitlines_semantics() -> None:
    rng = random.Random(3)
    for _ in range(200):
        data = bytes(rng.choice(b"ab\r\n") for _ in range(rng.randint(0, 40)))
        want = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        if want and want[-1] == b"":
            want.pop()
        for block in (1, 2, 5, 64):
            assert list(iter_lines(io.BytesIO(data), block=block)) == want, (data, block)
    assert list(iter_lines(io.BytesIO(b"ab\n" + b"x" * 100 + b"\ncd"), max_line=10, block=7)) == [b"ab", 100, b"cd"]


def test_dash_f_long_line_is_unreadable_not_held(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"example.com\n" + b"a" * (200 << 20) + b"\nexample.org\n")
    done = run_bounded(["-m", "idnkit", "check", "-f", str(path), "--json"], cpu_seconds=60, memory_mb=400)
    assert done.returncode == 2, done.stderr
    out = done.stdout.decode().splitlines()
    assert len(out) == 4 and '"line": 2' in out[1] and "over 64 KB" in out[1]  # three lines and the summary


# --- escaped owner names (§10) -----------------------------------------------------------------------


def test_findings_on_escaped_names_name_the_escaped_character(tmp_path: Path) -> None:
    zone = tmp_path / "esc.zone"
    zone.write_bytes(
        b"a\\032b IN A 192.0.2.1\nb\\195\\188cher IN A 192.0.2.1\nx\\200y IN A 192.0.2.1\nq\\.r IN A 192.0.2.1\n"
    )
    result = audit_zone(zone, origin="example")
    assert (result.names, result.valid, result.invalid, result.unreadable, result.idn) == (4, 1, 2, 1, 1)
    found = {f.line: f for f in result.findings}
    assert "U+0020" in found[1].detail and "U+005C" not in found[1].detail
    assert found[1].unicode == "a b.example."
    assert (found[3].name, found[3].rule) == ("x\\200y.example.", "zone.unreadable")
    assert "U+002E" in found[4].detail and "U+005C" not in found[4].detail
