"""Validation of an LGR document itself (RFC 7940 §5-7): every problem with file:line, none raised."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..unicode import UNICODE_VERSION
from ._errors import LgrParseError
from ._model import Char, Document, RuleNode

#: RFC 7940 §7.3 recommended dispositions.
KNOWN_DISPOSITIONS = frozenset({"invalid", "blocked", "allocatable", "activated", "valid"})


# The catalogued rule id (src/idnkit/_rules.py, docs/rules.md) of each Problem kind.
PROBLEM_RULES = {
    "duplicate-reference": "rfc7940.doc.duplicate_reference",
    "undefined-reference": "rfc7940.doc.undefined_reference",
    "overlapping-repertoire": "rfc7940.doc.overlapping_repertoire",
    "tag-on-sequence": "rfc7940.doc.tag_on_sequence",
    "undefined-rule": "rfc7940.doc.undefined_rule",
    "duplicate-variant": "rfc7940.doc.duplicate_variant",
    "variant-outside-repertoire": "rfc7940.doc.variant_outside_repertoire",
    "asymmetric-variant": "rfc7940.doc.asymmetric_variant",
    "non-transitive-variant": "rfc7940.doc.non_transitive_variant",
    "unknown-disposition": "rfc7940.doc.unknown_disposition",
    "untriggered-variant-type": "rfc7940.doc.untriggered_variant_type",
    "unicode-version": "rfc7940.doc.unicode_version",
    "bad-rule": "rfc7940.doc.bad_rule",
    "unmatchable-rule": "rfc7940.doc.unmatchable_rule",
    "malformed-line": "rfc7940.doc.malformed_line",
    "bad-value": "rfc7940.doc.bad_value",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of an LGR document."""

    kind: str
    severity: str  # "error" | "warning"
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.severity}: {self.message} [{self.kind}]"

    @property
    def rule_id(self) -> str:
        """The catalogued rule id of this problem's kind (``idnkit.RULES``)."""
        return PROBLEM_RULES[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rule_id": self.rule_id,
            "severity": self.severity,
            "source": self.source,
            "line": self.line,
            "message": self.message,
        }


# RFC 5646 §2.1 well-formed language tags, simplified: a primary subtag of 2-8 letters (or "x"/"i"),
# then subtags of 1-8 letters and digits.
_LANGUAGE = re.compile(r"(?:[A-Za-z]{2,8}|[xXiI])(?:-[A-Za-z0-9]{1,8})*")
_UNICODE_VERSION = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}")
_TOKEN = re.compile(r"[^\s]+")


def _attribute_values(doc: Document, add: Callable[[str, str, int, str], None]) -> None:
    """Values RFC 7940 gives a form to: dates (§4.3.2, §4.3.4-4.3.5: RFC 3339 full-date), the Unicode
    version (§4.3.6: "x.y.z"), language tags (§4.3.3: RFC 5646), variant types and dispositions
    (§5.3.2, §7.1: one word each, as any-variant lists them separated by spaces)."""
    meta = doc.meta
    for element, value in (("date", meta.date), ("validity-start", meta.validity_start),
                           ("validity-end", meta.validity_end)):  # fmt: skip
        if value is None:
            continue
        try:
            ok = bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)) and bool(datetime.date.fromisoformat(value))
        except ValueError:
            ok = False
        if not ok:
            add("bad-value", "error", meta.line_of(element),
                f"<{element}> {value!r} is not a date as YYYY-MM-DD (RFC 7940 §4.3, RFC 3339)")  # fmt: skip
    if meta.unicode_version is not None and not _UNICODE_VERSION.fullmatch(meta.unicode_version):
        add("bad-value", "error", meta.line_of("unicode-version"),
            f"<unicode-version> {meta.unicode_version!r} is not a version as x.y.z (RFC 7940 §4.3.6)")  # fmt: skip
    for language in meta.languages:
        if not _LANGUAGE.fullmatch(language):
            add("bad-value", "error", meta.line_of("language"),
                f"<language> {language!r} is not a language tag (RFC 7940 §4.3.3, RFC 5646)")  # fmt: skip
    for ch in doc.chars:
        for v in ch.variants:
            if v.type is not None and not _TOKEN.fullmatch(v.type):
                add("bad-value", "error", v.line, f"variant type {v.type!r} is not one word (RFC 7940 §5.3.2)")
    for act in doc.actions:
        if not _TOKEN.fullmatch(act.disp):
            add("bad-value", "error", act.line, f"disposition {act.disp!r} is not one word (RFC 7940 §7.1)")


