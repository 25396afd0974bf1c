"""EPP response documents (RFC 5730 §2.6): results, resData, extension, trID."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from ..policy import RegistrationCheck
from ._codes import MESSAGES, PRECEDENCE, primary
from ._model import EPP_NS, EppFinding, EppName, EppResponse
from ._xml import Node, node, write


def new_svtrid() -> str:
    """A server transaction id (RFC 5730 §2.6 ``<svTRID>``: a token of 3 to 64 characters), unique per response."""
    return f"IDNKIT-{uuid.uuid4().hex[:24]}"


def _value(f: EppFinding) -> Node:
    """``<value>``: the client's element that caused the error (RFC 5730 §2.6), or ``<undef/>`` when none does."""
    if f.element and f.namespace:
        prefix, colon, _ = f.element.partition(":")
        declare = {f"xmlns_{prefix}" if colon else "xmlns": f.namespace}
        return node("value", node(f.element, text=f.value or "", **declare))
    return node("value", node("undef"))


def _results(findings: Sequence[EppFinding]) -> list[Node]:
    """One ``<result>`` per code, the response's own code first; an ``<extValue>`` per finding."""
    if not findings:
        return [node("result", node("msg", text=MESSAGES[1000]), code="1000")]
    codes = sorted(
        {f.code for f in findings}, key=lambda c: PRECEDENCE.index(c) if c in PRECEDENCE else len(PRECEDENCE)
    )
    out = []
    for code in codes:
        ext = [node("extValue", _value(f), node("reason", text=f.reason)) for f in findings if f.code == code]
        out.append(node("result", node("msg", text=MESSAGES[code]), *ext, code=str(code)))
    return out


def document(
    findings: Sequence[EppFinding], cltrid: str | None, svtrid: str,
    resdata: Node | None = None, extension: Node | None = None,
) -> bytes:  # fmt: skip
    trid = node("trID", node("clTRID", text=cltrid) if cltrid else None, node("svTRID", text=svtrid))
    response = node("response", *_results(findings), resdata, extension, trid)
    return write(node("epp", response, xmlns=EPP_NS))


def response(
    command: str | None,
    cltrid: str | None,
    findings: Sequence[EppFinding] = (),
    *,
    resdata: Node | None = None,
    extension: Node | None = None,
    names: tuple[EppName, ...] = (),
    registration: RegistrationCheck | None = None,
) -> EppResponse:
    """An :class:`EppResponse` and its document; a failure carries no resData (RFC 5730 §2.6)."""
    code = primary([f.code for f in findings])
    svtrid = new_svtrid()
    if code >= 2000:
        resdata = extension = None
    xml = document(findings, cltrid, svtrid, resdata, extension)
    return EppResponse(code, MESSAGES[code], xml, command, cltrid, svtrid, tuple(findings), names, registration)
