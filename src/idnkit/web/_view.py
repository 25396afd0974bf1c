"""What the templates show, computed here so that templates hold only loops and escaping.

A name is hostile input: nothing here builds markup.  Characters become :class:`Char` records the
templates print through Jinja2's autoescaping; invisible ones get a visible marker, because a
ZERO WIDTH JOINER a clerk cannot see is a ZERO WIDTH JOINER a clerk cannot judge (UTS #39 §3.1,
Default_Ignorable_Code_Point; RFC 5892 Appendix A.1-A.2 for ZWNJ/ZWJ).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..unicode import GENERAL_CATEGORY, char_name

# Short visible markers for the characters that render as nothing (or as a blank) in a browser.
_MARKERS: dict[int, str] = {
    0x00AD: "SHY",
    0x034F: "CGJ",
    0x061C: "ALM",
    0x180E: "MVS",
    0x200B: "ZWSP",
    0x200C: "ZWNJ",
    0x200D: "ZWJ",
    0x200E: "LRM",
    0x200F: "RLM",
    0x202A: "LRE",
    0x202B: "RLE",
    0x202C: "PDF",
    0x202D: "LRO",
    0x202E: "RLO",
    0x2060: "WJ",
    0x2066: "LRI",
    0x2067: "RLI",
    0x2068: "FSI",
    0x2069: "PDI",
    0xFEFF: "BOM",
}


def marker(cp: int) -> str | None:
    """The visible marker of an invisible code point, or None for one that shows itself."""
    if cp in _MARKERS:
        return _MARKERS[cp]
    if 0xFE00 <= cp <= 0xFE0F:  # VARIATION SELECTOR-1..16
        return f"VS{cp - 0xFE00 + 1}"
    if 0xE0100 <= cp <= 0xE01EF:  # VARIATION SELECTOR-17..256
        return f"VS{cp - 0xE0100 + 17}"
    category = GENERAL_CATEGORY[cp]
    if category in {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}:
        return f"U+{cp:04X}"
    return None


def codepoint_name(cp: int) -> str:
    """The character's Unicode name, or ``<category>`` for one without (controls, unassigned)."""
    return char_name(cp)


@dataclass(frozen=True, slots=True)
class Char:
    """One code point of a label as the page shows it."""

    position: int  # 1-based, as findings count (RFC 5891 §5.4 messages and idnkit's Finding.position)
    char: str
    codepoint: str  # U+XXXX
    name: str
    marker: str | None  # the visible stand-in of an invisible character
    flagged: bool  # a finding names this position
    mark: bool  # a combining mark: shown alone (the code point table) on U+25CC DOTTED CIRCLE, as Unicode charts do


def characters(label: str, flagged: Iterable[int] = ()) -> list[Char]:
    """The code points of ``label`` with the 1-based positions in ``flagged`` highlighted."""
    hits = set(flagged)
    out = []
    for i, c in enumerate(label, 1):
        cp = ord(c)
        out.append(
            Char(
                position=i,
                char=c,
                codepoint=f"U+{cp:04X}",
                name=codepoint_name(cp),
                marker=marker(cp),
                flagged=i in hits,
                mark=GENERAL_CATEGORY[cp].startswith("M"),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class FindingView:
    """A finding as the check page lists it: the record's fields plus what the clerk should do."""

    engine: str
    rule: str
    severity: str
    source: str
    label: int | None
    position: int | None
    codepoint: str | None
    character: str | None
    name: str | None
    message: str
    advice: str


def _codepoint(text: str | None) -> int | None:
    if not text or not text.startswith("U+"):
        return None
    try:
        return int(text[2:], 16)
    except ValueError:
        return None


def advice(finding: Mapping[str, Any], _: Callable[[str], str]) -> str:
    """A sentence a clerk can act on, chosen by the rule's family (the message says why; this says what to do)."""
    rule = str(finding.get("rule") or "")
    error = finding.get("severity") == "error"
    if rule.startswith(("rfc5892.contextj", "rfc5892.contexto")):
        return _("Allowed only beside certain characters: ask the registrant to remove it or fix its neighbours.")
    if rule.startswith(("rfc5892.", "uts46.disallowed", "policy.idna")):
        return _("Refuse the name as spelled: ask the registrant to remove or replace the highlighted character.")
    if rule.startswith("rfc5893."):
        return _(
            "Right-to-left and left-to-right characters are mixed in a way RFC 5893 forbids: ask for another spelling."
        )
    if "hyphen" in rule:
        return _("Move or remove the hyphen at the highlighted position.")
    if "length" in rule or rule.startswith("rfc1035"):
        return _("The name is too long or too short for the registry: ask for another length.")
    if rule.startswith(("policy.script", "uts39.restriction", "uts39.mixed")):
        return _("The name mixes scripts the registry does not allow together: ask for one script.")
    if rule.startswith(("policy.table", "rfc7940.")):
        return _("The registry's character table does not allow this here: refuse or ask for another character.")
    if rule.startswith("policy.registry") or rule.startswith("policy.reserved") or rule.startswith("policy.blocked"):
        return _("The name is reserved, blocked or already taken: refuse it and say why.")
    if rule.startswith("uts39.") or rule.startswith("confusable"):
        return _("Compare the name with look-alikes before approving it.")
    if error:
        return _("Refuse the name as spelled, or ask the registrant to correct it.")
    return _("Nothing here refuses the name; note it in the file.")


def finding_views(findings: Iterable[Mapping[str, Any]], _: Callable[[str], str]) -> list[FindingView]:
    out = []
    for f in findings:
        if "rule_id" in f:  # an LGR finding (RFC 7940 §7): its rule id is rule_id, "rule" names the LGR's rule
            f = {
                **f,
                "rule": f["rule_id"],
                "severity": "error",
                "engine": "lgr",
                "source": "RFC 7940 §7" + (f" ({f['rule']})" if f.get("rule") else ""),
            }
        cp = _codepoint(f.get("codepoint"))
        out.append(
            FindingView(
                engine=str(f.get("engine") or ""),
                rule=str(f.get("rule") or ""),
                severity=str(f.get("severity") or ""),
                source=str(f.get("source") or ""),
                label=f.get("label"),
                position=f.get("position"),
                codepoint=f.get("codepoint"),
                character=(marker(cp) or chr(cp)) if cp is not None else None,
                name=codepoint_name(cp) if cp is not None else None,
                message=str(f.get("message") or ""),
                advice=advice(f, _),
            )
        )
    return out
