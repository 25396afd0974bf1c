"""The read-only API: check one name or a batch, explain a code point, LGR variants, confusables, policies.

Every record is the CLI's own (``idncheck check --json`` and friends, docs/json-schema.md): the
check record is built by :mod:`idnkit.namecheck` for both.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from .. import lgr as lgrmod
from .. import profiles
from ..confusables import confusable, is_intentional, skeleton
from ..errors import IdnkitError
from ..idna import Profile, check_domain, explain
from ..namecheck import (
    CHECK_SCHEMA,
    ConfusablesJudge,
    Judge,
    LgrJudge,
    PolicyJudge,
    ScriptsJudge,
    check_record,
    record_json,
)
from ..policy import shipped
from ..uts46 import OPTION_NAMES, Uts46Options
from ._app_state import authorize, resources, run_bounded
from ._auth import Role
from ._errors import ApiError, not_found
from ._http import Fields, parse_json_object, read_body
from ._resources import Resources

EXPLAIN_SCHEMA = "idnkit.explain/1"
SUMMARY_SCHEMA = "idnkit.summary/1"
UNREADABLE_SCHEMA = "idnkit.unreadable/1"
CONFUSABLE_SCHEMA = "idnkit.confusable/1"
LGR_SCHEMA = "idnkit.lgr/1"
LGR_TABLE_SCHEMA = "idnkit.lgr-table/1"
POLICY_SCHEMA = "idnkit.policy/1"
POLICY_LIST_SCHEMA = "idnkit.policy-list/1"
ERROR_RECORD_SCHEMA = "idnkit.error/1"

_REGISTRY_OPTIONS = ("map", "policy", "language", "lgr", "confusables", "against", "mark_folded")
_OPTIONS = frozenset({"profile", *_REGISTRY_OPTIONS, *OPTION_NAMES})
_BATCH_CHUNK = 256  # names per thread hop: large enough to amortize it, small enough to stream


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """One request's choice of checks, built once and applied to each of its names."""

    profile: Profile | None  # registration or lookup: check_domain and the judges
    map: bool | None
    judges: tuple[Judge, ...]
    other: str | None = None  # another named profile (docs/profiles.md): profiles.check, no judges
    uts46: Uts46Options | None = None  # the uts46 profile's options


def _options(request: Request, fields: Fields) -> CheckOptions:
    res = resources(request)
    profile_name = fields.text("profile", default=Profile.REGISTRATION.value)
    if profile_name not in profiles.NAMES:
        raise ApiError(422, "invalid_field", f"'profile' must be one of {', '.join(profiles.NAMES)}", field="profile")
    given = {key: fields.flag(key) for key in OPTION_NAMES if fields.values.get(key) is not None}
    if given and profile_name != "uts46":
        key = next(iter(given))
        raise ApiError(
            422,
            "invalid_field",
            f"'{key}' ({OPTION_NAMES[key]}) applies to profile uts46; {profile_name} follows "
            f"{profiles.get(profile_name).cite}",
            field=key,
        )
    if profile_name not in (Profile.REGISTRATION.value, Profile.LOOKUP.value):
        for key in _REGISTRY_OPTIONS:
            if fields.values.get(key) is not None:
                raise ApiError(
                    422,
                    "invalid_field",
                    f"'{key}': registry checks apply to the registration and lookup profiles, not {profile_name}",
                    field=key,
                )
        options = Uts46Options(**{k: bool(v) for k, v in given.items()}) if profile_name == "uts46" else None
        return CheckOptions(None, None, (), profile_name, options)
    profile = Profile(profile_name)
    judges: list[Judge] = []
    lgr_name = fields.text("lgr")
    table = res.table(lgr_name) if lgr_name else None
    if table is not None:
        judges.append(LgrJudge(table))
    limits = res.config.limits
    against = fields.strings("against", limits.max_against_names, "max_against_names")
    want_confusables = bool(fields.flag("confusables"))
    if against is not None:
        extra = [lgrmod.IndexLabelKeys(table)] if table is not None else []
        judges.append(
            ConfusablesJudge.against_names(
                against,
                confusables=want_confusables,
                mark_folded=bool(fields.flag("mark_folded")),
                extra_sources=extra,
                against_name="request",
            )
        )
    elif want_confusables:
        judges.append(ConfusablesJudge(confusables=True))
    if not want_confusables:
        judges.append(ScriptsJudge())  # the mixed-script warning, as idncheck gives it by default
    judges.append(PolicyJudge(res.selector(fields.text("policy"), fields.text("language"))))
    return CheckOptions(profile, fields.flag("map", default=None), tuple(judges))


