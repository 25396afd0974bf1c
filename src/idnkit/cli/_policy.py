"""``idncheck`` commands for registry policies: ``check --policy``, ``policy lint|show``, ``registry``.

Thin: parse options, call :mod:`idnkit.policy`, format the results (JSON mirrors ``to_dict()``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from ..errors import EngineUnavailableError, IdnkitError
from ..policy import (
    LintIssue,
    Policy,
    PolicyError,
    RegistrationCheck,
    Registry,
    RegistryError,
    RegistryStorageError,
    Status,
    display_url,
    find,
    lint,
    load,
    shipped,
    store_from_url,
)
from ._common import pad
from ._views import PolicyInputError, finding_text

POLICY_SCHEMA = "idnkit.policy-check/1"
LINT_SCHEMA = "idnkit.policy-lint/1"
SHOW_SCHEMA = "idnkit.policy/1"
LIST_SCHEMA = "idnkit.policy-list/1"
REGISTRY_SCHEMA = "idnkit.registry/1"
_INDENT = " " * 11


def _show(text: str) -> str:
    return "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in text)


def _json(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def load_policy(name_or_path: str) -> Policy:
    """A policy named on the command line, or a usage error naming every problem of the file."""
    try:
        return load(name_or_path)
    except PolicyError as e:
        raise PolicyInputError(f"policy {name_or_path} is not valid:\n{e}") from None
    except IdnkitError as e:
        raise PolicyInputError(str(e)) from None


# --- policy lint / show --------------------------------------------------------------------------


@click.group("policy")
def policy_group() -> None:
    """Lint and describe registry policy files (docs/policy-format.md)."""


@policy_group.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file (schema idnkit.policy-lint/1).")
def lint_command(files: tuple[str, ...], as_json: bool) -> None:
    """Check each policy FILE and list every problem as file:line: field: message.

    Exit status: 0 every file clean, 1 some file has problems, 2 a file cannot be read.
    """
    status = 0
    for file in files:
        try:
            issues: list[LintIssue] = lint(file)
        except IdnkitError as e:
            raise PolicyInputError(str(e)) from None
        if issues:
            status = 1
        if as_json:
            click.echo(_json({"schema": LINT_SCHEMA, "file": file, "ok": not issues,
                              "issues": [i.to_dict() for i in issues]}))  # fmt: skip
        else:
            for issue in issues:
                click.echo(_show(str(issue)))
            click.echo(f"{file}: {'clean' if not issues else f'{len(issues)} problem(s)'}")
    raise SystemExit(status)


def _describe(policy: Policy) -> list[str]:
    d = policy.data
    i = d.identity
    tld = f".{i.tld}" + (f" ({i.tld_alabel})" if i.tld != i.tld_alabel else "")
    lines = [f"{tld} policy version {i.version}, {i.status.value.upper()}: {i.operator}"]
    if i.aliases:
        lines.append(f"  also applies under: {', '.join('.' + a for a in i.aliases)}")
    if i.status is Status.EXAMPLE:
        lines.append(f"  NOT the registry's own policy: {i.note}")
        lines.append("  applies only when named with --policy")
    else:
        lines.append(f"  applies automatically to names under {tld}")
    if i.effective:
        lines.append(f"  effective {i.effective.isoformat()}")
    lines.append(f"  sources: {i.source}")
    select = {"any": "at least one of", "one": "exactly one of", "language": "the table for the registrant's language:"}
    lines.append(f"  a label must be valid under {select[d.tables.select.value]}")
    lines += [f"    {t.ref} [{t.tag}]  ({t.source})" for t in d.tables.tables]
    s = d.scripts
    if s.allowed:
        lines.append(f"  scripts: {', '.join(sorted(s.allowed))}" + ("; one per label" if s.single_script else ""))
    for combo in s.combinations:
        lines.append(f"    may combine {'+'.join(sorted(combo))}")
    if s.with_ldh:
        lines.append(f"    {', '.join(sorted(s.with_ldh))} may be mixed with ASCII letters, digits, hyphen")
    if s.idn_tld_only:
        lines.append(f"    only under .{i.tld}: {', '.join(sorted(s.idn_tld_only))}")
    if s.ascii_tld_only:
        lines.append(f"    only under the ASCII ccTLD: {', '.join(sorted(s.ascii_tld_only))}")
    if d.uts39.restriction_level:
        lines.append(f"  UTS #39 restriction level at most {d.uts39.restriction_level}")
    if not d.digits.mixing or d.digits.allowed:
        allowed = f"; digit sets {', '.join(sorted(d.digits.allowed))}" if d.digits.allowed else ""
        lines.append(f"  digits: {'no mixing of digit sets' if not d.digits.mixing else 'mixing allowed'}{allowed}")
    if not d.hyphens.allowed or not d.hyphens.consecutive:
        lines.append(f"  hyphens: {'none' if not d.hyphens.allowed else 'no two in a row'}")
    bounds = {k: v for k, v in d.to_dict()["length"].items() if v is not None}
    if bounds:
        lines.append("  length: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in bounds.items()))
    for rule in d.context:
        lines.append(f"  context {rule.id}: U+{rule.char:04X} — {rule.message}")
    if d.reserved.names or d.blocked.names:
        lines.append(f"  {len(d.reserved.names)} reserved and {len(d.blocked.names)} blocked names")
    if d.variants.actions:
        lines.append("  variants: " + ", ".join(f"{disp} → {act.value}" for disp, act in d.variants.actions))
    c = d.confusables
    kinds = (
        ("skeleton", c.skeleton),
        ("mark-folded skeleton", c.mark_folded),
        ("accents folded", c.strip_marks),
        (f"{len(c.fold)} folds", bool(c.fold)),
    )
    conf = [what for what, on in kinds if on]
    if conf:
        lines.append(f"  look-alikes of registered names refused by: {', '.join(conf)}")
    return lines


@policy_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per policy (schema idnkit.policy-list/1).")
def list_command(as_json: bool) -> None:
    """The shipped policies: official ones apply by TLD, example ones only when named with --policy."""
    for entry in shipped():
        if as_json:
            click.echo(_json({"schema": LIST_SCHEMA, **entry.to_dict()}))
            continue
        also = f" (also {', '.join(entry.aliases)})" if entry.aliases else ""
        click.echo(f"{pad(entry.tld, 8)} {entry.status:<9} {entry.version:<11} {entry.operator}{also}")


@policy_group.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the policy as JSON (schema idnkit.policy/1).")
def show_command(name: str, as_json: bool) -> None:
    """Say what the policy NAME (a TLD such as se, рф, cn, or a .toml file) allows."""
    policy = load_policy(name)
    if as_json:
        click.echo(_json({"schema": SHOW_SCHEMA, **policy.data.to_dict()}))
    else:
        click.echo("\n".join(_show(line) for line in _describe(policy)))


# --- registry ------------------------------------------------------------------------------------


def _registry_options(command: Callable[..., None]) -> Callable[..., None]:
    """--db, --policy and --json, accepted by the group and by each subcommand (whichever the user writes)."""

    def remember(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
        def callback(ctx: click.Context, _: click.Parameter, value: Any) -> Any:
            if value:  # given here: it wins over the group's
                ctx.ensure_object(dict)[key] = value
            return value

        return callback

    for decorator in (
        click.option("--json", "as_json", is_flag=True, expose_value=False, callback=remember("json"),
                     help="Print JSON (schema idnkit.registry/1)."),
        click.option("--policy", "policy_name", metavar="NAME_OR_FILE", expose_value=False, callback=remember("policy"),
                     help="The policy (default: the official policy of the name's TLD)."),
        click.option("--db", "db", metavar="URL", expose_value=False, callback=remember("db"),
                     help="The registry database (required, here or before the subcommand): a SQLite file "
                          "(reg.sqlite, sqlite:///reg.sqlite) or postgresql://user@host/dbname."),
    ):  # fmt: skip
        command = decorator(command)
    return command


class _RegistryGroup(click.Group):
    """A database failing mid-command (locked, corrupt, unreachable): exit 2 with its message, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RegistryStorageError as e:
            raise PolicyInputError(str(e)) from None


