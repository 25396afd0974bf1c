"""Policy errors: every problem of a policy file as ``file:line: field: message``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import IdnkitError


@dataclass(frozen=True, slots=True)
class LintIssue:
    """One problem in a policy file.  ``field`` is the dotted path, e.g. ``table[2].name``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class PolicyError(IdnkitError):
    """A policy file that cannot be used; ``issues`` holds every problem found, not just the first."""

    def __init__(self, issues: tuple[LintIssue, ...] | list[LintIssue]) -> None:
        self.issues = tuple(issues)
        first = self.issues[0] if self.issues else None
        self.file = first.file if first else None
        self.line = first.line if first else None
        super().__init__("\n".join(str(i) for i in self.issues) or "invalid policy")


class RegistryError(IdnkitError):
    """A registry operation that cannot be carried out (unknown name, wrong registrant, bad database)."""
