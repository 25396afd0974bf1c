"""Errors of the LGR engine."""

from __future__ import annotations

from ..errors import IdnkitError


class LgrError(IdnkitError):
    """An LGR cannot answer (e.g. an index label where RFC 7940 §8.5 leaves it undefined)."""


class LgrParseError(LgrError):
    """An LGR document that cannot be read; the message names file:line."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = ":".join(str(x) for x in (source, line) if x is not None)
        super().__init__(f"{where}: {message}" if where else message)
