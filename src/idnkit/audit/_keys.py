"""Collision key sources for the zone audit beyond ``idnkit.collisions``' own, and the default.

A key source is any object with ``kind: str`` and ``keys(u_label) -> Iterable[str]``
(:class:`idnkit.collisions.KeySource`, matched structurally); it may also offer
``ascii_key(name: bytes) -> bytes``, the UTF-8 key of a lowercase ASCII name, which the audit's hot
loop uses instead of a str round trip, and ``ascii_keys(names: list[bytes]) -> list[bytes]``, the same
for a whole batch of names at once (one call per batch instead of one per name), and
``ascii_table``, the key bytes of each ASCII byte when the key of an ASCII name maps byte by byte
(the audit's native path then keys names without a Python call per name).  Two names collide
under a source when they share a key.
"""

from __future__ import annotations

import unicodedata2

from ..collisions import KeySource, SkeletonKeys


class FoldKeys:
    """NFKC + full case folding (Unicode §3.13): the simplest look-alike key, one per name."""

    kind = "fold"
    ascii_table: tuple[bytes, ...] = tuple(bytes([b]).lower() for b in range(0x80))

    def keys(self, u_label: str) -> tuple[str]:
        if u_label.isascii():  # NFKC leaves ASCII alone; full case folding of ASCII is lowercasing
            return (u_label.lower(),)
        return (unicodedata2.normalize("NFKC", unicodedata2.normalize("NFKC", u_label).casefold()),)

    def ascii_key(self, name: bytes) -> bytes:
        return name.lower()

    def ascii_keys(self, names: list[bytes]) -> list[bytes]:
        return [name.lower() for name in names]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldKeys)

    def __hash__(self) -> int:
        return hash(self.kind)


def default_key_sources() -> tuple[KeySource, ...]:
    """The UTS #39 skeleton."""
    return (SkeletonKeys(),)
