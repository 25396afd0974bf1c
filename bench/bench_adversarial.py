"""Adversarial input sizes: is every entry point linear up to its bound, and quick above it?

For each entry point and each hostile input family, the script times inputs of doubling size up
to the documented bound (README, "Bounds") and at 10x the bound, and prints the median time and
the growth ratio per doubling.  A ratio above ``--limit`` (default 2.2) is flagged SUPERLINEAR;
an input at 10x the bound that takes longer than the input at the bound is flagged SLOW-REJECT.
It is a benchmark, not a test: it never fails on speed unless ``--strict`` is given.

    python bench/bench_adversarial.py                 # every family (about 30 s)
    python bench/bench_adversarial.py --only punycode --repeat 9
    python bench/bench_adversarial.py --json          # machine-readable rows
    python bench/bench_adversarial.py --only x --streams 256   # whole commands on 32-256 MB hostile streams

Each family's peak memory (tracemalloc, one call) is printed beside its time, at the bound and at 10x.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import json
import math
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import idnkit
from idnkit import Profile, check_domain, check_label, to_alabel, to_ulabel, uts46
from idnkit.idna import _punycode as punycode
from idnkit.idna._labels import MAX_LABEL_INPUT, MAX_NAME_INPUT

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _adversarial_areas import _cycle, _quiet
from _adversarial_areas import families as _area_families

PUNY = punycode.MAX_INPUT


def _distinct(n: int, base: int = 0x4E00, step: int = 1) -> str:
    """n distinct CJK ideographs: the worst case of the Punycode encoder (one pass per code point)."""
    return "".join(chr(base + i * step) for i in range(n))


@functools.cache
def _valid_encoding(n: int) -> str:
    """The longest Punycode of spaced CJK ideographs that fits in n characters (n up to the bound):
    input the decoders accept, so that the whole decode runs (C included), not just an error path."""
    if n > PUNY:
        return "a" * n
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(punycode.encode(_distinct(mid, step=3))) <= n:
            lo = mid
        else:
            hi = mid - 1
    return punycode.encode(_distinct(lo, step=3))


@dataclass(frozen=True)
class Family:
    entry: str
    name: str
    bound: int  # the documented bound, in code points (the unit of ``make``)
    make: Callable[[int], str]
    call: Callable[[str], object]
    start: int = 16
    known: str = ""  # an open finding owned by another area: reported as KNOWN, not counted as flagged
    tenfold: bool = True  # also time 10x the bound (off for exponential families)


L, N = MAX_LABEL_INPUT, MAX_NAME_INPUT
FAMILIES = [
    # IDNA2008 labels: the fast path, the reference path, contextual rules that look at the whole label
    Family("check_label", "ascii", L, lambda n: "a" * n, check_label),
    Family("check_label", "latin-accented", L, lambda n: "ü" * n, check_label),
    Family("check_label", "disallowed-each", L, lambda n: "A" * n, check_label),
    Family("check_label", "katakana-middle-dots", L, lambda n: "\u30fb" * n, check_label),
    Family("check_label", "arabic-indic-digits", L, lambda n: "\u0628" + "\u0661" * (n - 1), check_label),
    Family("check_label", "mixed-arabic-digits", L, lambda n: _cycle("\u0661\u06f1", n), check_label),
    Family("check_label", "zwnj-joining-runs", L, lambda n: _cycle("\u0628\u064b\u064b\u200c\u064b", n), check_label),
    Family("check_label", "rtl-bidi-violations", L, lambda n: "\u05d0" + "a" * (n - 1), check_label),
    Family("check_label", "not-nfc", L, lambda n: "a\u0301" * (n // 2), check_label),
    Family("check_label", "lookup-mapped", L, lambda n: "Ａ" * n, lambda s: check_label(s, profile=Profile.LOOKUP)),
    Family("to_ulabel", "alabel-digits", L, lambda n: "xn--" + "a" * (n - 4), _quiet(to_ulabel)),
    Family("to_alabel", "distinct-cjk", L, _distinct, _quiet(to_alabel)),
    # whole names
    Family("check_domain", "many-labels", N, lambda n: _cycle("a.", n), check_domain),
    Family("check_domain", "many-empty-labels", N, lambda n: "." * n, check_domain),
    Family("check_domain", "bidi-name", N, lambda n: _cycle("\u05d0\u05d1.ab.", n), check_domain),
    Family("check_domain", "katakana-dot-labels", N, lambda n: _cycle("\u30fb\u30fb\u30fb.", n), check_domain),
    Family("check_domain", "alabels", N, lambda n: _cycle("xn--bcher-kva.", n), check_domain),
    Family(
        "check_domain",
        "lookup-fullwidth",
        N,
        lambda n: _cycle("Ａ。", n),
        lambda s: check_domain(s, profile=Profile.LOOKUP),
    ),
    # UTS #46
    Family("uts46.to_ascii", "long-label", N, lambda n: "a" * n, uts46.to_ascii),
    Family("uts46.to_ascii", "disallowed-each", N, lambda n: "\u2603" * n, uts46.to_ascii),
    Family("uts46.to_ascii", "distinct-cjk", N, _distinct, uts46.to_ascii),
    Family("uts46.to_unicode", "alabels", N, lambda n: _cycle("xn--bcher-kva.", n), uts46.to_unicode),
    Family("uts46.to_unicode", "expanding-mapping", N, lambda n: "\ufdfa" * n, uts46.to_unicode),
    # Punycode
    Family("punycode.encode", "distinct-cjk", PUNY, _distinct, _quiet(punycode.encode)),
    Family("punycode.encode_python", "distinct-cjk", PUNY, _distinct, _quiet(punycode.encode_python)),
    Family(
        "punycode.decode",
        "distinct-cjk",
        PUNY,
        lambda n: punycode.encode(_distinct(min(n, PUNY)))[:n] if n <= PUNY else "a" * n,
        _quiet(punycode.decode),
    ),
    Family("punycode.decode", "big-deltas", PUNY, lambda n: "9" * n, _quiet(punycode.decode)),
    Family("punycode.decode", "valid-cjk", PUNY, _valid_encoding, _quiet(punycode.decode)),
    Family("punycode.decode_python", "valid-cjk", PUNY, _valid_encoding, _quiet(punycode.decode_python)),
    Family("explain", "long-hex", N, lambda n: "U+" + "0" * (n - 3) + "41", _quiet(idnkit.explain)),
]


# Zone reader, LGR engine and policy families (bench/_adversarial_areas.py)
FAMILIES += _area_families(Family)  # type: ignore[arg-type]

MAX_SIZE: int | None = None  # --max-size: skip sizes above this (keeps a run short)


# CPU time of this process, not wall time: the figures are about the algorithm, and on a shared
# machine wall time mostly measures the other processes.
_clock = time.process_time


def _loops(fn: Callable[[str], object], arg: str) -> int:
    """Calls per sample so that one sample takes about three milliseconds."""
    start = time.perf_counter()
    fn(arg)
    once = max(time.perf_counter() - start, 1e-7)
    return max(1, int(3e-3 / once))


def _sample(fn: Callable[[str], object], arg: str, loops: int) -> float:
    start = _clock()
    for _ in range(loops):
        fn(arg)
    return (_clock() - start) / loops


def sizes(family: Family) -> list[int]:
    out = []
    n = family.start
    bound = family.bound if MAX_SIZE is None else min(family.bound, MAX_SIZE)
    while n < bound:
        out.append(n)
        n *= 2
    over = [family.bound * 10] if family.tenfold and bound == family.bound else []
    return [*out, bound, *over]


def _peak(fn: Callable[[str], object], arg: str) -> int:
    """Peak bytes Python allocated during one call (tracemalloc): the call's own memory, not the process's."""
    tracemalloc.start()
    try:
        fn(arg)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(family: Family, repeat: int, limit: float) -> dict[str, object]:
    # Sizes are sampled round-robin, so that load from other processes falls on all of them alike;
    # each size's figure is the median of its samples.
    ns = sizes(family)
    args = [family.make(n) for n in ns]
    loops = [_loops(family.call, a) for a in args]
    samples: list[list[float]] = [[] for _ in ns]
    for _ in range(repeat):
        for k, (a, m) in enumerate(zip(args, loops, strict=True)):
            samples[k].append(_sample(family.call, a, m))
    medians = [statistics.median(x) for x in samples]
    has_over = len(ns) > 1 and ns[-1] > family.bound
    points = list(zip(ns[:-1], medians[:-1], strict=True)) if has_over else list(zip(ns, medians, strict=True))
    over = medians[-1] if has_over else math.nan
    ratios = [
        (t1 / t0) ** (math.log(2) / math.log(n1 / n0))  # per doubling, also for a shorter last step
        for (n0, t0), (n1, t1) in itertools.pairwise(points)
    ]
    # Growth is judged on the top two doublings (geometric mean), where fixed per-call costs and
    # fast-path cut-offs (e.g. 63 octets) no longer dominate.
    tail = ratios[-2:]
    growth = math.prod(tail) ** (1 / len(tail)) if tail else 1.0
    flags = []
    if growth > limit:
        flags.append("SUPERLINEAR")
    if has_over and over > 1.5 * points[-1][1] and over > 20e-6:
        flags.append("SLOW-REJECT")
    if family.known and flags:
        flags = ["KNOWN", *flags]
    return {
        "entry": family.entry,
        "family": family.name,
        "bound": family.bound,
        "sizes": [n for n, _ in points],
        "seconds": [t for _, t in points],
        "ratios": ratios,
        "growth": growth,
        "over_bound_seconds": over if has_over else None,
        # peak memory beside time: at the bound, and at 10x the bound (refused: should be no more)
        "peak_bytes": _peak(family.call, args[len(points) - 1]),
        "over_bound_peak_bytes": _peak(family.call, args[-1]) if has_over else None,
        "flags": flags,
        "known": family.known,
    }


MB = 1 << 20
_STREAM_HEAD = b"$ORIGIN nu.\nwww IN A 192.0.2.1\n"


def _child(args: list[str], feed: Callable[[IO[bytes]], None] | None, env: dict[str, str]) -> tuple[float, int, int]:
    """``python -m idnkit ARGS`` (stdin fed by ``feed``): wall seconds, exit status, peak RSS in bytes."""
    import os
    import subprocess
    import threading

    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "idnkit", *args],
        stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    writer = None
    if feed is not None:
        assert child.stdin is not None

        def pump() -> None:
            assert child.stdin is not None
            try:
                feed(child.stdin)
                child.stdin.close()
            except (BrokenPipeError, ValueError):
                pass

        writer = threading.Thread(target=pump)
        writer.start()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if writer is not None:
        writer.join()
    if child.stdin is not None:
        with contextlib.suppress(OSError):
            child.stdin.close()
    return time.perf_counter() - start, child.returncode, usage.ru_maxrss * 1024


def _line(out: IO[bytes], size: int, byte: bytes = b"a") -> None:
    out.write(_STREAM_HEAD)
    block = byte * MB
    for _ in range(size // MB):
        out.write(block)
    out.write(b"\nbad-.nu. IN A 192.0.2.2\n")


def streams(max_mb: int) -> None:
    """Peak resident memory and wall time of whole commands on streamed hostile input, per doubling.

    The peak should stay flat while the input doubles: readers work in bounded blocks."""
    import gzip
    import os
    import tempfile

    print(f"\n{'command':<34} {'input':>8} {'seconds':>8} {'peak RSS':>9} {'exit':>4}")
    with tempfile.TemporaryDirectory(prefix="bench-adversarial-") as folder:
        env = {"TMPDIR": folder}
        size = 32 * MB
        while size <= max_mb * MB:
            path = os.path.join(folder, "z.zone")
            with open(path, "wb") as f:
                _line(f, size, b"\0")
            member = gzip.compress(bytes(MB), compresslevel=9)  # a gzip bomb: members of a MB of zeros
            bomb = os.path.join(folder, "bomb.gz")
            with open(bomb, "wb") as f:
                f.write(member * (size // MB))
            runs = [
                ("idncheck -f - (one line)", ["-q", "-f", "-"], functools.partial(_line, size=size)),
                ("audit FILE, one NUL line, -j1", ["audit", path, "--origin", "nu", "-j", "1"], None),
                ("audit FILE, one NUL line, -j2", ["audit", path, "--origin", "nu", "-j", "2"], None),
                (
                    "audit - (stdin, one line)",
                    ["audit", "-", "--origin", "nu", "-j", "1"],
                    functools.partial(_line, size=size),
                ),
                ("audit bomb.gz (refused)", ["audit", bomb, "--origin", "nu"], None),
            ]
            for name, args, feed in runs:
                seconds, status, peak = _child(args, feed, env)
                print(f"{name:<34} {size // MB:>6}MB {seconds:>8.2f} {peak / MB:>7.0f}MB {status:>4}")
            os.unlink(path)
            os.unlink(bomb)
            size *= 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed samples per size (median; default 7)")
    parser.add_argument("--limit", type=float, default=2.2, help="largest acceptable growth per doubling")
    parser.add_argument("--only", help="run families whose entry point or name contains this text")
    parser.add_argument("--json", action="store_true", help="print one JSON object per family")
    parser.add_argument("--strict", action="store_true", help="exit 1 if anything is flagged")
    parser.add_argument(
        "--streams",
        type=int,
        metavar="MB",
        help="also run whole commands on streamed hostile input of 32 MB doubling up to MB (peak RSS, time)",
    )
    parser.add_argument("--max-size", type=int, help="skip sizes above this (and the 10x point when it cuts the bound)")
    args = parser.parse_args(argv)
    global MAX_SIZE
    MAX_SIZE = args.max_size
    families = [f for f in FAMILIES if not args.only or args.only in f.entry or args.only in f.name]
    flagged = 0
    if not args.json:
        print(f"{'entry point':<24} {'family':<24} {'bound':>6} {'t(bound)':>10} {'t(10x)':>10} "
              f"{'mem(bound)':>10} {'mem(10x)':>9}  per doubling (last 3)  growth  flags")  # fmt: skip
    for family in families:
        row = measure(family, args.repeat, args.limit)
        flagged += bool(row["flags"]) and not family.known
        if args.json:
            print(json.dumps(row))
            continue
        seconds = row["seconds"]
        assert isinstance(seconds, list)
        ratios = row["ratios"]
        assert isinstance(ratios, list)
        steps = " ".join(f"{r:4.2f}" for r in ratios[-3:])
        flags = row["flags"]
        assert isinstance(flags, list)
        over_s = row["over_bound_seconds"]
        over = "-" if not isinstance(over_s, float) else f"{over_s * 1e6:.1f}µs"
        peak, over_peak = row["peak_bytes"], row["over_bound_peak_bytes"]
        mem = f"{peak / 1024:.0f}KiB" if isinstance(peak, int) else "-"
        over_mem = f"{over_peak / 1024:.0f}KiB" if isinstance(over_peak, int) else "-"
        print(
            f"{family.entry:<24} {family.name:<24} {family.bound:>6} {seconds[-1] * 1e6:>8.1f}µs "
            f"{over:>10} {mem:>10} {over_mem:>9}  {steps:<21} {row['growth']:6.2f}  "
            f"{' '.join(flags) or 'ok'}"  # type: ignore[operator]
        )
    if not args.json:
        print(
            f"\n{flagged} of {len(families)} families flagged, known open findings not counted "
            f"(limit {args.limit}x per doubling)"
        )
    if args.streams:
        streams(args.streams)
    return 1 if args.strict and flagged else 0


if __name__ == "__main__":
    sys.exit(main())
