"""``idncheck audit``: the command-line face of :func:`idnkit.audit.audit_zone`."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO

import click

from ..audit import AuditResult, Check, ProgressCallback, audit_zone, report
from ..audit._keys import default_key_sources
from ..audit._partition import MAX_RATIO, MAX_SPOOL_BYTES
from ..audit.checks import LgrCheck, LgrIndexKeys, PolicyCheck
from ..errors import IdnkitError

INTERRUPTED = 2  # as idnkit.cli.INTERRUPTED: what was done is not an answer


class _UsageFailure(click.ClickException):
    exit_code = 2


_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


class ByteSize(click.ParamType):  # type: ignore[type-arg]
    """A byte count: digits with an optional K, M, G or T (powers of 1,024)."""

    name = "bytes"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B").removesuffix("I")
        unit = text[-1:] if text[-1:] in _UNITS else ""
        digits = text[: len(text) - len(unit)]
        if not digits.isdigit() or int(digits) <= 0:
            self.fail(f"{value!r} is not a byte count (e.g. 500M, 64G)", param, ctx)
        return int(digits) * _UNITS[unit]


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on stderr (names/s, % of bytes, ETA) when stderr is a terminal."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    start = time.monotonic()
    with Progress(
        TextColumn("auditing"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("audit", total=None, rate="")

        def update(done: int, total: int, names: int) -> None:
            rate = names / max(time.monotonic() - start, 1e-6)
            bar.update(task, completed=done, total=total, rate=f"{rate:,.0f} names/s")

        yield update


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP (``timeout``, cron, systemd, a closed terminal), raised where the audit stands so
    that its ``finally`` blocks run: workers stopped, spools and temporary folders removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Interrupted`, SIGINT its usual KeyboardInterrupt; once one came,
    further ones are ignored, so that the clean-up they started is not itself cut short."""
    caught = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)

    def stop(signum: int, frame: object) -> None:
        for other in caught:
            signal.signal(other, signal.SIG_IGN)
        raise Interrupted(signum)

    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread: an embedding caller handles them
        return
    previous = {signum: signal.signal(signum, stop) for signum in caught}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _write_atomically(path: str, text: Iterable[str]) -> None:
    """Write the report under a temporary name beside ``path`` and rename it at the end: an audit cut
    short never leaves a file that looks like a complete report (an older report stays as it was)."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.writelines(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _render(result: AuditResult, fmt: str) -> Iterator[str]:
    """The report in pieces (JSON lines one at a time, CSV in pieces of 64 KB, HTML line by line), so
    that a report of many findings is never held whole: its findings are read from disk as written."""
    if fmt == "jsonl":
        for line in report.jsonl(result):
            yield line + "\n"
    elif fmt == "csv":
        yield from report.csv_rows(result)
    elif fmt == "html":
        pieces = report.html_pieces(result)
        yield next(pieces)
        for piece in pieces:
            yield "\n" + piece
    else:
        yield report.summary(result) + "\n"


@click.command("audit")
@click.argument("zonefile", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--origin", default=".", show_default=True, help="The zone's origin ($ORIGIN at the top of the file).")
@click.option("--names", "names_list", is_flag=True, help="ZONEFILE is a plain list, one absolute name per line.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one for input under 16 MB, stdin and gzip as decompressed, else all cores); "
    "the same output for any value.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["summary", "jsonl", "csv", "html"]),
    default="summary",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format jsonl.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
@click.option("--against", type=click.Path(exists=True, dir_okay=False), help="Protected names to find look-alikes of.")
@click.option("--lgr", "lgr_name", help="Also check IDN labels against this LGR (e.g. rz5/latin, ref/de).")
@click.option(
    "--policy",
    "policy_spec",
    metavar="NAME_OR_FILE",
    help="Registry policy for the IDN labels right below the origin (a TLD or a .toml file; 'none' for none). "
    "Default: the official policy shipped for the origin's TLD, if any.",
)
@click.option(
    "--allow-include", is_flag=True, help="Follow $INCLUDE (confined to the zone file's folder; refused on stdin)."
)
@click.option(
    "--max-bytes",
    type=ByteSize(),
    default=str(MAX_SPOOL_BYTES >> 30) + "G",
    show_default=True,
    help="Refuse a gzip file or stream that decompresses to more than this (K, M, G, T suffixes).",
)
@click.option(
    "--max-ratio",
    type=click.FloatRange(min=1),
    default=MAX_RATIO,
    show_default=True,
    help="Refuse a gzip file that decompresses to more than this many bytes per compressed byte.",
)
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (with --engine dask); default: a local cluster.")
@click.pass_context
def audit_command(
    ctx: click.Context,
    zonefile: str,
    origin: str,
    names_list: bool,
    jobs: int | None,
    fmt: str,
    as_json: bool,
    output: str | None,
    against: str | None,
    lgr_name: str | None,
    policy_spec: str | None,
    allow_include: bool,
    max_bytes: int,
    max_ratio: float,
    engine: str,
    scheduler: str | None,
) -> None:
    """Audit every owner name of ZONEFILE (- for stdin; gzip is detected): IDNA2008, classes, collisions.

    Exit status 0 when every name is valid, 1 when some are invalid, 2 when some could not be read.
    """
    if as_json:
        fmt = "jsonl"
    if scheduler and engine != "dask":
        raise _UsageFailure("--scheduler needs --engine dask")
    checks: list[Check] = []
    key_sources = None
    if lgr_name:
        try:
            checks.append(LgrCheck(lgr_name))
            key_sources = [*default_key_sources(), LgrIndexKeys(lgr_name)]
        except (ImportError, IdnkitError, OSError, KeyError) as e:
            raise _UsageFailure(f"--lgr {lgr_name}: {e}") from None
    if policy_spec != "none" and (policy_spec or origin.strip(".")):
        try:
            checks.append(PolicyCheck(policy_spec, origin))
        except LookupError:
            pass  # no policy named and none official for the origin's TLD: IDNA2008 (and --lgr) only
        except (IdnkitError, OSError) as e:
            raise _UsageFailure(f"--policy {policy_spec}: {e}") from None
    source: str | IO[bytes] = sys.stdin.buffer if zonefile == "-" else zonefile
    try:
        with _stop_on_signals(), _progress(sys.stderr.isatty()) as progress:
            result = audit_zone(
                source,
                origin,
                jobs=jobs,
                checks=checks,
                key_sources=key_sources,
                against=against,
                allow_include=allow_include,
                names_list=names_list,
                progress=progress,
                engine=engine,
                scheduler=scheduler,
                max_bytes=max_bytes,
                max_ratio=max_ratio,
            )
            pieces = _render(result, fmt)
            if output:
                try:
                    _write_atomically(output, pieces)
                except OSError as e:
                    raise _UsageFailure(f"cannot write the report to {output}: {e.strerror or e}") from None
            else:
                sys.stdout.writelines(pieces)  # not click.echo per line: it flushes every call
                sys.stdout.flush()
    except KeyboardInterrupt as e:
        why = f" by {signal.Signals(e.signum).name}" if isinstance(e, Interrupted) else ""
        click.echo(
            f"idncheck: audit interrupted{why}; workers stopped, temporary files removed, no report written",
            err=True,
        )
        ctx.exit(INTERRUPTED)
    except ImportError as e:
        raise _UsageFailure(str(e)) from None
    except IdnkitError as e:
        raise _UsageFailure(str(e)) from None
    if output:
        click.echo(report.accounting_line(result), err=True)
    ctx.exit(result.exit_code)