# One name per script the shipped policies and tables cover, plus an A-label, an invalid name and a
# look-alike: checking them once loads every table a request would otherwise load on its first use.
_WARM_NAMES = (
    "bücher.de", "räksmörgås.se", "пример.рф", "παράδειγμα.gr", "中国.中国", "大学.cn", "例え.jp",
    "한국.kr", "مثال.ae", "דוגמה.il", "उदाहरण.in", "ตัวอย่าง.th", "xn--bcher-kva.example",
    "pаypal.com", "a..b", "-x-.de",
)  # fmt: skip


def warm_up(res: Resources) -> None:
    """Run the check path (IDNA2008, the judges, the record, its JSON) on :data:`_WARM_NAMES` under the
    service's default options, so that the tables loaded on first use are loaded before the first request."""
    judges: tuple[Judge, ...] = (ScriptsJudge(), PolicyJudge(res.selector(None, None)))
    for profile in (Profile.REGISTRATION, Profile.LOOKUP):
        options = CheckOptions(profile, None, judges)
        for name in _WARM_NAMES:
            with contextlib.suppress(ApiError):  # a policy's table that cannot run answers 500 at request time
                _json(_check(name, options))


def _check(name: str, options: CheckOptions) -> dict[str, Any]:
    if options.profile is None:  # uts46, whatwg-url, display, email: the record idncheck --profile prints
        assert options.other is not None
        other = profiles.check(name, options.other, options=options.uts46)
        return {"schema": CHECK_SCHEMA, **other.to_dict()}
    result = check_domain(name, profile=options.profile, map=options.map)
    try:
        verdicts = [j.judge(result) for j in options.judges]
    except IdnkitError as e:  # a policy's table that cannot run: the service is misconfigured, not the client
        raise ApiError(500, "policy_unavailable", str(e)) from None
    return check_record(result, verdicts, map=options.map)


async def check_one(request: Request) -> Response:
    """``GET /v1/check?name=…`` and ``POST /v1/check`` with a JSON object."""
    authorize(request, Role.READ)
    res = resources(request)
    if request.method == "GET":
        fields = Fields(dict(request.query_params), known=(_OPTIONS - {"against"}) | {"name"}, query=True)
    else:
        fields = Fields(
            parse_json_object(await read_body(request, res.config.limits.max_body_bytes)), known=_OPTIONS | {"name"}
        )
    name = fields.required_text("name")

    def work() -> dict[str, Any]:
        return _check(name, _options(request, fields))

    if fields.values.get("against") is None:
        # One name without a list is bounded work (the name's length is capped, LGR walks have budgets):
        # answered on the event loop, it saves the thread hop that would cost more than the check.
        return RecordResponse(work())
    return RecordResponse(await run_bounded(request, work))


def _batch_names(body: bytes, content_type: str, limit: int) -> tuple[Fields, list[tuple[int, str | None, str]]]:
    """The names of a batch body — a JSON object with ``names``, or text with one name per line —
    each with its line number (1-based; JSON: its index + 1) and the error that makes it unreadable."""
    if content_type.startswith("text/plain"):
        items: list[tuple[int, str | None, str]] = []
        for number, raw in enumerate(body.split(b"\n"), 1):
            raw = raw.removesuffix(b"\r").strip()
            if not raw or raw.startswith(b"#"):
                continue
            try:
                items.append((number, raw.decode("utf-8"), ""))
            except UnicodeDecodeError as e:
                items.append((number, None, f"not UTF-8: byte {e.start + 1} (0x{raw[e.start]:02X})"))
        fields = Fields({}, known=_OPTIONS)
    else:
        obj = parse_json_object(body)
        fields = Fields(obj, known=_OPTIONS | {"names"})
        names = fields.strings("names", limit, "max_batch_names")
        if names is None:
            raise ApiError(422, "missing_field", "'names' is required", field="names")
        items = [(i, n, "") for i, n in enumerate(names, 1)]
    if len(items) > limit:
        raise ApiError(
            413,
            "too_many_names",
            f"the batch holds {len(items)} names; at most {limit} per request",
            limit=("max_batch_names", limit),
        )
    return fields, items


