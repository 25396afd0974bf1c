"""An audit that cannot finish (issue 21 §8): a worker killed mid-run and Ctrl-C both end with exit
status 2 and a message, never a traceback and status 1 ("some names invalid")."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from idnkit.audit import AuditError
from idnkit.cli import cli

from ._bounded import python_code, run_bounded

KILLER = '''
import os, signal
from idnkit.audit import Check

class KillOnName(Check):
    """Kills the worker process it runs in when it meets one name: a worker lost mid-run."""

    id = "killer"

    def findings(self, u_name):
        if u_name.startswith("bücher-500"):
            os.kill(os.getpid(), signal.SIGKILL)
        return ()
'''


def test_a_worker_killed_mid_run_is_an_audit_error(tmp_path: Path) -> None:
    (tmp_path / "killer.py").write_text(KILLER, encoding="utf-8")
    zone = tmp_path / "z.zone"
    zone.write_text("".join(f"bücher-{i} IN NS ns\n" for i in range(2000)), encoding="utf-8")
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from killer import KillOnName
        from idnkit.audit import AuditError, audit_zone
        try:
            audit_zone({str(zone)!r}, origin="example", jobs=2, partition_bytes=4096, checks=[KillOnName()])
        except AuditError as e:
            print("AuditError:", e)
    """)
    done = run_bounded(python_code(code), cpu_seconds=120, memory_mb=1500, wall_seconds=300)
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert out.startswith(f"AuditError: {zone}: a worker process died"), out
    assert "the audit is incomplete" in out


def test_a_dask_worker_lost_mid_run_is_an_audit_error(tmp_path: Path) -> None:
    """The Dask engine as the local one (issue 18 §3): the lost worker's partition is named, no result."""
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    (tmp_path / "killer.py").write_text(KILLER, encoding="utf-8")
    zone = tmp_path / "z.zone"
    zone.write_text("".join(f"bücher-{i} IN NS ns\n" for i in range(2000)), encoding="utf-8")
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        import cloudpickle, killer
        cloudpickle.register_pickle_by_value(killer)  # the workers cannot import it from the test's folder
        from idnkit.audit import AuditError, audit_zone
        try:
            audit_zone({str(zone)!r}, origin="example", jobs=2, partition_bytes=4096, checks=[killer.KillOnName()],
                       engine="dask")
        except AuditError as e:
            print("AuditError:", e)
    """)
    done = run_bounded(python_code(code), cpu_seconds=240, memory_mb=3000, wall_seconds=300)
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert out.startswith(f"AuditError: {zone}: a Dask worker died"), out + done.stderr.decode()[-2000:]
    assert "the audit is incomplete" in out
    # exactly one partition is named, and it is the one holding the name that killed the worker
    spans = re.findall(r"bytes ([0-9,]+)-([0-9,]+) \(from line (\d+)\)", out)
    assert len(spans) == 1, out
    start, end, _ = (int(value.replace(",", "")) for value in spans[0])
    assert start <= zone.read_bytes().index("bücher-500 ".encode()) < end, out


def test_the_dask_message_names_each_partition_lost_with_the_worker() -> None:
    from idnkit.audit._dask import _lost
    from idnkit.audit._model import Partition

    parts = [
        Partition("/zones/z.zone", "z.zone", start, end, line, b"example.")
        for start, end, line in ((0, 100, 1), (100, 250, 9), (250, 300, 20))
    ]
    error = RuntimeError("killed")
    one = _lost(error, parts, [1])
    assert one == (
        "z.zone: a Dask worker died (killed, or out of memory) while reading bytes 100-250 (from line 9);"
        " the audit is incomplete and gives no result"
    )
    assert "bytes 0-100 (from line 1) or bytes 250-300 (from line 20)" in _lost(error, parts, [0, 2])
    error.task = "idnkit-partition-2-0123abcdef-2"  # type: ignore[attr-defined]
    assert "bytes 250-300 (from line 20)" in _lost(error, parts, [])  # no failed future seen: the task's key
    error.task = "shuffle-3f2a"  # type: ignore[attr-defined]
    assert "while reading" not in _lost(error, parts, [])  # a join task: no partition to name


def test_cli_maps_an_audit_error_to_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import idnkit.cli._audit as command

    def die(*args: object, **kwargs: object) -> None:
        raise AuditError("z.zone: a worker process died (killed, or out of memory); the audit is incomplete")

    monkeypatch.setattr(command, "audit_zone", die)
    (tmp_path / "z.zone").write_text("a IN A 192.0.2.1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", str(tmp_path / "z.zone"), "--jobs", "2"])
    assert result.exit_code == 2 and "a worker process died" in result.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_2_with_a_message(jobs: str) -> None:
    """SIGINT while the audit reads stdin (a pipe that stays open): exit 2, a message, no traceback."""
    ready = "import sys; sys.stderr.write('ready\\n'); sys.stderr.flush()\n"
    run = f"sys.argv = ['idncheck', 'audit', '-', '--origin', 'example', '--jobs', '{jobs}']\n"
    # ready once idnkit is imported: on a loaded machine the import alone can outlast the sleep below
    code = "from idnkit.cli import main\n" + ready + run + "main()\n"
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert child.stdin is not None and child.stderr is not None
        child.stdin.write(b"www IN A 192.0.2.1\n")
        child.stdin.flush()
        assert child.stderr.readline() == b"ready\n"
        time.sleep(2)  # into main() and blocked reading stdin; the pipe stays open
        os.kill(child.pid, signal.SIGINT)
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 2, err.decode()[-2000:]
    assert b"interrupted" in err and b"Traceback" not in err
    assert out == b""  # no report that looks complete


def test_the_exit_status_of_main_follows_the_command() -> None:
    for args, status in ((["bücher.example"], 0), (["a·b.example"], 1), (["--bogus"], 2), (["--version"], 0)):
        done = run_bounded(["-m", "idnkit", *args], cpu_seconds=30)
        assert done.returncode == status, (args, done.stdout, done.stderr)
