#!/usr/bin/env python3
"""Skeleton and collision-index throughput of idnkit, with ICU's getSkeleton timed in the same run.

    python bench/bench_confusables.py [--count 1000000] [--seed 39] [--repeat 3] [--sqlite-count 200000] [--json]

Two reproducible name lists (second-level labels, as a per-TLD index holds them):

* zone-like: ``--count`` labels, 95% ASCII letter-digit-hyphen, 5% IDN (German/French/Polish
  Latin, Cyrillic, Greek, Arabic, Han, Hangul, Hiragana/Katakana, Thai, Devanagari), and among the
  IDNs a share of homographs of ASCII labels of the list (Cyrillic/Greek look-alike letters);
* IDN-only: the IDN part alone, ``--count // 20`` labels.

Timed, each over ``--repeat`` rounds after an untimed warm-up (medians printed; implementations
alternate order between rounds; ``gc.collect()`` before each):

* ``skeleton`` — idnkit ``skeleton(s)`` versus ICU ``SpoofChecker.getSkeleton(0, s)`` (icukit-pyicu),
  both in a plain Python loop over the same strings; the ratio is ICU's rate over idnkit's;
* ``skeleton+insert`` — ``CollisionIndex().add_many(names)`` into the in-memory store;
* ``query`` — ``index.query(name)`` for 100,000 names drawn from the list and its homographs;
* memory — bytes per name of the index (tracemalloc, the name strings counted apart);
* SQLite — ``add_many`` into a fresh file store (WAL, batched) and queries, on ``--sqlite-count`` names.

One process, one thread: every rate is on one core.  A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import platform
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icu

import idnkit
from idnkit.collisions import CollisionIndex, SQLiteCollisionStore
from idnkit.confusables import skeleton
from idnkit.idna import _native
from idnkit.unicode import DERIVED_PROPERTY

# ---------------------------------------------------------------------------------------------
# The name lists


def _pvalid(*ranges: tuple[int, int]) -> list[str]:
    return [chr(cp) for a, b in ranges for cp in range(a, b + 1) if DERIVED_PROPERTY[cp] == "PVALID"]


ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyz"
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["an", "er", "in", "on", "st", "th", "ch"]
SCRIPTS: dict[str, list[str]] = {
    "latin": list("abcdefghijklmnopqrstuvwxyz") + list("äöüßéèêàçëïôûœąćęłńóśźżčřšžý"),
    "cyrillic": _pvalid((0x0430, 0x044F)),
    "greek": _pvalid((0x03AC, 0x03CE)),
    "arabic": _pvalid((0x0621, 0x063A), (0x0641, 0x064A)),
    "han": _pvalid((0x4E00, 0x4FFF)),
    "hangul": _pvalid((0xAC00, 0xAFFF)),
    "kana": _pvalid((0x3041, 0x3096), (0x30A1, 0x30FA)),
    "thai": _pvalid((0x0E01, 0x0E2E)),
    "devanagari": _pvalid((0x0905, 0x0939)),
}
# Look-alike letters used by homograph attacks: ASCII letter -> Cyrillic/Greek twins.
HOMOGLYPHS = {"a": "аα", "c": "с", "e": "е", "i": "іι", "j": "ј", "o": "оο", "p": "р", "s": "ѕ", "x": "х", "y": "у"}


def _ascii_label(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 5)))
    r = rng.random()
    if r < 0.15:
        word += str(rng.randint(0, 999))
    elif r < 0.25:
        word += "-" + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
    return word[:40]


def _idn_label(rng: random.Random, ascii_pool: list[str]) -> str:
    if rng.random() < 0.2 and ascii_pool:  # a homograph of a name already in the list
        base = rng.choice(ascii_pool)
        return "".join(rng.choice(HOMOGLYPHS[ch]) if ch in HOMOGLYPHS and rng.random() < 0.5 else ch for ch in base)
    script = rng.choice(list(SCRIPTS))
    letters = SCRIPTS[script]
    n = rng.randint(2, 6) if script in ("han", "hangul") else rng.randint(3, 14)
    label = "".join(rng.choice(letters) for _ in range(n))
    if script == "latin" and label.isascii():
        label += rng.choice("äöüéçł")
    return label


def make_lists(count: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    zone: list[str] = []
    idns: list[str] = []
    for _ in range(count):
        if rng.random() < 0.95:
            zone.append(_ascii_label(rng))
        else:
            label = _idn_label(rng, zone[-5000:])
            zone.append(label)
            idns.append(label)
    return zone, idns


def fingerprint(names: list[str]) -> str:
    return hashlib.sha256("\n".join(names).encode("utf-8", "surrogatepass")).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Timing


def rounds(runs: dict[str, Callable[[], int]], repeat: int) -> dict[str, list[float]]:
    """Items/s per round for each run (one untimed warm-up each; order alternating)."""
    for fn in runs.values():
        fn()
    rates: dict[str, list[float]] = {name: [] for name in runs}
    order = list(runs)
    for r in range(repeat):
        for name in order if r % 2 == 0 else reversed(order):
            gc.collect()
            t0 = time.perf_counter()
            n = runs[name]()
            rates[name].append(n / (time.perf_counter() - t0))
    return rates


def skeleton_runs(names: list[str]) -> dict[str, Callable[[], int]]:
    checker = icu.SpoofChecker()

    def ours() -> int:
        for s in names:
            skeleton(s)
        return len(names)

    def theirs() -> int:
        get = checker.getSkeleton
        for s in names:
            get(0, s)
        return len(names)

    def python_path() -> int:  # the pure-Python reference, with the C skeleton switched off
        saved, _native.skeleton = _native.skeleton, None
        try:
            for s in names:
                skeleton(s)
        finally:
            _native.skeleton = saved
        return len(names)

    runs = {"idnkit": ours, "icu": theirs}
    if _native.skeleton is not None:
        runs["idnkit-py"] = python_path
    return runs


def insert_run(names: list[str]) -> Callable[[], int]:
    def run() -> int:
        return CollisionIndex().add_many(names)

    return run


def memory_per_name(names: list[str]) -> dict[str, float]:
    gc.collect()
    tracemalloc.start()
    index = CollisionIndex()
    index.add_many(names)
    index_bytes, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    name_bytes = sum(sys.getsizeof(n) for n in set(names))
    del index
    n = len(names)
    return {"index_bytes_per_name": index_bytes / n, "name_bytes_per_name": name_bytes / n}


def query_names(zone: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed + 1)
    out = []
    for _ in range(count):
        base = rng.choice(zone)
        if rng.random() < 0.5:
            base = "".join(rng.choice(HOMOGLYPHS[ch]) if ch in HOMOGLYPHS else ch for ch in base)
        out.append(base)
    return out


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000, help="zone-like names (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=39)
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--queries", type=int, default=100_000)
    parser.add_argument("--sqlite-count", type=int, default=200_000, help="names for the SQLite store")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument(
        "--skeleton-only", action="store_true", help="time the skeletons alone (no index, queries or SQLite)"
    )
    args = parser.parse_args(argv)

    zone, idns = make_lists(args.count, args.seed)
    report: dict[str, Any] = {
        "environment": {
            "python": platform.python_version(),
            "idnkit": idnkit.__version__,
            "unicode": idnkit.UNICODE_VERSION,
            "icu": icu.ICU_VERSION,
            "icu_unicode": icu.UNICODE_VERSION,
        },
        "lists": {
            "zone": {"names": len(zone), "idn": len(idns), "sha256": fingerprint(zone)},
            "idn": {"names": len(idns), "sha256": fingerprint(idns)},
        },
    }
    for list_name, names in (("zone", zone), ("idn", idns)):
        sk = rounds(skeleton_runs(names), args.repeat)
        ins = {} if args.skeleton_only else rounds({"insert": insert_run(names)}, args.repeat)
        report[list_name] = {
            "skeleton": {k: stats(v) for k, v in sk.items()},
            "skeleton_ratio_icu_over_idnkit": statistics.median(sk["icu"]) / statistics.median(sk["idnkit"]),
            "skeleton_ratio_per_round": statistics.median(i / o for i, o in zip(sk["icu"], sk["idnkit"], strict=True)),
            "skeleton_plus_insert": stats(ins["insert"]) if ins else None,
        }
    if args.skeleton_only:
        if args.json:
            print(json.dumps(report, indent=2))
            return
        for list_name in ("zone", "idn"):
            r = report[list_name]
            print(f"[{list_name}] {report['lists'][list_name]['names']:,} names, warm-up + {args.repeat} rounds")
            for impl, s in r["skeleton"].items():
                print(f"  skeleton {impl:10} {s['median']:>12,.0f} /s  ({s['min']:,.0f}-{s['max']:,.0f})")
            print(
                f"  ICU/idnkit {r['skeleton_ratio_icu_over_idnkit']:.2f} (medians), "
                f"{r['skeleton_ratio_per_round']:.2f} (per round; <1: idnkit faster)"
            )
        return

    index = CollisionIndex()
    index.add_many(zone)
    queries = query_names(zone, args.queries, args.seed)
    hits = sum(1 for q in queries if index.query(q))

    def run_queries() -> int:
        for q in queries:
            index.query(q)
        return len(queries)

    report["query"] = {**stats(rounds({"query": run_queries}, args.repeat)["query"]), "with_collisions": hits}
    report["memory"] = memory_per_name(zone)
    report["groups"] = sum(1 for _ in index.groups())

    subset = zone[: args.sqlite_count]
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteCollisionStore(Path(tmp) / "index.sqlite")
        t0 = time.perf_counter()
        CollisionIndex(store).add_many(subset)
        insert_rate = len(subset) / (time.perf_counter() - t0)
        on_disk = CollisionIndex(store)
        some = queries[:10_000]
        t0 = time.perf_counter()
        for q in some:
            on_disk.query(q)
        query_rate = len(some) / (time.perf_counter() - t0)
        store.close()
        size = (Path(tmp) / "index.sqlite").stat().st_size
    report["sqlite"] = {
        "names": len(subset),
        "insert_per_s": insert_rate,
        "query_per_s": query_rate,
        "file_bytes_per_name": size / len(subset),
    }

    if args.json:
        print(json.dumps(report, indent=2))
        return
    env = report["environment"]
    print(
        f"Python {env['python']} | idnkit {env['idnkit']} (Unicode {env['unicode']}) | "
        f"ICU {env['icu']} (Unicode {env['icu_unicode']}) | one process, one thread"
    )
    z = report["lists"]["zone"]
    print(f"zone-like list: {z['names']:,} names, {z['idn']:,} IDN (seed {args.seed}, sha256 {z['sha256']})")
    print(f"warm-up + {args.repeat} rounds, medians (min-max)\n")
    for list_name in ("zone", "idn"):
        r = report[list_name]
        print(f"[{list_name}] {report['lists'][list_name]['names']:,} names")
        for impl, s in r["skeleton"].items():
            print(f"  skeleton {impl:8}   {s['median']:>12,.0f} /s  ({s['min']:,.0f}-{s['max']:,.0f})")
        print(f"  skeleton ICU/idnkit rate ratio  {r['skeleton_ratio_icu_over_idnkit']:.2f}  (<1: idnkit faster)")
        s = r["skeleton_plus_insert"]
        print(f"  skeleton+insert      {s['median']:>12,.0f} /s  ({s['min']:,.0f}-{s['max']:,.0f})")
    q = report["query"]
    print(f"\nquery (memory store)   {q['median']:>12,.0f} /s  ({q['with_collisions']:,} of {args.queries:,} collide)")
    m = report["memory"]
    print(
        f"memory                 {m['index_bytes_per_name']:.0f} B/name index + "
        f"{m['name_bytes_per_name']:.0f} B/name the name strings"
    )
    print(f"collision groups       {report['groups']:,}")
    s = report["sqlite"]
    print(
        f"SQLite ({s['names']:,} names)  insert {s['insert_per_s']:,.0f} /s, query {s['query_per_s']:,.0f} /s, "
        f"file {s['file_bytes_per_name']:.0f} B/name"
    )


if __name__ == "__main__":
    main()
