"""Should an application show a name's label in Unicode or as its A-label?  The browsers' policies.

Each policy decides label by label, as browsers do, and returns its reasons as findings (warnings:
the name is valid, only its display is at stake).  A label is shown in Unicode when every policy
asked for allows it.  The policies, each cited in full in docs/profiles.md:

* ``uts39`` — UTS #39 §5.2 Restriction-Level Detection at Moderately Restrictive, with §5.3 Mixed
  Number Detection;
* ``firefox`` — Firefox's ``network.IDN.restriction_profile`` ("high", its default, or
  "moderate"): ``nsIDNService::IsLabelSafe`` in netwerk/dns/nsIDNService.cpp (mozilla/gecko-dev
  commit 0888a445), script combinations, character contexts, numbering systems, marks;
* ``chromium`` — Chrome's IDN display policy (docs/idn.md, chromium/chromium commit 778691e, steps
  2-13) as ``IDNSpoofChecker::SafeToDisplayAsUnicode`` implements it
  (components/url_formatter/spoof_checks/idn_spoof_checker.cc, commit 05eaa06): Highly
  Restrictive script mixing, whole-script confusables with the TLD's script, digit look-alikes,
  dangerous patterns, deviation characters, skeleton matches with a list of top domains.

Where a browser uses a hand-made character list (Chromium's Latin and digit look-alikes), idnkit
derives the set from UTS #39 confusables.txt instead, so the sets differ in detail; the lists of
TLDs and of single characters are the browsers' own.  The browsers' built-in character blocklists
(Firefox's IDNCharacterBlocklist.inc) are not reproduced: UTS #39 Identifier_Status stands in.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..findings import Finding, Severity, format_cp
from ..unicode import GENERAL_CATEGORY, SCRIPT, describe, script_extensions

POLICIES = ("uts39", "firefox", "chromium")
FIREFOX_PROFILES = ("high", "moderate")


@dataclass(frozen=True, slots=True)
class Label:
    """One label as the display policies see it: Unicode form, position, and the TLD's two forms."""

    unicode: str
    index: int
    tld: str  # the TLD in ASCII (A-label) form
    tld_unicode: str


def _warn(rule: str, message: str, label: Label, i: int | None = None, policy: str | None = None) -> Finding:
    cp = format_cp(ord(label.unicode[i])) if i is not None else None
    return Finding(rule, message, None if i is None else i + 1, cp, label.index, Severity.WARNING, ref=policy)


# --- UTS #39 -------------------------------------------------------------------------------------


def uts39(label: Label) -> list[Finding]:
    """UTS #39 §5.2 at Moderately Restrictive, and §5.3 (one numbering system)."""
    from ..confusables import RestrictionLevel, mixed_numbers, restriction_level

    out = []
    level = restriction_level(label.unicode)
    if level > RestrictionLevel.MODERATELY_RESTRICTIVE:
        out.append(
            _warn(
                "display.uts39.restriction_level",
                f"the label is {level.label}, less restrictive than moderately-restrictive (UTS #39 §5.2)",
                label,
                policy="uts39",
            )
        )
    zeros = mixed_numbers(label.unicode)
    if len(zeros) > 1:
        systems = ", ".join(describe(z) for z in zeros)
        out.append(
            _warn(
                "display.uts39.mixed_numbers",
                f"digits of several systems: {systems} (UTS #39 §5.3)",
                label,
                policy="uts39",
            )
        )
    return out


# --- shared character tests (each browser cites its own) -------------------------------------------

_LGC = frozenset({"Latn", "Grek", "Cyrl"})
_KANA = frozenset({"Hira", "Kana"})
# Characters that look like a slash or a stroke: Katakana no, so, zo, n and four CJK ideographs
# (Chromium's dangerous patterns and Firefox's isCJKSlashConfusable name the same eight).
_CJK_SLASHES = frozenset("\u30ce\u30bd\u30be\u30f3\u4e36\u4e40\u4e41\u4e3f")


def _script(c: str) -> str:
    return SCRIPT[ord(c)]


def _scx(c: str) -> frozenset[str]:
    return frozenset(script_extensions(ord(c)))


def _unsafe_middle_dot(label: Label) -> int | None:
    """U+00B7 outside Catalan's "l·l" under .cat (both browsers; RFC 5892 Appendix A.3)."""
    text = label.unicode
    for i, c in enumerate(text):
        if c != "\u00b7":
            continue
        if label.tld != "cat" or i == 0 or i == len(text) - 1 or text[i - 1] != "l" or text[i + 1] != "l":
            return i
    return None


