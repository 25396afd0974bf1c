#!/usr/bin/env python3
"""Zone reading and zone audit throughput and peak memory, against dnspython's zone parser.

    python bench/bench_audit.py [--names 2000000] [--slice 100000] [--seed 6] [--repeat 3] [--jobs N] [--json]
                                [--idn-fraction 0.05] [--audit-only | --reader-only] [--dnspython-repeat 1]

A reproducible TLD-style zone is generated into a temporary folder: ``--names`` delegations (a
fraction ``--idn-fraction`` of them IDN, 5% by default, labels drawn from word lists in eleven
scripts), each with two NS records, one in five with a DS record, one in fifty with in-bailiwick
glue (A and AAAA).  Then, each in a fresh subprocess
whose whole process tree is sampled for resident memory:

(a) bare owner-name extraction: idnkit's reader over the whole zone and over the first ``--slice``
    names, and ``dns.zone.from_file`` over the same slice;
(b) the full audit (``idnkit.audit.audit_zone``, default key sources), one job and ``--jobs`` jobs.

``--reader-only`` runs (a) alone; ``--audit-only`` runs (b) alone: with ``--idn-fraction``, zones
of different sizes holding the same number of IDN names show whether the audit's memory follows
the IDN names or the zone size.

Printed: names/s (median of ``--repeat`` rounds; dnspython of ``--dnspython-repeat``, 1 by default:
it is slow, but one round of it moves the ratio by ±20% on a shared machine), the ratios the
issue sets targets for (reader ≥ 100× dnspython, audit ≥ 0.5× reader) and peak memory summed over
all processes (target < 300 MB).  The machine is shared and noisy: read medians and ratios.
Nothing is asserted: this is a benchmark, not a test.

Real lists (``bench/make_real_zone.py`` writes one, replicated from a real ccTLD's names):

    python bench/bench_audit.py --names-file names.txt [--origin ee] [--jobs 2] [--repeat 3]
    python bench/bench_audit.py --zone-file zone.txt [--origin ee] [--jobs 2] [--repeat 3]

time, on that file alone, plain line reading (``for line in file``, the floor), for a zone also
idnkit's zone reader with one job, and the audit (``names_list=True`` for a list) with one job and
with ``--jobs``; printed are names/s, the ratios of each to plain reading (and to the reader), two
jobs over one, and peak resident memory summed over every process, with the bytes per IDN name
above the smallest run's (an ASCII name should cost nothing that stays).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

WORDS = {
    "Latn": "shop bank mail cloud data home green blue north star river stone media tech auto "
    "travel health solar smart city food wine music art sport best",
    "de": "bücher müller straße grün köln münchen schön über bäcker größe fußball käse",
    "fr": "café élève forêt hôtel crème garçon château noël façade théâtre",
    "Cyrl": "пример почта магазин банк новости москва книга домен сеть город",
    "Grek": "παράδειγμα ελλάδα αθήνα βιβλίο θάλασσα ήλιος",
    "Arab": "مثال موقع شركة سوق بنك اخبار",
    "Hebr": "דוגמה ספר חנות בנק",
    "Hani": "例子 中国 公司 网络 商店 银行 新闻 北京 上海 学校",
    "Jpan": "テスト ストア ニュース 東京 大阪 さくら",
    "Hang": "한국 예시 서울 은행 뉴스",
    "Deva": "भारत उदाहरण बाजार समाचार",
}


def _label(rng: random.Random, idn: bool, i: int) -> str:
    if idn:
        script = rng.choice([s for s in WORDS if s != "Latn"])
        word = rng.choice(WORDS[script].split())
        other = rng.choice(WORDS[script].split())
        # the delegation's number keeps labels distinct: each owner name is one delegation, as in a TLD
        text = f"{word}{other}{i}" if script in ("Hani", "Jpan", "Hang") else f"{word}-{other}{i}"
        return "xn--" + text.encode("punycode").decode("ascii")
    words = WORDS["Latn"].split()
    a, b = rng.choice(words), rng.choice(words)
    return f"{a}{b}{i}" if rng.random() < 0.7 else f"{a}-{b}-{i}"


def generate(path: Path, names: int, seed: int, idn_fraction: float = 0.05) -> int:
    """Write the zone; returns the number of distinct owner names written."""
    rng = random.Random(seed)
    owners = 1
    with open(path, "w", encoding="ascii") as out:
        out.write("$ORIGIN example.\n$TTL 86400\n")
        out.write("@ IN SOA a.nic.example. hostmaster.nic.example. ( 2026082201 1800 900 604800 86400 )\n")
        out.write("  IN NS a.nic.example.\n  IN NS b.nic.example.\n")
        batch: list[str] = []
        for i in range(names):
            label = _label(rng, rng.random() < idn_fraction, i)
            batch.append(f"{label} 172800 IN NS ns1.{label}.net.\n{label} 172800 IN NS ns2.{label}.net.\n")
            if rng.random() < 0.2:
                batch.append(f"{label} 86400 IN DS {rng.randrange(65536)} 8 2 {rng.getrandbits(256):064X}\n")
            if rng.random() < 0.02:
                batch.append(f"ns1.{label} IN A 192.0.2.{i % 250}\n  IN AAAA 2001:db8::{i % 65536:x}\n")
                owners += 1
            if len(batch) > 20000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))
    return owners + names


def slice_zone(path: Path, target: Path, names: int) -> int:
    """The header and the first ``names`` delegations (and their glue)."""
    seen = 0
    last = b""
    with open(path, "rb") as src, open(target, "wb") as out:
        for line in src:
            owner = line.split(None, 1)[0] if line[:1] not in b" \t$" else b""
            if owner and owner != last and not owner.startswith(b"ns1.") and owner != b"@":
                seen += 1
                if seen > names:
                    break
            if owner:
                last = owner
            out.write(line)
    return min(seen, names)


# --- measurement in a subprocess, memory sampled over the process tree --------------------------

CHILD = r"""
import json, sys, time
mode, path, arg = sys.argv[1], sys.argv[2], sys.argv[3]
origin = sys.argv[4] if len(sys.argv) > 4 else "example."
import dns.zone, idnkit.audit  # imports are not timed
from idnkit.zone._lexer import Scanner
start = time.perf_counter()
if mode == "lines":
    names = 0
    with open(path, "rb") as f:
        for line in f:
            names += 1