async def check_batch(request: Request) -> Response:
    """``POST /v1/check/batch``: one record per name as JSON lines, streamed, then a summary record.

    A name that is not UTF-8 (text bodies) gets an ``idnkit.unreadable/1`` record and the batch goes
    on.  Past the request's time limit the stream ends with an ``idnkit.error/1`` record: the records
    already sent stand, and the summary is not sent, so a client can tell a cut batch from a whole one.
    """
    authorize(request, Role.READ)
    res = resources(request)
    limits = res.config.limits
    body = await read_body(request, limits.max_body_bytes)
    fields, items = _batch_names(body, request.headers.get("content-type", ""), limits.max_batch_names)
    options = await run_bounded(request, lambda: _options(request, fields))
    deadline = time.monotonic() + limits.request_seconds

    def chunk(part: Sequence[tuple[int, str | None, str]]) -> tuple[list[str], int, int, int]:
        lines, valid, invalid, unreadable = [], 0, 0, 0
        for line, name, error in part:
            if name is None:
                unreadable += 1
                lines.append(_json({"schema": UNREADABLE_SCHEMA, "line": line, "error": error}))
                continue
            record = _check(name, options)
            record["line"] = line
            if record.get("accepted", record["valid"]):
                valid += 1
            else:
                invalid += 1
            lines.append(_json(record))
        return lines, valid, invalid, unreadable

    async def stream() -> AsyncIterator[bytes]:
        from starlette.concurrency import run_in_threadpool

        totals = [0, 0, 0]
        for start in range(0, len(items), _BATCH_CHUNK):
            if time.monotonic() > deadline:
                error = ApiError(
                    504,
                    "time_limit",
                    f"the batch passed {limits.request_seconds} s after {start} names",
                    limit=("request_seconds", limits.request_seconds),
                )
                yield (_json(error.body()) + "\n").encode()
                return
            lines, *counts = await run_in_threadpool(chunk, items[start : start + _BATCH_CHUNK])
            totals = [t + c for t, c in zip(totals, counts, strict=True)]
            yield ("\n".join(lines) + "\n").encode()
        valid, invalid, unreadable = totals
        summary = {
            "schema": SUMMARY_SCHEMA,
            "checked": valid + invalid,
            "valid": valid,
            "invalid": invalid,
            "unreadable": unreadable,
        }
        yield (_json(summary) + "\n").encode()

    return StreamingResponse(stream(), media_type="application/x-ndjson")


def _json(obj: dict[str, Any]) -> str:
    return record_json(obj)


class RecordResponse(JSONResponse):
    """A JSON answer written by the CLI's serializer (:func:`~idnkit.namecheck.record_json`): the same
    bytes as ``idncheck --json``, and a lone surrogate in a name is escaped instead of failing the answer."""

    def render(self, content: Any) -> bytes:
        return record_json(content).encode("utf-8")


async def explain_codepoint(request: Request) -> Response:
    """``GET /v1/explain/{codepoint}``: U+00DF, 0xDF, 00DF or the character itself."""
    authorize(request, Role.READ)
    spec = request.path_params["codepoint"]
    try:
        found = explain(spec)
    except IdnkitError as e:
        raise ApiError(422, "invalid_codepoint", str(e), field="codepoint") from None
    return JSONResponse({"schema": EXPLAIN_SCHEMA, **found.to_dict()})


