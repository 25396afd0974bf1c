"""A registry writer killed with SIGKILL at random points, 50 times (issue 18 §4).

Each round forks a writer that adds names with a bundled variant (学 → 學: every add writes two
names in one transaction) and reports each add on a pipe once ``add`` has returned (acknowledged);
it is killed after a random delay, mid-transaction or not.  After each kill the database must pass
its integrity check, hold every acknowledged name, and hold no half bundle: every root with its
variant, every variant with its root.  The same database carries on through all the rounds.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from idnkit.policy import PostgresStore, Registry, RegistryStore, SQLiteStore

from .test_registry import make_policy

ROUNDS = 50


def _writer(open_store: Callable[[], RegistryStore], round_: int, ack: int) -> None:
    reg = Registry(make_policy(), open_store())
    for i in range(100_000):
        name = f"大学{round_:02d}{i:05d}"
        if reg.add(name, f"r{round_}").ok:
            os.write(ack, name.encode() + b"\n")  # acknowledged: add returned, the transaction committed


def _read_all(fd: int) -> list[str]:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return [line.decode() for line in b"".join(chunks).splitlines()]


def _kill_writers(open_store: Callable[[], RegistryStore], check_integrity: Callable[[], None]) -> None:
    rng = random.Random(18)
    ctx = multiprocessing.get_context("fork")
    acknowledged: list[str] = []
    for round_ in range(ROUNDS):
        read, write = os.pipe()
        child = ctx.Process(target=_writer, args=(open_store, round_, write))
        child.start()
        os.close(write)
        time.sleep(rng.uniform(0.05, 0.6))  # a random point: opening, mid-add, between adds, committing
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(timeout=60)
        assert child.exitcode == -signal.SIGKILL, f"round {round_}: the writer ended before it was killed"
        acknowledged += _read_all(read)
        os.close(read)
        check_integrity()
        records = {r.name: r for r in Registry(make_policy(), open_store()).names()}
        missing = [name for name in acknowledged if name not in records]
        assert not missing, f"round {round_}: acknowledged adds lost: {missing[:5]}"
        for record in records.values():
            variant = record.name.replace("学", "學")
            if record.is_root:
                assert variant in records and records[variant].root == record.name, f"half bundle: {record}"
            else:
                assert record.root in records and record.root.replace("学", "學") == record.name, record
    assert len(acknowledged) >= ROUNDS, "the writers hardly wrote: the kills did not land mid-work"


def test_sqlite_survives_fifty_kills(tmp_path: Path) -> None:
    db = tmp_path / "reg.sqlite"
    SQLiteStore(db).close()

    def integrity() -> None:
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    _kill_writers(lambda: SQLiteStore(db), integrity)


@pytest.mark.slow
def test_postgres_survives_fifty_kills(postgres_url: str) -> None:
    PostgresStore(postgres_url).close()

    def integrity() -> None:
        import psycopg

        with psycopg.connect(postgres_url) as conn:  # the server itself must still answer every table
            for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall():
                conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()

    _kill_writers(lambda: PostgresStore(postgres_url, max_size=1), integrity)
