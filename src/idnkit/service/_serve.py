"""Running the service under uvicorn: one process, or ``workers`` processes sharing the port."""

from __future__ import annotations

import logging
import os
import sys

from starlette.applications import Starlette

from ._app import create_app
from ._config import ServiceConfig

CONFIG_ENV = "IDNKIT_SERVICE_CONFIG"


def app_from_environment() -> Starlette:
    """The app for a uvicorn worker process: the configuration comes through :data:`CONFIG_ENV`."""
    _configure_logging()
    return create_app(ServiceConfig.from_json(os.environ[CONFIG_ENV]))


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
        uvicorn.run(create_app(config), host=host, port=port, access_log=False, log_level="warning")
