"""Errors of the LGR engine: defined in :mod:`idnkit.errors` with the rest of the tree."""

from __future__ import annotations

from ..errors import LgrError, LgrParseError

__all__ = ["LgrError", "LgrParseError"]
