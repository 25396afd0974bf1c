"""Run one harness under atheris/libFuzzer: ``python fuzz/_atheris_main.py NAME [libFuzzer args]``.

Started by fuzz/run in a child process (libFuzzer exits the process when it stops)."""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
with atheris.instrument_imports(include=["idnkit", "harnesses"]):
    import harnesses


def main() -> None:
    name = sys.argv.pop(1)
    atheris.Setup(sys.argv, harnesses.HARNESSES[name].run)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
