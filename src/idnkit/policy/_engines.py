"""The one adapter between policies and the LGR and UTS #39 engines (``idnkit.lgr``, ``idnkit.confusables``).

Everything the policy layer needs from those packages goes through :class:`Engines`, so a test
can hand a policy other engines and the wiring to the real ones lives in this file only.  The
engines are imported where they are first used, not with the policy package: ``import idnkit``
(and every ``idncheck`` call) should not pay for LGR code a command may never run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..lgr import Lgr


@dataclass(frozen=True, slots=True)
class TableReason:
    """Why a table refuses a label: the table's rule (or kind of failure), a message, where."""

    rule: str
    message: str
    position: int | None = None
    codepoint: int | None = None


@dataclass(frozen=True, slots=True)
class TableVerdict:
    """A label judged by one table: ``valid``, its disposition, and the reasons when it is not valid."""

    valid: bool
    disposition: str
    reasons: tuple[TableReason, ...] = ()


@dataclass(frozen=True, slots=True)
class VariantLabel:
    label: str
    disposition: str


class TableEngine(Protocol):
    """What the policy needs from one LGR."""

    name: str

    def validate(self, label: str) -> TableVerdict: ...

    def index_label(self, label: str) -> str | None: ...

    def variants(self, label: str, limit: int) -> Iterator[VariantLabel]: ...

    def rule_names(self) -> frozenset[str]: ...

    def rule_holds(self, rule: str, label: str, index: int) -> bool:
        """Whether the table's named rule holds with the code point at 0-based ``index`` as anchor."""
        ...


class Engines(Protocol):
    """The engines a policy runs: tables by reference, UTS #39 skeletons and restriction levels."""

    def catalogue(self) -> frozenset[str]: ...

    def table(self, ref: str, path: Path | None) -> TableEngine: ...

    def skeleton(self, label: str) -> str: ...

    def skeleton_keys(self, label: str) -> tuple[str, ...]:
        """The confusable-conflict keys: the skeleton first, then any other (UTS #39 §5.4 hidden
        overlay, the bidi skeletons of a right-to-left label)."""
        ...

    def mark_folded_skeleton(self, label: str) -> str: ...

    def restriction_level(self, label: str) -> str: ...


def _cp(codepoint: str | None) -> int | None:
    """``U+XXXX`` (a finding's code point) as the integer a :class:`TableReason` carries."""
    return int(codepoint[2:], 16) if codepoint else None


class _LgrTable:
    """An ``idnkit.lgr.Lgr`` seen through :class:`TableEngine`."""

    def __init__(self, name: str, lgr: Lgr) -> None:
        self.name = name
        self._lgr = lgr

    def validate(self, label: str) -> TableVerdict:
        result = self._lgr.validate(label)
        from ..lgr import finding_kind

        # the reason names the LGR's rule that failed, or the kind of finding (not-in-repertoire, ...)
        reasons = tuple(
            TableReason(f.ref or finding_kind(f), f.message, f.position, _cp(f.codepoint)) for f in result.findings
        )
        return TableVerdict(result.valid, result.disposition, reasons)

    def index_label(self, label: str) -> str | None:
        from ..lgr import LgrError

        try:
            return self._lgr.index_label(label)
        except LgrError:  # §8.5 defines no index label for this table or label
            return None

    def variants(self, label: str, limit: int) -> Iterator[VariantLabel]:
        for v in self._lgr.variants(label, limit=limit):
            yield VariantLabel(v.label, v.disposition)

    def rule_names(self) -> frozenset[str]:
        return frozenset(self._lgr.rules)

    def rule_holds(self, rule: str, label: str, index: int) -> bool:
        # RFC 7940 §6.4: a when-rule is matched with the code point as the anchor at its position.
        return bool(self._lgr.rules[rule].at(label, index, (ord(label[index]),)))


class DefaultEngines:
    """The engines idnkit ships: ``idnkit.lgr`` tables and ``idnkit.confusables``."""

    def catalogue(self) -> frozenset[str]:
        from ..lgr import catalogue

        return frozenset(entry.name for entry in catalogue())

    def table(self, ref: str, path: Path | None) -> TableEngine:
        return _cached_table(ref, str(path) if path else None)

    def skeleton(self, label: str) -> str:
        from ..confusables import skeleton

        return skeleton(label)

    def skeleton_keys(self, label: str) -> tuple[str, ...]:
        from ..confusables import skeleton_keys

        return skeleton_keys(label)

    def mark_folded_skeleton(self, label: str) -> str:
        from ..confusables import mark_folded_skeleton

        return mark_folded_skeleton(label)

    def restriction_level(self, label: str) -> str:
        from ..confusables import restriction_level

        return restriction_level(label).label  # "highly-restrictive", as policies spell it


@cache
def _cached_table(ref: str, path: str | None) -> TableEngine:
    from ..lgr import load

    return _LgrTable(ref, load(path or ref))


DEFAULT_ENGINES: Engines = DefaultEngines()


def resolve(engines: Engines | None) -> Engines:
    """``engines``, or the module's current default (looked up at call time, so tests may replace it)."""
    return engines if engines is not None else DEFAULT_ENGINES
