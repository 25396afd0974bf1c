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
) -> None:
    """Serve the HTTP API (/v1, OpenAPI at /v1/openapi.json) until interrupted."""
    try:
        from ..service import Limits, Resources, ServiceConfig
        from ..service._serve import serve
    except ImportError as e:
        raise click.ClickException(
            f"the service needs its extra: pip install 'idnkit[service]' ({e.name} missing)"
        ) from None
    if tokens is None and not anonymous_reads:
        raise click.UsageError("give --tokens FILE, or --anonymous-reads for a read-only service without tokens")
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
    serve(config, host=host, port=port, workers=workers)


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
