"""LGR sets: merge several LGRs into one document, to find labels of different tables that collide.

RFC 7940 leaves combining LGRs to the user; ICANN's practice (the Root Zone LGR's integrated "common"
set, and the second-level "full variant set" tables built for new gTLD RSP evaluation) is:

* the repertoire is the union of the members' repertoires; every element is tagged with the short name of
  each member that has it (and the members' own tags are kept, prefixed ``member:tag``);
* variant mappings are unioned; a member may carry cross-script mappings to code points outside its
  repertoire (the full variant sets "inject" them as placeholder elements whose reflexive variant type
  makes any label using them invalid) -- in the merged set a placeholder is replaced by the real element
  of the member that has it, so Latin ``a`` U+0061 and Cyrillic ``а`` U+0430 become blocked variants of
  each other when a member says so, and their labels share an index label (a collision);
* the variant sets are closed under symmetry and transitivity (missing pairs become ``blocked``), as
  RFC 7940 §8.5 needs for index labels;
* classes, rules and tags are namespaced ``member:name``; each member's whole-label actions apply only to
  labels wholly inside that member's repertoire, and a label that no single member's repertoire covers is
  invalid (an LGR set admits a label only if one of its members does).

Known limit: an element conditional in two members under *different* context rules keeps the first
member's context (a note says so).  Sequences cannot carry tags (RFC 7940 §5.5); the member scopes use
classes of all code points of each member's elements instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import _classes
from ._errors import LgrError
from ._evaluate import Lgr
from ._model import Action, Char, ClassNode, Document, Meta, Reference, RuleNode, Var

_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_VarKey = tuple[tuple[int, ...], str | None, str | None]


MERGE_RULES = {
    "variant-conflict": "rfc7940.merge.variant_conflict",
    "context-conflict": "rfc7940.merge.context_conflict",
    "unicode-version": "rfc7940.merge.unicode_version",
}


@dataclass(frozen=True, slots=True)
class MergeNote:
    """Something the merge could not keep exactly (``kind``, a key of MERGE_RULES), about ``element``
    (its code points; empty for notes about the whole set)."""

    kind: str
    message: str
    element: tuple[int, ...] = ()

    @property
    def rule_id(self) -> str:
        """The catalogued rule id of this note's kind (``idnkit.RULES``)."""
        return MERGE_RULES[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rule_id": self.rule_id,
            "element": _fmt(self.element) if self.element else None,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class SetCollision:
    """Labels that share one index label in the merged set, each with the members under which it is valid."""

    index_label: str
    labels: tuple[tuple[str, tuple[str, ...]], ...]  # (label, members judging it valid)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index_label": self.index_label,
            "labels": [{"label": label, "valid_under": list(members)} for label, members in self.labels],
        }


@dataclass(frozen=True, slots=True)
class LgrSet:
    """A merged LGR set: the merged document, its member names (prefixes) and notes about the merge."""

    document: Document
    members: tuple[str, ...]
    sources: tuple[Lgr, ...] = field(repr=False)
    notes: tuple[MergeNote, ...] = ()

    def compile(self, name: str | None = None) -> Lgr:
        """The merged set as an :class:`Lgr` (validate, variants, index labels over all members)."""
        return Lgr(self.document, name or "+".join(self.members))

    def collisions(self, labels: Iterable[str], merged: Lgr | None = None) -> list[SetCollision]:
        """Group labels (each valid under at least one member) by their index label in the merged set."""
        table = merged if merged is not None else self.compile()
        groups: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for label in labels:
            valid_under = tuple(
                m for m, src in zip(self.members, self.sources, strict=True) if src.validate(label).valid
            )
            if not valid_under:
                continue
            try:
                key = table.index_label(label)
            except LgrError:  # §8.5 undefined, or not eligible in the merged set: no key
                continue
            groups.setdefault(key, []).append((label, valid_under))
        return [SetCollision(k, tuple(v)) for k, v in sorted(groups.items()) if len(v) > 1]


def member_names(tables: Sequence[Lgr]) -> list[str]:
    """Short, unique namespace prefixes: ``ref/de`` → ``de``, ``rz5/latin`` → ``latin``."""
    out: list[str] = []
    for t in tables:
        stem = t.name.replace("\\", "/").rsplit("/", 1)[-1]
        stem = stem[:-4] if stem.lower().endswith(".xml") else stem
        base = _NAME_CHARS.sub("-", stem).strip("-") or "lgr"
        if base == "merge":
            base = "merge-lgr"
        name, n = base, 2
        while name in out:
            name, n = f"{base}-{n}", n + 1
        out.append(name)
    return out


