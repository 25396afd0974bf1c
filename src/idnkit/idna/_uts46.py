"""UTS #46 Unicode IDNA Compatibility Processing (nontransitional), from the generated table.

``to_ascii`` and ``to_unicode`` follow UTS #46 §4 with CheckHyphens, CheckBidi, CheckJoiners and
UseSTD3ASCIIRules on and Transitional_Processing off — the settings IdnaTestV2.txt tests — and
``to_ascii`` with VerifyDnsLength.  Findings use idnkit's rule ids; ``UTS46_STATUS_CODES`` maps
them to the status codes of IdnaTestV2.txt where they correspond.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import PunycodeError, raise_first, require_str
from ..findings import Finding, Severity, format_cp
from ..unicode import BIDI_CLASS, GENERAL_CATEGORY, RTL_CLASSES, UTS46_MAPPING, UTS46_STATUS, describe, is_nfc, nfc
from . import _native
from ._bidi import bidi_findings
from ._contextual import CONTEXT_RULES
from ._punycode import decode, encode

__all__ = ["UTS46_STATUS_CODES", "Uts46Result", "map_string", "process", "to_ascii", "to_unicode"]

# idnkit rule id -> IdnaTestV2.txt status code (UTS #46 §4 step numbers and IDNA2008 codes)
UTS46_STATUS_CODES = {
    "rfc5891.nfc": "V1",
    "rfc5891.hyphen34": "V2",
    "rfc5891.hyphen_start": "V3",
    "rfc5891.hyphen_end": "V3",
    "rfc5891.label_separator": "V5",
    "rfc5891.leading_combining_mark": "V6",
    "uts46.disallowed": "V7",
    "uts46.std3": "U1",
    "rfc5892.contextj.zwnj": "C1",
    "rfc5892.contextj.zwj": "C2",
    "uts46.xn_non_ascii": "P4",
    "rfc3492.invalid": "P4",
    "rfc3492.unencodable": "A3",
    "rfc5890.fake_alabel": "P4",
    "uts46.empty_label": "X4_2",
    "dns.label_empty": "A4_2",
    "dns.label_too_long": "A4_2",
    "dns.name_too_long": "A4_1",
    "dns.name_empty": "A4_1",
    "uts46.xn_prefix": "V4",
    **{f"rfc5893.rule{n}": f"B{n}" for n in range(1, 7)},
}

# Inputs longer than this (code points, before mapping) get one dns.input_too_long finding and no
# further work, as check_domain's: a name this long cannot be valid in ASCII form (253 octets) unless
# it is padded with over 700 ignored code points, and per-code-point findings on megabytes of
# hostile text would cost memory in proportion.  Mapping expands a code point to at most 18 (U+FDFA),
# so the work below the bound stays linear.
MAX_INPUT = 1024

_TRANSLATE: dict[int, str | None] | None = None


def _translate_table() -> dict[int, str | None]:
    # Built on first use (about 10k entries) so that importing idnkit stays cheap; str.translate
    # then maps a whole string in C.
    global _TRANSLATE
    if _TRANSLATE is None:
        table: dict[int, str | None] = {}
        for first, last in UTS46_STATUS.ranges(lambda s: s in ("mapped", "ignored")):
            for cp in range(first, last + 1):
                table[cp] = UTS46_MAPPING[cp] if UTS46_STATUS[cp] == "mapped" else None
        _TRANSLATE = table
    return _TRANSLATE


def map_string(text: str) -> str:
    """UTS #46 §4 steps 1-2 (nontransitional): map, remove ignored, leave the rest, then NFC."""
    return nfc(text.translate(_translate_table()))


@dataclass(frozen=True, slots=True)
class Uts46Result:
    """The processed string (Unicode or ASCII form) and every finding; ``ok`` when none is an error."""

    result: str
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def status_codes(self) -> frozenset[str]:
        return frozenset(UTS46_STATUS_CODES.get(f.rule, f.rule) for f in self.findings if f.is_error)


def _validate(label: str, bidi_domain: bool, index: int, out: list[Finding]) -> None:
    """UTS #46 §4.1 validity criteria (nontransitional, all checks on) for a non-empty label."""
    cps = [ord(c) for c in label]

    def add(rule: str, i: int | None, text: str) -> None:
        out.append(Finding(rule, text, None if i is None else i + 1, None if i is None else format_cp(cps[i]), index))

    if not is_nfc(label):
        add("rfc5891.nfc", None, "the label is not in NFC")  # V1
    if label[2:4] == "--":
        add("rfc5891.hyphen34", 2, "hyphens in the 3rd and 4th positions")  # V2
    if label.startswith("xn--"):
        add("uts46.xn_prefix", None, "a label decoded from Punycode starts with xn-- again")  # V4
    if label[0] == "-":
        add("rfc5891.hyphen_start", 0, "the label starts with a hyphen")  # V3
    if label[-1] == "-":
        add("rfc5891.hyphen_end", len(cps) - 1, "the label ends with a hyphen")  # V3
    if GENERAL_CATEGORY[cps[0]][0] == "M":
        add("rfc5891.leading_combining_mark", 0, f"the label starts with {describe(cps[0])}, a combining mark")  # V6
    for i, cp in enumerate(cps):
        if cp == 0x2E:
            add("rfc5891.label_separator", i, "a decoded label contains a full stop")  # V5
        elif cp < 0x80:
            if not (0x61 <= cp <= 0x7A or 0x30 <= cp <= 0x39 or cp == 0x2D):
                add("uts46.std3", i, f"{describe(cp)} is not a letter, digit or hyphen")  # V7, U1
        elif UTS46_STATUS[cp] not in ("valid", "deviation"):
            add("uts46.disallowed", i, f"{describe(cp)} has UTS #46 status {UTS46_STATUS[cp]}")  # V7
        if cp in (0x200C, 0x200D):  # V8: CheckJoiners, ContextJ rules only
            rule = CONTEXT_RULES[cp]
            if not rule.test(cps, i):
                add(rule.rule_id, i, f"{describe(cp)} is not allowed here: {rule.explanation}")
    if bidi_domain:
        out.extend(bidi_findings(cps, index))


