"""Carrying out a parsed command against a registry: every check, then the response.

Each name goes through the same steps, in the order an SRS would refuse it, and every reason is
kept: A-labels in ``<domain:name>`` (RFC 5731 §2.1) that are valid IDNA2008 (RFC 5891 §5.3: an
A-label must decode to a U-label and encode back to itself), one label under the policy's TLD,
the Unicode form sent beside it, the IDN table the tags name, and then the registry's own check
(:meth:`~idnkit.policy.Registry.can_register`, or :meth:`~idnkit.policy.Registry.add` for a
create, which checks and inserts in one transaction: variants and look-alikes included).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .. import uts46
from ..errors import IdnkitError
from ..findings import Finding, Severity
from ..idna import check_domain
from ..policy import RegistrationCheck, Registry, Selection
from ..policy._schema import Table
from ..rules import RULES
from ._codes import code_for
from ._model import DOMAIN_NS, LIMITS, EppCommand, EppError, EppFinding, EppName, EppResponse, Limits
from ._parse import IETF_IDN_NS, parse
from ._respond import response
from ._tags import candidates, describe
from ._xml import Node, node


def handle(xml: bytes, *, registry: Registry, registrar: str | None = None, limits: Limits = LIMITS) -> EppResponse:
    """Answer one EPP command: parse it hardened, check it against ``registry``, build the response.

    ``registrar`` is the sponsoring client (the service passes its authenticated registrar id); a
    create needs one.  Never raises on bad input: a document that cannot be read is answered
    2001, and a failure of the registry itself 2400.
    """
    try:
        command = parse(xml, limits=limits)
    except EppError as e:
        return e.response
    return execute(command, registry=registry, registrar=registrar)


def execute(command: EppCommand, *, registry: Registry, registrar: str | None = None) -> EppResponse:
    """Answer an already parsed command (see :func:`handle`)."""
    try:
        if command.kind == "check":
            return _check(command, registry, registrar)
        if command.kind == "create":
            return _create(command, registry, registrar)
        return _info(command, registry)
    except IdnkitError as e:  # the store or an engine failed: not the client's fault
        f = _finding("epp.command.failed", f"the registry could not answer: {e}")
        return response(command.kind, command.cltrid, [f])


# --- one name -----------------------------------------------------------------------------------


def _finding(rule: str, message: str, element: str | None = None, namespace: str | None = None,
             value: str | None = None, source: str | None = None) -> EppFinding:  # fmt: skip
    cite = source if source and source != RULES[rule].source else None
    return EppFinding(code_for(rule), Finding(rule, message, engine="epp", cite=cite), element, namespace, value)


def _from_idna(f: Finding, element: str, namespace: str, value: str) -> EppFinding:
    return EppFinding(code_for(f.rule), f, element, namespace, value, placed=True)


def _from_policy(f: Finding, value: str) -> EppFinding:
    return EppFinding(code_for(f.rule), f, "domain:name", DOMAIN_NS, value)


@dataclass
class _Name:
    """What is known of one name so far, and every reason against it."""

    text: str  # as the client sent it
    ascii: str | None = None  # lowercase A-label form of the whole name
    unicode: str | None = None
    label: str | None = None  # the U-label under the TLD
    table: Table | None = None
    findings: list[EppFinding] = field(default_factory=list)

    def refuse(self, rule: str, message: str, **where: str | None) -> None:
        where.setdefault("element", "domain:name")
        where.setdefault("namespace", DOMAIN_NS)
        where.setdefault("value", self.text)
        self.findings.append(_finding(rule, message, **where))


def _syntax(n: _Name, registry: Registry) -> None:
    """A-labels, IDNA2008 (registration profile, RFC 5891 §4) and one label directly under the TLD."""
    if not n.text.isascii():
        first = next(i for i, c in enumerate(n.text, 1) if not c.isascii())
        n.refuse("epp.name.not_ascii", f"position {first} is U+{ord(n.text[first - 1]):04X}: write the A-label "
                 "(xn--...) in <domain:name> and the Unicode form in <idn:uname>")  # fmt: skip
        return
    result = check_domain(n.text)
    if not result.ok:
        n.findings += [_from_idna(f, "domain:name", DOMAIN_NS, n.text) for f in result.errors]
        return
    n.ascii, n.unicode = result.ascii, result.name
    ident = registry.policy.data.identity
    tld = result.labels[-1].ulabel if result.labels else None
    if tld not in {ident.tld, *ident.aliases}:
        under = " or .".join((ident.tld, *ident.aliases))
        n.refuse("policy.tld", f"{n.text!r} is not a name under .{under}")
    elif len(result.labels) != 2:
        n.refuse("epp.name.level", f"{n.text!r} has {len(result.labels)} labels; the registry registers one label "
                 f"under .{ident.tld}")  # fmt: skip
    else:
        n.label = result.labels[0].ulabel


def _tables(n: _Name, command: EppCommand, registry: Registry) -> None:
    """The table the command's tags name (every convention must name the same one), docs/epp.md."""
    policy = registry.policy
    tables = policy.data.tables.tables
    chosen: list[tuple[Table, str]] = []
    for tag in command.tags:
        found = candidates(tag.value, tables)
        where = {"element": tag.element, "namespace": tag.namespace, "value": tag.value}
        if not found:
            n.refuse("epp.idn.table_unknown", f"{tag.value!r} names no table of policy {policy.name}; its tables: "
                     f"{describe(policy)}", **where)  # fmt: skip
        elif len(found) > 1:
            n.refuse("epp.idn.table_ambiguous", f"{tag.value!r} fits several tables of policy {policy.name}: "
                     + ", ".join(f"{t.ref} ({t.tag})" for t in found), **where)  # fmt: skip
        else:
            chosen.append((found[0], f"<{tag.element}>{tag.value}"))
    refs = {t.ref for t, _ in chosen}
    if len(refs) > 1:
        said = ", ".join(f"{what} → {t.ref}" for t, what in chosen)
        n.refuse("epp.idn.tags_conflict", f"the command's IDN tags name different tables: {said}")
    elif chosen:
        n.table = chosen[0][0]
    if (n.table is None and command.kind == "create" and policy.data.tables.select is Selection.LANGUAGE
            and not any(f.rule.startswith("epp.idn.table") for f in n.findings)):  # fmt: skip
        n.refuse("epp.idn.table_required", f"policy {policy.name} picks the table by language tag; send one "
                 f"(<idn:table>, <idnLang:tag>, ...) naming one of {describe(policy)}")  # fmt: skip


