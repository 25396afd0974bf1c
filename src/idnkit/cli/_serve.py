"""``idncheck serve`` (the HTTP service, docs/service.md) and ``idncheck token new`` (a token for it)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import IdnkitError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8053, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--db", metavar="URL", help="Registry database: postgresql://…, sqlite:///FILE or FILE, memory:.")
@click.option("--policy", metavar="NAME_OR_FILE", help="The registry's policy (default: each name's TLD's).")
@click.option("--tokens", type=click.Path(dir_okay=False, exists=True), help="Tokens file (re-read on SIGHUP).")
@click.option("--anonymous-reads", is_flag=True, help="Allow read-only checks without a token.")
@click.option("--cors-origin", "cors", multiple=True, metavar="ORIGIN", help="Allow this browser origin (CORS).")
@click.option("--lgr", "preload", multiple=True, metavar="NAME", help="Compile this LGR table at start-up.")
@click.option(
    "--max-body",
    type=click.IntRange(1),
    default=2 * 1024 * 1024,
    show_default=True,
    help="Largest request body in bytes (413 beyond).",
)
@click.option(
    "--max-batch",
    type=click.IntRange(1),
    default=10_000,
    show_default=True,
    help="Most names per batch request (413 beyond).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.01),
    default=10.0,
    show_default=True,
    help="Seconds of work per request (504 beyond).",
)
@click.option("--console", is_flag=True, help="Also serve the web console at / (docs/console.md).")
@click.option("--users", type=click.Path(dir_okay=False, exists=True), help="The console's users file.")
@click.option(
    "--console-secret",
    envvar="IDNKIT_CONSOLE_SECRET",
    metavar="KEY",
    help="Key signing console sessions (env IDNKIT_CONSOLE_SECRET; needed with several workers).",
)
@click.option("--https-cookies", is_flag=True, help="Mark console cookies Secure (behind a TLS proxy).")
@click.option("--audit-dir", type=click.Path(file_okay=False, exists=True), help="Folder the Audits page may audit.")
@click.option(
    "--audit-state",
    type=click.Path(file_okay=False),
    help="Folder keeping the console's past audits (default: .idnkit-audits in --audit-dir).",
)
@click.option("--protected", type=click.Path(dir_okay=False, exists=True), help="Protected names, one per line.")
@click.option("--console-tld", default="中国", show_default=True, help="The console's default TLD.")
def serve_command(
    host: str,
    port: int,
    workers: int,
    db: str | None,
    policy: str | None,
    tokens: str | None,
    anonymous_reads: bool,
    cors: tuple[str, ...],
    preload: tuple[str, ...],
    max_body: int,
    max_batch: int,
    timeout: float,
    console: bool,
    users: str | None,
    console_secret: str | None,
    https_cookies: bool,
    audit_dir: str | None,
    audit_state: str | None,
    protected: str | None,
    console_tld: str,
) -> None:
    """Serve the HTTP API (/v1, OpenAPI at /v1/openapi.json), and with --console the web console, until interrupted."""
    try:
        from ..service import Limits, Resources, ServiceConfig
        from ..service._serve import serve
    except ImportError as e:
        raise click.ClickException(
            f"the service needs its extra: pip install 'idnkit[service]' ({e.name} missing)"
        ) from None
    if tokens is None and not anonymous_reads and not console:
        raise click.UsageError("give --tokens FILE, or --anonymous-reads for a read-only service without tokens")
    if console and users is None:
        raise click.UsageError("--console needs --users FILE (idncheck console user add NAME --role ROLE --users FILE)")
    if console and workers > 1 and not console_secret:
        raise click.UsageError(
            "several workers must sign sessions alike: give --console-secret or IDNKIT_CONSOLE_SECRET"
        )
    limits = Limits(max_body_bytes=max_body, max_batch_names=max_batch, request_seconds=timeout)
    config = ServiceConfig(
        db=db,
        policy=policy,
        tokens=tokens,
        anonymous_reads=anonymous_reads,
        cors_origins=cors,
        limits=limits,
        preload_lgr=preload,
    )
    try:  # load once here, so a bad policy, table, tokens file or database fails before the port opens
        Resources.load(config).close()
        from ..service import TokenStore

        TokenStore(tokens)
    except IdnkitError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"idnkit service on http://{host}:{port}/v1 ({workers} worker{'s' if workers > 1 else ''})", err=True)
    if not console:
        serve(config, host=host, port=port, workers=workers)
        return
    try:
        from ..web import ConsoleConfig, UserStore
        from ..web._serve import serve_console
    except ImportError as e:
        raise click.ClickException(
            f"the console needs its extra: pip install 'idnkit[console]' ({e.name} missing)"
        ) from None
    import secrets

    console_config = ConsoleConfig(
        users=users,
        secret=console_secret or secrets.token_hex(32),
        https=https_cookies,
        audit_dir=audit_dir,
        audit_state=audit_state,
        protected=protected,
        tld=console_tld,
    )
    try:
        UserStore(users)
    except IdnkitError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"idnkit console on http://{host}:{port}/", err=True)
    serve_console(config, console_config, host=host, port=port, workers=workers)


@click.group("token")
def token_group() -> None:
    """Tokens for idncheck serve: each has an id, a role and (for registrars) the registrar it acts for."""


@token_group.command("new")
@click.argument("token_id", metavar="ID")
@click.option("--role", type=click.Choice(["read", "registrar", "admin"]), required=True)
@click.option("--registrar", metavar="ID", help="The registrar a registrar token acts for.")
@click.option("--tokens", type=click.Path(dir_okay=False, path_type=Path), help="Append the entry to this file.")
@click.option("--fast-hash", is_flag=True, help="SHA-256 instead of Argon2id (the secret is random: 256 bits).")
def token_new(token_id: str, role: str, registrar: str | None, tokens: Path | None, fast_hash: bool) -> None:
    """Make a token: print it once (give it to the client) and append its hash to --tokens FILE."""
    from ..service import Role, new_token

    try:
        token, entry = new_token(token_id, Role(role), registrar, scheme="sha256" if fast_hash else "argon2")
    except IdnkitError as e:
        raise click.UsageError(str(e)) from None
    if tokens is None:
        click.echo(entry, nl=False, err=True)
    else:
        with tokens.open("a", encoding="utf-8") as f:
            f.write(("\n" if tokens.exists() and tokens.stat().st_size else "") + entry)
        if hasattr(tokens, "chmod"):
            tokens.chmod(0o600)
    click.echo(token)


@click.group("console")
def console_group() -> None:
    """The web console's users (idncheck serve --console, docs/console.md)."""


@console_group.group("user")
def console_user() -> None:
    """Manage the console's users file."""


@console_user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "clerk", "admin"]), required=True)
@click.option("--users", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The users file.")
@click.password_option(help="The password (asked twice when not given; at least 8 characters).")
def console_user_add(name: str, role: str, users: Path, password: str) -> None:
    """Add NAME (or set its role and password) in the users file, hashed with Argon2id."""
    try:
        from ..web import ConsoleRole, add_user
    except ImportError as e:
        raise click.ClickException(
            f"the console needs its extra: pip install 'idnkit[console]' ({e.name} missing)"
        ) from None
    try:
        user = add_user(users, name, ConsoleRole(role), password)
    except IdnkitError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"{user.name} ({user.role.value}) written to {users}", err=True)


@console_user.command("list")
@click.option("--users", type=click.Path(dir_okay=False, exists=True), required=True, help="The users file.")
def console_user_list(users: str) -> None:
    """List the users and their roles."""
    from ..web import UserStore

    try:
        for user in UserStore(users).users():
            click.echo(f"{user.name}\t{user.role.value}")
    except IdnkitError as e:
        raise click.ClickException(str(e)) from None
