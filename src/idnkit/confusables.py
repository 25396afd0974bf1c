"""UTS #39 Unicode Security Mechanisms: skeletons, script sets, restriction levels, confusables.

Everything here follows UTS #39 (version pinned with the tables, see ``UNICODE_VERSION``) unless a
docstring says it is idnkit's own check:

* :func:`skeleton` — §4, the key of confusable detection;
* :func:`resolved_script_set` — §5.1 with augmented script sets (Hanb, Jpan, Kore);
* :func:`restriction_level` — §5.2; :func:`mixed_numbers` — §5.3; mark checks — §5.4;
* :func:`confusable` — §4 single-script / mixed-script / whole-script confusables;
* :func:`mark_folded_skeleton` and :func:`whole_script_confusables` — idnkit's own, beyond UTS #39
  (a look-alike that differs only in diacritics, and a label that is confusable on its own with a
  string of another script, such as Cyrillic "раураӏ" for Latin "paypal").

>>> skeleton("раураӏ") == skeleton("paypal")
True
>>> confusable("раураӏ", "paypal")
<ConfusableKind.WHOLE_SCRIPT: 'whole-script'>
>>> restriction_level("paypal"), restriction_level("pаypal").name
(<RestrictionLevel.ASCII_ONLY: 1>, 'MINIMALLY_RESTRICTIVE')
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import unicodedata2

from .findings import Finding, Severity, format_cp
from .idna import _native
from .unicode import (
    BIDI_CLASS,
    DERIVED_PROPERTY,
    GENERAL_CATEGORY,
    SCRIPT,
    UNICODE_VERSION,
    describe,
    script_name,
)
from .unicode._data import confusables as _conf
from .unicode._ranges import RangeMap
from .unicode._scripts import (
    ALL_SCRIPTS,
    RestrictionLevel,
    augmented_script_set,
    resolved_script_set,
    restriction_level,
)
from .unicode._scripts import ALLOWED as _ALLOWED
from .unicode._scripts import mixed_script_finding as mixed_script_finding
from .unicode._scripts import script_groups as script_groups
from .unicode._uba import display_order, display_orders

__all__ = [
    "ALL_SCRIPTS",
    "UNICODE_VERSION",
    "BidiDirection",
    "ConfusableKind",
    "ConfusablesResult",
    "RestrictionLevel",
    "are_bidi_confusable",
    "augmented_script_set",
    "bidi_skeleton",
    "check_confusables",
    "confusable",
    "hidden_overlay",
    "identifier_status",
    "identifier_type",
    "is_intentional",
    "mark_folded_skeleton",
    "mixed_numbers",
    "overlay_folded",
    "resolved_script_set",
    "restriction_level",
    "skeleton",
    "skeleton_keys",
    "whole_script_confusables",
]

if _conf.UNICODE_VERSION != UNICODE_VERSION:  # pragma: no cover
    raise ImportError(f"UTS #39 tables are {_conf.UNICODE_VERSION}, the UCD tables {UNICODE_VERSION}")

_normalize: Callable[[str, str], str] = unicodedata2.normalize
_DEFAULT_IGNORABLE: RangeMap[bool] = RangeMap(_conf.DEFAULT_IGNORABLE_STARTS, _conf.DEFAULT_IGNORABLE_VALUES)


@functools.cache
def _identifier_tables() -> tuple[RangeMap[tuple[str, ...]], frozenset[tuple[int, int]]]:
    """UTS #39 identifier types and intentional pairs, loaded on first use: skeletons and the checks
    of a name never need them, and the table took a quarter of the start of an audit's worker."""
    from .unicode._data import identifier as ident

    if ident.UNICODE_VERSION != UNICODE_VERSION:  # pragma: no cover
        raise ImportError(f"UTS #39 tables are {ident.UNICODE_VERSION}, the UCD tables {UNICODE_VERSION}")
    return RangeMap(ident.IDENTIFIER_TYPE_STARTS, ident.IDENTIFIER_TYPE_VALUES), frozenset(ident.INTENTIONAL)


def _codepoints(ranges: Iterable[tuple[int, int]]) -> Iterable[int]:
    for first, last in ranges:
        yield from range(first, last + 1)


