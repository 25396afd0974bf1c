"""Run code in a child interpreter under hard resource limits: a hang or a memory blow-up fails the test.

The limits are enforced by the kernel (``resource.setrlimit``: CPU seconds, address space) and by a
wall-clock timeout, never by timing asserts: a child that needs more is killed, and the test fails
saying which limit it met.  The bounds are generous (several times what the fixed code needs on a
loaded 2-core machine) and far below what the unfixed code took (minutes, gigabytes).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Sequence

import pytest

MB = 1 << 20


def run_bounded(
    args: Sequence[str],
    *,
    cpu_seconds: int = 60,
    memory_mb: int = 1024,
    wall_seconds: float = 300,
    stdin: bytes | None = None,
    cwd: str | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """``python ARGS...`` in a child limited to ``cpu_seconds`` of CPU and ``memory_mb`` of memory.

    Memory is RLIMIT_DATA: what the child allocates (heap and anonymous mappings), not files it maps
    read-only (the audit's planner maps the zone file to find partition boundaries).

    Returns the finished process (its exit status is the caller's to check); fails the test when the
    child is killed by a limit or outlives ``wall_seconds``.
    """

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_DATA, (memory_mb * MB, memory_mb * MB))

    env = {**os.environ, "PYTHONFAULTHANDLER": "0"}
    try:
        done = subprocess.run(
            [sys.executable, *args],
            input=stdin,
            capture_output=True,
            timeout=wall_seconds,
            preexec_fn=limit,
            cwd=cwd,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish within {wall_seconds} s of wall-clock time: {' '.join(args)[:200]}")
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        pytest.fail(f"killed at the {cpu_seconds} s CPU limit: {' '.join(args)[:200]}")
    if b"MemoryError" in done.stderr or b"Cannot allocate memory" in done.stderr:
        pytest.fail(f"ran out of its {memory_mb} MB of memory: {done.stderr.decode()[-500:]}")
    return done


def python_code(code: str) -> list[str]:
    """Arguments running ``code`` (``python -c``)."""
    return ["-c", code]