async def lgr_tables(request: Request) -> Response:
    """``GET /v1/lgr``: the shipped tables."""
    authorize(request, Role.READ)
    return JSONResponse([{"schema": LGR_TABLE_SCHEMA, **e.to_dict()} for e in lgrmod.catalogue()])


async def lgr_variants(request: Request) -> Response:
    """``GET /v1/lgr/{table}/variants?label=…&limit=…``: the label's verdict, index label and variants."""
    authorize(request, Role.READ)
    res = resources(request)
    fields = Fields(dict(request.query_params), known=frozenset({"label", "limit"}), query=True)
    label = fields.required_text("label")
    cap = res.config.limits.max_variants
    limit = fields.integer("limit", min(100, cap), low=0, high=cap)

    def work() -> dict[str, Any]:
        table = res.table(request.path_params["table"])
        try:
            verdict = table.validate(label)
            body: dict[str, Any] = {"schema": LGR_SCHEMA, **verdict.to_dict()}
            if not verdict.eligible:
                return body | {"index_label": None, "variant_count": 0, "variants": []}
            try:
                body["index_label"] = table.index_label(label)
            except lgrmod.LgrError:
                body["index_label"] = None  # undefined for this table (RFC 7940 §8.5)
            body["variant_count"] = table.variant_count(label)
            body["variants"] = [v.to_dict() for v in table.variants(label, limit=limit)]
            return body
        except lgrmod.LgrError as e:  # past the automaton's or the walk's bound: refused, never guessed
            raise ApiError(422, "lgr_limit", str(e)) from None

    return JSONResponse(await run_bounded(request, work))


async def lgr_index(request: Request) -> Response:
    """``GET /v1/lgr/{table}/index?label=…``: the index label (RFC 7940 §8.5), the key of a variant bundle."""
    authorize(request, Role.READ)
    res = resources(request)
    fields = Fields(dict(request.query_params), known=frozenset({"label"}), query=True)
    label = fields.required_text("label")

    def work() -> dict[str, Any]:
        table = res.table(request.path_params["table"])
        try:
            return {"lgr": table.name, "label": label, "index_label": table.index_label(label)}
        except lgrmod.LgrError as e:
            raise ApiError(422, "lgr_index_undefined", str(e)) from None

    return JSONResponse(await run_bounded(request, work))


async def confusable_pair(request: Request) -> Response:
    """``GET /v1/confusable?a=…&b=…``: are A and B confusable (UTS #39 §4)?  The CLI's record."""
    authorize(request, Role.READ)
    from ..collisions import _differing_labels, unicode_form

    fields = Fields(dict(request.query_params), known=frozenset({"a", "b", "mark_folded"}), query=True)
    a, b = unicode_form(fields.required_text("a")), unicode_form(fields.required_text("b"))
    mark_folded = bool(fields.flag("mark_folded"))

    def work() -> dict[str, Any]:
        kind = confusable(*_differing_labels(a, b), mark_folded=mark_folded)
        return {
            "schema": CONFUSABLE_SCHEMA,
            "a": a,
            "b": b,
            "confusable": kind is not None,
            "kind": None if kind is None else kind.value,
            "skeletons": [skeleton(a), skeleton(b)],
            "intentional": is_intentional(a, b),
        }

    return JSONResponse(await run_bounded(request, work))


async def policy_list(request: Request) -> Response:
    """``GET /v1/policies``: the shipped policies."""
    authorize(request, Role.READ)
    return JSONResponse([{"schema": POLICY_LIST_SCHEMA, **p.to_dict()} for p in shipped()])


async def policy_show(request: Request) -> Response:
    """``GET /v1/policies/{name}``: what a shipped policy allows (``idncheck policy show --json``)."""
    authorize(request, Role.READ)
    res = resources(request)
    name = request.path_params["name"]
    if not res.is_shipped_policy(name):
        raise not_found("policy", name)
    selector = res.selector(name, None)
    policy = selector.policy_for(name if "." in name else f"x.{name}")
    assert policy is not None
    return JSONResponse({"schema": POLICY_SCHEMA, **policy.data.to_dict()})
