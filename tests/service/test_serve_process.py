"""``idncheck serve`` as an operator runs it: a process, tokens re-read on SIGHUP, two workers, clean exit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

IDNCHECK = [sys.executable, "-m", "idnkit"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def new_token(tokens: Path, token_id: str, role: str = "read") -> str:
    out = subprocess.run([*IDNCHECK, "token", "new", token_id, "--role", role, "--tokens", str(tokens),
                          "--fast-hash"], capture_output=True, text=True, check=True)  # fmt: skip
    return out.stdout.strip()


@contextmanager
def serving(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    proc = subprocess.Popen([*IDNCHECK, "serve", "--port", str(port), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"serve did not start: {proc.communicate()[1]}")
            time.sleep(0.1)
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                raise
        proc.communicate()


def get(url: str, token: str) -> int:
    r = httpx.get(f"{url}/v1/check", params={"name": "bücher.de"}, headers={"Authorization": f"Bearer {token}"})
    return r.status_code


def test_tokens_are_reread_on_sighup_and_the_service_stops_cleanly(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.toml"
    first = new_token(tokens, "first")
    assert oct(tokens.stat().st_mode & 0o777) == "0o600"
    with serving("--tokens", str(tokens), "--db", f"sqlite:///{tmp_path / 'reg.sqlite'}") as (proc, url):
        assert get(url, first) == 200
        second = new_token(tokens, "second")
        assert get(url, second) == 401
        proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while get(url, second) != 200:
            assert time.monotonic() < deadline, "SIGHUP did not reload the tokens"
            time.sleep(0.1)
        assert get(url, first) == 200
        proc.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal so the exit status tells what ended it
        # (systemd counts death by SIGTERM as a clean stop).
        assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
        err = proc.communicate()[1]
    assert '"path": "/v1/check"' in err and "tokens reloaded" in err
    assert first.partition(".")[2] not in err and second.partition(".")[2] not in err


def test_two_workers_serve_and_leave_no_process_behind(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.toml"
    token = new_token(tokens, "reader")
    with serving("--tokens", str(tokens), "--workers", "2") as (proc, url):
        assert all(get(url, token) == 200 for _ in range(20))
        pgid = proc.pid
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
    deadline = time.monotonic() + 10
    while True:  # the workers are in the server's process group: none may outlive it
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            break
        assert time.monotonic() < deadline, "a worker outlived the server"
        time.sleep(0.1)


def test_serve_refuses_a_bad_configuration_before_opening_the_port(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.toml"
    tokens.write_text("[[token]]\nid = 1\n", encoding="utf-8")
    bad_tokens = subprocess.run([*IDNCHECK, "serve", "--tokens", str(tokens)], capture_output=True, text=True)
    assert bad_tokens.returncode == 1 and "token 1: 'id'" in bad_tokens.stderr
    nothing = subprocess.run([*IDNCHECK, "serve"], capture_output=True, text=True)
    assert nothing.returncode == 2 and "--tokens FILE" in nothing.stderr
    bad_policy = subprocess.run([*IDNCHECK, "serve", "--anonymous-reads", "--policy", "zz"], capture_output=True,
                                text=True)  # fmt: skip
    assert bad_policy.returncode == 1 and "no shipped policy for 'zz'" in bad_policy.stderr
