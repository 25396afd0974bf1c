"""UTS #46 Unicode IDNA Compatibility Processing, from the generated table, with every §4 option.

``to_ascii`` and ``to_unicode`` follow UTS #46 §4 (Processing), §4.1 (Validity Criteria), §4.2
(ToASCII) and §4.3 (ToUnicode).  Each processing option of §4 is a keyword argument; the defaults
are the settings IdnaTestV2.txt tests: CheckHyphens, CheckBidi, CheckJoiners and UseSTD3ASCIIRules
on, Transitional_Processing off (nontransitional), VerifyDnsLength on for ``to_ascii`` and
IgnoreInvalidPunycode off.  :class:`Uts46Options` holds one setting of all of them, and every
result says which options produced it.  Findings use idnkit's rule ids; ``UTS46_STATUS_CODES``
maps them to the status codes of IdnaTestV2.txt where they correspond.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import PunycodeError, raise_first, require_str
from ..findings import Finding, Severity, format_cp
from ..unicode import GENERAL_CATEGORY, UTS46_MAPPING, UTS46_STATUS, describe, is_nfc, lazy, nfc
from . import _native
from ._bidi import bidi_findings
from ._contextual import CONTEXT_RULES
from ._punycode import decode, encode

__all__ = ["UTS46_STATUS_CODES", "Uts46Options", "Uts46Result", "map_string", "process", "to_ascii", "to_unicode"]

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


@dataclass(frozen=True, slots=True)
class Uts46Options:
    """One setting of the UTS #46 §4 processing options (the defaults are IdnaTestV2.txt's).

    * ``check_hyphens`` — CheckHyphens, §4.1 criteria 2 and 3: no ``--`` in positions 3-4, no
      hyphen at either end.  Off, §4.1 criterion 4 still refuses a label starting with ``xn--``.
    * ``check_bidi`` — CheckBidi, §4.1 criterion 9: the RFC 5893 §2 Bidi rule in a Bidi domain name.
    * ``check_joiners`` — CheckJoiners, §4.1 criterion 8: the RFC 5892 Appendix A.1/A.2 ContextJ rules.
    * ``use_std3_ascii_rules`` — UseSTD3ASCIIRules, §4.1 criterion 7.3: ASCII only a-z, 0-9, hyphen.
    * ``transitional_processing`` — Transitional_Processing (deprecated), §4 step 1: map the four
      deviation characters (ß→ss, ς→σ, ZWJ and ZWNJ removed); §4.1 criterion 7.1 then requires
      status valid.  Labels decoded from Punycode are always checked nontransitionally (§4 step 4).
    * ``verify_dns_length`` — VerifyDnsLength, §4.2 step 4 (ToASCII only): each label 1-63
      octets, the name 1-253 octets.  Off, empty labels and the root label pass.
    * ``ignore_invalid_punycode`` — IgnoreInvalidPunycode, §4 step 4.1.2: an ``xn--`` label whose
      Punycode does not decode is kept as it is instead of recording an error.
    """

    check_hyphens: bool = True
    check_bidi: bool = True
    check_joiners: bool = True
    use_std3_ascii_rules: bool = True
    transitional_processing: bool = False
    verify_dns_length: bool = True
    ignore_invalid_punycode: bool = False

    def to_dict(self) -> dict[str, bool]:
        return asdict(self)

    def differences(self, other: Uts46Options | None = None) -> dict[str, bool]:
        """The options whose value differs from ``other`` (default: the IdnaTestV2 settings)."""
        base = (other or Uts46Options()).to_dict()
        return {k: v for k, v in self.to_dict().items() if base[k] != v}


_DEFAULT_OPTIONS = DEFAULT_OPTIONS = Uts46Options()  # shared: frozen (the native core hands it out too)
_DEFAULT_SETTINGS = tuple(DEFAULT_OPTIONS.to_dict().values())

# The UTS #46 name of each option, for messages and documentation.
OPTION_NAMES = {
    "check_hyphens": "CheckHyphens",
    "check_bidi": "CheckBidi",
    "check_joiners": "CheckJoiners",
    "use_std3_ascii_rules": "UseSTD3ASCIIRules",
    "transitional_processing": "Transitional_Processing",
    "verify_dns_length": "VerifyDnsLength",
    "ignore_invalid_punycode": "IgnoreInvalidPunycode",
}

_TRANSLATE: dict[int, str | None] | None = None
# Transitional_Processing: the four deviation characters and their mappings (UTS #46 §4 step 1).
_DEVIATIONS = {0x00DF: "ss", 0x03C2: "\u03c3", 0x200C: None, 0x200D: None}


def _translate_table() -> dict[int, str | None]:
    # Built on first use (about 10k entries) so that importing idnkit stays cheap; str.translate
    # then maps a whole string in C.  UTS #46 §4 step 1: "mapped" code points are replaced and
    # "ignored" ones removed.
    global _TRANSLATE
    if _TRANSLATE is None:
        table: dict[int, str | None] = {}
        for first, last in UTS46_STATUS.ranges(lambda s: s in ("mapped", "ignored")):
            for cp in range(first, last + 1):
                table[cp] = UTS46_MAPPING[cp] if UTS46_STATUS[cp] == "mapped" else None
        _TRANSLATE = table
    return _TRANSLATE


def map_string(text: str, *, transitional: bool = False) -> str:
    """UTS #46 §4 steps 1-2: map, remove ignored code points, leave the rest, then NFC.

    ``transitional`` maps the deviation characters too (Transitional_Processing), including those
    a mapping produces: U+1E9E ẞ maps to ß, which transitional processing maps on to "ss".
    """
    native = _native.map_string  # the same tables in C (tests/test_native.py: every code point)
    if native is not None and len(text) <= MAX_INPUT:
        return native(text, transitional)
    mapped = text.translate(_translate_table())
    if transitional:
        mapped = mapped.translate(_DEVIATIONS)
    return nfc(mapped)


@dataclass(frozen=True, slots=True)
class Uts46Result:
    """The processed string (Unicode or ASCII form) and every finding; ``ok`` when none is an error.

    ``options`` are the processing options that produced it.
    """

    result: str
    findings: tuple[Finding, ...]
    options: Uts46Options = field(default_factory=Uts46Options)

    @property
    def ok(self) -> bool:
        # asked of every result; most names have no finding at all, and need no generator
        return not self.findings or not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def status_codes(self) -> frozenset[str]:
        return frozenset(UTS46_STATUS_CODES.get(f.rule, f.rule) for f in self.findings if f.is_error)

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "valid": self.ok,
            "options": self.options.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }


def _validate(
    label: str, bidi_domain: bool, index: int, out: list[Finding], options: Uts46Options, transitional: bool
) -> None:
    """UTS #46 §4.1 validity criteria for a non-empty label (``transitional``: criterion 7.1)."""
    native = _native.uts46_label
    if (
        native is not None
        and not transitional
        and options.check_hyphens
        and options.check_joiners
        and options.use_std3_ascii_rules
        and native(label, bidi_domain and options.check_bidi)
    ):
        # The native core has checked every criterion below under these options and found
        # nothing (tests/test_native.py holds it to this loop); anything else is decided here.
        return
    cps = list(map(ord, label))

    def add(rule: str, i: int | None, text: str) -> None:
        out.append(Finding(rule, text, None if i is None else i + 1, None if i is None else format_cp(cps[i]), index))

    if not is_nfc(label):
        add("rfc5891.nfc", None, "the label is not in NFC")  # criterion 1 (V1)
    if options.check_hyphens:
        if label[2:4] == "--":
            add("rfc5891.hyphen34", 2, "hyphens in the 3rd and 4th positions")  # criterion 2 (V2)
        if label[0] == "-":
            add("rfc5891.hyphen_start", 0, "the label starts with a hyphen")  # criterion 3 (V3)
        if label[-1] == "-":
            add("rfc5891.hyphen_end", len(cps) - 1, "the label ends with a hyphen")  # criterion 3 (V3)
    # criterion 4 (V4) guards the xn-- prefix when CheckHyphens is off; with it on V2 fails too, and
    # IdnaTestV2.txt lists both codes (line "xn--xn--a--gua.pt; ...; [V2, V4]"), so it is always tested.
    if label.startswith("xn--"):
        add("uts46.xn_prefix", None, "a label decoded from Punycode starts with xn-- again")
    if GENERAL_CATEGORY[cps[0]][0] == "M":
        add("rfc5891.leading_combining_mark", 0, f"the label starts with {describe(cps[0])}, a combining mark")  # V6
    allowed = ("valid",) if transitional else ("valid", "deviation")  # criterion 7.1 / 7.2
    std3 = options.use_std3_ascii_rules
    flagged = _native.uts46_flagged
    # Only the positions the native core flags can fail a criterion below (every other one is
    # LDH ASCII or of an allowed status, and no joiner); without it, every position.
    for i in range(len(cps)) if flagged is None else flagged(label, transitional):
        cp = cps[i]
        if cp == 0x2E:
            add("rfc5891.label_separator", i, "a decoded label contains a full stop")  # criterion 5 (V5)
        elif cp < 0x80:
            # criterion 7.3 (UseSTD3ASCIIRules): ASCII must be LDH.  Every other ASCII code point has
            # status "valid" in the Unicode 16+ table, so without the option it passes.
            if std3 and not (0x61 <= cp <= 0x7A or 0x30 <= cp <= 0x39 or cp == 0x2D):
                add("uts46.std3", i, f"{describe(cp)} is not a letter, digit or hyphen")  # U1
        elif UTS46_STATUS[cp] not in allowed:
            add("uts46.disallowed", i, f"{describe(cp)} has UTS #46 status {UTS46_STATUS[cp]}")  # V7
        if options.check_joiners and cp in (0x200C, 0x200D):  # criterion 8: ContextJ rules only
            rule = CONTEXT_RULES[cp]
            if not rule.test(cps, i):
                add(rule.rule_id, i, f"{describe(cp)} is not allowed here: {rule.explanation}")
    if options.check_bidi and bidi_domain:  # criterion 9
        classes = _native.bidi_classes
        out.extend(bidi_findings(cps, index, None if classes is None else classes(label)))


