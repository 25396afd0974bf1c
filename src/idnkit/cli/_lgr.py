"""``idncheck lgr ...`` commands and the ``--lgr`` option of ``check``: a thin shell over idnkit.lgr."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import IO

import click

from .. import lgr as lgrmod
from ..idna import DomainResult
from ..lgr._permute import MAX_VISITED
from ..lgr._validate import check_document
from ..namecheck import LgrJudge
from ._common import Addendum, InputFailure, Unreadable, _from_file, json_line, show
from ._lgr_io import convert_command, merge_command

LGR_SCHEMA = "idnkit.lgr/1"
LGR_PROBLEM_SCHEMA = "idnkit.lgr-problem/1"
LGR_VARIANT_SCHEMA = "idnkit.lgr-variant/1"
LGR_COLLISION_SCHEMA = "idnkit.lgr-collision/1"
LGR_TABLE_SCHEMA = "idnkit.lgr-table/1"
LGR_VALIDATE_SUMMARY_SCHEMA = "idnkit.lgr-validate-summary/1"
LGR_COLLISIONS_SUMMARY_SCHEMA = "idnkit.lgr-collisions-summary/1"


def load_table(name: str) -> lgrmod.Lgr:
    """Load a shipped table or XML file for the CLI; unknown names and broken files exit 2."""
    try:
        return lgrmod.load(name)
    except lgrmod.LgrError as e:
        raise InputFailure(show(str(e))) from None


class LgrView:
    """``idncheck NAME --lgr TABLE``: the LGR verdict on the leftmost label, added to the IDNA2008 one."""

    def __init__(self, table: lgrmod.Lgr) -> None:
        self.judge_ = LgrJudge(table)

    def judge(self, result: DomainResult) -> Addendum:
        table = self.judge_.table
        found = self.judge_.judge(result)
        verdict = found.detail
        lines: list[str] = []
        if not isinstance(verdict, lgrmod.LgrResult):
            lines.append(f"  lgr      {table.name}: no label to judge")
        else:
            lines.append(f"  lgr      {table.name}: {verdict.disposition.upper()}")
            for f in verdict.findings:
                where = f"position {f.position} {f.codepoint}: " if f.position else ""
                lines.append(f"           {where}{show(f.message)}")
            if verdict.action is not None and verdict.findings == ():
                a = verdict.action
                how = f"match={a.match}" if a.match else f"not-match={a.not_match}" if a.not_match else ""
                src = "default action" if verdict.default_action else f"action line {a.line}"
                lines.append(f"           decided by {src} {how}".rstrip())
        return Addendum(found, lines)


lgr_group: click.Group = click.Group(
    "lgr", help="Label Generation Rules (RFC 7940): shipped tables, document validation, variants, collisions."
)


@lgr_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per table (schema idnkit.lgr-table/1).")
def list_command(as_json: bool) -> None:
    """List the shipped LGRs by short name (use them with --lgr NAME)."""
    for e in lgrmod.catalogue():
        if as_json:
            click.echo(json_line({"schema": LGR_TABLE_SCHEMA, **e.to_dict()}))
        else:
            defects = "" if e.known_defects == "-" else f"  known defects: {e.known_defects}"
            click.echo(f"{e.name:<16} {e.tag:<10} {e.date:<11} Unicode {e.unicode_version:<7} {e.source}{defects}")


@lgr_group.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per problem (schema idnkit.lgr-problem/1).")
@click.option("--errors-only", is_flag=True, help="Do not report warnings.")
@click.pass_context
def validate_command(ctx: click.Context, file: Path, as_json: bool, errors_only: bool) -> None:
    """Validate an LGR document: exit 0 clean (warnings allowed), 1 with errors, 2 unreadable."""
    try:
        doc = lgrmod.parse_file(file)
    except lgrmod.LgrParseError as e:
        raise InputFailure(show(str(e))) from None
    problems = check_document(doc, include_warnings=not errors_only)
    errors = sum(1 for p in problems if p.severity == "error")
    for p in problems:
        click.echo(json_line({"schema": LGR_PROBLEM_SCHEMA, **p.to_dict()}) if as_json else show(str(p)))
    summary = {"file": str(file), "errors": errors, "warnings": len(problems) - errors}
    if as_json:
        click.echo(json_line({"schema": LGR_VALIDATE_SUMMARY_SCHEMA, **summary}))
    else:
        click.echo(f"summary: {file}: {errors} errors, {len(problems) - errors} warnings")
    ctx.exit(1 if errors else 0)


@lgr_group.command("variants")
@click.argument("label")
@click.option("--lgr", "lgr_name", required=True, metavar="NAME", help="Shipped table name or XML file.")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True, help="Most variants to list.")
@click.option(
    "--max-visited",
    type=click.IntRange(min=1),
    default=MAX_VISITED,
    show_default=True,
    help="Work budget: combination prefixes the variant walk may visit before giving up (exit 2).",
)
@click.option("--json", "as_json", is_flag=True, help="JSON lines (schemas idnkit.lgr/1, idnkit.lgr-variant/1).")
@click.pass_context
def variants_command(
    ctx: click.Context, label: str, lgr_name: str, limit: int, max_visited: int, as_json: bool
) -> None:
    """List LABEL's variant labels with dispositions (RFC 7940 §8.2-8.3), at most --limit of them."""
    table = load_table(lgr_name)
    try:
        verdict = table.validate(label)
    except lgrmod.LgrError as e:
        raise InputFailure(show(str(e))) from None
    if not verdict.eligible:
        if as_json:
            click.echo(json_line({"schema": LGR_SCHEMA, **verdict.to_dict()}))
        else:
            click.echo(f"{show(verdict.label)}: INVALID under {table.name}")
            for f in verdict.findings:
                click.echo(f"  position {f.position}: {show(f.message)}")
        ctx.exit(1)
    try:
        count = table.variant_count(label)
    except lgrmod.LgrError as e:  # past the count's automaton bound: refused, never guessed
        raise InputFailure(show(str(e))) from None
    try:
        index: str | None = table.index_label(label)
    except lgrmod.LgrError:
        index = None
    if as_json:
        click.echo(json_line({"schema": LGR_SCHEMA, **verdict.to_dict(), "index_label": index, "variant_count": count}))
    else:
        click.echo(f"{show(verdict.label)}: {verdict.disposition} under {table.name}")
        click.echo(f"  index label  {show(index) if index is not None else '- (undefined: RFC 7940 §8.5)'}")
        click.echo(f"  permutations {count} (labels with disposition invalid are not listed)")
    shown = 0
    try:
        for v in table.variants(label, limit=limit, max_visited=max_visited):
            shown += 1
            if as_json:
                click.echo(json_line({"schema": LGR_VARIANT_SCHEMA, **v.to_dict()}))
            else:
                click.echo(f"  {v.disposition:<12} {show(v.label)}  {' '.join(v.types)}")
    except lgrmod.LgrError as e:  # the walk's work budget (max_visited): the variants so far are shown
        raise InputFailure(show(str(e))) from None
    if shown == limit and not as_json:
        click.echo(f"  (stopped at --limit {limit})")
    ctx.exit(0 if verdict.valid else 1)


