"""The URL Standard's host parsing of a domain: domain parser, domain to Unicode, IPv4.

Follows the WHATWG URL Standard, living standard at whatwg/url commit 6ae8486 (2026-07-02),
section 3 "Hosts (domains and IP addresses)": §3.2 "Host miscellaneous" (forbidden host and
domain code points), §3.3 "IDNA" (the *domain parser*, called "domain to ASCII" until 2026-06-25,
anchor #concept-domain-to-ascii; *domain parser ToASCII*; *domain to Unicode*) and §3.5 "Host
parsing" (the *host parser* steps for a domain, the *ends in a number checker*, the *IPv4 parser*
and the *IPv4 number parser*).  Step numbers in comments are the Standard's.

The Standard's algorithms return failure or a value and "validation errors" that do not stop
parsing; here a failure is an error finding and a validation error a warning, so a caller sees
both what a browser does and what a conformance checker would report.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from ..findings import Finding, Severity, format_cp
from ..idna._uts46 import Uts46Options, _to_ascii
from ..idna._uts46 import to_unicode as uts46_to_unicode
from ..unicode import describe

# §3.3 "domain parser ToASCII" with beStrict true and false: CheckHyphens, UseSTD3ASCIIRules and
# VerifyDnsLength set to beStrict; CheckBidi and CheckJoiners true; Transitional_Processing and
# IgnoreInvalidPunycode false.
STRICT = Uts46Options(True, True, True, True, False, True, False)
LENIENT = Uts46Options(False, True, True, False, False, False, False)

# §3.2: a forbidden host code point, and a forbidden domain code point (the former, C0 controls,
# U+0025 (%) and U+007F DELETE).
FORBIDDEN_HOST = frozenset("\x00\t\n\r #/:<>?@[\\]^|")
FORBIDDEN_DOMAIN = FORBIDDEN_HOST | frozenset(chr(c) for c in range(0x20)) | {"%", "\x7f"}


@dataclass(frozen=True, slots=True)
class Host:
    """What the host parser returns for a domain input: the host (None on failure) and findings."""

    host: str | None  # the serialized host: an ASCII domain or a dotted-decimal IPv4 address
    host_type: str | None  # "domain" or "ipv4"
    unicode: str | None  # domain to Unicode of a domain host
    findings: tuple[Finding, ...]


def _finding(
    rule: str,
    message: str,
    severity: Severity = Severity.ERROR,
    position: int | None = None,
    codepoint: str | None = None,
) -> Finding:
    return Finding(rule, message, position, codepoint, None, severity)


def domain_parser(domain: str, findings: list[Finding]) -> str | None:
    """§3.3 domain parser with beStrict false: the ASCII domain, or None for failure."""
    # Steps 1-2: the strict ToASCII only signals a validation error (a conformance checker's view).
    strict = _to_ascii(domain, STRICT)
    if not strict.ok:
        rules = sorted({f.rule for f in strict.findings if f.is_error})
        findings.append(
            _finding(
                "whatwg.domain_to_ascii",
                "domain-to-ASCII validation error: strict UTS #46 ToASCII (beStrict true) refuses this "
                f"domain ({', '.join(rules)}); browsers still accept it",
                Severity.WARNING,
            )
        )
    # Steps 4-6: an ASCII domain is lowercased whatever ToASCII says (web compatibility); any
    # other goes through ToASCII with beStrict false.
    if domain.isascii():
        result = domain.lower()
    else:
        lenient = _to_ascii(domain, LENIENT)
        if not lenient.ok:
            findings.extend(lenient.findings)
            return None
        findings.extend(f for f in lenient.findings if not f.is_error)
        result = lenient.result
    if result == "":  # step 7
        findings.append(_finding("whatwg.empty_host", "the domain is empty after UTS #46 processing"))
        return None
    bad = [(i, c) for i, c in enumerate(result) if c in FORBIDDEN_DOMAIN]  # step 8
    if bad:
        for i, c in bad:
            findings.append(
                _finding(
                    "whatwg.forbidden_domain_code_point",
                    f"{describe(ord(c))} is a forbidden domain code point (URL Standard §3.2)",
                    position=i + 1,
                    codepoint=format_cp(ord(c)),
                )
            )
        return None
    return result


def domain_to_unicode(domain: str) -> str:
    """§3.3 domain to Unicode: UTS #46 ToUnicode with the URL Standard's options; on any recorded
    error the domain itself (so that the domain parser and domain to Unicode round-trip)."""
    options = LENIENT.to_dict()
    del options["verify_dns_length"]
    result = uts46_to_unicode(domain, **options)
    return result.result if result.ok else domain


def _ipv4_number(part: str) -> tuple[int, bool] | None:
    """§3.5 IPv4 number parser: the number and whether it was not decimal, or None for failure."""
    if part == "":
        return None
    radix, text = 10, part
    if len(text) >= 2 and text[:2] in ("0x", "0X"):
        radix, text = 16, text[2:]
    elif len(text) >= 2 and text[0] == "0":
        radix, text = 8, text[1:]
    if text == "":
        return 0, True
    digits = {10: "0123456789", 16: "0123456789abcdefABCDEF", 8: "01234567"}[radix]
    if any(c not in digits for c in text):
        return None
    return int(text, radix), radix != 10


def ends_in_a_number(text: str) -> bool:
    """§3.5 ends in a number checker."""
    parts = text.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    if last != "" and all(c in "0123456789" for c in last):
        return True
    return _ipv4_number(last) is not None


def ipv4_parser(text: str, findings: list[Finding]) -> int | None:
    """§3.5 IPv4 parser: the address as a 32-bit number, or None for failure."""
    parts = text.split(".")
    if parts[-1] == "":
        findings.append(_finding("whatwg.ipv4_validation", "IPv4-empty-part validation error", Severity.WARNING))
        if len(parts) > 1:
            parts.pop()
    if len(parts) > 4:
        findings.append(_finding("whatwg.ipv4_invalid", "IPv4-too-many-parts: more than four parts"))
        return None
    if len(parts) < 4:
        findings.append(_finding("whatwg.ipv4_validation", "IPv4-too-few-parts validation error", Severity.WARNING))
    numbers = []
    for part in parts:
        parsed = _ipv4_number(part)
        if parsed is None:
            findings.append(_finding("whatwg.ipv4_invalid", f"IPv4-non-numeric-part: {part!r} is not a number"))
            return None
        if parsed[1]:
            findings.append(
                _finding(
                    "whatwg.ipv4_validation", f"IPv4-non-decimal-part validation error: {part!r}", Severity.WARNING
                )
            )
        numbers.append(parsed[0])
    if any(n > 255 for n in numbers):
        findings.append(_finding("whatwg.ipv4_validation", "IPv4-out-of-range-part validation error", Severity.WARNING))
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        findings.append(_finding("whatwg.ipv4_invalid", "IPv4-out-of-range-part: a part is out of range"))
        return None
    ipv4 = numbers[-1]
    for counter, n in enumerate(numbers[:-1]):
        ipv4 += n * 256 ** (3 - counter)
    return ipv4


def serialize_ipv4(address: int) -> str:
    """§3.6 host serializer for an IPv4 address: four decimal numbers joined by dots."""
    return ".".join(str((address >> shift) & 0xFF) for shift in (24, 16, 8, 0))


def parse_host(text: str) -> Host:
    """§3.5 host parser steps for a (not opaque) host that is not an IPv6 literal."""
    findings: list[Finding] = []
    if text.startswith("["):  # step 1: IPv6 literals are addresses, not domains
        findings.append(
            _finding("whatwg.not_a_domain", "an IPv6 address literal is not a domain; idnkit checks domains")
        )
        return Host(None, None, None, tuple(findings))
    if text == "":
        findings.append(_finding("whatwg.empty_host", "the host is empty"))
        return Host(None, None, None, tuple(findings))
    if "%" in text and any(
        len(text) > i + 2 and all(c in "0123456789abcdefABCDEF" for c in text[i + 1 : i + 3])
        for i, ch in enumerate(text)
        if ch == "%"
    ):  # step 4
        findings.append(
            _finding("whatwg.domain_percent_encoded", "domain-percent-encoded validation error", Severity.WARNING)
        )
    # Step 5: UTF-8 decode without BOM of the percent-decoding (bad bytes become U+FFFD, which
    # the domain parser refuses as disallowed).
    domain = unquote(text, encoding="utf-8", errors="replace")
    ascii_domain = domain_parser(domain, findings)  # steps 6-7
    if ascii_domain is None:
        return Host(None, None, None, tuple(findings))
    if ends_in_a_number(ascii_domain):  # step 8
        address = ipv4_parser(ascii_domain, findings)
        if address is None:
            return Host(None, None, None, tuple(findings))
        serialized = serialize_ipv4(address)
        findings.insert(
            0,
            _finding(
                "whatwg.ipv4",
                f"the host ends in a number, so the URL parser reads it as the IPv4 address {serialized}",
                Severity.WARNING,
            ),
        )
        return Host(serialized, "ipv4", serialized, tuple(findings))
    return Host(ascii_domain, "domain", domain_to_unicode(ascii_domain), tuple(findings))  # step 9