def _unicode_forms(n: _Name, command: EppCommand) -> None:
    """``<idn:uname>`` must be the U-label form of the name; ARI's userForm must map to it (UTS #46)."""
    for form in command.unicode_forms:
        where = {"element": form.element, "namespace": form.namespace, "value": form.value}
        if form.mapped:
            mapped = uts46.to_ascii(form.value)
            if mapped.result is None or mapped.result.lower() != (n.ascii or "").lower():
                n.refuse("epp.idn.uname_mismatch", f"{form.value!r} maps (UTS #46) to {mapped.result!r}, "
                         f"not to {n.ascii!r}", **where)  # fmt: skip
            continue
        result = check_domain(form.value)
        if not result.ok:
            n.findings += [_from_idna(f, form.element, form.namespace, form.value) for f in result.errors]
        elif result.name != n.unicode or result.ascii != n.ascii:
            n.refuse("epp.idn.uname_mismatch", f"{form.value!r} is not the Unicode form of {n.text!r} "
                     f"({n.unicode!r})", **where)  # fmt: skip


def _table_fits(n: _Name, registry: Registry) -> None:
    """The label must be valid under the table named (for ``select = language`` the policy checks it)."""
    policy = registry.policy
    if n.table is None or n.label is None or policy.data.tables.select is Selection.LANGUAGE:
        return
    verdict = policy.engines.table(n.table.ref, n.table.path).validate(n.label)
    if verdict.valid:
        return
    reasons = "; ".join(r.message for r in verdict.reasons) or f"disposition {verdict.disposition}"
    n.refuse("epp.idn.table_mismatch", f"{n.label!r} is not valid under {n.table.ref} ({n.table.tag}), the table "
             f"the command names: {reasons}", source=n.table.source or None)  # fmt: skip


def _judge(command: EppCommand, text: str, registry: Registry) -> _Name:
    n = _Name(text)
    _syntax(n, registry)
    _tables(n, command, registry)
    if n.ascii is not None:
        _unicode_forms(n, command)
    if not n.findings:
        _table_fits(n, registry)
    return n


