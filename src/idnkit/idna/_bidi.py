"""RFC 5893 §2: the Bidi rule, applied to every label of a Bidi domain name."""

from __future__ import annotations

from collections.abc import Sequence

from ..findings import Finding, format_cp
from ..unicode import BIDI_CLASS, RTL_CLASSES, describe

_RTL_ALLOWED = frozenset({"R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"})  # rule 2
_RTL_END = frozenset({"R", "AL", "EN", "AN"})  # rule 3
_LTR_ALLOWED = frozenset({"L", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"})  # rule 5
_LTR_END = frozenset({"L", "EN"})  # rule 6


def is_rtl_label(cps: Sequence[int]) -> bool:
    """RFC 5893 §1.4: a label with at least one R, AL or AN character."""
    return any(BIDI_CLASS[cp] in RTL_CLASSES for cp in cps)


def bidi_findings(
    cps: Sequence[int], label_index: int | None = None, classes: Sequence[str] | None = None
) -> list[Finding]:
    """Every RFC 5893 §2 rule the label breaks (the label must be non-empty).

    ``classes`` are the code points' Bidi classes when the caller has them (the native core
    looks them up for a whole label at once)."""
    if classes is None:
        classes = [BIDI_CLASS[cp] for cp in cps]
    out: list[Finding] = []

    def add(rule: int, i: int, text: str) -> None:
        out.append(
            Finding(
                f"rfc5893.rule{rule}",
                f"{describe(cps[i])} (Bidi class {classes[i]}) {text}",
                i + 1,
                format_cp(cps[i]),
                label_index,
            )
        )

    first = classes[0]
    if first in ("R", "AL"):
        rtl = True
    elif first == "L":
        rtl = False
    else:
        add(
            1,
            0,
            "starts the label; in a name with right-to-left text every label must start with a "
            "left-to-right (L) or right-to-left (R, AL) letter",
        )
        # Rule 1 fixes the direction by the first character; when it cannot, judge the rest of the
        # label by its content so the other rules still report what they find.
        rtl = any(c in RTL_CLASSES for c in classes)
    allowed, end, n_allowed, n_end = (_RTL_ALLOWED, _RTL_END, 2, 3) if rtl else (_LTR_ALLOWED, _LTR_END, 5, 6)
    kind = "right-to-left" if rtl else "left-to-right"
    for i, c in enumerate(classes):
        if c not in allowed:
            add(n_allowed, i, f"is not allowed in a {kind} label")
    last = len(classes) - 1
    while last >= 0 and classes[last] == "NSM":
        last -= 1
    if last < 0 or classes[last] not in end:
        at = max(last, 0)
        ends = "R, AL, EN or AN" if rtl else "L or EN"
        add(
            n_end,
            at,
            f"ends the {kind} label; it must end with a character of class {ends} (then only nonspacing marks)",
        )
    if rtl:
        en = next((i for i, c in enumerate(classes) if c == "EN"), None)
        an = next((i for i, c in enumerate(classes) if c == "AN"), None)
        if en is not None and an is not None:
            add(4, max(en, an), "mixes European digits (EN) and Arabic-Indic digits (AN) in one right-to-left label")
    return out