# UTS #39 §4 skeleton(X): NFD, remove Default_Ignorable_Code_Point, map each character to its
# prototype, NFD again.  Removal and mapping are one str.translate over the NFD form; removal wins
# should a default-ignorable code point ever also have a prototype.
_SKELETON_TABLE: dict[int, str | None] = dict(_conf.PROTOTYPES)
_SKELETON_TABLE.update(dict.fromkeys(_codepoints(_DEFAULT_IGNORABLE.ranges(bool))))
# ASCII fast path: ASCII has no decompositions and no default ignorables, and the generator proves
# every ASCII prototype is already NFD — so the skeleton of ASCII text is a plain mapping.  The
# one-to-one ASCII mappings (0 -> O, 1 -> l, ...) go through bytes.translate, several times faster
# than str.translate with a dict; the few others (m -> rn) are replaced afterwards.  That order is
# sound because prototypes are never sources (the generator proves it).
_ASCII_TABLE = {cp: _conf.PROTOTYPES[cp] for cp in range(0x80) if cp in _conf.PROTOTYPES}
_ASCII_BYTES = bytes(
    ord(_ASCII_TABLE[b]) if b in _ASCII_TABLE and len(_ASCII_TABLE[b]) == 1 and _ASCII_TABLE[b].isascii() else b
    for b in range(256)
)
_ASCII_OTHERS = tuple((chr(b), proto) for b, proto in _ASCII_TABLE.items() if len(proto) != 1 or not proto.isascii())

# idnkit's mark folding removes the nonspacing and enclosing marks of the Inherited script (the
# combining diacritics shared by Latin, Greek, Cyrillic, Arabic harakat...).  Script-specific
# marks (Devanagari vowel signs, Hebrew points) carry meaning and stay.
_FOLDED_MARKS = frozenset(
    cp for cp in _codepoints(GENERAL_CATEGORY.ranges(lambda gc: gc in ("Mn", "Me"))) if SCRIPT[cp] == "Zinh"
)
_STRIP_MARKS: dict[int, None] = dict.fromkeys(_FOLDED_MARKS)
_FOLD_TABLE: dict[int, str | None] = {**_SKELETON_TABLE, **_STRIP_MARKS}


def skeleton(s: str) -> str:
    """UTS #39 §4 ``skeleton(X)``: two strings are confusable exactly when their skeletons are equal.

    >>> skeleton("paypal"), skeleton("rn") == skeleton("m")
    ('paypal', True)
    """
    native = _native.skeleton  # the C skeleton from the same tables (tests/test_native.py holds them equal)
    if native is not None:
        return native(s)
    if s.isascii():
        t = s.encode().translate(_ASCII_BYTES).decode()
        for source, proto in _ASCII_OTHERS:
            if source in t:
                t = t.replace(source, proto)
        return t
    return _normalize("NFD", _normalize("NFD", s).translate(_SKELETON_TABLE))


_ASCII_OTHER_BYTES = tuple((source.encode(), proto.encode()) for source, proto in _ASCII_OTHERS)
# The same mapping as one byte string per ASCII byte (the audit's native batch path concatenates
# them): sound because no prototype is a source, so the replacements above never meet each other.
_ASCII_SKELETON_TABLE: tuple[bytes, ...] = tuple(
    _ASCII_TABLE[b].encode() if b in _ASCII_TABLE else bytes([b]) for b in range(0x80)
)


def _ascii_skeleton_bytes(b: bytes) -> bytes:
    """``skeleton(b.decode()).encode()`` for ASCII ``b``, without leaving bytes (the zone audit's hot path)."""
    t = b.translate(_ASCII_BYTES)
    for source, proto in _ASCII_OTHER_BYTES:
        if source in t:
            t = t.replace(source, proto)
    return t


def _ascii_skeleton_batch(names: list[bytes]) -> list[bytes]:
    """:func:`_ascii_skeleton_bytes` of each of ``names`` (ASCII, no newline), in one pass over them all.

    The ASCII skeleton maps byte by byte and replaces single bytes, none of them a newline, by
    sequences without one (tests/test_confusables.py checks it): names joined by newlines can be
    mapped at once and split again.
    """
    return _ascii_skeleton_bytes(b"\n".join(names)).split(b"\n") if names else []