@lgr_group.command("collisions")
@click.argument("file", type=click.File("rb"))
@click.option("--lgr", "lgr_name", required=True, metavar="NAME", help="Shipped table name or XML file.")
@click.option(
    "--variant-limit",
    type=click.IntRange(min=0),
    default=10_000,
    show_default=True,
    help="Labels without an index label: variants enumerated per label to find collisions.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per group (schema idnkit.lgr-collision/1).")
@click.pass_context
def collisions_command(ctx: click.Context, file: IO[bytes], lgr_name: str, variant_limit: int, as_json: bool) -> None:
    """Group the labels of FILE (one per line) that are variants of each other under the LGR.

    Labels are grouped by index label (RFC 7940 §8.5).  Where the index label is undefined (variant
    sets that are not equivalence classes), a label's variants are enumerated, up to --variant-limit,
    and looked up among the labels read.  Exit status: 0 no collision, 1 some labels collide, 2
    unreadable input.
    """
    table = load_table(lgr_name)
    keys = lgrmod.IndexLabelKeys(table)
    groups: dict[str, list[str]] = defaultdict(list)
    unkeyed: list[str] = []  # eligible, but §8.5 leaves the index label undefined
    not_valid = 0
    unreadable = 0
    for item in _from_file(file):
        if isinstance(item, Unreadable):
            unreadable += 1
            continue
        try:
            verdict = table.validate(item)
        except lgrmod.LgrError:
            not_valid += 1
            continue
        if not verdict.eligible:
            not_valid += 1
            continue
        found = keys.keys(verdict.label)
        if found:
            groups[found[0]].append(verdict.label)
        else:
            unkeyed.append(verdict.label)
    merged, touched, stopped = _variant_groups(table, groups, unkeyed, variant_limit)
    records: list[tuple[str | None, list[str]]] = [
        (k, labels) for k, labels in sorted(groups.items()) if len(labels) > 1 and k not in touched
    ]
    records += merged
    capped = sum(1 for x in unkeyed if x in stopped or _over(table, x, variant_limit))
    for key, labels in records:
        if as_json:
            click.echo(
                json_line({"schema": LGR_COLLISION_SCHEMA, "lgr": table.name, "index_label": key, "labels": labels})
            )
        else:
            click.echo(f"{show(key) if key is not None else '(no index label)'}: {', '.join(show(x) for x in labels)}")
    total = sum(len(v) for v in groups.values()) + len(unkeyed) + not_valid
    summary = {
        "labels": total,
        "groups": len(records),
        "without_index_label": len(unkeyed),
        "not_valid": not_valid,
        "variant_limit_reached": capped,
        "unreadable": unreadable,
    }
    if as_json:
        click.echo(json_line({"schema": LGR_COLLISIONS_SUMMARY_SCHEMA, **summary}))
    else:
        click.echo(
            f"summary: {total} labels, {len(records)} colliding groups, {not_valid} not valid under "
            f"{table.name}, {len(unkeyed)} without an index label ({capped} over --variant-limit), "
            f"{unreadable} unreadable"
        )
    ctx.exit(2 if unreadable else 1 if records else 0)