def _digit_value_zero(c: str) -> int:
    return ord(c) - unicodedata.digit(c)


# --- Firefox -------------------------------------------------------------------------------------

# nsIDNService's script classes and how a label's scripts may combine (its scriptComboTable): a
# saved class meets the class of the next script that differs from the previous one.  Han with
# Hiragana/Katakana is Japanese, with Bopomofo Chinese, with Hangul Korean; Latin joins each; any
# other script may join Latin only ("OTHR", refused under the "high" profile).
_FF_CLASSES = {"Bopo": "BOPO", "Cyrl": "CYRL", "Grek": "GREK", "Hang": "HANG", "Hani": "HANI", "Hira": "HIRA",
               "Kana": "KATA", "Latn": "LATN"}  # fmt: skip
_FF_COMBOS: dict[str, dict[str, str]] = {
    "BOPO": {"BOPO": "BOPO", "HANI": "CHNA", "LATN": "CHNA"},
    "CYRL": {"CYRL": "CYRL"},
    "GREK": {"GREK": "GREK"},
    "HANG": {"HANG": "HANG", "HANI": "KORE", "LATN": "KORE"},
    "HANI": {"BOPO": "CHNA", "HANG": "KORE", "HANI": "HANI", "HIRA": "JPAN", "KATA": "JPAN", "LATN": "HNLT"},
    "HIRA": {"HANI": "JPAN", "HIRA": "HIRA", "KATA": "JPAN", "LATN": "JPAN"},
    "KATA": {"HANI": "JPAN", "HIRA": "JPAN", "KATA": "KATA", "LATN": "JPAN"},
    "LATN": {
        "BOPO": "CHNA",
        "HANG": "KORE",
        "HANI": "HNLT",
        "HIRA": "JPAN",
        "KATA": "JPAN",
        "LATN": "LATN",
        "OTHR": "OTHR",
    },
    "OTHR": {"LATN": "OTHR"},
    "JPAN": {"HANI": "JPAN", "HIRA": "JPAN", "KATA": "JPAN", "LATN": "JPAN"},
    "CHNA": {"BOPO": "CHNA", "HANI": "CHNA", "LATN": "CHNA"},
    "KORE": {"HANG": "KORE", "HANI": "KORE", "LATN": "KORE"},
    "HNLT": {"BOPO": "CHNA", "HANG": "KORE", "HANI": "HNLT", "HIRA": "JPAN", "KATA": "JPAN", "LATN": "HNLT"},
}
_NEUTRAL = frozenset({"Zyyy", "Zinh"})  # Common and Inherited do not count as scripts


