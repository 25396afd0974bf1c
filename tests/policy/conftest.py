"""The registry suite runs against every store: memory, SQLite and PostgreSQL (one parametrized fixture)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from idnkit.policy import MemoryStore, PostgresStore, RegistryStore, SQLiteStore

STORES = ["memory", "sqlite", "postgres"]

OpenStore = Callable[[], RegistryStore]


@pytest.fixture(params=STORES)
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenStore]:
    """Opens a store on this test's registry database; each call is a new store (a new connection,
    as a second front end or a later run would open) on the same data.  The memory store has no
    database apart from itself, so every call returns the same one."""
    opened: list[SQLiteStore | PostgresStore] = []
    if request.param == "memory":
        memory = MemoryStore()

        def open_memory() -> RegistryStore:
            return memory

        yield open_memory
        return
    if request.param == "sqlite":

        def open_sqlite() -> RegistryStore:
            opened.append(SQLiteStore(tmp_path / "reg.sqlite"))
            return opened[-1]

        factory: OpenStore = open_sqlite
    else:
        url = request.getfixturevalue("postgres_url")

        def open_postgres() -> RegistryStore:
            opened.append(PostgresStore(url))
            return opened[-1]

        factory = open_postgres
    try:
        yield factory
    finally:
        for store in opened:
            store.close()
