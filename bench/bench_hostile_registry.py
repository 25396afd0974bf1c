"""Peak memory of ``idncheck registry`` on a big registry and hostile names (issue 18 §1).

``python bench/bench_hostile_registry.py [--names N]`` registers N names (default 20,000) in a SQLite
registry for ``.de`` through the library, then runs each command in a child process and prints its
peak resident memory (``ru_maxrss`` of the child, read by ``os.wait4`` in a launcher, so that this
process's size is not counted): ``list`` of all N, ``check`` and ``add`` of a 120 KB name (about the
longest argument Linux passes) and of a name of 63-byte labels, ``show`` of a name.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1 << 20

_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\\nmaxrss={usage.ru_maxrss} status={os.waitstatus_to_exitcode(status)}\\n")
"""


def _run(args: list[str]) -> tuple[int, int, float, int]:
    """(status, peak bytes, seconds, output bytes) of ``python -m idnkit ARGS``."""
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, "-m", "idnkit", *args], capture_output=True, timeout=600, check=False
    )
    seconds = time.monotonic() - start
    tail = done.stderr.decode(errors="replace").rsplit("maxrss=", 1)[1].split()
    return int(tail[1].split("=")[1]), int(tail[0]) * 1024, seconds, len(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=20_000)
    options = parser.parse_args()
    from idnkit import policy
    from idnkit.policy import Registry
    from idnkit.policy._stores import store_from_url

    with tempfile.TemporaryDirectory(prefix="idnkit-bench-registry-") as tmp:
        db = str(Path(tmp) / "reg.sqlite")
        start = time.monotonic()
        registry = Registry(policy.load("de"), store_from_url(db))
        for i in range(options.names):
            registry.add(f"n{i:06d}-bücher.de", f"r{i % 97}")
        print(f"{options.names:,} names registered in {time.monotonic() - start:.1f} s")
        huge = "a" * 120_000 + ".de"  # one argument: Linux takes at most 128 KiB
        labels = ".".join(["b" * 63] * 3) + ".de"
        print(f"{'command':44} {'exit':>4} {'peak RSS':>10} {'time':>7} {'output':>10}")
        base = ["registry", "--db", db, "--policy", "de"]
        for title, args in [
            ("registry list de (every name)", [*base, "list", "de"]),
            ("registry list de --json", [*base, "--json", "list", "de"]),
            ("registry check (a 120 KB name)", [*base, "check", huge, "--registrant", "x"]),
            ("registry add (a 120 KB name)", [*base, "add", huge, "--registrant", "x"]),
            ("registry add (3 labels of 63 bytes)", [*base, "add", labels, "--registrant", "x"]),
            ("registry show (one name)", [*base, "show", "n000001-bücher.de"]),
        ]:
            status, peak, seconds, size = _run(args)
            print(f"{title:44} {status:4} {peak / MB:7.1f} MB {seconds:6.2f}s {size:9,} B", flush=True)


if __name__ == "__main__":
    if os.name != "posix":
        sys.exit("needs os.fork")
    main()
