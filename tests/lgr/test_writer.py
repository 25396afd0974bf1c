"""RFC 7940 writer: every shipped LGR parses, writes and parses back to an equal model that judges alike."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest

from idnkit import lgr
from idnkit._resources import resource
from idnkit.lgr import LgrError, parse_bytes, parse_legacy, to_xml

ENTRIES = lgr.catalogue()


def _norm(x: Any) -> Any:
    """A comparable form of a model value, without line numbers and source names."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        fields = [f.name for f in dataclasses.fields(x) if f.name not in ("line", "lines", "source")]
        return (type(x).__name__, *((name, _norm(getattr(x, name))) for name in fields))
    if isinstance(x, tuple):
        return tuple(_norm(i) for i in x)
    return x


def _sample_labels(table: lgr.Lgr, limit: int = 40) -> list[str]:
    """Labels built from the table's own repertoire: single elements, pairs, a hyphenated pair, a stranger."""
    elements = sorted(table.chars)
    step = max(1, len(elements) // limit)
    picked = ["".join(map(chr, cps)) for cps in elements[::step]][:limit]
    labels = list(picked)
    labels += [a + b for a, b in itertools.pairwise(picked)]
    labels += [picked[0] + "-" + picked[-1], picked[0] + "\u2603", "xn--mnchen-3ya"]
    return labels


def _verdicts(table: lgr.Lgr, labels: list[str]) -> list[Any]:
    out: list[Any] = []
    for label in labels:
        r = table.validate(label)
        try:
            index: str | None = table.index_label(label) if r.eligible else None
        except LgrError as e:
            index = f"error: {e}"
        variants = sorted((v.label, v.disposition) for v in table.variants(label, limit=20)) if r.eligible else []
        out.append((label, r.disposition, [f.to_dict() for f in r.findings], index, variants))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_shipped_table_round_trips(entry: lgr.CatalogueEntry) -> None:
    data = resource("script_tables", "lgr", *entry.file.split("/")).read_bytes()
    original = parse_bytes(data, entry.file)
    written = to_xml(original)
    again = parse_bytes(written, "written.xml")
    assert _norm(again) == _norm(original)
    assert to_xml(again) == written  # writing is deterministic
    before, after = lgr.load(entry.name), lgr.Lgr(again, entry.name)
    labels = _sample_labels(before)
    assert _verdicts(after, labels) == _verdicts(before, labels)


def test_legacy_import_writes_valid_xml() -> None:
    doc = parse_legacy("U+00DF|U+0073-U+0073\nU+0073|U+0073\n", "de.txt", "rfc4290")
    xml = to_xml(doc).decode()
    assert '<char cp="00DF">' in xml and '<var cp="0073 0073" type="blocked" />' in xml
    assert _norm(parse_bytes(xml.encode())) == _norm(doc)


def test_every_model_feature_is_written() -> None:
    src = b"""<?xml version="1.0" encoding="utf-8"?>
<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0">
  <meta>
    <version comment="c">1</version><date>2024-01-02</date><language>und-Latn</language>
    <scope type="domain">example</scope><validity-start>2024-01-01</validity-start>
    <validity-end>2030-01-01</validity-end><unicode-version>11.0.0</unicode-version>
    <description type="text/plain">  multi
 line &amp; &lt;escaped&gt;  </description>
    <references><reference id="0" comment="rc">RFC 7940</reference></references>
  </meta>
  <data>
    <char cp="0061" tag="x y" ref="0" comment="a &quot;quoted&quot;"><var cp="0062" type="blocked" when="w"/></char>
    <char cp="0062"><var cp="0061" type="blocked" not-when="w" ref="0" comment="v"/><var cp="" type="blocked"/></char>
    <range first-cp="0063" last-cp="0066" tag="x"/>
    <char cp="0067 0301" not-when="w"/>
  </data>
  <rules>
    <class name="vowels">0061 0065-0066</class>
    <class name="xs" from-tag="x"/>
    <class name="marks" property="gc:Mn"/>
    <union name="u"><class by-ref="vowels"/><class>0070</class></union>
    <difference name="d"><class by-ref="u"/><class by-ref="xs"/></difference>
    <complement name="c"><class by-ref="d"/></complement>
    <rule name="w"><look-behind><start/><any count="0+"/></look-behind><anchor/>
      <look-ahead><choice><char cp="0061" count="2"/><class by-ref="vowels" count="1:3"/><end/></choice>
      </look-ahead></rule>
    <rule name="r2"><start/><rule by-ref="w"/><rule><char cp="0062 0063"/></rule></rule>
    <action disp="invalid" match="r2" ref="0" comment="ac"/>
    <action disp="blocked" not-match="r2" any-variant="blocked x"/>
    <action disp="valid" all-variants="r"/>
    <action disp="activated" only-variants="r"/>
  </rules>
</lgr>
"""
    doc = parse_bytes(src, "all.xml")
    again = parse_bytes(to_xml(doc), "again.xml")
    assert _norm(again) == _norm(doc)
    assert again.meta.description == "  multi\n line & <escaped>  "


def test_characters_xml_cannot_carry_are_refused() -> None:
    doc = parse_legacy("U+0061\n", "a.txt")
    bad = dataclasses.replace(doc, chars=(dataclasses.replace(doc.chars[0], comment="bell\x07"),))
    with pytest.raises(LgrError, match=r"<char comment>: U\+0007 cannot be written in XML 1.0"):
        to_xml(bad)
