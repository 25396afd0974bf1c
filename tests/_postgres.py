"""A throwaway PostgreSQL cluster for the tests and benchmarks, also when they run as root.

The server is Debian's ``postgresql`` package (any PostgreSQL ≥ 14 whose ``pg_ctl`` is found: from
``pg_config --bindir``, ``/usr/lib/postgresql/*/bin`` or ``PATH``), driven by pytest-postgresql's
``PostgreSQLExecutor``: ``initdb`` into a temporary folder, a server on 127.0.0.1 at a free port
with its Unix socket in the same folder, trust authentication for the ``postgres`` role, and the
folder removed afterwards.

``initdb`` and ``postgres`` refuse to run as root, and CI runs as root.  Then the folder is given
to the ``postgres`` system user (created by Debian's package; ``nobody`` if it is missing) and the
executor is handed a small wrapper instead of ``pg_ctl`` that drops to that user before it runs
the real one, so every ``pg_ctl`` call (initdb, start, status, stop) runs unprivileged.  The
tests themselves stay root and connect over TCP.

Without a server (or without psycopg) the PostgreSQL tests skip, saying why; with
``IDNKIT_REQUIRE_POSTGRES=1`` (CI) they fail instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REQUIRE_ENV = "IDNKIT_REQUIRE_POSTGRES"


class PostgresUnavailable(Exception):  # noqa: N818  (a reason, not an error of the code under test)
    """No PostgreSQL server can be started here; the message says why."""


def required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


def find_pg_ctl() -> str | None:
    """The ``pg_ctl`` of the newest PostgreSQL installed, or None."""
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            bindir = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True).stdout
            candidates.append(os.path.join(bindir.strip(), "pg_ctl"))
        except (OSError, subprocess.CalledProcessError):
            pass
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]), reverse=True)
    candidates += versions
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        # Debian's pg_config may name a bindir whose server package is not installed: check initdb too.
        bindir = os.path.dirname(os.path.realpath(candidate))
        if os.access(candidate, os.X_OK) and os.access(os.path.join(bindir, "initdb"), os.X_OK):
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _unprivileged_user() -> pwd.struct_passwd:
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresUnavailable("running as root, and no 'postgres' or 'nobody' user to run the server as")


class Cluster:
    """One throwaway PostgreSQL server; ``url(dbname)`` to connect, ``stop()``/``start()`` to take it away."""

    def __init__(self, *, durable: bool = False) -> None:
        try:
            import psycopg  # noqa: F401
            from pytest_postgresql.executors import PostgreSQLExecutor
        except ImportError as e:
            raise PostgresUnavailable(f"{e.name} is not installed (pip install -e '.[test]')") from None
        pg_ctl = find_pg_ctl()
        if pg_ctl is None:
            raise PostgresUnavailable(
                "no PostgreSQL server binaries (pg_ctl, initdb) found: apt-get install postgresql"
            )
        self.base = Path(tempfile.mkdtemp(prefix="idnkit-pg-"))
        executable = pg_ctl
        if os.geteuid() == 0:
            user = _unprivileged_user()
            os.chown(self.base, user.pw_uid, user.pw_gid)
            executable = str(self.base / "pg_ctl-as-user")
            Path(executable).write_text(
                f"#!{sys.executable}\n"
                "# pg_ctl, initdb and postgres refuse root: drop to an unprivileged user first.\n"
                "import os, sys\n"
                f"os.setgroups([]); os.setgid({user.pw_gid}); os.setuid({user.pw_uid})\n"
                f"os.environ['HOME'] = {str(self.base)!r}\n"
                f"os.execv({pg_ctl!r}, [{pg_ctl!r}, *sys.argv[1:]])\n",
                encoding="utf-8",
            )
            os.chmod(executable, 0o755)
        self.port = _free_port()
        # pytest-postgresql starts the server with -F (fsync off), right for tests; a benchmark of
        # durable commits turns fsync back on (a later -c wins) and keeps synchronous_commit on.
        options = "-c fsync=on -c synchronous_commit=on" if durable else ""
        self.executor: Any = PostgreSQLExecutor(
            executable=executable,
            host="127.0.0.1",
            port=self.port,
            datadir=str(self.base / "data"),
            unixsocketdir=str(self.base),
            logfile=str(self.base / "postgresql.log"),
            startparams="-w",
            dbname="postgres",
            user="postgres",
            postgres_options=options,
        )
        self._databases = 0
        try:
            self.start()
        except Exception as e:
            log = self.base / "postgresql.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            self.close()
            raise PostgresUnavailable(f"the PostgreSQL server did not start: {e}\n{tail}") from None

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; its URL."""
        import psycopg
        from psycopg import sql

        self._databases += 1
        name = f"{prefix}{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def _wait_ready(self, timeout: float = 60.0) -> None:
        # The executor returns once the port accepts connections; the server may still be starting
        # ("the database system is starting up") for a moment after that.
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=5).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.executor.stop()

    def start(self) -> None:
        self.executor.start()
        self._wait_ready()

    def running(self) -> bool:
        return bool(self.executor.running())

    def close(self) -> None:
        try:
            if self.executor_started():
                self.executor.stop()
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def executor_started(self) -> bool:
        return hasattr(self, "executor") and (self.base / "data" / "postmaster.pid").exists()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cluster_or_skip(**options: Any) -> Cluster:
    """A new :class:`Cluster`, or the test skipped saying why (failed when CI requires PostgreSQL)."""
    import pytest

    try:
        return Cluster(**options)
    except PostgresUnavailable as e:
        if required():
            pytest.fail(f"{REQUIRE_ENV}=1 but PostgreSQL cannot be used: {e}", pytrace=False)
        pytest.skip(f"PostgreSQL tests need a server: {e}")
