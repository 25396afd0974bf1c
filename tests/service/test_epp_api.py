"""``POST /v1/epp``: the SRS forwards a command; the answer is the EPP document, sponsored by the token's registrar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from ..conftest import ROOT
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


# --- issue 20 point 6: every tag convention through the endpoint, and its 2306 / 2003 refusals ---

RAKSMORGAS = "xn--rksmrgs-5wao1o.se"
SHALOM = "xn--9dbne9b.se"  # שלום.se: valid under se/yiddish (yi-Hebr) only
VERISIGN = "http://www.verisign.com/epp/idnLang-1.0"
AFILIAS = "urn:afilias:params:xml:ns:idn-1.0"
ARI = "urn:X-ar:params:xml:ns:idnadomain-1.0"
CONVENTIONS = {
    "ietf": '<idn:data xmlns:idn="urn:ietf:params:xml:ns:idn-1.0"><idn:table>{tag}</idn:table></idn:data>',
    "verisign": f'<idnLang:tag xmlns:idnLang="{VERISIGN}">{{tag}}</idnLang:tag>',
    "afilias": f'<idn:create xmlns:idn="{AFILIAS}"><idn:script>{{tag}}</idn:script></idn:create>',
    "ari": f'<create xmlns="{ARI}"><userForm language="{{tag}}">{{uname}}</userForm></create>',
}
# (tag naming se/latin, tag naming se/yiddish, tag naming no .se table) per convention
TAGS = {
    "ietf": ("und-Latn", "yi-Hebr", "sv"),
    "verisign": ("und-Latn", "YID", "SWE"),
    "afilias": ("Latn", "Hebr", "Cyrl"),
    "ari": ("Latn", "yi", "el"),
}


def tagged(name: str, convention: str, tag: str, uname: str, cltrid: str) -> bytes:
    extension = CONVENTIONS[convention].format(tag=tag, uname=uname)
    return f"""<epp xmlns="{EPP}"><command><create>
  <domain:create xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"><domain:name>{name}</domain:name>
  <domain:authInfo><domain:pw>x</domain:pw></domain:authInfo></domain:create></create>
  <extension>{extension}</extension><clTRID>{cltrid}</clTRID></command></epp>""".encode()


def reasons_of(xml: bytes) -> list[str]:
    return [r.text or "" for r in ElementTree.fromstring(xml).iter(f"{{{EPP}}}reason")]


def test_every_tag_convention_through_the_endpoint(serve: Callable[..., Live], tmp_path: Path) -> None:
    """Under a copy of .se that picks its table by language tag: each convention's tag is mapped to
    the policy's table (1000), a tag naming no table is 2306, a create without any tag is 2003."""
    policy = tmp_path / "se-by-language.toml"
    shipped = (ROOT / "policies" / "se.toml").read_text(encoding="utf-8")
    assert 'select = "one"' in shipped
    policy.write_text(shipped.replace('select = "one"', 'select = "language"'), encoding="utf-8")
    live = serve(db="memory:", policy=str(policy))
    answers: dict[tuple[str, str], tuple[int, list[str]]] = {}
    with live.client("registrar") as c:
        for n, (convention, (latin, yiddish, unknown)) in enumerate(TAGS.items()):
            for which, (name, tag, uname) in {
                "latin": (RAKSMORGAS, latin, "räksmörgås.se"),
                "yiddish": (SHALOM, yiddish, "שלום.se"),
                "unknown": (RAKSMORGAS, unknown, "räksmörgås.se"),
            }.items():
                r = c.post("/v1/epp", content=tagged(name, convention, tag, uname, f"T-{n}-{which}"))
                assert r.status_code == 200 and r.headers["x-epp-result"] == str(code_of(r.content))
                answers[convention, which] = (code_of(r.content), reasons_of(r.content))
                if code_of(r.content) == 1000:  # free the name for the next convention
                    assert c.delete(f"/v1/registry/names/{name}").status_code == 200
        bare = c.post("/v1/epp", content=tagged(RAKSMORGAS, "ietf", "x", "x", "T-bare").replace(
            CONVENTIONS["ietf"].format(tag="x").encode(), b""))  # fmt: skip
    for convention in TAGS:
        assert answers[convention, "latin"] == (1000, []), convention
        assert answers[convention, "yiddish"] == (1000, []), convention
        code, reasons = answers[convention, "unknown"]
        assert code == 2306 and reasons[0].startswith("epp.idn.table_unknown: "), (convention, reasons)
        assert "se/latin (und-Latn), se/yiddish (yi-Hebr)" in reasons[0]
    assert code_of(bare.content) == 2003 and reasons_of(bare.content)[0].startswith("epp.idn.table_required: ")
