"""``idncheck`` confusables commands and options (UTS #39, the collision index).

* ``idncheck NAME --confusables`` — skeleton, scripts, restriction level and findings per label;
* ``idncheck NAME --against FILE`` — collisions of NAME with the names listed in FILE;
* ``idncheck confusable A B`` — grep-style: exit 0 if confusable, 1 if not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

import click

from ..collisions import KeySource, _differing_labels, unicode_form
from ..confusables import ALL_SCRIPTS, bidi_skeleton, classify, confusable, is_intentional, skeleton
from ..idna import DomainResult
from ..namecheck import Confusables, ConfusablesJudge
from ._common import (
    Addendum,
    InputFailure,
    Unreadable,
    _from_argument,
    _from_file,
    format_unreadable,
    json_line,
    show,
)

CONFUSABLE_SCHEMA = "idnkit.confusable/1"


@dataclass(slots=True)
class ConfusablesView:
    """What ``--confusables`` and ``--against`` add to each checked name (the library's judge, as text)."""

    judge_: ConfusablesJudge

    @classmethod
    def from_options(
        cls,
        confusables: bool,
        against: IO[bytes] | None,
        mark_folded: bool,
        extra_sources: Sequence[KeySource] = (),
    ) -> ConfusablesView | None:
        """``extra_sources`` join the skeleton for ``--against`` (e.g. ``lgr.IndexLabelKeys`` when
        ``--lgr`` is given: the hook for wiring LGR variants into the same check)."""
        if not confusables and against is None:
            return None
        if against is None:
            return cls(ConfusablesJudge(confusables=confusables))
        bad: list[Unreadable] = []
        judge = ConfusablesJudge.against_names(
            _readable(_from_file(against), bad),
            confusables=confusables,
            mark_folded=mark_folded,
            extra_sources=extra_sources,
            against_name=click.format_filename(getattr(against, "name", "<stdin>")),
        )
        if bad:
            raise InputFailure("\n".join(format_unreadable(b) for b in bad))
        return cls(judge)

    def text_lines(self, found: Confusables) -> list[str]:
        lines: list[str] = []
        for r in found.reports:
            scripts = "ALL" if r.scripts == ALL_SCRIPTS else " ".join(sorted(r.scripts)) or "(mixed)"
            lines.append(f"  label    {show(r.label)}")
            lines.append(f"    skeleton     {show(r.skeleton)}")
            lines.append(f"    scripts      {scripts}")
            lines.append(f"    restriction  {r.restriction_level.label}")
            for f in r.findings:
                lines.append(f"    {f.severity.value:<8} {f.rule}  [{f.source}]")
                lines.append(f"             {show(f.message)}")
        if self.judge_.against is not None:
            if not found.collisions:
                lines.append(f"  no collision with the names in {show(self.judge_.against_name or '')}")
            for h in found.collisions:
                rule = f"  {h.rule}" if h.rule else ""
                lines.append(f"  collides {show(h.name)}  {h.kind} ({h.source} {show(h.key)}){rule}")
        return lines

    def judge(self, result: DomainResult) -> Addendum:
        """The ``check`` addendum: a name that collides with an ``--against`` name is refused."""
        verdict = self.judge_.judge(result)
        assert isinstance(verdict.detail, Confusables)
        return Addendum(verdict, self.text_lines(verdict.detail))


def _readable(items: Iterable[str | Unreadable], bad: list[Unreadable]) -> Iterable[str]:
    for item in items:
        if isinstance(item, Unreadable):
            bad.append(item)
        else:
            yield item


@click.command("confusable")
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@click.option(
    "--mark-folded",
    is_flag=True,
    help="Also call strings confusable when they differ only in combining marks (idnkit's own, beyond UTS #39).",
)
@click.option(
    "--bidi",
    "direction",
    type=click.Choice(["ltr", "rtl"]),
    default=None,
    help="Compare UTS #39 bidi skeletons: A and B as displayed in a left-to-right or right-to-left paragraph.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (schema idnkit.confusable/1).")
@click.pass_context
def confusable_command(
    ctx: click.Context, first: str, second: str, mark_folded: bool, direction: str | None, as_json: bool
) -> None:
    """Are A and B confusable (UTS #39 §4 skeletons)?  Prints the kind.

    Grep-style exit status: 0 if A and B are confusable, 1 if not, 2 on a usage error.  The kind is
    single-script, mixed-script or whole-script (UTS #39), or mark-folded with --mark-folded.
    With --bidi ltr|rtl the strings are compared as displayed (UTS #39 §4 bidiSkeleton): "א1" and
    "1א" look the same in a left-to-right paragraph.  xn-- labels are decoded first.
    """
    texts = []
    for number, arg in enumerate((first, second), 1):
        text = _from_argument(arg, number)
        if isinstance(text, Unreadable):
            raise InputFailure(format_unreadable(text))
        texts.append(unicode_form(text))
    a, b = texts

    # Whole names compare the labels in which they differ, as the collision index does: a shared
    # ".com" must not turn the whole-script pair "раураӏ.com" / "paypal.com" into a mixed-script one.
    def key(text: str) -> str:
        if direction is None:
            return skeleton(text)
        return bidi_skeleton("rtl" if direction == "rtl" else "ltr", text)

    if direction is not None:
        # Reordering crosses labels: the whole names are compared, their differing labels classified.
        kind = classify(*_differing_labels(a, b)) if key(a) == key(b) else None
    else:
        kind = confusable(*_differing_labels(a, b), mark_folded=mark_folded)
    if as_json:
        click.echo(
            json_line(
                {
                    "schema": CONFUSABLE_SCHEMA,
                    "a": a,
                    "b": b,
                    "confusable": kind is not None,
                    "kind": None if kind is None else kind.value,
                    "skeletons": [key(a), key(b)],
                    "intentional": is_intentional(a, b),
                    **({"bidi": direction} if direction is not None else {}),
                }
            )
        )
    elif kind is None:
        click.echo(f"not confusable: skeletons {show(repr(key(a)))} and {show(repr(key(b)))}")
    else:
        note = " (intentional.txt: meant to look identical)" if is_intentional(a, b) else ""
        click.echo(f"{kind.value} confusable: skeleton {show(repr(key(a)))}{note}")
    ctx.exit(0 if kind is not None else 1)
