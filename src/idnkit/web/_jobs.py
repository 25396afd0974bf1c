"""Audits run from the console: one background thread per job, progress read by the page as it runs.

Only files inside the console's audit folder (``--audit-dir``) can be audited: a form field names a
file in it, never a path, so a request cannot make the server read a file of its choosing (the same
rule as the service's policies, docs/service.md).  Reports are kept in memory (the last
:data:`MAX_JOBS`) as the audit's own HTML report (:func:`idnkit.audit.report.html_report`).
"""

from __future__ import annotations

import dataclasses
import datetime
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..audit import audit_zone
from ..audit.report import accounting_line, html_report
from ..errors import IdnkitError

MAX_JOBS = 50
MAX_RUNNING = 2  # audits at once; the console shares the machine with the service


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

    def __init__(self, folder: str | None) -> None:
        self.folder = Path(folder).resolve() if folder else None
        self._lock = threading.Lock()
        self._jobs: dict[str, AuditJob] = {}

    def files(self) -> list[str]:
        """The files an audit may be run on: regular files directly in the audit folder."""
        if self.folder is None or not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def jobs(self) -> list[AuditJob]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.started, reverse=True)

    def get(self, job_id: str) -> AuditJob | None:
        with self._lock:
            return self._jobs.get(job_id)

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
            return
        except Exception as e:  # a job must end, and say why, whatever the audit raised
            job.error, job.state = f"{type(e).__name__}: {e}", "failed"
            return
        # The report names the file as the clerk chose it, not by its path on the server.
        result = dataclasses.replace(result, file=job.file)
        job.names = result.names
        job.summary = accounting_line(result)
        job.report = html_report(result)
        job.state = "done"
