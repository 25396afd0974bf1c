"""idnkit's one exception tree.  Strict helpers raise these; checks return findings instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .findings import Finding


class IdnkitError(ValueError):
    """Root of every error idnkit raises on purpose."""


class IdnaError(IdnkitError):
    """A label or name is not valid IDNA2008; carries the first error and all findings."""

    def __init__(self, finding: Finding, findings: tuple[Finding, ...] = (), label: str | None = None) -> None:
        self.finding = finding
        self.findings = findings or (finding,)
        self.rule = finding.rule
        self.position = finding.position
        self.codepoint = finding.codepoint
        self.label = label
        self.source = finding.source
        where = f"label {finding.label_index}, " if finding.label_index else ""
        where += f"position {finding.position}: " if finding.position else ""
        more = f" (and {len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        super().__init__(f"{where}{finding.message} [{finding.rule}]{more}")


class CodepointError(IdnaError):
    """A code point is DISALLOWED or UNASSIGNED (RFC 5892)."""


class ContextError(IdnaError):
    """A CONTEXTJ or CONTEXTO rule is not met (RFC 5892 Appendix A)."""


class BidiError(IdnaError):
    """The Bidi rule is not met (RFC 5893)."""


class HyphenError(IdnaError):
    """Hyphen restrictions (RFC 5891 §4.2.3.1)."""


class LengthError(IdnaError):
    """A label or name is empty or too long (RFC 1035, RFC 5890)."""


class ALabelError(IdnaError):
    """An xn-- label is not a valid A-label (Punycode, round trip, fake A-label)."""


class InputError(IdnkitError):
    """Input that cannot be read at all (bad UTF-8, unreadable file); names file and line."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        where = ":".join(str(x) for x in (file, line) if x is not None)
        super().__init__(f"{where}: {message}" if where else message)


def error_class(rule: str) -> type[IdnaError]:
    if rule.startswith(("rfc5892.contextj", "rfc5892.contexto")):
        return ContextError
    if rule.startswith(("rfc5892.", "uts46.disallowed", "uts46.std3")):
        return CodepointError
    if rule.startswith("rfc5893."):
        return BidiError
    if rule.startswith("rfc5891.hyphen"):
        return HyphenError
    if rule.startswith("dns."):
        return LengthError
    if rule.startswith(("rfc3492.", "rfc5890.fake", "rfc5891.alabel", "uts46.xn")):
        return ALabelError
    return IdnaError


def raise_first(findings: tuple[Finding, ...], label: str | None = None) -> None:
    """Raise the first error of ``findings`` as the matching IdnaError subclass."""
    errors = tuple(f for f in findings if f.is_error)
    if errors:
        raise error_class(errors[0].rule)(errors[0], errors, label)
