"""PostgresStore under load: front ends racing for the same names, and the server going away mid-run.

Issue 14 §3 and §5: two front ends must never both win a bundle (the database arbitrates: SERIALIZABLE
transactions and unique claims on every conflict key), every acknowledged registration is there
afterwards, and a server that stops and comes back costs RegistryUnavailableError while it is down,
then nothing: the pool reconnects, no acknowledged add is lost, no bundle is left half written.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from idnkit.policy import (
    NameRecord,
    PostgresStore,
    Registry,
    RegistryError,
    RegistryRetryError,
    RegistryUnavailableError,
)

from .._postgres import Cluster, cluster_or_skip
from .test_registry import make_policy

# Families of names that all conflict with each other: one fold key each (strip_marks), a skeleton
# (Latin c o p and Cyrillic с о р), a bundled Han variant pair (国/國, 学/學) and a blocked one (台/臺).
FAMILIES = [
    ["bucher", "bücher"],
    ["kase", "käse"],
    ["ofen", "öfen"],
    ["cafe", "café"],
    ["angstrom", "ångström", "ångstrom", "angström"],
    ["muller", "müller"],
    ["uber", "über"],
    ["cop", "сор"],
    ["coop", "соор"],
    ["ape", "аре"],
    ["中国", "中國"],
    ["大学", "大學"],
    ["学", "學"],
    ["台", "臺"],
    ["中学", "中學"],
]
RACERS = 16


def _record(name: str, registrant: str) -> NameRecord:
    return NameRecord(name, name, registrant, name, "1", "2026-01-01T00:00:00+00:00")


def _interleaved(first: PostgresStore, second: PostgresStore, key: list[tuple[str, str]],
                 names: tuple[str, str], held: list[str]) -> None:  # fmt: skip
    """Both check ``key`` (finding ``held``), the second registers names[1] and commits, then the first names[0]."""
    with first.transaction() as t1:
        assert [r.name for r, _ in t1.holders(key)] == held  # the snapshot
        with second.transaction() as t2:
            assert [r.name for r, _ in t2.holders(key)] == held
            t2.insert(_record(names[1], "bob"), key)
        t1.insert(_record(names[0], "alice"), key)
        t1.holders(key)


def test_the_claims_arbitrate_two_transactions_that_both_saw_a_key_free(postgres_url: str) -> None:
    # The race, played out by hand: both check, one commits, the other's insert is refused and the
    # store says "run it again" (the Registry does).
    with PostgresStore(postgres_url) as first, PostgresStore(postgres_url) as second:
        key = [("fold", "bucher")]
        with pytest.raises(RegistryRetryError):
            _interleaved(first, second, key, ("bucher", "bücher"), [])
        with first.transaction() as t1:  # the retry sees bob's name, and nothing of alice's
            assert [(r.name, kind) for r, kind in t1.holders(key)] == [("bücher", "fold")]
            assert t1.get("bucher") is None


def test_the_claims_alone_refuse_a_second_first_holder_even_at_read_committed(postgres_url: str) -> None:
    # At READ COMMITTED no snapshot outlives a statement: the claims table's primary key, fed by
    # what the conflict check saw, is the arbiter on its own.
    import psycopg

    from idnkit.policy._pgstore import _PgTxn

    PostgresStore(postgres_url).close()
    key = [("fold", "bucher")]
    with psycopg.connect(postgres_url) as c1, psycopg.connect(postgres_url) as c2:
        for conn in (c1, c2):
            conn.execute("SET search_path TO idnkit")
            conn.commit()
        t1, t2 = _PgTxn(c1), _PgTxn(c2)
        assert t1.holders(key) == [] and t2.holders(key) == []
        t2.insert(_record("bücher", "bob"), key)
        c2.commit()
        with pytest.raises(psycopg.errors.UniqueViolation, match="claims_pkey"):
            t1.insert(_record("bucher", "alice"), key)


def test_two_names_sharing_a_claimed_key_write_the_same_claim(postgres_url: str) -> None:
    # Both names share a key that is claimed already (say by a name exempt from the conflict with
    # both), so neither inserts a claim: each counts itself as one more holder of it, the second
    # of those updates meets the first's (a serialization failure at REPEATABLE READ), and the
    # retry judges the second name against the first.
    with PostgresStore(postgres_url) as first, PostgresStore(postgres_url) as second:
        key = [("skeleton", "pop")]
        with first.transaction() as t:
            t.insert(_record("pop", "carol"), key)
        with pytest.raises(RegistryRetryError):
            _interleaved(first, second, key, ("роp", "рор"), ["pop"])
        with first.transaction() as t1:
            assert sorted(r.name for r, _ in t1.holders(key)) == ["pop", "рор"]


def _claims_are_counted_right(url: str) -> None:
    """Every claim counts exactly the names holding its key, and no claim outlives its last holder."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("SET search_path TO idnkit")
        wrong = conn.execute(
            "SELECT c.kind, c.key, c.holders, count(k.name) FROM claims c "
            "LEFT JOIN keys k ON k.kind = c.kind AND k.key = c.key GROUP BY c.kind, c.key, c.holders "
            "HAVING c.holders <> count(k.name) OR c.holders = 0"
        ).fetchall()
    assert wrong == []


