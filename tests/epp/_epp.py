"""Commands to send and a structural reading of the answers: what every EPP test of idnkit shares."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape

from idnkit.epp import EppResponse

EPP = "urn:ietf:params:xml:ns:epp-1.0"
DOMAIN = "urn:ietf:params:xml:ns:domain-1.0"
IDN = "urn:ietf:params:xml:ns:idn-1.0"
E = f"{{{EPP}}}"
D = f"{{{DOMAIN}}}"


def command(verb: str, body: str, extension: str = "", cltrid: str | None = "ABC-12345") -> bytes:
    """An EPP <command> document: ``<verb><domain:verb>body</domain:verb></verb>``, extension, clTRID."""
    ext = f"<extension>{extension}</extension>" if extension else ""
    tr = f"<clTRID>{escape(cltrid)}</clTRID>" if cltrid else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<epp xmlns="{EPP}"><command><{verb}><domain:{verb} xmlns:domain="{DOMAIN}">{body}</domain:{verb}>'
        f"</{verb}>{ext}{tr}</command></epp>"
    ).encode()


def check(*names: str, extension: str = "") -> bytes:
    return command("check", "".join(f"<domain:name>{escape(n)}</domain:name>" for n in names), extension)


def create(name: str, extension: str = "", *, period: str = "", cltrid: str | None = "ABC-12345") -> bytes:
    auth = "<domain:authInfo><domain:pw>2fooBAR</domain:pw></domain:authInfo>"
    body = f"<domain:name>{escape(name)}</domain:name>{period}{auth}"
    return command("create", body, extension, cltrid)


def info(name: str) -> bytes:
    return command("info", f'<domain:name hosts="all">{escape(name)}</domain:name>')


def idn_data(table: str, uname: str | None = None, ns: str = IDN) -> str:
    u = f"<idn:uname>{escape(uname)}</idn:uname>" if uname is not None else ""
    return f'<idn:data xmlns:idn="{ns}"><idn:table>{escape(table)}</idn:table>{u}</idn:data>'


@dataclass(frozen=True)
class Answer:
    """A response document read back: every result code, its reasons, and the elements tests look at."""

    root: ET.Element
    codes: list[int]
    reasons: dict[int, list[str]]  # code -> the <reason> texts of its <extValue>s
    cltrid: str | None
    svtrid: str

    @property
    def rules(self) -> list[str]:
        return [r.split(":", 1)[0] for code in self.codes for r in self.reasons[code]]

    def find(self, path: str) -> ET.Element | None:
        return self.root.find(path, {"e": EPP, "domain": DOMAIN, "idn": IDN})

    def check_data(self) -> list[tuple[str, bool, str | None]]:
        """(name, avail, reason) per <domain:cd>."""
        cds = self.root.findall(f"{E}response/{E}resData/{D}chkData/{D}cd")
        out = []
        for cd in cds:
            name = cd.find(f"{D}name")
            assert name is not None and name.get("avail") in ("0", "1")
            reason = cd.find(f"{D}reason")
            out.append((name.text or "", name.get("avail") == "1", reason.text if reason is not None else None))
        return out


_ORDER = ["result", "msgQ", "resData", "extension", "trID"]  # RFC 5730 §2.6, epp-1.0.xsd responseType


def read(answer: EppResponse | bytes) -> Answer:
    """Parse a response document back and check its structure (RFC 5730 §2.6).

    Given the :class:`EppResponse`, its fields must agree with the document; given the document's
    bytes alone (what ``idncheck epp`` prints), the document is checked on its own.
    """
    xml = answer if isinstance(answer, bytes) else answer.xml
    assert xml.decode("utf-8").startswith('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n')
    root = ET.fromstring(xml)
    assert root.tag == f"{E}epp" and len(root) == 1
    response = root[0]
    assert response.tag == f"{E}response"
    kinds = [child.tag.removeprefix(E) for child in response]
    assert all(child.tag.startswith(E) for child in response), kinds
    assert kinds == sorted(kinds, key=_ORDER.index), kinds
    assert kinds.count("trID") == 1 and kinds[0] == "result"
    codes: list[int] = []
    reasons: dict[int, list[str]] = {}
    for result in response.findall(f"{E}result"):
        code = result.get("code")
        assert code is not None and re.fullmatch(r"[12][0-9]{3}", code)
        msg = result.find(f"{E}msg")
        assert msg is not None and msg.text
        codes.append(int(code))
        reasons[int(code)] = []
        for ext in result.findall(f"{E}extValue"):
            value, reason = ext.find(f"{E}value"), ext.find(f"{E}reason")
            assert value is not None and len(value) == 1, "an <extValue><value> holds the client's element"
            assert reason is not None and reason.text and re.match(r"[a-z0-9]+\.[a-z0-9_.]+: ", reason.text)
            reasons[int(code)].append(reason.text)
    assert codes and len(set(codes)) == len(codes)
    assert (codes[0] < 2000) == all(c < 2000 for c in codes)
    if codes[0] >= 2000:
        assert response.find(f"{E}resData") is None, "a failed command carries no resData"
    trid = response.find(f"{E}trID")
    assert trid is not None
    cl, sv = trid.find(f"{E}clTRID"), trid.find(f"{E}svTRID")
    assert sv is not None and sv.text and 3 <= len(sv.text) <= 64
    cltrid = cl.text if cl is not None else None
    if isinstance(answer, EppResponse):
        assert codes[0] == answer.code and sv.text == answer.svtrid and cltrid == answer.cltrid
        rules = sorted(r.split(":", 1)[0] for c in codes for r in reasons[c])
        assert sorted(f.rule for f in answer.findings) == rules
    return Answer(root, codes, reasons, cltrid, sv.text)
