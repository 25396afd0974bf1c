"""The EPP layer's values: a parsed command, its findings, and the response (all frozen)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import IdnkitError
from ..findings import Finding
from ..policy import RegistrationCheck

EPP_NS = "urn:ietf:params:xml:ns:epp-1.0"  # RFC 5730 §2
DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"  # RFC 5731 §2


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on one command: its size in bytes, its element depth, the names one check may ask about."""

    max_bytes: int = 64 * 1024
    max_depth: int = 32
    max_check_names: int = 100


LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class EppFinding:
    """One reason a command (or one name of a check) is refused: a :class:`~idnkit.Finding` and what EPP adds.

    ``code`` is the EPP result code it calls for (RFC 5730 §3); ``finding`` the rule, message, source
    and place (docs/rules.md); ``element`` and ``namespace`` name the client's element it is about
    (written back in ``<extValue><value>``), ``value`` that element's text as the client sent it.
    ``placed``: the message is read after the finding's place (label, position, code point), as for
    IDNA2008's findings on a whole name, where the label is not otherwise said.
    """

    code: int
    finding: Finding
    element: str | None = None
    namespace: str | None = None
    value: str | None = None
    placed: bool = False

    @property
    def rule(self) -> str:
        return self.finding.rule

    @property
    def message(self) -> str:
        return self.finding.placed_message() if self.placed else self.finding.message

    @property
    def source(self) -> str:
        return self.finding.source

    @property
    def reason(self) -> str:
        """The text of ``<reason>`` (and of ``<domain:reason>`` in a check): the rule id, then why."""
        return f"{self.rule}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule": self.rule,
            "message": self.message,
            "source": self.source,
            "element": self.element,
            "value": self.value,
            "position": self.finding.position,
            "codepoint": self.finding.codepoint,
        }


@dataclass(frozen=True, slots=True)
class IdnTag:
    """An IDN table or language tag as one convention carries it (docs/epp.md, "Tag conventions")."""

    convention: str  # "ietf", "verisign", "afilias", "ari"
    value: str
    element: str  # the element as written back in an <extValue>, e.g. "idn:table"
    namespace: str


@dataclass(frozen=True, slots=True)
class UnicodeForm:
    """The Unicode form of the name a create sends beside its A-labels (``<idn:uname>``, ARI's ``<userForm>``).

    ``mapped`` is true for a form a user typed (ARI's userForm), compared after UTS #46 mapping;
    an ``<idn:uname>`` must be the NFC U-label form itself.
    """

    value: str
    element: str
    namespace: str
    mapped: bool = False


@dataclass(frozen=True, slots=True)
class EppCommand:
    """A parsed ``<domain:check>``, ``<domain:create>`` or ``<domain:info>``, names as the client wrote them."""

    kind: str  # "check", "create", "info"
    names: tuple[str, ...]
    cltrid: str | None = None
    tags: tuple[IdnTag, ...] = ()
    unicode_forms: tuple[UnicodeForm, ...] = ()
    period: tuple[int, str] | None = None  # (value, unit) of <domain:period>


@dataclass(frozen=True, slots=True)
class EppName:
    """One name of a ``<domain:check>``: available or not, and why not."""

    name: str
    avail: bool
    findings: tuple[EppFinding, ...] = ()

    @property
    def reason(self) -> str | None:
        """``<domain:reason>``: every reason against the name, rule id first, ``; ``-separated."""
        return "; ".join(f.reason for f in self.findings) or None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "avail": self.avail, "reason": self.reason,
                "findings": [f.to_dict() for f in self.findings]}  # fmt: skip


@dataclass(frozen=True, slots=True)
class EppResponse:
    """The answer to one command: the EPP result code, the response document, and every finding.

    ``xml`` is the RFC 5730 §2.6 response document (UTF-8); ``names`` holds a check's per-name
    answers; ``registration`` is the registry's record of a create (its bundle of variants).
    """

    code: int
    message: str
    xml: bytes
    command: str | None
    cltrid: str | None
    svtrid: str
    findings: tuple[EppFinding, ...] = ()
    names: tuple[EppName, ...] = ()
    registration: RegistrationCheck | None = None

    @property
    def ok(self) -> bool:
        """True for a 1xxx code (the command succeeded)."""
        return self.code < 2000

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "command": self.command,
            "cltrid": self.cltrid,
            "svtrid": self.svtrid,
            "findings": [f.to_dict() for f in self.findings],
            "names": [n.to_dict() for n in self.names],
            "registration": self.registration.to_dict() if self.registration else None,
        }


class EppError(IdnkitError):
    """A command that cannot be read or is not one idnkit validates; ``response`` is the EPP answer to send."""

    def __init__(self, response: EppResponse) -> None:
        self.response = response
        self.code = response.code
        self.findings = response.findings
        first = response.findings[0].reason if response.findings else response.message
        super().__init__(f"EPP {response.code} {response.message}: {first}")
