"""Registry operations over HTTP: check, add, bundle, remove, transfer, show, list (``idncheck registry``).

A ``registrar`` token acts for one registrar: the registry's registrant of every name it adds is that
registrar, and it may bundle, remove, transfer or show only names held by it (403 otherwise).  An
``admin`` token names the registrant in the body.  Each write is one transaction in the store, so
the check and the insert cannot be separated by another front end's write.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import RegistryError
from ..policy import NameRecord, RegistrationCheck, Registry
from ._app_state import authorize, resources, run_bounded
from ._auth import Client, Role
from ._errors import ApiError
from ._http import Fields, parse_json_object, read_body

REGISTRY_SCHEMA = "idnkit.registry/1"


def _registrant(who: Client, fields: Fields) -> str:
    """The registrant an operation acts for: a registrar's own id, or the body's for an admin."""
    given = fields.text("registrant")
    if who.role is Role.REGISTRAR:
        assert who.registrar is not None
        if given is not None and given != who.registrar:
            raise ApiError(403, "forbidden", f"token {who.id} acts for registrar {who.registrar}, not {given}")
        return who.registrar
    if not given:
        raise ApiError(422, "missing_field", "'registrant' is required with an admin token", field="registrant")
    return given


async def _body(request: Request, known: set[str]) -> Fields:
    body = await read_body(request, resources(request).config.limits.max_body_bytes)
    return Fields(parse_json_object(body) if body.strip() else {}, known=frozenset(known))


def _check_body(action: str, check: RegistrationCheck) -> dict[str, Any]:
    return {"schema": REGISTRY_SCHEMA, "action": action, **check.to_dict()}


def _owned(reg: Registry, name: str, who: Client) -> NameRecord:
    """The name's record, 404 when it is not registered, 403 when a registrar token does not hold it."""
    record = reg.get(name)
    if record is None:
        raise ApiError(404, "not_registered", f"{name!r} is not registered", name=name)
    if who.role is Role.REGISTRAR and record.registrant != who.registrar:
        raise ApiError(403, "forbidden", f"{record.name!r} is held by another registrar", name=name)
    return record


def _refused(action: str, name: str, error: RegistryError) -> ApiError:
    return ApiError(409, "refused", str(error), action=action, name=name)


async def registry_check(request: Request) -> Response:
    """``POST /v1/registry/check``: could the name be registered now?  Every conflict; writes nothing."""
    who = authorize(request, Role.REGISTRAR)
    fields = await _body(request, {"name", "registrant", "language"})
    name = fields.required_text("name")
    registrant = _registrant(who, fields)

    def work() -> dict[str, Any]:
        reg = resources(request).registry(name)
        return _check_body("check", reg.can_register(name, registrant, language=fields.text("language")))

    return JSONResponse(await run_bounded(request, work))


async def registry_add(request: Request) -> Response:
    """``POST /v1/registry/names``: register a name (201), or 409 with every reason it cannot be."""
    who = authorize(request, Role.REGISTRAR)
    fields = await _body(request, {"name", "registrant", "language"})
    name = fields.required_text("name")
    registrant = _registrant(who, fields)

    def work() -> dict[str, Any]:
        reg = resources(request).registry(name)
        return _check_body("add", reg.add(name, registrant, language=fields.text("language")))

    body = await run_bounded(request, work)
    return JSONResponse(body, status_code=201 if body["ok"] else 409)


async def registry_bundle(request: Request) -> Response:
    """``POST /v1/registry/names/{name}/bundle``: activate a variant reserved to the registrant."""
    who = authorize(request, Role.REGISTRAR)
    fields = await _body(request, {"registrant"})
    name = request.path_params["name"]
    registrant = _registrant(who, fields)

    def work() -> dict[str, Any]:
        reg = resources(request).registry(name)
        try:
            return _check_body("bundle", reg.bundle(name, registrant))
        except RegistryError as e:
            if reg.get(name) is None and "not a reserved variant" in str(e):
                raise ApiError(404, "not_reserved", str(e), name=name) from None
            raise _refused("bundle", name, e) from None

    body = await run_bounded(request, work)
    return JSONResponse(body, status_code=200 if body["ok"] else 409)


async def registry_remove(request: Request) -> Response:
    """``DELETE /v1/registry/names/{name}``: delete a name (a root takes its bundle with it)."""
    who = authorize(request, Role.REGISTRAR)
    name = request.path_params["name"]

    def work() -> dict[str, Any]:
        reg = resources(request).registry(name)
        record = _owned(reg, name, who)
        try:
            names = reg.remove(name, record.registrant)
        except RegistryError as e:
            raise _refused("remove", name, e) from None
        return {"schema": REGISTRY_SCHEMA, "action": "remove", "name": name, "ok": True, "names": names}

    return JSONResponse(await run_bounded(request, work))


async def registry_transfer(request: Request) -> Response:
    """``POST /v1/registry/names/{name}/transfer`` with ``{"to": ID}``: move a bundle to another registrant."""
    who = authorize(request, Role.REGISTRAR)
    fields = await _body(request, {"to"})
    name = request.path_params["name"]
    new = fields.required_text("to")

    def work() -> dict[str, Any]:
        reg = resources(request).registry(name)
        record = _owned(reg, name, who)
        try:
            names = reg.transfer(name, record.registrant, new)
        except RegistryError as e:
            raise _refused("transfer", name, e) from None
        return {"schema": REGISTRY_SCHEMA, "action": "transfer", "name": name, "ok": True, "names": names}

    return JSONResponse(await run_bounded(request, work))


async def registry_show(request: Request) -> Response:
    """``GET /v1/registry/names/{name}``: the registration, its bundle and its reserved variants."""
    who = authorize(request, Role.REGISTRAR)
    name = request.path_params["name"]

    def work() -> dict[str, Any]:
        reg = resources(request).registry(name)
        record = _owned(reg, name, who)
        records, reservations = reg.bundle_of(name)
        return {
            "schema": REGISTRY_SCHEMA,
            "action": "show",
            "name": name,
            "ok": True,
            "record": record.to_dict(),
            "bundle": [r.to_dict() for r in records],
            "reservations": [r.to_dict() for r in reservations],
            "stale": record.policy_version != reg.policy.version,
        }

    return JSONResponse(await run_bounded(request, work))


async def registry_list(request: Request) -> Response:
    """``GET /v1/registry/names?tld=…``: the names (a registrar's own; every name for an admin)."""
    who = authorize(request, Role.REGISTRAR)
    fields = Fields(dict(request.query_params), known=frozenset({"tld"}), query=True)
    tld = fields.required_text("tld")

    def work() -> list[dict[str, Any]]:
        reg = resources(request).registry(f"x.{tld}")
        out = []
        for r in reg.names():
            if who.role is Role.REGISTRAR and r.registrant != who.registrar:
                continue
            out.append(
                {
                    "schema": REGISTRY_SCHEMA,
                    "action": "list",
                    **r.to_dict(),
                    "stale": r.policy_version != reg.policy.version,
                }
            )
        return out

    return JSONResponse(await run_bounded(request, work))
