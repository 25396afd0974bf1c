"""A registration that fails after its first write leaves nothing behind (issue 20 point 7: a
``ROLLBACK`` mutated to ``COMMIT`` would commit half a bundle).

``中国`` bundles ``中國`` (tests/policy/test_registry.py's policy): :meth:`Registry.add` writes the
root, its reservations and keys, then the variant, in one ``insert_bundle`` (one statement on
PostgreSQL).  The transaction is made to fail once its writes are done, once with an error of the
database itself and once with a Python exception, and the database is then read through a
connection of its own (sqlite3, psycopg), not through the store that failed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from idnkit.policy import Registry, RegistryError, _pgstore, _registry

from .conftest import STORES, OpenStore
from .test_registry import make_policy

TABLES = ("names", "keys", "reservations")


def _rows(kind: str, request: pytest.FixtureRequest, tmp_path: Path, open_store: OpenStore) -> dict[str, int]:
    """Rows of each registry table, read apart from the store under test."""
    if kind == "sqlite":
        db = sqlite3.connect(tmp_path / "reg.sqlite")
        try:
            return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        finally:
            db.close()
    if kind == "postgres":
        import psycopg

        with psycopg.connect(request.getfixturevalue("postgres_url")) as conn:
            return {t: conn.execute(f"SELECT count(*) FROM idnkit.{t}").fetchone()[0] for t in TABLES}  # type: ignore[index]
    store = open_store()  # the memory store has no database apart from itself: its committed state
    with store.transaction() as txn:
        names = txn.names()
        return {
            "names": len(names),
            "keys": sum(len(txn.holders([k])) for n in names for k in make_policy().conflict_keys(n.name)),
            "reservations": sum(len(txn.reservations(n.root)) for n in names if n.is_root),
        }


def _database_error(kind: str) -> Callable[[Any], None]:
    """What the database itself raises on a statement it cannot run, inside the open transaction."""
    if kind == "sqlite":
        return lambda txn: txn.db.execute("INSERT INTO no_such_table VALUES (1)")
    if kind == "postgres":
        return lambda txn: txn.conn.execute("INSERT INTO no_such_table VALUES (1)")

    def fail(txn: Any) -> None:
        raise RuntimeError("the memory store has no database to fail")

    return fail


TXN = {"memory": _registry._MemoryTxn, "sqlite": _registry._SQLiteTxn, "postgres": _pgstore._PgTxn}


@pytest.mark.parametrize("failure", ["database", "python"])
def test_a_bundle_failing_after_its_first_write_is_rolled_back(
    open_store: OpenStore,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
) -> None:
    kind = request.node.callspec.params["open_store"]
    assert kind in STORES
    reg = Registry(make_policy(), open_store())
    assert reg.add("coop", "alice").ok
    before = _rows(kind, request, tmp_path, open_store)
    assert before["names"] == 1 and before["keys"] > 0

    txn_class = TXN[kind]
    real_insert_bundle = txn_class.insert_bundle
    writes: list[str] = []

    def insert_bundle(self: Any, records: Any, reservations: Any) -> None:
        real_insert_bundle(self, records, reservations)
        writes.extend(record.name for record, _ in records)
        # The bundle and its reservations are written by now, in the open transaction.
        if failure == "database":
            _database_error(kind)(self)
        raise RuntimeError("failure after the bundle's writes")

    monkeypatch.setattr(txn_class, "insert_bundle", insert_bundle)
    with pytest.raises((RegistryError, RuntimeError)):
        reg.add("中国", "bob")
    assert writes == ["中国", "中國"]  # the failure came after the writes
    assert _rows(kind, request, tmp_path, open_store) == before  # nothing of the bundle committed
    monkeypatch.setattr(txn_class, "insert_bundle", real_insert_bundle)
    fresh = Registry(make_policy(), open_store())
    assert [n.name for n in fresh.names()] == ["coop"]
    assert fresh.get("中国") is None and fresh.get("中國") is None
    assert fresh.add("中国", "bob").ok  # the store is usable again, and the whole bundle goes in
    assert sorted(n.name for n in fresh.names()) == ["coop", "中国", "中國"]
