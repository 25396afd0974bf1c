"""``idncheck`` confusables commands and options (UTS #39, the collision index).

* ``idncheck NAME --confusables`` — skeleton, scripts, restriction level and findings per label;
* ``idncheck NAME --against FILE`` — collisions of NAME with the names listed in FILE;
* ``idncheck confusable A B`` — grep-style: exit 0 if confusable, 1 if not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import click

from ..collisions import Collision, CollisionIndex, KeySource, SkeletonKeys, _differing_labels, unicode_form
from ..confusables import ALL_SCRIPTS, ConfusablesResult, check_confusables, confusable, is_intentional, skeleton
from ..idna import DomainResult
from ._common import Addendum, InputFailure, Unreadable, _from_argument, _from_file, format_unreadable, json_line, show

CONFUSABLE_SCHEMA = "idnkit.confusable/1"


@dataclass(slots=True)
class ConfusablesView:
    """What ``--confusables`` and ``--against`` add to each checked name."""

    confusables: bool = False
    against: CollisionIndex | None = None
    against_file: str | None = None
    _cache: dict[str, tuple[list[ConfusablesResult], list[Collision]]] = field(default_factory=dict)

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
        view = cls(confusables=confusables)
        if against is not None:
            view.against_file = click.format_filename(getattr(against, "name", "<stdin>"))
            view.against = CollisionIndex(sources=[SkeletonKeys(), *extra_sources], mark_folded=mark_folded)
            bad: list[Unreadable] = []
            view.against.add_many(_readable(_from_file(against), bad))
            if bad:
                raise InputFailure("\n".join(format_unreadable(b) for b in bad))
        return view

    def _labels(self, result: DomainResult) -> list[str]:
        name = result.name if result.name is not None else unicode_form(result.input)
        return [label for label in name.split(".") if label]

    def evaluate(self, result: DomainResult) -> tuple[list[ConfusablesResult], list[Collision]]:
        cached = self._cache.pop(result.input, None)
        if cached is not None:
            return cached
        labels = self._labels(result)
        reports = [check_confusables(label) for label in labels] if self.confusables else []
        hits: list[Collision] = []
        if self.against is not None:
            # The whole name, then each label: a list of brands ("paypal") matches "раураӏ.com".
            seen: set[str] = set()
            name = ".".join(labels)
            for query in dict.fromkeys([name, *labels]):
                for hit in self.against.query(query):
                    if hit.name not in seen:
                        seen.add(hit.name)
                        hits.append(hit)
        self._cache = {result.input: (reports, hits)}  # at most one entry: text and JSON share it
        return reports, hits

    def collides(self, result: DomainResult) -> bool:
        return bool(self.evaluate(result)[1])

    def json_fields(self, result: DomainResult) -> dict[str, Any]:
        reports, hits = self.evaluate(result)
        out: dict[str, Any] = {}
        if self.confusables:
            out["confusables"] = [r.to_dict() for r in reports]
        if self.against is not None:
            out["against"] = self.against_file
            out["collisions"] = [h.to_dict() for h in hits]
        return out

    def text_lines(self, result: DomainResult) -> list[str]:
        reports, hits = self.evaluate(result)
        lines: list[str] = []
        for r in reports:
            scripts = "ALL" if r.scripts == ALL_SCRIPTS else " ".join(sorted(r.scripts)) or "(mixed)"
            lines.append(f"  label    {show(r.label)}")
            lines.append(f"    skeleton     {show(r.skeleton)}")
            lines.append(f"    scripts      {scripts}")
            lines.append(f"    restriction  {r.restriction_level.label}")
            for f in r.findings:
                lines.append(f"    {f.severity.value:<8} {f.rule}  [{f.source}]")
                lines.append(f"             {show(f.message)}")
        if self.against is not None:
            if not hits:
                lines.append(f"  no collision with the names in {show(self.against_file or '')}")
            for h in hits:
                rule = f"  {h.rule}" if h.rule else ""
                lines.append(f"  collides {show(h.name)}  {h.kind} ({h.source} {show(h.key)}){rule}")
        return lines

    def judge(self, result: DomainResult) -> Addendum:
        """The ``check`` addendum: a name that collides with an ``--against`` name is refused."""
        return Addendum("confusables", not self.collides(result), self.json_fields(result), self.text_lines(result))


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
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (schema idnkit.confusable/1).")
@click.pass_context
def confusable_command(ctx: click.Context, first: str, second: str, mark_folded: bool, as_json: bool) -> None:
    """Are A and B confusable (UTS #39 §4 skeletons)?  Prints the kind.

    Grep-style exit status: 0 if A and B are confusable, 1 if not, 2 on a usage error.  The kind is
    single-script, mixed-script or whole-script (UTS #39), or mark-folded with --mark-folded.
    xn-- labels are decoded first.
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
                    "skeletons": [skeleton(a), skeleton(b)],
                    "intentional": is_intentional(a, b),
                }
            )
        )
    elif kind is None:
        click.echo(f"not confusable: skeletons {show(repr(skeleton(a)))} and {show(repr(skeleton(b)))}")
    else:
        note = " (intentional.txt: meant to look identical)" if is_intentional(a, b) else ""
        click.echo(f"{kind.value} confusable: skeleton {show(repr(skeleton(a)))}{note}")
    ctx.exit(0 if kind is not None else 1)
