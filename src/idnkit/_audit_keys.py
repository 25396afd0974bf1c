"""Collision key sources for the zone audit: the one place that knows where keys come from.

A key source is any object with ``kind: str`` and ``keys(u_label) -> Iterable[str]`` (the
``idnkit.collisions`` protocol, matched structurally).  Two names collide under a source when they
share a key.  When ``idnkit.collisions`` is installed its UTS #39 skeleton source is the default;
otherwise :class:`FoldKeys` (NFKC case folding, e.g. "Straße" ~ "strasse") keeps in-zone and
``--against`` collisions working.  An LGR's ``IndexLabelKeys`` plugs in the same way.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

import unicodedata2


@runtime_checkable
class KeySource(Protocol):
    """Maps a name in Unicode form (labels below the zone origin) to collision keys."""

    kind: str

    def keys(self, u_label: str) -> Iterable[str]: ...


class FoldKeys:
    """NFKC + full case folding (Unicode §3.13): the simplest look-alike key, one per name."""

    kind = "fold"

    def keys(self, u_label: str) -> tuple[str]:
        return (unicodedata2.normalize("NFKC", unicodedata2.normalize("NFKC", u_label).casefold()),)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldKeys)

    def __hash__(self) -> int:
        return hash(self.kind)


def default_key_sources() -> tuple[KeySource, ...]:
    """The UTS #39 skeleton when ``idnkit.collisions`` is present, else :class:`FoldKeys`."""
    try:
        collisions: Any = importlib.import_module("idnkit.collisions")
    except ImportError:
        return (FoldKeys(),)
    source: KeySource = collisions.SkeletonKeys()
    return (source,)


def lgr_check(name: str) -> Any:
    """``idnkit.lgr.load(name)`` when the LGR module is present; raises ImportError naming it otherwise."""
    try:
        lgr: Any = importlib.import_module("idnkit.lgr")
    except ImportError:
        raise ImportError("--lgr needs idnkit.lgr, which this build does not include") from None
    return lgr.load(name)
