"""Registry stores: schema versions and migrations, storage errors as clear messages, store URLs.

Issue 14 §3 (versioned schema migrations; a newer schema refused) and issue 21 item 7 (SQLite
errors as tracebacks, no schema version, a foreign ``keys`` table accepted, "database is locked"
when several processes open a new registry at once).
"""

from __future__ import annotations

import multiprocessing
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from idnkit.policy import (
    PG_SCHEMA_VERSION,
    SQLITE_SCHEMA_VERSION,
    MemoryStore,
    PostgresStore,
    Registry,
    RegistryError,
    RegistrySchemaError,
    RegistryStorageError,
    RegistryUnavailableError,
    SQLiteStore,
    _pgstore,
    _registry,
    display_url,
    store_from_url,
)
from idnkit.policy._migrations import Migration
from idnkit.policy._registry import sqlite_error

from .test_registry import make_policy

# The schema the first releases wrote (idnkit 0.1, before schema versions): copied verbatim, so a
# file they made is what this test opens.
FIRST_RELEASE_SCHEMA = """
CREATE TABLE IF NOT EXISTS names (
    name TEXT PRIMARY KEY, alabel TEXT NOT NULL, registrant TEXT NOT NULL, root TEXT NOT NULL,
    policy_version TEXT NOT NULL, registered_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS names_root ON names(root);
CREATE TABLE IF NOT EXISTS keys (
    kind TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL REFERENCES names(name) ON DELETE CASCADE,
    PRIMARY KEY (kind, key, name)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keys_name ON keys(name);
CREATE TABLE IF NOT EXISTS reservations (
    label TEXT PRIMARY KEY, root TEXT NOT NULL, registrant TEXT NOT NULL, disposition TEXT NOT NULL,
    action TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reservations_root ON reservations(root);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(kind, where): a SQLite file path or a PostgreSQL database URL, nothing created in it yet."""
    if request.param == "sqlite":
        yield "sqlite", str(tmp_path / "reg.sqlite")
    else:
        yield "postgres", request.getfixturevalue("postgres_url")


def _open(kind: str, where: str) -> SQLiteStore | PostgresStore:
    return SQLiteStore(where) if kind == "sqlite" else PostgresStore(where)


def _sql(kind: str, where: str, statement: str) -> list[tuple[object, ...]]:
    """Run one statement on the database behind the store's back (in the store's PostgreSQL schema)."""
    if kind == "sqlite":
        db = sqlite3.connect(where, isolation_level=None)
        try:
            return db.execute(statement).fetchall()
        finally:
            db.close()
    import psycopg

    with psycopg.connect(where, autocommit=True) as conn:
        conn.execute("SET search_path TO idnkit")
        cur = conn.execute(statement)  # type: ignore[call-overload]
        return list(cur.fetchall()) if cur.description else []


# --- versions ------------------------------------------------------------------------------------


def test_a_new_database_is_created_at_the_current_version_and_reopened_as_it_is(backend: tuple[str, str]) -> None:
    kind, where = backend
    version = SQLITE_SCHEMA_VERSION if kind == "sqlite" else PG_SCHEMA_VERSION
    with _open(kind, where) as store:
        assert store.schema_version == version
        assert Registry(make_policy(), store).add("coop", "alice").ok
    assert _sql(kind, where, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(version),)]
    with _open(kind, where) as store:
        assert [n.name for n in Registry(make_policy(), store).names()] == ["coop"]


