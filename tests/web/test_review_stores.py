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
    SQLiteStore(path).close()  # the queue's rows are meta rows: the file still opens at its version


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
