"""Running the service under uvicorn: one process, or ``workers`` processes sharing the port."""

from __future__ import annotations

import gc
import logging
import os
import sys

from starlette.applications import Starlette

from ._app import create_app
from ._checks import warm_up
from ._config import ServiceConfig

CONFIG_ENV = "IDNKIT_SERVICE_CONFIG"


def app_from_environment() -> Starlette:
    """The app for a uvicorn worker process: the configuration comes through :data:`CONFIG_ENV`."""
    _configure_logging()
    return _ready(create_app(ServiceConfig.from_json(os.environ[CONFIG_ENV])))


def _ready(app: Starlette) -> Starlette:
    """A worker's app once everything is loaded: warmed, then its objects frozen out of the collector.

    create_app loads the policies, tables and store; warm_up runs the check path once so the tables
    loaded on first use are loaded too (the first requests are not slower than the rest).  Then
    ``gc.freeze()`` moves every object that exists now (tens of MB of tables, kept for the process's
    life) to the permanent generation: a full collection no longer walks them, and its pauses, which
    landed in the latency of whichever request triggered one, shrink to the requests' own garbage.
    Only in a service process: a process that creates apps and drops them (the tests) must not
    freeze what it will drop.
    """
    warm_up(app.state.resources)
    gc.collect()
    gc.freeze()
    return app


def _configure_logging() -> None:
    """Access lines (already JSON) and service messages to stderr, one per line."""
    for name in ("idnkit.service.access", "idnkit.service"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False


def serve(config: ServiceConfig, *, host: str = "127.0.0.1", port: int = 8053, workers: int = 1) -> None:
    """Serve until SIGINT/SIGTERM.  Several workers each load their own tables; they share only the database."""
    import uvicorn

    _configure_logging()
    if workers > 1:
        os.environ[CONFIG_ENV] = config.to_json()
        uvicorn.run(
            "idnkit.service._serve:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            log_level="warning",
        )
    else:
        uvicorn.run(_ready(create_app(config)), host=host, port=port, access_log=False, log_level="warning")
