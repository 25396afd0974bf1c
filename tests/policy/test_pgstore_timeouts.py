"""PostgresStore on a server that is up but does not do the work in time (issue 14 §5, under load).

A statement past ``statement_timeout`` (SQLSTATE 57014) and a row or table lock held past
``lock_timeout`` (55P03) are forced here with a lock another connection holds: each raises a
:class:`RegistryBusyError` naming its cause (a :class:`RegistryUnavailableError`, so a service answers
503), never a bare psycopg error; the transaction was rolled back, so :class:`Registry` runs the
operation again, and it succeeds once the lock is gone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from idnkit.policy import (
    PostgresStore,
    Registry,
    RegistryBusyError,
    RegistryError,
    RegistryRetryError,
    RegistryUnavailableError,
    store_from_url,
)

from .test_registry import make_policy

psycopg = pytest.importorskip("psycopg", reason="the postgres extra is not installed")


@contextmanager
def locked(url: str, table: str) -> Iterator[psycopg.Connection]:  # type: ignore[type-arg]
    """``table`` of the registry's schema locked against every reader until the block ends (or rollback())."""
    with psycopg.connect(url) as conn:
        conn.execute(f"LOCK TABLE idnkit.{table} IN ACCESS EXCLUSIVE MODE")  # opens a transaction
        try:
            yield conn
        finally:
            conn.rollback()


def test_a_statement_past_statement_timeout_is_busy_and_the_store_works_afterwards(postgres_url: str) -> None:
    with PostgresStore(postgres_url, statement_timeout=0.2, lock_timeout=30) as store:
        with locked(postgres_url, "meta"), pytest.raises(RegistryBusyError) as caught, store.transaction() as txn:
            txn.meta("schema_version")
        assert caught.value.cause == "statement_timeout"
        assert isinstance(caught.value, RegistryUnavailableError) and not caught.value.outcome_unknown
        assert "canceling statement due to statement timeout" in str(caught.value)
        assert "postgresql://postgres@127.0.0.1" in str(caught.value)
        with store.transaction() as txn:  # the pooled connection was rolled back, not lost
            assert txn.meta("schema_version") is not None


def test_a_lock_held_past_lock_timeout_is_a_retry_naming_it(postgres_url: str) -> None:
    with PostgresStore(postgres_url, lock_timeout=0.05) as store:
        with locked(postgres_url, "names"), pytest.raises(RegistryRetryError) as caught, store.transaction() as txn:
            txn.get("bucher")
        assert caught.value.cause == "lock_timeout"
        assert isinstance(caught.value, RegistryBusyError)
        with store.transaction() as txn:
            assert txn.get("bucher") is None


def test_registry_gives_up_on_statement_timeouts_after_busy_attempts(postgres_url: str) -> None:
    with PostgresStore(postgres_url, statement_timeout=0.1, lock_timeout=30) as store:
        reg = Registry(make_policy(), store, busy_attempts=3)
        with locked(postgres_url, "names"), pytest.raises(RegistryBusyError) as caught:
            reg.add("bucher", "alice")
        assert caught.value.cause == "statement_timeout" and "gave up after 3 attempts" in str(caught.value)
        assert reg.timeouts == 2
        assert reg.get("bucher") is None  # nothing half written
        assert reg.add("bucher", "alice").ok


def test_registry_gives_up_on_lock_timeouts_after_its_attempts(postgres_url: str) -> None:
    with PostgresStore(postgres_url, lock_timeout=0.01) as store:
        reg = Registry(make_policy(), store, attempts=4)
        with locked(postgres_url, "names"), pytest.raises(RegistryRetryError) as caught:
            reg.add("bucher", "alice")
        assert caught.value.cause == "lock_timeout" and "gave up after 4 attempts" in str(caught.value)
        assert reg.retries == 3
        assert reg.add("bucher", "alice").ok


@pytest.mark.parametrize(
    ("options", "counter"),
    [({"statement_timeout": 0.5, "lock_timeout": 30}, "timeouts"), ({"lock_timeout": 0.05}, "retries")],
    ids=["statement_timeout", "lock_timeout"],
)
def test_an_add_run_again_succeeds_once_the_lock_is_gone(
    postgres_url: str, options: dict[str, float], counter: str
) -> None:
    with PostgresStore(postgres_url, **options) as store:
        reg = Registry(make_policy(), store, attempts=400, busy_attempts=400)
        outcome: list[object] = []
        with locked(postgres_url, "names") as holder:
            worker = threading.Thread(target=lambda: outcome.append(reg.add("bücher", "alice")))
            worker.start()
            deadline = time.monotonic() + 60
            while getattr(reg, counter) < 1 and time.monotonic() < deadline:  # one attempt failed
                time.sleep(0.005)
            assert getattr(reg, counter) >= 1
            holder.rollback()  # the lock goes while the add is being run again
            worker.join(timeout=60)
        assert len(outcome) == 1 and getattr(outcome[0], "ok", False), outcome
        assert [r.name for r in reg.names()] == ["bücher"]


def test_timeouts_in_the_url(postgres_url: str) -> None:
    store = store_from_url(f"{postgres_url}?statement_timeout=0.2&lock_timeout=30")
    try:
        with locked(postgres_url, "meta"), pytest.raises(RegistryBusyError) as caught, store.transaction() as txn:
            txn.meta("schema_version")
        assert caught.value.cause == "statement_timeout"
    finally:
        store.close()  # type: ignore[attr-defined]
    with pytest.raises(RegistryError, match=r"statement_timeout='soon' must be seconds"):
        store_from_url(f"{postgres_url}?statement_timeout=soon")
