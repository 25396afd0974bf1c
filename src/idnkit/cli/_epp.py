"""``idncheck epp FILE.xml``: answer one EPP command as the registry would (docs/epp.md).

Thin: read the file, choose the policy and registry store, call :func:`idnkit.epp.handle`, print
the response document.  Exit status 0 for a 1xxx result code, 1 for any other, 2 when the file
cannot be read or the policy cannot be loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import click

from ..epp import LIMITS, EppError, handle, parse
from ..errors import EngineUnavailableError, IdnkitError
from ..policy import MemoryStore, Policy, Registry, RegistryError, RegistryStore, SQLiteStore, find
from ._policy import load_policy
from ._views import PolicyInputError


def _policy_for(option: str | None, data: bytes) -> Policy | None:
    """``--policy``, else the official policy of the command's first name (None: the command is unreadable)."""
    if option:
        return load_policy(option)
    try:
        command = parse(data)
    except EppError:
        return None  # answered 2001/2101 without any policy
    try:
        found = find(command.names[0])
    except IdnkitError as e:
        raise PolicyInputError(str(e)) from None
    if found is None:
        raise PolicyInputError(f"no official policy for {command.names[0]!r}: name one with --policy")
    return found


@click.command("epp")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--policy",
    "policy_name",
    metavar="NAME_OR_FILE",
    help="The registry policy (default: the official policy of the command's TLD).",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="The SQLite registry file; without it an empty registry in memory (nothing is kept).",
)
@click.option("--registrar", metavar="ID", help="The sponsoring client a create registers the name to.")
@click.pass_context
def epp_command(ctx: click.Context, file: IO[bytes], policy_name: str | None, db: str | None,
                registrar: str | None) -> None:  # fmt: skip
    """Answer the EPP command in FILE (- for stdin): domain check, create or info, with IDN tags.

    Prints the EPP response document (RFC 5730 §2.6); every refusal names idnkit's rule id in
    <extValue><reason>.  A create writes to --db; give --registrar as the sponsoring client.

    Exit status: 0 for a 1xxx result code, 1 for any other, 2 usage error, unreadable file or
    policy.
    """
    try:
        # one byte past the EPP bound is enough for the refusal (RFC 5730 frames are small): a huge or
        # endless FILE (/dev/zero, a pipe) is never held
        data = file.read(LIMITS.max_bytes + 1)
    except OSError as e:
        raise PolicyInputError(f"{click.format_filename(getattr(file, 'name', '-'))}: {e.strerror or e}") from None
    policy = _policy_for(policy_name, data)
    if policy is None:  # unreadable command: the answer needs no registry
        try:
            parse(data)
        except EppError as e:
            _emit(ctx, e.response.xml, e.response.code)
        return
    try:
        store: RegistryStore = SQLiteStore(Path(db)) if db else MemoryStore()
        registry = Registry(policy, store)
    except (RegistryError, EngineUnavailableError) as e:
        raise PolicyInputError(str(e)) from None
    answer = handle(data, registry=registry, registrar=registrar)
    _emit(ctx, answer.xml, answer.code)


def _emit(ctx: click.Context, xml: bytes, code: int) -> None:
    click.echo(xml, nl=False)  # bytes go to the binary stream as they are (UTF-8)
    ctx.exit(0 if code < 2000 else 1)
