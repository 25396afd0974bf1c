"""Every entry point under a hard address-space limit, fed hostile input made at test time (issue 18 §5).

Each command runs in a child limited by ``resource.setrlimit(RLIMIT_AS)`` (far below the input: a
gigabyte line, a gigabyte gzip bomb), with its peak resident memory read from ``os.wait4``.  The tests
assert the exit status, the message, the accounting (read = valid + invalid + unreadable) and that the
peak stayed under the bound docs/bounds.md states.  Nothing large is stored: inputs come from
generators, through pipes, or as sparse files.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

MB = 1 << 20
GB = 1 << 30
ADDRESS_SPACE = 512 * MB  # the limit every child runs under: far below the inputs
PEAK = 160 * MB  # what a child may reach: docs/bounds.md (a 3 M-name zone audits in ~130 MB)


@dataclass(frozen=True)
class Run:
    status: int
    out: str
    err: str
    peak: int  # bytes: the child's maximum resident set size

    def accounting(self) -> tuple[int, int, int, int]:
        found = re.search(r"(\d+) names read = (\d+) valid \+ (\d+) invalid \+ (\d+) unreadable", self.out + self.err)
        assert found, self.out[-2000:] + self.err[-2000:]
        read, valid, invalid, unreadable = map(int, found.groups())
        assert read == valid + invalid + unreadable
        return read, valid, invalid, unreadable


# The child's peak is read by a small launcher that forks and execs idnkit and reports its
# grandchild's ru_maxrss.  Read directly, a child forked from pytest would report pytest's own size:
# Linux counts the forked copy of the parent's memory into the child's maxrss at exec (in the whole
# suite pytest holds some 600 MB, which every child then "peaked" at).
_LAUNCHER = """
import os, signal, sys
report, argv = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *argv])
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as f:
    f.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


def run(
    args: list[str],
    *,
    feed: Iterable[bytes] | None = None,
    memory: int = ADDRESS_SPACE,
    wall: float = 240,
    env: dict[str, str] | None = None,
    file_size: int | None = None,
) -> Run:
    """``python -m idnkit ARGS`` under RLIMIT_AS = ``memory`` (and RLIMIT_FSIZE = ``file_size``)."""

    def limit() -> None:
        os.setsid()  # the launcher and idnkit in a group of their own, killed together at the wall limit
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (int(wall), int(wall) + 5))
        if file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    with tempfile.TemporaryDirectory(prefix="idnkit-rlimit-") as tmp:
        report = Path(tmp) / "maxrss"
        child = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(report), "-m", "idnkit", *args],
            stdin=subprocess.PIPE if feed is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=limit,
            env={**os.environ, **(env or {})},
        )
        out: list[bytes] = []
        err: list[bytes] = []
        assert child.stdout is not None and child.stderr is not None
        threads = [
            threading.Thread(target=lambda: out.append(child.stdout.read())),  # type: ignore[union-attr]
            threading.Thread(target=lambda: err.append(child.stderr.read())),  # type: ignore[union-attr]
        ]
        if feed is not None:
            threads.append(threading.Thread(target=_feed, args=(child, feed)))
        for thread in threads:
            thread.start()
        timer = threading.Timer(wall, lambda: os.killpg(child.pid, signal.SIGKILL))
        timer.start()
        try:
            child.wait()
        finally:
            timer.cancel()
        for thread in threads:
            thread.join()
        for pipe in (child.stdin, child.stdout, child.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):  # stdin of a child that stopped reading: a broken pipe
                    pipe.close()
        if child.returncode == -signal.SIGKILL:
            pytest.fail(f"killed after {wall} s: {args}")
        peak = int(report.read_text() or 0) * 1024 if report.exists() else 0
    assert peak > 0, "the launcher reported no peak"
    return Run(child.returncode, out[0].decode(errors="replace"), err[0].decode(errors="replace"), peak)


def _feed(child: subprocess.Popen[bytes], chunks: Iterable[bytes]) -> None:
    assert child.stdin is not None
    try:
        for chunk in chunks:
            child.stdin.write(chunk)
        child.stdin.close()
    except (BrokenPipeError, ValueError):
        pass  # the child stopped reading: it refused the input, which the test then checks


