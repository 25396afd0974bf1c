"""``idncheck serve``: idnkit as a service a registry's systems call over HTTP (docs/service.md).

An ASGI application on Starlette (a small, maintained ASGI toolkit: the API is a dozen routes whose
records are the CLI's own, so FastAPI's model layer would only duplicate docs/json-schema.md),
served by uvicorn.

>>> from idnkit.service import ServiceConfig, create_app
>>> app = create_app(ServiceConfig(anonymous_reads=True))
>>> sorted({r.path for r in app.routes})[:3]
['/healthz', '/readyz', '/v1/check']
"""

from __future__ import annotations

from ._app import create_app
from ._auth import Client, Role, TokenFileError, TokenStore, new_token
from ._config import Limits, ServiceConfig
from ._resources import Resources

__all__ = [
    "Client",
    "Limits",
    "Resources",
    "Role",
    "ServiceConfig",
    "TokenFileError",
    "TokenStore",
    "create_app",
    "new_token",
]
