"""``idncheck``: the command-line face of idnkit.

A thin layer: read names (arguments, files, stdin), call :func:`check_domain` or :func:`explain`,
and print the results as text or as JSON lines (schemas in ``docs/json-schema.md``).
"""

from __future__ import annotations

import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, Protocol

import click

from ._errors import IdnkitError
from ._explain import Explanation, explain
from ._idna2008 import check_domain
from ._results import DomainResult, Finding, Profile
from ._ucd import UNICODE_VERSION
from ._version import __version__

CHECK_SCHEMA = "idnkit.check/1"
UNREADABLE_SCHEMA = "idnkit.unreadable/1"
SUMMARY_SCHEMA = "idnkit.summary/1"
EXPLAIN_SCHEMA = "idnkit.explain/1"

_ASCII_WHITESPACE = " \t\r\n\f\v"
_SURROGATE = re.compile("[\ud800-\udfff]")
_INDENT = " " * 11  # continuation lines line up under the rule id


# --- reading input -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An input that is not text: a file line (``file``, ``line``) or an argument (``file`` None)."""

    file: str | None
    line: int
    error: str


def _utf8_error(e: UnicodeDecodeError) -> str:
    return f"invalid UTF-8 at byte {e.start + 1} ({e.reason})"


def _from_argument(arg: str, number: int) -> str | Unreadable:
    """Arguments arrive with undecodable bytes as lone surrogates (PEP 383): recover the text or refuse."""
    try:
        return arg.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeEncodeError as e:
        return Unreadable(None, number, f"lone surrogate U+{ord(arg[e.start]):04X} at position {e.start + 1}")
    except UnicodeDecodeError as e:
        return Unreadable(None, number, _utf8_error(e))


def _from_file(stream: IO[bytes]) -> Iterator[str | Unreadable]:
    """One name per line, each line decoded on its own; blank lines and ``#`` comments are skipped."""
    name = getattr(stream, "name", None)
    file = click.format_filename(name) if isinstance(name, str) and name not in ("-", "<stdin>") else "<stdin>"
    for number, raw in enumerate(stream, 1):
        try:
            text = raw.rstrip(b"\n").rstrip(b"\r").decode("utf-8")
        except UnicodeDecodeError as e:
            yield Unreadable(file, number, _utf8_error(e))
            continue
        if number == 1:
            text = text.removeprefix("\ufeff")  # a byte order mark, as some editors write
        text = text.strip(_ASCII_WHITESPACE)
        if text and not text.startswith("#"):
            yield text


def _inputs(names: Iterable[str], files: Iterable[IO[bytes]]) -> Iterator[str | Unreadable]:
    for number, arg in enumerate(names, 1):
        yield _from_argument(arg, number)
    for stream in files:
        yield from _from_file(stream)


@dataclass(slots=True)
class Tally:
    valid: int = 0
    invalid: int = 0
    unreadable: int = 0

    @property
    def checked(self) -> int:
        return self.valid + self.invalid + self.unreadable

    def to_dict(self) -> dict[str, int]:
        return {"checked": self.checked, "valid": self.valid, "invalid": self.invalid, "unreadable": self.unreadable}

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else 1 if self.invalid else 0


# --- output helpers ------------------------------------------------------------------------------