def mark_folded_skeleton(s: str) -> str:
    """idnkit's mark-folded skeleton: the skeleton with Inherited combining marks removed.

    Not part of UTS #39: it makes "köhls" collide with "kohls", which UTS #39 does not call
    confusable.  Findings based on it are reported under their own kind (``mark-folded``).

    >>> mark_folded_skeleton("köhls") == skeleton("kohls")
    True
    """
    if s.isascii():
        return skeleton(s)  # no marks in ASCII nor in the prototypes of ASCII
    return _normalize("NFD", _normalize("NFD", s).translate(_FOLD_TABLE)).translate(_STRIP_MARKS)


# ---------------------------------------------------------------------------------------------
# UTS #39 §5.4 hidden overlays

_DOT_ABOVE = "\u0307"
_DOT_LEADS = frozenset(_conf.DOT_OVERLAY_LEADS)
_CCC_230 = 230  # U+0307's combining class: a mark of another class does not hide it or stop it


def _overlay_positions(s: str) -> list[int]:
    """0-based indexes of every U+0307 that §5.4's hidden-overlay test flags in ``s``.

    U+0307 COMBINING DOT ABOVE is hidden when the last character before it of combining class 0
    or 230 is a dot lead (``DOT_OVERLAY_LEADS``: i, j, ı, ȷ, l, Soft_Dotted, and what has one of
    them as the end of its prototype).  Marks of other classes (below, overlay, ogonek) stay out
    of the way: "i" + U+0323 + U+0307 still hides the dot.  Like ICU's SpoofChecker the text is
    read as given, not in NFD (IDNA labels are NFC; no precomposed letter of a label hides one).
    """
    out: list[int] = []
    lead = False
    for i, ch in enumerate(s):
        if ch == _DOT_ABOVE and lead:
            out.append(i)
        ccc = unicodedata2.combining(ch)
        if ccc == 0 or ccc == _CCC_230:
            lead = ord(ch) in _DOT_LEADS
    return out


def hidden_overlay(s: str) -> int | None:
    """UTS #39 §5.4: the 1-based position of the first hidden COMBINING DOT ABOVE, or None.

    >>> hidden_overlay("gmai\u0307l"), hidden_overlay("ża"), hidden_overlay("gmail")
    (5, None, None)
    """
    if _DOT_ABOVE not in s:
        return None
    positions = _overlay_positions(s)
    return positions[0] + 1 if positions else None


def overlay_folded(s: str) -> str:
    """``s`` without its hidden COMBINING DOTs ABOVE (§5.4): the name it is made to look like.

    The collision index keys a name with a hidden overlay under this string's skeleton too, so
    "gmai\u0307l" collides with "gmail".

    >>> overlay_folded("gmai\u0307l")
    'gmail'
    """
    if _DOT_ABOVE not in s:
        return s
    drop = set(_overlay_positions(s))
    return "".join(ch for i, ch in enumerate(s) if i not in drop) if drop else s


# ---------------------------------------------------------------------------------------------
# UTS #39 §4 bidi skeletons

BidiDirection = Literal["ltr", "rtl"]
# Characters that make text right-to-left or reorder it for display: R, AL and AN (RFC 5893's
# "RTL label" classes).  Text without any is shown as stored in a left-to-right paragraph.
_RTL_CLASS = re.compile(
    "["
    + "".join(
        re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else "")
        for first, last in BIDI_CLASS.ranges(lambda v: v in ("R", "AL", "AN"))
    )
    + "]"
)


# No code point below U+0590 has Bidi_Class R, AL or AN (checked in tests/test_bidi_skeleton.py): a
# text below it is left-to-right without a regular-expression scan.
_FIRST_RTL = "\u0590"


def _direction(direction: str) -> bool:
    if direction not in ("ltr", "rtl"):
        raise ValueError(f"direction must be 'ltr' or 'rtl', not {direction!r}")
    return direction == "rtl"


def bidi_skeleton(direction: BidiDirection, s: str) -> str:
    """UTS #39 §4 ``bidiSkeleton(D, X)``: the skeleton of ``s`` as displayed, in visual order, in a
    paragraph of direction ``direction`` (UAX #9 reordering with mirroring, combining marks kept
    after their base; :mod:`idnkit.unicode._uba` says which rules run).

    Right-to-left text next to digits and Latin can look like another string once reordered: in a
    left-to-right paragraph "\u05d01" (alef, one) is shown as "1\u05d0" is, digit first.

    >>> bidi_skeleton("ltr", "paypal") == skeleton("paypal")
    True
    >>> bidi_skeleton("rtl", "A1<\u05e9") == "\u05e9>Al"
    True
    """
    rtl = _direction(direction)
    if not rtl and (s.isascii() or _RTL_CLASS.search(s) is None):
        return skeleton(s)  # nothing to reorder in a left-to-right paragraph
    return skeleton(display_order(s, rtl))