@click.group("registry", cls=_RegistryGroup)
@_registry_options
@click.pass_context
def registry_group(ctx: click.Context) -> None:
    """Registration-time checks against a registry database: check, add, bundle, remove, transfer, show, list."""
    ctx.ensure_object(dict)


def _registry(ctx: click.Context, name: str) -> Registry:
    opts = ctx.obj  # shared by the group and the subcommand: the subcommand's options were set last
    if not opts.get("db"):
        raise click.UsageError("give the registry database with --db FILE_OR_URL", ctx)
    if opts.get("policy"):
        policy = load_policy(opts["policy"])
    else:
        try:
            found = find(name)
        except IdnkitError as e:
            raise PolicyInputError(str(e)) from None
        if found is None:
            raise PolicyInputError(f"no official policy for {name!r}: name one with --policy")
        policy = found
    try:
        store = store_from_url(opts["db"])
    except RegistryError as e:
        raise PolicyInputError(str(e)) from None
    close = getattr(store, "close", None)
    if close is not None:
        ctx.call_on_close(close)  # a PostgreSQL pool's connections end with the command
    try:
        return Registry(policy, store)
    except (RegistryError, EngineUnavailableError) as e:
        raise PolicyInputError(str(e)) from None


def _emit_check(ctx: click.Context, action: str, check: RegistrationCheck) -> None:
    if ctx.obj.get("json"):
        click.echo(_json({"schema": REGISTRY_SCHEMA, "action": action, **check.to_dict()}))
    else:
        verdict = {"add": "REGISTERED", "bundle": "ACTIVATED"}.get(action, "AVAILABLE") if check.ok else "REFUSED"
        click.echo(f"{_show(check.name)}: {verdict} (registrant {_show(check.registrant)})")
        if check.activates:
            click.echo(f"  variant in the bundle of {_show(check.activates)}")
        for r in check.bundle:
            click.echo(f"  variant  {_show(r.label)}  {r.disposition} → {r.action.value}")
        for c in check.conflicts:
            click.echo(f"  conflict {_show(c.other)}  by {c.kind}, registrant {_show(c.registrant)}")
        for f in check.findings:
            for line in finding_text(f):
                click.echo(line)
    ctx.exit(0 if check.ok else 1)