def firefox(label: Label, profile: str = "high") -> list[Finding]:
    """``nsIDNService::IsLabelSafe`` under ``network.IDN.restriction_profile`` = ``profile``."""
    from ..confusables import identifier_status

    out: list[Finding] = []
    text = label.unicode

    def add(rule: str, message: str, i: int | None = None) -> None:
        out.append(_warn(rule, message, label, i, "firefox"))

    saved: str | None = None
    last_script: str | None = None
    previous = ""
    base = ""
    zero: int | None = None
    mixed_reported = False
    for i, c in enumerate(text):
        cp = ord(c)
        nxt = _script(text[i + 1]) if i + 1 < len(text) else None
        if identifier_status(cp) == "Restricted":
            add("display.firefox.restricted", f"{describe(cp)} is Restricted (UTS #39 Identifier_Status)", i)
        script = _script(c)
        if script not in _NEUTRAL and script != last_script:
            klass = _FF_CLASSES.get(script, "OTHR")
            if saved is None:
                saved = klass
            elif not mixed_reported:
                saved = _FF_COMBOS.get(saved, {}).get(klass, "FAIL")
                if saved == "FAIL" or (saved == "OTHR" and profile == "high"):
                    mixed_reported = True
                    add("display.firefox.script_mix", f"{describe(cp)} mixes {script} with the label's other scripts "
                        f"(restriction profile {profile!r})", i)  # fmt: skip
        if cp == 0x30FC and last_script not in _KANA:
            add(
                "display.firefox.kana_context",
                "U+30FC KATAKANA-HIRAGANA PROLONGED SOUND MARK not after Hiragana or Katakana",
                i,
            )
        if 0x3078 <= cp <= 0x307A and "Kana" in (last_script, nxt):
            add(
                "display.firefox.kana_context",
                f"{describe(cp)}, a Hiragana letter like its Katakana twin, next to Katakana",
                i,
            )
        if 0x30D8 <= cp <= 0x30DA and "Hira" in (last_script, nxt):
            add(
                "display.firefox.kana_context",
                f"{describe(cp)}, a Katakana letter like its Hiragana twin, next to Hiragana",
                i,
            )
        if cp in (0x30FD, 0x30FE) and last_script != "Kana":
            add("display.firefox.kana_context", f"{describe(cp)} not after Katakana", i)
        if (
            c in _CJK_SLASHES
            and len(text) > 1
            and last_script not in ("Hani", "Hira", "Kana")
            and nxt not in ("Hani", "Hira", "Kana")
        ):
            add(
                "display.firefox.kana_context",
                f"{describe(cp)} looks like a slash outside Han, Hiragana or Katakana",
                i,
            )
        if cp == 0x30FB and "Latn" in (last_script, nxt):
            add("display.firefox.kana_context", "U+30FB KATAKANA MIDDLE DOT next to Latin", i)
        if 0x300 <= cp <= 0x339 and last_script not in _LGC:
            add(
                "display.firefox.combining_mark",
                f"{describe(cp)} after a letter that is not Latin, Greek or Cyrillic",
                i,
            )
        if cp == 0x307 and previous in ("i", "j", "l"):
            add("display.firefox.combining_mark", f"U+0307 COMBINING DOT ABOVE on {previous!r}", i)
        if cp == 0xB7 and _unsafe_middle_dot(label) == i:
            add("display.firefox.middle_dot", "U+00B7 MIDDLE DOT is shown only in .cat, between two 'l'", i)
        if cp in (0xFE, 0xF0) and label.tld not in ("is", "fo"):
            add("display.firefox.tld_character", f"{describe(cp)} is shown only under .is and .fo", i)
        if cp == 0x259 and label.tld != "az":
            add("display.firefox.tld_character", "U+0259 LATIN SMALL LETTER SCHWA is shown only under .az", i)
        if cp in (0x2BB, 0x2BC):
            add("display.firefox.quote_like", f"{describe(cp)} looks like a quotation mark", i)
        category = GENERAL_CATEGORY[cp]
        if category == "Nd":
            if zero is None:
                zero = _digit_value_zero(c)
            elif _digit_value_zero(c) != zero:
                add(
                    "display.firefox.mixed_numbers",
                    f"{describe(cp)} is from another numbering system than the label's first digit",
                    i,
                )
        if category == "Mn":
            if previous == c:
                add("display.firefox.combining_mark", f"{describe(cp)} repeated", i)
            scx = _scx(c)
            if last_script is not None and not scx <= _NEUTRAL and last_script not in scx:
                add("display.firefox.combining_mark", f"{describe(cp)} is not used with {last_script}", i)
            if base == "\u0131" and (0x300 <= cp <= 0x314 or cp == 0x31A):
                add("display.firefox.combining_mark", f"{describe(cp)} on U+0131 LATIN SMALL LETTER DOTLESS I", i)
        else:
            base = c
        if script not in _NEUTRAL:
            last_script = script
        previous = c
    return out


# --- Chromium ------------------------------------------------------------------------------------

# SetAllowedUnicodeSet: characters dropped from the UTS #39 allowed set.
_CHROMIUM_BLOCKED: tuple[tuple[int, int], ...] = (
    (0x0338, 0x0338), (0x058A, 0x058A), (0x2010, 0x2010), (0x2019, 0x2019), (0x2027, 0x2027),
    (0x30A0, 0x30A0), (0x02BB, 0x02BC), (0x02EC, 0x02EC), (0x0138, 0x0138),
    (0x01CD, 0x01DC), (0x1C80, 0x1C8F), (0x1E00, 0x1E9B), (0x1F00, 0x1FFF), (0xA640, 0xA69F), (0xA720, 0xA7FF),
)  # fmt: skip
_DEVIATIONS = frozenset("\u00df\u03c2\u200c\u200d")
# kWholeScriptConfusables: the scripts checked and the TLDs allowed to hold their look-alikes.
WHOLE_SCRIPT_TLDS: Mapping[str, frozenset[str]] = {
    "Armn": frozenset({"am"}),
    "Cyrl": frozenset({"bg", "by", "kz", "pyc", "ru", "su", "ua", "uz"}),
    "Ethi": frozenset({"er", "et"}),
    "Geor": frozenset({"ge"}),
    "Grek": frozenset({"gr"}),
    "Hebr": frozenset({"il"}),
    **{s: frozenset() for s in ("Beng", "Deva", "Gujr", "Guru", "Knda", "Mlym", "Orya", "Taml", "Telu")},
    "Mymr": frozenset({"mm"}),
    "Thai": frozenset({"th"}),
}


