"""``idncheck check`` and ``idncheck explain``: a thin layer over :func:`check_domain` and :func:`explain`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO

import click

from ..errors import IdnkitError
from ..idna import Profile, check_domain, explain
from ..lgr import IndexLabelKeys
from ._common import (
    EXPLAIN_SCHEMA,
    CheckView,
    InputFailure,
    NamesCommand,
    Tally,
    Unreadable,
    _emit_result,
    _emit_summary,
    _emit_unreadable,
    _from_argument,
    _inputs,
    format_explanation,
    format_unreadable,
    json_line,
    show,
)
from ._confusables import ConfusablesView
from ._lgr import LgrView, load_table
from ._policy import PolicyView, policy_selector


@click.command("check", cls=NamesCommand)
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option(
    "-f",
    "--file",
    "files",
    type=click.File("rb"),
    multiple=True,
    metavar="FILE",
    help="Check one name per line of FILE (- for stdin); blank lines and # comments are skipped.",
)
@click.option(
    "--profile",
    type=click.Choice([p.value for p in Profile]),
    default=Profile.REGISTRATION.value,
    show_default=True,
    help="RFC 5891 §4 registration or §5 lookup.",
)
@click.option(
    "--map/--no-map",
    "map_",
    default=None,
    help="Apply UTS #46 mapping (case, width, ...) first.  Default: on for lookup, off for registration.",
)
@click.option(
    "--confusables", is_flag=True, help="Add UTS #39 skeleton, scripts, restriction level and findings per label."
)
@click.option(
    "--against",
    type=click.File("rb"),
    metavar="FILE",
    help="Report collisions (confusables) with the names listed in FILE; a colliding name counts as invalid.",
)
@click.option("--mark-folded", is_flag=True, help="With --against: also mark-folded look-alikes (köhls ~ kohls).")
@click.option(
    "--policy",
    "policy",
    metavar="NAME_OR_FILE",
    help="Also apply a registry policy (a TLD such as se, рф, cn, or a .toml file; 'none' for no policy).  "
    "Default: the official policy of the name's TLD, if idnkit ships one.",
)
@click.option("--language", metavar="TAG", help="The registrant's language tag, for policies that select tables by it.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line (schema idnkit.check/1).")
@click.option(
    "--lgr",
    "lgr_name",
    metavar="NAME",
    help="Also judge the leftmost label by this LGR (see idncheck lgr list).",
)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), help="Write the report to FILE.")
@click.option("-q", "--quiet", is_flag=True, help="Report only names that are not accepted (and the -f summary).")
@click.option("-v", "--verbose", is_flag=True, help="One entry per finding instead of one per problem.")
@click.pass_context
def check(
    ctx: click.Context,
    names: tuple[str, ...],
    files: tuple[IO[bytes], ...],
    profile: str,
    map_: bool | None,
    confusables: bool,
    against: IO[bytes] | None,
    mark_folded: bool,
    policy: str | None,
    language: str | None,
    as_json: bool,
    lgr_name: str | None,
    output: IO[str] | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check each NAME (U-labels or A-labels, whole names or single labels).

    `check` is the default command: `idncheck NAME...` is `idncheck check NAME...`.  To check a name
    spelled like a command, e.g. "explain", write `idncheck check explain`.

    Exit status: 0 all valid, 1 some name invalid (or colliding with a name of --against FILE),
    2 usage error or unreadable input.  --confusables findings are warnings: they do not change it.
    """
    if not names and not files:
        raise click.UsageError("give at least one NAME or -f FILE", ctx)
    views: list[CheckView] = []
    table = load_table(lgr_name) if lgr_name else None
    if table is not None:
        views.append(LgrView(table))
    # With --lgr, --against also finds the listed names that are variants (same index label).
    lgr_keys = [IndexLabelKeys(table)] if table is not None else []
    confusables_view = ConfusablesView.from_options(confusables, against, mark_folded, lgr_keys)
    if confusables_view is not None:
        views.append(confusables_view)
    views.append(PolicyView(policy_selector(policy, language)))
    tally = Tally()
    with _progress(files) as tick:
        for where, item in _inputs(names, files):
            tick()
            if isinstance(item, Unreadable):
                tally.unreadable += 1
                _emit_unreadable(item, as_json, output)
                continue
            result = check_domain(item, profile=Profile(profile), map=map_)
            addenda = [view.judge(result) for view in views]
            accepted = result.ok and all(a.ok for a in addenda)
            if accepted:
                tally.valid += 1
            else:
                tally.invalid += 1
            if not (quiet and accepted):
                _emit_result(result, as_json, addenda, verbose=verbose, out=output, where=where)
    if files:
        _emit_summary(tally, as_json, output)
    ctx.exit(tally.exit_code)


@contextmanager
def _progress(files: Sequence[IO[bytes]]) -> Iterator[Callable[[], None]]:
    """A count of names checked and their rate on stderr, while a -f file is read, when stderr is a terminal."""
    if not files or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress, TextColumn

    start = time.monotonic()
    with Progress(TextColumn("checked {task.completed:,} names, {task.fields[rate]}"), transient=True) as bar:
        task = bar.add_task("check", total=None, rate="")
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if done % 1000 == 0:
                rate = done / max(time.monotonic() - start, 1e-6)
                bar.update(task, completed=done, rate=f"{rate:,.0f}/s")

        yield tick


@click.command("explain")
@click.argument("codepoints", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line (schema idnkit.explain/1).")
def explain_command(codepoints: tuple[str, ...], as_json: bool) -> None:
    """Explain each CODEPOINT: U+00DF, 0xDF, 00DF or the character itself (ß)."""
    explanations = []
    for number, arg in enumerate(codepoints, 1):
        spec = _from_argument(arg, number)
        if isinstance(spec, Unreadable):
            raise InputFailure(format_unreadable(spec))
        try:
            explanations.append(explain(spec))
        except IdnkitError as error:
            raise InputFailure(show(str(error))) from None
    for explanation in explanations:
        if as_json:
            click.echo(json_line({"schema": EXPLAIN_SCHEMA, **explanation.to_dict()}))
        else:
            click.echo("\n".join(format_explanation(explanation)))


