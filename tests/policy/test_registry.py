"""Registry: conflicts by variant, look-alike and fold; bundles; delete/transfer; concurrency."""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from idnkit.policy import Policy, Registry, RegistryError, SQLiteStore, VariantAction, VariantLabel, loads

from .conftest import OpenStore
from .fakes import ENGINES
from .test_loader import MINIMAL

HEAD = MINIMAL.replace('[[table]]\nname = "t/latin"\ntag = "und-Latn"\n', "")
BODY = """
[[table]]
name = "t/latin"
tag = "und-Latn"
[[table]]
name = "t/cyrillic"
tag = "ru"
[[table]]
name = "t/han"
tag = "zh"
[variants]
allocatable = "bundled"
blocked = "blocked"
[confusables]
skeleton = true
strip_marks = true
exempt = [["pop", "рор"]]
source = "test registry rules"
"""


def make_policy(body: str = BODY, version: str = "1") -> Policy:
    return loads(HEAD.replace('version = "1"', f'version = "{version}"') + body, "reg.toml", engines=ENGINES)


@pytest.fixture
def registry(open_store: OpenStore) -> Registry:
    return Registry(make_policy(), open_store())


def rules(check: object) -> list[str]:
    return [f.rule for f in check.errors]  # type: ignore[attr-defined]


def test_cyrillic_lookalike_of_a_registered_latin_name_is_refused(registry: Registry) -> None:
    assert registry.add("coop", "alice").ok
    lookalike = registry.add("соор", "mallory")  # all Cyrillic: с о о р
    assert rules(lookalike) == ["policy.registry.conflict"]
    (conflict,) = lookalike.conflicts
    assert (conflict.other, conflict.kind, conflict.registrant) == ("coop", "skeleton", "alice")
    assert lookalike.findings[-1].source == "test registry rules"
    assert registry.get("соор") is None
    assert registry.add("рау", "mallory").ok  # "pay" is not registered


def test_fold_conflicts_and_exemptions(registry: Registry) -> None:
    assert registry.add("bücher", "alice").ok
    check = registry.can_register("bucher", "bob")
    assert [(c.other, c.kind) for c in check.conflicts] == [("bücher", "fold")]
    assert registry.add("pop", "alice").ok
    assert registry.can_register("рор", "bob").ok  # exempt pair, though the skeletons agree


def test_exact_name_and_bad_labels(registry: Registry) -> None:
    assert registry.add("bücher.example", "alice").ok
    again = registry.add("xn--bcher-kva", "bob")
    assert rules(again) == ["policy.registry.registered"] and again.conflicts[0].registrant == "alice"
    bad = registry.add("-bad", "bob")
    assert not bad.ok and bad.conflicts == () and registry.get("bücher") is not None
    with pytest.raises(RegistryError):
        registry.add("ok", "")


def test_simplified_and_traditional_variants_bundle_to_the_same_registrant(registry: Registry) -> None:
    check = registry.add("中国", "alice")
    assert check.ok
    bundle = {r.label: r.action for r in check.bundle}
    assert bundle == {"中國": VariantAction.BUNDLED}
    names, reservations = registry.bundle_of("中國")
    assert [(n.name, n.registrant, n.root) for n in names] == [("中国", "alice", "中国"), ("中國", "alice", "中国")]
    assert [r.label for r in reservations] == ["中國"]
    # Someone else cannot take the variant; the index label ties it to 中国.
    taken = registry.can_register("中國", "bob")
    assert "policy.registry.registered" in rules(taken)


def test_blocked_variant_is_refused_to_everyone(registry: Registry) -> None:
    assert registry.add("台", "alice").ok
    for who in ("alice", "bob"):
        check = registry.can_register("臺", who)
        assert "policy.registry.variant_blocked" in rules(check), who
    with pytest.raises(RegistryError, match="blocked variant"):
        registry.bundle("臺", "alice")


def test_on_request_variants_are_activated_only_by_their_registrant(open_store: OpenStore) -> None:
    reg = Registry(make_policy(BODY.replace('allocatable = "bundled"', 'allocatable = "on-request"')),
                   open_store())  # fmt: skip
    assert reg.add("学", "alice").ok
    assert [n.name for n in reg.names()] == ["学"]
    other = reg.can_register("學", "bob")
    assert rules(other) == ["policy.registry.variant_reserved"]
    with pytest.raises(RegistryError, match="reserved to alice"):
        reg.bundle("學", "bob")
    activated = reg.bundle("學", "alice")
    assert activated.ok and activated.activates == "学"
    assert [(n.name, n.root) for n in reg.names()] == [("学", "学"), ("學", "学")]
    again = reg.bundle("學", "alice")  # a retry of the same request: nothing more happens
    assert again.ok and again.activates == "学"
    assert [(n.name, n.root) for n in reg.names()] == [("学", "学"), ("學", "学")]
    with pytest.raises(RegistryError, match="already registered to alice"):
        reg.bundle("學", "bob")  # still not bob's
    with pytest.raises(RegistryError, match="already registered to alice"):
        reg.bundle("学", "alice")  # a bundle's root is not a variant to activate


