"""The review queue lives in the registry store: the same flow on SQLite and on PostgreSQL, and it
survives a restart of the console (the queue is the database's, not the process's)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from idnkit.policy import SQLiteStore, store_from_url
from idnkit.web._review import ReviewQueue

from .conftest import Console, csrf_of


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_queue_records_who_when_what_why(db_url: str) -> None:
    store = store_from_url(db_url)
    try:
        queue = ReviewQueue(store)
        item = queue.submit("paypäl.se", "reg-1", ["looks like paypal.se"], "clara")
        queue.decide(item.id, "amira", "refused", "a look-alike of a bank")
        with pytest.raises(Exception, match="already refused"):
            queue.decide(item.id, "amira", "approved", "changed my mind")
        history = queue.history("paypäl.se")
        assert [(d.who, d.what, d.why) for _, d in history] == [
            ("clara", "submitted", "looks like paypal.se"),
            ("amira", "refused", "a look-alike of a bank"),
        ]
        assert all(d.when.endswith("+00:00") for _, d in history)
    finally:
        close = getattr(store, "close", None)
        if close:
            close()
    reopened = store_from_url(db_url)  # a new process sees the same queue
    try:
        assert [i.status for i in ReviewQueue(reopened).items()] == ["refused"]
    finally:
        close = getattr(reopened, "close", None)
        if close:
            close()


def test_the_sqlite_file_keeps_its_schema(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    store = SQLiteStore(path)
    ReviewQueue(store).submit("x.se", "r", ["why"], "clara")
    store.close()
    SQLiteStore(path).close()  # the queue is in its own table: the file reopens at its version without migrating


def test_approve_in_the_console_on_each_store(fresh_console: Callable[..., Console], db_url: str) -> None:
    served = fresh_console(db=db_url)
    with served.login("clara") as c:
        page = c.get("/check", params={"name": "paypäl.se"})
        r = c.post("/register", data={"csrf": csrf_of(page.text), "name": "paypäl.se", "registrant": "reg-5"})
        assert "Sent to the review queue" in r.text
        queue = c.get("/review").text
        item = queue.split('action="/review/')[1].split('"')[0]
        r = c.post(f"/review/{item}", data={"csrf": csrf_of(queue), "decision": "approve", "reason": "own mark"})
        assert "Registered to reg-5" in r.text and "<td>approved</td>" in r.text
    again = fresh_console(db=db_url)  # another console on the same database
    with again.login("vera") as c:
        assert "<td>approved</td>" in c.get("/history", params={"name": "paypäl.se"}).text


# Review items as the console wrote them before schema version 2: JSON rows in meta under
# review:<id> keys, listed by review:index (copied from the version-1 ReviewQueue's output).
_OLD_ITEMS = [
    {"id": "a1", "name": "paypäl.se", "registrant": "reg-1", "reasons": ["looks like paypal.se"], "status": "refused",
     "history": [{"who": "clara", "when": "2026-01-01T10:00:00+00:00", "what": "submitted",
                  "why": "looks like paypal.se"},
                 {"who": "amira", "when": "2026-01-02T09:00:00+00:00", "what": "refused", "why": "a bank"}]},
    {"id": "b2", "name": "中國.se", "registrant": "reg-2", "reasons": ["on-request variant"], "status": "open",
     "history": [{"who": "clara", "when": "2026-01-03T10:00:00+00:00", "what": "submitted",
                  "why": "on-request variant"}]},
]  # fmt: skip


def _version_1_with_reviews(db_url: str) -> None:
    """A version-1 database (the first migration only) holding the old meta rows."""
    import json

    from idnkit.policy import _pgstore, _registry

    rows = [(f"review:{i['id']}", json.dumps(i, ensure_ascii=False)) for i in _OLD_ITEMS]
    rows += [("review:index", json.dumps([i["id"] for i in _OLD_ITEMS])), ("schema_version", "1")]
    if db_url.startswith("sqlite:///"):
        import sqlite3

        db = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        for statement in _registry._SQLITE_MIGRATIONS[0].statements:
            db.execute(statement)
        db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", rows)
        db.commit()
        db.close()
        return
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA idnkit")
        conn.execute("SET search_path TO idnkit")
        for statement in _pgstore._PG_MIGRATIONS[0].statements:
            conn.execute(statement)  # type: ignore[call-overload]
        conn.cursor().executemany("INSERT INTO meta (key, value) VALUES (%s, %s)", rows)


def _meta_keys(store: object) -> list[str]:
    with store.transaction() as txn:  # type: ignore[attr-defined]
        return [k for k in ("review:a1", "review:b2", "review:index") if txn.meta(k) is not None]


def test_version_1_review_rows_move_into_the_reviews_table(db_url: str) -> None:
    _version_1_with_reviews(db_url)
    store = store_from_url(db_url)
    try:
        assert store.schema_version == 2  # type: ignore[attr-defined]
        queue = ReviewQueue(store)
        assert [(i.id, i.name, i.status) for i in queue.items()] == [
            ("a1", "paypäl.se", "refused"),
            ("b2", "中國.se", "open"),
        ]
        assert [i.id for i in queue.items("open")] == ["b2"] and queue.count("refused") == 1
        assert [(d.who, d.what) for _, d in queue.history("paypäl.se")] == [
            ("clara", "submitted"),
            ("amira", "refused"),
        ]
        with store.transaction() as txn:
            row = txn.review("a1")
        assert row is not None
        assert (row.kind, row.decided_by, row.decided_at, row.decision_reason, row.created_at) == (
            "registration", "amira", "2026-01-02T09:00:00+00:00", "a bank", "2026-01-01T10:00:00+00:00"
        )  # fmt: skip
        assert _meta_keys(store) == []  # moved, not copied
        queue.decide("b2", "amira", "approved", "own mark")  # the migrated open item is decided as any other
    finally:
        store.close()  # type: ignore[attr-defined]
    reopened = store_from_url(db_url)  # migrated once: opening again changes nothing
    try:
        assert [i.status for i in ReviewQueue(reopened).items()] == ["refused", "approved"]
    finally:
        reopened.close()  # type: ignore[attr-defined]


def test_the_queue_pages_and_has_no_bound(db_url: str) -> None:
    store = store_from_url(db_url)
    try:
        queue = ReviewQueue(store)
        ids = [queue.submit(f"n{i}.se", "r", ["why"], "clara").id for i in range(25)]
        assert queue.count("open") == 25
        assert [i.id for i in queue.items("open", limit=10, offset=20)] == ids[20:]  # filing order
        assert [i.id for i in queue.items("open", limit=10)] == ids[:10]
        queue.decide(ids[0], "amira", "refused", "no")
        assert queue.count("open") == 24 and [i.id for i in queue.items("refused")] == [ids[0]]
    finally:
        store.close()  # type: ignore[attr-defined]


def test_the_memory_store_keeps_a_queue() -> None:
    from idnkit.policy import MemoryStore

    queue = ReviewQueue(MemoryStore())
    first = queue.submit("a.se", "r", ["why"], "clara")
    second = queue.submit("b.se", "r", ["why"], "clara")
    queue.decide(first.id, "amira", "approved", "fine")
    assert [i.id for i in queue.items("open")] == [second.id]
    assert [(i.id, i.status) for i in queue.items()] == [(first.id, "approved"), (second.id, "open")]
    assert queue.get("nope") is None
