"""``idncheck``: the command-line face of idnkit.

A thin layer: read names (arguments, files, stdin), call the library, and print the results as
text or as JSON lines (schemas in ``docs/json-schema.md``).  The group lives here; each command
group lives in its own module and shares helpers through :mod:`idnkit.cli._common`.
"""

from __future__ import annotations

import io
import sys

import click

from .._version import __version__
from ..unicode import UNICODE_VERSION
from ._lazy import DefaultGroup, _LazyCommands


@click.group(
    cls=DefaultGroup,
    epilog="Without a command, idncheck runs `check`: `idncheck bücher.example` is "
    "`idncheck check bücher.example`.  To check a name that is itself a command name, say "
    "`idncheck check explain`.  Options go after the command: `idncheck explain --json ß`.",
)
@click.version_option(
    __version__, prog_name="idncheck", message=f"%(prog)s (idnkit) %(version)s, Unicode {UNICODE_VERSION}"
)
def cli() -> None:
    """Validate internationalized domain names (IDNA2008, UTS #46) and explain code points.

    \b
    idncheck [check] [OPTIONS] NAME...     check names
    idncheck [check] [OPTIONS] -f FILE     check one name per line of FILE (- for stdin)
    idncheck explain [--json] CODEPOINT... explain how a code point's IDNA2008 property is derived
    idncheck confusable [--json] A B       are A and B confusable (UTS #39)? exit 0 yes, 1 no
    idncheck lgr ...                       Label Generation Rules: list, validate, variants, convert, merge
    idncheck policy ... / registry ...     registry policies and a registry of names under one
    idncheck audit ZONEFILE                audit every owner name of a zone file or a list of names
    idncheck epp FILE.xml                  answer an EPP domain check/create/info as the registry would
    idncheck rules [PREFIX]                every rule id with the standard and section it comes from
    idncheck serve --tokens FILE           the HTTP service (docs/service.md); idncheck token new makes tokens
    """


# Commands are imported when used (``idncheck NAME`` loads the check command, not the LGR, policy,
# audit or service code): name -> (module, attribute), resolved by _LazyCommands on first access.
_COMMANDS = {
    "check": ("._check", "check"),
    "explain": ("._check", "explain_command"),
    "lgr": ("._lgr", "lgr_group"),
    "confusable": ("._confusables", "confusable_command"),
    "audit": ("._audit", "audit_command"),
    "epp": ("._epp", "epp_command"),
    "policy": ("._policy", "policy_group"),
    "registry": ("._policy", "registry_group"),
    "rules": ("._rules", "rules_command"),
    "serve": ("._serve", "serve_command"),
    "console": ("._serve", "console_group"),
    "token": ("._serve", "token_group"),
}
cli.commands = _LazyCommands(__name__, _COMMANDS)


INTERRUPTED = 2
"""Exit status after SIGINT (Ctrl-C): like an input error, never 1 ("some names invalid"), since what
was printed so far is not a complete answer."""


def main() -> None:
    """Entry point of the ``idncheck`` console script."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # a terminal that cannot show a character gets an escape
            stream.reconfigure(errors="backslashreplace")
    try:
        # Not standalone: click would turn Ctrl-C into "Aborted!" and exit status 1.
        status = cli.main(standalone_mode=False)
    except click.Abort:  # KeyboardInterrupt (SIGINT), or end of input at a prompt
        click.echo("idncheck: interrupted; the output so far is incomplete", err=True)
        sys.exit(INTERRUPTED)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    sys.exit(status if isinstance(status, int) else 0)
