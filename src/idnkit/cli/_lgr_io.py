"""``idncheck lgr convert`` and ``idncheck lgr merge``: legacy tables to RFC 7940 XML, LGR sets."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .. import lgr as lgrmod
from .._files import FileRefusedError, read_regular
from ..lgr._model import Document
from ..lgr._parser import MAX_DOCUMENT_BYTES
from ._common import InputFailure, json_line, show

CONVERT_SCHEMA = "idnkit.lgr-convert/1"
MERGE_SCHEMA = "idnkit.lgr-merge/1"
NOTE_SCHEMA = "idnkit.lgr-merge-note/1"
PROBLEM_SCHEMA = "idnkit.lgr-problem/1"


def _looks_like_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def read_document(path: Path, fmt: str, as_json: bool) -> Document:
    """An RFC 7940 XML file or a legacy table as a document; every problem reported, then exit 2."""
    try:
        data = read_regular(path, MAX_DOCUMENT_BYTES)  # not a FIFO, not /dev/zero, not a 10 GB file
    except FileRefusedError as e:
        raise InputFailure(f"{path}: not read: {e}") from None
    except OSError as e:
        raise InputFailure(f"{path}: cannot read: {e.strerror}") from None
    try:
        if fmt == "xml" or (fmt == "auto" and _looks_like_xml(data)):
            return lgrmod.parse_bytes(data, str(path))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise lgrmod.LgrParseError(f"not UTF-8 (byte 0x{data[e.start]:02X})", str(path), line) from None
        return lgrmod.parse_legacy(text, str(path), fmt)
    except lgrmod.LegacyTableError as e:
        if as_json:
            for line, message in e.problems:
                click.echo(
                    json_line(
                        {
                            "schema": PROBLEM_SCHEMA,
                            "kind": "malformed-line",
                            "rule_id": "rfc7940.doc.malformed_line",
                            "severity": "error",
                            "source": str(path),
                            "line": line,
                            "message": message,
                        }
                    )
                )
            raise click.exceptions.Exit(2) from None
        raise InputFailure(show(str(e))) from None
    except lgrmod.LgrParseError as e:
        raise InputFailure(show(str(e))) from None


def _write(xml: bytes, out: Path | None) -> None:
    if out is None or str(out) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(xml)
        sys.stdout.buffer.flush()
        return
    try:
        out.write_bytes(xml)
    except OSError as e:
        raise InputFailure(f"{out}: cannot write: {e.strerror}") from None


@click.command("convert")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--to", "target", type=click.Choice(["xml"]), default="xml", show_default=True, help="Output format: RFC 7940 XML."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "rfc3743", "rfc4290", "list", "xml"]),
    default="auto",
    show_default=True,
    help="Input format (auto: XML if it starts with '<', else guessed from the lines).",
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the XML here (default: standard output).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a summary record (schema idnkit.lgr-convert/1), or one record per bad line.",
)
def convert_command(file: Path, target: str, fmt: str, out: Path | None, as_json: bool) -> None:
    """Convert FILE (RFC 3743, RFC 4290, a code point list or RFC 7940 XML) to RFC 7940 XML.

    Every malformed line is reported as FILE:LINE; then the exit status is 2.
    """
    doc = read_document(file, fmt, as_json)
    if as_json and out is None:
        raise click.UsageError("--json prints a summary: give -o OUT for the XML")
    xml = lgrmod.to_xml(doc)
    _write(xml, out)
    if as_json:
        record: dict[str, Any] = {
            "schema": CONVERT_SCHEMA,
            "file": str(file),
            "to": target,
            "output": str(out),
            "elements": len(doc.chars),
            "variants": sum(len(c.variants) for c in doc.chars),
        }
        click.echo(json_line(record))


def _member(spec: str) -> lgrmod.Lgr:
    """A shipped table name, an RFC 7940 XML file, or a legacy table file."""
    names = {e.name for e in lgrmod.catalogue()}
    path = Path(spec)
    if spec in names or path.suffix.lower() == ".xml":
        try:
            return lgrmod.load(spec)
        except lgrmod.LgrError as e:
            raise InputFailure(show(str(e))) from None
    if not path.exists():
        raise InputFailure(f"unknown LGR {spec!r}: not a shipped table (see `idncheck lgr list`) nor a file")
    doc = read_document(path, "auto", False)
    try:
        return lgrmod.Lgr(doc, path.stem)
    except lgrmod.LgrError as e:
        raise InputFailure(show(str(e))) from None


@click.command("merge")
@click.argument("tables", nargs=-1, required=True, metavar="FILE_OR_NAME...")
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Write the merged RFC 7940 XML here ('-' for standard output).",
)
@click.option("--no-close", is_flag=True, help="Do not close variant sets (symmetric/transitive, as blocked).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="JSON lines: one summary (idnkit.lgr-merge/1), one record per note (idnkit.lgr-merge-note/1).",
)
def merge_command(tables: tuple[str, ...], out: Path, no_close: bool, as_json: bool) -> None:
    """Merge LGRs (shipped names, XML or legacy files) into one LGR set, to find collisions between them.

    Each member's rules apply to labels of its own repertoire; a label no single member admits is invalid.
    Check the result with `idncheck lgr collisions LABELS --lgr OUT`.
    """
    members = [_member(t) for t in tables]
    lgr_set = lgrmod.merge(members, close=not no_close)
    try:
        lgr_set.compile()
    except lgrmod.LgrError as e:  # pragma: no cover - a merge of loadable tables compiles
        raise InputFailure(f"the merged set does not compile: {show(str(e))}") from None
    xml = lgrmod.to_xml(lgr_set.document)
    _write(xml, out)
    doc = lgr_set.document
    summary = {
        "schema": MERGE_SCHEMA,
        "members": list(lgr_set.members),
        "sources": [m.name for m in members],
        "output": str(out),
        "elements": len(doc.chars),
        "variants": sum(len(c.variants) for c in doc.chars),
        "notes": len(lgr_set.notes),
    }
    to_stdout = str(out) == "-"
    if as_json and not to_stdout:
        click.echo(json_line(summary))
        for note in lgr_set.notes:
            click.echo(json_line({"schema": NOTE_SCHEMA, **note.to_dict()}))
    else:
        err = to_stdout  # keep standard output pure XML
        for note in lgr_set.notes:
            click.echo(f"note: {note.rule_id}: {show(note.message)}", err=err)
        click.echo(
            f"merged {len(members)} LGRs ({', '.join(lgr_set.members)}): {summary['elements']} elements, "
            f"{summary['variants']} variant mappings, {len(lgr_set.notes)} notes -> {out}",
            err=err,
        )
