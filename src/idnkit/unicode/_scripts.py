"""UTS #39 §5.1–§5.2 script sets and restriction levels, and the mixed-script warning built on them.

Apart from :mod:`idnkit.confusables` (which re-exports all of it) so that the mixed-script check
``idncheck`` runs on every name needs only the Script_Extensions table: the confusables
prototypes are never loaded for it, and the identifier-status table only for a label that
actually mixes scripts (issue 16, start-up).

>>> sorted(resolved_script_set("漢字かな"))
['Jpan']
>>> mixed_script_finding("東京abc") is None
True
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence

from ..findings import Finding, Severity, format_cp
from . import SCRIPT, _table_module, script_extensions, script_name
from ._ranges import RangeMap


def _allowed() -> tuple[Sequence[int], Sequence[bool]]:
    data = _table_module("identifier")  # tools/gen_confusables.py, UTS #39 §3.1
    return data.ALLOWED_STARTS, data.ALLOWED_VALUES


# Identifier_Status Allowed (True) or Restricted, per code point: loaded on the first label that
# needs it (a single-script label never does).
ALLOWED: RangeMap[bool] = RangeMap.lazy(_allowed)


# Every script value of the tables, plus the §5.1 augmented sets; Common, Inherited and Unknown are
# not scripts of their own: a character of Common or Inherited belongs to ALL scripts.
ALL_SCRIPTS: frozenset[str] = frozenset(
    {s for s in SCRIPT.values if s not in ("Zyyy", "Zinh", "Zzzz")} | {"Hanb", "Jpan", "Kore"}
)
# §5.1: "Hani" -> {Hani, Hanb, Jpan, Kore}, "Hira"/"Kana" -> +Jpan, "Hang" -> +Kore, "Bopo" -> +Hanb.
_LATIN = frozenset({"Latn"})
_AUGMENT = {
    "Hani": ("Hanb", "Jpan", "Kore"),
    "Hira": ("Jpan",),
    "Kana": ("Jpan",),
    "Hang": ("Kore",),
    "Bopo": ("Hanb",),
}


@functools.lru_cache(maxsize=8192)  # bounded: the code points of recent labels
def augmented_script_set(cp: int) -> frozenset[str]:
    """§5.1: Script_Extensions of ``cp`` augmented with Hanb/Jpan/Kore; Common and Inherited are ALL."""
    scx = script_extensions(cp)
    if "Zyyy" in scx or "Zinh" in scx:
        return ALL_SCRIPTS
    out = set(scx)
    for s in scx:
        out.update(_AUGMENT.get(s, ()))
    return frozenset(out)


def resolved_script_set(s: str, *, without: str | None = None) -> frozenset[str]:
    """§5.1 resolved script set: the intersection of the augmented script sets of every character.

    Empty means mixed-script; :data:`ALL_SCRIPTS` means no character belongs to a particular
    script (digits, hyphen).  ``without`` treats every character of that script as ALL, as §5.2
    does with Latin for the highly and moderately restrictive levels.

    >>> sorted(resolved_script_set("漢字かな"))
    ['Jpan']
    >>> resolved_script_set("pаypal")  # Latin p, Cyrillic а
    frozenset()
    """
    if s.isascii():  # ASCII letters are Latin, everything else in ASCII is Common
        return _LATIN if without != "Latn" and any(ch.isalpha() for ch in s) else ALL_SCRIPTS
    result = ALL_SCRIPTS
    for ch in s:
        scripts = augmented_script_set(ord(ch))
        if without is not None and without in scripts:
            continue
        result = result & scripts
        if not result:
            break
    return result


# ---------------------------------------------------------------------------------------------
# UTS #39 §5.2 restriction levels


class RestrictionLevel(enum.IntEnum):
    """UTS #39 §5.2, most to least restrictive."""

    ASCII_ONLY = 1
    SINGLE_SCRIPT = 2
    HIGHLY_RESTRICTIVE = 3
    MODERATELY_RESTRICTIVE = 4
    MINIMALLY_RESTRICTIVE = 5
    UNRESTRICTED = 6

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


# §5.2 moderately restrictive: Latin plus one other Recommended script "except Cyrillic, Greek".
# Cherokee is excluded too since UTS #39 version 9 (and by ICU).
_NOT_MODERATE = frozenset({"Cyrl", "Grek", "Cher"})


