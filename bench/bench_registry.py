#!/usr/bin/env python3
"""Registry adds per second on PostgreSQL: 16 front ends racing for the variants of the same names.

    python bench/bench_registry.py [--url postgresql://...] [--clients 16] [--count 120] [--repeat 3] [--json]

Each client is a process of its own (as an SRS front end on its own machine would be) with its own
PostgresStore and connection, all on one database, with durable commits: the throwaway server this
script starts (when no --url is given; tests/_postgres.py, the same helper as the tests) runs with
fsync and synchronous_commit on, and the header prints the server's settings.  The policy is the
shipped ``cn`` one (real LGR: index labels, variant bundles).

Two workloads, --repeat rounds each on a fresh schema, alternating:

- **race**: --count name families (a name and its variants under ``ref/zh``); every client goes
  through the families in the same order and adds a variant of its own choosing, so the clients
  race for every family and exactly one of them wins it.  Each add is one check-and-insert
  transaction (refused ones included), run again when it loses a serialization race.
- **distinct**: the clients add different names (--count per client), so every add writes.

Printed per workload: the median over rounds of add operations per second (all clients together),
registrations per second, p50 and p99 latency of one add, and transactions run again per add.  A
benchmark, not a test: nothing is asserted; read medians, never one round.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/_postgres.py: the throwaway server

from idnkit import policy
from idnkit.policy import Policy, PostgresStore, Registry

ALPHABET = "中国北京上海大学网络科技公司天津广州深圳"


def families(p: Policy, count: int, seed: int) -> list[list[str]]:
    """``count`` distinct names, each with the variants a racing client may ask for instead."""
    rng = random.Random(seed)
    out: list[list[str]] = []
    seen: set[str] = set()
    while len(out) < count:
        base = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(2, 4)))
        index = p.conflict_keys(base)[1] if p.check(base).ok else None
        if index is None or index in seen:
            continue
        seen.add(index)
        variants = [v.label for v in p.variants(base)][:8]
        out.append([base, *variants])
    return out


def client(url: str, schema: str, p: Policy, work: list[str], registrant: str, barrier: Any, results: Any) -> None:
    import logging

    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
    try:
        with PostgresStore(url, schema=schema, max_size=1, timeout=30) as store:
            reg = Registry(p, store)
            latencies = []
            ok = 0
            barrier.wait()
            for name in work:
                start = time.perf_counter()
                ok += reg.add(name, registrant).ok
                latencies.append(time.perf_counter() - start)
            results.put((len(work), ok, reg.retries, latencies))
    except BaseException as e:
        barrier.abort()  # the parent stops waiting
        results.put(f"{registrant}: {type(e).__name__}: {e}")
        raise


def run_round(url: str, schema: str, p: Policy, works: list[list[str]]) -> dict[str, float]:
    PostgresStore(url, schema=schema).close()  # the schema first: the clients race for names, not DDL
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(len(works) + 1), ctx.Queue()
    procs = [
        ctx.Process(target=client, args=(url, schema, p, work, f"r{i}", barrier, results))
        for i, work in enumerate(works)
    ]
    for proc in procs:
        proc.start()
    barrier.wait()
    start = time.perf_counter()
    outcomes = [results.get(timeout=600) for _ in procs]
    elapsed = time.perf_counter() - start
    failed = [o for o in outcomes if isinstance(o, str)]
    if failed:
        raise SystemExit(f"{len(failed)} client(s) failed: {failed[0]}")
    for proc in procs:
        proc.join(timeout=60)
    calls = sum(o[0] for o in outcomes)
    latencies = sorted(x for o in outcomes for x in o[3])
    return {
        "adds_per_s": calls / elapsed,
        "registered_per_s": sum(o[1] for o in outcomes) / elapsed,
        "registered": sum(o[1] for o in outcomes),
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)],
        "retries_per_add": sum(o[2] for o in outcomes) / calls,
        "calls": calls,
    }


def server_settings(url: str) -> dict[str, str]:
    import psycopg

    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        settings = {"server_version": str(version[0]) if version else "?"}
        for name in ("fsync", "synchronous_commit", "wal_sync_method", "full_page_writes", "max_connections"):
            row = conn.execute(f"SHOW {name}").fetchone()  # type: ignore[call-overload]  # names above
            settings[name] = str(row[0]) if row else "?"
    return settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an existing PostgreSQL database (default: start a throwaway server)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--count", type=int, default=120, help="families raced for; distinct names per client")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    cluster = None
    url = args.url
    if url is None:
        from tests._postgres import Cluster

        cluster = Cluster(durable=True)
        url = cluster.create_database("bench")
    try:
        p = policy.load("cn")
        fams = families(p, args.count + args.clients * args.count, 2025)
        race_fams, distinct = fams[: args.count], fams[args.count :]
        rng = random.Random(5731)
        race_works = [[rng.choice(f) for f in race_fams] for _ in range(args.clients)]
        distinct_works = [[f[0] for f in distinct[i :: args.clients]] for i in range(args.clients)]
        rounds: dict[str, list[dict[str, float]]] = {"race": [], "distinct": []}
        for r in range(args.repeat):
            order = [("race", race_works), ("distinct", distinct_works)]
            for kind, works in order if r % 2 == 0 else reversed(order):
                rounds[kind].append(run_round(url, f"bench_{kind}_{r}_{os.getpid()}", p, works))
        settings = server_settings(url)
    finally:
        if cluster is not None:
            cluster.close()

    summary = {
        kind: {key: round(statistics.median(x[key] for x in rs), 2) for key in rs[0]} for kind, rs in rounds.items()
    }
    if args.json:
        print(json.dumps({"clients": args.clients, "count": args.count, "server": settings, "median": summary,
                          "rounds": rounds}))  # fmt: skip
        return
    print(f"PostgreSQL {settings['server_version']}: fsync={settings['fsync']} "
          f"synchronous_commit={settings['synchronous_commit']} wal_sync_method={settings['wal_sync_method']}; "
          f"{args.clients} client processes, policy cn, {args.repeat} rounds (medians)")  # fmt: skip
    for kind, row in summary.items():
        what = f"{args.count} families raced for" if kind == "race" else f"{args.count} names per client"
        print(
            f"{kind:<9} {what}: {row['adds_per_s']:,.0f} adds/s, {row['registered_per_s']:,.0f} registrations/s, "
            f"add p50 {row['p50_ms']:.1f} ms p99 {row['p99_ms']:.1f} ms, {row['retries_per_add']:.2f} retries/add"
        )


if __name__ == "__main__":
    main()
