"""``POST /v1/epp``: the SRS forwards a command; the answer is the EPP document, sponsored by the token's registrar."""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree

from .conftest import Live

EPP = "urn:ietf:params:xml:ns:epp-1.0"


def create(name: str, uname: str, cltrid: str = "T-1") -> bytes:
    return f"""<epp xmlns="{EPP}"><command><create>
  <domain:create xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"><domain:name>{name}</domain:name>
  <domain:authInfo><domain:pw>x</domain:pw></domain:authInfo></domain:create></create>
  <extension><idn:data xmlns:idn="urn:ietf:params:xml:ns:idn-1.0"><idn:table>und-Latn</idn:table>
  <idn:uname>{uname}</idn:uname></idn:data></extension><clTRID>{cltrid}</clTRID></command></epp>""".encode()


def code_of(xml: bytes) -> int:
    result = ElementTree.fromstring(xml).find(f"{{{EPP}}}response/{{{EPP}}}result")
    assert result is not None
    return int(result.attrib["code"])


def test_create_then_a_second_registrar_is_refused(serve: Callable[..., Live]) -> None:
    live = serve(db="memory:", policy="se")
    body = create("xn--rksmrgs-5wao1o.se", "räksmörgås.se")
    with live.client("registrar") as a, live.client("other") as b, live.client("reader") as r:
        first = a.post("/v1/epp", content=body, headers={"content-type": "application/epp+xml"})
        assert first.status_code == 200 and first.headers["content-type"].startswith("application/epp+xml")
        assert first.headers["x-epp-result"] == "1000" and code_of(first.content) == 1000
        assert a.get("/v1/registry/names/räksmörgås.se").json()["record"]["registrant"] == "reg-a"
        again = b.post("/v1/epp", content=body)
        assert code_of(again.content) == 2302 and b"policy.registry.registered" in again.content
        assert r.post("/v1/epp", content=body).status_code == 403  # a read token sends no commands


def test_hostile_epp_is_a_syntax_error_answer_not_a_failure(serve: Callable[..., Live]) -> None:
    live = serve(db="memory:", policy="se")
    laughs = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><epp>&b;</epp>'
    deep = b"<epp>" + b"<a>" * 8_000 + b"</a>" * 8_000 + b"</epp>"  # under the 64 KiB limit, past the depth one
    with live.client("registrar") as c:
        for body in (laughs, deep, b"\xff\xfe", b"<epp xmlns='urn:wrong'/>"):
            r = c.post("/v1/epp", content=body)
            assert r.status_code == 200, r.text
            assert code_of(r.content) == 2001
        huge = c.post("/v1/epp", content=b"<epp>" + b" " * 70_000 + b"</epp>")
        assert huge.status_code == 413