class _Renamer:
    def __init__(self, prefix: str) -> None:
        self.p = prefix

    def name(self, value: str | None) -> str | None:
        return None if value is None else f"{self.p}:{value}"

    def cls(self, node: ClassNode) -> ClassNode:
        ref = node.ref
        if node.kind in ("ref", "tag"):
            ref = self.name(ref)
        return replace(node, name=self.name(node.name), ref=ref, children=tuple(self.cls(c) for c in node.children))

    def rule(self, node: RuleNode) -> RuleNode:
        return replace(
            node,
            name=self.name(node.name),
            ref=self.name(node.ref),
            cls=None if node.cls is None else self.cls(node.cls),
            children=tuple(self.rule(c) for c in node.children),
        )

    def refs(self, refs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(f"{self.p}:{r}" for r in refs)

    def var(self, v: Var) -> Var:
        return replace(v, when=self.name(v.when), not_when=self.name(v.not_when), refs=self.refs(v.refs), line=0)


@dataclass(slots=True)
class _Element:
    cps: tuple[int, ...]
    base: Char  # renamed attributes of the first real (or placeholder) occurrence
    placeholder: bool
    members: list[str]
    tags: list[str]
    variants: dict[_VarKey, Var]
    contexts: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (member, when, not-when)


def _key(v: Var) -> _VarKey:
    return (v.cps, v.when, v.not_when)


def _fmt(cps: tuple[int, ...]) -> str:
    return " ".join(f"U+{c:04X}" for c in cps) or "(null)"


def _rule_ref(ref: str) -> RuleNode:
    return RuleNode("rule", ref=ref)


def merge(tables: Sequence[Lgr], members: Sequence[str] | None = None, close: bool = True) -> LgrSet:
    """Merge LGRs into one set (see the module docstring for the rules).

    >>> from idnkit import lgr
    >>> s = merge([lgr.load("ref/de"), lgr.load("ref/ru")])
    >>> s.members
    ('de', 'ru')
    >>> merged = s.compile()
    >>> merged.validate("straße").disposition, merged.validate("москва").disposition
    ('valid', 'valid')
    >>> merged.validate("mосква").disposition  # Latin m with Cyrillic: no member admits it
    'invalid'
    """
    if not tables:
        raise ValueError("merge needs at least one LGR")
    names = list(members) if members is not None else member_names(tables)
    if len(names) != len(tables) or len(set(names)) != len(names):
        raise ValueError("one unique member name per LGR is needed")
    builder = _Merge()
    for table, prefix in zip(tables, names, strict=True):
        builder.add_member(table, prefix)
    return builder.finish(tables, names, close)


class _Merge:
    """The parts of the merged document, filled one member at a time by :meth:`add_member`, then
    assembled by :meth:`finish` (member gate, per-element contexts, variant closure, meta)."""

    def __init__(self) -> None:
        self.notes: list[MergeNote] = []
        self.elements: dict[tuple[int, ...], _Element] = {}
        self.classes: list[ClassNode] = []
        self.rules: list[RuleNode] = []
        self.scoped_actions: list[Action] = []
        self.variant_actions: list[Action] = []
        self.catch_all: list[Action] = []
        self.references: list[Reference] = []
        self.languages: list[str] = []
        self.unicode_versions: set[str | None] = set()
        self.scope_rules: list[str] = []
        # Context rule patterns, to tell whether two members' contexts for one element are the same.
        self.patterns: dict[str, str] = {}

    def add_member(self, table: Lgr, p: str) -> None:
        """One member's meta, elements, classes, rules and actions, namespaced ``p:``."""
        doc = table.document
        rn = _Renamer(p)
        self.unicode_versions.add(doc.meta.unicode_version)
        self.languages.extend(x for x in doc.meta.languages if x not in self.languages)
        self.references.extend(replace(r, id=f"{p}:{r.id}") for r in doc.meta.references)
        for name, compiled in table.rules.items():
            self.patterns[f"{p}:{name}"] = compiled.pattern
        invalid_types: set[str | None] = set().union(
            *(a.any_variant for a in doc.actions if a.disp == "invalid" and a.any_variant is not None)
        )
        member_cps: set[int] = set()
        for ch in table.chars.values():
            if self._add_char(ch, p, rn, invalid_types):
                member_cps.update(ch.cps)
        self.classes.extend(rn.cls(c) for c in doc.classes)
        repertoire = f"merge:{p}:repertoire"
        self.classes.append(ClassNode("set", repertoire, ranges=_classes.from_cps(sorted(member_cps))))
        self.rules.extend(rn.rule(r) for r in doc.rules)
        self._add_scope(p, repertoire)
        for a in doc.actions:
            self._add_action(a, p, rn, repertoire)

    def _add_char(self, ch: Char, p: str, rn: _Renamer, invalid_types: set[str | None]) -> bool:
        """Merge one element of member ``p``; whether it is a real one (not a placeholder)."""
        reflexive = [v for v in ch.variants if v.cps == ch.cps]
        placeholder = any(v.type in invalid_types for v in reflexive)
        renamed = Char(ch.cps, rn.name(ch.when), rn.name(ch.not_when), (), rn.refs(ch.refs), ch.comment, (), 0)
        el = self.elements.get(ch.cps)
        if el is None:
            el = _Element(ch.cps, renamed, placeholder, [], [], {})
            if placeholder:
                el.variants.update({_key(v): v for v in ch.variants if v.cps == ch.cps})
            self.elements[ch.cps] = el
        elif el.placeholder and not placeholder:
            # A real element replaces another member's placeholder for it.
            el.base, el.placeholder = renamed, False
            el.variants = {k: v for k, v in el.variants.items() if k[0] != ch.cps}
        if not placeholder:
            el.contexts.append((p, renamed.when, renamed.not_when))
            el.members.append(p)
            el.tags.extend(t for t in (f"{p}:{t}" for t in ch.tags) if t not in el.tags)
        for v in ch.variants:
            if not (placeholder and v.cps == ch.cps):
                self._add_variant(el, rn.var(v), p)
        return not placeholder

    def _add_variant(self, el: _Element, v: Var, p: str) -> None:
        old = el.variants.get(_key(v))
        if old is None:
            el.variants[_key(v)] = v
        elif old.type != v.type:
            self.notes.append(
                MergeNote(
                    "variant-conflict",
                    (
                        f"{_fmt(el.cps)} → {_fmt(v.cps)}: kept type {old.type!r} "
                        f"(context {old.when or old.not_when}), "
                        f"dropped {p}'s type {v.type!r} (context {v.when or v.not_when})"
                    ),
                    el.cps,
                )
            )

    def _add_scope(self, p: str, repertoire: str) -> None:
        """The rule "the whole label lies in member ``p``'s repertoire"."""
        scope = f"merge:{p}:scope"
        self.rules.append(
            RuleNode(
                "rule",
                scope,
                children=(
                    RuleNode("start"),
                    RuleNode("class", cls=ClassNode("ref", ref=repertoire), count="1+"),
                    RuleNode("end"),
                ),
            )
        )
        self.scope_rules.append(scope)

    def _add_action(self, a: Action, p: str, rn: _Renamer, repertoire: str) -> None:
        """Member ``p``'s action: a whole-label one scoped to its repertoire, a variant one shared."""
        if a.match is not None:
            name = self._scoped_match(p, a.match, repertoire)
            self.scoped_actions.append(replace(a, match=name, refs=rn.refs(a.refs), line=0))
        elif a.not_match is not None:
            name = self._scoped_not_match(p, a.not_match, repertoire)
            self.scoped_actions.append(replace(a, not_match=name, refs=rn.refs(a.refs), line=0))
        elif a.any_variant is None and a.all_variants is None and a.only_variants is None:
            if not any(_same_action(a, b) for b in self.catch_all):
                self.catch_all.append(replace(a, refs=(), line=0))
        elif not any(_same_action(a, b) for b in self.variant_actions):
            self.variant_actions.append(replace(a, refs=(), line=0))

    def _scoped_match(self, p: str, match: str, repertoire: str) -> str:
        """A rule that matches when the label lies in this member's repertoire AND the member's rule matches."""
        name = f"merge:{p}:match:{match}"
        if name not in {r.name for r in self.rules}:
            self.rules.append(
                RuleNode(
                    "rule",
                    name,
                    children=(
                        RuleNode("start"),
                        RuleNode("look-ahead", children=(RuleNode("any", count="0+"), _rule_ref(f"{p}:{match}"))),
                        RuleNode("class", cls=ClassNode("ref", ref=repertoire), count="1+"),
                        RuleNode("end"),
                    ),
                )
            )
        return name

    def _scoped_not_match(self, p: str, not_match: str, repertoire: str) -> str:
        """For a not-match action, which triggers when the label lies in this member's repertoire and the
        member's rule does not match: "the member's rule, or some code point outside the member's repertoire"."""
        name = f"merge:{p}:not-match:{not_match}"
        if name not in {r.name for r in self.rules}:
            outside = ClassNode("complement", children=(ClassNode("ref", ref=repertoire),))
            self.rules.append(
                RuleNode(
                    "rule",
                    name,
                    children=(
                        RuleNode("choice", children=(_rule_ref(f"{p}:{not_match}"), RuleNode("class", cls=outside))),
                    ),
                )
            )
        return name

    def finish(self, tables: Sequence[Lgr], names: Sequence[str], close: bool) -> LgrSet:
        """The merged set: the any-member gate, one context per element, the closed variant sets, the meta."""
        self.rules.append(
            RuleNode(
                "rule",
                "merge:any-member",
                children=(RuleNode("choice", children=tuple(_rule_ref(s) for s in self.scope_rules)),),
            )
        )
        gate = Action(
            "invalid",
            not_match="merge:any-member",
            comment="LGR set: a label must lie wholly in the repertoire of one member",
        )
        contexts = _Contexts(self.patterns, self.notes)
        for el in self.elements.values():
            el.base = contexts.resolve(el)
        self.rules.extend(contexts.rules)
        if close:
            _close_variants(self.elements)
        doc = Document(
            "+".join(names),
            self._meta(tables, names),
            self._chars(),
            tuple(self.classes),
            tuple(self.rules),
            (gate, *self.scoped_actions, *self.variant_actions, *self.catch_all),
        )
        return LgrSet(doc, tuple(names), tuple(tables), tuple(self.notes))

    def _chars(self) -> tuple[Char, ...]:
        return tuple(
            # RFC 7940 §5.5: sequences carry no tags (their members are known from the scope classes)
            replace(
                el.base, tags=(*el.members, *el.tags) if len(el.cps) == 1 else (), variants=tuple(el.variants.values())
            )
            for el in sorted(self.elements.values(), key=lambda e: e.cps)
        )

    def _meta(self, tables: Sequence[Lgr], names: Sequence[str]) -> Meta:
        versions = self.unicode_versions
        if len(versions) > 1:
            self.notes.append(
                MergeNote(
                    "unicode-version",
                    "members name different Unicode versions: " + ", ".join(sorted(str(v) for v in versions)),
                )
            )
        return Meta(
            version="1",
            version_comment="merged LGR set",
            languages=tuple(self.languages),
            unicode_version=next(iter(versions)) if len(versions) == 1 else None,
            description="LGR set merged by idnkit from: "
            + ", ".join(f"{p} ({t.name})" for p, t in zip(names, tables, strict=True)),
            description_type="text/plain",
            references=tuple(self.references),
        )


def _same_action(a: Action, b: Action) -> bool:
    return (a.disp, a.any_variant, a.all_variants, a.only_variants) == (
        b.disp,
        b.any_variant,
        b.all_variants,
        b.only_variants,
    )


class _Contexts:
    """One when/not-when context per merged element, each member's context applying to its own labels.

    An element is allowed if some member that has it admits it: the label lies wholly in that member's
    repertoire and that member's context holds.  With only ``when`` contexts (or none) that is a ``when``
    rule: a choice, per member, of "scope look-arounds, then the member's rule" (RFC 7940 §6.4 evaluates a
    context at the element's position).  With only ``not-when`` contexts the element is refused when, for
    every member, the label leaves its repertoire or its rule matches: a ``not-when`` rule made of one
    look-ahead per member (a conjunction).  A mix of both keeps the first member's context and notes it.
    """

    def __init__(self, patterns: dict[str, str], notes: list[MergeNote]) -> None:
        self.patterns = patterns
        self.notes = notes
        self.rules: list[RuleNode] = []
        self._made: dict[tuple[object, ...], str] = {}

    @staticmethod
    def _rep(member: str, count: str | None = None) -> RuleNode:
        return RuleNode("class", cls=ClassNode("ref", ref=f"merge:{member}:repertoire", count=count), count=count)

    def _in_scope(self, member: str) -> tuple[RuleNode, ...]:
        return (
            RuleNode("look-behind", children=(RuleNode("start"), self._rep(member, "0+"))),
            RuleNode("look-ahead", children=(self._rep(member, "0+"), RuleNode("end"))),
        )

    def _out_of_scope(self, member: str) -> RuleNode:
        outside = ClassNode("complement", children=(ClassNode("ref", ref=f"merge:{member}:repertoire"),))
        return RuleNode(
            "choice",
            children=(
                RuleNode("look-behind", children=(RuleNode("class", cls=outside), RuleNode("any", count="0+"))),
                RuleNode("look-ahead", children=(RuleNode("any", count="0+"), RuleNode("class", cls=outside))),
            ),
        )

    def resolve(self, el: _Element) -> Char:
        ctx = el.contexts
        if len(ctx) <= 1 or not any(w or n for _, w, n in ctx):
            return el.base
        first = ctx[0]
        if all(
            (w is None) == (first[1] is None)
            and (n is None) == (first[2] is None)
            and self.patterns.get(w or n or "") == self.patterns.get(first[1] or first[2] or "")
            for _, w, n in ctx
        ):
            return el.base  # the same context under several names (e.g. every member's hyphen rule)
        signature = tuple(ctx)
        if all(n is None for _, _, n in ctx):
            name = self._made.get(signature)
            if name is None:
                alternatives = []
                for member, when, _ in ctx:
                    tail = RuleNode("rule", ref=when) if when is not None else RuleNode("anchor")
                    alternatives.append(RuleNode("rule", children=(*self._in_scope(member), tail)))
                name = self._add(signature, (RuleNode("choice", children=tuple(alternatives)),))
            return replace(el.base, when=name, not_when=None)
        if all(w is None for _, w, _ in ctx):
            name = self._made.get(signature)
            if name is None:
                terms = []
                for member, _, not_when in ctx:
                    if not_when is None:
                        terms.append(RuleNode("look-ahead", children=(self._out_of_scope(member),)))
                    else:
                        terms.append(
                            RuleNode(
                                "look-ahead",
                                children=(
                                    RuleNode(
                                        "choice", children=(self._out_of_scope(member), RuleNode("rule", ref=not_when))
                                    ),
                                ),
                            )
                        )
                name = self._add(signature, (*terms, RuleNode("anchor")))
            return replace(el.base, when=None, not_when=name)
        self.notes.append(
            MergeNote(
                "context-conflict",
                (
                    f"{_fmt(el.cps)}: members mix when and not-when contexts; "
                    f"kept {first[1] or first[2]} of {first[0]}, "
                    + ", ".join(f"dropped {w or n or '(none)'} of {m}" for m, w, n in ctx[1:])
                ),
                el.cps,
            )
        )
        return el.base

    def _add(self, signature: tuple[object, ...], children: tuple[RuleNode, ...]) -> str:
        name = f"merge:context-{len(self._made) + 1}"
        self._made[signature] = name
        self.rules.append(RuleNode("rule", name, children=children))
        return name


def _close_variants(elements: dict[tuple[int, ...], _Element]) -> None:
    """Make unconditional variant sets symmetric and transitive; missing mappings become blocked (§8.5)."""
    parent: dict[tuple[int, ...], tuple[int, ...]] = {}

    def find(x: tuple[int, ...]) -> tuple[int, ...]:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for el in elements.values():
        if el.placeholder:
            continue
        for v in el.variants.values():
            target = elements.get(v.cps)
            if v.conditional or v.cps == el.cps or target is None or target.placeholder:
                continue
            parent.setdefault(el.cps, el.cps)
            parent.setdefault(v.cps, v.cps)
            a, b = find(el.cps), find(v.cps)
            if a != b:
                parent[a] = b
    sets: dict[tuple[int, ...], list[tuple[int, ...]]] = {}
    for cps in parent:
        sets.setdefault(find(cps), []).append(cps)
    for members in sets.values():
        members.sort()
        for x in members:
            el = elements[x]
            present = {k[0] for k in el.variants}
            for y in members:
                if y != x and y not in present:
                    el.variants[(y, None, None)] = Var(y, "blocked", comment="(merged: symmetric/transitive closure)")
