"""Named profiles: the processing each kind of software that handles domain names applies.

One place names them all, with the standard each follows and the value of every UTS #46 option
(docs/profiles.md has the table):

* ``registration`` — IDNA2008 registration (RFC 5891 §4), what a registry applies;
* ``lookup`` — IDNA2008 lookup (RFC 5891 §5) after UTS #46 mapping, what a resolver applies;
* ``uts46`` — UTS #46 ToASCII/ToUnicode, every §4 option settable (IdnaTestV2's defaults);
* ``whatwg-url`` — the URL Standard's host parser on a domain: the domain parser (formerly
  "domain to ASCII", beStrict false) with its forbidden domain code points, domain to Unicode;
* ``display`` — whether an application shows each label in Unicode or as its A-label: the
  policies browsers publish (UTS #39 §5.2, Firefox, Chromium), each returning its reasons;
* ``email`` — the domain part of an SMTPUTF8 address (RFC 6531 §3.3, RFC 6532 §3.2).

>>> from idnkit import profiles
>>> profiles.check("Bücher.example", "lookup").ascii
'xn--bcher-kva.example'
>>> profiles.check("-x.example", "whatwg-url").ascii
'-x.example'
>>> profiles.check("аррӏе.com", "display").display.shown
'xn--80ak6aa92e.com'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import ProfileError, require_str
from ..findings import Finding, Severity
from ..idna import DomainResult, LabelResult, Profile, check_domain
from ..idna._uts46 import Uts46Options, _to_ascii
from ..idna._uts46 import to_unicode as _uts46_to_unicode
from . import _display, _whatwg

__all__ = [
    "FIREFOX_PROFILES",
    "NAMES",
    "POLICIES",
    "PROFILES",
    "DisplayDecision",
    "DisplayOptions",
    "LabelDisplay",
    "NamedProfile",
    "ProfileError",
    "ProfileResult",
    "check",
    "get",
]

POLICIES = _display.POLICIES
FIREFOX_PROFILES = _display.FIREFOX_PROFILES


@dataclass(frozen=True, slots=True)
class NamedProfile:
    """A profile: its name, what it is for, the standard it follows and its option values.

    ``options`` gives every UTS #46 §4 option its value under the profile (for the IDNA2008
    profiles, the value of the IDNA2008 test that corresponds), plus the profile's own settings.
    Only ``uts46`` takes other UTS #46 option values; the others follow their standard.
    """

    name: str
    summary: str
    cite: str
    options: tuple[tuple[str, Any], ...]
    engine: str  # "idna2008" or "uts46": which algorithm decides validity

    @property
    def options_dict(self) -> dict[str, Any]:
        return dict(self.options)


def _opts(**values: Any) -> tuple[tuple[str, Any], ...]:
    return tuple(values.items())


_IDNA2008_BASE = {
    "check_hyphens": True,
    "check_bidi": True,
    "check_joiners": True,
    "use_std3_ascii_rules": True,
    "transitional_processing": False,
    "verify_dns_length": True,
    "ignore_invalid_punycode": False,
}

PROFILES: Mapping[str, NamedProfile] = {
    p.name: p
    for p in (
        NamedProfile(
            "registration",
            "a registry's checks before a label enters a zone",
            "RFC 5891 §4",
            _opts(map=False, **_IDNA2008_BASE, check_contexto="error", ascii_case="folded"),
            "idna2008",
        ),
        NamedProfile(
            "lookup",
            "an application's checks before it resolves a name, after UTS #46 mapping",
            "RFC 5891 §5; UTS #46 §4 step 1 mapping (RFC 5895)",
            _opts(
                map=True,
                **{**_IDNA2008_BASE, "check_hyphens": "3-4-only"},
                check_contexto="warning",
                ascii_case="mapped",
            ),
            "idna2008",
        ),
        NamedProfile(
            "uts46",
            "UTS #46 ToASCII and ToUnicode with any processing options",
            "UTS #46 §4, §4.1-§4.3",
            _opts(map=True, **Uts46Options().to_dict(), ascii_case="mapped"),
            "uts46",
        ),
        NamedProfile(
            "whatwg-url",
            "a URL parser's host parsing of a domain (browsers, HTTP clients, URL libraries)",
            "URL Standard §3.3 domain parser (beStrict false), domain to Unicode; §3.2 forbidden domain code point",
            _opts(map=True, **_whatwg.LENIENT.to_dict(), forbidden_domain_code_points=True, ascii_case="lowercased"),
            "uts46",
        ),
        NamedProfile(
            "display",
            "whether to show each label in Unicode or as its A-label (browsers' address bars)",
            "UTS #39 §5.2; Firefox network.IDN.restriction_profile; Chromium IDN display policy",
            _opts(
                map=True,
                **_whatwg.LENIENT.to_dict(),
                forbidden_domain_code_points=True,
                ascii_case="lowercased",
                policies=",".join(POLICIES),
                firefox_restriction_profile="high",
            ),
            "uts46",
        ),
        NamedProfile(
            "email",
            "the domain part of an SMTPUTF8 address",
            "RFC 6531 §3.2, §3.3, §3.7; RFC 6532 §3.2; RFC 5321 §4.1.2",
            _opts(
                map=False,
                **_IDNA2008_BASE,
                check_contexto="error",
                ascii_case="folded",
                trailing_dot=False,
                reserved_ldh="warning",
            ),
            "idna2008",
        ),
    )
}
NAMES = tuple(PROFILES)


def get(name: str | NamedProfile) -> NamedProfile:
    """The profile called ``name`` (a :class:`NamedProfile` is returned as it is)."""
    if isinstance(name, NamedProfile):
        return name
    try:
        return PROFILES[name]
    except KeyError:
        raise ProfileError(f"no profile {name!r}: the profiles are {', '.join(NAMES)}") from None


@dataclass(frozen=True, slots=True)
class DisplayOptions:
    """The display profile's settings: which policies decide, Firefox's restriction profile, and
    the top domains a name's skeleton is compared with (Chromium's step 13; none by default)."""

    policies: tuple[str, ...] = POLICIES
    firefox_restriction_profile: str = "high"
    top_domains: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        unknown = [p for p in self.policies if p not in POLICIES]
        if unknown or not self.policies:
            raise ProfileError(f"display policies are {', '.join(POLICIES)}, not {', '.join(unknown) or 'none'}")
        if self.firefox_restriction_profile not in FIREFOX_PROFILES:
            raise ProfileError(
                f"network.IDN.restriction_profile is one of {', '.join(FIREFOX_PROFILES)}, "
                f"not {self.firefox_restriction_profile!r}"
            )

    @classmethod
    def with_top_domains(cls, names: Iterable[str], **kwargs: Any) -> DisplayOptions:
        """Options whose top-domain list is ``names`` (each lowercased, a final dot removed)."""
        domains = frozenset(n.strip().rstrip(".").lower() for n in names if n.strip() and not n.startswith("#"))
        return cls(top_domains=domains, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policies": ",".join(self.policies),
            "firefox_restriction_profile": self.firefox_restriction_profile,
            "top_domains": len(self.top_domains),
        }


@dataclass(frozen=True, slots=True)
class LabelDisplay:
    """One label's display: its two forms, which one is shown, and why not Unicode."""

    ascii: str
    unicode: str
    as_unicode: bool
    reasons: tuple[Finding, ...] = ()

    @property
    def shown(self) -> str:
        return self.unicode if self.as_unicode else self.ascii

    def to_dict(self) -> dict[str, Any]:
        return {
            "ascii": self.ascii,
            "unicode": self.unicode,
            "shown": self.shown,
            "as_unicode": self.as_unicode,
            "reasons": [f.to_dict() for f in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class DisplayDecision:
    """The name as to be shown, label by label, with every reason a label is not shown in Unicode."""

    labels: tuple[LabelDisplay, ...]
    reasons: tuple[Finding, ...]  # every reason, the name-level ones (top domains) first

    @property
    def shown(self) -> str:
        return ".".join(label.shown for label in self.labels)

    @property
    def as_unicode(self) -> bool:
        """Every label is shown in its Unicode form."""
        return all(label.as_unicode for label in self.labels)

    def to_dict(self) -> dict[str, Any]:
        return {
            "shown": self.shown,
            "as_unicode": self.as_unicode,
            "labels": [label.to_dict() for label in self.labels],
            "reasons": [f.to_dict() for f in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class ProfileResult:
    """The verdict of one profile on one name.

    ``ok`` is the profile's own verdict; ``ascii`` its ASCII form (None when not ok), ``unicode``
    its Unicode form.  ``subject`` is what was checked when it is not the input (the domain part of
    an email address).  ``domain`` is the IDNA2008 result behind the registration, lookup and email
    profiles; ``host_type`` says what the URL parser made of the input ("domain" or "ipv4");
    ``display`` is the display profile's decision.
    """

    input: str
    profile: str
    options: tuple[tuple[str, Any], ...]
    ok: bool
    unicode: str | None
    ascii: str | None
    findings: tuple[Finding, ...]
    subject: str | None = None
    domain: DomainResult | None = None
    host_type: str | None = None
    display: DisplayDecision | None = field(default=None)

    @property
    def options_dict(self) -> dict[str, Any]:
        return dict(self.options)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_error)

    def to_dict(self) -> dict[str, Any]:
        """The fields of the ``idnkit.check/1`` record (docs/json-schema.md)."""
        if self.domain is not None:
            out = self.domain.to_dict()
            out.update(valid=self.ok, profile=self.profile, options=self.options_dict)
        else:
            out = {
                "input": self.input,
                "valid": self.ok,
                "profile": self.profile,
                "options": self.options_dict,
                "mapped": None,
                "name": self.unicode,
                "ascii": self.ascii,
                "findings": [f.to_dict() for f in self.findings],
            }
        if self.subject is not None:
            out["subject"] = self.subject
        if self.host_type is not None:
            out["host_type"] = self.host_type
        if self.display is not None:
            out["display"] = self.display.to_dict()
        return out


def check(
    name: str,
    profile: str | NamedProfile = "registration",
    *,
    map: bool | None = None,
    options: Uts46Options | None = None,
    display: DisplayOptions | None = None,
) -> ProfileResult:
    """Check ``name`` under the named ``profile``.

    ``map`` (registration and lookup) turns UTS #46 mapping on or off as for
    :func:`~idnkit.check_domain`; ``options`` (uts46 only) are the UTS #46 processing options;
    ``display`` (display only) selects the policies.  Any of them given to a profile that does not
    take it raises :class:`ProfileError`.

    >>> check("Example.COM").ascii, [f.rule for f in check("Example.COM").findings]
    ('example.com', ['dns.ascii_case', 'dns.ascii_case'])
    >>> check("_dmarc.example", "uts46", options=Uts46Options(use_std3_ascii_rules=False)).ok
    True
    """
    require_str(name, "profiles.check")
    named = get(profile)
    if map is not None and named.name not in ("registration", "lookup"):
        raise ProfileError(f"map applies to the registration and lookup profiles, not {named.name}")
    if options is not None and named.name != "uts46":
        raise ProfileError(f"UTS #46 options apply to the uts46 profile; {named.name} follows {named.cite}")
    if display is not None and named.name != "display":
        raise ProfileError(f"display options apply to the display profile, not {named.name}")
    if named.name in ("registration", "lookup"):
        return _idna2008(name, named, map)
    if named.name == "email":
        return _email(name, named)
    if named.name == "uts46":
        return _uts46(name, named, options or Uts46Options())
    if named.name == "whatwg-url":
        return _url(name, named)
    if named.name == "display":
        return _display_check(name, named, display or DisplayOptions())
    raise ProfileError(f"profile {named.name!r} has no implementation")  # a NamedProfile made by hand


def _idna2008(name: str, named: NamedProfile, map: bool | None) -> ProfileResult:
    idna_profile = Profile(named.name)
    result = check_domain(name, profile=idna_profile, map=map)
    options = named.options if map is None else tuple((k, map if k == "map" else v) for k, v in named.options)
    return ProfileResult(
        name, named.name, options, result.ok, result.name, result.ascii, result.findings, domain=result
    )


def _uts46(name: str, named: NamedProfile, options: Uts46Options) -> ProfileResult:
    ascii_result = _to_ascii(name, options)
    kwargs = options.to_dict()
    del kwargs["verify_dns_length"]  # a ToASCII option (UTS #46 §4.2 step 4)
    unicode_result = _uts46_to_unicode(name, **kwargs)
    record = tuple((k, options.to_dict().get(k, v)) for k, v in named.options)
    return ProfileResult(
        name,
        named.name,
        record,
        ascii_result.ok,
        unicode_result.result,
        ascii_result.result if ascii_result.ok else None,
        ascii_result.findings,
    )


def _url(name: str, named: NamedProfile) -> ProfileResult:
    host = _whatwg.parse_host(name)
    ok = host.host is not None
    return ProfileResult(name, named.name, named.options, ok, host.unicode, host.host, host.findings,
                         host_type=host.host_type)  # fmt: skip


# --- email ---------------------------------------------------------------------------------------


def _email(text: str, named: NamedProfile) -> ProfileResult:
    # RFC 5321 §4.1.2: Mailbox = Local-part "@" ( Domain / address-literal ); a Domain holds no "@",
    # so the domain is what follows the last one.  The local part is not a domain name: not checked.
    subject = text.rpartition("@")[2]
    if subject.startswith("["):
        literal = Finding("rfc5321.address_literal", "an address literal (RFC 5321 §4.1.3) is not a domain name")
        return ProfileResult(
            text, named.name, named.options, False, None, None, (literal,), subject if subject != text else None
        )
    domain = check_domain(subject, profile=Profile.REGISTRATION, map=False)
    labels = tuple(_email_label(lr) for lr in domain.labels)
    name_findings = list(domain.name_findings)
    if subject.endswith(".") and len(subject) > 1:
        # RFC 5321 §4.1.2: Domain = sub-domain *("." sub-domain): no root label in an address.
        name_findings.append(
            Finding("rfc5321.trailing_dot", "a mail domain is written without the final dot (RFC 5321 §4.1.2)")
        )
    elif len(labels) == 1 and labels[0].ok:
        name_findings.append(
            Finding(
                "rfc5321.single_label",
                "a domain of one label is not a fully qualified name; RFC 5321 §2.3.5 expects one",
                severity=Severity.WARNING,
            )
        )
    ok = all(lr.ok for lr in labels) and not any(f.is_error for f in name_findings)
    ascii_name = ".".join(lr.alabel or "" for lr in labels) if ok else None
    result = replace(domain, labels=labels, name_findings=tuple(name_findings), ascii=ascii_name)
    # RFC 6531 §3.7: with SMTPUTF8 the domain SHOULD be in U-label form, otherwise in A-label form
    # (and §3.2: a name looked up in the DNS is processed as IDNA2008 specifies).
    return ProfileResult(
        text,
        named.name,
        named.options,
        ok,
        result.name,
        ascii_name,
        result.findings,
        subject if subject != text else None,
        result,
    )


def _email_label(label: LabelResult) -> LabelResult:
    """An all-ASCII label with "--" in positions 3-4 (not xn--) is a reserved LDH label (RFC 5890
    §2.3.1), refused for registration but valid RFC 5321 §4.1.2 syntax (Ldh-str): a warning."""
    text = label.input
    if not text.isascii() or text[:4].lower() == "xn--" or not any(f.rule == "rfc5891.hyphen34" for f in label.errors):
        return label
    findings = tuple(
        Finding(
            "rfc5321.reserved_ldh",
            "hyphens in positions 3 and 4 make this a reserved LDH label (RFC 5890 §2.3.1), which registries "
            "refuse; RFC 5321 §4.1.2 allows it in a mail domain",
            f.position,
            f.codepoint,
            f.label_index,
            Severity.WARNING,
        )
        if f.rule == "rfc5891.hyphen34"
        else f
        for f in label.findings
    )
    relaxed = LabelResult(text, label.ulabel, None, label.profile, findings)
    if relaxed.ok:
        relaxed = LabelResult(text, label.ulabel, label.ulabel, label.profile, findings)
    return relaxed


# --- display -------------------------------------------------------------------------------------


def _display_check(name: str, named: NamedProfile, options: DisplayOptions) -> ProfileResult:
    settings = options.to_dict()
    record = (*((k, settings.get(k, v)) for k, v in named.options), ("top_domains", len(options.top_domains)))
    host = _whatwg.parse_host(name)
    if host.host is None or host.host_type != "domain" or host.unicode is None:
        return ProfileResult(name, named.name, record, host.host is not None, host.unicode, host.host, host.findings,
                             host_type=host.host_type)  # fmt: skip
    decision = decide(host.host, host.unicode, options)
    findings = host.findings + decision.reasons
    return ProfileResult(
        name, named.name, record, True, host.unicode, host.host, findings, host_type="domain", display=decision
    )


def decide(ascii_name: str, unicode_name: str, options: DisplayOptions | None = None) -> DisplayDecision:
    """The display decision for a host given in its ASCII and Unicode forms (URL Standard §3.3).

    A label is shown in Unicode when it has no reason against it from any selected policy.  When
    domain to Unicode recorded an error it returns the ASCII form, and every label stays ASCII.
    """
    options = options or DisplayOptions()
    ascii_labels = ascii_name.split(".")
    unicode_labels = unicode_name.split(".")
    name_reasons: list[Finding] = []
    if len(ascii_labels) != len(unicode_labels) or (
        unicode_name == ascii_name and any(label.startswith("xn--") for label in ascii_labels)
    ):
        name_reasons.append(
            Finding(
                "display.unicode_error",
                "UTS #46 ToUnicode records an error for this name, so it is shown as it is (URL Standard §3.3)",
                severity=Severity.WARNING,
            )
        )
        unicode_labels = ascii_labels
    core = [u for u in unicode_labels if u] or [""]
    tld_unicode = core[-1]
    tld = [a for a in ascii_labels if a][-1] if any(ascii_labels) else ""
    if options.top_domains and "chromium" in options.policies:
        match = _display.top_domain_matches(core, options.top_domains)
        if match is not None:
            name_reasons.append(
                Finding(
                    "display.chromium.top_domain",
                    f"the name's skeleton is that of the top domain {match!r} (Chromium IDN policy step 13)",
                    severity=Severity.WARNING,
                    ref="chromium",
                )
            )
    labels = []
    reasons = list(name_reasons)
    for index, (a, u) in enumerate(zip(ascii_labels, unicode_labels, strict=True), 1):
        if a == u:
            labels.append(LabelDisplay(a, u, True))
            continue
        label = _display.Label(u, index, tld, tld_unicode)
        why: list[Finding] = []
        for policy in options.policies:
            if policy == "firefox":
                why += _display.firefox(label, options.firefox_restriction_profile)
            else:
                why += _display.POLICY_CHECKS[policy](label)
        as_unicode = not why and not name_reasons
        labels.append(LabelDisplay(a, u, as_unicode, tuple(why)))
        reasons += why
    return DisplayDecision(tuple(labels), tuple(reasons))
