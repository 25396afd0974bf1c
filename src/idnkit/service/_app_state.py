"""Per-request helpers: the worker's resources, who the client is, and work run under the time limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ..errors import RegistryUnavailableError
from ._auth import ANONYMOUS, AuthError, Client, Role, TokenStore
from ._errors import ApiError, unavailable
from ._resources import Resources

T = TypeVar("T")


def resources(request: Request) -> Resources:
    found: Resources = request.app.state.resources
    return found


def client(request: Request) -> Client:
    """The request's client from ``Authorization: Bearer <id>.<secret>``; anonymous when there is none."""
    header = request.headers.get("authorization")
    if header is None:
        return ANONYMOUS
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "unauthorized",
            "use 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="idnkit"'},
        )
    tokens: TokenStore = request.app.state.tokens
    try:
        found = tokens.authenticate(token.strip())
    except AuthError as e:
        raise ApiError(
            401, "unauthorized", str(e), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from None
    request.state.client_id = found.id
    return found


def authorize(request: Request, role: Role) -> Client:
    """The client, if it holds ``role``: 401 without a valid token (unless anonymous reads are open),
    403 short of the role."""
    who = client(request)
    if who is ANONYMOUS:
        if role is Role.READ and resources(request).config.anonymous_reads:
            return who
        raise ApiError(
            401, "unauthorized", "this route needs a token", headers={"WWW-Authenticate": 'Bearer realm="idnkit"'}
        )
    if not who.may(role):
        raise ApiError(403, "forbidden", f"token {who.id} has role {who.role.value}; this route needs {role.value}")
    return who


async def run_bounded(request: Request, work: Callable[[], T]) -> T:
    """Run CPU-bound ``work`` in a thread, answering 504 past the request's time limit.

    The thread cannot be killed; its result is dropped.  Registry work checks its own bounds
    (a database statement timeout), so abandoned work never holds a transaction open for long.
    """
    seconds = resources(request).config.limits.request_seconds
    try:
        return await asyncio.wait_for(run_in_threadpool(work), timeout=seconds)
    except TimeoutError:
        raise ApiError(
            504, "time_limit", f"the request took longer than {seconds} s", limit=("request_seconds", seconds)
        ) from None
    except RegistryUnavailableError as e:
        raise unavailable(e) from None
