"""Policy errors: every problem of a policy file as ``file:line: field: message``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import (
    PolicyError,
    RegistryBusyError,
    RegistryError,
    RegistryRetryError,
    RegistrySchemaError,
    RegistryStorageError,
    RegistryUnavailableError,
)

__all__ = [
    "LintIssue",
    "PolicyError",
    "RegistryBusyError",
    "RegistryError",
    "RegistryRetryError",
    "RegistrySchemaError",
    "RegistryStorageError",
    "RegistryUnavailableError",
]


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
