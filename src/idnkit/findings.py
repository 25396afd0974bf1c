"""The one finding type every layer reports (IDNA2008, UTS #46, UTS #39, LGR, policy, zone, audit)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from .rules import RULES


class Severity(enum.Enum):
    ERROR = "error"  # the label or name is invalid
    WARNING = "warning"  # valid, but a registry should know (deviations, mapping, lookup-only leniency)


def format_cp(cp: int) -> str:
    return f"U+{cp:04X}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One violation or notice: which rule, where (1-based code point position), which code point."""

    rule: str
    message: str
    position: int | None = None
    codepoint: str | None = None
    label_index: int | None = None
    severity: Severity = Severity.ERROR

    @property
    def source(self) -> str:
        """The standard and section the rule comes from, e.g. ``RFC 5892 Appendix A.1``."""
        return RULES[self.rule].source

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "source": self.source,
            "label": self.label_index,
            "position": self.position,
            "codepoint": self.codepoint,
            "message": self.message,
        }
