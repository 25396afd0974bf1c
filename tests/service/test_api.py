"""The read-only API over loopback: the same records as the CLI's --json, every route documented."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest

from idnkit.service._app import READY_PROBE_SECONDS, readyz
from idnkit.service._openapi import openapi_document

from .._cli import run_cli
from .conftest import Live


def cli_record(name: str, *options: str) -> dict[str, object]:
    """The CLI's record for a name given as an argument, without the argument's position."""
    result = run_cli("check", "--json", *options, "--", name)
    record: dict[str, object] = json.loads(result.output.splitlines()[0])
    record.pop("argument")
    return record


@pytest.mark.parametrize(
    ("name", "options", "cli_args"),
    [
        ("bücher.example", {}, []),
        ("räksmörgås.se", {}, []),
        ("straße.se", {}, []),
        ("xn--zz.de", {}, []),
        ("pаypal.com", {}, []),  # the mixed-script warning, given by default by both
        ("Bücher.DE", {"profile": "lookup"}, ["--profile", "lookup"]),
        ("Bücher.DE", {"profile": "lookup", "map": False}, ["--profile", "lookup", "--no-map"]),  # options.map
        ("пример.рф", {"policy": "рф", "confusables": True}, ["--policy", "рф", "--confusables"]),
        ("ελληνικά.gr", {"lgr": "rz5/greek"}, ["--lgr", "rz5/greek"]),
        # The other named profiles (docs/profiles.md), with the uts46 profile's options
        ("faß.de", {"profile": "uts46"}, ["--profile", "uts46"]),
        (
            "faß.de",
            {"profile": "uts46", "transitional_processing": True},
            ["--profile", "uts46", "--transitional"],
        ),
        ("_dmarc.example", {"profile": "uts46", "use_std3_ascii_rules": False}, ["--profile", "uts46", "--no-std3"]),
        ("Bücher.example", {"profile": "whatwg-url"}, ["--profile", "whatwg-url"]),
        ("pаypal.com", {"profile": "display"}, ["--profile", "display"]),
        ("user@bücher.de", {"profile": "email"}, ["--profile", "email"]),
    ],
)
def test_check_answers_the_cli_record(live: Live, name: str, options: dict[str, object], cli_args: list[str]) -> None:
    with live.client("reader") as c:
        posted = c.post("/v1/check", json={"name": name, **options})
        got = c.get(
            "/v1/check",
            params={"name": name, **{k: str(v).lower() if isinstance(v, bool) else v for k, v in options.items()}},
        )
    assert posted.status_code == 200, posted.text
    assert posted.json() == cli_record(name, *cli_args)
    assert got.json() == posted.json()


def test_against_list_refuses_a_lookalike(live: Live) -> None:
    with live.client("reader") as c:
        r = c.post("/v1/check", json={"name": "раураӏ.com", "against": ["paypal.com", "example.com"]})
    body = r.json()
    assert body["valid"] is True and body["accepted"] is False
    assert [h["name"] for h in body["collisions"]] == ["paypal.com"]


def test_batch_streams_one_record_per_name_then_a_summary(live: Live) -> None:
    names = ["bücher.example", "a..b", "-x.de", "räksmörgås.se"]
    with live.client("reader") as c:
        r = c.post("/v1/check/batch", json={"names": names})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in r.text.splitlines()]
    assert [x.get("input") for x in records[:-1]] == names
    assert [x["line"] for x in records[:-1]] == [1, 2, 3, 4]
    assert records[-1] == {"schema": "idnkit.summary/1", "checked": 4, "valid": 2, "invalid": 2, "unreadable": 0}
    for record, name in zip(records, names, strict=False):
        expected = cli_record(name)
        assert {k: v for k, v in record.items() if k != "line"} == expected


def test_text_batch_reports_an_unreadable_line_and_goes_on(live: Live) -> None:
    body = "bücher.example\n# a comment\n\n".encode() + b"bad\xff.de\r\nok.de\n"
    with live.client("reader") as c:
        r = c.post("/v1/check/batch", content=body, headers={"content-type": "text/plain; charset=utf-8"})
    records = [json.loads(line) for line in r.text.splitlines()]
    assert [x["schema"] for x in records] == [
        "idnkit.check/1",
        "idnkit.unreadable/1",
        "idnkit.check/1",
        "idnkit.summary/1",
    ]
    assert records[1] == {"schema": "idnkit.unreadable/1", "line": 4, "error": "not UTF-8: byte 4 (0xFF)"}
    assert records[2]["line"] == 5 and records[2]["input"] == "ok.de"
    assert records[-1]["unreadable"] == 1 and records[-1]["checked"] == 2


def test_explain_confusable_lgr_and_policies(live: Live) -> None:
    with live.client("reader") as c:
        explained = c.get("/v1/explain/U+00DF").json()
        assert explained["schema"] == "idnkit.explain/1" and explained["codepoint"] == "U+00DF"
        assert c.get("/v1/explain/nonsense").status_code == 422
        pair = c.get("/v1/confusable", params={"a": "paypal.com", "b": "раураӏ.com"}).json()
        assert pair["confusable"] is True and pair["kind"] == "whole-script"
        tables = c.get("/v1/lgr").json()
        assert "rz5/arabic" in {t["name"] for t in tables}
        variants = c.get("/v1/lgr/rz5/arabic/variants", params={"label": "ههه", "limit": 3}).json()
        assert variants["schema"] == "idnkit.lgr/1" and len(variants["variants"]) <= 3
        assert variants["variant_count"] >= len(variants["variants"])
        index = c.get("/v1/lgr/rz5/arabic/index", params={"label": "ههه"}).json()
        assert index["index_label"] == variants["index_label"]
        assert {p["tld"] for p in c.get("/v1/policies").json()} >= {"se", "рф"}
        se = c.get("/v1/policies/se").json()
        assert se["schema"] == "idnkit.policy/1"


@pytest.mark.parametrize(
    ("path", "params", "what"),
    [
        ("/v1/check", {"name": "a.se", "policy": "zz"}, "unknown_policy"),
        ("/v1/check", {"name": "a.se", "policy": "/etc/passwd"}, "unknown_policy"),
        ("/v1/check", {"name": "a.se", "lgr": "rz5/klingon"}, "unknown_lgr"),
        ("/v1/check", {"name": "a.se", "lgr": "/etc/passwd"}, "unknown_lgr"),
        ("/v1/policies/zz", {}, "unknown_policy"),
        ("/v1/lgr/nope/variants", {"label": "a"}, "unknown_lgr"),
    ],
)
def test_unknown_policy_or_table_is_404_naming_it(live: Live, path: str, params: dict[str, str], what: str) -> None:
    """Only shipped policies and tables can be named: a request never makes the service read a file."""
    with live.client("reader") as c:
        r = c.get(path, params=params)
    assert r.status_code == 404
    assert r.json()["error"] == what and r.json()["name"] in {*params.values(), "zz", "nope"}


def test_openapi_document_is_valid_and_matches_the_routes(live: Live) -> None:
    from openapi_spec_validator import validate

    with live.client(None) as c:
        served = c.get("/v1/openapi.json").json()
    assert served == openapi_document()
    validate(served)
    from idnkit.service._app import ROUTES

    routes = {(r.path.replace(":path", ""), m.lower()) for r in ROUTES for m in (r.methods or ()) if m != "HEAD"}
    documented = {(p, m) for p, ops in served["paths"].items() for m in ops}
    assert routes == documented


def test_answers_match_their_documented_schemas(live: Live) -> None:
    import jsonschema

    doc = openapi_document()

    def check(instance: object, name: str) -> None:
        schema = {**doc["components"]["schemas"][name], "components": doc["components"]}
        schema = json.loads(json.dumps(schema).replace("#/components/", "#/components/"))
        jsonschema.validate(instance, schema)

    with live.client("reader") as c:
        check(c.post("/v1/check", json={"name": "bücher.example"}).json(), "CheckRecord")
        check(c.post("/v1/check", content=b"{").json(), "Error")
        check(c.get("/v1/explain/U+0041").json(), "Explanation")
        check(c.get("/v1/confusable", params={"a": "a", "b": "а"}).json(), "Confusable")
        check(c.get("/v1/lgr/rz5/latin/variants", params={"label": "abc"}).json(), "LgrVariants")
    with pytest.raises(jsonschema.ValidationError):
        check({"schema": "idnkit.check/1"}, "CheckRecord")  # the schemas do constrain


def test_health_and_readiness(serve: Callable[..., Live]) -> None:
    live = serve(db="memory:")
    with live.client(None) as c:
        assert c.get("/healthz").json()["status"] == "ok"
        ready = c.get("/readyz").json()
        assert ready["status"] == "ready" and ready["registry"] is True and ready["unicode"] == "17.0.0"


def test_readiness_answers_within_its_bound_while_the_database_hangs() -> None:
    """A database call that never returns (a server gone mid-connection) gets 503 from the probe's own bound."""
    released = threading.Event()

    @contextlib.contextmanager
    def hanging_transaction() -> Iterator[None]:
        released.wait(60)  # only the test's release below ends it
        yield

    store = SimpleNamespace(transaction=hanging_transaction)
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(resources=SimpleNamespace(store=store))))
    try:
        answer = asyncio.run(readyz(request))  # type: ignore[arg-type]
    finally:
        released.set()
    assert answer.status_code == 503 and answer.headers["retry-after"] == "2"
    body = json.loads(bytes(answer.body))
    assert body == {"status": "unavailable", "reason": f"the database did not answer within {READY_PROBE_SECONDS:g} s"}


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"profile": "lookup", "transitional_processing": True}, "transitional_processing", "applies to profile uts46"),
        ({"profile": "email", "policy": "se"}, "policy", "registration and lookup profiles"),
        ({"profile": "whatwg-url", "lgr": "rz5/latin"}, "lgr", "registration and lookup profiles"),
        ({"profile": "idna2003"}, "profile", "must be one of"),
    ],
)
def test_profile_options_that_do_not_apply_are_422_naming_the_field(
    live: Live, params: dict[str, object], field: str, says: str
) -> None:
    with live.client("reader") as c:
        answer = c.post("/v1/check", json={"name": "bücher.de", **params})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["field"] == field and says in body["message"]
