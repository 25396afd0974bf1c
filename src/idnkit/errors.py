"""idnkit's one exception tree.  Strict helpers raise these; checks return findings instead.

Every error idnkit raises on purpose is an :class:`IdnkitError` (a ``ValueError``)::

    IdnkitError
    ├── IdnaError            a label or name is not valid IDNA2008 (strict helpers)
    │   ├── CodepointError, ContextError, BidiError, HyphenError, LengthError, ALabelError
    ├── PunycodeError        malformed Punycode (RFC 3492)
    ├── InputError           input that cannot be read at all (bad UTF-8, an unreadable file)
    ├── ZoneError            a zone that cannot be read at all
    ├── AuditError           an audit that could not finish (a worker process died)
    ├── CollisionError       the collision index cannot be used as asked
    ├── LgrError             an LGR cannot answer
    │   └── LgrParseError    an LGR document that cannot be read (file:line)
    ├── PolicyError          a policy file that cannot be used (every problem, file:line)
    ├── EngineUnavailableError  a policy needs an engine this installation lacks
    ├── RegistryError        a registry operation that cannot be carried out
    │   └── RegistryStorageError  the registry database failed or cannot be used (corrupt, read-only, full...)
    │       ├── RegistryUnavailableError  it cannot be reached now (server down, file locked): retry later
    │       │   └── RegistryBusyError     it is up but did not do the work in time (statement or lock timeout)
    │       │       └── RegistryRetryError  a transaction lost a race with a concurrent one (Registry runs it again)
    │       └── RegistrySchemaError       its schema is not one this idnkit can use (newer, unknown shape)
    └── ProfileError         a named profile that does not exist, or an option it does not take

Each package re-exports its own (``idnkit.lgr.LgrError``, ``idnkit.policy.PolicyError``, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

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


class _Located(Protocol):
    """A problem that names where it is (a policy lint issue, a finding about a file)."""

    @property
    def file(self) -> str | None: ...
    @property
    def line(self) -> int | None: ...


def _where(message: str, file: str | None, line: int | None) -> str:
    where = ":".join(str(x) for x in (file, line) if x is not None)
    return f"{where}: {message}" if where else message


class PunycodeError(IdnkitError):
    """Malformed Punycode; ``position`` is the 1-based index of the offending input character."""

    def __init__(self, message: str, position: int | None = None) -> None:
        self.position = position
        super().__init__(f"position {position}: {message}" if position else message)


class InputError(IdnkitError):
    """Input that cannot be read at all (bad UTF-8, unreadable file); names file and line."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        super().__init__(_where(message, file, line))


class ZoneError(IdnkitError):
    """A zone that cannot be read at all (missing file, bad origin); names the file."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        super().__init__(_where(message, file, line))


class AuditError(IdnkitError):
    """An audit that could not finish: a worker process died (killed, out of memory), so the counts
    would be incomplete and no result is given."""


class CollisionError(IdnkitError):
    """The collision index cannot be used as asked (bad store file, key sources that disagree)."""


class LgrError(IdnkitError):
    """An LGR cannot answer (e.g. an index label where RFC 7940 §8.5 leaves it undefined)."""


class LgrParseError(LgrError):
    """An LGR document that cannot be read; the message names file:line."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        self.source = source
        self.line = line
        super().__init__(_where(message, source, line))


class PolicyError(IdnkitError):
    """A policy file that cannot be used; ``issues`` holds every problem found, not just the first."""

    def __init__(self, issues: Sequence[_Located]) -> None:
        self.issues = tuple(issues)
        first = self.issues[0] if self.issues else None
        self.file = first.file if first else None
        self.line = first.line if first else None
        super().__init__("\n".join(str(i) for i in self.issues) or "invalid policy")


class EngineUnavailableError(IdnkitError):
    """A policy needs an engine (LGR, UTS #39) that this installation of idnkit lacks."""


class RegistryError(IdnkitError):
    """A registry operation that cannot be carried out (unknown name, wrong registrant, bad database)."""


class RegistryStorageError(RegistryError):
    """The registry database failed or cannot be used (corrupt, read-only, full disk, misconfigured).

    Not a verdict on a name: the operation did not happen because of the storage, and the message
    names the file or server.  The CLI exits 2; a service answers 5xx.
    """


class RegistryUnavailableError(RegistryStorageError):
    """The registry database cannot be reached now (server down, connection lost, file locked).

    Nothing was written, or (``outcome_unknown``) the connection was lost while committing, so the
    operation may or may not have taken effect: read before repeating it.  A service answers 503.
    """

    def __init__(self, message: str, *, outcome_unknown: bool = False) -> None:
        self.outcome_unknown = outcome_unknown
        super().__init__(message)


class RegistrySchemaError(RegistryStorageError):
    """The database's schema is not one this idnkit can use: newer than the code, or an unknown shape.

    ``found`` and ``supported`` are the schema versions of the database and of the code.
    """

    def __init__(self, message: str, *, found: int | None = None, supported: int | None = None) -> None:
        self.found = found
        self.supported = supported
        super().__init__(message)


class RegistryBusyError(RegistryUnavailableError):
    """The registry database is up but did not do the work in time, so the transaction was rolled back.

    ``cause`` names why: ``statement_timeout`` (a statement ran past the server's
    ``statement_timeout``), ``canceled`` (an operator canceled it), ``lock_timeout`` (a row stayed
    locked by another transaction past ``lock_timeout``), ``serialization_failure``, ``deadlock`` or
    ``conflict`` (a key a concurrent transaction took).  Nothing was written, so the operation may be
    run again: :class:`~idnkit.policy.Registry` does so a few times, and a service answers 503 with
    Retry-After when it still fails.
    """

    def __init__(self, message: str, *, cause: str) -> None:
        self.cause = cause
        super().__init__(message)


class RegistryRetryError(RegistryBusyError):
    """A transaction lost a race with a concurrent one (serialization failure, unique key taken, a row
    locked past ``lock_timeout``).

    Raised by a store; :class:`~idnkit.policy.Registry` runs the whole check-and-write again, so a
    caller sees it only when every attempt lost (a service answers 503: the registry is too busy now).
    """

    def __init__(self, message: str, *, cause: str = "conflict") -> None:
        super().__init__(message, cause=cause)


class ProfileError(IdnkitError):
    """A named profile that does not exist, or an option the profile does not take (idnkit.profiles)."""


def require_str(value: object, function: str) -> None:
    """A TypeError that says what to pass when a check is given bytes or another non-str value."""
    if not isinstance(value, str):
        binary = isinstance(value, bytes | bytearray)
        hint = " (decode bytes first, e.g. name.decode('ascii') for an A-label)" if binary else ""
        raise TypeError(f"{function}() takes a str, not {type(value).__name__}{hint}")


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
