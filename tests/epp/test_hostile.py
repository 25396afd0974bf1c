"""Hostile and broken XML is answered 2001 (or 2101), never a crash, never an entity expanded."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit.epp import EppError, Limits, handle, parse
from idnkit.policy import MemoryStore, Registry, load

from ._epp import DOMAIN, EPP, check, command, read

SE = load("se")

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE epp [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><command><check><domain:check
 xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"><domain:name>&lol3;.se</domain:name></domain:check></check>
 </command></epp>"""
BODY = check("a.se").split(b"?>", 1)[1]  # the command without its XML declaration
XXE = b'<?xml version="1.0"?><!DOCTYPE epp [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + BODY.replace(
    b"a.se", b"&xxe;"
)
EXTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE epp SYSTEM "http://127.0.0.1:9/epp.dtd">' + BODY
PARAMETER_ENTITY = b'<?xml version="1.0"?><!DOCTYPE epp [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x"> %p;]><epp/>'


@pytest.fixture
def registry() -> Registry:
    return Registry(SE, MemoryStore())


def refused(data: bytes, registry: Registry, code: int = 2001) -> list[str]:
    answer = handle(data, registry=registry, registrar="r1")
    back = read(answer)
    assert answer.code == code, answer.xml.decode()
    with pytest.raises(EppError) as info:
        parse(data)
    assert info.value.code == code
    return back.rules


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (LAUGHS, "epp.xml.forbidden"),  # billion laughs: refused at the DTD, nothing expanded
        (XXE, "epp.xml.forbidden"),  # external entity: never opened
        (EXTERNAL_DTD, "epp.xml.forbidden"),  # external DTD: never fetched
        (PARAMETER_ENTITY, "epp.xml.forbidden"),
        (b"<a>" * 10_000, "epp.xml.too_deep"),  # 10,000-deep nesting stops at the depth limit
        (b"<epp>" + b"x" * (1 << 20) + b"</epp>", "epp.xml.too_large"),  # 1 MB body
        (check("a.se").replace(b"a.se", b"\xff\xfe.se"), "epp.xml.encoding"),  # invalid UTF-8
        (check("a.se").replace(b"a.se", b"\xc3(.se"), "epp.xml.encoding"),  # a lone lead byte
        (check("a.se").replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"'), "epp.xml.encoding"),
        ("\ufeff<epp/>".encode("utf-16"), "epp.xml.encoding"),  # UTF-16 with its BOM
        (b"", "epp.xml.malformed"),
        (check("a.se")[:-10], "epp.xml.malformed"),  # truncated
        (check("a.se").replace(b"a.se", b"&nbsp;.se"), "epp.xml.malformed"),  # an undeclared entity
        (check("a.se").replace(b"a.se", b"a&#0;.se"), "epp.xml.malformed"),  # a character XML forbids
    ],
    ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity", "deep", "1MB", "utf8",
         "lone-lead-byte", "latin1-declared", "utf16", "empty", "truncated", "undeclared-entity", "nul"],
)  # fmt: skip
def test_hostile_documents_are_refused_unread(data: bytes, rule: str, registry: Registry) -> None:
    assert refused(data, registry) == [rule]


def test_a_deep_but_small_document_stops_at_the_depth_limit_even_when_well_formed(registry: Registry) -> None:
    deep = b"<a>" * 10_000 + b"</a>" * 10_000  # 70,000 bytes: over the default size limit, so raise it
    answer = handle(deep, registry=registry, limits=Limits(max_bytes=1 << 20))
    assert answer.code == 2001 and [f.rule for f in answer.findings] == ["epp.xml.too_deep"]
    assert "32" in answer.findings[0].message


def test_the_size_limit_counts_bytes_and_is_configurable(registry: Registry) -> None:
    data = check("a.se")
    assert handle(data, registry=registry, limits=Limits(max_bytes=len(data))).code == 1000
    assert refused_with(data, registry, Limits(max_bytes=len(data) - 1)) == ["epp.xml.too_large"]


def refused_with(data: bytes, registry: Registry, limits: Limits) -> list[str]:
    answer = handle(data, registry=registry, limits=limits)
    read(answer)
    return [f.rule for f in answer.findings]


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (check("a.se").replace(f' xmlns="{EPP}"'.encode(), b""), "epp.command.namespace"),  # no namespace
        (check("a.se").replace(EPP.encode(), b"urn:ietf:params:xml:ns:epp-0.4"), "epp.command.namespace"),
        (check("a.se").replace(DOMAIN.encode(), b"urn:example:domain"), "epp.command.namespace"),
        (check("a.se").replace(f' xmlns:domain="{DOMAIN}"'.encode(), f' xmlns:domain="{EPP}"'.encode()),
         "epp.command.namespace"),  # the domain element in the EPP namespace
        (f'<epp xmlns="{EPP}"/>'.encode(), "epp.command.structure"),
        (f'<epp xmlns="{EPP}"><greeting/></epp>'.encode(), "epp.command.structure"),
        (command("check", ""), "epp.command.structure"),
        (command("check", "<domain:name>a.se</domain:name><domain:authInfo/>"), "epp.command.structure"),
        (command("create", "<domain:name>a.se</domain:name>"), "epp.command.structure"),  # no authInfo
        (command("info", '<domain:name hosts="some">a.se</domain:name>'), "epp.command.structure"),
        (command("check", "<domain:name>a.se</domain:name>", cltrid="AB"), "epp.command.trid"),
        (command("check", "<domain:name>a.se</domain:name>", cltrid="A" * 65), "epp.command.trid"),
    ],
    ids=["no-namespace", "old-epp-namespace", "wrong-domain-namespace", "domain-in-epp-namespace", "empty-epp",
         "greeting", "no-names", "stray-element", "create-without-authinfo", "bad-hosts", "short-cltrid",
         "long-cltrid"],
)  # fmt: skip
def test_wrong_or_missing_namespaces_and_structure_are_2001(data: bytes, rule: str, registry: Registry) -> None:
    assert rule in refused(data, registry)


def test_commands_idnkit_does_not_validate_are_2101(registry: Registry) -> None:
    hello = f'<epp xmlns="{EPP}"><hello/></epp>'.encode()
    assert refused(hello, registry, 2101) == ["epp.command.unimplemented"]
    update = command("update", "<domain:name>a.se</domain:name>")
    assert refused(update, registry, 2101) == ["epp.command.unimplemented"]
    contact = f'<epp xmlns="{EPP}"><command><check><contact:check xmlns:contact="urn:ietf:params:xml:ns:contact-1.0">'
    contact += "<contact:id>sh8013</contact:id></contact:check></check><clTRID>ABC-1</clTRID></command></epp>"
    answer = handle(contact.encode(), registry=registry)
    assert answer.code == 2101 and answer.cltrid == "ABC-1" and read(answer).cltrid == "ABC-1"


def test_a_refusal_after_the_cltrid_was_read_still_echoes_it(registry: Registry) -> None:
    answer = handle(command("create", "<domain:name>a.se</domain:name>", cltrid="CL-77"), registry=registry)
    assert answer.code == 2001 and read(answer).cltrid == "CL-77"


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=200).map(lambda s: check(s, "x.se")))
def test_any_bytes_get_a_well_formed_answer(data: bytes) -> None:
    answer = handle(data, registry=Registry(SE, MemoryStore()), registrar="r1")
    read(answer)  # parses back, with the structure RFC 5730 §2.6 gives it
