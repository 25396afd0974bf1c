"""Registry operations over HTTP, on every store: registrars act only on their own names."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from .conftest import Live


def _db(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if kind == "memory":
        return "memory:"
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'reg.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def registry(request: pytest.FixtureRequest, serve: Callable[..., Live], tmp_path: Path) -> Live:
    return serve(db=_db(request.param, request, tmp_path), policy="cn")


def test_add_show_list_bundle_transfer_remove(registry: Live) -> None:
    with registry.client("registrar") as a, registry.client("other") as b:
        added = a.post("/v1/registry/names", json={"name": "学校.中国"})
        assert added.status_code == 201, added.text
        body = added.json()
        assert body["schema"] == "idnkit.registry/1" and body["ok"] and body["registrant"] == "reg-a"
        assert {v["label"]: v["action"] for v in body["bundle"]}["學校"] == "bundled"

        clash = b.post("/v1/registry/names", json={"name": "學校.中国"})  # the bundled variant: taken
        assert clash.status_code == 409 and not clash.json()["ok"]
        assert clash.json()["conflicts"][0]["registrant"] == "reg-a"
        check = b.post("/v1/registry/check", json={"name": "学挍.中国"})  # a blocked variant
        assert check.status_code == 200 and check.json()["ok"] is False

        shown = a.get("/v1/registry/names/学校.中国").json()
        assert {r["name"] for r in shown["bundle"]} == {"学校", "學校"}
        assert b.get("/v1/registry/names/学校.中国").status_code == 403
        assert {r["name"] for r in a.get("/v1/registry/names", params={"tld": "中国"}).json()} == {"学校", "學校"}
        assert b.get("/v1/registry/names", params={"tld": "中国"}).json() == []

        assert b.delete("/v1/registry/names/学校.中国").status_code == 403
        assert b.post("/v1/registry/names/学校.中国/transfer", json={"to": "reg-b"}).status_code == 403
        assert a.post("/v1/registry/names", json={"name": "大学.中国", "registrant": "reg-b"}).status_code == 403

        moved = a.post("/v1/registry/names/学校.中国/transfer", json={"to": "reg-b"})
        assert moved.status_code == 200 and set(moved.json()["names"]) == {"学校", "學校"}
        assert a.delete("/v1/registry/names/学校.中国").status_code == 403  # no longer reg-a's
        removed = b.delete("/v1/registry/names/学校.中国")
        assert removed.status_code == 200 and set(removed.json()["names"]) == {"学校", "學校"}
        assert b.get("/v1/registry/names/学校.中国").status_code == 404
        assert b.delete("/v1/registry/names/学校.中国").status_code == 404


def test_admin_names_the_registrant_and_errors_name_the_field(registry: Live) -> None:
    with registry.client("admin") as c:
        assert c.post("/v1/registry/names", json={"name": "大学.中国"}).status_code == 422
        r = c.post("/v1/registry/names", json={"name": "大学.中国", "registrant": "reg-z"})
        assert r.status_code == 201 and r.json()["registrant"] == "reg-z"
        assert c.post("/v1/registry/names/大学.中国/bundle", json={"registrant": "reg-z"}).status_code == 409
        bad = c.post("/v1/registry/names", json={"name": "-x.中国", "registrant": "reg-z"})
        assert bad.status_code == 409 and bad.json()["findings"]


def test_a_service_without_a_database_says_so(serve: Callable[..., Live]) -> None:
    live = serve()
    with live.client("registrar") as c:
        r = c.post("/v1/registry/names", json={"name": "学校.中国"})
    assert r.status_code == 404 and r.json()["error"] == "no_registry"


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_sixteen_clients_racing_for_one_bundle_have_one_winner(
    serve: Callable[..., Live], tmp_path: Path, request: pytest.FixtureRequest, kind: str
) -> None:
    """Every client asks for a different spelling of the same bundle at once; exactly one is acknowledged,
    and afterwards the registry holds exactly that registrant's bundle."""
    live = serve(db=_db(kind, request, tmp_path), policy="cn")
    spellings = ["学校", "學校"] * 8
    barrier = threading.Barrier(len(spellings))
    outcomes: list[tuple[int, int]] = []
    lock = threading.Lock()

    def race(i: int, label: str) -> None:
        with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {live.tokens['admin']}"}) as c:
            barrier.wait()
            r = c.post("/v1/registry/names", json={"name": f"{label}.中国", "registrant": f"r{i}"})
        with lock:
            outcomes.append((i, r.status_code))

    threads = [threading.Thread(target=race, args=(i, s)) for i, s in enumerate(spellings)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    winners = [i for i, status in outcomes if status == 201]
    assert len(outcomes) == 16 and len(winners) == 1, outcomes
    assert {s for _, s in outcomes} <= {201, 409}
    with live.client("admin") as c:
        names = c.get("/v1/registry/names", params={"tld": "中国"}).json()
    assert {n["registrant"] for n in names} == {f"r{winners[0]}"} and {n["name"] for n in names} == {"学校", "學校"}
