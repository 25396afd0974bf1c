"""The views ``idncheck check`` adds to every name by default: mixed scripts and the TLD's policy.

Apart from the command modules of ``confusables`` and ``policy`` so that ``idncheck NAME`` loads
neither the confusables tables nor the policy model unless a name needs them: the mixed-script
check reads only Script_Extensions, and the policy code loads once a shipped policy applies
(issue 16, start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..errors import IdnkitError, PolicyError
from ..findings import Finding
from ..idna import DomainResult
from ..idna._punycode import unicode_form
from ..namecheck import PolicyJudge, ScriptsJudge
from ..policy._selector import PolicySelector
from ._common import Addendum, finding_lines

if TYPE_CHECKING:
    from ..policy import PolicyResult

_INDENT = " " * 11


class PolicyInputError(click.ClickException):
    """A policy that cannot be loaded or run: exit status 2."""

    exit_code = 2


def _show(text: str) -> str:
    return "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in text)


class ScriptsView:
    """The mixed-script warning every check prints without ``--confusables`` (UTS #39 §5.2).

    A plain class, as the other views and ``_common``'s records: no dataclass to create at start-up.
    """

    __slots__ = ("judge_",)

    def __init__(self, judge: ScriptsJudge | None = None) -> None:
        self.judge_ = judge if judge is not None else ScriptsJudge()

    def judge(self, result: DomainResult) -> Addendum:
        verdict = self.judge_.judge(result)
        findings: tuple[Finding, ...] = verdict.detail  # type: ignore[assignment]
        if not findings:
            return Addendum(verdict, [])
        name = result.name if result.name is not None else unicode_form(result.input)
        labels = name.split(".")

        def label_of(finding: Finding) -> str | None:
            index = finding.label_index
            return labels[index - 1] if index is not None and 1 <= index <= len(labels) else None

        return Addendum(verdict, finding_lines(findings, label_of))


def policy_selector(option: str | None, language: str | None) -> PolicySelector:
    """The library's selector for ``--policy`` / ``--language``; a policy that cannot load is exit 2."""
    try:
        return PolicySelector(option, language)
    except PolicyError as e:
        raise PolicyInputError(f"policy {option} is not valid:\n{e}") from None
    except IdnkitError as e:
        raise PolicyInputError(str(e)) from None


class PolicyView:
    """The ``check`` addendum: the policy verdict on a name IDNA2008 accepts (none when no policy applies)."""

    __slots__ = ("selector", "verbose")

    def __init__(self, selector: PolicySelector, *, verbose: bool = False) -> None:
        self.selector = selector
        self.verbose = verbose

    def judge(self, result: DomainResult) -> Addendum:
        try:
            verdict = PolicyJudge(self.selector).judge(result)
        except IdnkitError as e:  # a table the policy names cannot run, a TLD's policy file is broken
            raise PolicyInputError(str(e)) from None
        if verdict.detail is None:  # no policy applies: nothing of the policy model was loaded
            return Addendum(verdict, [])
        from ..policy import PolicyResult

        lines = policy_lines(verdict.detail, verbose=self.verbose) if isinstance(verdict.detail, PolicyResult) else []
        return Addendum(verdict, lines)


def finding_text(f: Finding) -> list[str]:
    """One policy finding as the text report shows it: rule and place, then the message."""
    where = [x for x in (f"position {f.position}" if f.position else "", f.codepoint or "", f.ref or "") if x]
    head = f"  {f.severity.value:<8} {f.rule}" + (f"  {', '.join(where)}" if where else "")
    return [f"{head}  [{_show(f.source)}]", _INDENT + _show(f.message)]


def policy_lines(result: PolicyResult, *, verbose: bool = False) -> list[str]:
    """The policy part of a check's text report: one entry per problem, as for IDNA2008's findings.

    Findings of one rule, severity, table and source (a table refusing ten characters) are one
    entry naming every position and code point; ``verbose`` gives each finding its own entry.
    """
    verdict = "accepted" if result.ok else "REFUSED"
    lines = [f"  policy   {_show(result.policy)} ({result.status.value}): {verdict}"]
    if result.tables:
        lines.append(f"  tables   {', '.join(result.tables)}")
    if verbose:
        for f in result.findings:
            lines += finding_text(f)
        return lines
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for f in result.findings:
        groups.setdefault((f.rule, f.severity, f.ref, f.source), []).append(f)
    for members in groups.values():
        lines += finding_text(members[0]) if len(members) == 1 else _group_text(members)
    return lines


def _group_text(members: list[Finding]) -> list[str]:
    first = members[0]
    positions = [str(m.position) for m in members if m.position]
    where = [f"positions {', '.join(positions)}"] if positions else []
    if first.ref:
        where.append(first.ref)
    head = f"  {first.severity.value:<8} {first.rule}" + (f"  {', '.join(where)}" if where else "")
    message = _show(first.message)
    others = [m.codepoint for m in members[1:] if m.codepoint]
    if others:
        message += f"; the same for {len(others)} more: " + ", ".join(
            f"{cp} {_show(chr(int(cp[2:], 16)))}" for cp in others
        )
    return [f"{head}  [{_show(first.source)}]", _INDENT + message]