def _too_long(domain: str) -> Finding:
    return Finding(
        "dns.input_too_long",
        f"the name is {len(domain)} code points long, over idnkit's bound of {MAX_INPUT}; it was not examined further",
    )


def process(
    domain: str,
    *,
    check_hyphens: bool = True,
    check_bidi: bool = True,
    check_joiners: bool = True,
    use_std3_ascii_rules: bool = True,
    transitional_processing: bool = False,
    ignore_invalid_punycode: bool = False,
) -> tuple[list[str], list[Finding]]:
    """UTS #46 §4 Processing: the labels in Unicode form and every finding."""
    require_str(domain, "process")
    options = Uts46Options(
        check_hyphens, check_bidi, check_joiners, use_std3_ascii_rules, transitional_processing, False,
        ignore_invalid_punycode,
    )  # fmt: skip
    return _process(domain, options)


def _process(domain: str, options: Uts46Options) -> tuple[list[str], list[Finding]]:
    if len(domain) > MAX_INPUT:
        return [domain], [_too_long(domain)]
    labels = map_string(domain, transitional=options.transitional_processing).split(".")  # steps 1-3
    findings: list[Finding] = []
    converted: list[str] = []
    to_validate: list[tuple[int, bool]] = []  # (label index, transitional criteria)
    for index, label in enumerate(labels, 1):  # step 4, Convert/Validate
        transitional = options.transitional_processing
        if label.startswith("xn--"):
            if not label.isascii():  # step 4.1.1
                findings.append(
                    Finding("uts46.xn_non_ascii", "an xn-- label contains non-ASCII characters", None, None, index)
                )
                converted.append(label)
                continue
            try:
                decoded = decode(label[4:])  # step 4.1.2
            except PunycodeError as e:
                if options.ignore_invalid_punycode:
                    # IgnoreInvalidPunycode: the label stays as it is, and no error is recorded.
                    findings.append(
                        Finding(
                            "uts46.invalid_punycode_ignored",
                            f"the Punycode does not decode ({e}); kept as it is (IgnoreInvalidPunycode)",
                            None,
                            None,
                            index,
                            Severity.WARNING,
                        )
                    )
                else:
                    findings.append(Finding("rfc3492.invalid", f"invalid Punycode: {e}", None, None, index))
                converted.append(label)
                continue
            if not decoded or decoded.isascii():  # step 4.1.3
                findings.append(Finding("rfc5890.fake_alabel", f"xn-- label decodes to {decoded!r}", None, None, index))
            label = decoded
            transitional = False  # step 4.1.4: nontransitional criteria for decoded labels
        converted.append(label)
        if label:
            to_validate.append((index, transitional))
        elif index < len(labels) or len(labels) == 1:
            findings.append(Finding("uts46.empty_label", "empty label", None, None, index))
    # RFC 5893 §1.4: a Bidi domain name has a character of class R, AL or AN in some label.
    rtl_char = lazy("RTL_CHAR")  # a character of class R, AL or AN
    bidi_domain = any(rtl_char.search(label) is not None for label in converted)
    for index, transitional in to_validate:
        _validate(converted[index - 1], bidi_domain, index, findings, options, transitional)
    return converted, findings


