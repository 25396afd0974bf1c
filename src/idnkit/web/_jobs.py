"""Audits run from the console: one background thread per job, progress read by the page as it runs.

Only files inside the console's audit folder (``--audit-dir``) can be audited: a form field names a
file in it, never a path, so a request cannot make the server read a file of its choosing (the same
rule as the service's policies, docs/service.md).

Every job is kept in the audit state folder (``--audit-state``, by default ``.idnkit-audits`` in the
audit folder): ``<id>.json`` holds what the Audits page lists (file, who, when, state, summary or
error), ``<id>.html`` the audit's own report (:func:`idnkit.audit.report.html_report`).  The JSON is
written when the job starts and again when it ends, each time to a temporary file renamed over the
old one, so a reader never sees half a file.  A console started later, or another worker on the same
folder, lists them; a job whose file still says ``running`` but whose process is gone (the console
was stopped, or crashed, during the audit) is listed, and rewritten, as failed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import logging
import os
import re
import secrets
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..audit import audit_zone
from ..audit.report import accounting_line, html_report
from ..errors import IdnkitError

MAX_JOBS = 50  # audits listed (the newest); older ones stay in the state folder and still open
MAX_RUNNING = 2  # audits at once; the console shares the machine with the service
STATE_DIR = ".idnkit-audits"  # in the audit folder, unless --audit-state names another
INTERRUPTED = "interrupted: the console stopped before the audit finished"
_ID = re.compile(r"[0-9a-f]{12}\Z")  # secrets.token_hex(6): a job id is never a path
_STORED = ("id", "file", "origin", "names_list", "started_by", "started", "state", "names", "summary", "error")
log = logging.getLogger("idnkit.web")


def _boot_id() -> str:
    # Linux's id of this boot: a pid recorded before a reboot names no process of this one.
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


@dataclass
class AuditJob:
    id: str
    file: str
    origin: str
    names_list: bool
    started_by: str
    started: str
    state: str = "running"  # running | done | failed
    done_bytes: int = 0
    total_bytes: int = 0
    names: int = 0
    summary: str = ""
    error: str = ""
    report: str = field(default="", repr=False)

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.done_bytes / self.total_bytes) if self.total_bytes else 0

    def status(self) -> dict[str, object]:
        return {
            "id": self.id,
            "state": self.state,
            "percent": self.percent,
            "names": self.names,
            "summary": self.summary,
            "error": self.error,
        }


class AuditJobs:
    """The console's audit jobs (thread-safe)."""

    def __init__(self, folder: str | None, state: str | None = None) -> None:
        self.folder = Path(folder).resolve() if folder else None
        if state:
            self.state: Path | None = Path(state).resolve()
        else:
            self.state = self.folder / STATE_DIR if self.folder else None
        self._lock = threading.Lock()
        self._jobs: dict[str, AuditJob] = {}
        self._owner = {"host": socket.gethostname(), "boot": _boot_id(), "pid": os.getpid()}

    # --- the state folder ------------------------------------------------------------------------
    def _write(self, name: str, text: str) -> None:
        assert self.state is not None
        tmp = self.state / f".{name}.{secrets.token_hex(4)}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.state / name)

    def _save(self, job: AuditJob) -> None:
        record: dict[str, Any] = {k: getattr(job, k) for k in _STORED}
        if job.state == "running":
            record["owner"] = self._owner
        self._write(f"{job.id}.json", json.dumps(record, ensure_ascii=False, indent=1))

    def _saved(self, job: AuditJob) -> None:
        """Keep a finished job; a state folder that fails now is logged (the job itself is done)."""
        try:
            if job.state == "done":
                self._write(f"{job.id}.html", job.report)
            self._save(job)
        except OSError as e:
            log.error("audit %s: cannot keep its result in %s: %s", job.id, self.state, e)

    def _load(self, path: Path, report: bool = False) -> AuditJob | None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            job = AuditJob(**{k: raw[k] for k in _STORED})
        except (OSError, ValueError, KeyError, TypeError) as e:
            log.warning("%s: not an audit record, skipped (%s)", path, e)
            return None
        if job.state == "running" and self._gone(raw.get("owner") or {}):
            job.state, job.error = "failed", INTERRUPTED
            with contextlib.suppress(OSError):  # listed as failed all the same
                self._save(job)
        if report and job.state == "done":
            try:
                job.report = (path.parent / f"{job.id}.html").read_text(encoding="utf-8")
            except OSError as e:
                job.state, job.error = "failed", f"the report is missing from {path.parent}: {e.strerror}"
        return job

    def _gone(self, owner: dict[str, Any]) -> bool:
        """Did the process that ran this job stop?  Only decidable for a process of this machine."""
        if owner.get("host") != self._owner["host"]:
            return False  # another machine's worker on a shared folder: it says when it ends
        if owner.get("boot") != self._owner["boot"]:
            return True  # the machine restarted since
        pid = owner.get("pid")
        return not isinstance(pid, int) or not _alive(pid)

    def _stored(self) -> list[AuditJob]:
        if self.state is None or not self.state.is_dir():
            return []
        paths = [p for p in self.state.glob("*.json") if _ID.match(p.stem)]
        paths.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        return [job for job in map(self._load, paths[:MAX_JOBS]) if job is not None]

    def files(self) -> list[str]:
        """The files an audit may be run on: regular files directly in the audit folder."""
        if self.folder is None or not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def jobs(self) -> list[AuditJob]:
        """The newest audits: this process's (with live progress) and those in the state folder."""
        with self._lock:
            mine = dict(self._jobs)
        found = {j.id: j for j in self._stored()}
        found.update(mine)
        return sorted(found.values(), key=lambda j: j.started, reverse=True)[:MAX_JOBS]

    def get(self, job_id: str) -> AuditJob | None:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None or self.state is None or not _ID.match(job_id):
            return job
        path = self.state / f"{job_id}.json"
        return self._load(path, report=True) if path.is_file() else None

    def start(self, file: str, origin: str, names_list: bool, who: str) -> AuditJob:
        if file not in self.files():
            raise IdnkitError(f"{file!r} is not a file in the audit folder")
        assert self.folder is not None
        with self._lock:
            running = sum(1 for j in self._jobs.values() if j.state == "running")
            if running >= MAX_RUNNING:
                raise IdnkitError(f"{running} audits are running; wait for one to finish")
            job = AuditJob(
                id=secrets.token_hex(6),
                file=file,
                origin=origin or ".",
                names_list=names_list,
                started_by=who,
                started=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            )
            if self.state is not None:
                try:  # kept before it runs: a console that stops now still lists it (as failed)
                    self.state.mkdir(parents=True, exist_ok=True)
                    self._save(job)
                except OSError as e:
                    raise IdnkitError(
                        f"cannot keep audits in {self.state} ({e.strerror}): give the console a writable "
                        "folder with --audit-state DIR"
                    ) from None
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.state != "running"]
            for old in sorted(finished, key=lambda j: j.started)[: max(0, len(self._jobs) - MAX_JOBS)]:
                del self._jobs[old.id]
        path = self.folder / file
        threading.Thread(target=self._run, args=(job, path), name=f"audit-{job.id}", daemon=True).start()
        return job

    def _run(self, job: AuditJob, path: Path) -> None:
        def progress(done: int, total: int, names: int) -> None:
            job.done_bytes, job.total_bytes, job.names = done, total, names

        try:
            result = audit_zone(path, job.origin, jobs=1, names_list=job.names_list, progress=progress)
        except (IdnkitError, OSError) as e:
            job.error, job.state = str(e), "failed"
            self._finish(job)
            return
        except Exception as e:  # a job must end, and say why, whatever the audit raised
            job.error, job.state = f"{type(e).__name__}: {e}", "failed"
            self._finish(job)
            return
        # The report names the file as the clerk chose it, not by its path on the server.
        result = dataclasses.replace(result, file=job.file)
        job.names = result.names
        job.summary = accounting_line(result)
        job.report = html_report(result)
        job.state = "done"
        self._finish(job)

    def _finish(self, job: AuditJob) -> None:
        if self.state is not None:
            self._saved(job)