def are_bidi_confusable(direction: BidiDirection, a: str, b: str) -> ConfusableKind | None:
    """UTS #39 §4 bidi confusability: equal :func:`bidi_skeleton` in that direction, classified as
    :func:`confusable` classifies (single-, mixed-, whole-script by the strings' script sets).

    >>> are_bidi_confusable("ltr", "\u05d01", "1\u05d0").value, confusable("\u05d01", "1\u05d0")
    ('single-script', None)
    """
    if bidi_skeleton(direction, a) != bidi_skeleton(direction, b):
        return None
    return classify(a, b)


RTL_KEY_TAG = "\u2067"  # starts the key of a right-to-left-paragraph bidi skeleton (skeleton_keys)


def has_rtl(s: str) -> bool:
    """Does ``s`` hold a right-to-left character or Arabic digit (Bidi_Class R, AL or AN)?"""
    return not s.isascii() and _RTL_CLASS.search(s) is not None


def skeleton_keys(s: str) -> tuple[str, ...]:
    """The confusable-collision keys of ``s``: its skeleton (UTS #39 §4); the skeleton of the name
    its hidden overlays make it look like (§5.4), when it has any; and for a name holding
    right-to-left text its bidi skeletons in a left-to-right and (tagged with :data:`RTL_KEY_TAG`,
    so that it meets only other right-to-left-paragraph keys) a right-to-left paragraph (§4).

    Two names collide when they share a key: "gmai\u0307l" has the keys of itself and of "gmail".
    A name without right-to-left characters shows as stored in a left-to-right paragraph (its LTR
    bidi skeleton is its skeleton), so it is keyed by that alone; an ASCII name has exactly one
    key, its skeleton, and pays nothing more.

    >>> skeleton_keys("gmai\u0307l") == (skeleton("gmai\u0307l"), skeleton("gmail"))
    True
    >>> skeleton_keys("A1<\u05e9") == ("Al<\u05e9", RTL_KEY_TAG + "\u05e9>Al")
    True
    """
    key = skeleton(s)
    if s.isascii():
        return (key,)
    keys = [key]
    if _DOT_ABOVE in s:
        folded = overlay_folded(s)
        if folded != s:
            keys.append(skeleton(folded))
    if max(s) >= _FIRST_RTL and _RTL_CLASS.search(s) is not None:
        ltr_order, rtl_order = display_orders(s)
        ltr = skeleton(ltr_order)
        if ltr not in keys:
            keys.append(ltr)
        # ICU's advice on bidiSkeleton: compare LTR skeletons with LTR and RTL with RTL.  An LTR
        # skeleton shares the namespace of plain skeletons (a name without RTL text shows as stored);
        # RTL ones are tagged with U+2067, a default ignorable no skeleton can hold.
        keys.append(RTL_KEY_TAG + skeleton(rtl_order))
    return tuple(keys)


# ---------------------------------------------------------------------------------------------
# UTS #39 §5.1 mixed-script detection


def _scripts_text(scripts: frozenset[str]) -> str:
    return "ALL" if scripts == ALL_SCRIPTS else "{" + ", ".join(sorted(scripts)) + "}"


def _scripts_found(label: str, scripts: frozenset[str]) -> str:
    """``scripts {Latn}`` for a single-script label; a mixed one names the scripts it mixes."""
    if scripts:
        return f"scripts {_scripts_text(scripts)}"
    return "mixes " + ", ".join(script_name(code) for code in script_groups(label))


# ---------------------------------------------------------------------------------------------
# UTS #39 §3.1 identifier status and type, intentional pairs


def identifier_status(cp: int) -> str:
    """``Allowed`` (in the General Security Profile) or ``Restricted`` (UTS #39 §3.1)."""
    return "Allowed" if _ALLOWED[cp] else "Restricted"


def identifier_type(cp: int) -> tuple[str, ...]:
    """UTS #39 §3.1 Identifier_Type values of ``cp`` (e.g. ``('Recommended',)``, ``('Obsolete',)``)."""
    return _identifier_tables()[0][cp]