def test_an_activation_and_a_transfer_of_the_same_bundle_conflict(postgres_url: str) -> None:
    from .test_registry import BODY

    on_request = make_policy(BODY.replace('allocatable = "bundled"', 'allocatable = "on-request"'))
    with PostgresStore(postgres_url) as first, PostgresStore(postgres_url) as second:
        assert Registry(on_request, first).add("学", "alice").ok  # 學 reserved to alice, on request

        def race() -> None:
            with first.transaction() as t1:
                reservation = t1.reservation("學")
                assert reservation is not None and reservation.registrant == "alice"  # the snapshot
                with second.transaction() as t2:
                    t2.set_registrant("学", "bob")  # the whole bundle goes to bob
                record = NameRecord("學", "xn--", "alice", "学", "1", "2026-01-01T00:00:00+00:00")
                t1.insert(record, on_request.conflict_keys("學"))  # alice activates it meanwhile

        with pytest.raises(RegistryRetryError):
            race()
        reg = Registry(on_request, first)
        names, reservations = reg.bundle_of("学")
        assert [(n.name, n.registrant) for n in names] == [("学", "bob")]
        assert [(r.label, r.registrant) for r in reservations] == [("學", "bob")]
        with pytest.raises(RegistryError, match="reserved to bob"):
            reg.bundle("學", "alice")  # the retry: not alice's any more
        assert reg.bundle("學", "bob").ok
    _claims_are_counted_right(postgres_url)


def test_claims_follow_adds_removals_and_a_new_policy_version(postgres_url: str) -> None:
    with PostgresStore(postgres_url) as store:
        reg = Registry(make_policy(), store)
        for name in ("中国", "pop", "рор", "bücher", "学"):
            assert reg.add(name, "alice").ok, name
        _claims_are_counted_right(postgres_url)
        assert reg.remove("中國") == ["中國"] and reg.remove("pop") == ["pop"]
        _claims_are_counted_right(postgres_url)
        Registry(make_policy(version="2"), store)  # reindexed under the new version
        _claims_are_counted_right(postgres_url)
        for name in ("中国", "рор", "bücher", "学"):
            reg.remove(name)
    import psycopg

    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT count(*) FROM idnkit.claims").fetchone() == (0,)


