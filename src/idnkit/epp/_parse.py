"""Reading one EPP command: ``<domain:check>``, ``<domain:create>``, ``<domain:info>`` and their IDN tags.

Structure follows RFC 5730 §2.5 (``<epp><command>`` verb, optional ``<extension>``, optional
``<clTRID>``) and RFC 5731 §3 (the domain elements).  Elements are checked for presence and
multiplicity, not order.  Extensions idnkit does not know (secDNS, fee, launch, ...) are the SRS's
business and are left alone; the IDN tag conventions of docs/epp.md are read from
``<extension>``.  Every problem found is collected; any of them makes the command unreadable and
:func:`parse` raises an :class:`~idnkit.epp.EppError` carrying the response to send.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ..findings import Finding
from ._codes import code_for
from ._model import DOMAIN_NS, EPP_NS, LIMITS, EppCommand, EppError, EppFinding, IdnTag, Limits, UnicodeForm
from ._respond import response
from ._xml import XmlRefusedError, read

# The IDN extension namespaces idnkit reads (docs/epp.md, "Tag conventions").
IETF_IDN_NS = "urn:ietf:params:xml:ns:idn-1.0"  # draft-ietf-eppext-idnmap-02, as registries deploy it
IETF_IDN_EPP_NS = "urn:ietf:params:xml:ns:epp:idn-1.0"  # the same mapping under the epp: URN form
VERISIGN_IDNLANG_NS = "http://www.verisign.com/epp/idnLang-1.0"
AFILIAS_IDN_NS = "urn:afilias:params:xml:ns:idn-1.0"
AFILIAS_LEGACY_IDN_NS = "urn:iana:xml:ns:idn"  # the .info platform's earlier URN for the same element
ARI_IDN_NS = "urn:X-ar:params:xml:ns:idnadomain-1.0"

_VERBS = ("check", "create", "info")
_OTHER_VERBS = frozenset({"login", "logout", "poll", "renew", "transfer", "update", "delete"})
_OTHER_OBJECTS = {"urn:ietf:params:xml:ns:contact-1.0": "contact", "urn:ietf:params:xml:ns:host-1.0": "host"}
# RFC 5731 §3.2.1 <domain:create>: each child and how often it may appear (None: any number).
_CREATE_CHILDREN: dict[str, tuple[int, int | None]] = {
    "name": (1, 1), "period": (0, 1), "ns": (0, 1), "registrant": (0, 1), "contact": (0, None), "authInfo": (1, 1),
}  # fmt: skip
_INFO_CHILDREN: dict[str, tuple[int, int | None]] = {"name": (1, 1), "authInfo": (0, 1)}
_HOSTS = frozenset({"all", "del", "none", "sub"})  # RFC 5731 §3.1.2 hosts attribute


def _split(tag: str) -> tuple[str, str]:
    """``{ns}local`` → (ns, local); a tag without a namespace has ``""``."""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _text(el: Element) -> str:
    """An element's text as an XML Schema token (whitespace collapsed, trimmed)."""
    return " ".join((el.text or "").split())


class _Reader:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.findings: list[EppFinding] = []

    def problem(self, rule: str, message: str, element: str | None = None, namespace: str | None = None,
                value: str | None = None) -> None:  # fmt: skip
        finding = Finding(rule, message, engine="epp")
        self.findings.append(EppFinding(code_for(rule), finding, element, namespace, value))

    def structure(self, message: str) -> None:
        self.problem("epp.command.structure", message)

    def children(
        self, el: Element, where: str, allowed: dict[str, tuple[int, int | None]], ns: str
    ) -> dict[str, list[Element]]:
        """``el``'s children by local name, each checked against ``allowed`` (RFC 5731's multiplicities)."""
        found: dict[str, list[Element]] = {}
        for child in el:
            cns, local = _split(child.tag)
            if cns != ns or local not in allowed:
                self.structure(f"<{local}> ({cns or 'no namespace'}) is not allowed in <{where}>")
                continue
            found.setdefault(local, []).append(child)
        for local, (low, high) in allowed.items():
            n = len(found.get(local, []))
            if n < low:
                self.structure(f"<{where}> needs <{local}>")
            elif high is not None and n > high:
                self.structure(f"<{where}> has {n} <{local}> elements; at most {high} is allowed")
        return found


