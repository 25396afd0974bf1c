"""A live service on 127.0.0.1 for each test that asks: uvicorn in a thread, an httpx client, tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("starlette", reason="the service extra is not installed: pip install '.[service]'")
from idnkit.service import Role, ServiceConfig, create_app, new_token

from .._uvicorn import serve_app


@dataclass
class Live:
    """A running service: its base URL, a token per role, and a client that sends a chosen token."""

    url: str
    tokens: dict[str, str]
    config: ServiceConfig

    def client(self, who: str | None = "admin", **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)


def write_tokens(path: Path) -> dict[str, str]:
    """One token per role (SHA-256 at rest: fast) plus an Argon2 one, and a second registrar."""
    made: dict[str, str] = {}
    entries = []
    for who, role, registrar, scheme in [
        ("reader", Role.READ, None, "sha256"),
        ("registrar", Role.REGISTRAR, "reg-a", "sha256"),
        ("other", Role.REGISTRAR, "reg-b", "sha256"),
        ("admin", Role.ADMIN, None, "sha256"),
        ("argon", Role.READ, None, "argon2"),
    ]:
        token, entry = new_token(who, role, registrar, scheme=scheme)
        made[who] = token
        entries.append(entry)
    path.write_text("\n".join(entries), encoding="utf-8")
    return made


def start(config: ServiceConfig) -> tuple[Callable[[], None], str]:
    """Start the service under uvicorn on a free loopback port; returns (stop, base URL)."""
    return serve_app(create_app(config), what="the service", timeout=30)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Live]]:
    """``serve(**config)`` starts a service with tokens for every role; all stop after the test."""
    stops: list[Callable[[], None]] = []

    def make(**options: Any) -> Live:
        tokens_file = tmp_path / f"tokens{len(stops)}.toml"
        tokens = write_tokens(tokens_file)
        config = ServiceConfig(tokens=str(tokens_file), **options)
        stop, url = start(config)
        stops.append(stop)
        return Live(url, tokens, config)

    yield make
    for stop in stops:
        stop()


@pytest.fixture
def live(serve: Callable[..., Live]) -> Live:
    """A service with an in-memory registry under the .cn example policy's variant rules."""
    return serve(db="memory:")
