"""IDNA2008 label and domain validation: RFC 5890-5893 under the RFC 5891 profiles.

Every check collects *all* findings.  A fast path decides in a few C-level operations that an
ordinary label has none; anything it is not sure of goes through the per-code-point path, which
is the reference (a property test holds the two to the same verdict).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from ..errors import PunycodeError, require_str
from ..findings import Finding, Severity, format_cp
from ..unicode import BIDI_CLASS, DERIVATION, DERIVED_PROPERTY, GENERAL_CATEGORY, describe, is_nfc, lazy, nfc
from . import _native
from ._bidi import bidi_findings
from ._contextual import CONTEXT_RULES, holds
from ._punycode import MAX_INPUT as _PUNYCODE_MAX_INPUT
from ._punycode import decode, encode
from ._results import DomainResult, LabelResult, Profile
from ._uts46 import DEFAULT_OPTIONS as _UTS46_DEFAULTS
from ._uts46 import Uts46Result, map_string

MAX_LABEL_OCTETS = 63  # RFC 1035 §2.3.4
MAX_NAME_OCTETS = 253  # RFC 1035 §2.3.4 (255 on the wire, less length octets and root)
# Inputs over these bounds cannot be valid; they get one length finding and no further work, so
# hostile input costs time linear in its length and memory independent of it.
MAX_LABEL_INPUT = 255  # code points
MAX_NAME_INPUT = 1024  # code points
assert MAX_LABEL_INPUT <= _PUNYCODE_MAX_INPUT

ACE_PREFIX = "xn--"
_LOOKUP = Profile.LOOKUP
_LDH_RUN = re.compile(r"[a-z0-9-]+")
DEVIATIONS = {0x00DF: "ss", 0x03C2: "σ", 0x200C: "", 0x200D: ""}  # UTS #46 §4 transitional mappings

_DEVIATION_TEXT = (
    "{} is a deviation character: IDNA2003 and transitional UTS #46 map it to {!r}, so older "
    "software may resolve a different name"
)
# Why a code point is DISALLOWED, from the RFC 5892 §2 category letter that decided it.
_DISALLOWED_BECAUSE = {
    "B": "it is unstable under case folding and NFKC normalization (RFC 5892 §2.2), "
    "e.g. an uppercase or compatibility character",
    "C": "it is a default-ignorable, white-space or noncharacter code point (RFC 5892 §2.3)",
    "D": "it is in a block of symbols that IDNA excludes (RFC 5892 §2.4)",
    "I": "it is an old Hangul conjoining jamo (RFC 5892 §2.9)",
    "F": "it is listed as DISALLOWED among the exceptions (RFC 5892 §2.6)",
    "-": "it is not a letter, digit or mark (RFC 5892 §2.1), e.g. punctuation, a symbol or a control",
}


def _finding(
    rule: str,
    message: str,
    i: int | None,
    cps: list[int] | None,
    label_index: int | None,
    severity: Severity = Severity.ERROR,
) -> Finding:
    cp = format_cp(cps[i]) if cps is not None and i is not None else None
    return Finding(rule, message, None if i is None else i + 1, cp, label_index, severity)


def _ulabel_findings(u: str, profile: Profile, bidi_domain: bool, label_index: int | None) -> list[Finding]:
    """Every finding for a non-empty candidate U-label (the reference path)."""
    cps = list(map(ord, u))
    n = len(cps)
    reg = profile is Profile.REGISTRATION
    out: list[Finding] = []
    # RFC 5891 §4.2.3.1 (registration) and §5.4 (lookup, the "--" test only)
    if u[2:4] == "--":
        out.append(
            _finding(
                "rfc5891.hyphen34",
                "hyphens in the 3rd and 4th positions are reserved for "
                "prefixes such as xn--; this label cannot be registered as written",
                2,
                cps,
                label_index,
            )
        )
    if reg and u[0] == "-":
        out.append(_finding("rfc5891.hyphen_start", "the label starts with a hyphen", 0, cps, label_index))
    if reg and u[-1] == "-":
        out.append(_finding("rfc5891.hyphen_end", "the label ends with a hyphen", n - 1, cps, label_index))
    # RFC 5891 §4.2.1, §5.4: NFC
    if not is_nfc(u):
        normalized = nfc(u)
        i = next(
            (k for k, (a, b) in enumerate(zip(u, normalized, strict=False)) if a != b), min(n, len(normalized)) - 1
        )
        out.append(
            _finding(
                "rfc5891.nfc",
                f"the label is not in Unicode Normalization Form C from "
                f"{describe(cps[i])} on; written in NFC it is {normalized!r}",
                i,
                cps,
                label_index,
            )
        )
    # RFC 5891 §4.2.3.2
    if GENERAL_CATEGORY[cps[0]][0] == "M":
        out.append(
            _finding(
                "rfc5891.leading_combining_mark",
                f"the label starts with {describe(cps[0])}, a "
                "combining mark; a label must start with a letter or digit",
                0,
                cps,
                label_index,
            )
        )
    # RFC 5891 §4.2.2 (code points), §4.2.3.3 (contextual rules; §5.4 for lookup).  Only the
    # positions that are not PVALID, or are deviations, have anything to report.
    memo: dict[str, bool] = {}
    for i in _flagged(u):
        cp = cps[i]
        prop = DERIVED_PROPERTY[cp]
        if prop == "PVALID":
            pass
        elif prop in ("CONTEXTJ", "CONTEXTO"):
            rule = CONTEXT_RULES.get(cp)
            if rule is None:  # RFC 5891 §5.4: no rule means DISALLOWED (none such in RFC 5892 today)
                out.append(
                    _finding(
                        "rfc5892.disallowed",
                        f"{describe(cp)} needs a contextual rule and none is defined",
                        i,
                        cps,
                        label_index,
                    )
                )
            elif not holds(rule, cps, i, memo):
                # Lookup need not test CONTEXTO rules (RFC 5891 §5.4): report, but do not reject.
                lenient = not reg and prop == "CONTEXTO"
                out.append(
                    _finding(
                        rule.rule_id,
                        f"{describe(cp)} is not allowed here: {rule.explanation}",
                        i,
                        cps,
                        label_index,
                        Severity.WARNING if lenient else Severity.ERROR,
                    )
                )
        elif prop == "UNASSIGNED":
            out.append(
                _finding(
                    "rfc5892.unassigned",
                    f"{describe(cp)} is not assigned in Unicode version used here, so it cannot be used yet",
                    i,
                    cps,
                    label_index,
                )
            )
        elif cp == 0x2E:
            out.append(
                _finding(
                    "rfc5891.label_separator",
                    "the label contains a full stop, which separates labels; check the whole name instead",
                    i,
                    cps,
                    label_index,
                )
            )
        else:
            because = _DISALLOWED_BECAUSE.get(DERIVATION[cp], "")
            out.append(
                _finding(
                    "rfc5892.disallowed",
                    f"{describe(cp)} is not allowed in domain names: {because}",
                    i,
                    cps,
                    label_index,
                )
            )
        if cp in DEVIATIONS:
            text = _DEVIATION_TEXT.format(describe(cp), DEVIATIONS[cp])
            out.append(_finding("uts46.deviation", text, i, cps, label_index, Severity.WARNING))
    # RFC 5891 §4.2.3.4, RFC 5893 §2 (an RTL label: one with an R, AL or AN character, §1.4)
    if bidi_domain or lazy("RTL_CHAR").search(u) is not None:
        out.extend(bidi_findings(cps, label_index, _bidi_classes(u)))
    return out


def _flagged_python(u: str) -> list[int]:
    """The positions of ``u`` whose derived property is not PVALID, or that are deviations."""
    return [i for i, c in enumerate(u) if DERIVED_PROPERTY[ord(c)] != "PVALID" or ord(c) in DEVIATIONS]


def _bidi_classes_python(u: str) -> list[str]:
    return [BIDI_CLASS[ord(c)] for c in u]


def _deviation_findings(u: str, label_index: int | None) -> tuple[Finding, ...]:
    """The UTS #46 deviation warnings of a label with no other finding, as _ulabel_findings gives them.

    ZWNJ and ZWJ arrive here only from the native check, which accepts them where RFC 5892 A.1/A.2
    allow them; ß and ς from either fast path.
    """
    if "ß" not in u and "ς" not in u and "\u200c" not in u and "\u200d" not in u:
        return ()
    return tuple(_deviation_finding(ord(c), i, label_index) for i, c in enumerate(u) if ord(c) in DEVIATIONS)


@functools.cache
def _deviation_finding(cp: int, i: int, label_index: int | None) -> Finding:
    # Findings are immutable and these few repeat (4 code points x 63 positions x the label's
    # index): one each, shared, as _finding would word it.
    return _finding(
        "uts46.deviation",
        _DEVIATION_TEXT.format(describe(cp), DEVIATIONS[cp]),
        i,
        [cp] * (i + 1),
        label_index,
        Severity.WARNING,
    )


def _length_finding(encoded: str, label_index: int | None) -> Finding | None:
    if len(encoded) > MAX_LABEL_OCTETS:
        return Finding(
            "dns.label_too_long",
            f"the label is {len(encoded)} octets as an A-label ({encoded[:20]}…); the limit is {MAX_LABEL_OCTETS}",
            None,
            None,
            label_index,
        )
    return None


def _fast_ulabel_python(u: str, bidi_domain: bool) -> str | None:
    """The A-label of a non-empty ``u`` when it certainly has no finding but deviation warnings; None
    when unsure.  The pure-Python fast path (regular expressions); the native one decides more."""
    if u[0] == "-" or u[-1] == "-" or u[2:4] == "--":
        return None
    if u.isascii():
        if bidi_domain or not _LDH_RUN.fullmatch(u):
            return None
        encoded = u
    else:
        if ord(u[0]) in lazy("COMBINING_MARKS") or not is_nfc(u):
            return None
        if lazy("PVALID_LTR_RUN").fullmatch(u) is not None:
            if bidi_domain and lazy("BIDI_LTR_LABEL").fullmatch(u) is None:
                return None
        elif lazy("BIDI_RTL_LABEL").fullmatch(u) is None or (lazy("BIDI_EN").search(u) and lazy("BIDI_AN").search(u)):
            return None
        encoded = ACE_PREFIX + encode(u)
    return encoded if len(encoded) <= MAX_LABEL_OCTETS else None


_fast_ulabel: Callable[[str, bool], str | None] = _fast_ulabel_python


def _use_native(native: bool) -> None:
    """Switch the native label check on (when built) or off; the differential tests run both."""
    global _fast_ulabel, _native_label, _native_domain, _flagged, _bidi_classes
    core = _native.use(
        native,
        lambda configure: configure(
            LabelResult, DomainResult, _deviation_finding, nfc, Uts46Result, _UTS46_DEFAULTS, Severity.ERROR
        ),
    )
    if core is not None:
        _fast_ulabel, _native_label, _native_domain = core["alabel"], core["check_label"], core["check_domain"]
        _flagged, _bidi_classes = core["flagged"], core["bidi_classes"]
        # DomainResult.ok is asked of every name checked: the same test in C, a fifth of the time.
        DomainResult.ok = property(core["domain_ok"], doc=_DOMAIN_OK_PYTHON.__doc__)  # type: ignore[method-assign,assignment]
    else:
        _fast_ulabel, _native_label, _native_domain = _fast_ulabel_python, None, None
        _flagged, _bidi_classes = _flagged_python, _bidi_classes_python
        DomainResult.ok = _DOMAIN_OK_PYTHON  # type: ignore[method-assign,assignment]


def native_available() -> bool:
    """Whether the native label check is built and in use (its tables match this Unicode version)."""
    return _native_label is not None


def _check_one(
    text: str,
    profile: Profile,
    bidi_domain: bool,
    label_index: int | None,
    decoded: str | None = None,
    native_checked: bool = False,
) -> tuple[LabelResult, int]:
    """Check one label (U-label or A-label); also return its encoded length for the name total.

    ``decoded`` is the label's :func:`_ulabel_form` when the caller has it already;
    ``native_checked`` says the native check has already turned this very label down.
    """
    if not text:
        f = Finding(
            "dns.label_empty", "the label is empty (two dots in a row, or a dot at the start)", None, None, label_index
        )
        return LabelResult(text, None, None, profile, (f,)), 0
    if len(text) > MAX_LABEL_INPUT:
        f = Finding(
            "dns.input_too_long",
            f"the label is {len(text)} code points long, far over the "
            f"{MAX_LABEL_OCTETS}-octet limit; it was not examined further",
            None,
            None,
            label_index,
        )
        return LabelResult(text, None, None, profile, (f,)), len(text)
    if text[:4].lower() == ACE_PREFIX and text.isascii():
        return _check_alabel(text, profile, bidi_domain, label_index, decoded)
    if text.isascii() and (lowered := text.lower()) != text:
        # An all-ASCII label is an LDH label, not a U-label (RFC 5890 §2.3.1): IDNA2008's code point
        # test does not apply to it, and the DNS compares its letters without case (RFC 4343 §3).
        # "Example" is the label "example" in every profile: checked and written in lowercase, with
        # one warning.  In a label with non-ASCII text, uppercase stays DISALLOWED (RFC 5892 §2.2).
        result, length = _check_one(lowered, profile, bidi_domain, label_index)
        note = Finding(
            "dns.ascii_case",
            f"the DNS compares ASCII letters without case (RFC 4343), so this is the label {lowered!r}; "
            "registries store and compare it in lowercase",
            None,
            None,
            label_index,
            Severity.WARNING,
        )
        return LabelResult(text, result.ulabel, result.alabel, profile, (note, *result.findings)), length
    fast = None if native_checked else _fast_ulabel(text, bidi_domain)
    if fast is not None:
        return LabelResult.valid(text, fast, profile, _deviation_findings(text, label_index)), len(fast)
    findings = _ulabel_findings(text, profile, bidi_domain, label_index)
    try:
        encoded = text if text.isascii() else ACE_PREFIX + encode(text)
    except PunycodeError:
        encoded = ""  # only a surrogate stops the encoder, and it is already a DISALLOWED finding
    too_long = _length_finding(encoded, label_index)
    if too_long:
        findings.append(too_long)
    result = LabelResult(text, text, None, profile, tuple(findings))
    if result.ok:
        result = LabelResult(text, text, encoded, profile, result.findings)
    return result, len(encoded)


def _check_alabel(
    a: str, profile: Profile, bidi_domain: bool, label_index: int | None, decoded: str | None = None
) -> tuple[LabelResult, int]:
    # RFC 5891 §4.2 / §5.3: decode, validate the U-label, and require the exact re-encoding.
    if decoded is not None and decoded is not a and not decoded.isascii():
        # Most A-labels in a zone are valid: when the U-label takes the fast path and re-encodes to
        # exactly this (lowercase) A-label, every check of the reference path below would pass.
        fast = _fast_ulabel(decoded, bidi_domain)
        if fast is not None and fast == a:
            return LabelResult(a, decoded, a, profile, _deviation_findings(decoded, label_index)), len(a)
    try:
        # DNS compares ASCII case-insensitively, so "XN--BCHER-KVA" is the label "xn--bcher-kva";
        # registration is told (rfc5891.alabel_case) but the label is not decoded as "BüCHER".
        u = decode(a[4:].lower())
    except PunycodeError as e:
        pos = None if e.position is None else e.position + 4
        f = Finding(
            "rfc3492.invalid",
            f"the part after xn-- is not valid Punycode: {e.args[0].split(': ', 1)[-1]}"
            + (f" (character {pos} of the label)" if pos else ""),
            None,
            None,
            label_index,
        )
        return LabelResult(a, None, None, profile, (f,)), len(a)
    if not u or u.isascii():
        fake = Finding(
            "rfc5890.fake_alabel",
            f"the label starts with xn-- but decodes to {u!r}, which is not a non-ASCII U-label: it is a fake A-label",
            None,
            None,
            label_index,
        )
        return LabelResult(a, None, None, profile, (fake,)), len(a)  # "zz-" is no U-label
    findings = _ulabel_findings(u, profile, bidi_domain, label_index)
    canonical = ACE_PREFIX + encode(u)
    # RFC 5891 §5.3 requires the round trip.  With this decoder (basic code points only before the
    # delimiter, no basic code point in the encoded part, case folded) Punycode is injective, so
    # this is a guard against decoder faults rather than a case real input reaches.
    if canonical != a.lower():
        findings.append(
            Finding(
                "rfc5891.alabel_roundtrip",
                f"the label decodes to {u!r}, whose A-label is {canonical!r}, not {a!r}",
                None,
                None,
                label_index,
            )
        )
    elif profile is Profile.REGISTRATION and a != canonical:
        findings.append(
            Finding(
                "rfc5891.alabel_case",
                f"A-labels are registered in lowercase: {canonical!r}",
                None,
                None,
                label_index,
                Severity.WARNING,
            )
        )
    too_long = _length_finding(a, label_index)
    if too_long:
        findings.append(too_long)
    result = LabelResult(a, u, None, profile, tuple(findings))
    if result.ok:
        result = LabelResult(a, u, canonical, profile, result.findings)
    return result, len(a)


def _mapping_note(original: str, mapped: str, rule: str, label_index: int | None) -> Finding:
    if rule == "uts46.mapped":
        text = f"the input was mapped to {mapped!r} (UTS #46: case, width and compatibility forms) before checking"
    else:
        text = f"this is not a valid U-label as typed; UTS #46 lookup mapping would turn it into {mapped!r}"
    return Finding(rule, text, None, None, label_index, Severity.WARNING)


def check_label(
    label: str, *, profile: Profile = Profile.REGISTRATION, bidi_domain: bool = False, map: bool | None = None
) -> LabelResult:
    """Check one label (U-label or A-label) and report every finding.

    ``bidi_domain`` says whether the label's name contains right-to-left text elsewhere: RFC 5893
    applies to every label of such a name, so an LTR label checked alone must be told.  ``map``
    applies UTS #46 mapping first; it defaults to on for the lookup profile, off for registration.

    >>> check_label("bücher").alabel
    'xn--bcher-kva'
    >>> [f.rule for f in check_label("Bücher").errors]
    ['rfc5892.disallowed']
    """
    if type(label) is not str:  # a type test the hot path can afford; bytes get a message saying what to pass
        require_str(label, "check_label")
    if _native_label is not None:
        # One native call decides an ordinary valid label (U- or A-label) and builds its result;
        # None sends it down the reference path below, which words every finding.
        fast_result = _native_label(label, profile, bidi_domain, profile is _LOOKUP if map is None else map)
        if fast_result is not None:
            return fast_result
    unmapped = not map and (map is not None or profile is Profile.REGISTRATION)
    if _native_label is None and unmapped and 0 < len(label) <= MAX_LABEL_INPUT and label[:4].lower() != ACE_PREFIX:
        # Fast path inlined: most labels are valid, and this is the call a zone audit makes most.
        fast = _fast_ulabel(label, bidi_domain)
        if fast is not None:
            return LabelResult.valid(label, fast, profile, _deviation_findings(label, None))
    return _label(label, profile, bidi_domain, map, None, suggest=True, native_checked=_native_label is not None)[0]


def _label(
    label: str,
    profile: Profile,
    bidi_domain: bool,
    map: bool | None,
    label_index: int | None,
    *,
    suggest: bool,
    decoded: str | None = None,
    native_checked: bool = False,
) -> tuple[LabelResult, int]:
    if map is None:
        map = profile is Profile.LOOKUP
    if map and len(label) <= MAX_LABEL_INPUT:
        mapped = map_string(label)
        if mapped != label:
            result, length = _check_one(mapped, profile, bidi_domain, label_index)
            note = _mapping_note(label, mapped, "uts46.mapped", label_index)
            return LabelResult(label, result.ulabel, result.alabel, profile, (note, *result.findings), mapped), length
    result, length = _check_one(label, profile, bidi_domain, label_index, decoded, native_checked)
    if suggest and not result.ok and not map and len(label) <= MAX_LABEL_INPUT:
        suggestion = map_string(label)
        if suggestion != label and _suggestion_valid(suggestion, profile, bidi_domain, label_index):
            note = _mapping_note(label, suggestion, "uts46.would_map", label_index)
            result = LabelResult(label, result.ulabel, None, profile, (*result.findings, note))
    return result, length


def _suggestion_valid(suggestion: str, profile: Profile, bidi_domain: bool, label_index: int | None) -> bool:
    """Whether a UTS #46-mapped label is valid as it stands, for the would-map note.

    Under registration the native check answers None only for a label with an error (the one
    exception, an A-label in upper case, cannot come out of the mapping, which lowercases ASCII;
    tests/test_native.py holds this), so its None settles it without building the findings.
    """
    if _native_label is not None and profile is Profile.REGISTRATION:
        return _native_label(suggestion, profile, bidi_domain, False) is not None
    return _check_one(suggestion, profile, bidi_domain, label_index)[0].ok


def _ulabel_form(label: str) -> str:
    if label[:4].lower() == ACE_PREFIX and label.isascii() and len(label) <= MAX_LABEL_INPUT:
        try:
            return decode(label[4:])
        except PunycodeError:
            return label
    return label


def check_domain(name: str, *, profile: Profile = Profile.REGISTRATION, map: bool | None = None) -> DomainResult:
    """Check a whole name: every label, the Bidi rule across labels, and the name's length.

    A single trailing dot (the root) is accepted.  ``map`` as for :func:`check_label`; mapping
    applies to the whole name, so full-width and ideographic full stops separate labels.

    >>> check_domain("bücher.example").ascii
    'xn--bcher-kva.example'
    """
    if type(name) is not str:  # the hot path's type test, as check_label's
        require_str(name, "check_domain")
    if map is None:
        map = profile is _LOOKUP
    decided: tuple[LabelResult | None, ...] | None = None
    if _native_domain is not None:
        # A valid name, built in one call.  Unmapped, a name it cannot accept whole comes back as
        # the labels it did accept (None for the others) and the name's bidi_domain, so that only
        # the failing labels are decided and worded below; None: the whole name is Python's.
        fast = _native_domain(name, profile, map, not map)
        if isinstance(fast, DomainResult):
            return fast
        if fast is not None:
            decided, bidi = fast
    if len(name) > MAX_NAME_INPUT:
        f = Finding(
            "dns.input_too_long",
            f"the name is {len(name)} code points long, far over the "
            f"{MAX_NAME_OCTETS}-octet limit; it was not examined further",
        )
        return DomainResult(name, None, None, profile, (), (f,))
    mapped = map_string(name) if map else name
    name_findings: list[Finding] = []
    if mapped != name:
        name_findings.append(_mapping_note(name, mapped, "uts46.mapped", None))
    labels = mapped.split(".")
    root = "." if len(labels) > 1 and labels[-1] == "" else ""
    if root:
        labels.pop()  # the root label: "example.com." is fully qualified
    results = []
    total = len(labels) - 1
    if decided is not None:
        # The native core split the name as above (mapped is name) and saw its RTL text.
        for i, (label, done) in enumerate(zip(labels, decided, strict=True), 1):
            if done is None:
                # The native check turned this label down (A-labels included), so the shortcuts
                # that ask it again are skipped: the reference path decides.
                result, length = _label(label, profile, bidi, False, i, suggest=False, native_checked=True)
            else:
                result, length = done, len(done.alabel)  # type: ignore[arg-type] # valid: alabel is set
            results.append(result)
            total += length
    else:
        forms = [_ulabel_form(label) for label in labels]  # A-labels decoded once, here
        # RFC 5893 §2: the Bidi rule holds for every label once any label (in U-label form) is RTL.
        rtl_char = lazy("RTL_CHAR")
        bidi = any(not form.isascii() and rtl_char.search(form) is not None for form in forms)
        for i, (label, form) in enumerate(zip(labels, forms, strict=True), 1):
            result, length = _label(label, profile, bidi, False, i, suggest=False, decoded=form)
            results.append(result)
            total += length
    if total > MAX_NAME_OCTETS:
        name_findings.append(
            Finding("dns.name_too_long", f"the name is {total} octets in ASCII form; the limit is {MAX_NAME_OCTETS}")
        )
    ok = all(r.ok for r in results) and not any(f.is_error for f in name_findings)
    uname = ".".join(r.ulabel or r.input for r in results) + root
    ascii_name = ".".join(r.alabel or "" for r in results) + root if ok else None
    if not map and not ok:
        suggestion = map_string(name)
        if suggestion != name and (
            _native_domain(suggestion, profile, False) is not None
            if _native_domain is not None and profile is Profile.REGISTRATION
            else check_domain(suggestion, profile=profile, map=False).ok
        ):
            name_findings.append(_mapping_note(name, suggestion, "uts46.would_map", None))
    return DomainResult(
        name, uname, ascii_name, profile, tuple(results), tuple(name_findings), mapped if mapped != name else None, bidi
    )


_DOMAIN_OK_PYTHON: property = DomainResult.__dict__["ok"]  # the reference, when the native core is off
_native_label: Callable[[str, Profile, bool, bool], LabelResult | None] | None = None
# check_domain(name, profile, map, partial): see check_domain above.
_native_domain: Callable[..., DomainResult | tuple[tuple[LabelResult | None, ...], bool] | None] | None = None
_flagged: Callable[[str], list[int]] = _flagged_python
_bidi_classes: Callable[[str], list[str]] = _bidi_classes_python
_use_native(True)