def to_unicode(
    domain: str,
    *,
    check_hyphens: bool = True,
    check_bidi: bool = True,
    check_joiners: bool = True,
    use_std3_ascii_rules: bool = True,
    transitional_processing: bool = False,
    ignore_invalid_punycode: bool = False,
) -> Uts46Result:
    """UTS #46 §4.3 ToUnicode with the §4 options (VerifyDnsLength does not apply).  Never raises.

    >>> to_unicode("XN--BCHER-KVA.example").result
    'bücher.example'
    >>> to_unicode("-x.example").ok, to_unicode("-x.example", check_hyphens=False).ok
    (False, True)
    """
    require_str(domain, "to_unicode")
    options = Uts46Options(
        check_hyphens, check_bidi, check_joiners, use_std3_ascii_rules, transitional_processing, False,
        ignore_invalid_punycode,
    )  # fmt: skip
    if len(domain) > MAX_INPUT:
        return Uts46Result(domain, (_too_long(domain),), options)
    labels, findings = _process(domain, options)
    return Uts46Result(".".join(labels), tuple(findings), options)


def to_ascii(
    domain: str,
    *,
    strict: bool = False,
    check_hyphens: bool = True,
    check_bidi: bool = True,
    check_joiners: bool = True,
    use_std3_ascii_rules: bool = True,
    transitional_processing: bool = False,
    verify_dns_length: bool = True,
    ignore_invalid_punycode: bool = False,
) -> Uts46Result:
    """UTS #46 §4.2 ToASCII with the §4 options; ``strict`` raises the first error instead.

    >>> to_ascii("Bücher.example").result
    'xn--bcher-kva.example'
    >>> to_ascii("faß.de", transitional_processing=True).result
    'fass.de'
    >>> to_ascii("x..example").ok, to_ascii("x..example", verify_dns_length=False).result
    (False, 'x..example')
    """
    if (
        check_hyphens is True
        and check_bidi is True
        and check_joiners is True
        and use_std3_ascii_rules is True
        and transitional_processing is False
        and verify_dns_length is True
        and ignore_invalid_punycode is False
        and type(domain) is str
        and (native := _native.uts46_ascii) is not None
        and (fast := native(domain)) is not None
    ):
        # The common case, the default options and a name with no finding: its whole result built
        # in one native call (no finding, so ``strict`` has nothing to raise).
        return fast  # type: ignore[no-any-return]
    require_str(domain, "to_ascii")
    settings = (
        check_hyphens, check_bidi, check_joiners, use_std3_ascii_rules, transitional_processing, verify_dns_length,
        ignore_invalid_punycode,
    )  # fmt: skip
    # The shared default options when they are (a frozen dataclass's __init__ is not free).
    options = _DEFAULT_OPTIONS if settings == _DEFAULT_SETTINGS else Uts46Options(*settings)
    return _to_ascii(domain, options, strict)