def _blocked(cp: int) -> bool:
    return any(first <= cp <= last for first, last in _CHROMIUM_BLOCKED)


@functools.cache
def latin_lookalikes(script: str) -> frozenset[str]:
    """The letters of ``script`` whose UTS #39 skeleton is ASCII letters or digits (idnkit's
    derivation of Chromium's per-script "latin_lookalike_letters")."""
    from ..confusables import identifier_status
    from ..unicode._data import confusables as _conf

    return frozenset(
        chr(cp)
        for cp, proto in _conf.PROTOTYPES.items()
        if SCRIPT[cp] == script and proto.isascii() and proto.isalnum() and identifier_status(cp) == "Allowed"
    )


@functools.cache
def digit_lookalikes() -> frozenset[str]:
    """Non-ASCII characters whose UTS #39 skeleton is ASCII digits (Chromium's ``digit_lookalikes_``,
    derived from confusables.txt)."""
    from ..confusables import identifier_status
    from ..unicode._data import confusables as _conf

    return frozenset(
        chr(cp)
        for cp, proto in _conf.PROTOTYPES.items()
        if cp > 0x7F and proto.isascii() and proto.isdigit() and identifier_status(cp) == "Allowed"
    )


def _dangerous(text: str) -> int | None:
    """The position of the first of Chromium's dangerous patterns in ``text``, if any."""
    for i, c in enumerate(text):
        prev = text[i - 1] if i else None
        nxt = text[i + 1] if i + 1 < len(text) else None
        prev_scx = _scx(prev) if prev else frozenset()
        next_scx = _scx(nxt) if nxt else frozenset()
        japanese = {"Hani", "Hira", "Kana"}
        cp = ord(c)
        if c in _CJK_SLASHES and prev and nxt and not prev_scx & japanese and not next_scx & japanese:
            return i
        if cp in (0x30FD, 0x30FE) and (prev is None or "Kana" not in prev_scx):
            return i
        if cp == 0x30FC and (prev is None or not prev_scx & _KANA):
            return i
        if cp == 0x30FB and ((prev and "a" <= prev <= "z") or (nxt and "a" <= nxt <= "z")):
            return i
        if 0x300 <= cp <= 0x339 and prev is not None and not prev_scx & _LGC:
            return i
        if 0x300 <= cp <= 0x339 and prev == "\u0131":
            return i
        if cp in (0x3099, 0x309A):
            return i
        if cp == 0x307 and prev in ("i", "j", "l"):
            return i
    # Hiragana he/be/pe in an otherwise Katakana label, and the Katakana twins among Hiragana.
    for twins, script in (("\u3078\u3079\u307a", "Kana"), ("\u30d8\u30d9\u30da", "Hira")):
        inner = text[1:-1]
        for j, c in enumerate(inner, 1):
            rest = text[:j] + text[j + 1 :]
            if c in twins and rest and all(script in _scx(x) for x in rest):
                return j
    return None