def test_a_database_newer_than_the_code_is_refused_naming_both_versions(backend: tuple[str, str]) -> None:
    kind, where = backend
    with _open(kind, where) as store:
        Registry(make_policy(), store).add("coop", "alice")
    _sql(kind, where, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(RegistrySchemaError) as caught:
        _open(kind, where)
    supported = SQLITE_SCHEMA_VERSION if kind == "sqlite" else PG_SCHEMA_VERSION
    assert (caught.value.found, caught.value.supported) == (99, supported)
    message = str(caught.value)
    assert f"schema version 99, newer than version {supported}" in message and "upgrade idnkit" in message
    assert (where if kind == "sqlite" else "/t") in message  # the file, or the server and database
    # Nothing was changed: the newer release still finds its database as it left it.
    assert _sql(kind, where, "SELECT value FROM meta WHERE key = 'schema_version'") == [("99",)]
    assert _sql(kind, where, "SELECT name FROM names") == [("coop",)]


def test_a_version_that_is_not_a_number_is_refused(backend: tuple[str, str]) -> None:
    kind, where = backend
    _open(kind, where).close()
    _sql(kind, where, "UPDATE meta SET value = 'two' WHERE key = 'schema_version'")
    with pytest.raises(RegistrySchemaError, match="schema_version 'two' in the meta table is not a number"):
        _open(kind, where)


def test_an_older_database_gets_the_migrations_after_its_version(
    backend: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    kind, where = backend
    with _open(kind, where) as store:
        assert Registry(make_policy(), store).add("中国", "alice").ok  # a version-1 database with a bundle
    # The next release: one more version adds an index.  Opening the current database migrates it.
    module, name = (_registry, "_SQLITE_MIGRATIONS") if kind == "sqlite" else (_pgstore, "_PG_MIGRATIONS")
    nxt = len(getattr(module, name)) + 1
    step = Migration(nxt, "an index by registrant", ("CREATE INDEX names_registrant ON names (registrant)",))
    monkeypatch.setattr(module, name, (*getattr(module, name), step))
    monkeypatch.setattr(module, "SQLITE_SCHEMA_VERSION" if kind == "sqlite" else "PG_SCHEMA_VERSION", nxt)
    with _open(kind, where) as store:
        assert [n.name for n in Registry(make_policy(), store).names()] == ["中国", "中國"]
    assert _sql(kind, where, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(nxt),)]
    if kind == "sqlite":
        indexes = _sql(kind, where, "SELECT name FROM sqlite_master WHERE type = 'index'")
    else:
        indexes = _sql(kind, where, "SELECT indexname FROM pg_indexes WHERE schemaname = 'idnkit'")
    assert ("names_registrant",) in indexes
    with _open(kind, where):  # migrated once: opening again applies nothing (a second CREATE INDEX would fail)
        pass


def test_a_first_release_sqlite_file_is_recognised_and_stamped(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(FIRST_RELEASE_SCHEMA)
    db.execute("INSERT INTO names VALUES ('coop', 'coop', 'alice', 'coop', '1', '2024-01-01T00:00:00+00:00')")
    db.execute("INSERT INTO keys VALUES ('skeleton', 'coop', 'coop')")
    db.commit()
    db.close()
    with SQLiteStore(path) as store:
        reg = Registry(make_policy(), store)
        assert [n.name for n in reg.names()] == ["coop"]
        assert not reg.can_register("соор", "mallory").ok  # its conflict keys still work
    # Stamped and migrated to the current version (version 1 is its schema; 2 adds the reviews table).
    stamp = _sql("sqlite", str(path), "SELECT value FROM meta WHERE key = 'schema_version'")
    assert stamp == [(str(SQLITE_SCHEMA_VERSION),)]


def test_a_keys_table_of_another_shape_is_refused_not_written_around(tmp_path: Path) -> None:
    # Issue 21: such a table took adds with exit 0 and stored no conflict keys (INSERT OR IGNORE).
    path = tmp_path / "odd.sqlite"
    db = sqlite3.connect(path)
    odd = FIRST_RELEASE_SCHEMA.replace("kind TEXT NOT NULL, key TEXT NOT NULL, name", "k TEXT, name")
    db.executescript(odd.replace("PRIMARY KEY (kind, key, name)", "PRIMARY KEY (k, name)"))
    db.close()
    with pytest.raises(RegistrySchemaError) as caught:
        SQLiteStore(path)
    assert str(caught.value) == (
        f"{path}: not a registry database of the expected shape: "
        "table keys lacks column(s) kind, key and has unknown column(s) k"
    )


def test_a_database_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
    db.close()
    with pytest.raises(
        RegistrySchemaError, match=r"app\.sqlite: not a registry database: it holds other tables \(users\)"
    ):
        SQLiteStore(path)
    assert _sql("sqlite", str(path), "SELECT name FROM sqlite_master") == [("users",)]  # left as it was


def test_a_postgres_schema_holding_other_tables_is_refused(postgres_url: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA srs")
        conn.execute("CREATE TABLE srs.domains (id int)")
    with pytest.raises(
        RegistrySchemaError, match=r"\(schema srs\): not a registry schema: it holds tables \(domains\)"
    ):
        PostgresStore(postgres_url, schema="srs")
    with PostgresStore(postgres_url, schema="registry_se") as store:  # a schema of its own is fine
        assert Registry(make_policy(), store).add("coop", "alice").ok


# --- SQLite errors: clear messages naming the file (issue 21) --------------------------------------


def test_a_corrupt_sqlite_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with SQLiteStore(path) as store:
        reg = Registry(make_policy(), store)
        for i in range(300):
            reg.add(f"n{i}", "alice")
    data = bytearray(path.read_bytes())
    for offset in range(2 * 4096, len(data), 4096):  # spoil every page after the first two
        data[offset : offset + 100] = b"\xff" * 100
    path.write_bytes(bytes(data))
    with pytest.raises(RegistryError) as caught:
        Registry(make_policy(), SQLiteStore(path)).names()
    assert str(caught.value).startswith(f"{path}: the registry database is corrupt; restore it from a backup")


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n" * 1000)
    with pytest.raises(RegistryError) as caught:
        SQLiteStore(tmp_path / "notes.txt")
    assert str(caught.value).startswith(f"{tmp_path / 'notes.txt'}: not an SQLite database")
    with pytest.raises(RegistryError, match="does its folder exist"):
        SQLiteStore(tmp_path / "no" / "such" / "folder.sqlite")


def test_a_lock_held_too_long_is_unavailable_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    SQLiteStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        store = SQLiteStore(path, timeout=0.2)
        with pytest.raises(RegistryUnavailableError) as caught:
            Registry(make_policy(), store)
        assert str(caught.value).startswith(
            f"{path}: the registry database is locked by another process (waited 0.2 s)"
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Registry(make_policy(), store).add("coop", "alice").ok  # free again
    store.close()


def test_sqlite_read_only_and_full_disk_errors_name_the_file(tmp_path: Path) -> None:
    # As root (CI) file modes do not stop a write, so the error comes from a read-only connection.
    path = tmp_path / "ro.sqlite"
    SQLiteStore(path).close()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as raised:
        db.execute("INSERT INTO meta VALUES ('a', 'b')")
    db.close()
    error = sqlite_error(str(path), raised.value, "cannot add")
    assert type(error) is RegistryStorageError
    assert str(error) == (
        f"{path}: the registry database is read-only; it needs write access to the file and its folder "
        "(cannot add: attempt to write a readonly database)"
    )


def _open_new(path: str, barrier: object, results: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    try:
        Registry(make_policy(), SQLiteStore(path)).names()
        results.put("ok")  # type: ignore[attr-defined]
    except RegistryError as e:
        results.put(str(e))  # type: ignore[attr-defined]


def test_eight_processes_opening_a_new_registry_at_once(tmp_path: Path) -> None:
    # Issue 21: one of eight once got "database is locked" (switching to WAL does not wait for locks).
    for round_ in range(3):
        path = str(tmp_path / f"new{round_}.sqlite")
        ctx = multiprocessing.get_context("fork")
        barrier, results = ctx.Barrier(8), ctx.Queue()
        procs = [ctx.Process(target=_open_new, args=(path, barrier, results)) for _ in range(8)]
        for p in procs:
            p.start()
        outcomes = [results.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert outcomes == ["ok"] * 8


# --- PostgreSQL: unreachable, misconfigured -------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nothing listens there


def test_a_server_that_is_down_is_unavailable_and_the_password_is_never_shown() -> None:
    url = f"postgresql://registry:s3cret@127.0.0.1:{_closed_port()}/registry"
    with pytest.raises(RegistryUnavailableError) as caught:
        PostgresStore(url, connect_timeout=2)
    message = str(caught.value)
    assert message.startswith("postgresql://registry@127.0.0.1:") and "unavailable" in message
    assert "s3cret" not in message


def test_a_missing_database_is_a_configuration_error_not_an_outage(postgres_cluster: object) -> None:
    url = postgres_cluster.url("no_such_database")  # type: ignore[attr-defined]
    with pytest.raises(RegistryError) as caught:
        PostgresStore(url)
    assert type(caught.value) is RegistryStorageError  # not RegistryUnavailableError: waiting will not help
    assert 'database "no_such_database" does not exist' in str(caught.value)


# --- store URLs ------------------------------------------------------------------------------------


def test_store_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert isinstance(store_from_url("memory:"), MemoryStore)
    for url, path in [
        ("plain.sqlite", tmp_path / "plain.sqlite"),
        ("sqlite:///rel.sqlite", tmp_path / "rel.sqlite"),
        (f"sqlite:///{tmp_path / 'abs.sqlite'}", tmp_path / "abs.sqlite"),  # four slashes: absolute
        ("sqlite:///sp%20ace.sqlite", tmp_path / "sp ace.sqlite"),
    ]:
        store = store_from_url(url)
        assert isinstance(store, SQLiteStore) and Path(store.path).resolve() == path, url
        store.close()
    with pytest.raises(RegistryError, match="unknown registry database URL scheme 'mysql'"):
        store_from_url("mysql://root:pw@db/registry")
    with pytest.raises(RegistryError, match="sqlite:///relative/path or sqlite:////absolute/path"):
        store_from_url("sqlite://host/x.sqlite")
    assert (
        display_url("postgresql://registry:s3cret@db.example:5433/reg") == "postgresql://registry@db.example:5433/reg"
    )
    assert display_url("reg.sqlite") == "reg.sqlite"


def test_a_postgres_url_with_its_schema(postgres_url: str) -> None:
    store = store_from_url(f"{postgres_url}?schema=se_registry&application_name=srs1", timeout=2.0)
    assert isinstance(store, PostgresStore) and (store.schema, store.timeout) == ("se_registry", 2.0)
    with store:
        assert Registry(make_policy(), store).add("coop", "alice").ok
    import psycopg

    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT name FROM se_registry.names").fetchall() == [("coop",)]