def _fmt(cps: tuple[int, ...]) -> str:
    return " ".join(f"U+{c:04X}" for c in cps) or "(null)"


def check_document(doc: Document, include_warnings: bool = True) -> list[Problem]:
    """All problems of ``doc``: errors (the LGR is not as RFC 7940 requires) and, optionally, warnings."""
    check = _Checker(doc, include_warnings)
    _attribute_values(doc, check.add)
    check.references()
    check.repertoire()
    check.variants()
    check.variant_closure()
    check.actions()
    check.unicode_version()
    check.rules()
    return sorted(check.problems, key=lambda p: (p.line, p.kind))


class _Checker:
    """The problems of one document, one method per part of RFC 7940 it checks.

    The methods run in a fixed order; each may rely on what the ones before it collected (the
    reference ids, the repertoire, the rule names).
    """

    def __init__(self, doc: Document, include_warnings: bool) -> None:
        self.doc = doc
        self.include_warnings = include_warnings
        self.problems: list[Problem] = []
        self.ref_ids: Counter[str] = Counter()
        self.chars: dict[tuple[int, ...], Char] = {}
        self.rule_names = {r.name for r in doc.rules}

    def add(self, kind: str, severity: str, line: int, message: str) -> None:
        if severity == "error" or self.include_warnings:
            self.problems.append(Problem(kind, severity, self.doc.source, line, message))

    def references(self) -> None:
        """§4.3.1: reference ids are unique."""
        self.ref_ids = Counter(r.id for r in self.doc.meta.references)
        for rid, n in self.ref_ids.items():
            if n > 1:
                self.add("duplicate-reference", "error", 0, f"reference id {rid!r} defined {n} times (RFC 7940 §4.3.1)")

    def repertoire(self) -> None:
        """§5.1: an element is defined once; §4.3.1: its refs exist; §5.5: a sequence has no tags."""
        chars = self.chars
        for ch in self.doc.chars:
            if ch.cps in chars:
                self.add(
                    "overlapping-repertoire",
                    "error",
                    ch.line,
                    f"{_fmt(ch.cps)} already defined on line {chars[ch.cps].line} (RFC 7940 §5.1)",
                )
                continue
            chars[ch.cps] = ch
            for items, line in ((ch.refs, ch.line), *((v.refs, v.line) for v in ch.variants)):
                for r in items:
                    if r not in self.ref_ids:
                        self.add(
                            "undefined-reference", "error", line, f"ref {r!r} is not in <references> (RFC 7940 §4.3.1)"
                        )
            if len(ch.cps) > 1 and ch.tags:
                self.add("tag-on-sequence", "error", ch.line, f"sequence {_fmt(ch.cps)} has a tag (RFC 7940 §5.5)")

    def variants(self) -> None:
        """§5.2: context rules exist; §5.3: a variant is given once and lies in the repertoire."""
        for ch in self.chars.values():
            for ref in (ch.when, ch.not_when):
                if ref is not None and ref not in self.rule_names:
                    self.add("undefined-rule", "error", ch.line, f"context rule {ref!r} is not defined (RFC 7940 §5.2)")
            seen_var: set[tuple[tuple[int, ...], str | None, str | None]] = set()
            for v in ch.variants:
                for ref in (v.when, v.not_when):
                    if ref is not None and ref not in self.rule_names:
                        self.add("undefined-rule", "error", v.line, f"variant context rule {ref!r} is not defined")
                key = (v.cps, v.when, v.not_when)
                if key in seen_var:
                    self.add("duplicate-variant", "error", v.line, f"variant {_fmt(v.cps)} of {_fmt(ch.cps)} repeated")
                seen_var.add(key)
                if v.cps and v.cps != ch.cps and v.cps not in self.chars:
                    self.add(
                        "variant-outside-repertoire",
                        "warning",
                        v.line,
                        f"variant {_fmt(v.cps)} of {_fmt(ch.cps)} is not in the repertoire",
                    )

    def variant_closure(self) -> None:
        """Symmetry and transitivity over in-repertoire variants (RFC 7940 §5.3.2, §8.5 needs both)."""
        chars = self.chars
        graph = {cps: {v.cps for v in ch.variants if v.cps in chars and v.cps != cps} for cps, ch in chars.items()}
        for a, targets in graph.items():
            for b in targets:
                if a not in graph[b]:
                    self.add(
                        "asymmetric-variant",
                        "error",
                        chars[a].line,
                        f"{_fmt(a)} has variant {_fmt(b)} but not the reverse (RFC 7940 §5.3.2)",
                    )
                for c in graph[b]:
                    if c != a and c not in targets:
                        self.add(
                            "non-transitive-variant",
                            "error",
                            chars[a].line,
                            f"{_fmt(a)} ~ {_fmt(b)} ~ {_fmt(c)} but {_fmt(a)} has no variant {_fmt(c)} (RFC 7940 §8.5)",
                        )

    def actions(self) -> None:
        """§7.1: an action's rules exist; §7.3: known dispositions; §7.2: every variant type triggers one."""
        used_types = {v.type for ch in self.chars.values() for v in ch.variants if v.type is not None}
        triggered: set[str] = {"invalid", "blocked", "allocatable", "activated"}
        for act in self.doc.actions:
            for s in (act.any_variant, act.all_variants, act.only_variants):
                triggered |= set(s or ())
            if act.disp not in KNOWN_DISPOSITIONS:
                self.add(
                    "unknown-disposition", "warning", act.line, f"disposition {act.disp!r} is not one of RFC 7940 §7.3"
                )
            for ref in (act.match, act.not_match):
                if ref is not None and ref not in self.rule_names:
                    self.add(
                        "undefined-rule", "error", act.line, f"action names undefined rule {ref!r} (RFC 7940 §7.1)"
                    )
        for t in sorted(used_types - triggered):
            self.add("untriggered-variant-type", "warning", 0, f"variant type {t!r} triggers no action (RFC 7940 §7.2)")

    def unicode_version(self) -> None:
        """§4.3.6: the Unicode version is given, and is the one idnkit's properties come from."""
        uv = self.doc.meta.unicode_version
        if uv is None:
            self.add("unicode-version", "warning", 0, "no <unicode-version> in <meta> (RFC 7940 §4.3.6)")
        elif uv != UNICODE_VERSION:
            self.add(
                "unicode-version",
                "warning",
                0,
                f"LGR is for Unicode {uv}; idnkit evaluates properties with Unicode {UNICODE_VERSION}",
            )

    def rules(self) -> None:
        """§6: compile; undefined or forward references and refused rule shapes are errors, rules that
        can never match warnings."""
        from ._evaluate import Lgr

        doc = self.doc
        try:
            lgr = Lgr(doc)
        except LgrParseError as e:
            self.add("bad-rule", "error", e.line or 0, str(e).split(": ", 1)[-1])
            return
        for rule in doc.rules:
            compiled = lgr.rules.get(rule.name or "")
            if compiled is not None and (compiled.empty_class or compiled.empty):
                self.add(
                    "unmatchable-rule",
                    "warning",
                    rule.line,
                    f"rule {rule.name!r} contains an empty class or is empty; it may never match",
                )
        for rule in doc.rules:
            where = _impossible_anchor(rule.children)
            if where is not None:
                self.add(
                    "unmatchable-rule",
                    "warning",
                    where,
                    f"rule {rule.name!r} needs text before <start/> or after <end/>; it can never match",
                )


_CONSUMING = ("char", "class", "any", "choice", "rule")


def _min_count(node: RuleNode) -> int:
    c = (node.count or "1").strip().rstrip("+")
    return int(c.split(":")[0]) if c.split(":")[0].isdigit() else 1


def _impossible_anchor(seq: tuple[RuleNode, ...]) -> int | None:
    """Line of a <start/> after required text, or of required text after <end/>, in one sequence."""
    consumed = ended = False
    for node in seq:
        if node.kind == "start" and consumed:
            return node.line
        if node.kind == "end":
            ended = True
        elif node.kind in _CONSUMING and _min_count(node) > 0 and not (node.kind == "char" and not node.cps):
            if ended:
                return node.line
            consumed = True
        if node.kind in ("rule", "look-ahead", "look-behind", "choice") and node.children:
            inner = _impossible_anchor(node.children) if node.kind != "choice" else None
            if inner is not None:
                return inner
    return None