def restriction_level(s: str) -> RestrictionLevel:
    """UTS #39 §5.2 restriction level of ``s`` with the General Security Profile as identifier profile.

    >>> restriction_level("bücher").name, restriction_level("東京abc").name
    ('SINGLE_SCRIPT', 'HIGHLY_RESTRICTIVE')
    """
    if s.isascii() and all(ALLOWED[ord(c)] for c in s):
        return RestrictionLevel.ASCII_ONLY
    if not all(ALLOWED[ord(c)] for c in s):
        return RestrictionLevel.UNRESTRICTED
    if resolved_script_set(s):
        return RestrictionLevel.SINGLE_SCRIPT
    # Covered by Latin plus something: resolve with every Latin character counted as ALL.
    rest = resolved_script_set(s, without="Latn")
    if rest & {"Hanb", "Jpan", "Kore"}:
        return RestrictionLevel.HIGHLY_RESTRICTIVE
    if rest and not rest & _NOT_MODERATE:
        return RestrictionLevel.MODERATELY_RESTRICTIVE
    return RestrictionLevel.MINIMALLY_RESTRICTIVE


def script_groups(s: str) -> dict[str, tuple[int, ...]]:
    """The positions (1-based) of the characters of each particular script in ``s``, by Script value.

    Characters whose Script is Common or Inherited (digits, hyphen, most combining marks) belong to
    no group: UTS #39 §5.1 counts them with every script.

    >>> script_groups("pаypal")
    {'Latn': (1, 3, 4, 5, 6), 'Cyrl': (2,)}
    """
    groups: dict[str, list[int]] = {}
    for position, ch in enumerate(s, 1):
        code = SCRIPT[ord(ch)]
        if code not in ("Zyyy", "Zinh", "Zzzz"):
            groups.setdefault(code, []).append(position)
    return {code: tuple(positions) for code, positions in groups.items()}


_SHOWN_PER_SCRIPT = 6  # characters named per script in a message; the positions say the rest


def _group_text(s: str, code: str, positions: tuple[int, ...], *, detailed: bool) -> str:
    if detailed:  # the rarer scripts: each character with its code point and position
        chars = [f"{s[p - 1]} {format_cp(ord(s[p - 1]))} at {p}" for p in positions[:_SHOWN_PER_SCRIPT]]
    else:
        chars = [s[p - 1] for p in positions[:_SHOWN_PER_SCRIPT]]
    more = f", and {len(positions) - _SHOWN_PER_SCRIPT} more" if len(positions) > _SHOWN_PER_SCRIPT else ""
    return f"{script_name(code)} ({', '.join(chars)}{more})"


def mixed_script_finding(label: str, label_index: int | None = None) -> Finding | None:
    """A warning when ``label`` mixes scripts beyond what UTS #39 §5.2 calls highly restrictive.

    Latin with Han and Kana (Japanese), with Han and Bopomofo, or with Hangul is the ordinary
    writing of those languages and passes; Latin with Cyrillic, say, is the classic look-alike.  The
    message names every script with its characters; the position is the first character of the
    least used script, the one a clerk should look at.

    >>> print(mixed_script_finding("pаypal").message.replace(": ", ":\\n"))
    the label mixes Latin (p, y, p, a, l) and Cyrillic (а U+0430 at 2):
    mixed scripts make look-alikes (minimally-restrictive)
    >>> mixed_script_finding("東京abc") is None
    True
    """
    if label.isascii() or resolved_script_set(label):
        return None
    level = restriction_level(label)
    if level <= RestrictionLevel.HIGHLY_RESTRICTIVE:
        return None
    groups = script_groups(label)
    if len(groups) < 2:  # mixed through Script_Extensions alone, e.g. a Han mark in a Latin word
        return None
    # Most used script first; ties keep the order of first appearance.
    ordered = sorted(groups.items(), key=lambda item: -len(item[1]))
    texts = [_group_text(label, code, positions, detailed=i > 0) for i, (code, positions) in enumerate(ordered)]
    listed = texts[0] + (" and " + texts[1] if len(texts) == 2 else ", " + ", ".join(texts[1:-1]) + " and " + texts[-1])
    first = ordered[-1][1][0]
    return Finding(
        "uts39.mixed_script",
        f"the label mixes {listed}: mixed scripts make look-alikes ({level.label})",
        first,
        format_cp(ord(label[first - 1])),
        label_index,
        Severity.WARNING,
    )