def test_sixteen_front_ends_racing_for_the_same_names_one_winner_per_bundle(postgres_url: str) -> None:
    policy = make_policy()
    PostgresStore(postgres_url).close()  # the schema exists before the race: the race is for names
    names = [n for family in FAMILIES for n in family]
    acknowledged: list[tuple[str, str]] = []
    errors: list[BaseException] = []
    retries: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(RACERS)

    def front_end(i: int) -> None:
        try:
            # Each front end has its own store: its own pool and connection, as on its own machine.
            with PostgresStore(postgres_url, max_size=1) as store:
                reg = Registry(policy, store)
                order = random.Random(i).sample(names, len(names))
                barrier.wait()
                for name in order:
                    if reg.add(name, f"r{i}").ok:
                        with lock:
                            acknowledged.append((name, f"r{i}"))
                retries.append(reg.retries)
        except BaseException as e:  # reported below, with the thread's failure
            errors.append(e)

    threads = [threading.Thread(target=front_end, args=(i,)) for i in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)
    print(f"{sum(retries)} transactions lost a race and were run again")  # how hard the race was (-s shows it)

    with PostgresStore(postgres_url) as store:
        registered = {r.name: r for r in Registry(policy, store).names()}
    wins = Counter(next(i for i, f in enumerate(FAMILIES) if name in f) for name, _ in acknowledged)
    assert wins == Counter(range(len(FAMILIES))), "exactly one acknowledged add per family"
    for name, registrant in acknowledged:  # every acknowledged add is there, with its registrant
        assert registered[name].registrant == registrant and registered[name].is_root
    for family in FAMILIES:  # one bundle per family: the winner and the variants it bundled, nothing else
        holders = {registered[n].root for n in family if n in registered}
        assert len(holders) == 1, (family, holders)
    for pair in (["中国", "中國"], ["大学", "大學"], ["学", "學"], ["中学", "中學"]):  # allocatable both ways: bundled
        a, b = (registered[n] for n in pair)  # whichever won brought the other with it
        assert a.root == b.root and a.registrant == b.registrant, (a, b)
    assert "臺" not in registered or "台" not in registered  # a blocked variant is never registered beside its name
    _claims_are_counted_right(postgres_url)


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A server of this test's own, to stop and start without disturbing the other tests."""
    with cluster_or_skip() as cluster:
        yield cluster


@pytest.mark.slow
def test_server_stopped_and_restarted_mid_run(own_cluster: Cluster) -> None:
    url = own_cluster.create_database()
    policy = make_policy()
    store = PostgresStore(url, max_size=4, timeout=1.0)
    reg = Registry(policy, store)
    acknowledged: list[str] = []
    unavailable: list[RegistryUnavailableError] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(t: int) -> None:
        # Han names with a bundled variant (学 → 學), so every add writes two names at once.
        for i in range(100_000):
            if stop.is_set():
                return
            name = f"大学{t:02d}{i:05d}"
            try:
                if reg.add(name, f"r{t}").ok:
                    with lock:
                        acknowledged.append(name)
            except RegistryUnavailableError as e:
                with lock:
                    unavailable.append(e)
                time.sleep(0.05)
            except BaseException as e:
                errors.append(e)
                return

    def wait_for(count: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while len(acknowledged) < count and time.monotonic() < deadline and not errors:
            time.sleep(0.02)

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
    try:
        for t in threads:
            t.start()
        wait_for(40, 60)
        assert len(acknowledged) >= 40, (len(acknowledged), errors)
        own_cluster.stop()
        with pytest.raises(RegistryUnavailableError, match="unavailable"):
            reg.names()
        time.sleep(1.5)  # writers keep trying against the stopped server
        during = len(unavailable)
        own_cluster.start()
        before = len(acknowledged)
        wait_for(before + 40, 60)  # the pool reconnects: adds are acknowledged again
        after = len(acknowledged)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
    assert not errors, errors
    assert during >= 4, "every writer saw the server gone"
    assert after >= before + 40, f"no progress after the restart: {before} → {after}"

    records = {r.name: r for r in reg.names()}
    missing = [n for n in acknowledged if n not in records]
    assert not missing, f"acknowledged adds lost: {missing[:5]}"
    for record in records.values():  # no half bundle: each root with its bundled variant, each variant with its root
        variant = record.name.replace("学", "學")
        if record.is_root:
            assert records[variant].root == record.name, record
        else:
            assert record.root in records and record.root.replace("学", "學") == record.name, record
    lost_mid_commit = [e for e in unavailable if e.outcome_unknown]
    assert all("may or may not have been recorded" in str(e) for e in lost_mid_commit)
    store.close()
    _claims_are_counted_right(url)
