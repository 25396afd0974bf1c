"""What every ``idncheck`` command shares: reading names, the tally, output helpers, JSON lines.

Command modules import from here, never from the entry point (``idnkit.cli``), so imports flow one way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple, Protocol

import click

from ..findings import Finding
from ..idna import DomainResult
from ..namecheck import CHECK_SCHEMA, Verdict, check_record, profile_options, record_json
from ..uts46 import OPTION_NAMES, Uts46Options

if TYPE_CHECKING:
    from ..idna._explain import Explanation
    from ..profiles import ProfileResult

# The zone reader's line splitter (for -f) and the profiles (for --profile) are imported where
# used: ``idncheck NAME`` needs neither (issue 16, start-up).  The CLI's own records below are
# named tuples and a slotted class, not dataclasses: creating a dataclass costs about ten times
# as much at import, and these are never part of the library's API.

UNREADABLE_SCHEMA = "idnkit.unreadable/1"
SUMMARY_SCHEMA = "idnkit.summary/1"
EXPLAIN_SCHEMA = "idnkit.explain/1"

_ASCII_WHITESPACE = " \t\r\n\f\v"
_INDENT = " " * 11  # continuation lines line up under the rule id


# --- reading input -------------------------------------------------------------------------------


class Unreadable(NamedTuple):
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


class Located(NamedTuple):
    """Where an input came from: a file and its 1-based line, or (``file`` None) the n-th argument."""

    file: str | None
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line} if self.file is not None else {"argument": self.line}


def _lines(stream: IO[bytes]) -> Iterator[tuple[Located, str | Unreadable]]:
    """One name per line with its place, each line decoded on its own; blank lines and ``#`` comments skipped."""
    from ..zone._lines import MAX_LINE, iter_lines

    name = getattr(stream, "name", None)
    file = click.format_filename(name) if isinstance(name, str) and name not in ("-", "<stdin>") else "<stdin>"
    # LF, CR LF or a lone CR end a line; a line over 64 KB (no name is that long) is not held in memory.
    for number, raw in enumerate(iter_lines(stream), 1):
        if isinstance(raw, int):
            yield Located(file, number), Unreadable(file, number, f"line of {raw:,} bytes, over {MAX_LINE // 1024} KB")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield Located(file, number), Unreadable(file, number, _utf8_error(e))
            continue
        if number == 1:
            text = text.removeprefix("\ufeff")  # a byte order mark, as some editors write
        text = text.strip(_ASCII_WHITESPACE)
        if text and not text.startswith("#"):
            yield Located(file, number), text


def _from_file(stream: IO[bytes]) -> Iterator[str | Unreadable]:
    """The names of a file, one per line (see :func:`_lines`)."""
    return (item for _, item in _lines(stream))


def _inputs(names: Iterable[str], files: Iterable[IO[bytes]]) -> Iterator[tuple[Located, str | Unreadable]]:
    """Every name to check with where it came from: the arguments, then each file line by line."""
    for number, arg in enumerate(names, 1):
        yield Located(None, number), _from_argument(arg, number)
    for stream in files:
        yield from _lines(stream)


class Tally:
    """Names checked so far: valid, invalid and unreadable."""

    __slots__ = ("invalid", "unreadable", "valid")

    def __init__(self, valid: int = 0, invalid: int = 0, unreadable: int = 0) -> None:
        self.valid = valid
        self.invalid = invalid
        self.unreadable = unreadable

    def __repr__(self) -> str:
        return f"Tally(valid={self.valid}, invalid={self.invalid}, unreadable={self.unreadable})"

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
    """One JSON object on one line, non-ASCII kept as is; lone surrogates escaped so output never fails
    (:func:`idnkit.namecheck.record_json`, which the service writes its records with too)."""
    return record_json(obj)


def show(text: str) -> str:
    """``text`` safe for a terminal: controls, format characters, surrogates etc. become ``<U+XXXX>``."""
    return "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in text)


