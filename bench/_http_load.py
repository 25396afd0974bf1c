"""A load generator for bench_service.py that costs the machine little: raw asyncio streams, HTTP/1.1.

httpx in the bench's own process spent about 2.2 ms of CPU per request, as much as the server's
answer, on a machine whose two cores the client and the server share; so its latencies measured the
client.  Here each connection is kept alive and each request is prepared bytes written to a socket;
an answer is read by its Content-Length or its chunks (the batch route streams).  The phases run in
processes of their own (:func:`run`), never in the process that measures the in-process rate.

Only the standard library is imported, so a client process starts fast and its CPU goes to sockets.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import quote

Answer = tuple[int, bytes]


class Connection:
    """One keep-alive HTTP/1.1 connection: send prepared request bytes, read one answer."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port, limit=1 << 22)
        return cls(reader, writer)

    async def request(self, raw: bytes) -> Answer:
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = -1
        chunked = False
        for line in head.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            key = key.strip().lower()
            if key == b"content-length":
                length = int(value)
            elif key == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()  # the empty line after the last chunk (no trailers sent)
                    break
                parts.append((await self.reader.readexactly(size + 2))[:-2])
            return status, b"".join(parts)
        if length < 0:
            raise RuntimeError(f"an answer without Content-Length or chunks: {head[:200]!r}")
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


def get(path: str, host: str, token: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\r\n".encode()


def post_json(path: str, host: str, token: str, body: Any) -> bytes:
    data = json.dumps(body, ensure_ascii=False).encode()
    return (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    ).encode() + data


def check_requests(host: str, token: str, names: list[str]) -> list[bytes]:
    return [get(f"/v1/check?name={quote(n, safe='')}", host, token) for n in names]


async def _single(host: str, port: int, requests: list[bytes], clients: int, seconds: float) -> dict[str, Any]:
    """Closed loop: each connection sends its next request as soon as the answer came."""
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds

    async def client(i: int) -> None:
        conn = await Connection.open(host, port)
        n = i
        try:
            while time.monotonic() < stop:
                t = time.perf_counter()
                status, body = await conn.request(requests[n % len(requests)])
                latencies.append(time.perf_counter() - t)
                if status != 200:
                    errors.append(f"{status} {body[:200]!r}")
                n += clients
        finally:
            conn.close()

    start = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return {"latencies": latencies, "wall": time.monotonic() - start, "errors": errors}


async def _paced(host: str, port: int, requests: list[bytes], rate: float, seconds: float) -> dict[str, Any]:
    """Open loop: request n is due at start + n/rate whatever the answers do; its latency counts from
    the moment it was due (so a stalled server is not hidden by a client that waited: coordinated omission)."""
    total = int(rate * seconds)
    idle = [await Connection.open(host, port) for _ in range(16)]
    latencies: list[float] = []
    errors: list[str] = []
    opened = len(idle)

    async def one(n: int, due: float) -> None:
        nonlocal opened
        if idle:
            conn = idle.pop()
        else:
            conn = await Connection.open(host, port)
            opened += 1
        status, body = await conn.request(requests[n % len(requests)])
        latencies.append(time.perf_counter() - due)
        if status != 200:
            errors.append(f"{status} {body[:200]!r}")
        idle.append(conn)

    start = time.perf_counter()
    tasks = []
    for n in range(total):
        due = start + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(n, due)))
    await asyncio.gather(*tasks)
    for conn in idle:
        conn.close()
    return {"latencies": latencies, "wall": time.perf_counter() - start, "errors": errors, "connections": opened}


async def _batch(host: str, port: int, bodies: list[bytes], sizes: list[int], clients: int) -> dict[str, Any]:
    """Each connection posts its share of the batches; every answer must hold a record per name + a summary."""
    errors: list[str] = []
    done = 0

    async def client(i: int) -> None:
        nonlocal done
        conn = await Connection.open(host, port)
        try:
            for k in range(i, len(bodies), clients):
                status, body = await conn.request(bodies[k])
                if status != 200 or body.count(b"\n") != sizes[k] + 1:
                    errors.append(f"{status} {body[-200:]!r}")
                done += sizes[k]
        finally:
            conn.close()

    start = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return {"names": done, "wall": time.monotonic() - start, "errors": errors}


async def _adds(host: str, port: int, bodies: list[bytes], clients: int) -> dict[str, Any]:
    """Registry adds from ``clients`` connections taking the next body from one queue (racing pairs are adjacent)."""
    statuses: dict[int, int] = {}
    errors: list[str] = []
    latencies: list[float] = []
    queue = list(reversed(bodies))

    async def client() -> None:
        conn = await Connection.open(host, port)
        try:
            while queue:
                raw = queue.pop()
                t = time.perf_counter()
                status, body = await conn.request(raw)
                latencies.append(time.perf_counter() - t)
                statuses[status] = statuses.get(status, 0) + 1
                if status not in (201, 409):
                    errors.append(f"{status} {body[:300]!r}")
        finally:
            conn.close()

    start = time.monotonic()
    await asyncio.gather(*(client() for _ in range(clients)))
    return {"statuses": statuses, "latencies": latencies, "wall": time.monotonic() - start, "errors": errors}


def run(phase: str, host: str, port: int, *args: Any) -> dict[str, Any]:
    """Run one phase to its end (a bounded time or count) in this process; the raw figures."""
    coro = {"single": _single, "paced": _paced, "batch": _batch, "adds": _adds}[phase]
    cpu = time.process_time()
    out: dict[str, Any] = asyncio.run(asyncio.wait_for(coro(host, port, *args), timeout=600))
    out["client_cpu_s"] = time.process_time() - cpu
    return out
