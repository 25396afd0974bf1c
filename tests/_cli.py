"""The one way tests run ``idncheck`` in-process: click's runner, exceptions propagated (a traceback is a failure)."""

from __future__ import annotations

from click.testing import CliRunner, Result

from idnkit.cli import cli


def run_cli(*args: str, input: str | bytes | None = None) -> Result:
    """``idncheck ARGS...`` with ``input`` on stdin; the result holds the exit code and the output."""
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
