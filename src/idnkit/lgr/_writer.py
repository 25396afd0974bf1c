"""Write any document model back out as RFC 7940 XML (namespace ``urn:ietf:params:xml:ns:lgr-1.0``).

The output parses back (with :func:`idnkit.lgr.parse_bytes`) to an equal model, line numbers aside:
runs of consecutive single code points with identical attributes and no variants are written as one
``<range>`` (RFC 7940 §5.1), which the parser expands to the same elements.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from ._model import Action, Char, ClassNode, Document, Meta, RuleNode, Var
from ._parser import NS


def _hex(cps: tuple[int, ...]) -> str:
    return " ".join(f"{c:04X}" for c in cps)


def _set(e: ET.Element, key: str, value: str | None) -> None:
    if value is not None:
        e.set(key, value)


def _words(e: ET.Element, key: str, values: tuple[str, ...] | frozenset[str] | None) -> None:
    if values is None:
        return
    if isinstance(values, frozenset):
        e.set(key, " ".join(sorted(values)))
    elif values:
        e.set(key, " ".join(values))


def _meta(meta: Meta) -> ET.Element | None:
    e = ET.Element("meta")
    if meta.version is not None:
        v = ET.SubElement(e, "version")
        v.text = meta.version
        _set(v, "comment", meta.version_comment)
    if meta.date is not None:
        ET.SubElement(e, "date").text = meta.date
    for lang in meta.languages:
        ET.SubElement(e, "language").text = lang
    for kind, value in meta.scopes:
        s = ET.SubElement(e, "scope")
        s.text = value
        if kind:
            s.set("type", kind)
    if meta.validity_start is not None:
        ET.SubElement(e, "validity-start").text = meta.validity_start
    if meta.validity_end is not None:
        ET.SubElement(e, "validity-end").text = meta.validity_end
    if meta.unicode_version is not None:
        ET.SubElement(e, "unicode-version").text = meta.unicode_version
    if meta.description is not None:
        d = ET.SubElement(e, "description")
        d.text = meta.description
        _set(d, "type", meta.description_type)
    if meta.references:
        refs = ET.SubElement(e, "references")
        for r in meta.references:
            x = ET.SubElement(refs, "reference", {"id": r.id})
            x.text = r.text
            _set(x, "comment", r.comment)
    return e if len(e) else None


def _var(v: Var) -> ET.Element:
    e = ET.Element("var", {"cp": _hex(v.cps)})
    _set(e, "type", v.type)
    _set(e, "when", v.when)
    _set(e, "not-when", v.not_when)
    _words(e, "ref", v.refs)
    _set(e, "comment", v.comment)
    return e


def _char_attrs(e: ET.Element, ch: Char) -> None:
    _set(e, "when", ch.when)
    _set(e, "not-when", ch.not_when)
    _words(e, "tag", ch.tags)
    _words(e, "ref", ch.refs)
    _set(e, "comment", ch.comment)


def _same_attrs(a: Char, b: Char) -> bool:
    return (a.when, a.not_when, a.tags, a.refs, a.comment) == (b.when, b.not_when, b.tags, b.refs, b.comment)


def _runs(chars: tuple[Char, ...]) -> Iterator[list[Char]]:
    """Group consecutive single code points without variants and with the same attributes."""
    run: list[Char] = []
    for ch in chars:
        rangeable = len(ch.cps) == 1 and not ch.variants
        if run and rangeable and ch.cps[0] == run[-1].cps[0] + 1 and _same_attrs(ch, run[0]):
            run.append(ch)
            continue
        if run:
            yield run
        run = [ch] if rangeable else []
        if not rangeable:
            yield [ch]
    if run:
        yield run


def _data(chars: tuple[Char, ...]) -> ET.Element:
    data = ET.Element("data")
    for run in _runs(chars):
        first = run[0]
        if len(run) > 1:
            e = ET.SubElement(data, "range", {"first-cp": _hex(first.cps), "last-cp": _hex(run[-1].cps)})
        else:
            e = ET.SubElement(data, "char", {"cp": _hex(first.cps)})
            for v in first.variants:
                e.append(_var(v))
        _char_attrs(e, first)
    return data


def _class_text(ranges: tuple[tuple[int, int], ...]) -> str:
    return " ".join(f"{a:04X}" if a == b else f"{a:04X}-{b:04X}" for a, b in ranges)


def _class(node: ClassNode) -> ET.Element:
    if node.kind in ("union", "intersection", "difference", "symmetric-difference", "complement"):
        e = ET.Element(node.kind)
        for child in node.children:
            e.append(_class(child))
    else:
        e = ET.Element("class")
        if node.kind == "ref":
            _set(e, "by-ref", node.ref)
        elif node.kind == "tag":
            _set(e, "from-tag", node.ref)
        elif node.kind == "property":
            _set(e, "property", node.ref)
        elif node.ranges:
            e.text = _class_text(node.ranges)
    _set(e, "name", node.name)
    _set(e, "count", node.count)
    return e


def _rule(node: RuleNode) -> ET.Element:
    if node.kind == "class":
        assert node.cls is not None
        e = _class(node.cls)
        # the parser copies a matcher's count onto both the rule node and its class
        if node.count is not None:
            e.set("count", node.count)
        return e
    e = ET.Element(node.kind)
    if node.kind == "char":
        e.set("cp", _hex(node.cps))
    elif node.kind == "rule":
        _set(e, "name", node.name)
        _set(e, "by-ref", node.ref)
    for child in node.children:
        e.append(_rule(child))
    _set(e, "count", node.count)
    return e


def _action(a: Action) -> ET.Element:
    e = ET.Element("action", {"disp": a.disp})
    _set(e, "match", a.match)
    _set(e, "not-match", a.not_match)
    _words(e, "any-variant", a.any_variant)
    _words(e, "all-variants", a.all_variants)
    _words(e, "only-variants", a.only_variants)
    _words(e, "ref", a.refs)
    _set(e, "comment", a.comment)
    return e


def to_element(doc: Document) -> ET.Element:
    """The ``<lgr>`` element of a document (RFC 7940 §4: meta, data, rules)."""
    root = ET.Element("lgr", {"xmlns": NS})
    meta = _meta(doc.meta)
    if meta is not None:
        root.append(meta)
    root.append(_data(doc.chars))
    if doc.classes or doc.rules or doc.actions:
        rules = ET.SubElement(root, "rules")
        for c in doc.classes:
            rules.append(_class(c))
        for r in doc.rules:
            rules.append(_rule(r))
        for a in doc.actions:
            rules.append(_action(a))
    return root


def to_xml(doc: Document) -> bytes:
    """RFC 7940 XML for ``doc``, UTF-8, indented.

    >>> from idnkit.lgr import parse_legacy
    >>> print(to_xml(parse_legacy("U+0061..U+0063\\n", "abc.txt")).decode())
    <?xml version='1.0' encoding='utf-8'?>
    <lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0">
      <data>
        <range first-cp="0061" last-cp="0063" />
      </data>
    </lgr>
    <BLANKLINE>
    """
    root = to_element(doc)
    ET.indent(root, "  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def write_file(doc: Document, path: str | Path) -> None:
    """Write ``doc`` as RFC 7940 XML to ``path``."""
    Path(path).write_bytes(to_xml(doc))
