"""Past audits outlive the console process: each job's record and report are kept in the audit
state folder (``--audit-state``, by default ``.idnkit-audits`` in ``--audit-dir``), listed by the
next console on that folder; a job its process never finished is listed as failed."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from idnkit.errors import IdnkitError
from idnkit.web._jobs import INTERRUPTED, STATE_DIR, AuditJobs

from .conftest import DATA, csrf_of, make_console


def _wait(jobs: AuditJobs, job_id: str) -> None:
    deadline = time.monotonic() + 60
    while (job := jobs.get(job_id)) is not None and job.state == "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_finished_audit_is_listed_and_opens_after_a_restart(tmp_path: Path) -> None:
    stop, served = make_console(tmp_path)
    try:
        with served.login("clara") as c:
            page = c.get("/audits")
            r = c.post("/audits", data={"csrf": csrf_of(page.text), "file": "sample.zone", "origin": "cn"})
            job = r.url.path.rsplit("/", 1)[1]
            deadline = time.monotonic() + 60
            while c.get(f"/audits/{job}/status").json()["state"] == "running":
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        stop()
    kept = tmp_path / "audits" / STATE_DIR
    assert sorted(p.name for p in kept.iterdir()) == [f"{job}.html", f"{job}.json"]
    record = json.loads((kept / f"{job}.json").read_text(encoding="utf-8"))
    assert (record["state"], record["file"], record["started_by"], record["names"]) == (
        "done",
        "sample.zone",
        "clara",
        410,
    )
    assert "owner" not in record  # a finished job names no process
    stop, again = make_console(tmp_path)  # a new console process on the same folder
    try:
        with again.login("vera") as c:
            listing = c.get("/audits").text
            assert f'href="/audits/{job}"' in listing and record["summary"] in listing
            assert c.get(f"/audits/{job}/status").json()["state"] == "done"
            report = c.get(f"/audits/{job}/report")
            assert report.status_code == 200 and "Zone audit" in report.text and "bad-.cn." in report.text
            assert "sample.zone" in listing and STATE_DIR not in listing  # the state folder is not offered for audit
    finally:
        stop()


def _dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, timeout=60
    )
    return int(child.stdout)


def test_a_job_whose_process_stopped_is_listed_as_failed(tmp_path: Path) -> None:
    folder = tmp_path / "zones"
    folder.mkdir()
    (folder / "sample.zone").write_bytes((DATA / "sample.zone").read_bytes())
    jobs = AuditJobs(str(folder))
    job = jobs.start("sample.zone", "cn", False, "clara")
    _wait(jobs, job.id)
    # What a console that crashed during the audit leaves: the record written at the start.
    path = folder / STATE_DIR / f"{job.id}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    crashed = dict(record, id="0123456789ab", state="running", summary="", names=0,
                   owner=dict(jobs._owner, pid=_dead_pid()))  # fmt: skip
    (folder / STATE_DIR / "0123456789ab.json").write_text(json.dumps(crashed), encoding="utf-8")
    elsewhere = dict(crashed, id="ba9876543210", owner=dict(jobs._owner, host="another-machine"))
    (folder / STATE_DIR / "ba9876543210.json").write_text(json.dumps(elsewhere), encoding="utf-8")
    later = AuditJobs(str(folder))
    states = {j.id: (j.state, j.error) for j in later.jobs()}
    assert states[job.id] == ("done", "")
    assert states["0123456789ab"] == ("failed", INTERRUPTED)
    assert states["ba9876543210"] == ("running", "")  # another machine's worker: not judged from here
    rewritten = json.loads((folder / STATE_DIR / "0123456789ab.json").read_text(encoding="utf-8"))
    assert rewritten["state"] == "failed" and "owner" not in rewritten
    got = later.get(job.id)
    assert got is not None and "Zone audit" in got.report


def test_a_state_folder_of_its_own_and_ids_that_are_not_paths(tmp_path: Path) -> None:
    folder = tmp_path / "zones"
    folder.mkdir()
    (folder / "sample.zone").write_bytes((DATA / "sample.zone").read_bytes())
    jobs = AuditJobs(str(folder), str(tmp_path / "state"))
    job = jobs.start("sample.zone", "cn", False, "clara")
    _wait(jobs, job.id)
    assert (tmp_path / "state" / f"{job.id}.json").is_file() and not (folder / STATE_DIR).exists()
    assert AuditJobs(str(folder), str(tmp_path / "state")).get(job.id) is not None
    (tmp_path / "state" / "x.json").write_text("{}", encoding="utf-8")
    assert [j.id for j in AuditJobs(str(folder), str(tmp_path / "state")).jobs()] == [job.id]  # not a job id: ignored
    assert jobs.get("../state/x") is None and jobs.get("x") is None
    (tmp_path / "file").write_text("", encoding="utf-8")
    blocked = AuditJobs(str(folder), str(tmp_path / "file"))
    with pytest.raises(IdnkitError, match=r"cannot keep audits in .*--audit-state DIR"):
        blocked.start("sample.zone", "cn", False, "clara")
    assert blocked.jobs() == []  # refused before it ran
