"""Errors the API answers with: one JSON shape (schema ``idnkit.error/1``) naming what went wrong and the limit."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from ..errors import RegistryBusyError, RegistryUnavailableError

ERROR_SCHEMA = "idnkit.error/1"


class ApiError(Exception):
    """An answer other than success: HTTP status, a stable code and a sentence for the operator."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        limit: tuple[str, float | int] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.limit = limit
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": ERROR_SCHEMA,
            "status": self.status,
            "error": self.code,
            "message": self.message,
        }
        if self.limit is not None:
            out["limit"] = {"name": self.limit[0], "value": self.limit[1]}
        out.update(self.extra)
        return out

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def not_found(what: str, name: str) -> ApiError:
    return ApiError(404, f"unknown_{what}", f"no {what.replace('_', ' ')} named {name!r}", name=name)


# Seconds a client is asked to wait: a server that is down takes a while to come back; a timeout or a
# lost race under load clears as soon as the load does.
RETRY_AFTER_DOWN = "2"
RETRY_AFTER_BUSY = "1"


def unavailable(error: RegistryUnavailableError) -> ApiError:
    """503 with Retry-After for a registry database that cannot do the work now, naming the cause:
    ``database_busy`` (up, but a statement or lock timeout, or every attempt lost a race; ``cause``
    says which) or ``database_unavailable`` (down or unreachable)."""
    if isinstance(error, RegistryBusyError):
        return ApiError(503, "database_busy", str(error), headers={"Retry-After": RETRY_AFTER_BUSY}, cause=error.cause)
    extra: dict[str, Any] = {"outcome_unknown": True} if error.outcome_unknown else {}
    return ApiError(
        503, "database_unavailable", str(error), headers={"Retry-After": RETRY_AFTER_DOWN}, cause="unavailable", **extra
    )