def chromium(label: Label) -> list[Finding]:
    """``IDNSpoofChecker::SafeToDisplayAsUnicode`` (docs/idn.md steps 3-12)."""
    from ..confusables import (
        RestrictionLevel,
        identifier_status,
        mixed_numbers,
        resolved_script_set,
        restriction_level,
        whole_script_confusables,
    )

    out: list[Finding] = []
    text = label.unicode

    def add(rule: str, message: str, i: int | None = None) -> None:
        out.append(_warn(rule, message, label, i, "chromium"))

    allowed = True
    for i, c in enumerate(text):  # step 3 and the allowed set's removals (step 4)
        cp = ord(c)
        if identifier_status(cp) != "Allowed" or _blocked(cp):
            allowed = False
            add("display.chromium.not_allowed", f"{describe(cp)} is not in Chrome's allowed set for IDN labels", i)
        elif c in _DEVIATIONS:
            add(
                "display.chromium.deviation",
                f"{describe(cp)} is a deviation character (UTS #46 §4): shown as its A-label",
                i,
            )
        if c in "\u00fe\u00f0" and len(text) > 1 and label.tld != "is":
            add("display.chromium.tld_character", f"{describe(cp)} is shown only under .is", i)
        if c == "\u0259" and len(text) > 1 and label.tld != "az":
            add("display.chromium.tld_character", "U+0259 LATIN SMALL LETTER SCHWA is shown only under .az", i)
    middle = _unsafe_middle_dot(label)
    if middle is not None:
        add("display.chromium.middle_dot", "U+00B7 MIDDLE DOT is shown only in .cat, between two 'l' (step 8)", middle)
    if not allowed:
        return out  # ICU's spoof check fails first; the script tests below assume allowed characters
    level = restriction_level(text)
    if level == RestrictionLevel.ASCII_ONLY:
        return out
    scripts = resolved_script_set(text)
    if len(mixed_numbers(text)) > 1:  # step 6
        add("display.chromium.mixed_numbers", "digits of more than one numbering system (step 6)")
    if any(GENERAL_CATEGORY[ord(a)] == "Mn" and a == b for a, b in itertools.pairwise(text)):
        add("display.chromium.invisible", "the same combining mark twice in a row (step 7)")
    if _is_digit_lookalike(text):  # step 11
        add(
            "display.chromium.digit_lookalike",
            "the label is made of digits and characters that look like digits (step 11)",
        )
    if level == RestrictionLevel.SINGLE_SCRIPT and not (
        set(text) & set("\u3078\u3079\u307a\u30d8\u30d9\u30da\u30fb\u30fc\u30fd\u30fe")
        or any(0x300 <= ord(c) <= 0x339 for c in text)
    ):
        for script in sorted(scripts & WHOLE_SCRIPT_TLDS.keys()):  # step 10
            if _whole_script_confusable(text, script) and not _tld_allows(label, script):
                add(
                    "display.chromium.whole_script_confusable",
                    f"every {script} letter of the label looks like a Latin letter, and .{label.tld_unicode} "
                    "is not a TLD of that script (step 10)",
                )
        return out
    if level > RestrictionLevel.HIGHLY_RESTRICTIVE:  # step 5
        add(
            "display.chromium.script_mix",
            f"the label is {level.label}; Chrome shows at most highly-restrictive mixes (step 5)",
        )
    elif any(_script(c) == "Latn" and not c.isascii() for c in text) and scripts != frozenset({"Latn"}):
        add("display.chromium.script_mix", "non-ASCII Latin letters mixed with another script (step 5)")
    examples = whole_script_confusables(text) if not scripts else {}
    for target, example in examples.items():  # step 9
        add(
            "display.chromium.mixed_script_confusable",
            f"the mixed-script label looks like the {target} string {example!r} (step 9)",
        )
    position = _dangerous(text)  # step 12
    if position is not None:
        add(
            "display.chromium.dangerous_pattern",
            f"{describe(ord(text[position]))} in a pattern Chrome treats as a spoof (step 12)",
            position,
        )
    return out


def _is_digit_lookalike(text: str) -> bool:
    lookalikes = digit_lookalikes()
    return any(c in lookalikes for c in text) and all(c in lookalikes or "0" <= c <= "9" for c in text)


def _whole_script_confusable(text: str, script: str) -> bool:
    letters = {c for c in text if _script(c) == script}
    return bool(letters) and letters <= latin_lookalikes(script)


def _tld_allows(label: Label, script: str) -> bool:
    return any(_script(c) == script for c in label.tld_unicode) or label.tld in WHOLE_SCRIPT_TLDS[script]


def top_domain_matches(labels: list[str], top_domains: Iterable[str]) -> str | None:
    """docs/idn.md step 13: the top domain whose skeleton equals a suffix of two to four labels of
    the name (diacritics removed too), unless the name is that domain or under it."""
    from ..confusables import mark_folded_skeleton, skeleton

    index = _skeleton_index(tuple(sorted(top_domains)))
    name = ".".join(labels)
    for start in range(max(0, len(labels) - 4), len(labels) - 1):
        suffix = ".".join(labels[start:])
        for key in {skeleton(suffix), mark_folded_skeleton(suffix)}:
            match = index.get(key)
            if match is not None and name != match and not name.endswith("." + match):
                return match
    return None


@functools.lru_cache(maxsize=8)
def _skeleton_index(top_domains: tuple[str, ...]) -> dict[str, str]:
    from ..confusables import mark_folded_skeleton, skeleton

    index: dict[str, str] = {}
    for domain in top_domains:
        for key in (skeleton(domain), mark_folded_skeleton(domain)):
            index.setdefault(key, domain)
    return index


POLICY_CHECKS: Mapping[str, Callable[..., list[Finding]]] = {"uts39": uts39, "firefox": firefox, "chromium": chromium}
