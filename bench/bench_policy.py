#!/usr/bin/env python3
"""Cost of a policy check over a bare IDNA2008 check, and registry throughput on SQLite.

    python bench/bench_policy.py [--count 2000] [--repeat 5] [--json]

1. For each shipped policy, a reproducible list of labels from that policy's script (mostly valid,
   some made invalid) is checked by ``check_label`` (IDNA2008 alone, the peer) and by
   ``Policy.check`` (IDNA2008 + LGR + the policy's rules) in the same process, alternating, over
   --repeat rounds.  Printed: median labels/s of each and the ratio of the medians (the price of
   the policy layer).  Table loading happens once, before timing, and is printed separately.
2. ``Registry.add`` of --count distinct names into a fresh SQLite file (each in its own
   ``BEGIN IMMEDIATE`` transaction, WAL) and ``Registry.can_register`` against the filled store:
   median names/s over --repeat rounds.
A benchmark, not a test: nothing is asserted; read medians and ratios, never one round.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import idnkit
from idnkit import policy
from idnkit.policy import Registry, SQLiteStore

ALPHABETS = {
    "se": "abcdefghijklmnopqrstuvwxyzåäöéü0123456789",
    "рф": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя0123456789",
    "cn": "中国北京上海大学网络科技公司天津广州深圳0123456789abc",
    "ελ": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ",
    "jp": "日本東京大阪あいうえおかきくけこアイウエオカキクケコ",
    "한국": "한국대한민국서울부산가나다라마바사",
    "भारत": "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह",
    "ไทย": "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอ",
}


def labels_for(alphabet: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        label = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 12)))
        if rng.random() < 0.05:
            label = "-" + label  # invalid on purpose
        out.append(label)
    return out


def rate(fn: Callable[[str], object], items: list[str]) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.perf_counter() - start)


def bench_checks(count: int, repeat: int) -> list[dict[str, Any]]:
    rows = []
    for tld, alphabet in ALPHABETS.items():
        start = time.perf_counter()
        p = policy.load(tld)
        p.check("a")  # loads the tables
        load_s = time.perf_counter() - start
        items = labels_for(alphabet, count, 5940)
        base: list[float] = []
        pol: list[float] = []
        for r in range(repeat):
            pair = [(base, lambda s: idnkit.check_label(s)), (pol, p.check)]
            for sink, fn in pair if r % 2 == 0 else reversed(pair):
                sink.append(rate(fn, items))
        valid = sum(p.check(s).ok for s in items)
        rows.append(
            {
                "policy": tld,
                "load_s": round(load_s, 3),
                "check_label_per_s": round(statistics.median(base)),
                "policy_check_per_s": round(statistics.median(pol)),
                "ratio": round(statistics.median(base) / statistics.median(pol), 2),
                "valid_share": round(valid / len(items), 3),
            }
        )
    return rows


def bench_registry(count: int, repeat: int) -> dict[str, Any]:
    p = policy.load("cn")
    rng = random.Random(7940)
    alphabet = ALPHABETS["cn"][:20]
    names = list(dict.fromkeys("".join(rng.choice(alphabet) for _ in range(rng.randint(3, 6))) for _ in range(count)))
    adds: list[float] = []
    checks: list[float] = []
    added = 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            reg = Registry(p, SQLiteStore(Path(tmp) / "r.sqlite"))
            start = time.perf_counter()
            added = sum(reg.add(n, f"r{i % 50}").ok for i, n in enumerate(names))
            adds.append(len(names) / (time.perf_counter() - start))
            checks.append(rate(lambda n, reg=reg: reg.can_register(n, "x"), names))  # type: ignore[misc]
    return {
        "names": len(names),
        "registered": added,
        "add_per_s": round(statistics.median(adds)),
        "can_register_per_s": round(statistics.median(checks)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    checks = bench_checks(args.count, args.repeat)
    registry = bench_registry(args.count, max(1, args.repeat // 2))
    if args.json:
        print(json.dumps({"checks": checks, "registry": registry}, ensure_ascii=False))
        return
    print(f"{'policy':<8} {'load s':>7} {'check_label/s':>14} {'Policy.check/s':>15} {'ratio':>6} {'valid':>6}")
    for row in checks:
        print(
            f"{row['policy']:<8} {row['load_s']:>7} {row['check_label_per_s']:>14,} {row['policy_check_per_s']:>15,}"
            f" {row['ratio']:>6} {row['valid_share']:>6}"
        )
    print(
        f"registry (cn, SQLite WAL): {registry['names']} names, {registry['registered']} registered; "
        f"add {registry['add_per_s']:,}/s, can_register {registry['can_register_per_s']:,}/s (medians)"
    )


if __name__ == "__main__":
    main()