def _width(text: str) -> int:
    """Approximate terminal columns: wide East Asian characters take two, combining marks none."""
    return sum(_char_width(c) for c in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns (wide characters count two)."""
    return text + " " * max(0, columns - _width(text))


def _char_width(c: str) -> int:
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def pointer(label: str, position: int) -> tuple[str, str] | None:
    """The label as shown and a caret line under the code point at 1-based ``position``."""
    return pointers(label, [position])


def pointers(label: str, positions: Sequence[int]) -> tuple[str, str] | None:
    """The label as shown and a caret line under each of the 1-based ``positions`` in it."""
    shown = [show(c) for c in label]
    marks = sorted({p for p in positions if 1 <= p <= len(shown)})
    if not marks:
        return None
    carets = ""
    for position in marks:
        carets += " " * (_width("".join(shown[: position - 1])) - len(carets))
        carets += "^" * max(1, _width(shown[position - 1]))
    return "".join(shown), carets


def _group_key(finding: Finding) -> tuple[object, ...]:
    # One problem = one rule, at one severity, in one label, from one table (a ref "table:kind" names it).
    table = (finding.ref or "").partition(":")[0]
    return (finding.rule, finding.severity, finding.label_index, table, finding.source)


def grouped(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Findings of the same problem together, in the order each problem first appears."""
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for finding in findings:
        groups.setdefault(_group_key(finding), []).append(finding)
    return list(groups.values())


def finding_lines(
    findings: Sequence[Finding], label_of: Callable[[Finding], str | None], *, verbose: bool = False
) -> list[str]:
    """The text report of findings: one entry per problem (rule), its positions listed and marked.

    A rule broken at several code points is one entry, whose sentence is the first one's and names
    the others; ``verbose`` gives every finding its own entry.  ``label_of`` is the label a finding's
    position is in, for the caret line.
    """
    lines: list[str] = []
    for members in [[f] for f in findings] if verbose else grouped(findings):
        first = members[0]
        positions = [m.position for m in members if m.position is not None]
        where = [f"label {first.label_index}"] if first.label_index else []
        if len(positions) == 1:
            where.append(f"position {positions[0]}")
        elif positions:
            where.append(f"positions {', '.join(map(str, positions))}")
        if len(members) == 1 and first.codepoint:
            where.append(first.codepoint)
        if first.ref and all(m.ref == first.ref for m in members):
            where.append(first.ref)
        head = f"  {first.severity.value:<8} {first.rule}" + (f"  {', '.join(where)}" if where else "")
        message = show(first.message)
        others = [m.codepoint for m in members[1:] if m.codepoint]
        if others:
            more = ", ".join(f"{cp} {show(_char(cp))}" for cp in others)
            message += f"; the same for {len(others)} more: {more}"
        lines += [f"{head}  [{show(first.source)}]", _INDENT + message]
        label = label_of(first)
        marked = pointers(label, positions) if label is not None and positions else None
        if marked:
            lines += [_INDENT + marked[0], _INDENT + marked[1]]
    return lines


def _char(codepoint: str) -> str:
    return chr(int(codepoint[2:], 16))


def format_result(result: DomainResult, *, verbose: bool = False) -> list[str]:
    """The text report on one name: verdict, forms and every finding, grouped by problem, with carets."""
    verdict = "VALID" if result.ok else "INVALID"
    lines = [f"{show(result.input)}: {verdict}"]
    if result.mapped is not None:
        lines.append(f"  mapped   {show(result.mapped)}")
    lines.append(f"  unicode  {show(result.name) if result.name is not None else '-'}")
    lines.append(f"  ascii    {result.ascii if result.ascii is not None else '- (no ASCII form: the name is invalid)'}")

    def label_of(finding: Finding) -> str | None:
        index = finding.label_index
        if index is None or not 1 <= index <= len(result.labels):
            return None
        label = result.labels[index - 1]
        return label.ulabel or label.input

    return lines + finding_lines(result.findings, label_of, verbose=verbose)


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


class Addendum(NamedTuple):
    """What one optional check (``--lgr``, ``--confusables``, ``--policy``) adds to a name's report:
    the library's verdict (its fields go into the JSON record) and the lines of the text report."""

    verdict: Verdict
    lines: list[str]

    @property
    def source(self) -> str:
        return self.verdict.source

    @property
    def ok(self) -> bool:
        return self.verdict.ok


class CheckView(Protocol):
    """An optional check that ``check`` runs on every name after IDNA2008."""

    def judge(self, result: DomainResult) -> Addendum: ...


def _emit_result(
    result: DomainResult,
    as_json: bool,
    addenda: Sequence[Addendum] = (),
    *,
    verbose: bool = False,
    out: IO[str] | None = None,
    where: Located | None = None,
    map_option: bool | None = None,
    show_profile: bool = False,
) -> None:
    if as_json:
        where_fields = where.to_dict() if where is not None else None
        record = check_record(result, [a.verdict for a in addenda], where_fields, map=map_option)
        click.echo(json_line(record), file=out)
        return
    lines = format_result(result, verbose=verbose)
    if show_profile:
        lines[1:1] = profile_lines(result.profile.value, profile_options(result.profile.value, map_option))
    refusers = [a.source for a in addenda if not a.ok]
    if result.ok and refusers:
        lines[0] = lines[0].replace(": VALID", f": INVALID (refused by {', '.join(refusers)})", 1)
    for a in addenda:
        lines += a.lines
    click.echo("\n".join(lines), file=out)


def profile_lines(name: str, options: Mapping[str, Any]) -> list[str]:
    """The ``profile`` and ``options`` lines of a text report: the profile's standard, and the option
    values that differ from the UTS #46 defaults (IdnaTestV2's) or are the profile's own."""
    defaults = Uts46Options().to_dict()
    shown = []
    for key, value in options.items():
        if key in OPTION_NAMES and defaults[key] == value:
            continue
        label = OPTION_NAMES.get(key, key)
        text = ("on" if value else "off") if isinstance(value, bool) else str(value)
        shown.append(f"{label}={text}")
    from ..profiles import get

    lines = [f"  profile  {name} ({get(name).cite})"]
    if shown:
        lines.append(f"  options  {' '.join(shown)}")
    return lines


def format_profile_result(result: ProfileResult, *, verbose: bool = False) -> list[str]:
    """The text report of a profile verdict (idnkit.profiles): verdict, forms, display, findings."""
    lines = [f"{show(result.input)}: {'VALID' if result.ok else 'INVALID'}"]
    lines += profile_lines(result.profile, result.options_dict)
    if result.subject is not None:
        lines.append(f"  domain   {show(result.subject)}")
    if result.host_type == "ipv4":
        lines.append(f"  host     {result.ascii} (the URL parser reads it as an IPv4 address)")
    else:
        lines.append(f"  unicode  {show(result.unicode) if result.unicode is not None else '-'}")
        lines.append(
            f"  ascii    {result.ascii if result.ascii is not None else '- (no ASCII form: the name is invalid)'}"
        )
    if result.display is not None:
        kept = [str(i) for i, label in enumerate(result.display.labels, 1) if not label.as_unicode]
        how = "in Unicode" if not kept else f"label {', '.join(kept)} as A-label" + ("s" if len(kept) > 1 else "")
        lines.append(f"  display  {show(result.display.shown)} ({how})")
    labels = (result.unicode or result.input).split(".")

    def label_of(finding: Finding) -> str | None:
        index = finding.label_index
        return labels[index - 1] if index is not None and 1 <= index <= len(labels) else None

    return lines + finding_lines(result.findings, label_of, verbose=verbose)


def _emit_profile_result(
    result: ProfileResult,
    as_json: bool,
    *,
    verbose: bool = False,
    out: IO[str] | None = None,
    where: Located | None = None,
) -> None:
    if as_json:
        record: dict[str, Any] = {"schema": CHECK_SCHEMA, **result.to_dict()}
        if where is not None:
            record.update(where.to_dict())
        click.echo(json_line(record), file=out)
    else:
        click.echo("\n".join(format_profile_result(result, verbose=verbose)), file=out)


def _emit_unreadable(item: Unreadable, as_json: bool, out: IO[str] | None = None) -> None:
    if as_json:
        record = {"schema": UNREADABLE_SCHEMA, "file": item.file, "line": item.line, "error": item.error}
        click.echo(json_line(record), file=out)
    else:
        click.echo(format_unreadable(item), err=out is None, file=out)


def _emit_summary(tally: Tally, as_json: bool, out: IO[str] | None = None) -> None:
    if as_json:
        click.echo(json_line({"schema": SUMMARY_SCHEMA, **tally.to_dict()}), file=out)
    else:
        click.echo(format_summary(tally), file=out)


class NamesCommand(click.Command):
    """A command whose arguments are names: a name starting with ``-`` is read as an option, so say so."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # the parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as e:
            word = next((a for a in given if a.startswith(e.option_name)), e.option_name)
            if "." not in word and len(word) <= 3:  # a mistyped option, not a name
                raise
            hint = f"put it after --: idncheck {ctx.info_name} -- {word}"
            message = f"No such option: {e.option_name} (to check a name starting with '-', {hint})"
            raise click.NoSuchOption(e.option_name, message, ctx=ctx) from None


class InputFailure(click.ClickException):
    """Input that cannot be used (a bad code point for ``explain``): exit status 2."""

    exit_code = 2
