"""The API's OpenAPI 3.1 document (served at ``/v1/openapi.json``; tests hold it to the routes and answers).

Written out rather than generated from type annotations: the records are the CLI's own schemas
(docs/json-schema.md), and a hand-kept document says exactly what a Java or Go SRS may rely on.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import profiles
from .._version import __version__
from ..uts46 import OPTION_NAMES

_OBJ: dict[str, Any] = {"type": "object"}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Malformed body: not UTF-8 or not JSON",
        401: "No valid token",
        403: "Token lacks the role or the name",
        404: "Unknown policy, table or name",
        409: "Refused by the registry",
        413: "Body or list over its limit",
        422: "A field of the wrong type or value",
        503: "Database unavailable (Retry-After)",
        504: "Over the request's time limit",
    }
    return {str(c): _json(_ref("Error"), text[c]) for c in codes}


def _query(name: str, description: str, *, required: bool = False, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": {"type": kind}}


def _path(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string"}}


_CHECK_OPTIONS: dict[str, Any] = {
    "profile": {"type": "string", "enum": list(profiles.NAMES), "default": "registration"},
    "map": {"type": ["boolean", "null"], "description": "UTS #46 mapping first (default: on for lookup)"},
    "policy": {"type": ["string", "null"], "description": "A shipped policy (TLD) or 'none'; default the TLD's"},
    "language": {"type": ["string", "null"]},
    "lgr": {"type": ["string", "null"], "description": "A shipped LGR table, judging the leftmost label"},
    "confusables": {"type": "boolean", "default": False},
    "against": {"type": "array", "items": {"type": "string"}, "maxItems": 10000},
    "mark_folded": {"type": "boolean", "default": False},
    **{
        key: {"type": "boolean", "description": f"UTS #46 {name} (profile uts46 only; default from IdnaTestV2)"}
        for key, name in OPTION_NAMES.items()
    },
}

_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["schema", "status", "error", "message"],
        "properties": {
            "schema": {"const": "idnkit.error/1"},
            "status": {"type": "integer"},
            "error": {"type": "string"},
            "message": {"type": "string"},
            "limit": {
                "type": "object",
                "required": ["name", "value"],
                "properties": {"name": {"type": "string"}, "value": {"type": "number"}},
            },
        },
    },
    "CheckRequest": {
        "type": "object",
        "required": ["name"],
        "additionalProperties": False,
        "properties": {"name": {"type": "string"}, **_CHECK_OPTIONS},
    },
    "BatchRequest": {
        "type": "object",
        "required": ["names"],
        "additionalProperties": False,
        "properties": {"names": {"type": "array", "items": {"type": "string"}, "maxItems": 10000}, **_CHECK_OPTIONS},
    },
    "CheckRecord": {
        "type": "object",
        "required": ["schema", "input", "valid", "labels", "findings"],
        "properties": {
            "schema": {"const": "idnkit.check/1"},
            "input": {"type": "string"},
            "valid": {"type": "boolean"},
            "accepted": {"type": "boolean"},
            "name": {"type": ["string", "null"]},
            "ascii": {"type": ["string", "null"]},
            "labels": {"type": "array", "items": _OBJ},
            "findings": {"type": "array", "items": _ref("Finding")},
            "policy": _OBJ,
            "lgr": _OBJ,
            "confusables": {"type": "array"},
            "collisions": {"type": "array"},
            "line": {"type": "integer"},
        },
    },
    "Finding": {
        "type": "object",
        "required": ["rule", "message"],
        "properties": {
            "rule": {"type": "string"},
            "message": {"type": "string"},
            "position": {"type": ["integer", "null"]},
            "codepoint": {"type": ["string", "null"]},
            "severity": {"type": "string"},
        },
    },
    "Explanation": {
        "type": "object",
        "required": ["schema", "codepoint"],
        "properties": {"schema": {"const": "idnkit.explain/1"}, "codepoint": {"type": "string"}},
    },
    "Confusable": {
        "type": "object",
        "required": ["schema", "a", "b", "confusable", "kind", "skeletons"],
        "properties": {
            "schema": {"const": "idnkit.confusable/1"},
            "confusable": {"type": "boolean"},
            "kind": {"type": ["string", "null"]},
        },
    },
    "LgrVariants": {
        "type": "object",
        "required": ["schema", "lgr", "label", "variants"],
        "properties": {
            "schema": {"const": "idnkit.lgr/1"},
            "index_label": {"type": ["string", "null"]},
            "variant_count": {"type": "integer"},
            "variants": {"type": "array", "items": _OBJ},
        },
    },
    "LgrIndex": {"type": "object", "required": ["lgr", "label", "index_label"]},
    "RegistrationRequest": {
        "type": "object",
        "required": ["name"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "registrant": {"type": "string", "description": "admin tokens only"},
            "language": {"type": "string"},
        },
    },
    "Registration": {
        "type": "object",
        "required": ["schema", "action", "ok"],
        "properties": {
            "schema": {"const": "idnkit.registry/1"},
            "action": {"type": "string"},
            "ok": {"type": "boolean"},
            "conflicts": {"type": "array"},
            "findings": {"type": "array"},
            "bundle": {"type": "array"},
        },
    },
    "RegistryNames": {
        "type": "object",
        "required": ["schema", "action", "ok", "names"],
        "properties": {
            "schema": {"const": "idnkit.registry/1"},
            "names": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Health": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
}


def _op(
    summary: str,
    responses: dict[str, Any],
    *,
    params: list[Any] | None = None,
    body: dict[str, Any] | None = None,
    secured: bool = True,
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if params:
        op["parameters"] = params
    if body is not None:
        op["requestBody"] = {"required": True, "content": body}
    if not secured:
        op["security"] = []
    return op


@cache
def openapi_document() -> dict[str, Any]:
    """The document; every route of the app appears here and nothing else (tests/service/test_openapi.py)."""
    name_path = _path("name", "The domain name (U-label or A-label form)")
    reg_body = {"application/json": {"schema": _ref("RegistrationRequest")}}
    paths: dict[str, Any] = {
        "/healthz": {"get": _op("Process up", {"200": _json(_ref("Health"), "Up")}, secured=False)},
        "/readyz": {
            "get": _op(
                "Tables loaded, database reachable",
                {"200": _json(_ref("Health"), "Ready"), **_errors(503)},
                secured=False,
            )
        },
        "/v1/openapi.json": {"get": _op("This document", {"200": _json(_OBJ, "OpenAPI 3.1")}, secured=False)},
        "/v1/check": {
            "get": _op(
                "Check one name",
                {"200": _json(_ref("CheckRecord"), "The verdict"), **_errors(401, 404, 422, 504)},
                params=[
                    _query("name", "The name", required=True),
                    _query("profile", "registration, lookup, uts46, whatwg-url, display or email"),
                    _query("policy", "Shipped policy or none"),
                    _query("lgr", "Shipped LGR table"),
                    _query("language", "Language tag"),
                    _query("map", "UTS #46 mapping", kind="boolean"),
                    _query("confusables", "UTS #39 report", kind="boolean"),
                    _query("mark_folded", "Mark-folded look-alikes", kind="boolean"),
                    *(
                        _query(key, f"UTS #46 {name} (profile uts46)", kind="boolean")
                        for key, name in OPTION_NAMES.items()
                    ),
                ],
            ),
            "post": _op(
                "Check one name",
                {"200": _json(_ref("CheckRecord"), "The verdict"), **_errors(400, 401, 404, 413, 422, 504)},
                body={"application/json": {"schema": _ref("CheckRequest")}},
            ),
        },
        "/v1/check/batch": {
            "post": _op(
                "Check up to 10,000 names; JSON lines back, streamed, then an idnkit.summary/1 record",
                {
                    "200": {
                        "description": "One record per name",
                        "content": {"application/x-ndjson": {"schema": _OBJ}},
                    },
                    **_errors(400, 401, 404, 413, 422, 504),
                },
                body={
                    "application/json": {"schema": _ref("BatchRequest")},
                    "text/plain": {"schema": {"type": "string", "description": "One name per line"}},
                },
            )
        },
        "/v1/explain/{codepoint}": {
            "get": _op(
                "Explain a code point's IDNA2008 property",
                {"200": _json(_ref("Explanation"), "The derivation"), **_errors(401, 422)},
                params=[_path("codepoint", "U+00DF, 0xDF, 00DF or the character")],
            )
        },
        "/v1/confusable": {
            "get": _op(
                "Are A and B confusable (UTS #39)?",
                {"200": _json(_ref("Confusable"), "The answer"), **_errors(401, 422)},
                params=[
                    _query("a", "First", required=True),
                    _query("b", "Second", required=True),
                    _query("mark_folded", "Mark-folded too", kind="boolean"),
                ],
            )
        },
        "/v1/lgr": {
            "get": _op("Shipped LGR tables", {"200": _json({"type": "array", "items": _OBJ}, "Tables"), **_errors(401)})
        },
        "/v1/lgr/{table}/variants": {
            "get": _op(
                "A label's LGR verdict, index label and variants",
                {"200": _json(_ref("LgrVariants"), "Variants"), **_errors(401, 404, 422, 504)},
                params=[
                    _path("table", "Shipped table, e.g. rz5/arabic"),
                    _query("label", "The label", required=True),
                    _query("limit", "At most this many variants", kind="integer"),
                ],
            )
        },
        "/v1/lgr/{table}/index": {
            "get": _op(
                "A label's index label (RFC 7940 §8.5)",
                {"200": _json(_ref("LgrIndex"), "Index"), **_errors(401, 404, 422)},
                params=[_path("table", "Shipped table"), _query("label", "The label", required=True)],
            )
        },
        "/v1/policies": {
            "get": _op("Shipped policies", {"200": _json({"type": "array", "items": _OBJ}, "Policies"), **_errors(401)})
        },
        "/v1/policies/{name}": {
            "get": _op(
                "What a policy allows",
                {"200": _json(_OBJ, "idnkit.policy/1"), **_errors(401, 404)},
                params=[_path("name", "A TLD with a shipped policy")],
            )
        },
        "/v1/registry/check": {
            "post": _op(
                "Could the name be registered now?",
                {"200": _json(_ref("Registration"), "Every conflict"), **_errors(400, 401, 403, 404, 422, 503, 504)},
                body=reg_body,
            )
        },
        "/v1/registry/names": {
            "get": _op(
                "Registered names (a registrar's own)",
                {"200": _json({"type": "array", "items": _OBJ}, "Names"), **_errors(401, 403, 404, 422, 503)},
                params=[_query("tld", "The TLD", required=True)],
            ),
            "post": _op(
                "Register a name",
                {
                    "201": _json(_ref("Registration"), "Registered"),
                    "409": _json(_ref("Registration"), "Refused, with every reason"),
                    **_errors(400, 401, 403, 404, 413, 422, 503, 504),
                },
                body=reg_body,
            ),
        },
        "/v1/registry/names/{name}": {
            "get": _op(
                "A registration and its bundle",
                {"200": _json(_OBJ, "The record"), **_errors(401, 403, 404, 503)},
                params=[name_path],
            ),
            "delete": _op(
                "Delete a name (a root takes its bundle)",
                {"200": _json(_ref("RegistryNames"), "Deleted"), **_errors(401, 403, 404, 409, 503)},
                params=[name_path],
            ),
        },
        "/v1/registry/names/{name}/bundle": {
            "post": _op(
                "Activate a reserved variant",
                {
                    "200": _json(_ref("Registration"), "Activated"),
                    "409": _json(_ref("Error"), "Refused"),
                    **_errors(401, 403, 404, 503),
                },
                params=[name_path],
                body={"application/json": {"schema": _OBJ}},
            )
        },
        "/v1/registry/names/{name}/transfer": {
            "post": _op(
                "Move a bundle to another registrant",
                {"200": _json(_ref("RegistryNames"), "Transferred"), **_errors(401, 403, 404, 409, 422, 503)},
                params=[name_path],
                body={
                    "application/json": {
                        "schema": {"type": "object", "required": ["to"], "properties": {"to": {"type": "string"}}}
                    }
                },
            )
        },
        "/v1/epp": {
            "post": _op(
                "Answer an EPP <domain:check>, <domain:create> or <domain:info> (docs/epp.md)",
                {
                    "200": {
                        "description": "The EPP response document; its result code also in X-EPP-Result",
                        "content": {"application/epp+xml": {"schema": {"type": "string"}}},
                    },
                    **_errors(401, 403, 413, 503, 504),
                },
                body={"application/epp+xml": {"schema": {"type": "string"}}},
            )
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "idnkit service",
            "version": __version__,
            "description": "IDN validation and registry operations (docs/service.md)",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": _SCHEMAS, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
