"""Render an :class:`~idnkit.audit.AuditResult`: text summary, JSON lines, CSV, self-contained HTML.

The HTML report has no network resources: styles, the bar charts (inline SVG) and the script
that sorts the collision table are all in the one file, so it can be mailed to a regulator.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
from collections.abc import Iterator

from . import AuditResult
from ._findings import AuditFinding

AUDIT_SCHEMA = "idnkit.audit/1"
TOP_GROUPS = 20
TOP_NAMES = 10  # invalid names the summary shows, with file:line


def _json(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def jsonl(result: AuditResult) -> Iterator[str]:
    """One finding per line, then one line per collision group, then the summary line."""
    for f in result.findings:
        yield _json({"type": "finding", **f.to_dict()})
    for g in result.collisions:
        yield _json({"type": "collision", **g.to_dict()})
    yield _json({"type": "summary", "schema": AUDIT_SCHEMA, **result.summary_dict()})


CSV_FIELDS = (
    "type",
    "name",
    "unicode",
    "line",
    "class",
    "rule",
    "severity",
    "detail",
    "label",
    "position",
    "codepoint",
)


def csv_rows(result: AuditResult) -> Iterator[str]:
    """Findings, then collisions (one row per member, rule ``collision.<kind>``, detail = key), in
    pieces of about 64 KB: the findings are read from disk as they are written out."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for f in result.findings:
        x = f.finding
        writer.writerow((
            "finding", f.name, f.unicode or "", f.line, f.name_class, x.rule, x.severity.value, f.detail,
            x.label_index or "", x.position or "", x.codepoint or "",
        ))  # fmt: skip
        if out.tell() >= _PIECE:
            yield _drain(out)
    for number, g in enumerate(result.collisions, 1):
        for name, unicode, line, source in g.members:
            writer.writerow(
                ("collision", name, unicode, line, source, f"collision.{g.kind}", f"group {number}", g.key, "", "", "")
            )
        if out.tell() >= _PIECE:
            yield _drain(out)
    yield _drain(out)


_PIECE = 1 << 16