def _emit_names(ctx: click.Context, action: str, name: str, names: list[str]) -> None:
    if ctx.obj.get("json"):
        click.echo(_json({"schema": REGISTRY_SCHEMA, "action": action, "name": name, "ok": True, "names": names}))
    else:
        done = {"remove": "REMOVED", "transfer": "TRANSFERRED"}[action]
        click.echo(f"{_show(name)}: {done} {', '.join(_show(n) for n in names)}")


def _refused(ctx: click.Context, action: str, name: str, error: IdnkitError) -> None:
    if ctx.obj.get("json"):
        click.echo(_json({"schema": REGISTRY_SCHEMA, "action": action, "name": name, "ok": False, "error": str(error)}))
    else:
        click.echo(f"{_show(name)}: REFUSED: {_show(str(error))}", err=True)
    ctx.exit(1)


_registrant = click.option("--registrant", required=True, metavar="ID", help="The registrant's id.")
_language = click.option("--language", metavar="TAG", help="The registration's language tag (EPP IDN table).")


@registry_group.command("check")
@_registry_options
@click.argument("name")
@_registrant
@_language
@click.pass_context
def registry_check(ctx: click.Context, name: str, registrant: str, language: str | None) -> None:
    """Could NAME be registered to the registrant now?  Lists every conflict; writes nothing."""
    _emit_check(ctx, "check", _registry(ctx, name).can_register(name, registrant, language=language))


@registry_group.command("add")
@_registry_options
@click.argument("name")
@_registrant
@_language
@click.pass_context
def registry_add(ctx: click.Context, name: str, registrant: str, language: str | None) -> None:
    """Register NAME (check and insert in one transaction); bundled variants come with it."""
    _emit_check(ctx, "add", _registry(ctx, name).add(name, registrant, language=language))


