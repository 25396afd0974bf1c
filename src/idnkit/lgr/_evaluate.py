"""Evaluating labels against a compiled LGR: RFC 7940 §8 (eligibility, dispositions, variants, index label)."""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..findings import Finding, format_cp
from ..idna import _punycode
from ..unicode import describe
from . import _automaton, _classes, _match, _nomix, _permute, _repertoire
from ._errors import LgrError, LgrParseError
from ._model import DEFAULT_ACTIONS, Action, Char, Document, Meta
from ._rules import CompiledRule, RuleCompiler

#: Labels longer than this (code points) are refused before evaluation, as by idnkit's IDNA2008 core.
MAX_LABEL = 255

#: Dispositions under which a label may be registered (RFC 7940 §7.3).
REGISTRABLE = frozenset({"valid", "allocatable", "activated"})


# The catalogued rule id (src/idnkit/rules.py, docs/rules.md) of each kind of label finding; the kind is
# the word idnkit.lgr/1 records have always carried (``kind``), the rule id the one every layer shares.
FINDING_RULES = {
    "not-in-repertoire": "rfc7940.label.not_in_repertoire",
    "context": "rfc7940.label.context",
    "empty": "rfc7940.label.empty",
    "too-long": "rfc7940.label.too_long",
}
_KINDS = {rule: kind for kind, rule in FINDING_RULES.items()}


def _finding(kind: str, position: int | None, cp: int | None, rule: str | None, message: str) -> Finding:
    """Why a label is not eligible (RFC 7940 §8.1): a code point outside the repertoire or a failed
    context rule, as the one :class:`~idnkit.Finding`; ``ref`` is the LGR's own rule that failed."""
    return Finding(FINDING_RULES[kind], message, position, None if cp is None else format_cp(cp), ref=rule)


def finding_kind(finding: Finding) -> str:
    """The LGR's word for a label finding (``not-in-repertoire``, ``context``, ``empty``, ``too-long``)."""
    return _KINDS[finding.rule]


def finding_dict(finding: Finding) -> dict[str, Any]:
    """A label finding as ``idnkit.lgr/1`` records spell it (docs/json-schema.md): ``kind``, ``rule_id``,
    ``position`` (0 for a finding about the whole label), ``codepoint``, ``rule`` (the LGR's rule), ``message``."""
    return {
        "kind": finding_kind(finding),
        "rule_id": finding.rule,
        "position": finding.position or 0,
        "codepoint": finding.codepoint,
        "rule": finding.ref,
        "message": finding.message,
    }


@dataclass(frozen=True, slots=True)
class LgrResult:
    """The verdict of one LGR on one label (RFC 7940 §8.1 and §8.3)."""

    lgr: str
    label: str
    disposition: str
    valid: bool
    eligible: bool
    findings: tuple[Finding, ...]  # rule rfc7940.label.*, ref the LGR's rule (finding_kind: the old kind)
    action: Action | None  # the action that decided the disposition (None when not eligible)
    default_action: bool  # True when it is one of the §7.6 default actions

    def to_dict(self) -> dict[str, Any]:
        return {
            "lgr": self.lgr,
            "label": self.label,
            "disposition": self.disposition,
            "valid": self.valid,
            "eligible": self.eligible,
            "findings": [finding_dict(f) for f in self.findings],
            "action": None if self.action is None else {**self.action.to_dict(), "default": self.default_action},
        }


@dataclass(frozen=True, slots=True)
class Variant:
    """A variant label (RFC 7940 §8.2) with its disposition and the variant types used to reach it."""

    label: str
    disposition: str
    types: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "disposition": self.disposition, "types": list(self.types)}


# One choice for one element of a label: (code points, variant type or None, from a variant mapping?)
_Option = _permute.Option


def to_ulabel(label: str) -> str:
    """Accept A-labels: ``xn--`` labels are decoded to their U-label (RFC 5890 §2.3.2.1)."""
    if label[:4].lower() == "xn--":
        try:
            return _punycode.decode(label[4:])
        except Exception as e:  # PunycodeError and friends
            raise LgrError(f"{label!r} is not a valid A-label: {e}") from None
    return label


