"""A live console on 127.0.0.1 (uvicorn in a thread, as tests/service/conftest.py), with users of every role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("jinja2", reason="the console extra is not installed: pip install '.[console]'")
from idnkit.service import ServiceConfig
from idnkit.web import ConsoleConfig, ConsoleRole, add_user, create_console_app

from .._uvicorn import serve_app

PASSWORD = "correct horse 1"
USERS = {"vera": ConsoleRole.VIEWER, "clara": ConsoleRole.CLERK, "adam": ConsoleRole.ADMIN, "lock": ConsoleRole.VIEWER}
DATA = Path(__file__).parent / "data"


@dataclass
class Console:
    url: str
    config: ConsoleConfig
    service: ServiceConfig

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(**{"base_url": self.url, "timeout": 60, "follow_redirects": True, **kwargs})

    def login(self, user: str, password: str = PASSWORD) -> httpx.Client:
        """A client signed in as ``user`` (not yet opened, so tests can use it in ``with``)."""
        with self.client() as c:
            page = c.get("/login")
            r = c.post(
                "/login", data={"csrf": csrf_of(page.text), "username": user, "password": password, "next": "/check"}
            )
            assert r.url.path == "/check", f"{user} could not sign in"
            cookies = dict(c.cookies)
        return self.client(cookies=cookies)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def start(service: ServiceConfig, console: ConsoleConfig) -> tuple[Callable[[], None], str]:
    return serve_app(create_console_app(service, console), what="the console")


def make_console(
    folder: Path, db: str = "memory:", policy: str | None = None, **options: Any
) -> tuple[Callable[[], None], Console]:
    users = folder / "users.toml"
    if not users.exists():
        for name, role in USERS.items():
            add_user(users, name, role, PASSWORD)
    audits = folder / "audits"
    audits.mkdir(exist_ok=True)
    (audits / "sample.zone").write_bytes((DATA / "sample.zone").read_bytes())
    (folder / "protected.txt").write_text("paypal.cn\npaypal.se\n# a comment\nbank.se\n", encoding="utf-8")
    config = ConsoleConfig(
        users=str(users),
        secret="t" * 64,
        audit_dir=str(audits),
        protected=str(folder / "protected.txt"),
        **options,
    )
    service = ServiceConfig(db=db, policy=policy)
    stop, url = start(service, config)
    return stop, Console(url, config, service)


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """One console for the session, on an in-memory registry (tests that lock users out start their own)."""
    stop, found = make_console(tmp_path_factory.mktemp("console"))
    yield found
    stop()


@pytest.fixture
def fresh_console(tmp_path: Path) -> Iterator[Callable[..., Console]]:
    """``fresh_console(db=..., **ConsoleConfig options)``: a console of the test's own, stopped after it."""
    stops: list[Callable[[], None]] = []

    def make(**options: Any) -> Console:
        folder = tmp_path / f"c{len(stops)}"
        folder.mkdir()
        stop, found = make_console(folder, **options)
        stops.append(stop)
        return found

    yield make
    for stop in stops:
        stop()
