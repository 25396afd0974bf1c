"""Running the service with the console under uvicorn: one process, or several sharing the port."""

from __future__ import annotations

import json
import os
from dataclasses import asdict

from starlette.applications import Starlette

from ..service import ServiceConfig
from ..service._serve import CONFIG_ENV, _configure_logging
from ._app import create_console_app
from ._config import ConsoleConfig

CONSOLE_ENV = "IDNKIT_CONSOLE_CONFIG"


def app_from_environment() -> Starlette:
    """The app of a uvicorn worker process: both configurations come through the environment."""
    _configure_logging()
    console = ConsoleConfig(**json.loads(os.environ[CONSOLE_ENV]))
    return create_console_app(ServiceConfig.from_json(os.environ[CONFIG_ENV]), console)


def serve_console(
    service: ServiceConfig, console: ConsoleConfig, *, host: str = "127.0.0.1", port: int = 8053, workers: int = 1
) -> None:
    """Serve the API and the console until SIGINT/SIGTERM (every worker signs cookies with the same secret)."""
    import uvicorn

    _configure_logging()
    if workers > 1:
        os.environ[CONFIG_ENV] = service.to_json()
        os.environ[CONSOLE_ENV] = json.dumps(asdict(console))
        uvicorn.run(
            "idnkit.web._serve:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            log_level="warning",
        )
    else:
        uvicorn.run(create_console_app(service, console), host=host, port=port, access_log=False, log_level="warning")