def _language(n: _Name, registry: Registry) -> str | None:
    """The language tag the policy selects its table by (only for ``select = language``)."""
    return n.table.tag if n.table and registry.policy.data.tables.select is Selection.LANGUAGE else None


def _registry_findings(n: _Name, check: RegistrationCheck) -> list[EppFinding]:
    return [_from_policy(f, n.text) for f in check.findings if f.severity is Severity.ERROR]


# --- commands ----------------------------------------------------------------------------------


def _check(command: EppCommand, registry: Registry, registrar: str | None) -> EppResponse:
    answers: list[EppName] = []
    for text in command.names:
        n = _judge(command, text, registry)
        if not n.findings and n.ascii is not None:
            check = registry.can_register(n.ascii, registrar or "", language=_language(n, registry))
            n.findings += _registry_findings(n, check)
        answers.append(EppName(text, not n.findings, tuple(n.findings)))
    cds = [
        node(
            "domain:cd",
            node("domain:name", text=a.name, avail="1" if a.avail else "0"),
            node("domain:reason", text=a.reason) if a.reason else None,
        )
        for a in answers
    ]
    resdata = node("resData", node("domain:chkData", *cds, xmlns_domain=DOMAIN_NS))
    return response("check", command.cltrid, resdata=resdata, names=tuple(answers))


def _create(command: EppCommand, registry: Registry, registrar: str | None) -> EppResponse:
    (text,) = command.names
    n = _judge(command, text, registry)
    if not registrar:
        n.findings.append(_finding("epp.command.client", "a create needs the sponsoring client (the registrar "
                                   "the service authenticated); none was given"))  # fmt: skip
    if n.findings or n.ascii is None:
        return response("create", command.cltrid, n.findings)
    assert registrar is not None
    check = registry.add(n.ascii, registrar, language=_language(n, registry))
    findings = _registry_findings(n, check)
    if findings or not check.ok:
        return response("create", command.cltrid, findings, registration=check)
    record = registry.get(n.ascii)
    created = record.registered_at if record else ""
    resdata = node("resData", node("domain:creData", node("domain:name", text=n.ascii),
                                   node("domain:crDate", text=created), xmlns_domain=DOMAIN_NS))  # fmt: skip
    return response("create", command.cltrid, resdata=resdata, registration=check)


def _roid(name: str, registered_at: str) -> str:
    """A repository object id, stable per registration (RFC 5730 §2.8: ``(\\w|_){1,80}-\\w{1,8}``)."""
    return "D" + hashlib.sha256(f"{name} {registered_at}".encode()).hexdigest()[:16].upper() + "-IDNKIT"


def _info(command: EppCommand, registry: Registry) -> EppResponse:
    (text,) = command.names
    n = _judge(command, text, registry)
    if n.findings or n.ascii is None or n.label is None:
        return response("info", command.cltrid, n.findings)
    record = registry.get(n.ascii)
    if record is None:
        n.refuse("epp.name.not_registered", f"{n.text!r} is not registered")
        return response("info", command.cltrid, n.findings)
    infdata = node(
        "domain:infData",
        node("domain:name", text=n.ascii),
        node("domain:roid", text=_roid(record.name, record.registered_at)),
        node("domain:status", s="ok"),
        node("domain:clID", text=record.registrant),
        node("domain:crDate", text=record.registered_at),
        xmlns_domain=DOMAIN_NS,
    )
    return response("info", command.cltrid, resdata=node("resData", infdata), extension=_idn_data(n, registry))


def _idn_data(n: _Name, registry: Registry) -> Node | None:
    """``<idn:data>`` for an IDN: the table its label is valid under (when that is one table) and its uname.

    The registry does not record the table a create named, so the table given is the one the
    current policy finds the label valid under; a label valid under several tables gets none.
    """
    if n.label is None or n.label.isascii() or n.unicode is None:
        return None
    valid = registry.policy.check(n.label).tables
    if len(valid) != 1:
        return None
    spec = next(t for t in registry.policy.data.tables.tables if t.ref == valid[0])
    data = node("idn:data", node("idn:table", text=spec.tag), node("idn:uname", text=n.unicode), xmlns_idn=IETF_IDN_NS)
    return node("extension", data)
