"""Peak memory of the HTTP service under hostile requests (issue 18 §1): ``python bench/bench_hostile_service.py``.

Starts ``idncheck serve --anonymous-reads --db memory:`` on a free loopback port and sends, one family
at a time, requests a careless or hostile client sends: a 1 GiB body (announced, and streamed without
a length), a body sent a byte at a time, JSON nested 100,000 deep, a full 10,000-name batch, and many
small requests.  After each family it prints the server's peak resident memory (``VmHWM`` of
``/proc/PID/status``, Linux) and the status codes seen.
"""

from __future__ import annotations

import collections
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

MB = 1 << 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peak(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _request(port: int, head: bytes, body: Iterator[bytes] | None = None, pause: float = 0) -> int:
    """Send a raw request; the status code (0: the server closed the connection first)."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        try:
            s.sendall(head)
            for chunk in body or ():
                s.sendall(chunk)
                if pause:
                    time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused while sending: read the answer
        try:
            answer = s.recv(64)
        except (ConnectionResetError, TimeoutError):
            return 0
    parts = answer.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def _post(path: str, length: int | None) -> bytes:
    framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    return f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{framing}\r\n\r\n".encode()


def _chunked(total: int, piece: int = MB) -> Iterator[bytes]:
    block = b"a" * piece
    for _ in range(total // piece):
        yield b"%x\r\n%s\r\n" % (piece, block)
    yield b"0\r\n\r\n"


def main() -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "idnkit", "serve", "--port", str(port), "--anonymous-reads", "--db", "memory:"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") == 200:
                    break
            except OSError:
                time.sleep(0.2)
        print(f"{'family':44} {'statuses':24} {'server peak RSS':>16}")
        print(f"{'(started)':44} {'':24} {_peak(server.pid) / MB:13.1f} MB")

        def report(family: str, codes: collections.Counter[int]) -> None:
            shown = ", ".join(f"{code}×{n}" for code, n in sorted(codes.items()))
            print(f"{family:44} {shown:24} {_peak(server.pid) / MB:13.1f} MB", flush=True)

        gib = 1 << 30
        report(
            "1 GiB body, Content-Length announced", collections.Counter([_request(port, _post("/v1/check/batch", gib))])
        )
        codes = collections.Counter([_request(port, _post("/v1/check/batch", None), _chunked(gib))])
        report("1 GiB body, chunked (no length)", codes)
        codes = collections.Counter([_request(port, _post("/v1/check", 40), iter([b"{"] * 40), pause=0.05)])
        report("slow body (1 byte / 50 ms)", codes)
        nested = b"[" * 100_000 + b"]" * 100_000
        head = _post("/v1/check", len(nested))
        report("JSON nested 100,000 deep (200 KB)", collections.Counter([_request(port, head, iter([nested]))]))
        names = b"\n".join(b"n%05d-\xc3\xbc.de" % i for i in range(10_000))
        head = "POST /v1/check/batch HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
        head += f"Content-Length: {len(names)}\r\n\r\n"
        codes = collections.Counter(_request(port, head.encode(), iter([names])) for _ in range(3))
        report("10,000-name batch ×3", codes)
        small = b"GET /v1/check?name=b%C3%BCcher.de HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        report("5,000 small requests", collections.Counter(_request(port, small) for _ in range(5_000)))
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    if not os.path.exists("/proc/self/status"):
        sys.exit("needs Linux /proc")
    main()