def long_line(size: int, before: bytes = b"", after: bytes = b"", byte: bytes = b"x") -> Iterator[bytes]:
    """``before``, a line of ``size`` bytes, then ``after``: the line made a megabyte at a time."""
    yield before
    block = byte * MB
    for _ in range(size // MB):
        yield block
    yield byte * (size % MB)
    yield b"\n" + after


def write(path: Path, chunks: Iterable[bytes]) -> Path:
    with open(path, "wb") as f:
        for chunk in chunks:
            f.write(chunk)
    return path


def gzip_of(path: Path, chunks: Iterable[bytes], level: int = 1) -> Path:
    with gzip.open(path, "wb", compresslevel=level) as f:
        for chunk in chunks:
            f.write(chunk)
    return path


ZONE_HEAD = b"$ORIGIN nu.\nwww IN A 192.0.2.1\n"
ZONE_TAIL = "bücher IN NS ns.example.\n".encode()


@pytest.fixture(autouse=True)
def _remove_big_files(tmp_path: Path) -> Iterator[None]:
    """Inputs of hundreds of MB are removed after each test: pytest keeps the last runs' tmp_path."""
    yield
    for path in tmp_path.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.stat().st_size > MB:
            path.unlink()


def assert_no_audit_files(tmp: Path) -> None:
    assert not [p.name for p in tmp.iterdir() if p.name.startswith("idnkit-audit-")]


# --- idncheck -f ---------------------------------------------------------------------------------


def test_f_reads_a_one_gigabyte_line_from_a_pipe_in_bounded_memory() -> None:
    done = run(["-q", "-f", "-"], feed=long_line(GB, b"a.example\n", "bücher.example\n-bad\n".encode()))
    assert done.status == 2, done.err
    assert "<stdin>:2: unreadable: line of 1,073,741,824 bytes, over 64 KB" in done.out + done.err
    assert "summary: 4 checked, 2 valid, 1 invalid, 1 unreadable" in done.out
    assert done.peak < PEAK, done.peak


@pytest.mark.parametrize("lines", [200_000, pytest.param(1_000_000, marks=pytest.mark.slow)])
def test_f_reads_one_byte_lines(lines: int) -> None:
    done = run(["-q", "-f", "-"], feed=(b"a\n" * 100_000 for _ in range(lines // 100_000)))
    assert done.status == 0, done.err
    assert f"summary: {lines} checked, {lines} valid, 0 invalid, 0 unreadable" in done.out
    assert done.peak < PEAK, done.peak


# --- audit: plain, stdin, gzip, names list --------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=pytest.mark.slow)])
@pytest.mark.parametrize("byte", [b"\0", b"a"])
def test_audit_refuses_a_quarter_gigabyte_line_of_a_file(tmp_path: Path, jobs: str, byte: bytes) -> None:
    zone = write(tmp_path / "z.zone", long_line(256 * MB, ZONE_HEAD, ZONE_TAIL, byte))
    done = run(["audit", str(zone), "--origin", "nu", "--jobs", jobs])
    assert done.status == 2, done.err
    assert done.accounting() == (3, 2, 0, 1)
    assert f"{zone}:3:   zone.line_too_long" in done.out
    assert done.peak < PEAK, done.peak


def test_audit_refuses_a_long_line_on_stdin(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    done = run(
        ["audit", "-", "--origin", "nu", "--jobs", "1"],
        feed=long_line(256 * MB, ZONE_HEAD, ZONE_TAIL),
        env={"TMPDIR": str(tmp)},
    )
    assert done.status == 2, done.err
    assert done.accounting() == (3, 2, 0, 1)
    assert "<stdin>:3:   zone.line_too_long" in done.out
    assert done.peak < PEAK, done.peak
    assert_no_audit_files(tmp)


def test_audit_refuses_a_long_line_of_a_names_list(tmp_path: Path) -> None:
    names = write(tmp_path / "names.txt", long_line(200 * MB, b"www.nu\n", "bücher.nu\n".encode()))
    done = run(["audit", str(names), "--names", "--origin", "nu", "--jobs", "1"])
    assert done.status == 2, done.err
    assert done.accounting() == (3, 2, 0, 1)
    assert "line of 209,715,200 bytes" in done.out
    assert done.peak < PEAK, done.peak


def test_audit_reads_a_long_line_of_gzip_when_the_ratio_is_allowed(tmp_path: Path) -> None:
    zone = gzip_of(tmp_path / "z.zone.gz", long_line(256 * MB, ZONE_HEAD, ZONE_TAIL))
    done = run(["audit", str(zone), "--origin", "nu", "--jobs", "1", "--max-ratio", "100000"])
    assert done.status == 2, done.err
    assert done.accounting() == (3, 2, 0, 1)
    assert done.peak < PEAK, done.peak


def _zeros_gzip(size: int) -> bytes:
    """A gzip file of ``size`` zero bytes, about 1,000 times smaller: one member of a megabyte of zeros,
    repeated (a gzip file may be a series of members, RFC 1952 §2.2), so it is made in milliseconds."""
    member = gzip.compress(bytes(MB), compresslevel=9)
    return member * (size // MB)


def test_audit_refuses_a_gzip_bomb_early(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(_zeros_gzip(GB))
    assert bomb.stat().st_size < 2 * MB
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    done = run(["audit", str(bomb), "--origin", "nu"], env={"TMPDIR": str(tmp)})
    assert done.status == 2, done.err
    assert f"{bomb}: refused: " in done.err and "(--max-ratio): a gzip bomb" in done.err, done.err
    assert "Traceback" not in done.err
    assert done.peak < PEAK, done.peak
    assert_no_audit_files(tmp)


def test_audit_refuses_a_stream_over_max_bytes(tmp_path: Path) -> None:
    lines = (b"n%d IN NS ns.example.\n" % i for i in range(200_000))
    done = run(["audit", "-", "--origin", "nu", "--max-bytes", "1M"], feed=lines, env={"TMPDIR": str(tmp_path)})
    assert done.status == 2, done.err
    assert "<stdin>: refused: it holds more than 1,048,576 bytes (--max-bytes)" in done.err, done.err
    assert_no_audit_files(tmp_path)


def test_a_full_disk_under_the_spool_is_a_clear_error(tmp_path: Path) -> None:
    """RLIMIT_FSIZE stands for a full disk: the spool's write fails (EFBIG) as it would with ENOSPC."""
    lines = (b"n%d IN NS ns.example.\n" % i for i in range(200_000))
    done = run(["audit", "-", "--origin", "nu"], feed=lines, env={"TMPDIR": str(tmp_path)}, file_size=256 * 1024)
    assert done.status == 2, done.err
    assert f"cannot write to the temporary folder {tmp_path}/idnkit-audit-" in done.err, done.err
    assert "Traceback" not in done.err
    assert_no_audit_files(tmp_path)


@pytest.mark.slow
def test_audit_reads_ten_million_one_byte_lines(tmp_path: Path) -> None:
    """Ten million lines of one byte each (``;``: comments, so that the zone has no findings to hold:
    memory grows with findings, about 300 B each, as docs/bounds.md says)."""
    zone = write(tmp_path / "z.zone", [ZONE_HEAD, *(b";\n" * 1_000_000 for _ in range(10)), ZONE_TAIL])
    done = run(["audit", str(zone), "--origin", "nu", "--jobs", "2"])
    assert done.status == 0, done.err
    assert done.accounting() == (2, 2, 0, 0)
    assert done.peak < PEAK, done.peak


FINDINGS_PEAK = 96 * MB  # docs/bounds.md: findings past 8,192 are on disk (300 B each in memory: 140 MB here)


def _every_name_invalid(path: Path, names: int) -> Path:
    """A zone where no name is valid: half out of the zone, half with a label starting with a hyphen."""
    lines = (b"n%d.example. IN A 192.0.2.1\n-h%d IN NS ns.example.\n" % (i, i) for i in range(names // 2))
    return write(path, [b"$ORIGIN nu.\n", *lines])


@pytest.mark.parametrize(
    ("fmt", "jobs"),
    [
        ("jsonl", "1"),
        pytest.param("csv", "2", marks=pytest.mark.slow),
        pytest.param("html", "1", marks=pytest.mark.slow),
    ],
)
def test_findings_of_a_zone_where_every_name_is_invalid_stay_on_disk(tmp_path: Path, fmt: str, jobs: str) -> None:
    """Memory does not grow with the number of invalid names: their findings spill to the audit's
    temporary folder and are streamed back into the report, every one of them."""
    names = 300_000
    zone = _every_name_invalid(tmp_path / "bad.zone", names)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    report = tmp_path / f"report.{fmt}"
    done = run(
        ["audit", str(zone), "--origin", "nu", "--jobs", jobs, "--format", fmt, "-o", str(report)],
        env={"TMPDIR": str(tmp)},
    )
    assert done.status == 1, done.err
    assert done.accounting() == (names, 0, names, 0)
    text = report.read_text(encoding="utf-8")
    if fmt == "jsonl":
        assert text.count('{"type": "finding"') == names
    elif fmt == "csv":
        assert text.count("\nfinding,") == names
    else:
        assert text.count('<tr><td class="num">') == 5000 + 1  # MAX_HTML_ROWS, and the counts' row
        assert f"{names - 5000} more findings" in text
    assert f"-h{names // 2 - 1}.nu." in text or fmt == "html"  # the last finding, read back from disk
    assert done.peak < FINDINGS_PEAK, done.peak
    assert_no_audit_files(tmp)


# --- $INCLUDE chains and links ----------------------------------------------------------------------


def test_a_deep_include_chain_and_a_link_out_of_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "zone"
    folder.mkdir()
    outside = tmp_path / "secret.zone"
    outside.write_text("leak IN A 192.0.2.9\n", encoding="utf-8")
    (folder / "link.zone").symlink_to(outside)
    for depth in range(20):  # each file includes the next, and itself six times (a fan-out)
        text = f"d{depth} IN A 192.0.2.1\n$INCLUDE f{depth + 1}.zone\n" + f"$INCLUDE f{depth}.zone\n" * 6
        (folder / f"f{depth}.zone").write_text(text, encoding="utf-8")
    (folder / "main.zone").write_text("$ORIGIN nu.\n$INCLUDE f0.zone\n$INCLUDE link.zone\n", encoding="utf-8")
    args = ["audit", str(folder / "main.zone"), "--origin", "nu", "--allow-include", "--jobs", "1"]
    done = run([*args, "--format", "jsonl"])
    assert done.status == 2, done.err
    done = Run(done.status, done.out + run(args).out, done.err, done.peak)
    _, valid, _, _ = done.accounting()
    assert valid == 8  # d0 … d7: eight levels of includes below the main file
    assert "nested deeper than 8" in done.out and "an $INCLUDE cycle" in done.out
    assert "is outside the zone's folder" in done.out and "leak" not in done.out
    assert done.peak < PEAK, done.peak


# --- signals ----------------------------------------------------------------------------------------


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_gone(pgid: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _group_alive(pgid):
            return True
        time.sleep(0.2)
    return False


def _big_zone(path: Path, names: int = 400_000) -> Path:
    return write(path, [b"$ORIGIN nu.\n", *(b"n%d IN NS ns.example.\n" % i for i in range(names))])


def _start_audit(args: list[str], tmp: Path) -> subprocess.Popen[bytes]:
    """An audit in its own session (so that its process group is its own), ready once it prints."""
    code = "from idnkit.cli import main\nimport sys\nsys.stderr.write('ready\\n'); sys.stderr.flush()\n"
    code += f"sys.argv = ['idncheck', 'audit', *{args!r}]\nmain()\n"
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    assert child.stderr is not None and child.stderr.readline() == b"ready\n"
    return child


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_stops_every_worker_and_removes_the_temporary_files(tmp_path: Path, signum: int) -> None:
    zone = gzip_of(tmp_path / "z.zone.gz", [_big_zone(tmp_path / "z.zone").read_bytes()])
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    report = tmp_path / "report.html"
    child = _start_audit([str(zone), "--origin", "nu", "--jobs", "2", "--format", "html", "-o", str(report)], tmp)
    try:
        deadline = time.monotonic() + 60
        while not any(tmp.glob("idnkit-audit-*/zone")) and time.monotonic() < deadline:
            time.sleep(0.05)  # the spool has begun: the pool is up, the audit under way
        time.sleep(0.5)
        os.kill(child.pid, signum)
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()  # reaped, and its pipes closed (no ResourceWarning in a later test)
    assert child.returncode == 2, err.decode()[-2000:]
    assert f"audit interrupted by {signal.Signals(signum).name}".encode() in err, err
    assert b"Traceback" not in err and out == b""
    assert _wait_gone(child.pid, 10), "a worker, the fork server or the resource tracker outlived the audit"
    assert not report.exists() and not list(tmp_path.glob(".report.html.*"))
    assert_no_audit_files(tmp)


_ORPHAN = """
import multiprocessing, os, sys, time
from idnkit.audit._passes import _executor, abandon
executor = _executor(3)
assert len(executor._processes) == 3, executor._processes  # every worker started, none left to a later submit
orphan = multiprocessing.get_context("forkserver").Process(target=time.sleep, args=(600,))
orphan.start()  # a fork server's child the pool does not know (a worker forked as a signal came)
abandon(executor)
orphan.join(10)
print(orphan.exitcode)
"""


def test_an_interrupted_pool_stops_a_worker_missing_from_its_table() -> None:
    # the CI hang: a worker forked but not in the pool's table held the resource tracker's pipe, and
    # abandon() waited for the tracker for good
    done = subprocess.run([sys.executable, "-c", _ORPHAN], capture_output=True, timeout=60, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == [str(-signal.SIGKILL)]


def test_workers_end_when_the_client_is_killed_outright(tmp_path: Path) -> None:
    zone = _big_zone(tmp_path / "z.zone", 1_500_000)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    child = _start_audit([str(zone), "--origin", "nu", "--jobs", "2", "--format", "jsonl"], tmp)
    try:
        deadline = time.monotonic() + 60
        while not any(tmp.glob("idnkit-audit-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)  # workers started
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=60)  # its pipes close when the workers (which inherited them) are gone
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()  # reaped, and its pipes closed (no ResourceWarning in a later test)
    assert _wait_gone(child.pid, 30), "workers outlived a client killed with SIGKILL"
    assert_no_audit_files(tmp)  # the workers removed the client's folder as they went


def _audit_in(tmp: Path, zone: Path) -> subprocess.CompletedProcess[bytes]:
    """A short audit with ``tmp`` as its temporary folder (it sweeps what killed runs left there)."""
    return subprocess.run(
        [sys.executable, "-m", "idnkit", "audit", str(zone), "--origin", "nu"],
        capture_output=True,
        timeout=120,
        env={**os.environ, "TMPDIR": str(tmp)},
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("whole_group", [False, True], ids=["client", "group"])
def test_nothing_outlives_an_audit_killed_outright(tmp_path: Path, jobs: str, whole_group: bool) -> None:
    # SIGKILL: the audit cleans up nothing.  With workers, they remove its folders within a second;
    # without (-j1), or killed with it (the whole group), the next run finds their locks free and
    # sweeps them (the run's folder and multiprocessing's pymp-* beside it)
    zone = _big_zone(tmp_path / "z.zone", 1_500_000)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    child = _start_audit([str(zone), "--origin", "nu", "--jobs", jobs, "--format", "jsonl"], tmp)
    try:
        deadline = time.monotonic() + 60
        while not any(tmp.glob("idnkit-audit-*/lock")) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert any(tmp.glob("idnkit-audit-*/lock")), "the run made no locked folder"
        if jobs == "2":
            while not any(tmp.glob("pymp-*")) and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.5)  # workers started
        (os.killpg if whole_group else os.kill)(child.pid, signal.SIGKILL)
        child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert _wait_gone(child.pid, 10), "a process of the killed audit's group is still running"
    if jobs == "2" and not whole_group:
        deadline = time.monotonic() + 10  # the workers' watchers look every 0.5 s
        while list(tmp.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not list(tmp.iterdir()), "the workers left the client's folders"
    else:
        assert [p.name for p in tmp.iterdir() if p.name.startswith("idnkit-audit-")], "nothing left: no sweep tested"
    small = write(tmp_path / "s.zone", [b"a IN NS ns.example.\n"])
    assert _audit_in(tmp, small).returncode == 0
    assert not list(tmp.iterdir()), f"the next run left {[p.name for p in tmp.iterdir()]}"


def test_a_live_runs_folder_is_never_swept(tmp_path: Path) -> None:
    zone = _big_zone(tmp_path / "z.zone", 1_500_000)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    child = _start_audit([str(zone), "--origin", "nu", "--jobs", "1", "--format", "summary"], tmp)
    try:
        deadline = time.monotonic() + 60
        while not any(tmp.glob("idnkit-audit-*/lock")) and time.monotonic() < deadline:
            time.sleep(0.02)
        live = list(tmp.glob("idnkit-audit-*"))
        assert len(live) == 1
        small = write(tmp_path / "s.zone", [b"a IN NS ns.example.\n"])
        assert _audit_in(tmp, small).returncode == 0  # sweeps while the big run is under way
        assert child.poll() is None, "the long audit ended before the sweep: nothing tested"
        assert live[0].is_dir() and (live[0] / "lock").exists()
        out, err = child.communicate(timeout=240)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err.decode()[-2000:]
    assert b"1500000 names read = 1500000 valid" in out
    assert not list(tmp.iterdir())


# --- documents: LGR, policy, EPP ----------------------------------------------------------------------


def test_documents_over_their_bound_are_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.xml"
    with open(huge, "wb") as f:  # sparse: a gigabyte of nothing on disk
        f.truncate(GB)
    lgr = run(["lgr", "validate", str(huge)])
    assert lgr.status == 2 and "bytes" in lgr.out + lgr.err, lgr.err
    assert lgr.peak < PEAK, lgr.peak
    (tmp_path / "p.toml").write_text('[policy]\ntld = "nu"\n[reserved]\nfile = "huge.xml"\n', encoding="utf-8")
    lint = run(["policy", "lint", str(tmp_path / "p.toml")])
    assert lint.status != 0 and "1,073,741,824 bytes, over the" in lint.out + lint.err, lint.out + lint.err
    assert lint.peak < PEAK, lint.peak
    epp = run(["epp", str(huge)])
    assert epp.status == 1 and "epp.xml.too_large" in epp.out, epp.out[-500:]
    assert epp.peak < PEAK, epp.peak
