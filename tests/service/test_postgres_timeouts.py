"""The service on a PostgreSQL server that is up but does not do the work in time (issue 14 §5).

Under load the bench once saw ``canceling statement due to statement timeout`` escape a request.  A
statement cut by ``statement_timeout`` and a lock held past ``lock_timeout`` (forced here by a lock
another connection holds) are answered 503 with Retry-After and an ``idnkit.error/1`` body naming the
cause, as a server that is down is; the registry runs the rolled-back transaction again first, so a
lock that goes away while it does costs the client nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from idnkit.policy import PostgresStore
from idnkit.service import ServiceConfig, create_app
from idnkit.service._resources import Resources

from .._uvicorn import serve_app
from ..policy.test_pgstore_timeouts import locked
from .conftest import Live, write_tokens

Start = Callable[..., tuple[Live, Resources]]


@pytest.fixture
def start(tmp_path: Path, postgres_url: str) -> Iterator[Start]:
    """``start(**store_options)``: the service (policy cn) on a PostgresStore with those timeouts."""
    stops: list[Callable[[], None]] = []

    def make(**store_options: Any) -> tuple[Live, Resources]:
        tokens_file = tmp_path / f"tokens{len(stops)}.toml"
        tokens = write_tokens(tokens_file)
        config = ServiceConfig(tokens=str(tokens_file), policy="cn")
        res = Resources.load(config)
        res.store = PostgresStore(postgres_url, **store_options)
        stop, url = serve_app(create_app(config, resources=res), what="the service", timeout=30)
        stops.append(stop)
        return Live(url, tokens, config), res

    yield make
    for stop in stops:
        stop()


def add(c: httpx.Client, name: str) -> httpx.Response:
    return c.post("/v1/registry/names", json={"name": name, "registrant": "r1"})


def busy(r: httpx.Response, cause: str) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "1"
    body = r.json()
    assert body["schema"] == "idnkit.error/1" and body["error"] == "database_busy" and body["cause"] == cause, body
    assert "postgresql://postgres@127.0.0.1" in body["message"]


def test_statement_timeout_is_503_naming_it(start: Start, postgres_url: str) -> None:
    live, res = start(statement_timeout=0.2, lock_timeout=30)
    with live.client() as c:
        assert add(c, "大学1.中国").status_code == 201  # the registry is set up before the lock
        with locked(postgres_url, "names"):
            busy(add(c, "大学2.中国"), "statement_timeout")
            assert res.registry("x.中国").timeouts == 2  # run three times, each cut
            busy(c.get("/v1/registry/names", params={"tld": "中国"}), "statement_timeout")
            busy(c.get("/v1/registry/names/大学1.中国"), "statement_timeout")
        assert add(c, "大学2.中国").status_code == 201
        names = [r["name"] for r in c.get("/v1/registry/names", params={"tld": "中国"}).json()]
        assert names == ["大学1", "大学2", "大學1", "大學2"]  # each with the variant it bundles
        assert c.get("/readyz").status_code == 200


def test_lock_timeout_is_503_naming_it(start: Start, postgres_url: str) -> None:
    live, _ = start(lock_timeout=0.01)
    with live.client() as c:
        assert add(c, "大学1.中国").status_code == 201
        with locked(postgres_url, "names"):
            r = add(c, "大学2.中国")
            busy(r, "lock_timeout")
            assert "gave up after 32 attempts" in r.json()["message"]
            busy(c.post("/v1/registry/check", json={"name": "大学3.中国", "registrant": "r1"}), "lock_timeout")
        assert add(c, "大学2.中国").status_code == 201


def test_readyz_says_why_while_the_database_is_busy(start: Start, postgres_url: str) -> None:
    live, _ = start(statement_timeout=0.2, lock_timeout=30)
    with live.client() as c, locked(postgres_url, "meta"):
        r = c.get("/readyz")
    assert r.status_code == 503 and r.headers["retry-after"]
    assert "statement timeout" in r.json()["reason"]


@pytest.mark.parametrize(
    ("options", "counter"),
    [({"statement_timeout": 0.5, "lock_timeout": 30}, "timeouts"), ({"lock_timeout": 0.05}, "retries")],
    ids=["statement_timeout", "lock_timeout"],
)
def test_a_request_run_again_succeeds_once_the_lock_is_gone(
    start: Start, postgres_url: str, options: dict[str, float], counter: str
) -> None:
    live, res = start(**options)
    answers: list[httpx.Response] = []
    with live.client() as c:
        assert add(c, "大学1.中国").status_code == 201
        reg = res.registry("x.中国")
        before = getattr(reg, counter)
        with locked(postgres_url, "names") as holder:
            worker = threading.Thread(target=lambda: answers.append(add(c, "大学2.中国")))
            worker.start()
            deadline = time.monotonic() + 60
            while getattr(reg, counter) == before and time.monotonic() < deadline:  # a first attempt failed
                time.sleep(0.005)
            assert getattr(reg, counter) > before
            holder.rollback()  # the lock goes while the registry runs the add again
            worker.join(timeout=60)
    assert [r.status_code for r in answers] == [201], [r.text for r in answers]
