"""The one finding type every layer reports (IDNA2008, UTS #46, UTS #39, LGR, policy, zone, audit)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields
from typing import Any

from .rules import RULES


class Severity(enum.StrEnum):
    """How much a finding weighs; a ``str`` (``Severity.ERROR == "error"``), as the JSON spells it."""

    ERROR = "error"  # the label or name is invalid
    WARNING = "warning"  # valid, but a registry should know (deviations, mapping, lookup-only leniency)


# The engine a rule id belongs to, by its prefix (docs/rules.md groups the catalogue the same way).
_ENGINES = {
    "dns": "idna2008",
    "rfc3492": "idna2008",
    "rfc5890": "idna2008",
    "rfc5891": "idna2008",
    "rfc5892": "idna2008",
    "rfc5893": "idna2008",
    "uts46": "uts46",
    "whatwg": "whatwg-url",
    "rfc5321": "email",
    "display": "display",
    "uts39": "uts39",
    "rfc7940": "lgr",
    "policy": "policy",
    "zone": "zone",
    "audit": "audit",
    "epp": "epp",
}


def engine_of(rule: str) -> str:
    """The engine that reports ``rule``: idna2008, uts46, uts39, lgr, policy, zone or audit."""
    return _ENGINES.get(rule.partition(".")[0], "idnkit")


def format_cp(cp: int) -> str:
    return f"U+{cp:04X}"


@dataclass(frozen=True, slots=True, init=False)
class Finding:
    """One violation or notice, from any layer: which rule, how severe, where, and why in words.

    ``position`` is the 1-based code point position in the label, ``label_index`` the 1-based label
    in the name, ``codepoint`` the character as ``U+XXXX``.  ``engine`` defaults to the rule's own
    (:func:`engine_of`); ``ref`` names the table, context rule or policy field involved; ``file`` and
    ``line`` say where in an input file (a zone, a policy, an LGR document).  ``source`` is the
    standard and section, from the rule catalogue unless ``cite`` gives another (a policy's own source).
    """

    rule: str
    message: str
    position: int | None = None
    codepoint: str | None = None
    label_index: int | None = None
    severity: Severity = Severity.ERROR
    engine: str | None = None
    ref: str | None = None
    file: str | None = None
    line: int | None = None
    cite: str | None = None

    def __init__(
        self,
        rule: str,
        message: str,
        position: int | None = None,
        codepoint: str | None = None,
        label_index: int | None = None,
        severity: Severity = Severity.ERROR,
        engine: str | None = None,
        ref: str | None = None,
        file: str | None = None,
        line: int | None = None,
        cite: str | None = None,
    ) -> None:
        # The dataclass's own __init__ of a frozen class goes through object.__setattr__ once per
        # field, about half of what building a finding costs; the slots' setters write the same.
        _SET_RULE(self, rule)
        _SET_MESSAGE(self, message)
        _SET_POSITION(self, position)
        _SET_CODEPOINT(self, codepoint)
        _SET_LABEL_INDEX(self, label_index)
        _SET_SEVERITY(self, severity)
        _SET_ENGINE(self, engine)
        _SET_REF(self, ref)
        _SET_FILE(self, file)
        _SET_LINE(self, line)
        _SET_CITE(self, cite)

    @property
    def source(self) -> str:
        """The standard and section the rule comes from, e.g. ``RFC 5892 Appendix A.1``."""
        return self.cite or RULES[self.rule].source

    @property
    def producer(self) -> str:
        """``engine``, or the engine the rule id belongs to."""
        return self.engine or engine_of(self.rule)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def placed_message(self) -> str:
        """The message after the finding's place (label, position, code point), where any is known."""
        where = ", ".join(x for x in (
            f"label {self.label_index}" if self.label_index else "",
            f"position {self.position}" if self.position else "",
            self.codepoint or "",
        ) if x)  # fmt: skip
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "engine": self.producer,
            "source": self.source,
            "label": self.label_index,
            "position": self.position,
            "codepoint": self.codepoint,
            "ref": self.ref,
            "message": self.message,
        }
        if self.file is not None:
            out["file"] = self.file
            out["line"] = self.line
        return out


(
    _SET_RULE,
    _SET_MESSAGE,
    _SET_POSITION,
    _SET_CODEPOINT,
    _SET_LABEL_INDEX,
    _SET_SEVERITY,
    _SET_ENGINE,
    _SET_REF,
    _SET_FILE,
    _SET_LINE,
    _SET_CITE,
) = (Finding.__dict__[f.name].__set__ for f in fields(Finding))
