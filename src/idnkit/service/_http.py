"""Reading requests safely: bounded bodies, strict UTF-8 and JSON, typed fields; the access log.

Every failure is an :class:`ApiError` with its own code, so a client (or a clerk reading the log)
can tell a body that is too large (413) from one that is not UTF-8 or not JSON (400) from a field of
the wrong type (422).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request

from ._errors import ApiError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("idnkit.service.access")


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refused with 413 as soon as it passes ``limit`` bytes (announced or streamed)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ApiError(400, "bad_content_length", f"Content-Length {declared!r} is not a number")
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413, "body_too_large", f"the request body is larger than {limit} bytes", limit=("max_body_bytes", limit)
    )


def decode_utf8(body: bytes) -> str:
    """The body as text; invalid UTF-8 names the byte offset (a name must never be guessed at)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(
            400, "invalid_utf8", f"the body is not UTF-8: byte {e.start} (0x{body[e.start]:02X})", offset=e.start
        ) from None


def parse_json_object(body: bytes) -> dict[str, Any]:
    """A JSON object body; malformed JSON names the line and column."""
    text = decode_utf8(body)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise ApiError(
            400,
            "invalid_json",
            f"the body is not JSON: {e.msg} at line {e.lineno} column {e.colno}",
            line=e.lineno,
            column=e.colno,
        ) from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "the body is nested too deeply") from None
    if not isinstance(value, dict):
        raise ApiError(422, "invalid_field", "the body must be a JSON object")
    return value


class Fields:
    """Typed access to a request's JSON object or query parameters; a wrong type is a 422 naming the field."""

    def __init__(self, values: dict[str, Any], *, known: frozenset[str], query: bool = False) -> None:
        unknown = sorted(set(values) - known)
        if unknown:
            raise ApiError(
                422,
                "unknown_field",
                f"unknown field {unknown[0]!r}; known: {', '.join(sorted(known))}",
                field=unknown[0],
            )
        self.values = values
        self.query = query

    def _bad(self, key: str, what: str) -> ApiError:
        return ApiError(422, "invalid_field", f"{key!r} must be {what}", field=key)

    def text(self, key: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self.values.get(key)
        if value is None:
            if required:
                raise ApiError(422, "missing_field", f"{key!r} is required", field=key)
            return default
        if not isinstance(value, str):
            raise self._bad(key, "a string")
        if required and not value:
            raise ApiError(422, "missing_field", f"{key!r} must not be empty", field=key)
        return value

    def required_text(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def flag(self, key: str, default: bool | None = False) -> bool | None:
        value = self.values.get(key)
        if value is None:
            return default
        if self.query and isinstance(value, str):
            if value.lower() in {"1", "true", "yes"}:
                return True
            if value.lower() in {"0", "false", "no"}:
                return False
        if not isinstance(value, bool):
            raise self._bad(key, "true or false")
        return value

    def integer(self, key: str, default: int, *, low: int, high: int) -> int:
        value = self.values.get(key)
        if value is None:
            return default
        if self.query and isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._bad(key, f"an integer from {low} to {high}")
        return value

    def strings(self, key: str, limit: int, limit_name: str) -> list[str] | None:
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._bad(key, "a list of strings")
        if len(value) > limit:
            raise ApiError(
                413,
                "too_many_names",
                f"{key!r} holds {len(value)} names; at most {limit} per request",
                limit=(limit_name, limit),
            )
        return value


class AccessLog:
    """ASGI middleware: one JSON line per request — method, path (never the query, never a token),
    status, duration and the client's token id — on the ``idnkit.service.access`` logger."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                client = scope.get("client")
                line = {
                    "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 3),
                    "client": scope.get("state", {}).get("client_id", "-"),
                    "remote": client[0] if client else None,
                }
                access_log.info(json.dumps(line, ensure_ascii=False))
