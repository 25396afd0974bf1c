"""Immutable IDNA2008 verdicts: the profile a check ran under and label/domain results."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from ..findings import Finding, Severity


class Profile(enum.Enum):
    """IDNA2008 processing profile (RFC 5891 §4 registration, §5 lookup)."""

    REGISTRATION = "registration"
    LOOKUP = "lookup"


@dataclass(frozen=True, slots=True, init=False)
class LabelResult:
    """The verdict on one label.  ``alabel`` is set only when the label is valid."""

    input: str
    ulabel: str | None
    alabel: str | None
    profile: Profile
    findings: tuple[Finding, ...] = ()
    mapped: str | None = None  # the label after UTS #46 mapping, when mapping changed it

    def __init__(
        self,
        input: str,
        ulabel: str | None,
        alabel: str | None,
        profile: Profile,
        findings: tuple[Finding, ...] = (),
        mapped: str | None = None,
    ) -> None:
        # As Finding.__init__: the slots' setters, not object.__setattr__ per field.
        _SET_INPUT(self, input)
        _SET_ULABEL(self, ulabel)
        _SET_ALABEL(self, alabel)
        _SET_PROFILE(self, profile)
        _SET_FINDINGS(self, findings)
        _SET_MAPPED(self, mapped)

    @classmethod
    def valid(cls, label: str, alabel: str, profile: Profile, findings: tuple[Finding, ...] = ()) -> LabelResult:
        """A valid U-label's result, built without the frozen-dataclass ``__init__`` overhead.

        This is the hot path of every batch check; the slot setters write the same fields.
        """
        result = _new(cls)
        _SET_INPUT(result, label)
        _SET_ULABEL(result, label)
        _SET_ALABEL(result, alabel)
        _SET_PROFILE(result, profile)
        _SET_FINDINGS(result, findings)
        _SET_MAPPED(result, None)
        return result

    @property
    def ok(self) -> bool:
        # asked of every label checked: most have no finding, and need no generator
        return not self.findings or all(f.severity is not _ERROR for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "valid": self.ok,
            "profile": self.profile.value,
            "mapped": self.mapped,
            "ulabel": self.ulabel,
            "alabel": self.alabel,
            "findings": [f.to_dict() for f in self.findings],
        }


_new = object.__new__
_ERROR = Severity.ERROR
_SET_INPUT, _SET_ULABEL, _SET_ALABEL, _SET_PROFILE, _SET_FINDINGS, _SET_MAPPED = (
    LabelResult.__dict__[name].__set__ for name in ("input", "ulabel", "alabel", "profile", "findings", "mapped")
)


@dataclass(frozen=True, slots=True, init=False)
class DomainResult:
    """The verdict on a whole name: one result per label plus name-level findings (lengths)."""

    input: str
    name: str | None
    ascii: str | None
    profile: Profile
    labels: tuple[LabelResult, ...] = ()
    name_findings: tuple[Finding, ...] = ()
    mapped: str | None = None
    bidi_domain: bool = field(default=False)

    def __init__(
        self,
        input: str,
        name: str | None,
        ascii: str | None,
        profile: Profile,
        labels: tuple[LabelResult, ...] = (),
        name_findings: tuple[Finding, ...] = (),
        mapped: str | None = None,
        bidi_domain: bool = False,
    ) -> None:
        # The slot setters, as LabelResult's: the frozen dataclass __init__ (object.__setattr__ per
        # field) was a measurable share of checking an invalid name.
        _D_SET[0](self, input)
        _D_SET[1](self, name)
        _D_SET[2](self, ascii)
        _D_SET[3](self, profile)
        _D_SET[4](self, labels)
        _D_SET[5](self, name_findings)
        _D_SET[6](self, mapped)
        _D_SET[7](self, bidi_domain)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of the name, name-level first, then label by label."""
        return self.name_findings + tuple(f for lr in self.labels for f in lr.findings)

    @property
    def ok(self) -> bool:
        # the same as "no error among self.findings", without building that tuple for every name
        if self.name_findings and any(f.severity is _ERROR for f in self.name_findings):
            return False
        for lr in self.labels:  # noqa: SIM110 - a label without findings costs one test, no call
            if lr.findings and not lr.ok:
                return False
        return True

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "valid": self.ok,
            "profile": self.profile.value,
            "mapped": self.mapped,
            "name": self.name,
            "ascii": self.ascii,
            "bidi_domain": self.bidi_domain,
            "labels": [lr.to_dict() for lr in self.labels],
            "findings": [f.to_dict() for f in self.name_findings],
        }


_D_SET = tuple(
    DomainResult.__dict__[name].__set__
    for name in ("input", "name", "ascii", "profile", "labels", "name_findings", "mapped", "bidi_domain")
)
