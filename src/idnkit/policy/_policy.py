"""The policy engine: :class:`Policy` judges a label by every rule of a policy file.

Order of the checks (all of them run; every finding is kept): IDNA2008 registration profile
(RFC 5891 §4) → the policy's extra disallowed code points → LGR tables (RFC 7940) by the
policy's selection → UTS #39 §5.2 restriction level → script, digit, hyphen, length, context,
reserved and blocked-name rules.  Each finding names the rule id and the source it comes from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import unicodedata2
import uniseg
import uniseg.graphemecluster

from ..findings import Finding, Severity, format_cp
from ..idna import DomainResult, LabelResult, Profile
from ..idna._labels import check_label
from ..rules import RULES
from ..unicode import GENERAL_CATEGORY, SCRIPT, nfc, script_extensions
from ._engines import Engines, TableEngine, TableReason, resolve
from ._schema import RESTRICTION_LEVELS, PolicyData, Selection, Status, VariantAction

#: Unicode version of the grapheme cluster rules (UAX #29) used for grapheme lengths: uniseg's own.
GRAPHEME_UNICODE_VERSION: str = str(uniseg.unidata_version)

_NEUTRAL = frozenset({"Zyyy", "Zinh"})
_LDH = re.compile(r"[a-z0-9-]")


def finding_dict(finding: Finding) -> dict[str, Any]:
    """A policy finding as ``PolicyResult.to_dict()`` has always spelled it (docs/json-schema.md, ``policy``):
    ``rule``, ``severity``, ``engine`` (``idna2008``, ``lgr``, ``uts39``, ``policy``, ``registry``),
    ``source`` (the policy's own source for the rule, else the standard's section), ``ref``,
    ``position``, ``codepoint``, ``message``; no ``label`` (a policy judges one label)."""
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "engine": finding.producer,
        "source": finding.source,
        "ref": finding.ref,
        "position": finding.position,
        "codepoint": finding.codepoint,
        "message": finding.message,
    }


def _finding(
    rule: str,
    message: str,
    source: str,
    engine: str,
    position: int | None = None,
    codepoint: str | None = None,
    ref: str | None = None,
    severity: Severity = Severity.ERROR,
) -> Finding:
    """A policy's finding as the one :class:`~idnkit.Finding`: ``source`` is kept as its ``cite`` only
    where it is not the catalogue's (the policy file's own source for the rule)."""
    cite = None if source == RULES[rule].source else source
    return Finding(rule, message, position, codepoint, None, severity, engine, ref, cite=cite)


@dataclass(frozen=True, slots=True)
class PolicyResult:
    """The verdict of a policy on one label.  ``status`` says whether it is the registry's own policy."""

    input: str
    ulabel: str | None
    alabel: str | None
    policy: str  # "<tld> <version>"
    status: Status
    note: str
    findings: tuple[Finding, ...]
    tables: tuple[str, ...]  # the tables under which the label is valid

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "valid": self.ok,
            "ulabel": self.ulabel,
            "alabel": self.alabel,
            "policy": self.policy,
            "status": self.status.value,
            "note": self.note if self.status is Status.EXAMPLE else None,
            "tables": list(self.tables),
            "findings": [finding_dict(f) for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class Variant:
    """A variant label of a registered name and what the policy does with it."""

    label: str
    disposition: str
    action: VariantAction
    table: str


def _as_idna2008(f: Finding) -> Finding:
    return Finding(f.rule, f.message, f.position, f.codepoint, None, f.severity, "idna2008", f.ref, cite=f.cite)


def _graphemes(label: str) -> int:
    """Extended grapheme clusters (UAX #29), counted by uniseg (see GRAPHEME_UNICODE_VERSION)."""
    return sum(1 for _ in uniseg.graphemecluster.grapheme_clusters(label))


def _src(rule: str, own: str) -> str:
    """Provenance: the policy's own source for the rule when it gives one, else the catalogue's."""
    return own or RULES[rule].source


class Policy:
    """A loaded policy: its data (:attr:`data`) and the engines that run its tables."""

    def __init__(self, data: PolicyData, engines: Engines | None = None) -> None:
        self.data = data
        self.engines = resolve(engines)

    def __repr__(self) -> str:
        i = self.data.identity
        return f"<Policy {i.tld} {i.version} {i.status.value} {self.data.file}>"

    @property
    def name(self) -> str:
        return f"{self.data.identity.tld} {self.data.identity.version}"

    @property
    def status(self) -> Status:
        return self.data.identity.status

    @property
    def version(self) -> str:
        return self.data.identity.version

    @cached_property
    def _tables(self) -> tuple[tuple[str, TableEngine], ...]:
        return tuple((t.ref, self.engines.table(t.ref, t.path)) for t in self.data.tables.tables)

    # --- the check ----------------------------------------------------------------------------
    def check(
        self,
        label: str,
        *,
        tld_form: str | None = None,
        language: str | None = None,
        idna: LabelResult | None = None,
    ) -> PolicyResult:
        """Judge one label (U-label or A-label) by every rule of the policy.

        ``tld_form`` is ``"idn"`` or ``"ascii"`` when the label sits under the IDN or the ASCII
        form of the TLD (script allowances may differ); ``language`` is the registrant's language
        tag, used when the policy selects tables by language.  ``idna`` is the label's IDNA2008
        result under the registration profile when the caller has it already (see
        :meth:`check_name`), so the label is not checked twice.
        """
        d = self.data
        findings: list[Finding] = []
        if d.identity.status is Status.EXAMPLE:
            findings.append(
                _finding(
                    "policy.example",
                    f"example policy, not the registry's own: {d.identity.note}",
                    _src("policy.example", d.identity.source),
                    "policy",
                    severity=Severity.WARNING,
                )
            )
        if idna is None or idna.input != label or idna.profile is not Profile.REGISTRATION or not idna.ok:
            idna = check_label(label)  # (an invalid label alone also gets check_label's would-map hint)
        # IDNA2008's findings, each naming the step that reported it (engine "idna2008", the would-map
        # hint and UTS #46 notices too, as a policy always has), without a label index: one label is judged
        findings += (f if f.engine == "idna2008" else _as_idna2008(f) for f in idna.findings)
        ulabel, alabel = idna.ulabel, idna.alabel
        valid_tables: tuple[str, ...] = ()
        if ulabel is not None and idna.ok:
            findings += self._disallowed(ulabel)
            valid_tables = self._check_tables(ulabel, language, findings)
            findings += self._restriction(ulabel)
            findings += self._scripts(ulabel, tld_form)
            findings += self._digits(ulabel)
            findings += self._hyphens(ulabel)
            findings += self._lengths(ulabel, alabel or "")
            findings += self._context(ulabel)
            findings += self._names(ulabel)
        return PolicyResult(
            input=label,
            ulabel=ulabel,
            alabel=alabel if idna.ok else None,
            policy=self.name,
            status=d.identity.status,
            note=d.identity.note,
            findings=tuple(findings),
            tables=valid_tables,
        )

    def check_name(self, name: str, *, language: str | None = None, result: DomainResult | None = None) -> PolicyResult:
        """Judge a whole name under the policy's TLD: the label directly under the TLD is checked.

        ``result`` is :func:`~idnkit.check_domain`'s verdict on ``name`` when the caller has it: its
        label is reused where it is the same check (a valid label, registration profile, unmapped, not
        in a Bidi domain name, whose labels RFC 5893 judges together), instead of checking it again.
        """
        labels = name.rstrip(".").split(".")
        tld = labels[-1].lower() if labels else ""
        tld_u = check_label(tld).ulabel or tld
        ident = self.data.identity
        forms = {ident.tld: "idn" if ident.tld != ident.tld_alabel else "ascii"}
        for alias in ident.aliases:
            forms[alias] = "ascii" if alias.isascii() else "idn"
        if len(labels) < 2 or tld_u not in forms:
            message = f"{name!r} is not a name under .{ident.tld}" + "".join(f" or .{a}" for a in ident.aliases)
            finding = _finding("policy.tld", message, RULES["policy.tld"].source, "policy")
            return PolicyResult(name, None, None, self.name, ident.status, ident.note, (finding,), ())
        known = None
        if (
            result is not None
            and result.input == name
            and result.profile is Profile.REGISTRATION
            and result.mapped is None
            and not result.bidi_domain
            and len(result.labels) >= len(labels)
        ):
            known = result.labels[len(labels) - 2]
        return self.check(labels[-2], tld_form=forms[tld_u], language=language, idna=known)

    def _disallowed(self, label: str) -> Iterator[Finding]:
        rule = self.data.idna
        for i, c in enumerate(label, 1):
            if ord(c) in rule.disallow:
                yield _finding(
                    "policy.idna.disallowed",
                    f"{format_cp(ord(c))} is refused by this policy",
                    _src("policy.idna.disallowed", rule.source),
                    "policy",
                    i,
                    format_cp(ord(c)),
                )

    def _check_tables(self, label: str, language: str | None, findings: list[Finding]) -> tuple[str, ...]:
        t = self.data.tables
        if not t.tables:
            return ()
        chosen = [(spec, engine) for spec, (_, engine) in zip(t.tables, self._tables, strict=True)]
        if t.select is Selection.LANGUAGE and language is not None:
            chosen = [(spec, eng) for spec, eng in chosen if spec.tag.lower() == language.lower()]
            if not chosen:
                tags = ", ".join(s.tag for s in t.tables)
                findings.append(
                    _finding(
                        "policy.table.language",
                        f"no table for language tag {language!r} (tables: {tags})",
                        _src("policy.table.language", t.source),
                        "policy",
                    )
                )
                return ()
        valid: list[str] = []
        refusals: list[Finding] = []
        for spec, engine in chosen:
            verdict = engine.validate(label)
            if verdict.valid:
                valid.append(spec.ref)
                continue
            reasons = verdict.reasons or (TableReason("disposition", f"disposition {verdict.disposition}"),)
            for reason in reasons:
                refusals.append(
                    _finding(
                        "policy.table.invalid",
                        f"not valid under table {spec.ref} ({spec.tag}): {reason.message}",
                        spec.source or RULES["policy.table.invalid"].source,
                        "lgr",
                        reason.position,
                        format_cp(reason.codepoint) if reason.codepoint is not None else None,
                        ref=f"{spec.ref}:{reason.rule}",
                    )
                )
        if not valid:
            findings.append(
                _finding(
                    "policy.table.none",
                    "the label is valid under none of the policy's tables: " + ", ".join(s.ref for s, _ in chosen),
                    _src("policy.table.none", t.source),
                    "policy",
                )
            )
            findings += refusals
        elif t.select is Selection.ONE and len(valid) > 1:
            findings.append(
                _finding(
                    "policy.table.ambiguous",
                    f"the label is valid under {len(valid)} tables ({', '.join(valid)}); "
                    "the policy requires exactly one",
                    _src("policy.table.ambiguous", t.source),
                    "policy",
                )
            )
        return tuple(valid)

    def _restriction(self, label: str) -> Iterator[Finding]:
        rule = self.data.uts39
        if rule.restriction_level is None:
            return
        level = self.engines.restriction_level(label)
        if level not in RESTRICTION_LEVELS or RESTRICTION_LEVELS.index(level) > RESTRICTION_LEVELS.index(
            rule.restriction_level
        ):
            yield _finding(
                "policy.restriction_level",
                f"the label is {level}; the policy accepts at most {rule.restriction_level}",
                _src("policy.restriction_level", rule.source),
                "uts39",
            )

    def _scripts(self, label: str, tld_form: str | None) -> Iterator[Finding]:
        rules = self.data.scripts
        if not (rules.allowed or rules.single_script or rules.idn_tld_only or rules.ascii_tld_only):
            return
        src = rules.source
        sets: list[tuple[int, str, frozenset[str]]] = []
        for i, c in enumerate(label, 1):
            exts = frozenset(script_extensions(ord(c))) - _NEUTRAL
            if exts:
                sets.append((i, c, exts))
        if not sets:
            return
        non_ascii = [s for s in sets if not s[1].isascii()]
        # "Han with LDH" (and the like): ASCII letters ride along with a script that allows them.
        ldh_ok = bool(non_ascii) and all(s[2] & rules.with_ldh for s in non_ascii)
        if ldh_ok:
            sets = non_ascii
        for i, c, exts in sets:
            if rules.allowed and not exts & rules.allowed:
                yield _finding(
                    "policy.script.not_allowed",
                    f"{format_cp(ord(c))} is {SCRIPT[ord(c)]} script, not allowed here "
                    f"(allowed: {', '.join(sorted(rules.allowed))})",
                    _src("policy.script.not_allowed", src),
                    "policy",
                    i,
                    format_cp(ord(c)),
                )
            if tld_form == "ascii" and exts <= rules.idn_tld_only:
                yield self._form(i, c, "the IDN", src)
            if tld_form == "idn" and exts <= rules.ascii_tld_only:
                yield self._form(i, c, "the ASCII", src)
        if rules.single_script:
            common = frozenset.intersection(*(e for _, _, e in sets))
            if not common and not any(all(e & combo for _, _, e in sets) for combo in rules.combinations):
                used = sorted({SCRIPT[ord(c)] if SCRIPT[ord(c)] not in _NEUTRAL else min(e) for _, c, e in sets})
                allowed = "; ".join("+".join(sorted(c)) for c in rules.combinations)
                yield _finding(
                    "policy.script.mixed",
                    f"the label mixes scripts {'+'.join(used)}"
                    + (f"; allowed combinations: {allowed}" if allowed else "; one script per label"),
                    _src("policy.script.mixed", src),
                    "policy",
                )

    def _form(self, i: int, c: str, form: str, src: str) -> Finding:
        return _finding(
            "policy.script.tld_form",
            f"{format_cp(ord(c))} ({SCRIPT[ord(c)]}) is allowed only under {form} form of .{self.data.identity.tld}",
            _src("policy.script.tld_form", src),
            "policy",
            i,
            format_cp(ord(c)),
        )

    def _digits(self, label: str) -> Iterator[Finding]:
        rules = self.data.digits
        first: str | None = None
        for i, c in enumerate(label, 1):
            if GENERAL_CATEGORY[ord(c)] != "Nd":
                continue
            kind = "ascii" if "0" <= c <= "9" else SCRIPT[ord(c)]
            if rules.allowed and kind not in rules.allowed:
                yield _finding(
                    "policy.digits.not_allowed",
                    f"{format_cp(ord(c))} is a {kind} digit; allowed digit sets: {', '.join(sorted(rules.allowed))}",
                    _src("policy.digits.not_allowed", rules.source),
                    "policy",
                    i,
                    format_cp(ord(c)),
                )
            if first is None:
                first = kind
            elif kind != first and not rules.mixing:
                yield _finding(
                    "policy.digits.mixed",
                    f"{format_cp(ord(c))} is a {kind} digit after {first} digits: digit sets must not be mixed",
                    _src("policy.digits.mixed", rules.source),
                    "policy",
                    i,
                    format_cp(ord(c)),
                )

    def _hyphens(self, label: str) -> Iterator[Finding]:
        rules = self.data.hyphens
        for i, c in enumerate(label, 1):
            if c != "-":
                continue
            if not rules.allowed:
                yield _finding(
                    "policy.hyphen.not_allowed",
                    "this policy allows no hyphen",
                    _src("policy.hyphen.not_allowed", rules.source),
                    "policy",
                    i,
                    "U+002D",
                )
            elif not rules.consecutive and i > 1 and label[i - 2] == "-":
                yield _finding(
                    "policy.hyphen.consecutive",
                    "two hyphens in a row are not allowed",
                    _src("policy.hyphen.consecutive", rules.source),
                    "policy",
                    i,
                    "U+002D",
                )

    def _lengths(self, label: str, alabel: str) -> Iterator[Finding]:
        r = self.data.length
        measures = (
            ("policy.length.codepoints", "code points", len, r.min_codepoints, r.max_codepoints),
            ("policy.length.graphemes", "grapheme clusters", _graphemes, r.min_graphemes, r.max_graphemes),
            ("policy.length.octets", "octets as an A-label", None, r.min_octets, r.max_octets),
        )
        for rule, words, measure, lo, hi in measures:
            if lo is None and hi is None:
                continue  # grapheme segmentation is costly: measure only what the policy bounds
            n = measure(label) if measure is not None else len(alabel)
            if lo is not None and n < lo:
                yield _finding(rule, f"{n} {words}, below the minimum {lo}", _src(rule, r.source), "policy")
            if hi is not None and n > hi:
                yield _finding(rule, f"{n} {words}, above the maximum {hi}", _src(rule, r.source), "policy")

    def _context(self, label: str) -> Iterator[Finding]:
        for rule in self.data.context:
            char = chr(rule.char)
            for i, c in enumerate(label):
                if c != char:
                    continue
                ok = (rule.before is None or re.search(f"(?:{rule.before})$", label[:i]) is not None) and (
                    rule.after is None or re.match(rule.after, label[i + 1 :]) is not None
                )
                if ok and rule.lgr_rule is not None:
                    ref, name = rule.lgr_rule
                    ok = dict(self._tables)[ref].rule_holds(name, label, i)
                if not ok:
                    yield _finding(
                        "policy.context",
                        rule.message,
                        _src("policy.context", rule.source),
                        "policy",
                        i + 1,
                        format_cp(rule.char),
                        ref=rule.id,
                    )

    def _names(self, label: str) -> Iterator[Finding]:
        d = self.data
        if label in d.reserved.names:
            yield _finding(
                "policy.reserved",
                f"{label!r} is reserved by the registry",
                _src("policy.reserved", d.reserved.source),
                "policy",
            )
        if label in d.blocked.names:
            yield _finding(
                "policy.blocked",
                f"{label!r} is blocked by the registry",
                _src("policy.blocked", d.blocked.source),
                "policy",
            )

    # --- what the registry needs ----------------------------------------------------------------
    def variants(self, label: str) -> list[Variant]:
        """Variant labels of a valid U-label under the tables it is valid under, with the policy's action."""
        out: dict[str, Variant] = {}
        limit = self.data.variants.max_bundle
        for ref, engine in self._tables:
            if not engine.validate(label).valid:
                continue
            for v in engine.variants(label, limit):
                if v.label != label and v.label not in out:
                    out[v.label] = Variant(v.label, v.disposition, self.data.variants.action(v.disposition), ref)
        return list(out.values())[:limit]

    def conflict_keys(self, label: str) -> list[tuple[str, str]]:
        """The keys under which two names conflict: the name, LGR index labels, skeletons, folds."""
        keys = [("name", label)]
        for ref, engine in self._tables:
            index = engine.index_label(label)
            if index is not None:
                keys.append((f"lgr-index:{ref}", index))
        c = self.data.confusables
        if c.skeleton:
            keys.extend(("skeleton", key) for key in self.engines.skeleton_keys(label))
        if c.mark_folded:
            keys.append(("mark-folded", self.engines.mark_folded_skeleton(label)))
        if c.fold or c.strip_marks:
            keys.append(("fold", self.fold(label)))
        return keys

    def key_sources(self) -> list[PolicyKeys]:
        """The policy's conflict keys as key sources (``kind`` + ``keys(u_label)``), one per kind.

        They fit the key-source protocol of :mod:`idnkit.collisions`, so an audit can index a zone
        by exactly the keys the registry uses.
        """
        kinds = [kind for kind, _ in self.conflict_keys("a")] if self.data.tables.tables else ["name"]
        for ref, _ in self._tables:
            if f"lgr-index:{ref}" not in kinds:
                kinds.append(f"lgr-index:{ref}")
        return [PolicyKeys(self, kind) for kind in kinds]

    def fold(self, label: str) -> str:
        """The policy's equivalence folding (``fold`` pairs, then ``strip_marks``) for conflict checks."""
        c = self.data.confusables
        for a, b in c.fold:
            label = label.replace(a, b)
        if c.strip_marks:
            label = nfc("".join(ch for ch in unicodedata2.normalize("NFD", label) if not unicodedata2.combining(ch)))
        return label

    def exempt(self, a: str, b: str) -> bool:
        """True when the policy exempts the pair from conflict checks."""
        return frozenset((a, b)) in self.data.confusables.exempt


class PolicyKeys:
    """One kind of a policy's conflict keys as a key source."""

    def __init__(self, policy: Policy, kind: str) -> None:
        self.policy = policy
        self.kind = kind

    def __repr__(self) -> str:
        return f"<PolicyKeys {self.kind} of {self.policy.name}>"

    def keys(self, u_label: str) -> list[str]:
        return [key for kind, key in self.policy.conflict_keys(u_label) if kind == self.kind]
