#!/usr/bin/env python3
"""Throughput of idnkit.lgr on RZ-LGR-5 tables: validate, index label, first 100 variants; parse times.

    python bench/bench_lgr.py [--count 5000] [--seed 7940] [--repeat 5] [--tables rz5/latin,...] [--all] [--json]

Label mix (issue §6), reproducible from --seed: 70% drawn from the LGR's own repertoire (single code
points and sequences, 3-12 elements), 30% the same with one foreign code point injected.  Each measure
is one untimed warm-up pass, then --repeat timed rounds over the whole list; the script prints median
labels/s, timed by this process's CPU time (one core, independent of other load on a shared machine;
--wall for wall-clock time).  "validate" is eligibility plus the label's own disposition (no variant enumeration).

lgr-core (ICANN's implementation) is not installed here, so the reference ratios divide by the figures
the issue quotes for it on this machine class: 1,200 labels/s (Latin) and 160/s (Common) for validate;
the target is >= 50x: >= 60,000 labels/s on Latin, no table under 8,000/s.  --all measures validate on
every RZ-LGR-5 table (for the "no table under 8,000/s" target).  This is a benchmark: nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from idnkit import lgr
from idnkit._resources import resource
from idnkit.lgr._evaluate import Lgr
from idnkit.lgr._parser import parse_bytes

LGR_CORE_VALIDATE = {"rz5/latin": 1200.0, "rz5/common": 160.0}  # labels/s, quoted from issue 3 §6
FOREIGN = [0x0041, 0x00DF, 0x2603, 0x200D, 0x0301, 0x0030, 0x4E00, 0x0627, 0x0430]


def label_mix(table: Lgr, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    # The repertoire proper: RZ-LGRs also list other scripts' code points as elements whose reflexive
    # variant type makes any label holding them invalid ("out-of-repertoire-var"); those are left out.
    elements = sorted(
        cps
        for cps, ch in table.chars.items()
        if not any(v.cps == cps and v.type in table.fatal_types for v in ch.variants)
    )
    out = []
    for i in range(count):
        n = rng.randint(3, 12)
        cps = [c for _ in range(n) for c in rng.choice(elements)]
        if i % 10 >= 7:  # 30%: one foreign code point, not in the repertoire
            foreign = [f for f in FOREIGN if (f,) not in table.chars]
            cps[rng.randrange(len(cps))] = rng.choice(foreign)
        out.append("".join(map(chr, cps)))
    return out


CLOCK = time.process_time  # CPU time of this process: "one core", whatever else the machine runs


def timed(fn: Callable[[list[str]], object], labels: list[str], repeat: int) -> float:
    fn(labels)  # warm-up: caches (compiled anchored rules, closures) are part of a loaded LGR's life
    rates = []
    for _ in range(repeat):
        gc.collect()
        t = CLOCK()
        fn(labels)
        rates.append(len(labels) / max(CLOCK() - t, 1e-9))
    return statistics.median(rates)


def run_validate(table: Lgr) -> Callable[[list[str]], object]:
    def go(labels: list[str]) -> object:
        v = table.validate
        return [v(x).disposition for x in labels]

    return go


def run_index(table: Lgr) -> Callable[[list[str]], object]:
    def go(labels: list[str]) -> object:
        out = []
        for x in labels:
            try:
                out.append(table.index_label(x))
            except lgr.LgrError:
                out.append(None)
        return out

    return go


def run_variants(table: Lgr) -> Callable[[list[str]], object]:
    def go(labels: list[str]) -> object:
        n = 0
        for x in labels:
            if table.validate(x).eligible:
                n += sum(1 for _ in table.variants(x, limit=100))
        return n

    return go


def parse_time(name: str, repeat: int) -> float:
    entry = next(e for e in lgr.catalogue() if e.name == name)
    data = resource("script_tables", "lgr", *entry.file.split("/")).read_bytes()
    times = []
    for _ in range(max(1, repeat // 2)):
        t = CLOCK()
        Lgr(parse_bytes(data, entry.file), name)
        times.append(CLOCK() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7940)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--tables", default="rz5/latin,rz5/arabic,rz5/chinese,rz5/common")
    ap.add_argument("--all", action="store_true", help="validate throughput on every RZ-LGR-5 table too")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--wall", action="store_true", help="time by wall clock instead of this process's CPU time")
    args = ap.parse_args(argv)
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter
    print(f"clock: {'wall' if args.wall else 'process CPU time (one core)'}")
    results: list[dict[str, Any]] = []
    print(f"{'table':<16}{'parse s':>9}{'validate/s':>12}{'index/s':>10}{'100var/s':>10}  vs lgr-core (validate)")
    for name in args.tables.split(","):
        table = lgr.load(name)
        labels = label_mix(table, args.count, args.seed)
        row: dict[str, Any] = {"table": name, "parse_s": parse_time(name, args.repeat)}
        row["validate_per_s"] = timed(run_validate(table), labels, args.repeat)
        row["index_per_s"] = timed(run_index(table), labels, args.repeat)
        row["variants100_per_s"] = timed(run_variants(table), labels[: max(1, args.count // 5)], args.repeat)
        ref = LGR_CORE_VALIDATE.get(name)
        row["ratio_vs_lgr_core"] = row["validate_per_s"] / ref if ref else None
        results.append(row)
        ratio = f"{row['ratio_vs_lgr_core']:.0f}x (of {ref:.0f}/s quoted)" if ref else "-"
        print(
            f"{name:<16}{row['parse_s']:>9.3f}{row['validate_per_s']:>12,.0f}{row['index_per_s']:>10,.0f}"
            f"{row['variants100_per_s']:>10,.0f}  {ratio}",
            flush=True,
        )
    if args.all:
        total_parse = 0.0
        slowest = (float("inf"), "")
        for e in lgr.catalogue():
            if not e.name.startswith("rz5/"):
                continue
            t = CLOCK()
            table = Lgr(parse_bytes(resource("script_tables", "lgr", *e.file.split("/")).read_bytes(), e.file), e.name)
            total_parse += CLOCK() - t
            rate = timed(run_validate(table), label_mix(table, args.count // 5, args.seed), args.repeat)
            slowest = min(slowest, (rate, e.name))
            results.append({"table": e.name, "validate_per_s": rate})
            print(f"{e.name:<16}{'':>9}{rate:>12,.0f}", flush=True)
        print(f"slowest validate: {slowest[1]} {slowest[0]:,.0f}/s; parse all RZ-LGR-5 tables: {total_parse:.2f} s")
    if args.json:
        json.dump(results, sys.stdout)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
