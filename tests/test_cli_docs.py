"""docs/cli.md and docs/idncheck.1 are generated from the click commands and must be current."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_cli_reference_and_man_page_are_current() -> None:
    command = [sys.executable, str(ROOT / "tools" / "gen_cli_docs.py"), "--check"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr  # "stale: run python tools/gen_cli_docs.py"


def test_every_command_is_in_the_reference() -> None:
    from idnkit.cli import cli

    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f"## `idncheck {name}`" in reference
        for sub in getattr(command, "commands", {}):
            assert f"## `idncheck {name} {sub}`" in reference
