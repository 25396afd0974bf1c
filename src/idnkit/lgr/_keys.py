"""The LGR key source for idnkit's shared collision index (structural protocol: ``kind`` and ``keys``)."""

from __future__ import annotations

from ._errors import LgrError
from ._evaluate import Lgr


class IndexLabelKeys:
    """Keys a label by its index label under one LGR (RFC 7940 §8.5); no key when not valid under it.

    Two labels with the same key are variants of each other, so they collide.
    """

    def __init__(self, lgr: Lgr) -> None:
        self.lgr = lgr
        self.kind = f"lgr-index:{lgr.name}"

    def keys(self, u_label: str) -> list[str]:
        if not self.lgr.validate(u_label).eligible:
            return []
        try:
            return [self.lgr.index_label(u_label)]
        except LgrError:
            return []
