"""Hostile and over-large bodies: each answered with its own status and a JSON error naming the limit."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest

from idnkit.service import Limits

from .conftest import Live


@pytest.fixture
def small(serve: Callable[..., Live]) -> Live:
    return serve(limits=Limits(max_body_bytes=4096, max_batch_names=50, max_against_names=20))


def error_of(response: object) -> dict[str, object]:
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["schema"] == "idnkit.error/1"
    return body


def test_body_over_the_limit_is_413_whether_announced_or_streamed(small: Live) -> None:
    big = json.dumps({"names": ["a.de"] * 2000}).encode()
    with small.client("reader") as c:
        announced = c.post("/v1/check/batch", content=big, headers={"content-type": "application/json"})

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is counted as the body arrives
            for i in range(0, len(big), 1000):
                yield big[i : i + 1000]

        streamed = c.post("/v1/check/batch", content=chunks(), headers={"content-type": "application/json"})
    for r in (announced, streamed):
        assert r.status_code == 413
        assert error_of(r)["limit"] == {"name": "max_body_bytes", "value": 4096}


def test_too_many_names_is_413_naming_the_limit(small: Live) -> None:
    with small.client("reader") as c:
        batch = c.post("/v1/check/batch", json={"names": ["a.de"] * 51})
        text = c.post("/v1/check/batch", content=b"a.de\n" * 51, headers={"content-type": "text/plain"})
        against = c.post("/v1/check", json={"name": "a.de", "against": ["b.de"] * 21})
    assert error_of(batch)["limit"] == {"name": "max_batch_names", "value": 50}
    assert error_of(text)["limit"] == {"name": "max_batch_names", "value": 50}
    assert error_of(against)["limit"] == {"name": "max_against_names", "value": 20}
    assert {batch.status_code, text.status_code, against.status_code} == {413}


@pytest.mark.parametrize(
    ("body", "status", "code", "detail"),
    [
        (b'{"name": "a.de"', 400, "invalid_json", "line 1 column 16"),
        (b'{"name": "\xc3\x28.de"}', 400, "invalid_utf8", "byte 10 (0xC3)"),
        (b"[1, 2]", 422, "invalid_field", "JSON object"),
        (b'{"name": 5}', 422, "invalid_field", "'name' must be a string"),
        (b'{"name": "a.de", "profile": "x"}', 422, "invalid_field", "'profile' must be one of"),
        (b'{"name": "a.de", "colour": "red"}', 422, "unknown_field", "'colour'"),
        (b"{}", 422, "missing_field", "'name' is required"),
        (b'{"name": "a.de", "confusables": "yes"}', 422, "invalid_field", "true or false"),
        (b"[" * 100_000 + b"]" * 100_000, 413, "body_too_large", "larger than"),
        (b'{"a":' * 3000 + b"1" + b"}" * 3000, 400, "invalid_json", "nested too deeply"),
    ],
)
def test_malformed_bodies(serve: Callable[..., Live], body: bytes, status: int, code: str, detail: str) -> None:
    live = serve(limits=Limits(max_body_bytes=100_000))
    with live.client("reader") as c:
        r = c.post("/v1/check", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    err = error_of(r)
    assert err["error"] == code and detail in str(err["message"])


def test_work_past_the_time_limit_is_504(serve: Callable[..., Live]) -> None:
    """Building a 10,000-name look-alike index takes far longer than a millisecond on any machine."""
    live = serve(limits=Limits(request_seconds=0.001))
    with live.client("reader") as c:
        r = c.post("/v1/check", json={"name": "a.de", "against": [f"name{i}.de" for i in range(10_000)]})
    assert r.status_code == 504
    assert error_of(r)["limit"] == {"name": "request_seconds", "value": 0.001}


def test_bad_content_length_and_a_garbage_request_line(small: Live) -> None:
    parts = urlsplit(small.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as s:
        s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n{}")
        head = s.recv(4096)
    assert head.startswith(b"HTTP/1.1 400")
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as s:
        s.sendall(b"\x00\xff garbage \r\n\r\n")
        head = s.recv(4096)
    assert head.startswith(b"HTTP/1.1 400")
    with small.client(None) as c:  # the server is still up
        assert c.get("/healthz").status_code == 200


def test_unknown_route_and_method_are_json_errors(small: Live) -> None:
    with small.client("reader") as c:
        missing = c.get("/v1/nothing")
        wrong = c.delete("/v1/check")
    assert missing.status_code == 404 and error_of(missing)["error"] == "not_found"
    assert wrong.status_code == 405 and error_of(wrong)["error"] == "method_not_allowed"