def json_line(obj: dict[str, Any]) -> str:
    """One JSON object on one line, non-ASCII kept as is; lone surrogates escaped so output never fails."""
    text = json.dumps(obj, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def show(text: str) -> str:
    """``text`` safe for a terminal: controls, format characters, surrogates etc. become ``<U+XXXX>``."""
    return "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in text)


def _width(text: str) -> int:
    """Approximate terminal columns: wide East Asian characters take two, combining marks none."""
    return sum(_char_width(c) for c in text)


def _char_width(c: str) -> int:
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def pointer(label: str, position: int) -> tuple[str, str] | None:
    """The label as shown and a caret line under the code point at 1-based ``position``."""
    shown = [show(c) for c in label]
    if not 1 <= position <= len(shown):
        return None
    before = _width("".join(shown[: position - 1]))
    return "".join(shown), " " * before + "^" * max(1, _width(shown[position - 1]))


def _finding_lines(finding: Finding, result: DomainResult) -> list[str]:
    where = [f"label {finding.label_index}"] if finding.label_index else []
    if finding.position is not None:
        where.append(f"position {finding.position}")
    if finding.codepoint:
        where.append(finding.codepoint)
    head = f"  {finding.severity.value:<8} {finding.rule}"
    head += f"  {', '.join(where)}" if where else ""
    lines = [f"{head}  [{finding.source}]", _INDENT + show(finding.message)]
    index = finding.label_index
    if finding.position is not None and index is not None and 1 <= index <= len(result.labels):
        label = result.labels[index - 1]
        marked = pointer(label.ulabel or label.input, finding.position)
        if marked:
            lines += [_INDENT + marked[0], _INDENT + marked[1]]
    return lines


def format_result(result: DomainResult) -> list[str]:
    """The text report on one name: verdict, forms and every finding with a caret under its position."""
    verdict = "VALID" if result.ok else "INVALID"
    lines = [f"{show(result.input)}: {verdict}"]
    if result.mapped is not None:
        lines.append(f"  mapped   {show(result.mapped)}")
    lines.append(f"  unicode  {show(result.name) if result.name is not None else '-'}")
    lines.append(f"  ascii    {result.ascii if result.ascii is not None else '- (no ASCII form: the name is invalid)'}")
    for finding in result.findings:
        lines += _finding_lines(finding, result)
    return lines


def format_unreadable(item: Unreadable) -> str:
    where = f"{item.file}:{item.line}" if item.file is not None else f"argument {item.line}"
    return f"{show(where)}: unreadable: {item.error}"


def format_summary(tally: Tally) -> str:
    return (
        f"summary: {tally.checked} checked, {tally.valid} valid, {tally.invalid} invalid, {tally.unreadable} unreadable"
    )


def _uts46_text(e: Explanation) -> str:
    if e.uts46_mapping is None:
        return e.uts46_status
    how = "transitional processing maps it to" if e.uts46_status == "deviation" else "maps to"
    return f"{e.uts46_status} ({how} {show(repr(e.uts46_mapping))})"


def format_explanation(e: Explanation) -> list[str]:
    char = chr(int(e.codepoint[2:], 16))
    rows = [
        ("IDNA2008", e.derived_property),
        ("context rule", e.context_rule or "-"),
        ("category", e.general_category),
        ("script", f"{e.script} (extensions: {' '.join(e.script_extensions)})"),
        ("bidi class", e.bidi_class),
        ("joining type", e.joining_type),
        ("combining", str(e.combining_class)),
        ("UTS #46", _uts46_text(e)),
        ("UTS #46 IDNA2008", e.uts46_idna2008 or "-"),
        ("Unicode", e.unicode_version),
    ]
    lines = [f"{e.codepoint} {show(char)} {e.name}"]
    lines += [f"  {key:<17} {value}" for key, value in rows]
    lines.append("  derivation (RFC 5892 §3, first test that holds decides):")
    lines += [f"    {n}. {step}" for n, step in enumerate(e.derivation, 1)]
    return lines


@dataclass(frozen=True, slots=True)
class Addendum:
    """What one optional check (``--lgr``, ``--confusables``, ``--policy``) adds to a name's verdict."""

    source: str  # names the check in the headline when it refuses a name IDNA2008 accepts
    ok: bool
    fields: dict[str, Any]  # merged into the JSON record
    lines: list[str]  # appended to the text report


class CheckView(Protocol):
    """An optional check that ``check`` runs on every name after IDNA2008."""

    def judge(self, result: DomainResult) -> Addendum: ...


def _emit_result(result: DomainResult, as_json: bool, addenda: Sequence[Addendum] = ()) -> None:
    if as_json:
        extra: dict[str, Any] = {}
        for a in addenda:
            extra.update(a.fields)
        click.echo(json_line({"schema": CHECK_SCHEMA, **result.to_dict(), **extra}))
        return
    lines = format_result(result)
    refusers = [a.source for a in addenda if not a.ok]
    if result.ok and refusers:
        lines[0] = lines[0].replace(": VALID", f": INVALID (refused by {', '.join(refusers)})", 1)
    for a in addenda:
        lines += a.lines
    click.echo("\n".join(lines))


def _emit_unreadable(item: Unreadable, as_json: bool) -> None:
    if as_json:
        click.echo(json_line({"schema": UNREADABLE_SCHEMA, "file": item.file, "line": item.line, "error": item.error}))
    else:
        click.echo(format_unreadable(item), err=True)


def _emit_summary(tally: Tally, as_json: bool) -> None:
    if as_json:
        click.echo(json_line({"schema": SUMMARY_SCHEMA, **tally.to_dict()}))
    else:
        click.echo(format_summary(tally))


# --- commands ------------------------------------------------------------------------------------


class DefaultGroup(click.Group):
    """A group that runs ``check`` when the first argument is not a subcommand or a group option."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        own = {opt for param in self.get_params(ctx) for opt in (*param.opts, *param.secondary_opts)}
        if args and args[0] not in self.commands and args[0] not in own:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


class InputFailure(click.ClickException):
    """Input that cannot be used (a bad code point for ``explain``): exit status 2."""

    exit_code = 2


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
    """


@cli.command("check")
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
    table = _cli_lgr.load_table(lgr_name) if lgr_name else None
    if table is not None:
        views.append(_cli_lgr.LgrView(table))
    # With --lgr, --against also finds the listed names that are variants (same index label).
    lgr_keys = [IndexLabelKeys(table)] if table is not None else []
    confusables_view = ConfusablesView.from_options(confusables, against, mark_folded, lgr_keys)
    if confusables_view is not None:
        views.append(confusables_view)
    views.append(PolicyView(PolicySelector(policy, language)))
    tally = Tally()
    for item in _inputs(names, files):
        if isinstance(item, Unreadable):
            tally.unreadable += 1
            _emit_unreadable(item, as_json)
            continue
        result = check_domain(item, profile=Profile(profile), map=map_)
        addenda = [view.judge(result) for view in views]
        if result.ok and all(a.ok for a in addenda):
            tally.valid += 1
        else:
            tally.invalid += 1
        _emit_result(result, as_json, addenda)
    if files:
        _emit_summary(tally, as_json)
    ctx.exit(tally.exit_code)


@cli.command("explain")
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


from . import _cli_lgr  # noqa: E402  (the LGR commands import helpers from this module)
from ._cli_conf import ConfusablesView, confusable_command  # noqa: E402  (it uses the helpers above)
from .lgr import IndexLabelKeys  # noqa: E402

cli.add_command(_cli_lgr.lgr_group)
cli.add_command(confusable_command)
from ._cli_audit import audit_command  # noqa: E402 - the zone audit command lives in its own module

cli.add_command(audit_command)
from ._cli_policy import PolicySelector, PolicyView, policy_group, registry_group  # noqa: E402

cli.add_command(policy_group)
cli.add_command(registry_group)


def main() -> None:
    """Entry point of the ``idncheck`` console script."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # a terminal that cannot show a character gets an escape
            stream.reconfigure(errors="backslashreplace")
    cli()