def _over(table: lgrmod.Lgr, label: str, limit: int) -> bool:
    try:
        return table.variant_count(label) > limit
    except lgrmod.LgrError:  # not countable within the automaton's state bound: certainly over
        return True


def _variant_groups(
    table: lgrmod.Lgr, groups: dict[str, list[str]], unkeyed: list[str], limit: int
) -> tuple[list[tuple[str | None, list[str]]], set[str], set[str]]:
    """Collisions of labels without an index label, found by enumerating their variants (union-find).

    Also returns the labels whose enumeration stopped at the LGR's work budget (counted with those over
    --variant-limit: their collisions may be incomplete)."""
    owner: dict[str, str] = {}  # label -> representative
    for key, labels in groups.items():
        for x in labels:
            owner[x] = key
    for x in unkeyed:
        owner[x] = x
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    touched: set[str] = set()
    stopped: set[str] = set()
    for x in unkeyed:
        try:
            for v in table.variants(x, limit=limit):
                if v.label in owner and v.label != x:
                    a, b = find(owner[x]), find(owner[v.label])
                    if a != b:
                        parent[a] = b
                    touched.update((owner[x], owner[v.label]))
        except lgrmod.LgrError:
            stopped.add(x)  # the variants met so far still count; the rest of the file goes on
    merged: dict[str, list[str]] = defaultdict(list)
    for rep in sorted(touched):
        members = groups.get(rep, [rep])
        merged[find(rep)].extend(members)
    out: list[tuple[str | None, list[str]]] = []
    for members in merged.values():
        if len(members) > 1:
            out.append((None, sorted(set(members))))
    return sorted(out, key=lambda r: r[1]), touched, stopped


lgr_group.add_command(convert_command)
lgr_group.add_command(merge_command)