def _drain(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def csv_text(result: AuditResult) -> str:
    """:func:`csv_rows` as one string (the whole report in memory: the CLI streams the rows)."""
    return "".join(csv_rows(result))


def accounting_line(result: AuditResult) -> str:
    return (
        f"{result.names} names read = {result.valid} valid + {result.invalid} invalid + {result.unreadable} unreadable"
    )


def summary(result: AuditResult) -> str:
    lines = [f"zone {result.file} (origin {result.origin})", accounting_line(result)]
    lines.append(f"IDN names: {result.idn}" + _inline(result.idn_classes))
    lines.append("classes:" + _inline(result.classes))
    if result.scripts:
        lines.append("IDN scripts:" + _inline(result.scripts))
    if result.rules:
        lines.append("findings per rule:")
        lines.extend(f"  {count:>9}  {rule}" for rule, count in result.rules.items())
    # One pass over the findings (maybe on disk): the first TOP_NAMES names refused, each with its
    # first error and the rules of its other errors; the rest only counted (memory stays bounded).
    refused: dict[tuple[str, int | None], tuple[AuditFinding, list[str]]] = {}
    errors = 0
    for f in result.findings:
        if f.severity == "error":
            errors += 1
            seen = refused.get((f.name, f.line))
            if seen is not None:
                seen[1].append(f.rule)
            elif len(refused) < TOP_NAMES:
                refused[(f.name, f.line)] = (f, [])
    if refused:
        lines.append(
            f"invalid names (first {len(refused)} of {result.invalid}; {errors} error findings, all in jsonl/csv/html):"
        )
        for f, more in refused.values():
            shown = f" ({f.unicode})" if f.unicode and f.unicode != f.name else ""
            also = f"  (+{len(more)} more: {', '.join(dict.fromkeys(more))})" if more else ""
            lines.append(f"  {result.file}:{f.line}: {f.name}{shown}  {f.rule}: {f.detail}{also}")
    lines.append(f"collision groups: {len(result.collisions)} (keys: {', '.join(result.key_kinds) or 'none'})")
    for g in result.collisions[:TOP_GROUPS]:
        names = ", ".join(_member(n, u, s, g.members) for n, u, _, s in g.members)
        lines.append(f"  {g.kind} {g.key!r}: {names}")
    if len(result.collisions) > TOP_GROUPS:
        lines.append(f"  ... and {len(result.collisions) - TOP_GROUPS} more (see --format jsonl|csv|html)")
    return "\n".join(lines)


def _inline(counts: dict[str, int]) -> str:
    return "".join(f" {k} {v}," for k, v in counts.items()).rstrip(",")


def _bars(title: str, counts: dict[str, int], limit: int = 25) -> str:
    items = list(counts.items())[:limit]
    if not items:
        return f"<h2>{html.escape(title)}</h2><p>none</p>"
    top = max(v for _, v in items) or 1
    row_h, width, label_w = 22, 640, 220
    parts = [
        f'<h2>{html.escape(title)}</h2><svg role="img" aria-label="{html.escape(title)}" '
        f'width="{width}" height="{row_h * len(items) + 4}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, value) in enumerate(items):
        y = i * row_h + 2
        w = max(1, int((width - label_w - 70) * value / top))
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{html.escape(str(label))}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" fill="#3b6ea8"/>'
            f'<text x="{label_w + w + 6}" y="{y + 15}">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:72em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.25em .6em;text-align:left}
th{background:#eef;cursor:pointer}th.sorted-asc::after{content:" \\25B2"}th.sorted-desc::after{content:" \\25BC"}
svg text{font-size:12px}.num{text-align:right}code{font-size:95%}
"""

_SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var asc = !th.classList.contains("sorted-asc");
      table.querySelectorAll("th").forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
      th.classList.add(asc ? "sorted-asc" : "sorted-desc");
      rows.sort(function (a, b) {
        var x = a.cells[col].textContent, y = b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""

MAX_HTML_ROWS = 5000


def html_report(result: AuditResult) -> str:
    """The self-contained HTML report (:func:`html_pieces` as one string)."""
    return "\n".join(html_pieces(result))


def html_pieces(result: AuditResult) -> Iterator[str]:
    """The HTML report's lines, to be joined by newlines: at most MAX_HTML_ROWS findings and groups
    are shown, read from disk as they are written out."""
    e = html.escape
    yield from [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>idnkit zone audit: {e(result.file)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Zone audit: <code>{e(result.file)}</code></h1>",
        f"<p>Origin <code>{e(result.origin)}</code>. {e(accounting_line(result))}. "
        f"IDN names: {result.idn}. Collision keys: {e(', '.join(result.key_kinds) or 'none')}.</p>",
        "<table><tr><th>names read</th><th>valid</th><th>invalid</th><th>unreadable</th><th>IDN</th>"
        "<th>collision groups</th></tr>"
        f'<tr><td class="num">{result.names}</td><td class="num">{result.valid}</td>'
        f'<td class="num">{result.invalid}</td><td class="num">{result.unreadable}</td>'
        f'<td class="num">{result.idn}</td><td class="num">{len(result.collisions)}</td></tr></table>',
        _provenance(result),
        _bars("IDN names per script", result.scripts),
        _bars("Findings per rule", result.rules),
        _bars("Names per class", result.classes),
        "<h2>Collision groups</h2>",
    ]
    if not result.collisions:
        yield "<p>No collision groups: no IDN name shares a key with another name.</p>"
    else:
        yield (
            '<table class="sortable"><thead><tr><th>#</th><th>kind</th><th>key</th><th>size</th>'
            "<th>names (Unicode form)</th><th>first line</th></tr></thead><tbody>"
        )
    for number, g in enumerate(result.collisions[:MAX_HTML_ROWS], 1):
        names = "<br>".join(
            f"{e(u)} <small>({e(n)}{', protected' if s == 'against' else f', line {ln}'})</small>"
            for n, u, ln, s in g.members
        )
        first = min(ln for _, _, ln, s in g.members if s == "zone")
        yield (
            f'<tr><td class="num">{number}</td><td>{e(g.kind)}</td><td>{e(g.key)}</td>'
            f'<td class="num">{len(g.members)}</td><td>{names}</td><td class="num">{first}</td></tr>'
        )
    if result.collisions:
        yield "</tbody></table>"
    if len(result.collisions) > MAX_HTML_ROWS:
        yield f"<p>{len(result.collisions) - MAX_HTML_ROWS} more groups: see the JSON lines output.</p>"
    yield "<h2>Findings</h2>"
    if not result.findings:
        yield "<p>No findings: every name read is valid.</p>"
    else:
        yield (
            '<table class="sortable"><thead><tr><th>line</th><th>name</th><th>class</th>'
            "<th>rule</th><th>severity</th><th>detail</th></tr></thead><tbody>"
        )
    for f in itertools.islice(result.findings, MAX_HTML_ROWS):
        shown = f.unicode if f.unicode and f.unicode != f.name else ""
        yield (
            f'<tr><td class="num">{f.line}</td><td>{e(f.name)}{"<br>" + e(shown) if shown else ""}</td>'
            f"<td>{e(f.name_class)}</td><td><code>{e(f.rule)}</code></td><td>{e(f.severity)}</td>"
            f"<td>{e(f.detail)}</td></tr>"
        )
    if result.findings:
        yield "</tbody></table>"
    if len(result.findings) > MAX_HTML_ROWS:
        yield f"<p>{len(result.findings) - MAX_HTML_ROWS} more findings: see the JSON lines output.</p>"
    yield f"<script>{_SORT_SCRIPT}</script></body></html>"


def _provenance(result: AuditResult) -> str:
    """Where the report comes from: what ran, on what, when, with which checks."""
    e = html.escape
    p = result.provenance
    rows = [
        ("file", result.file),
        ("origin", result.origin),
        ("idnkit", str(p.get("idnkit", ""))),
        ("Unicode", str(p.get("unicode", ""))),
        ("date (UTC)", str(p.get("date", ""))),
        ("checks", ", ".join(p.get("checks", [])) or "IDNA2008 (registration profile) only"),
        ("collision keys", ", ".join(result.key_kinds) or "none"),
    ]
    if p.get("against"):
        rows.append(("protected names", str(p["against"])))
    if p.get("names_list"):
        rows.append(("input", "a list of names, one per line"))
    if p.get("allow_include"):
        rows.append(("$INCLUDE", "followed, confined to the zone's folder"))
    cells = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    return f'<h2>Provenance</h2><table class="provenance">{cells}</table>'


def _member(name: str, unicode: str, source: str, members: tuple[tuple[str, str, int, str], ...]) -> str:
    """A group member as a reader tells it apart: its Unicode form, and its spelling in the zone when another
    member has the same Unicode form (an A-label owner beside a UTF-8 one)."""
    shown = unicode
    if name != unicode and sum(1 for _, u, _, _ in members if u == unicode) > 1:
        shown += f" ({name})"
    return shown + (" [protected]" if source == "against" else "")