def parse(xml: bytes, *, limits: Limits = LIMITS) -> EppCommand:
    """The command in ``xml``, or an :class:`~idnkit.epp.EppError` whose ``response`` says why not.

    >>> cmd = parse(b'''<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><command><check>
    ...   <domain:check xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"><domain:name>xn--bcher-kva.se</domain:name>
    ...   </domain:check></check><clTRID>ABC-1</clTRID></command></epp>''')
    >>> cmd.kind, cmd.names, cmd.cltrid
    ('check', ('xn--bcher-kva.se',), 'ABC-1')
    """
    reader = _Reader(limits)
    try:
        root = read(xml, max_bytes=limits.max_bytes, max_depth=limits.max_depth)
    except XmlRefusedError as e:
        reader.problem(e.rule, e.message)
        raise EppError(response(None, None, reader.findings)) from None
    kind, cltrid, command = _read(reader, root)
    if reader.findings or command is None:
        raise EppError(response(kind, cltrid, reader.findings))
    return command


def _read(r: _Reader, root: Element) -> tuple[str | None, str | None, EppCommand | None]:
    ns, local = _split(root.tag)
    if (ns, local) != (EPP_NS, "epp"):
        where = f"in namespace {ns}" if ns else "without a namespace"
        r.problem("epp.command.namespace", f"the document element is <{local}> {where}; EPP's is <epp> in {EPP_NS}")
        return None, None, None
    top = list(root)
    if len(top) != 1:
        r.structure(f"<epp> must hold exactly one element (a <command>); it holds {len(top)}")
        return None, None, None
    ns, local = _split(top[0].tag)
    if ns != EPP_NS:
        r.problem("epp.command.namespace", f"<{local}> inside <epp> is not in {EPP_NS}")
        return None, None, None
    if local != "command":
        if local == "hello":
            r.problem(
                "epp.command.unimplemented", "<hello> is answered by the EPP server itself; idnkit validates commands"
            )
        else:
            r.structure(f"<{local}> is not a client element of EPP (RFC 5730 §2: <hello> or <command>)")
        return None, None, None
    command = top[0]
    verbs: list[Element] = []
    extension: Element | None = None
    cltrid: str | None = None
    for child in command:
        cns, clocal = _split(child.tag)
        if cns != EPP_NS:
            r.problem("epp.command.namespace", f"<{clocal}> inside <command> is not in {EPP_NS}")
        elif clocal == "extension" and extension is None:
            extension = child
        elif clocal == "clTRID" and cltrid is None:
            cltrid = _text(child)
            if not 3 <= len(cltrid) <= 64:
                r.problem("epp.command.trid", f"<clTRID> must be 3 to 64 characters; it has {len(cltrid)}",
                          "clTRID", EPP_NS, cltrid)  # fmt: skip
                cltrid = None
        elif clocal in _VERBS or clocal in _OTHER_VERBS:
            verbs.append(child)
        else:
            r.structure(f"<{clocal}> is not allowed in <command> (or appears twice)")
    if len(verbs) != 1:
        r.structure(f"<command> must hold exactly one command element; it holds {len(verbs)}")
        return None, cltrid, None
    verb = verbs[0]
    kind = _split(verb.tag)[1]
    if kind in _OTHER_VERBS:
        r.problem("epp.command.unimplemented", f"<{kind}> is the SRS's; idnkit validates domain check, create and info")
        return kind, cltrid, None
    objects = list(verb)
    if len(objects) != 1:
        r.structure(f"<{kind}> must hold exactly one object element; it holds {len(objects)}")
        return kind, cltrid, None
    ons, olocal = _split(objects[0].tag)
    if ons in _OTHER_OBJECTS:
        r.problem(
            "epp.command.unimplemented", f"<{_OTHER_OBJECTS[ons]}:{olocal}>: idnkit validates domain objects only"
        )
        return kind, cltrid, None
    if ons != DOMAIN_NS or olocal != kind:
        where = f"in {ons}" if ons else "without a namespace"
        r.problem(
            "epp.command.namespace", f"<{olocal}> {where} inside <{kind}>; expected <domain:{kind}> in {DOMAIN_NS}"
        )
        return kind, cltrid, None
    names, period = _object(r, kind, objects[0])
    tags, forms = _extension(r, kind, extension) if extension is not None and kind != "info" else ((), ())
    if kind == "check" and forms:
        r.structure("a Unicode form of the name (<idn:uname>, <userForm>) belongs to a create, not a check")
    return kind, cltrid, EppCommand(kind, names, cltrid, tags, forms, period)