class Lgr:
    """A loaded, compiled LGR.  Build with :func:`idnkit.lgr.load` or :func:`idnkit.lgr.parse`."""

    def __init__(self, doc: Document, name: str | None = None) -> None:
        self._document: Document | None = doc
        self._all_chars: Callable[[], tuple[Char, ...]] | None = None
        self._setup(doc, _repertoire.scan(doc.chars), name)

    @classmethod
    def _restore(
        cls, shell: Document, rep: _repertoire.Repertoire, name: str | None, all_chars: Callable[[], tuple[Char, ...]]
    ) -> Lgr:
        """A table from a cache entry (``_cache``): ``shell`` is its document without the elements,
        ``rep`` the repertoire ``scan`` gave when the entry was written, ``all_chars`` the elements in
        document order, for :attr:`document` when it is asked for.  Classes and rules compile afresh."""
        self = cls.__new__(cls)
        self._document = None
        self._all_chars = all_chars
        self._setup(shell, rep, name)
        return self

    @property
    def document(self) -> Document:
        """The parsed document (from a cache hit, its elements are decoded on this first use)."""
        doc = self._document
        if doc is None:
            assert self._all_chars is not None
            doc = self._document = dataclasses.replace(self._shell, chars=self._all_chars())
        return doc

    def _setup(self, doc: Document, rep: _repertoire.Repertoire, name: str | None) -> None:
        try:
            self._build(doc, rep, name)
        except RecursionError:
            # Chains of by-ref rules or classes thousands deep (nesting itself is bounded by the parser).
            raise LgrParseError("rule or class references nested too deeply to compile", doc.source) from None

    def _build(self, doc: Document, rep: _repertoire.Repertoire, name: str | None) -> None:
        self._shell = doc  # only its meta, classes, rules and actions: the elements are in ``rep``
        self._rep = rep  # what a cache entry stores (``_cache.encode``)
        self.name = name or doc.source
        self.meta: Meta = doc.meta
        src = doc.source
        self.chars: Mapping[tuple[int, ...], Char] = rep.chars
        self.duplicates: list[Char] = rep.duplicates
        self._index = rep.index
        self.tags = rep.tags
        self.classes: dict[str, _classes.Ranges] = {}

        def tag_lookup(tag: str) -> _classes.Ranges:
            return self.tags.get(tag, ())

        def resolve(node: Any) -> _classes.Ranges:
            return _classes.evaluate(node, self.classes, tag_lookup, src)

        for cls in doc.classes:
            assert cls.name is not None
            if cls.name in self.classes:
                raise LgrParseError(f"class {cls.name!r} defined twice (RFC 7940 §6.2.1)", src, cls.line)
            self.classes[cls.name] = resolve(cls)
        compiler = RuleCompiler(src, self.classes, resolve, anchor_width=rep.anchor_width)
        for rule in doc.rules:
            compiler.add(rule)
        self.rules: dict[str, CompiledRule] = {}
        for rule in doc.rules:
            assert rule.name is not None
            c = compiler.compiled[rule.name]
            self.rules[rule.name] = CompiledRule(
                rule.name,
                c.text,
                c.node,
                c.anchor,
                compiler.shapes[rule.name][1],
                compiler.sees_ahead[rule.name],
                empty=not rule.children,
            )
        for rule_ref, line in rep.context_refs:
            if rule_ref not in self.rules:
                raise LgrParseError(f"context rule {rule_ref!r} is not defined (RFC 7940 §5.2)", src, line)
        for a in doc.actions:
            for ref in (a.match, a.not_match):
                if ref is not None and ref not in self.rules:
                    raise LgrParseError(f"action names undefined rule {ref!r} (RFC 7940 §7.1)", src, a.line)
        self.actions: tuple[Action, ...] = doc.actions + DEFAULT_ACTIONS
        self._n_doc_actions = len(doc.actions)
        # Fast path: code points that are whole elements, start no sequence, carry no context and no
        # reflexive variant.  A label made only of those needs no partition, context or variant-type work.
        self._simple = rep.simple
        self._plain_actions = tuple(
            (i, a)
            for i, a in enumerate(self.actions)
            if a.any_variant is None and a.all_variants is None and a.only_variants is None
        )
        # A variant type is fatal when an unconditional any-variant action makes it "invalid" and every
        # action before that one is "invalid" as well: any label using it is invalid whatever else holds,
        # so variant generation can prune such mappings instead of enumerating dead permutations.
        fatal: set[str] = set()
        for a in self.actions:
            if a.disp != "invalid":
                break
            if a.any_variant is not None and a.match is None and a.not_match is None:
                fatal |= a.any_variant
        self.fatal_types = frozenset(fatal)
        self._has_conditional_chars = rep.has_conditional
        # Code points that are part of a sequence element: around them the §8.1 partition of a permuted
        # label can differ from the elements its choices spelled (issue 20 point 5).
        self._in_sequences = rep.in_sequences
        self._conditional = rep.conditional
        self._closure_cache: dict[tuple[int, ...], tuple[int, ...] | None] = {}
        self._pruning_cache: _permute.Pruning | None = None

    # -- §8.1 eligibility -------------------------------------------------------------------------------
    def _context_ok(self, ctx: Char | Any, label: str, i: int) -> bool:
        if ctx.when is not None:
            return self.rules[ctx.when].at(label, i, ctx.cps)
        if ctx.not_when is not None:
            return not self.rules[ctx.not_when].at(label, i, ctx.cps)
        return True

    def _partition(self, label: str) -> tuple[list[tuple[int, Char]], list[Finding]]:
        """Greedy longest match of repertoire elements whose context holds (RFC 7940 §8.1)."""
        cps = [ord(c) for c in label]
        elements: list[tuple[int, Char]] = []
        findings: list[Finding] = []
        i, n = 0, len(cps)
        while i < n:
            cp = cps[i]
            candidates = self._index.get(cp)
            if candidates is None:
                findings.append(
                    _finding(
                        "not-in-repertoire", i + 1, cp, None, f"{describe(cp)} is not in the repertoire of {self.name}"
                    )
                )
                i += 1
                continue
            failed: list[str] = []
            for ch in candidates:
                k = len(ch.cps)
                if k > 1 and tuple(cps[i : i + k]) != ch.cps:
                    continue
                if not self._context_ok(ch, label, i):
                    failed.append(ch.when or ch.not_when or "")
                    continue
                elements.append((i, ch))
                i += k
                break
            else:
                if failed:
                    kind, rule = "context", ",".join(failed)
                    msg = f"{describe(cp)} fails its context rule {rule!r}"
                else:
                    kind, rule = "not-in-repertoire", None
                    msg = f"{describe(cp)} is only part of a sequence in the repertoire of {self.name}"
                findings.append(_finding(kind, i + 1, cp, rule, msg))
                i += 1
        return elements, findings

    # -- §8.3 dispositions ------------------------------------------------------------------------------
    def _apply_actions(self, label: str, types: frozenset[str], only_variants: bool) -> tuple[int, Action]:
        actions = self._plain_actions if not types else enumerate(self.actions)
        ev = _match.Eval(label)  # shared by the rules: a class's members are found once per label
        for i, a in actions:
            if a.match is not None and not self.rules[a.match].matches(label, ev):
                continue
            if a.not_match is not None and self.rules[a.not_match].matches(label, ev):
                continue
            if a.any_variant is not None:
                if not (a.any_variant & types):
                    continue
            elif a.all_variants is not None:
                # §7.2: every variant type used must be listed (and there must be one)
                if not types or not types <= a.all_variants:
                    continue
            elif a.only_variants is not None and (not only_variants or not types or not types <= a.only_variants):
                continue
            return i, a
        raise AssertionError("the §7.6 catch-all action always triggers")  # pragma: no cover

    def validate(self, label: str) -> LgrResult:
        """Eligibility and disposition of ``label`` itself (RFC 7940 §8.1, §8.3), without variants.

        >>> from idnkit import lgr
        >>> lgr.load("rz5/latin").validate("example").disposition
        'valid'
        """
        u = to_ulabel(label)
        if not u or len(u) > MAX_LABEL:
            # Far over the DNS limit (63 octets) a label cannot be valid; refusing it keeps every rule
            # evaluation bounded (a look-behind may scan the whole prefix at each position).
            msg = "empty label" if not u else f"label of {len(u)} code points is over idnkit's bound of {MAX_LABEL}"
            f = _finding("too-long" if u else "empty", None, None, None, msg)
            return LgrResult(self.name, label, "invalid", False, False, (f,), None, False)
        if self._simple.issuperset(u):
            i, a = self._apply_actions(u, frozenset(), False)
            return LgrResult(self.name, u, a.disp, a.disp in REGISTRABLE, True, (), a, i >= self._n_doc_actions)
        elements, findings = self._partition(u)
        if findings:
            return LgrResult(self.name, u, "invalid", False, False, tuple(findings), None, False)
        types, only = self._reflexive_types(u, elements)
        i, a = self._apply_actions(u, types, only)
        return LgrResult(self.name, u, a.disp, a.disp in REGISTRABLE, True, (), a, i >= self._n_doc_actions)

    def _reflexive_types(self, u: str, elements: list[tuple[int, Char]]) -> tuple[frozenset[str], bool]:
        """§5.3.4: a reflexive mapping's type applies to the original label."""
        types: set[str] = set()
        only = True
        for i, ch in elements:
            hit = False
            for v in ch.variants:
                if v.cps == ch.cps and self._context_ok(_VarCtx(v, ch.cps), u, i):
                    if v.type is not None:
                        types.add(v.type)
                    hit = True
            only &= hit
        return frozenset(types), only and bool(types)

    def disposition(self, label: str) -> str:
        return self.validate(label).disposition

    # -- §8.2 variants ----------------------------------------------------------------------------------
    def _eligible(self, label: str) -> tuple[str, list[tuple[int, Char]]]:
        u = to_ulabel(label)
        if not u or len(u) > MAX_LABEL:
            raise LgrError(f"{label[:20]!r}... is empty or longer than {MAX_LABEL} code points")
        elements, findings = self._partition(u)
        if findings:
            why = findings[0].message
            raise LgrError(f"{label!r} is not eligible under {self.name}: {why}")
        return u, elements

    def _options(self, u: str, elements: list[tuple[int, Char]]) -> list[list[_Option]]:
        """Per element: itself (or its reflexive mapping, §5.3.4) first, then each variant whose context
        holds, in document order.

        Variant contexts are evaluated in the original label at the element's position (RFC 7940 §5.3.5).
        """
        out = []
        for i, ch in elements:
            own: _Option = (ch.cps, frozenset(), False)
            opts: list[_Option] = []
            for v in ch.variants:
                if v.conditional and not self._context_ok(_VarCtx(v, ch.cps), u, i):
                    continue
                typed = frozenset() if v.type is None else frozenset((v.type,))
                if v.cps == ch.cps:
                    # Every reflexive mapping that holds types the kept element, as validate() applies them all.
                    own = (v.cps, own[1] | typed, True)
                else:
                    opts.append((v.cps, typed, True))
            out.append([own, *opts])
        return out

    def variant_count(self, label: str) -> int:
        """Number of permuted variant labels of ``label`` (itself excluded; RFC 7940 §8.2 before labels with
        disposition "invalid" are dropped), computed exactly without enumerating them.

        Each element contributes itself (or its reflexive mapping) and every variant whose context holds in
        the original label; the count is the number of distinct labels those choices spell.  When every
        element's choices are distinct and of one length it is their product.  Null variants or sequences
        of another length can spell one label several ways: the labels are then counted on the
        determinised chain automaton of the choices (``_automaton``), in time proportional to its subset
        states, not to the count.  Past ``_automaton.MAX_SUBSET_STATES`` states LgrError is raised
        rather than a guess (no realistic table comes near it).
        """
        u, elements = self._eligible(label)
        choices = [[o[0] for o in opts] for opts in self._options(u, elements)]
        if _automaton.uniquely_decodable(choices):
            total = 1
            for opts in choices:
                total *= len(opts)
            return total - 1
        return _automaton.count_distinct(choices, u) - 1  # the label itself is always one of them

    def _permutations(
        self, u: str, options: list[list[_Option]], prune: bool = False, max_visited: int | None = None
    ) -> _permute.Walk:
        """The distinct permuted labels (except ``u``) with their canonical combinations (``_permute``)."""
        pruning = self._pruning() if prune else None
        choices = [[o[0] for o in opts] for opts in options]
        return _permute.Walk(u, options, not _automaton.uniquely_decodable(choices), pruning, max_visited)

    def _pruning(self) -> _permute.Pruning:
        """What proves, from a prefix of a permuted label, that every label extending it is invalid."""
        if self._pruning_cache is None:
            # An element's failed context proves the permuted label invalid only where the §8.1 partition
            # of that label must take the same element at the same place: a single code point that is
            # part of no sequence.  Elsewhere the partition may choose a sequence (or, past a failed
            # sequence, its parts) whose context holds, as validate() and lgr-core do.
            contexts: dict[tuple[int, ...], _permute.ContextCheck] = {
                cps: self._context_check(self.chars[cps])
                for cps in self._conditional
                if cps[0] not in self._in_sequences
            }
            rules = []
            no_mix: list[_nomix.Pair] = []
            nodes = {r.name: r for r in self._shell.rules if r.name is not None}
            for a in self.actions:
                if a.disp != "invalid":
                    break  # past the leading run of "invalid" actions a match no longer decides "invalid"
                plain = a.any_variant is None and a.all_variants is None and a.only_variants is None
                if a.match is None or a.not_match is not None or not plain:
                    continue
                node = nodes.get(a.match)
                pairs = None if node is None else _nomix.no_mix_pairs(node, nodes, self._resolve)
                if pairs:
                    no_mix += pairs  # decided by the no-mix guard, which also sees the elements still to come
                    continue
                rule = self.rules[a.match]
                plain = not rule.empty and not rule.has_anchor
                if plain and (rule.reach < math.inf or not rule.sees_ahead):
                    rules.append(_permute.InvalidRule(rule.starts_in, rule.reach, not rule.sees_ahead, rule.ends_in))
            self._pruning_cache = _permute.Pruning(
                self.fatal_types, contexts, tuple(rules), _nomix.PairSets(no_mix) if no_mix else None
            )
        return self._pruning_cache

    def _resolve(self, node: Any) -> _classes.Ranges:
        return _classes.evaluate(node, self.classes, lambda tag: self.tags.get(tag, ()), self._shell.source)

    def _context_check(self, ch: Char) -> _permute.ContextCheck:
        rule = self.rules[ch.when or ch.not_when or ""]
        # A rule without an anchor searches the whole label; an empty one is constant (never matches).
        reach = (rule.reach if rule.has_anchor else math.inf) if not rule.empty else 0.0
        return _permute.ContextCheck(functools.partial(self._context_ok, ch), reach)

    def _contexts_hold(self, text: str, combo: list[_Option]) -> bool:
        """RFC 7940 §7.5/§8.3 step 1: do the code point contexts of a permuted label hold?

        They are those of the label as §8.1 partitions it, the partition ``validate`` uses and lgr-core's
        eligibility test of a variant label: the elements the choices spelled are only a shortcut, exact
        when no element involved is or overlaps a sequence.  Spelled "ი|ი" → "റ|റ" under rz5/common,
        the second U+0D31 fails ``not-when="Mlym--follows-0D31"``, but the label partitions into the
        sequence U+0D31 U+0D31, whose context holds (issue 20 point 5).
        """
        pos = 0
        for cps, _, _ in combo:
            ch = self.chars.get(cps)
            if ch is not None and ch.conditional and not self._context_ok(ch, text, pos):
                break
            if any(cp in self._in_sequences for cp in cps):
                break
            pos += len(cps)
        else:
            return True
        return not self._partition(text)[1]

    def variants(
        self,
        label: str,
        limit: int | None = 1000,
        include_invalid: bool = False,
        max_visited: int | None = _permute.MAX_VISITED,
    ) -> Iterator[Variant]:
        """Variant labels with dispositions (RFC 7940 §8.2-8.3), lazily, at most ``limit`` of them.

        Permuted labels whose disposition is "invalid" are not variant labels and are skipped
        (RFC 7940 §8.2), unless ``include_invalid``.  Each distinct label comes once.  When several
        combinations of choices spell it (null variants, sequences of other lengths), its variant types,
        "only variants" and element contexts are those of its *canonical spelling*: the first combination
        in the order each element's own choice first, then its variants in document order (the spelling
        that keeps the leftmost elements as they are; lgr-core keeps the first one it generates, the
        same order).

        Cost: a depth-first walk over one choice per element (``_permute``).  Every combination prefix
        it visits spells a distinct (element, text) pair, and a prefix is cut as soon as it is proven to
        lead only to "invalid" labels: a fatal variant type, an element's when/not-when decided false by
        the prefix (its look-ahead reaches no further), a leading "invalid" action's whole-label rule
        matched in it.  Without ``include_invalid`` the first k variants thus cost O(k + length) prefix
        visits, except where an invalid label can only be recognised whole (a rule with unbounded
        look-ahead, a non-leading or not-match action), and where a prefix dead by its spelling (fatal
        type, context) shares labels with another route through the choices (null variants, sequences):
        it is then walked without yielding, so that no later spelling of a label it spells canonically
        is taken for the canonical one.  ``max_visited`` (None:
        no bound) bounds that work: past it LgrError is raised,
        saying how many prefixes were visited and how many variants produced.  It counts prefixes,
        never time, so the outcome is deterministic.  ``limit=None`` means no cap on the number.
        """
        u, elements = self._eligible(label)
        options = self._options(u, elements)
        walk = self._permutations(u, options, prune=not include_invalid, max_visited=max_visited)
        produced = 0
        if limit is not None and limit <= 0:
            return
        try:
            for text, combo in walk:
                disp, types = self._variant_disposition(text, combo)
                if disp == "invalid" and not include_invalid:
                    continue
                produced += 1
                yield Variant(text, disp, tuple(sorted(types)))
                if limit is not None and produced >= limit:
                    return
        except _permute.BudgetExceededError as e:
            raise LgrError(
                f"variants of {u!r} under {self.name}: {e.visited - 1} combination prefixes visited "
                f"(max_visited), {produced} variants produced; most permutations are invalid in a way "
                "only the whole label shows"
            ) from None

    def _variant_disposition(self, text: str, combo: list[_Option]) -> tuple[str, frozenset[str]]:
        types = frozenset().union(*(o[1] for o in combo))
        if not text or len(text) > MAX_LABEL:
            # Null variants can spell the empty label, sequence variants one past idnkit's bound: neither
            # is a label ``validate`` accepts, so neither is a variant label whatever the actions say.
            return "invalid", types
        if self._has_conditional_chars and not self._contexts_hold(text, combo):
            # RFC 7940 §7.5: a code point whose when/not-when fails carries the implied action
            # "invalid", in a variant label as in the original.
            return "invalid", types
        return self._apply_actions(text, types, all(o[2] for o in combo))[1].disp, types

    # -- §8.5 index label -------------------------------------------------------------------------------
    def _closure(self, cps: tuple[int, ...]) -> tuple[int, ...] | None:
        """The smallest member of the element's variant set, or None if that set is not an equivalence class
        (not symmetric, not transitive, or conditional): RFC 7940 §8.5 then leaves the index label undefined."""
        if cps in self._closure_cache:
            return self._closure_cache[cps]
        members = {cps}
        todo = [cps]
        ok = True
        while todo:
            cur = todo.pop()
            ch = self.chars.get(cur)
            if ch is None:
                ok = False  # a variant outside the repertoire has no variant set of its own
                break
            for v in ch.variants:
                if v.conditional:
                    ok = False
                if v.cps not in members:
                    members.add(v.cps)
                    todo.append(v.cps)
        if ok:
            for m in members:
                ch = self.chars[m]
                if {v.cps for v in ch.variants} | {m} != members:
                    ok = False
                    break
        result = min(members) if ok else None
        for m in members if ok else (cps,):
            self._closure_cache[m] = result
        return result

    def index_label(self, label: str) -> str:
        """The index label (RFC 7940 §8.5): every element replaced by the least member of its variant set.

        Raises LgrError where §8.5 leaves it undefined: a variant set that is not symmetric and transitive or
        that has when/not-when conditions.
        """
        u, elements = self._eligible(label)
        out = []
        for i, ch in elements:
            least = self._closure(ch.cps)
            if least is None:
                raise LgrError(
                    f"index label of {u!r} is undefined under {self.name}: the variant set of "
                    f"{' '.join(f'U+{c:04X}' for c in ch.cps)} (position {i + 1}) is not symmetric, transitive "
                    "and unconditional (RFC 7940 §8.5)"
                )
            out.append("".join(map(chr, least)))
        return "".join(out)

    def __repr__(self) -> str:
        return f"<Lgr {self.name} ({len(self.chars)} elements, {len(self.rules)} rules)>"


@dataclass(frozen=True, slots=True)
class _VarCtx:
    """A variant's context rule applied at its source element (the anchor is the source element)."""

    var: Any
    cps: tuple[int, ...]

    @property
    def when(self) -> str | None:
        w: str | None = self.var.when
        return w

    @property
    def not_when(self) -> str | None:
        w: str | None = self.var.not_when
        return w
