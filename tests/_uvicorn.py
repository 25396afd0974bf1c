"""The one way tests serve an ASGI app: uvicorn in a thread on a free loopback port."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the test runner keeps its own
        pass


def serve_app(app: Any, *, what: str = "the app", timeout: float = 60) -> tuple[Callable[[], None], str]:
    """Serve ``app`` on 127.0.0.1, port 0; returns (stop, base URL) once it accepts connections."""
    server = _Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=30)

    return stop, f"http://127.0.0.1:{port}"