def _object(r: _Reader, kind: str, obj: Element) -> tuple[tuple[str, ...], tuple[int, str] | None]:
    if kind == "check":
        checked: list[str] = []
        for child in obj:
            cns, local = _split(child.tag)
            if (cns, local) != (DOMAIN_NS, "name"):
                r.structure(f"<{local}> is not allowed in <domain:check>; only <domain:name>")
            else:
                checked.append(_text(child))
        if not checked:
            r.structure("<domain:check> needs at least one <domain:name>")
        elif len(checked) > r.limits.max_check_names:
            limit = r.limits.max_check_names
            r.problem(
                "epp.command.too_many_names", f"<domain:check> asks about {len(checked)} names; the limit is {limit}"
            )
        if any(not n for n in checked):
            r.structure("<domain:name> is empty")
        return tuple(checked), None
    found = r.children(obj, f"domain:{kind}", _CREATE_CHILDREN if kind == "create" else _INFO_CHILDREN, DOMAIN_NS)
    names = tuple(_text(el) for el in found.get("name", [])[:1])
    if names and not names[0]:
        r.structure("<domain:name> is empty")
    if kind == "info" and found.get("name"):
        hosts = found["name"][0].get("hosts", "all")
        if hosts not in _HOSTS:
            r.structure(f"<domain:name hosts={hosts!r}>: hosts is one of all, del, none, sub")
    period = None
    for el in found.get("period", []):
        period = _period(r, el)
    return names, period


def _period(r: _Reader, el: Element) -> tuple[int, str] | None:
    """RFC 5731 §3.2.1 ``<domain:period unit="y|m">``: 1 to 99."""
    text, unit = _text(el), el.get("unit", "")
    if unit not in ("y", "m") or not text.isascii() or not text.isdigit():
        r.problem("epp.period.syntax", f"<domain:period unit={unit!r}>{text}</domain:period> is not a whole number "
                  "of years (y) or months (m)", "domain:period", DOMAIN_NS, text)  # fmt: skip
        return None
    if not 1 <= int(text) <= 99:
        r.problem(
            "epp.period.range", f"a period of {int(text)}{unit} is outside 1 to 99", "domain:period", DOMAIN_NS, text
        )
        return None
    return int(text), unit


def _extension(r: _Reader, kind: str, ext: Element) -> tuple[tuple[IdnTag, ...], tuple[UnicodeForm, ...]]:
    """The IDN tags and Unicode forms of every convention present; other extensions are left alone."""
    tags: list[IdnTag] = []
    forms: list[UnicodeForm] = []
    for el in ext:
        ns, local = _split(el.tag)
        if ns in (IETF_IDN_NS, IETF_IDN_EPP_NS):
            # <idn:data>: <idn:table> (one) and <idn:uname> (at most one).
            if local != "data":
                r.structure(f"<idn:{local}> is not an element of the IDN mapping; a command carries <idn:data>")
                continue
            found = r.children(el, "idn:data", {"table": (1, 1), "uname": (0, 1)}, ns)
            for t in found.get("table", []):
                tags.append(IdnTag("ietf", _text(t), "idn:table", ns))
            for u in found.get("uname", []):
                forms.append(UnicodeForm(_text(u), "idn:uname", ns))
        elif ns == VERISIGN_IDNLANG_NS:
            if local != "tag":
                r.structure(f"<idnLang:{local}> is not Verisign's idnLang element; it is <idnLang:tag>")
                continue
            tags.append(IdnTag("verisign", _text(el), "idnLang:tag", ns))
        elif ns in (AFILIAS_IDN_NS, AFILIAS_LEGACY_IDN_NS):
            if local not in ("check", "create"):
                r.structure(f"<idn:{local}> of {ns} is not read here; a command carries <idn:check> or <idn:create>")
                continue
            found = r.children(el, f"idn:{local}", {"script": (1, 1)}, ns)
            for s in found.get("script", []):
                tags.append(IdnTag("afilias", _text(s), "idn:script", ns))
        elif ns == ARI_IDN_NS:
            if local != "create" or kind != "create":
                r.structure(f"<{local}> of ARI's IDN extension belongs to a create, as <create><userForm>")
                continue
            found = r.children(el, "create", {"userForm": (1, 1)}, ns)
            for u in found.get("userForm", []):
                language = u.get("language", "")
                if not language.strip():
                    r.structure("ARI's <userForm> needs a language attribute")
                else:
                    tags.append(IdnTag("ari", language.strip(), "userForm", ns))
                forms.append(UnicodeForm(_text(u), "userForm", ns, mapped=True))
    for tag in tags:
        if not tag.value:
            r.structure(f"<{tag.element}> is empty")
    return tuple(tags), tuple(forms)
