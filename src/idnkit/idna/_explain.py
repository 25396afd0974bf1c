"""``explain(cp)``: how a code point's IDNA2008 property was derived, and its other properties."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import IdnkitError
from ..rules import RULES
from ..unicode import (
    BIDI_CLASS,
    COMBINING_CLASS,
    DERIVATION,
    DERIVED_PROPERTY,
    GENERAL_CATEGORY,
    JOINING_TYPE,
    SCRIPT,
    UNICODE_VERSION,
    UTS46_IDNA2008,
    UTS46_MAPPING,
    UTS46_STATUS,
    char_name,
    script_extensions,
)
from ._contextual import CONTEXT_RULES

# RFC 5892 §3 tests, in order; the derivation stops at the first that holds.
_STEPS = (
    ("F", "Exceptions (RFC 5892 §2.6)"),
    ("G", "BackwardCompatible (RFC 5892 §2.7)"),
    ("J", "Unassigned (RFC 5892 §2.10)"),
    ("E", "LDH (RFC 5892 §2.5)"),
    ("H", "JoinControl (RFC 5892 §2.8)"),
    ("B", "Unstable (RFC 5892 §2.2)"),
    ("C", "IgnorableProperties (RFC 5892 §2.3)"),
    ("D", "IgnorableBlocks (RFC 5892 §2.4)"),
    ("I", "OldHangulJamo (RFC 5892 §2.9)"),
    ("A", "LetterDigits (RFC 5892 §2.1)"),
    ("-", "none of the above: DISALLOWED by default (RFC 5892 §3)"),
)


@dataclass(frozen=True, slots=True)
class Explanation:
    """The derivation trace and properties of one code point."""

    codepoint: str
    name: str
    derived_property: str
    derivation: tuple[str, ...]  # the RFC 5892 §3 tests in order, the last one fired
    context_rule: str | None
    general_category: str
    script: str
    script_extensions: tuple[str, ...]
    bidi_class: str
    joining_type: str
    combining_class: int
    uts46_status: str
    uts46_mapping: str | None
    uts46_idna2008: str
    unicode_version: str

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in ((s, getattr(self, s)) for s in self.__slots__)}


def parse_codepoint(spec: str | int) -> int:
    """Accept 0xDF, "U+00DF", "u+df", "00DF" or the character itself."""
    if isinstance(spec, int):
        cp = spec
    elif len(spec) == 1:
        cp = ord(spec)
    elif len(spec) > 32:  # no spelling of a code point is this long; refuse before any parsing
        raise IdnkitError(f"{spec[:20]!r}… ({len(spec)} characters) is not a code point like U+00DF")
    else:
        text = spec.strip()
        for prefix in ("U+", "u+", "0x", "0X", "\\u", "\\U"):
            if text.startswith(prefix):
                text = text[len(prefix) :]
                break
        try:
            cp = int(text, 16)
        except ValueError:
            raise IdnkitError(f"{spec!r} is neither a single character nor a code point like U+00DF") from None
    if not 0 <= cp <= 0x10FFFF:
        raise IdnkitError(f"{spec!r} is outside the Unicode code space U+0000..U+10FFFF")
    return cp


def explain(cp: str | int) -> Explanation:
    """Explain a code point: ``explain("ß")``, ``explain("U+00DF")`` or ``explain(0xDF)``.

    >>> explain("U+00DF").derived_property
    'PVALID'
    >>> explain("A").derivation[-1]
    'Unstable (RFC 5892 §2.2): yes -> DISALLOWED'
    """
    value = parse_codepoint(cp)
    prop = DERIVED_PROPERTY[value]
    fired = DERIVATION[value]
    trace = []
    for letter, step in _STEPS:
        if letter == fired:
            trace.append(f"{step}: yes -> {prop}" if letter != "-" else f"{step} -> {prop}")
            break
        trace.append(f"{step}: no")
    rule = CONTEXT_RULES.get(value)
    return Explanation(
        codepoint=f"U+{value:04X}",
        name=char_name(value),
        derived_property=prop,
        derivation=tuple(trace),
        context_rule=f"{rule.rule_id} ({RULES[rule.rule_id].source})" if rule else None,
        general_category=GENERAL_CATEGORY[value],
        script=SCRIPT[value],
        script_extensions=script_extensions(value),
        bidi_class=BIDI_CLASS[value],
        joining_type=JOINING_TYPE[value],
        combining_class=COMBINING_CLASS[value],
        uts46_status=UTS46_STATUS[value],
        uts46_mapping=UTS46_MAPPING[value],
        uts46_idna2008=UTS46_IDNA2008[value],
        unicode_version=UNICODE_VERSION,
    )