def is_intentional(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ only by intentional.txt pairs (characters meant to look alike,
    such as Latin A and Greek Alpha), which UTS #39 §4 says to treat as identical where possible.

    >>> is_intentional("A", "\\u0391")
    True
    """
    if len(a) != len(b) or a == b:
        return False
    intentional = _identifier_tables()[1]
    return all(x == y or (min(ord(x), ord(y)), max(ord(x), ord(y))) in intentional for x, y in zip(a, b, strict=True))


# ---------------------------------------------------------------------------------------------
# UTS #39 §5.3 mixed numbers


def mixed_numbers(s: str) -> tuple[int, ...]:
    """§5.3: the zero code points of the decimal-digit systems used in ``s`` (mixed when more than one).

    >>> [hex(z) for z in mixed_numbers("a1\\u0662")]
    ['0x30', '0x660']
    """
    zeros: list[int] = []
    for ch in s:
        if GENERAL_CATEGORY[ord(ch)] == "Nd":
            zero = ord(ch) - unicodedata2.digit(ch)
            if zero not in zeros:
                zeros.append(zero)
    return tuple(zeros)


# ---------------------------------------------------------------------------------------------
# UTS #39 §4 confusable detection


class ConfusableKind(enum.Enum):
    """How two strings are confusable (UTS #39 §4), or idnkit's own mark-folded look-alike."""

    SINGLE_SCRIPT = "single-script"
    MIXED_SCRIPT = "mixed-script"
    WHOLE_SCRIPT = "whole-script"  # mixed-script, and each string is single-script
    MARK_FOLDED = "mark-folded"  # idnkit: equal only once combining marks are folded away


def classify(a: str, b: str) -> ConfusableKind:
    """§4 class of two strings already known to have the same skeleton."""
    ra, rb = resolved_script_set(a), resolved_script_set(b)
    if ra & rb:
        return ConfusableKind.SINGLE_SCRIPT
    if ra and rb:
        return ConfusableKind.WHOLE_SCRIPT
    return ConfusableKind.MIXED_SCRIPT


def confusable(a: str, b: str, *, mark_folded: bool = False) -> ConfusableKind | None:
    """UTS #39 §4: the kind of confusable ``a`` and ``b`` are, or None.

    With ``mark_folded`` (idnkit's own, off by default) strings whose skeletons differ but whose
    mark-folded skeletons agree are reported as :attr:`ConfusableKind.MARK_FOLDED`.

    >>> confusable("paypal", "pаypal").value, confusable("kohls", "köhls")
    ('mixed-script', None)
    >>> confusable("kohls", "köhls", mark_folded=True).value
    'mark-folded'
    """
    if skeleton(a) == skeleton(b):
        return classify(a, b)
    if mark_folded and mark_folded_skeleton(a) == mark_folded_skeleton(b):
        return ConfusableKind.MARK_FOLDED
    return None


# idnkit's single-label whole-script detection.  A string of script T with the same skeleton as the
# label exists when the label's skeleton splits into pieces, each the skeleton of one character of
# T (or of Common/Inherited) that is Allowed (UTS #39 §3.1) and PVALID (RFC 5892): a registrable
# label, not just any string.  Pieces are computed once per target script (a bounded cache).
_PIECES: dict[str, tuple[dict[str, str], int]] = {}


def _pieces(target: str) -> tuple[dict[str, str], int]:
    cached = _PIECES.get(target)
    if cached is not None:
        return cached
    # Exemplar per piece: a character of the target script itself before a Common one, the
    # prototype itself before a look-alike, then the lowest code point (deterministic examples).
    ranked: dict[str, tuple[bool, bool, int]] = {}
    for cp in _codepoints(_ALLOWED.ranges(bool)):
        if DERIVED_PROPERTY[cp] != "PVALID":
            continue
        scripts = augmented_script_set(cp)
        if target not in scripts:
            continue
        key = skeleton(chr(cp))
        rank = (scripts == ALL_SCRIPTS, chr(cp) != key, cp)
        if key and (key not in ranked or rank < ranked[key]):
            ranked[key] = rank
    pieces = {key: chr(rank[2]) for key, rank in ranked.items()}
    result = (pieces, max(map(len, pieces), default=0))
    _PIECES[target] = result
    return result


def _spell(key: str, target: str, label_scripts: frozenset[str]) -> str | None:
    """A string of ``target`` script whose characters' skeletons concatenate to ``key``, if any.

    The string has at least one character whose augmented script set is not ALL and shares no
    script with ``label_scripts`` (the label's resolved set): so the string's own resolved set is
    disjoint from the label's, as UTS #39 §4 requires of whole- and mixed-script confusables.  A
    spelling made only of Common characters ("0" for Lisu "ꓳ"), or of characters the label's script
    also has (U+0308 has Cyrl among its Script_Extensions), would be a single-script confusable.
    """
    pieces, longest = _pieces(target)
    n = len(key)
    # back[j][own]: (i, own before, exemplar) for the first split found of key[:j], ``own`` telling
    # whether such a character is used; linear in len(key) * longest.
    back: list[list[tuple[int, bool, str] | None]] = [[None, None] for _ in range(n + 1)]
    back[0][False] = (0, False, "")
    for i in range(n):
        for own in (False, True):
            if back[i][own] is None:
                continue
            for j in range(i + 1, min(n, i + longest) + 1):
                exemplar = pieces.get(key[i:j])
                if exemplar is None:
                    continue
                if own:
                    now = True
                else:
                    sets = augmented_script_set(ord(exemplar))
                    now = sets != ALL_SCRIPTS and not sets & label_scripts
                if back[j][now] is None:
                    back[j][now] = (i, own, exemplar)
    if back[n][True] is None:
        return None
    parts: list[str] = []
    j, own = n, True
    while j:
        step = back[j][own]
        assert step is not None
        j, own, exemplar = step
        parts.append(exemplar)
    return "".join(reversed(parts))


def whole_script_confusables(label: str, targets: Iterable[str] = ("Latn",)) -> dict[str, str]:
    """idnkit's own check: for each target script the label is not written in, an example string of
    that script with the same skeleton (UTS #39 §4 whole- or mixed-script confusable), if one exists.

    >>> whole_script_confusables("раураӏ")
    {'Latn': 'paypal'}
    >>> whole_script_confusables("москва")
    {}
    """
    scripts = resolved_script_set(label)
    if scripts == ALL_SCRIPTS:
        return {}
    key = skeleton(label)
    out: dict[str, str] = {}
    for target in targets:
        if target in scripts:
            continue
        example = _spell(key, target, scripts)
        if example is not None and example != label:
            out[target] = example
    return out


# ---------------------------------------------------------------------------------------------
# check_confusables: every UTS #39 finding for one label


@dataclass(frozen=True, slots=True)
class ConfusablesResult:
    """UTS #39 view of one label: its keys, scripts, level and every finding."""

    label: str
    skeleton: str
    mark_folded_skeleton: str
    scripts: frozenset[str]
    restriction_level: RestrictionLevel
    findings: tuple[Finding, ...] = ()
    confusable_with: tuple[tuple[str, str], ...] = ()  # (target script, example string)

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "skeleton": self.skeleton,
            "mark_folded_skeleton": self.mark_folded_skeleton,
            "scripts": "ALL" if self.scripts == ALL_SCRIPTS else sorted(self.scripts),
            "restriction_level": self.restriction_level.label,
            "confusable_with": [{"script": s, "example": e} for s, e in self.confusable_with],
            "findings": [f.to_dict() for f in self.findings],
        }


def _finding(rule: str, message: str, position: int | None = None, cp: int | None = None) -> Finding:
    return Finding(rule, message, position, None if cp is None else format_cp(cp), None, Severity.WARNING)


_MAX_MARKS = 4  # §5.4: "more than 4 nonspacing marks"


def _mark_findings(label: str) -> list[Finding]:
    """§5.4 optional checks on the NFD form: a repeated nonspacing mark, more than four in a row.

    Positions are 1-based in the label; a mark that NFD split off a precomposed letter is reported
    at that letter.
    """
    findings: list[Finding] = []
    run: set[int] = set()  # code points of the current run of Mn/Me
    repeated: set[int] = set()
    run_length = 0
    run_pos = 0
    too_many_reported = False
    for position, ch in enumerate(label, 1):
        for c in _normalize("NFD", ch):
            cp = ord(c)
            if GENERAL_CATEGORY[cp] in ("Mn", "Me"):
                if not run_length:
                    too_many_reported = False
                    run_pos = position
                if cp in run and cp not in repeated:
                    repeated.add(cp)  # once per mark and run: a long stack is one finding, not thousands
                    findings.append(
                        _finding(
                            "uts39.repeated_mark",
                            f"{describe(cp)} is repeated on one base character (UTS #39 §5.4)",
                            position,
                            cp,
                        )
                    )
                run.add(cp)
                run_length += 1
                if run_length > _MAX_MARKS and not too_many_reported:
                    too_many_reported = True
                    findings.append(
                        _finding(
                            "uts39.too_many_marks",
                            f"more than {_MAX_MARKS} nonspacing marks in a row from position {run_pos} (UTS #39 §5.4)",
                            position,
                            cp,
                        )
                    )
            else:
                run, repeated = set(), set()
                run_length = 0
    return findings


def check_confusables(
    label: str,
    *,
    max_level: RestrictionLevel = RestrictionLevel.HIGHLY_RESTRICTIVE,
    targets: Iterable[str] = ("Latn",),
    whole_script: bool = True,
) -> ConfusablesResult:
    """Every UTS #39 finding for one label (warnings: the label may still be valid IDNA2008).

    * ``uts39.restricted`` — a code point outside the General Security Profile (§3.1);
    * ``uts39.restriction_level`` — the label is less restrictive than ``max_level`` (§5.2);
    * ``uts39.mixed_numbers`` — digits from more than one decimal system (§5.3);
    * ``uts39.repeated_mark`` / ``uts39.too_many_marks`` — the §5.4 optional checks;
    * ``uts39.hidden_overlay`` — §5.4: a COMBINING DOT ABOVE hidden in an i, j, l or look-alike;
    * ``uts39.whole_script_confusable`` / ``uts39.mixed_script_confusable`` — idnkit's own: a
      string in one of ``targets`` has the same skeleton (off with ``whole_script=False``).

    >>> [f.rule for f in check_confusables("раураӏ").findings]
    ['uts39.whole_script_confusable']
    """
    findings: list[Finding] = []
    for position, ch in enumerate(label, 1):
        cp = ord(ch)
        if not _ALLOWED[cp]:
            types = " ".join(identifier_type(cp))
            findings.append(
                _finding(
                    "uts39.restricted",
                    f"{describe(cp)} is Restricted ({types}) in the General Security Profile (UTS #39 §3.1)",
                    position,
                    cp,
                )
            )
    level = restriction_level(label)
    scripts = resolved_script_set(label)
    if level > max_level:
        findings.append(
            _finding(
                "uts39.restriction_level",
                f"the label is {level.label} ({_scripts_found(label, scripts)}); at most {max_level.label} "
                "is accepted (UTS #39 §5.2)",
            )
        )
    zeros = mixed_numbers(label)
    if len(zeros) > 1:
        systems = ", ".join(describe(z) for z in zeros)
        findings.append(_finding("uts39.mixed_numbers", f"digits from more than one system: {systems} (UTS #39 §5.3)"))
    findings.extend(_mark_findings(label))
    overlay = hidden_overlay(label)
    if overlay is not None:
        findings.append(
            _finding(
                "uts39.hidden_overlay",
                f"{describe(0x0307)} at position {overlay} is hidden in the letter before it: the label looks "
                f"like {overlay_folded(label)!r} (UTS #39 §5.4)",
                overlay,
                0x0307,
            )
        )
    examples: dict[str, str] = whole_script_confusables(label, targets) if whole_script else {}
    for target, example in examples.items():
        if scripts:
            findings.append(
                _finding(
                    "uts39.whole_script_confusable",
                    f"the {_scripts_text(scripts)} label looks like the {target} string {example!r} "
                    "(same UTS #39 skeleton)",
                )
            )
        else:
            findings.append(
                _finding(
                    "uts39.mixed_script_confusable",
                    f"the mixed-script label looks like the {target} string {example!r} (same UTS #39 skeleton)",
                )
            )
    return ConfusablesResult(
        label=label,
        skeleton=skeleton(label),
        mark_folded_skeleton=mark_folded_skeleton(label),
        scripts=scripts,
        restriction_level=level,
        findings=tuple(findings),
        confusable_with=tuple(examples.items()),
    )