def test_remove_and_transfer_keep_bundles_consistent(registry: Registry) -> None:
    registry.add("中国", "alice")
    with pytest.raises(RegistryError, match="transfer the bundle"):
        registry.transfer("中國", "alice", "bob")
    with pytest.raises(RegistryError, match="registered to alice"):
        registry.transfer("中国", "mallory", "bob")
    assert registry.transfer("中国", "alice", "bob") == ["中国", "中國"]
    names, reservations = registry.bundle_of("中国")
    assert {n.registrant for n in names} == {"bob"} and {r.registrant for r in reservations} == {"bob"}
    # Deleting a variant keeps its reservation: only bob can bring it back.
    assert registry.remove("中國", "bob") == ["中國"]
    assert rules(registry.can_register("中國", "alice")) == ["policy.registry.variant_reserved"]
    assert registry.bundle("中國", "bob").ok
    # Deleting the root deletes the bundle and frees every variant.
    assert registry.remove("中国") == ["中国", "中國"]
    assert registry.names() == []
    assert registry.can_register("中國", "alice").ok
    with pytest.raises(RegistryError, match="not registered"):
        registry.remove("中国")


def test_names_under_an_older_policy_are_reported_not_rejudged(open_store: OpenStore) -> None:
    old = Registry(make_policy(BODY.replace("skeleton = true", "skeleton = false"), "1"), open_store())
    assert old.add("coop", "alice").ok
    assert old.add("рор", "bob").ok
    new = Registry(make_policy(BODY, "2"), open_store())
    assert [(r.name, r.policy_version) for r in new.stale()] == [("coop", "1"), ("рор", "1")]
    assert new.get("рор") is not None  # still registered, not re-judged
    lookalike = new.can_register("соор", "carol")
    assert not lookalike.ok
    messages = [f.message for f in lookalike.errors]
    assert messages and all("registered under policy version 1; not re-judged" in m for m in messages)


def test_sqlite_store_schema_is_indexed_and_wal(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "s.sqlite").close()
    db = sqlite3.connect(tmp_path / "s.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    indexes = {row[1] for row in db.execute("SELECT * FROM sqlite_master WHERE type = 'index'")}
    assert {"names_root", "keys_name", "reservations_root"} <= indexes
    db.close()
    (tmp_path / "bad.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(RegistryError, match=r"bad\.sqlite"):
        SQLiteStore(tmp_path / "bad.sqlite")


# --- concurrency: several processes race to register conflicting names ---------------------------

_RACERS = ["bücher", "bucher", "bùcher", "büçher", "bûcher", "bŭcher"]  # one fold key: "bucher"


def _race(db: str, label: str, registrant: str, barrier: object, results: object) -> None:
    reg = Registry(make_policy(), SQLiteStore(db))
    barrier.wait()  # type: ignore[attr-defined]
    results.put((label, reg.add(label, registrant).ok))  # type: ignore[attr-defined]


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_writers_never_register_conflicting_names(tmp_path: Path, round_: int) -> None:
    db = str(tmp_path / f"race{round_}.sqlite")
    SQLiteStore(db).close()
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(_RACERS))
    results = ctx.Queue()
    procs = [ctx.Process(target=_race, args=(db, label, f"r{i}", barrier, results)) for i, label in enumerate(_RACERS)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    winners = [label for label, ok in outcomes if ok]
    assert len(winners) == 1, outcomes
    registered = Registry(make_policy(), SQLiteStore(db)).names()
    assert [r.name for r in registered] == winners


def test_a_failed_transaction_leaves_the_store_unchanged(open_store: OpenStore) -> None:
    store = open_store()
    reg = Registry(make_policy(), store)
    assert reg.add("coop", "alice").ok

    def crash() -> None:
        with store.transaction() as txn:
            txn.delete("coop")
            raise RuntimeError("crash in the middle")

    with pytest.raises(RuntimeError):
        crash()
    assert [n.name for n in reg.names()] == ["coop"]


def test_name_whose_variants_cannot_be_listed_is_refused_not_registered_bare(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    from idnkit.lgr import LgrError

    from .fakes import FakeTable

    def over_budget(self: FakeTable, label: str, limit: int) -> Iterator[VariantLabel]:
        raise LgrError(f"{label!r}: 2000000 prefixes visited, 0 variants produced")
        yield  # a generator, like the real engine's

    monkeypatch.setattr(FakeTable, "variants", over_budget)
    check = registry.can_register("中国", "alice")
    assert rules(check) == ["policy.registry.variants_unknown"]
    assert "2000000 prefixes visited" in check.errors[0].message and check.bundle == ()
    assert not registry.add("中国", "alice").ok
    assert rules(registry.can_register("中国", "bob")) == ["policy.registry.variants_unknown"]  # nothing written
