"""The RFC 7940 document model: immutable values for meta, chars, variants, classes, rules and actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Reference:
    """RFC 7940 §4.3.1: one ``reference`` of the ``references`` element."""

    id: str
    text: str
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Meta:
    """RFC 7940 §4.3: the ``meta`` element."""

    version: str | None = None
    version_comment: str | None = None
    date: str | None = None
    languages: tuple[str, ...] = ()
    scopes: tuple[tuple[str, str], ...] = ()  # (type, value)
    validity_start: str | None = None
    validity_end: str | None = None
    unicode_version: str | None = None
    description: str | None = None
    description_type: str | None = None
    references: tuple[Reference, ...] = ()
    # The line of each meta element read from a document (element name, line), for lint messages.
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def line_of(self, element: str) -> int:
        return next((line for name, line in self.lines if name == element), 0)


@dataclass(frozen=True, slots=True)
class Var:
    """RFC 7940 §5.3: a variant mapping ``var`` of a ``char``."""

    cps: tuple[int, ...]  # empty for a null variant (§5.3.6)
    type: str | None = None
    when: str | None = None
    not_when: str | None = None
    refs: tuple[str, ...] = ()
    comment: str | None = None
    line: int = 0

    @property
    def conditional(self) -> bool:
        return self.when is not None or self.not_when is not None


@dataclass(frozen=True, slots=True)
class Char:
    """RFC 7940 §5.1-5.2: a repertoire element (a code point or a sequence, from ``char`` or ``range``)."""

    cps: tuple[int, ...]
    when: str | None = None
    not_when: str | None = None
    tags: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    comment: str | None = None
    variants: tuple[Var, ...] = ()
    line: int = 0

    @property
    def conditional(self) -> bool:
        return self.when is not None or self.not_when is not None


@dataclass(frozen=True, slots=True)
class ClassNode:
    """RFC 7940 §6.2: a class, a set operation (``kind`` union, intersection, ...) or a reference to one.

    ``kind`` is one of: ``set`` (listed code points in ``ranges``), ``ref`` (``by-ref``), ``tag``
    (``from-tag``), ``property``, ``union``, ``intersection``, ``difference``, ``symmetric-difference``,
    ``complement``.
    """

    kind: str
    name: str | None = None
    ref: str | None = None
    ranges: tuple[tuple[int, int], ...] = ()
    children: tuple[ClassNode, ...] = ()
    count: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class RuleNode:
    """RFC 7940 §6.3: a rule or one of its matching elements.

    ``kind``: rule, start, end, anchor, any, char, class, choice, look-ahead, look-behind.
    """

    kind: str
    name: str | None = None
    ref: str | None = None
    cps: tuple[int, ...] = ()
    cls: ClassNode | None = None
    children: tuple[RuleNode, ...] = ()
    count: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Action:
    """RFC 7940 §7: an ``action`` element."""

    disp: str
    match: str | None = None
    not_match: str | None = None
    any_variant: frozenset[str] | None = None
    all_variants: frozenset[str] | None = None
    only_variants: frozenset[str] | None = None
    comment: str | None = None
    refs: tuple[str, ...] = ()
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"disp": self.disp, "line": self.line}
        for key in ("match", "not_match", "comment"):
            value = getattr(self, key)
            if value is not None:
                out[key.replace("_", "-")] = value
        for key in ("any_variant", "all_variants", "only_variants"):
            value = getattr(self, key)
            if value is not None:
                out[key.replace("_", "-")] = sorted(value)
        return out


# RFC 7940 §7.6: the default actions, appended after the document's own actions.
DEFAULT_ACTIONS: tuple[Action, ...] = (
    Action("invalid", any_variant=frozenset({"invalid"}), comment="RFC 7940 §7.6 default: invalid"),
    Action("blocked", any_variant=frozenset({"blocked"}), comment="RFC 7940 §7.6 default: blocked"),
    Action("allocatable", any_variant=frozenset({"allocatable"}), comment="RFC 7940 §7.6 default: allocatable"),
    Action("activated", all_variants=frozenset({"activated"}), comment="RFC 7940 §7.6 default: activated"),
    Action("valid", comment="RFC 7940 §7.6 default: catch-all"),
)


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed LGR document, before compilation."""

    source: str
    meta: Meta
    chars: tuple[Char, ...]
    classes: tuple[ClassNode, ...]
    rules: tuple[RuleNode, ...]
    actions: tuple[Action, ...]
    problems: tuple[tuple[int, str], ...] = field(default=())  # (line, message) found while parsing