def _to_ascii(domain: str, options: Uts46Options, strict: bool = False) -> Uts46Result:
    # The native core decides a name with no finding under the default options in one call
    # (tests/test_native.py holds it to this path); every other case is built here.
    native = _native.uts46_to_ascii if options == _DEFAULT_OPTIONS else None
    if native is not None and (fast := native(domain)) is not None:
        return Uts46Result(fast, (), options)
    if len(domain) > MAX_INPUT:
        too_long = Uts46Result(domain, (_too_long(domain),), options)
        if strict:
            raise_first(too_long.findings, domain)
        return too_long
    labels, findings = _process(domain, options)  # step 1 (and step 2, the break)
    # ToASCII reports empty labels through VerifyDnsLength (A4_2), not the ToUnicode X4_2 code.
    findings = [f for f in findings if f.rule != "uts46.empty_label"]
    out = []
    for index, label in enumerate(labels, 1):
        if not label.isascii():  # step 3
            try:
                label = "xn--" + encode(label)
            except PunycodeError as e:
                findings.append(Finding("rfc3492.unencodable", f"cannot encode: {e}", None, None, index))
        out.append(label)
        # step 4 (VerifyDnsLength): every label 1..63 octets, the trailing root label included
        if options.verify_dns_length:
            if not label:
                findings.append(Finding("dns.label_empty", "empty label", None, None, index))
            elif len(label) > 63:
                findings.append(Finding("dns.label_too_long", f"label is {len(label)} octets", None, None, index))
    result = ".".join(out)
    if options.verify_dns_length:
        total = len(result) - 1 if result.endswith(".") else len(result)
        if total > 253:
            findings.append(Finding("dns.name_too_long", f"name is {total} octets; the limit is 253"))
        elif total < 1:
            findings.append(Finding("dns.name_empty", "the name is empty"))
    if strict:
        raise_first(tuple(findings), domain)
    return Uts46Result(result, tuple(findings), options)