@registry_group.command("bundle")
@_registry_options
@click.argument("name")
@_registrant
@click.pass_context
def registry_bundle(ctx: click.Context, name: str, registrant: str) -> None:
    """Activate NAME, a variant reserved to the registrant."""
    reg = _registry(ctx, name)
    try:
        check = reg.bundle(name, registrant)
    except RegistryError as e:
        _refused(ctx, "bundle", name, e)
        return
    _emit_check(ctx, "bundle", check)


@registry_group.command("remove")
@_registry_options
@click.argument("name")
@_registrant
@click.pass_context
def registry_remove(ctx: click.Context, name: str, registrant: str) -> None:
    """Delete NAME; deleting a bundle's root deletes its variants and frees its reservations."""
    reg = _registry(ctx, name)
    try:
        _emit_names(ctx, "remove", name, reg.remove(name, registrant))
    except RegistryError as e:
        _refused(ctx, "remove", name, e)


@registry_group.command("transfer")
@_registry_options
@click.argument("name")
@_registrant
@click.option("--to", "new_registrant", required=True, metavar="ID", help="The new registrant.")
@click.pass_context
def registry_transfer(ctx: click.Context, name: str, registrant: str, new_registrant: str) -> None:
    """Move the bundle rooted at NAME to another registrant."""
    reg = _registry(ctx, name)
    try:
        _emit_names(ctx, "transfer", name, reg.transfer(name, registrant, new_registrant))
    except RegistryError as e:
        _refused(ctx, "transfer", name, e)


@registry_group.command("list")
@_registry_options
@click.argument("tld")
@click.pass_context
def registry_list(ctx: click.Context, tld: str) -> None:
    """List the names under TLD, marking those registered under an older policy version."""
    reg = _registry(ctx, f"x.{tld}")
    records = reg.names()
    if not records and not ctx.obj.get("json"):
        click.echo(f"no names registered under {_show(tld)} in {_show(display_url(ctx.obj['db']))}")
    for r in records:
        stale = r.policy_version != reg.policy.version
        if ctx.obj.get("json"):
            click.echo(_json({"schema": REGISTRY_SCHEMA, "action": "list", **r.to_dict(), "stale": stale}))
        else:
            mark = f"  (policy version {r.policy_version}: not re-judged)" if stale else ""
            bundle = "" if r.is_root else f"  variant of {_show(r.root)}"
            click.echo(f"{_show(r.name)}  {_show(r.registrant)}{bundle}{mark}")


@registry_group.command("show")
@_registry_options
@click.argument("name")
@click.pass_context
def registry_show(ctx: click.Context, name: str) -> None:
    """Show NAME's registration: registrant, bundle, reserved variants and policy version."""
    reg = _registry(ctx, name)
    record = reg.get(name)
    try:
        records, reservations = reg.bundle_of(name)
    except RegistryError as e:
        _refused(ctx, "show", name, e)
        return
    assert record is not None  # bundle_of found it
    if ctx.obj.get("json"):
        body = {"record": record.to_dict(), "bundle": [r.to_dict() for r in records]}
        body["reservations"] = [r.to_dict() for r in reservations]
        click.echo(_json({"schema": REGISTRY_SCHEMA, "action": "show", "name": name, "ok": True, **body}))
        return
    stale = "" if record.policy_version == reg.policy.version else "  (older policy version: not re-judged)"
    click.echo(f"{_show(record.name)} ({record.alabel}): registrant {_show(record.registrant)}, "
               f"registered {record.registered_at}, policy {record.policy_version}{stale}")  # fmt: skip
    for r in records:
        if r.name != record.name:
            role = "root" if r.is_root else "variant"
            click.echo(f"  {role:<8} {_show(r.name)}  ({r.alabel}), registrant {_show(r.registrant)}")
    active = {r.name for r in records}
    for v in reservations:
        if v.label not in active:
            click.echo(f"  reserved {_show(v.label)}  {v.disposition} → {v.action.value}")
