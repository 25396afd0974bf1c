"""The ASGI application: routes, error answers, the lifespan that loads tables once per worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .._version import __version__
from ..errors import IdnkitError, RegistryStorageError, RegistryUnavailableError
from ..unicode import UNICODE_VERSION
from . import _checks as checks
from . import _epp
from . import _registry as registry
from ._auth import TokenStore
from ._config import ServiceConfig
from ._errors import ApiError, unavailable
from ._http import AccessLog
from ._openapi import openapi_document
from ._resources import Resources

log = logging.getLogger("idnkit.service")


async def healthz(request: Request) -> Response:
    """The process is up and answering."""
    return JSONResponse({"status": "ok", "version": __version__})


# A readiness probe must answer well inside its caller's own timeout (Kubernetes waits 1 s by default,
# httpx 5 s), even while the pool is still waiting on a server that went away: past this bound the probe
# answers 503 and leaves its database call to finish on its own.
READY_PROBE_SECONDS = 2.0


async def readyz(request: Request) -> Response:
    """Tables loaded and the registry database reachable: 503 with the reason otherwise."""
    res: Resources = request.app.state.resources
    if res.store is not None:

        def probe() -> None:
            assert res.store is not None
            with res.store.transaction() as txn:
                txn.meta("schema_version")

        try:
            from starlette.concurrency import run_in_threadpool

            await asyncio.wait_for(run_in_threadpool(probe), timeout=READY_PROBE_SECONDS)
        except (IdnkitError, TimeoutError, OSError) as e:
            message = str(e) or f"the database did not answer within {READY_PROBE_SECONDS:g} s"
            return JSONResponse(
                {"status": "unavailable", "reason": message}, status_code=503, headers={"Retry-After": "2"}
            )
    return JSONResponse(
        {"status": "ready", "version": __version__, "unicode": UNICODE_VERSION, "registry": res.store is not None}
    )


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document())


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return ApiError(
        exc.status_code, code, f"{request.method} {request.url.path}: {exc.detail}", headers=dict(exc.headers or {})
    ).response()


async def _unavailable(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RegistryUnavailableError)
    return unavailable(exc).response()


async def _storage(request: Request, exc: Exception) -> Response:
    # A database that answers but cannot be used (corrupt, read-only, a newer schema): the operator's to fix.
    log.error("registry database error on %s %s: %s", request.method, request.url.path, exc)
    return ApiError(500, "database_error", str(exc)).response()


async def _internal(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return ApiError(500, "internal_error", "the service failed on this request; its log says why").response()


ROUTES = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
    Route("/v1/openapi.json", openapi, methods=["GET"]),
    Route("/v1/check", checks.check_one, methods=["GET", "POST"]),
    Route("/v1/check/batch", checks.check_batch, methods=["POST"]),
    Route("/v1/explain/{codepoint}", checks.explain_codepoint, methods=["GET"]),
    Route("/v1/confusable", checks.confusable_pair, methods=["GET"]),
    Route("/v1/lgr", checks.lgr_tables, methods=["GET"]),
    Route("/v1/lgr/{table:path}/variants", checks.lgr_variants, methods=["GET"]),
    Route("/v1/lgr/{table:path}/index", checks.lgr_index, methods=["GET"]),
    Route("/v1/policies", checks.policy_list, methods=["GET"]),
    Route("/v1/policies/{name}", checks.policy_show, methods=["GET"]),
    Route("/v1/registry/check", registry.registry_check, methods=["POST"]),
    Route("/v1/registry/names", registry.registry_list, methods=["GET"]),
    Route("/v1/registry/names", registry.registry_add, methods=["POST"]),
    Route("/v1/registry/names/{name}", registry.registry_show, methods=["GET"]),
    Route("/v1/registry/names/{name}", registry.registry_remove, methods=["DELETE"]),
    Route("/v1/registry/names/{name}/bundle", registry.registry_bundle, methods=["POST"]),
    Route("/v1/registry/names/{name}/transfer", registry.registry_transfer, methods=["POST"]),
    Route("/v1/epp", _epp.epp_command, methods=["POST"]),
]


def create_app(
    config: ServiceConfig | None = None, *, resources: Resources | None = None, mounts: Sequence[BaseRoute] = ()
) -> Starlette:
    """The service for one worker.  Policies, tables and the store load once, here, not per request;
    the tokens file is re-read on SIGHUP (a file that became invalid keeps the old tokens, and says so).

    ``mounts`` go after the API's routes, so an upper layer (the web console, ``idnkit.web``) can serve
    its pages from the same app without the service importing it."""
    config = config or ServiceConfig()
    loaded = resources or Resources.load(config)
    tokens = TokenStore(config.tokens)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()

        def reload_tokens() -> None:
            try:
                tokens.reload()
                log.info("tokens reloaded from %s: %d tokens", config.tokens, len(tokens))
            except IdnkitError as e:
                log.error("tokens not reloaded, the previous ones stay: %s", e)

        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGHUP, reload_tokens)
        try:
            yield
        finally:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGHUP)
            loaded.close()

    middleware = [Middleware(AccessLog)]
    if config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors_origins),
                allow_methods=["GET", "POST", "DELETE"],
                allow_headers=["Authorization", "Content-Type"],
            )
        )
    handlers: dict[Any, Any] = {
        ApiError: _api_error,
        HTTPException: _http_error,
        RegistryUnavailableError: _unavailable,
        RegistryStorageError: _storage,
        Exception: _internal,
    }
    app = Starlette(routes=[*ROUTES, *mounts], middleware=middleware, exception_handlers=handlers, lifespan=lifespan)
    app.state.resources = loaded
    app.state.tokens = tokens
    return app
