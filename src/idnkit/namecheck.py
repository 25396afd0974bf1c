"""One name, every check a caller asks for, as one record (schema ``idnkit.check/1``).

IDNA2008 decides first (:func:`~idnkit.check_domain`); then each optional judge adds its verdict:
an LGR on the leftmost label (RFC 7940), UTS #39 confusables and collisions with a list of names,
and a registry policy.  ``idncheck check --json`` and the service's ``/v1/check`` both build their
records here, so the two can never drift apart (docs/json-schema.md, "idnkit.check/1").

>>> from idnkit.namecheck import PolicyJudge, check_record
>>> from idnkit import check_domain
>>> result = check_domain("räksmörgås.se")
>>> record = check_record(result, [PolicyJudge.for_option(None).judge(result)])
>>> record["valid"], record["accepted"], record["policy"]["policy"]
(True, True, 'se 2020-10-02')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .findings import Finding
from .idna import DomainResult

if TYPE_CHECKING:  # imported where used: a plain check loads no LGR, profile or registry code
    from . import lgr as lgrmod
    from .collisions import Collision, CollisionIndex, KeySource
    from .confusables import ConfusablesResult
    from .policy import PolicyResult, PolicySelector

CHECK_SCHEMA = "idnkit.check/1"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one optional judge adds to a name's IDNA2008 verdict.

    ``fields`` are merged into the JSON record; ``detail`` is the judge's own result object
    (an :class:`~idnkit.lgr.LgrResult`, a :class:`~idnkit.policy.PolicyResult`, ...) for a text report.
    """

    source: str  # names the check when it refuses a name IDNA2008 accepts ("lgr", "policy", "confusables")
    ok: bool
    fields: Mapping[str, Any]
    detail: object = None


class Judge(Protocol):
    """An optional check run on every name after IDNA2008."""

    def judge(self, result: DomainResult) -> Verdict: ...


def check_record(
    result: DomainResult,
    verdicts: Sequence[Verdict] = (),
    where: Mapping[str, Any] | None = None,
    *,
    map: bool | None = None,
) -> dict[str, Any]:
    """The ``idnkit.check/1`` record: IDNA2008's result, where the name came from, each verdict's fields.

    ``valid`` stays the IDNA2008 verdict; ``accepted`` (present when any judge added fields) is
    IDNA2008 and every judge together — what ``idncheck``'s exit status and the service's answer count.
    ``options`` follows ``profile``: the profile's option values (docs/profiles.md), with ``map`` as
    the caller set it (None: the profile's default).
    """
    options = profile_options(result.profile.value, map)
    record: dict[str, Any] = {"schema": CHECK_SCHEMA}
    for key, value in result.to_dict().items():
        record[key] = value
        if key == "profile":
            record["options"] = options
    if where:
        record.update(where)
    for v in verdicts:
        record.update(v.fields)
    if any(v.fields for v in verdicts):
        record["accepted"] = accepted(result, verdicts)
    return record


_PROFILE_OPTIONS: dict[str, dict[str, Any]] = {}  # a profile's options never change: read once per profile


def profile_options(profile: str, map: bool | None = None) -> dict[str, Any]:
    """The option values of a named profile, with ``map`` overriding its mapping when not None."""
    found = _PROFILE_OPTIONS.get(profile)
    if found is None:
        from .profiles import get as _profile

        found = _PROFILE_OPTIONS[profile] = _profile(profile).options_dict
    options = dict(found)  # the caller's to change
    if map is not None:
        options["map"] = map
    return options


_encoder: Any = None
_surrogates: Any = None