elif mode == "reader":
    scanner = Scanner(path, origin.encode())
    names = 0
    with open(path, "rb") as f:
        for batch in scanner.scan(f):
            names += sum(1 for item in batch if type(item) is tuple)
elif mode == "dnspython":
    import dns.zone
    with open(path) as f:
        zone = dns.zone.from_file(f, origin="example.", relativize=False, check_origin=False)
    names = len(zone.nodes)
else:
    from idnkit.audit import audit_zone
    result = audit_zone(path, origin, jobs=int(arg), names_list=mode == "audit-names")
    names = result.names
    assert names == result.valid + result.invalid + result.unreadable
print(json.dumps({"names": names, "seconds": time.perf_counter() - start}))
"""


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(mode: str, path: Path, arg: str = "1", origin: str = "example.") -> dict[str, Any]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, str(path), arg, origin], stdout=subprocess.PIPE, text=True
    )
    peak = 0

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{mode} failed with status {proc.returncode}")
    result: dict[str, Any] = json.loads(out)
    result["peak_mb"] = peak / 2**20
    result["rate"] = result["names"] / result["seconds"]
    return result


def median_of(mode: str, path: Path, arg: str, repeat: int, origin: str = "example.") -> dict[str, Any]:
    runs = [measure(mode, path, arg, origin) for _ in range(repeat)]
    best = sorted(runs, key=lambda r: r["rate"])[len(runs) // 2]
    return {**best, "rates": [round(r["rate"]) for r in runs], "peak_mb": max(r["peak_mb"] for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, default=2_000_000)
    parser.add_argument("--slice", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--idn-fraction", type=float, default=0.05)
    parser.add_argument("--dnspython-repeat", type=int, default=1)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--audit-only", action="store_true")
    only.add_argument("--reader-only", action="store_true")
    real = parser.add_mutually_exclusive_group()
    real.add_argument("--names-file", type=Path, help="audit this list of names (one a line) instead")
    real.add_argument("--zone-file", type=Path, help="audit this zone file instead")
    parser.add_argument("--origin", default="ee", help="origin of --names-file / --zone-file (default ee)")
    args = parser.parse_args()
    if args.names_file or args.zone_file:
        real_file(args)
        return
    with tempfile.TemporaryDirectory(prefix="idnkit-bench-") as tmp:
        zone, part = Path(tmp) / "bench.zone", Path(tmp) / "slice.zone"
        t0 = time.perf_counter()
        owners = generate(zone, args.names, args.seed, args.idn_fraction)
        slice_zone(zone, part, args.slice)
        info = {
            "names": args.names,
            "owners": owners,
            "zone_mb": zone.stat().st_size / 2**20,
            "generate_s": time.perf_counter() - t0,
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "idn_fraction": args.idn_fraction,
        }
        plan = [
            ("reader_full", "reader", zone, "1", args.repeat),
            ("reader_slice", "reader", part, "1", args.repeat),
            ("dnspython_slice", "dnspython", part, "1", args.dnspython_repeat),
            ("audit_1", "audit", zone, "1", args.repeat),
            (f"audit_{args.jobs}", "audit", zone, str(args.jobs), args.repeat),
        ]
        if args.audit_only or args.reader_only:
            plan = [row for row in plan if (row[1] == "audit") == args.audit_only]
        figures = {}
        for name, mode, path, arg, repeat in plan:
            figures[name] = median_of(mode, path, arg, repeat)
            if not args.json:  # as they come: the whole run takes minutes
                print(f"  ... {name}: {figures[name]['rate']:,.0f} names/s", file=sys.stderr, flush=True)
    ratios = _ratios(figures, args.jobs)
    if args.json:
        print(json.dumps({"info": info, "figures": figures, "ratios": ratios}, indent=2))
        return
    print(
        f"zone: {info['names']:,} delegations, {info['owners']:,} owner names, {info['zone_mb']:.0f} MB "
        f"(generated in {info['generate_s']:.1f} s, IDN fraction {args.idn_fraction}); {info['cpus']} CPUs, "
        f"Python {info['python']}"
    )
    for name, fig in figures.items():
        print(
            f"  {name:<16} {fig['names']:>10,} names {fig['seconds']:>8.2f} s {fig['rate']:>12,.0f} names/s "
            f"peak {fig['peak_mb']:>6.0f} MB   rounds {fig['rates']}"
        )
    targets = {"reader_vs_dnspython_slice": 100, "audit_1_vs_reader": 0.5, f"audit_{args.jobs}_vs_reader": 0.5}
    for name, value in ratios.items():
        target = f" (target ≥ {targets[name]})" if name in targets else ""
        print(f"  {name:<34} {value:8.2f}×{target}")
    peak = max(f["peak_mb"] for f in figures.values())
    print(f"  largest peak memory (summed over processes) {peak:.0f} MB (target < 300 MB)")


def real_file(args: argparse.Namespace) -> None:
    """--names-file / --zone-file: plain reading, the reader (zones), the audit with 1 and --jobs jobs."""
    path: Path = args.names_file or args.zone_file
    origin = args.origin.strip(".") + "."
    audit = "audit-names" if args.names_file else "audit"
    plan = [("lines", "lines", "1")]
    if args.zone_file:
        plan.append(("reader", "reader", "1"))
    plan += [("audit_1", audit, "1"), (f"audit_{args.jobs}", audit, str(args.jobs))]
    figures: dict[str, dict[str, Any]] = {}
    for name, mode, arg in plan:
        figures[name] = median_of(mode, path, arg, args.repeat, origin)
        print(f"  ... {name}: {figures[name]['rate']:,.0f} /s", file=sys.stderr, flush=True)
    with open(path, "rb") as f:
        idn = sum(1 for line in f if b"xn--" in line)
    if args.zone_file:
        idn //= 2  # two NS records per name
    base = figures["audit_1"]["names"]
    ratios = {
        f"{a}_vs_{b}": figures[a]["rate"] / figures[b]["rate"]
        for a in figures
        for b in ("lines", "reader")
        if b in figures and a != b and a != "lines"
    }
    ratios[f"audit_{args.jobs}_vs_audit_1"] = figures[f"audit_{args.jobs}"]["rate"] / figures["audit_1"]["rate"]
    report = {"file": str(path), "names": base, "idn_lines": idn, "figures": figures, "ratios": ratios}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{path}: {base:,} names audited, {idn:,} IDN; {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    for name, fig in figures.items():
        print(
            f"  {name:<10} {fig['seconds']:>8.2f} s {fig['rate']:>12,.0f} /s peak {fig['peak_mb']:>6.0f} MB"
            f"  rounds {fig['rates']}"
        )
    for name, value in ratios.items():
        print(f"  {name:<26} {value:6.2f}x")
    for name in ("audit_1", f"audit_{args.jobs}"):
        over = (figures[name]["peak_mb"] - figures["lines"]["peak_mb"]) * 2**20
        print(f"  {name} peak above plain reading: {over / max(idn, 1):,.0f} B per IDN name ({over / base:.0f} B/name)")


def _ratios(figures: dict[str, dict[str, Any]], jobs: int) -> dict[str, float]:
    """The ratios whose figures were measured (--audit-only and --reader-only leave some out)."""
    wanted = {
        "reader_vs_dnspython_slice": ("reader_slice", "dnspython_slice"),
        "reader_full_vs_dnspython_slice": ("reader_full", "dnspython_slice"),
        "audit_1_vs_reader": ("audit_1", "reader_full"),
        f"audit_{jobs}_vs_reader": (f"audit_{jobs}", "reader_full"),
    }
    return {
        name: figures[a]["rate"] / figures[b]["rate"]
        for name, (a, b) in wanted.items()
        if a in figures and b in figures
    }


if __name__ == "__main__":
    main()
