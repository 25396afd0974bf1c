"""Reading EPP XML hardened, and writing response documents.

The reader refuses, before any element is built, what an EPP command never needs and an attacker
uses: a body over the size limit, bytes that are not UTF-8 (RFC 5730 §5; idnkit accepts UTF-8
only), a DTD (so no entity can be declared: billion laughs, external entities and external DTDs
all need one), and nesting deeper than the depth limit.  Parsing is ``defusedxml``'s, which
refuses DTDs, entity declarations and external references inside expat itself; the depth is
counted on expat's start events, so a 10,000-deep document stops at the limit instead of being
built.  Every refusal is an :class:`XmlRefusedError` naming its rule; nothing else escapes.

The writer is a small element builder: every response idnkit writes has the same few shapes, and
building them by hand keeps namespace prefixes as RFC 5730's examples spell them (``domain:``,
``idn:``) without touching ``xml.etree``'s process-wide prefix registry.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml.ElementTree import iterparse as safe_iterparse

# An XML declaration's encoding pseudo-attribute (XML 1.0 §4.3.3).
_DECLARED_ENCODING = re.compile(rb"""\A(?:\xef\xbb\xbf)?<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# Characters XML 1.0 §2.2 does not allow in a document; a response never carries them.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class _Trickle(io.BytesIO):
    """Hands the parser 1 KiB per read (iterparse asks for 16 KiB): the depth limit then stops a
    deep document after about 1 KiB of parsing, instead of after a whole chunk of Python-level
    element building (20 ms for a 10,000-deep document, 1 ms this way)."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(1024 if size is None or size < 0 else min(size, 1024))


class XmlRefusedError(Exception):
    """Why a body was refused before or while parsing: a rule id (``epp.xml.*``) and a message."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def read(data: bytes, *, max_bytes: int, max_depth: int) -> Element:
    """The document element of ``data``, or an :class:`XmlRefusedError`."""
    if len(data) > max_bytes:
        raise XmlRefusedError("epp.xml.too_large", f"the command is {len(data)} bytes; the limit is {max_bytes}")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise XmlRefusedError(
            "epp.xml.encoding",
            f"the command is not UTF-8: byte 0x{data[e.start]:02X} at offset {e.start} cannot start a character",
        ) from None
    declared = _DECLARED_ENCODING.match(data)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        raise XmlRefusedError(
            "epp.xml.encoding", f"the command declares encoding {declared.group(1).decode()!r}; EPP here is UTF-8"
        )
    depth = 0
    try:
        parser = safe_iterparse(
            _Trickle(data), events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        for event, _ in parser:
            depth += 1 if event == "start" else -1
            if depth > max_depth:
                raise XmlRefusedError("epp.xml.too_deep", f"elements are nested more than {max_depth} deep")
        root: Element = parser.root
    except defusedxml.DefusedXmlException as e:
        raise XmlRefusedError("epp.xml.forbidden", f"refused unread: {_defused_reason(e)}") from None
    except ParseError as e:
        line, column = getattr(e, "position", (0, 0))
        raise XmlRefusedError(
            "epp.xml.malformed", f"not well-formed XML at line {line}, column {column + 1}: {_expat_reason(e)}"
        ) from None
    return root


def _defused_reason(e: Exception) -> str:
    kind = type(e).__name__
    return {
        "DTDForbidden": "a document type declaration (DTD)",
        "EntitiesForbidden": "an entity declaration",
        "ExternalReferenceForbidden": "a reference to an external resource",
    }.get(kind, kind)


def _expat_reason(e: ParseError) -> str:
    """expat's message without its own position suffix (the position is given separately)."""
    return re.sub(r": line \d+, column \d+$", "", str(e))


# --- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """One element to write: a qualified name, attributes in order, text or children."""

    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    children: tuple[Node, ...] = ()
    text: str | None = None


def node(tag: str, *children: Node | None, text: str | None = None, **attrs: str) -> Node:
    """A :class:`Node`; keyword ``xmlns_domain="…"`` writes ``xmlns:domain="…"`` (``_`` → ``:``)."""
    pairs = tuple((k.replace("_", ":", 1) if k.startswith("xmlns_") else k, v) for k, v in attrs.items())
    return Node(tag, pairs, tuple(c for c in children if c is not None), text)


def _clean(text: str) -> str:
    return _NOT_XML_CHAR.sub("\ufffd", text)


def _escape(text: str) -> str:
    return _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _render(n: Node, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    attrs = "".join(f' {k}="{_attr(v)}"' for k, v in n.attrs)
    if n.children:
        out.append(f"{pad}<{n.tag}{attrs}>\n")
        for child in n.children:
            _render(child, indent + 1, out)
        out.append(f"{pad}</{n.tag}>\n")
    elif n.text is not None:
        out.append(f"{pad}<{n.tag}{attrs}>{_escape(n.text)}</{n.tag}>\n")
    else:
        out.append(f"{pad}<{n.tag}{attrs}/>\n")


def write(root: Node) -> bytes:
    """The UTF-8 document of ``root`` with the XML declaration RFC 5730's examples carry."""
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n']
    _render(root, 0, out)
    return "".join(out).encode("utf-8")