def record_json(record: Mapping[str, Any]) -> str:
    """A record as one line of JSON, non-ASCII kept as is: ``idncheck --json`` and the service's output.

    Lone surrogates (a name sent as ``"\\ud800"`` in JSON decodes to one) are escaped, so the line
    can always be written as UTF-8.  One encoder for every record (``json.dumps`` with options
    builds one per call), without the cycle check: records are trees of plain values.
    """
    global _encoder, _surrogates
    if _encoder is None:
        import json  # here: a text report needs no json module (issue 16, start-up)
        import re

        _encoder = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
        _surrogates = re.compile("[\ud800-\udfff]")
    text: str = _encoder(record)
    if _surrogates.search(text) is None:
        return text
    return str(_surrogates.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def accepted(result: DomainResult, verdicts: Iterable[Verdict]) -> bool:
    """IDNA2008 and every judge accept the name."""
    return result.ok and all(v.ok for v in verdicts)


def leftmost_label(result: DomainResult) -> str | None:
    """The label being registered: the leftmost one, as a U-label where IDNA2008 could decode it."""
    if not result.labels:
        return None
    first = result.labels[0]
    return first.ulabel or first.input


@dataclass(frozen=True, slots=True)
class LgrJudge:
    """The LGR verdict on the leftmost label (the one a registry registers under its TLD)."""

    table: lgrmod.Lgr

    def verdict_of(self, result: DomainResult) -> lgrmod.LgrResult | None:
        from .lgr import LgrError

        label = leftmost_label(result)
        if label is None:
            return None
        try:
            return self.table.validate(label)
        except LgrError:  # a label the table cannot evaluate is refused, with no findings
            return None

    def judge(self, result: DomainResult) -> Verdict:
        verdict = self.verdict_of(result)
        ok = verdict is not None and verdict.valid
        fields = {
            "lgr": verdict.to_dict()
            if verdict is not None
            else {"lgr": self.table.name, "disposition": "invalid", "valid": False, "findings": []},
            "valid_with_lgr": result.ok and ok,
        }
        return Verdict("lgr", ok, fields, verdict)


@dataclass(frozen=True, slots=True)
class PolicyJudge:
    """The policy verdict on a name IDNA2008 accepts; no fields when no policy applies."""

    selector: PolicySelector

    @classmethod
    def for_option(cls, named: str | None, language: str | None = None) -> PolicyJudge:
        """A judge for a policy named by the caller (a TLD, a file, ``"none"``) or, with None, the name's TLD's."""
        from .policy import PolicySelector

        return cls(PolicySelector(named, language))

    def judge(self, result: DomainResult) -> Verdict:
        if not result.ok:
            return Verdict("policy", True, {}, None)
        name = result.name or result.input
        # check_domain's labels are reused when the name is what it checked (one IDNA2008 pass, not two)
        verdict: PolicyResult | None = self.selector.judge(name, result if name == result.input else None)
        if verdict is None:
            return Verdict("policy", True, {}, None)
        return Verdict("policy", verdict.ok, {"policy": verdict.to_dict()}, verdict)


@dataclass(frozen=True, slots=True)
class Confusables:
    """UTS #39 reports per label, and the collisions of the name with a list of names."""

    reports: tuple[ConfusablesResult, ...]
    collisions: tuple[Collision, ...]


@dataclass(slots=True)
class ConfusablesJudge:
    """``confusables``: skeleton, scripts and findings per label; ``against``: a name colliding with one
    of the listed names is refused (the whole name, then each label, so a list of brands such as
    ``paypal`` catches ``раураӏ.com``)."""

    confusables: bool = False
    against: CollisionIndex | None = None
    against_name: str | None = None  # the list's file name, for the record
    _last: tuple[str, Confusables] | None = field(default=None, repr=False)

    @classmethod
    def against_names(
        cls,
        names: Iterable[str],
        *,
        confusables: bool = False,
        mark_folded: bool = False,
        extra_sources: Sequence[KeySource] = (),
        against_name: str | None = None,
    ) -> ConfusablesJudge:
        """A judge with a collision index of ``names`` (``extra_sources``, e.g. an LGR's index labels, join
        the skeleton key)."""
        from .collisions import CollisionIndex, SkeletonKeys

        index = CollisionIndex(sources=[SkeletonKeys(), *extra_sources], mark_folded=mark_folded)
        index.add_many(names)
        return cls(confusables=confusables, against=index, against_name=against_name)

    def evaluate(self, result: DomainResult) -> Confusables:
        if self._last is not None and self._last[0] == result.input:
            return self._last[1]  # text and JSON reports of one name share one evaluation
        from .collisions import unicode_form
        from .confusables import check_confusables

        name = result.name if result.name is not None else unicode_form(result.input)
        labels = [label for label in name.split(".") if label]
        reports = tuple(check_confusables(label) for label in labels) if self.confusables else ()
        hits: list[Collision] = []
        if self.against is not None:
            seen: set[str] = set()
            for query in dict.fromkeys([".".join(labels), *labels]):
                for hit in self.against.query(query):
                    if hit.name not in seen:
                        seen.add(hit.name)
                        hits.append(hit)
        found = Confusables(reports, tuple(hits))
        self._last = (result.input, found)
        return found

    def judge(self, result: DomainResult) -> Verdict:
        found = self.evaluate(result)
        fields: dict[str, Any] = {}
        if self.confusables:
            fields["confusables"] = [r.to_dict() for r in found.reports]
        if self.against is not None:
            fields["against"] = self.against_name
            fields["collisions"] = [h.to_dict() for h in found.collisions]
        return Verdict("confusables", not found.collisions, fields, found)


@dataclass(frozen=True, slots=True)
class ScriptsJudge:
    """``mixed_script``: a warning for each label that mixes scripts as look-alikes do (UTS #39 §5.2).

    On by default in ``idncheck`` and the service (``--confusables`` reports the same through its
    restriction level instead); it never refuses a name, and adds no field to an ordinary one.
    """

    def findings(self, result: DomainResult) -> tuple[Finding, ...]:
        from .idna._punycode import unicode_form
        from .unicode._scripts import mixed_script_finding

        name = result.name if result.name is not None else unicode_form(result.input)
        found = (mixed_script_finding(label, index) for index, label in enumerate(name.split("."), 1) if label)
        return tuple(f for f in found if f is not None)

    def judge(self, result: DomainResult) -> Verdict:
        findings = self.findings(result)
        fields = {"mixed_script": [f.to_dict() for f in findings]} if findings else {}
        return Verdict("scripts", True, fields, findings)


def judge_all(result: DomainResult, judges: Iterable[Judge]) -> list[Verdict]:
    """Every judge's verdict on one name, in order."""
    return [j.judge(result) for j in judges]


__all__ = [
    "CHECK_SCHEMA",
    "Confusables",
    "ConfusablesJudge",
    "Judge",
    "LgrJudge",
    "PolicyJudge",
    "ScriptsJudge",
    "Verdict",
    "accepted",
    "check_record",
    "judge_all",
    "leftmost_label",
    "record_json",
]
