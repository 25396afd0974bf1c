"""RFC 5892 Appendix A: the contextual rules for CONTEXTJ and CONTEXTO code points.

Each rule takes the label's code points and the 0-based index of the code point under test and
answers whether its context allows it.  Rules are looked up by code point; a CONTEXTJ or CONTEXTO
code point without a rule is treated as DISALLOWED (RFC 5891 §4.2.3.3, §5.4).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..unicode import COMBINING_CLASS, JOINING_TYPE, SCRIPT, VIRAMA

ZWNJ, ZWJ = 0x200C, 0x200D


def _after_virama(cps: Sequence[int], i: int) -> bool:
    # "If Canonical_Combining_Class(Before(cp)) .eq. Virama Then True"
    return i > 0 and COMBINING_CLASS[cps[i - 1]] == VIRAMA


def _zwnj(cps: Sequence[int], i: int) -> bool:
    # A.1: virama before, or the regular expression
    # (Joining_Type:{L,D})(Joining_Type:T)*\u200C(Joining_Type:T)*(Joining_Type:{R,D})
    if _after_virama(cps, i):
        return True
    j = i - 1
    while j >= 0 and JOINING_TYPE[cps[j]] == "T":
        j -= 1
    if j < 0 or JOINING_TYPE[cps[j]] not in ("L", "D"):
        return False
    j = i + 1
    while j < len(cps) and JOINING_TYPE[cps[j]] == "T":
        j += 1
    return j < len(cps) and JOINING_TYPE[cps[j]] in ("R", "D")


def _middle_dot(cps: Sequence[int], i: int) -> bool:
    # A.3: between two U+006C LATIN SMALL LETTER L ("l·l", Catalan)
    return 0 < i < len(cps) - 1 and cps[i - 1] == 0x6C and cps[i + 1] == 0x6C


def _keraia(cps: Sequence[int], i: int) -> bool:
    # A.4: Script(After(cp)) .eq. Greek
    return i + 1 < len(cps) and SCRIPT[cps[i + 1]] == "Grek"


def _after_hebrew(cps: Sequence[int], i: int) -> bool:
    # A.5, A.6: Script(Before(cp)) .eq. Hebrew
    return i > 0 and SCRIPT[cps[i - 1]] == "Hebr"


def _katakana_middle_dot(cps: Sequence[int], i: int) -> bool:
    # A.7: some code point of the label has Script Hiragana, Katakana or Han.  U+30FB itself is
    # Script=Common, so it never satisfies the rule on its own.
    return any(SCRIPT[cp] in ("Hira", "Kana", "Hani") for cp in cps)


def _arabic_indic(cps: Sequence[int], i: int) -> bool:
    # A.8: no Extended Arabic-Indic digit (06F0..06F9) anywhere in the label
    return not any(0x06F0 <= cp <= 0x06F9 for cp in cps)


def _extended_arabic_indic(cps: Sequence[int], i: int) -> bool:
    # A.9: no Arabic-Indic digit (0660..0669) anywhere in the label
    return not any(0x0660 <= cp <= 0x0669 for cp in cps)


@dataclass(frozen=True, slots=True)
class ContextRule:
    rule_id: str
    test: Callable[[Sequence[int], int], bool]
    explanation: str  # what the context must be, for messages
    label_wide: bool = False  # the verdict depends on the whole label, not on the position (A.7-A.9)


def holds(rule: ContextRule, cps: Sequence[int], i: int, memo: dict[str, bool]) -> bool:
    """``rule.test(cps, i)``, with label-wide rules evaluated once per label (``memo`` is per label).

    A.7-A.9 scan the whole label; testing them at every occurrence made a label of n such code
    points cost n² steps.
    """
    if not rule.label_wide:
        return rule.test(cps, i)
    verdict = memo.get(rule.rule_id)
    if verdict is None:
        verdict = memo[rule.rule_id] = rule.test(cps, i)
    return verdict


_ZWNJ_RULE = ContextRule(
    "rfc5892.contextj.zwnj",
    _zwnj,
    "it must follow a virama or stand between a left-joining and a right-joining letter (as in Persian)",
)
_ZWJ_RULE = ContextRule("rfc5892.contextj.zwj", _after_virama, "it must follow a virama")

CONTEXT_RULES: dict[int, ContextRule] = {
    ZWNJ: _ZWNJ_RULE,
    ZWJ: _ZWJ_RULE,
    0x00B7: ContextRule(
        "rfc5892.contexto.middle_dot", _middle_dot, "it is allowed only between two 'l' (as in Catalan \"l·l\")"
    ),
    0x0375: ContextRule("rfc5892.contexto.keraia", _keraia, "it must be followed by a Greek character"),
    0x05F3: ContextRule("rfc5892.contexto.geresh", _after_hebrew, "it must follow a Hebrew character"),
    0x05F4: ContextRule("rfc5892.contexto.gershayim", _after_hebrew, "it must follow a Hebrew character"),
    0x30FB: ContextRule(
        "rfc5892.contexto.katakana_middle_dot",
        _katakana_middle_dot,
        "the label must also contain a Hiragana, Katakana or Han character",
        label_wide=True,
    ),
    **{
        cp: ContextRule(
            "rfc5892.contexto.arabic_indic_digits",
            _arabic_indic,
            "Arabic-Indic digits (U+0660..U+0669) must not be mixed with Extended Arabic-Indic digits (U+06F0..U+06F9)",
            label_wide=True,
        )
        for cp in range(0x0660, 0x066A)
    },
    **{
        cp: ContextRule(
            "rfc5892.contexto.extended_arabic_indic_digits",
            _extended_arabic_indic,
            "Extended Arabic-Indic digits (U+06F0..U+06F9) must not be mixed with Arabic-Indic digits (U+0660..U+0669)",
            label_wide=True,
        )
        for cp in range(0x06F0, 0x06FA)
    },
}
