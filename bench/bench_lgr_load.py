#!/usr/bin/env python3
"""``lgr.load`` of shipped tables: a miss (parse, compile, write the cache) against a hit, in-process CPU.

    python bench/bench_lgr_load.py [--repeat 5] [--tables rz5/chinese,rz5/common] [--json]

Each table is loaded ``--repeat`` times from an empty cache folder (a miss: the XML is parsed and
compiled and the entry written) and ``--repeat`` times from the entry that wrote (a hit), in turn,
under a temporary ``IDNKIT_CACHE_DIR``; ``--no-cache`` times ``lgr.load(name, cache=False)`` too.
The clock is this process's CPU time (time.process_time), the figure the median of the runs.  A hit
is timed to the end of ``load`` and, separately, to the end of its first ``validate`` (the lazy
parts a call then decodes).  A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from idnkit import lgr
from idnkit.lgr import _catalogue

# One label each table holds, to time the first validate after a load (a lazy hit decodes its elements).
PROBE = {"rz5/chinese": "中国", "rz5/common": "example", "rz5/latin": "example", "rz5/japanese": "日本"}


def _once(name: str, cache: bool, probe: str | None) -> tuple[float, float]:
    _catalogue._load_shipped.cache_clear()  # the per-process memo, not the on-disk cache
    t0 = time.process_time()
    table = lgr.load(name, cache=cache)
    t1 = time.process_time()
    if probe is not None:
        table.validate(probe)
    return t1 - t0, time.process_time() - t0


def measure(name: str, repeat: int, no_cache: bool) -> dict[str, Any]:
    probe = PROBE.get(name)
    folder = Path(tempfile.mkdtemp(prefix="bench-lgr-load-"))
    os.environ["IDNKIT_CACHE_DIR"] = str(folder)
    os.environ.pop("IDNKIT_NO_CACHE", None)
    miss: list[float] = []
    hit: list[float] = []
    hit_validate: list[float] = []
    fresh: list[float] = []
    try:
        for _ in range(repeat):
            shutil.rmtree(folder / "lgr", ignore_errors=True)
            miss.append(_once(name, True, None)[0])
            a, b = _once(name, True, probe)
            hit.append(a)
            hit_validate.append(b)
            if no_cache:
                fresh.append(_once(name, False, None)[0])
        size = sum(p.stat().st_size for p in (folder / "lgr").iterdir())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    row: dict[str, Any] = {
        "table": name,
        "miss_s": statistics.median(miss),
        "hit_s": statistics.median(hit),
        "hit_validate_s": statistics.median(hit_validate),
        "hit_min_max": [min(hit), max(hit)],
        "entry_bytes": size,
    }
    if fresh:
        row["no_cache_s"] = statistics.median(fresh)
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--tables", default="rz5/chinese,rz5/common")
    ap.add_argument("--no-cache", action="store_true", help="also time load(name, cache=False)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rows = [measure(name, args.repeat, args.no_cache) for name in args.tables.split(",")]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"process CPU s, medians of {args.repeat}")
    print(f"{'table':<14}{'miss':>8}{'hit':>8}{'hit+validate':>14}{'hit min-max':>16}{'no cache':>10}{'entry MB':>10}")
    for r in rows:
        lo, hi = r["hit_min_max"]
        nc = f"{r['no_cache_s']:.3f}" if "no_cache_s" in r else "-"
        print(
            f"{r['table']:<14}{r['miss_s']:>8.3f}{r['hit_s']:>8.3f}{r['hit_validate_s']:>14.3f}"
            f"{f'{lo:.3f}-{hi:.3f}':>16}{nc:>10}{r['entry_bytes'] / 1e6:>10.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
