"""Hardened RFC 7940 XML reader: defusedxml (no DTD entities, no external references), line numbers kept."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import defusedxml
from defusedxml.ElementTree import XMLParser as DefusedParser

from .._files import FileRefusedError, read_regular
from ._errors import LgrParseError
from ._model import Action, Char, ClassNode, Document, Meta, Reference, RuleNode, Var

NS = "urn:ietf:params:xml:ns:lgr-1.0"
_LINE = "{idnkit}line"
SET_OPS = ("union", "intersection", "difference", "symmetric-difference", "complement")
MATCHERS = ("start", "end", "anchor", "any", "char", "class", "choice", "look-ahead", "look-behind", "rule", *SET_OPS)


class _LineBuilder(ET.TreeBuilder):
    """Records the start line of every element as a private attribute (ElementTree keeps no line numbers)."""

    parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        attrs = dict(attrs)
        attrs[_LINE] = str(self.parser.parser.CurrentLineNumber if self.parser is not None else 0)
        return super().start(tag, attrs)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _line(e: ET.Element) -> int:
    return int(e.get(_LINE, "0"))


#: The most repertoire elements (``char``, and the code points of each ``range``) a document may list.
#: The largest shipped table, MSR-4, lists 33,511; every Han ideograph of Unicode 17.0 is about 98,000.
MAX_REPERTOIRE = 150_000


def parse_cps(text: str, source: str, line: int, surrogates: bool = False) -> tuple[int, ...]:
    """RFC 7940 §5.1: a space-separated list of hex code points (4-6 digits).

    Surrogates (U+D800..U+DFFF) are not Unicode scalar values and never stand in a label: refused
    unless ``surrogates`` (the bounds of a class range may span them).
    """
    out = []
    for token in text.split():
        if not 4 <= len(token) <= 6 or not all(c in "0123456789abcdefABCDEF" for c in token):
            raise LgrParseError(f"bad code point {token!r} (RFC 7940 §5.1: 4 to 6 hex digits)", source, line)
        cp = int(token, 16)
        if cp > 0x10FFFF:
            raise LgrParseError(f"bad code point {token!r}: over U+10FFFF", source, line)
        if 0xD800 <= cp <= 0xDFFF and not surrogates:
            raise LgrParseError(f"code point U+{cp:04X} is a surrogate, not a character (RFC 7940 §5.1)", source, line)
        out.append(cp)
    return tuple(out)


def _words(value: str | None) -> tuple[str, ...]:
    return tuple(value.split()) if value else ()


def _set(value: str | None) -> frozenset[str] | None:
    return frozenset(value.split()) if value is not None else None


def _expat_line(parser: Any) -> int | None:
    """The line expat stopped at (the declaration defusedxml refused), so the error names file:line."""
    line = getattr(getattr(parser, "parser", None), "CurrentLineNumber", None)
    return line if isinstance(line, int) and line > 0 else None


def parse_bytes(data: bytes, source: str = "<bytes>") -> Document:
    """Parse RFC 7940 XML; refuses DTD entities and external references (billion laughs, XXE)."""
    builder = _LineBuilder()
    parser = DefusedParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except defusedxml.EntitiesForbidden as e:
        msg = f"entity declaration {e.name!r} refused (no entity expansion)"
        raise LgrParseError(msg, source, _expat_line(parser)) from None
    except defusedxml.ExternalReferenceForbidden as e:
        msg = f"external reference {e.sysid!r} refused (no external entities)"
        raise LgrParseError(msg, source, _expat_line(parser)) from None
    except defusedxml.DefusedXmlException as e:
        raise LgrParseError(f"refused: {e}", source, _expat_line(parser)) from None
    except ET.ParseError as e:
        line = e.position[0] if e.position else None
        raise LgrParseError(f"not well-formed XML: {e}", source, line) from None
    except (LookupError, ValueError) as e:
        # expat hands the XML declaration's encoding name to Python's codecs: an unknown name
        # (LookupError), a multi-byte or non-text codec (ValueError), or bytes it cannot decode
        # (UnicodeError) escaped as such.  Found by fuzz/harnesses.py lgr_xml.
        raise LgrParseError(f"cannot decode the document in the encoding it declares: {e}", source, 1) from None
    return _document(root, source)


#: The largest LGR document read from a file: the largest shipped one (ref/und-Hani) is 3.5 MB.
MAX_DOCUMENT_BYTES = 64 << 20


def read_document(path: str | Path) -> bytes:
    """The bytes of an LGR file: a regular file of at most MAX_DOCUMENT_BYTES (not a FIFO, not /dev/zero)."""
    try:
        return read_regular(path, MAX_DOCUMENT_BYTES)
    except FileRefusedError as e:
        raise LgrParseError(f"not read: {e}", str(path)) from None
    except OSError as e:
        raise LgrParseError(f"cannot read: {e.strerror}", str(path)) from None


def parse_file(path: str | Path) -> Document:
    """Parse an LGR file (see :func:`read_document` for the files refused)."""
    return parse_bytes(read_document(path), str(path))


def _document(root: ET.Element, source: str) -> Document:
    if _local(root.tag) != "lgr":
        raise LgrParseError(f"root element is <{_local(root.tag)}>, expected <lgr> (RFC 7940 §4)", source, _line(root))
    problems: list[tuple[int, str]] = []
    meta = Meta()
    chars: list[Char] = []
    classes: list[ClassNode] = []
    rules: list[RuleNode] = []
    actions: list[Action] = []
    for section in root:
        name = _local(section.tag)
        if name == "meta":
            meta = _meta(section, source)
        elif name == "data":
            for e in section:
                tag = _local(e.tag)
                if tag == "char":
                    chars.append(_char(e, source))
                elif tag == "range":
                    chars.extend(_range(e, source, MAX_REPERTOIRE - len(chars)))
                else:
                    raise LgrParseError(f"unexpected <{tag}> in <data>", source, _line(e))
                if len(chars) > MAX_REPERTOIRE:
                    raise LgrParseError(
                        f"repertoire of more than {MAX_REPERTOIRE:,} elements: over idnkit's bound", source, _line(e)
                    )
        elif name == "rules":
            for e in section:
                tag = _local(e.tag)
                if tag == "class" or tag in SET_OPS:
                    node = _class(e, source)
                    if node.name is None:
                        raise LgrParseError(f"top-level <{tag}> without a name (RFC 7940 §6.2.1)", source, _line(e))
                    classes.append(node)
                elif tag == "rule":
                    r = _rule(e, source)
                    if r.name is None:
                        raise LgrParseError("top-level <rule> without a name (RFC 7940 §6.3.4)", source, _line(e))
                    rules.append(r)
                elif tag == "action":
                    actions.append(_action(e, source))
                else:
                    raise LgrParseError(f"unexpected <{tag}> in <rules>", source, _line(e))
        else:
            raise LgrParseError(f"unexpected <{name}> in <lgr>", source, _line(section))
    return Document(source, meta, tuple(chars), tuple(classes), tuple(rules), tuple(actions), tuple(problems))


def _text(e: ET.Element) -> str:
    return "".join(e.itertext()).strip()


def _meta(section: ET.Element, source: str) -> Meta:
    values: dict[str, Any] = {"languages": [], "scopes": [], "references": []}
    lines: list[tuple[str, int]] = []
    for e in section:
        tag = _local(e.tag)
        lines.append((tag, _line(e)))
        if tag == "version":
            values["version"] = _text(e)
            values["version_comment"] = e.get("comment")
        elif tag == "date":
            values["date"] = _text(e)
        elif tag == "language":
            values["languages"].append(_text(e))
        elif tag == "scope":
            values["scopes"].append((e.get("type", ""), _text(e)))
        elif tag == "validity-start":
            values["validity_start"] = _text(e)
        elif tag == "validity-end":
            values["validity_end"] = _text(e)
        elif tag == "unicode-version":
            values["unicode_version"] = _text(e)
        elif tag == "description":
            values["description"] = "".join(e.itertext())
            values["description_type"] = e.get("type")
        elif tag == "references":
            for r in e:
                if _local(r.tag) != "reference" or r.get("id") is None:
                    raise LgrParseError("<references> holds only <reference id=...>", source, _line(r))
                values["references"].append(Reference(r.get("id", ""), _text(r), r.get("comment")))
        else:
            raise LgrParseError(f"unexpected <{tag}> in <meta>", source, _line(e))
    values["languages"] = tuple(values["languages"])
    values["scopes"] = tuple(values["scopes"])
    values["references"] = tuple(values["references"])
    return Meta(**values, lines=tuple(lines))


def _char(e: ET.Element, source: str) -> Char:
    line = _line(e)
    cp = e.get("cp")
    if cp is None:
        raise LgrParseError("<char> without cp", source, line)
    cps = parse_cps(cp, source, line)
    if not cps:
        raise LgrParseError("<char> with an empty cp", source, line)
    if e.get("when") is not None and e.get("not-when") is not None:
        raise LgrParseError("<char> with both when and not-when (RFC 7940 §5.2)", source, line)
    variants = []
    for v in e:
        if _local(v.tag) != "var":
            raise LgrParseError(f"unexpected <{_local(v.tag)}> in <char>", source, _line(v))
        vline = _line(v)
        if v.get("cp") is None:
            raise LgrParseError("<var> without cp", source, vline)
        if v.get("when") is not None and v.get("not-when") is not None:
            raise LgrParseError("<var> with both when and not-when (RFC 7940 §5.3.5)", source, vline)
        variants.append(
            Var(
                parse_cps(v.get("cp", ""), source, vline),
                v.get("type"),
                v.get("when"),
                v.get("not-when"),
                _words(v.get("ref")),
                v.get("comment"),
                vline,
            )
        )
    return Char(
        cps,
        e.get("when"),
        e.get("not-when"),
        _words(e.get("tag")),
        _words(e.get("ref")),
        e.get("comment"),
        tuple(variants),
        line,
    )


def _range(e: ET.Element, source: str, room: int = MAX_REPERTOIRE) -> list[Char]:
    line = _line(e)
    first = parse_cps(e.get("first-cp", ""), source, line, surrogates=True)
    last = parse_cps(e.get("last-cp", ""), source, line, surrogates=True)
    if len(first) != 1 or len(last) != 1 or first[0] > last[0]:
        raise LgrParseError("<range> needs one first-cp <= one last-cp (RFC 7940 §5.1)", source, line)
    size = last[0] - first[0] + 1
    if size > room:
        raise LgrParseError(
            f"<range> of {size:,} code points: the repertoire would pass idnkit's bound of {MAX_REPERTOIRE:,} elements",
            source,
            line,
        )
    if first[0] <= 0xDFFF and last[0] >= 0xD800:
        raise LgrParseError(
            "<range> holds surrogates (U+D800..U+DFFF), which are not characters (RFC 7940 §5.1)", source, line
        )
    if len(e):
        raise LgrParseError("<range> cannot hold <var> (RFC 7940 §5.1)", source, line)
    tags, refs = _words(e.get("tag")), _words(e.get("ref"))
    when, not_when, comment = e.get("when"), e.get("not-when"), e.get("comment")
    return [Char((cp,), when, not_when, tags, refs, comment, (), line) for cp in range(first[0], last[0] + 1)]


def _class_ranges(text: str, source: str, line: int) -> tuple[tuple[int, int], ...]:
    out = []
    for token in text.split():
        lo, _, hi = token.partition("-")
        a = parse_cps(lo, source, line, surrogates=bool(hi))[0] if lo else -1
        b = parse_cps(hi, source, line, surrogates=True)[0] if hi else a
        if a < 0:
            raise LgrParseError(f"bad range {token!r}", source, line)
        if a > b:
            raise LgrParseError(f"bad range {token!r}", source, line)
        out.append((a, b))
    return tuple(out)


def _class(e: ET.Element, source: str, depth: int = 0) -> ClassNode:
    tag, line = _local(e.tag), _line(e)
    if depth > MAX_NESTING:
        raise _too_deep(tag, source, line)
    name, count = e.get("name"), e.get("count")
    if tag in SET_OPS:
        children = tuple(_class(c, source, depth + 1) for c in e)
        if tag == "complement" and len(children) != 1:
            raise LgrParseError("<complement> takes exactly one class (RFC 7940 §6.2.6)", source, line)
        if tag == "difference" and len(children) != 2:
            raise LgrParseError("<difference> takes exactly two classes (RFC 7940 §6.2.6)", source, line)
        if tag in ("union", "intersection", "symmetric-difference") and len(children) < 2:
            raise LgrParseError(f"<{tag}> takes at least two classes (RFC 7940 §6.2.6)", source, line)
        return ClassNode(tag, name, children=children, count=count, line=line)
    if tag != "class":
        raise LgrParseError(f"<{tag}> is not a class", source, line)
    if len(e):
        # itertext() would otherwise read the children's text as code points and hide the mistake
        # (e.g. a <char> or a nested <class> written where <union> was meant).
        raise LgrParseError(
            f"<class> holds a <{_local(e[0].tag)}> element: a class lists code points as text or takes "
            "by-ref, from-tag or property; combine classes with <union>, <intersection>, <difference>, "
            "<symmetric-difference> or <complement> (RFC 7940 §6.2)",
            source,
            line,
        )
    by_ref, from_tag, prop = e.get("by-ref"), e.get("from-tag"), e.get("property")
    text = _text(e)
    given = [x for x in (by_ref, from_tag, prop) if x is not None] + ([text] if text else [])
    if len(given) > 1:
        raise LgrParseError("<class> with more than one of by-ref, from-tag, property, content", source, line)
    if by_ref is not None:
        if name is not None:
            raise LgrParseError("<class> with both name and by-ref (RFC 7940 §6.2.1)", source, line)
        return ClassNode("ref", None, ref=by_ref, count=count, line=line)
    if from_tag is not None:
        return ClassNode("tag", name, ref=from_tag, count=count, line=line)
    if prop is not None:
        return ClassNode("property", name, ref=prop, count=count, line=line)
    return ClassNode("set", name, ranges=_class_ranges(text, source, line), count=count, line=line)


# Real LGRs nest rules and classes a few levels deep; a hostile document nesting thousands would
# exhaust the interpreter's stack here and in every later recursive pass, so it is refused at once.
MAX_NESTING = 64


def _too_deep(what: str, source: str, line: int) -> LgrParseError:
    return LgrParseError(f"<{what}> nested more than {MAX_NESTING} levels deep", source, line)


def _rule(e: ET.Element, source: str, depth: int = 0) -> RuleNode:
    tag, line = _local(e.tag), _line(e)
    if depth > MAX_NESTING:
        raise _too_deep(tag, source, line)
    count = e.get("count")
    if tag == "class" or tag in SET_OPS:
        return RuleNode("class", cls=_class(e, source, depth + 1), count=count, line=line)
    if tag == "char":
        return RuleNode("char", cps=parse_cps(e.get("cp", ""), source, line), count=count, line=line)
    if tag in ("start", "end", "anchor", "any"):
        return RuleNode(tag, count=count, line=line)
    if tag in ("rule", "choice", "look-ahead", "look-behind"):
        children = tuple(_rule(c, source, depth + 1) for c in e)
        by_ref = e.get("by-ref") if tag == "rule" else None
        if by_ref is not None and (children or e.get("name")):
            raise LgrParseError("<rule by-ref> cannot have a name or content (RFC 7940 §6.3.4)", source, line)
        name = e.get("name") if tag == "rule" else None
        return RuleNode(tag, name, by_ref, children=children, count=count, line=line)
    raise LgrParseError(f"unexpected <{tag}> in a rule", source, line)


def _action(e: ET.Element, source: str) -> Action:
    line = _line(e)
    disp = e.get("disp")
    if not disp:
        raise LgrParseError("<action> without disp (RFC 7940 §7.1)", source, line)
    if e.get("match") is not None and e.get("not-match") is not None:
        raise LgrParseError("<action> with both match and not-match (RFC 7940 §7.1)", source, line)
    triggers = [k for k in ("any-variant", "all-variants", "only-variants") if e.get(k) is not None]
    if len(triggers) > 1:
        raise LgrParseError(f"<action> with more than one variant trigger: {', '.join(triggers)}", source, line)
    return Action(
        disp,
        e.get("match"),
        e.get("not-match"),
        _set(e.get("any-variant")),
        _set(e.get("all-variants")),
        _set(e.get("only-variants")),
        e.get("comment"),
        _words(e.get("ref")),
        line,
    )
