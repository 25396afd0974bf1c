#!/usr/bin/env python3
"""Start-up cost: ``idncheck NAME`` against the interpreter's own start, wall time, alternating runs.

    python bench/bench_startup.py [--repeat 15] [--python PYTHON] [NAME]

Runs ``python -c pass``, ``python -c "import idnkit"`` and ``idncheck NAME`` (as ``python -m
idnkit``'s console entry point, ``idnkit.cli.main``) ``--repeat`` times each, in alternating order,
and prints the median wall time and the median CPU time (user + system, from ``getrusage`` of the
children: steadier than wall time on a loaded machine) of each, and their ratios to ``python -c
pass`` (the issue's target: ``idncheck NAME`` at most 3x in wall time).  Then ``python -X
importtime`` of the CLI on NAME, the ten largest cumulative imports.  A benchmark, not a test: nothing is asserted.

``--python``: the interpreter of another environment, e.g. a venv where idnkit is installed from
its wheel.  An editable install (``pip install -e``) adds a path finder that every start of that
venv's Python imports (pathlib, re, contextlib, ...), so there ``python -c pass`` itself costs more
and the ratio reads lower than a wheel install gives.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time


def runs(python: str) -> dict[str, list[str]]:
    return {
        "python -c pass": [python, "-c", "pass"],
        "import idnkit": [python, "-c", "import idnkit"],
        "idncheck NAME": [python, "-c", "import sys; from idnkit.cli import main; sys.argv[0] = 'idncheck'; main()"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--python", default=sys.executable, help="the interpreter to start (default: this one)")
    parser.add_argument("name", nargs="?", default="bücher.example")
    args = parser.parse_args()
    commands = runs(args.python)
    times: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    order = list(commands)
    for r in range(args.repeat):
        for label in order if r % 2 == 0 else reversed(order):
            command = commands[label] + ([args.name] if label == "idncheck NAME" else [])
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times[label].append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[label].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    base = statistics.median(times["python -c pass"])
    base_cpu = statistics.median(cpu["python -c pass"])
    for label, values in times.items():
        median = statistics.median(values)
        cpu_median = statistics.median(cpu[label])
        print(
            f"{label:<16} median {median * 1000:7.0f} ms  (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"
            f"  {median / base:5.2f}x python -c pass;  CPU {cpu_median * 1000:5.0f} ms {cpu_median / base_cpu:5.2f}x"
        )
    done = subprocess.run(
        [commands["idncheck NAME"][0], "-X", "importtime", *commands["idncheck NAME"][1:], args.name],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    print("\nlargest cumulative imports (us), python -X importtime:")
    for cumulative, name in sorted(rows, reverse=True)[:10]:
        print(f"  {cumulative:>9,}  {name}")


if __name__ == "__main__":
    main()