def _too_long(domain: str) -> Finding:
    return Finding(
        "dns.input_too_long",
        f"the name is {len(domain)} code points long, over idnkit's bound of {MAX_INPUT}; it was not examined further",
    )


def process(domain: str) -> tuple[list[str], list[Finding]]:
    """UTS #46 §4 Processing: the labels in Unicode form and every finding."""
    require_str(domain, "process")
    if len(domain) > MAX_INPUT:
        return [domain], [_too_long(domain)]
    labels = map_string(domain).split(".")
    findings: list[Finding] = []
    converted: list[str] = []
    to_validate: list[int] = []
    for index, label in enumerate(labels, 1):
        if label.startswith("xn--"):
            if not label.isascii():
                findings.append(
                    Finding("uts46.xn_non_ascii", "an xn-- label contains non-ASCII characters", None, None, index)
                )
                converted.append(label)
                continue
            try:
                decoded = decode(label[4:])
            except PunycodeError as e:
                findings.append(Finding("rfc3492.invalid", f"invalid Punycode: {e}", None, None, index))
                converted.append(label)
                continue
            if not decoded or decoded.isascii():
                findings.append(Finding("rfc5890.fake_alabel", f"xn-- label decodes to {decoded!r}", None, None, index))
            label = decoded
        converted.append(label)
        if label:
            to_validate.append(index)
        elif index < len(labels) or len(labels) == 1:
            findings.append(Finding("uts46.empty_label", "empty label", None, None, index))
    bidi_domain = any(BIDI_CLASS[ord(c)] in RTL_CLASSES for label in converted for c in label)
    for index in to_validate:
        _validate(converted[index - 1], bidi_domain, index, findings)
    return converted, findings


def to_unicode(domain: str) -> Uts46Result:
    """UTS #46 §4.3 ToUnicode.  Never raises: errors are findings.

    >>> to_unicode("XN--BCHER-KVA.example").result
    'bücher.example'
    """
    require_str(domain, "to_unicode")
    if len(domain) > MAX_INPUT:
        return Uts46Result(domain, (_too_long(domain),))
    labels, findings = process(domain)
    return Uts46Result(".".join(labels), tuple(findings))


def to_ascii(domain: str, *, strict: bool = False) -> Uts46Result:
    """UTS #46 §4.2 ToASCII with VerifyDnsLength; ``strict`` raises the first error instead.

    >>> to_ascii("Bücher.example").result
    'xn--bcher-kva.example'
    """
    require_str(domain, "to_ascii")
    if _native.uts46_to_ascii is not None and (fast := _native.uts46_to_ascii(domain)) is not None:
        return Uts46Result(fast, ())  # a name with no finding, decided in one native call
    if len(domain) > MAX_INPUT:
        too_long = Uts46Result(domain, (_too_long(domain),))
        if strict:
            raise_first(too_long.findings, domain)
        return too_long
    labels, findings = process(domain)
    findings = [f for f in findings if f.rule != "uts46.empty_label"]
    out = []
    for index, label in enumerate(labels, 1):
        if not label.isascii():
            try:
                label = "xn--" + encode(label)
            except PunycodeError as e:
                findings.append(Finding("rfc3492.unencodable", f"cannot encode: {e}", None, None, index))
        out.append(label)
        # §4.2 step 4 (VerifyDnsLength): every label 1..63 octets, the trailing root label included
        if not label:
            findings.append(Finding("dns.label_empty", "empty label", None, None, index))
        elif len(label) > 63:
            findings.append(Finding("dns.label_too_long", f"label is {len(label)} octets", None, None, index))
    result = ".".join(out)
    total = len(result) - 1 if result.endswith(".") else len(result)
    if total > 253:
        findings.append(Finding("dns.name_too_long", f"name is {total} octets; the limit is 253"))
    elif total < 1:
        findings.append(Finding("dns.name_empty", "the name is empty"))
    if strict:
        raise_first(tuple(findings), domain)
    return Uts46Result(result, tuple(findings))
