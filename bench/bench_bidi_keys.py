#!/usr/bin/env python3
"""What the UTS #39 collision keys cost per name: the plain skeleton against ``skeleton_keys``
(hidden-overlay and bidi keys, issue 20), and ICU's getBidiSkeleton timed in the same run.

    python bench/bench_bidi_keys.py [--count 20000] [--seed 20] [--repeat 5]

Three reproducible lists: ASCII labels, left-to-right IDN labels (Latin with diacritics, Cyrillic,
Greek, Han) and right-to-left names (Hebrew or Arabic labels, sometimes with digits or a hyphen,
under ".com" or an Arabic TLD).  For each: ``skeleton(s)``, ``skeleton_keys(s)``,
``CollisionIndex().add_many`` (the audit's insert path) and, for the RTL list, ICU's
``getBidiSkeleton`` in both directions against idnkit's ``bidi_skeleton``.  Medians of
``--repeat`` rounds after a warm-up; rates in names per second.  A benchmark: nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable

import icu

from idnkit.collisions import CollisionIndex
from idnkit.confusables import bidi_skeleton, skeleton, skeleton_keys


def make_lists(count: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    ascii_letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    ltr_pool = [*"abcdeéèüöäçłńśżкорпусαβγδ", "\u6771", "\u4eac", "\u5927"]
    hebrew = [chr(c) for c in range(0x05D0, 0x05EB)]
    arabic = [chr(c) for c in range(0x0627, 0x064B)]

    def label(pool: list[str] | str, low: int, high: int) -> str:
        return "".join(rng.choice(pool) for _ in range(rng.randint(low, high)))

    def rtl_name() -> str:
        pool = hebrew if rng.random() < 0.5 else arabic
        text = label(pool, 3, 12)
        if rng.random() < 0.2:
            text += rng.choice(["1", "24", "\u0661", "-" + label(pool, 2, 5)])
        return text + rng.choice([".com", ".\u0645\u0635\u0631", ".\u05e7\u05d5\u05dd"])

    return {
        "ascii": [label(ascii_letters, 3, 15) for _ in range(count)],
        "ltr-idn": [label(ltr_pool, 3, 12) for _ in range(count)],
        "rtl": [rtl_name() for _ in range(count)],
    }


def rate(fn: Callable[[list[str]], object], items: list[str], repeat: int) -> float:
    fn(items[:1000])  # warm-up
    out = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn(items)
        out.append(len(items) / (time.perf_counter() - start))
    return statistics.median(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    lists = make_lists(args.count, args.seed)
    spoof = icu.SpoofChecker()
    print(f"{args.count:,} names per list, medians of {args.repeat} rounds (names/s)")
    for name, items in lists.items():
        plain = rate(lambda xs: [skeleton(x) for x in xs], items, args.repeat)
        keyed = rate(lambda xs: [skeleton_keys(x) for x in xs], items, args.repeat)
        insert = rate(lambda xs: CollisionIndex().add_many(xs), items, args.repeat)
        print(
            f"  {name:8} skeleton {plain:>10,.0f}  skeleton_keys {keyed:>10,.0f}  "
            f"(ratio {plain / keyed:.2f})  index insert {insert:>10,.0f}"
        )
    rtl = lists["rtl"]
    for direction, icu_direction in (("ltr", icu.UBiDiDirection.LTR), ("rtl", icu.UBiDiDirection.RTL)):
        ours = rate(lambda xs, d=direction: [bidi_skeleton(d, x) for x in xs], rtl, args.repeat)  # type: ignore[misc]
        theirs = rate(lambda xs, d=icu_direction: [spoof.getBidiSkeleton(d, x) for x in xs], rtl, args.repeat)
        print(f"  bidi {direction}: idnkit {ours:>10,.0f}  ICU {theirs:>10,.0f}  (ICU/idnkit {theirs / ours:.1f}x)")


if __name__ == "__main__":
    main()
