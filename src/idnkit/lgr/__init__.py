"""RFC 7940 Label Generation Rules: parse, validate and evaluate LGRs; shipped tables by short name.

>>> from idnkit import lgr
>>> latin = lgr.load("rz5/latin")
>>> latin.validate("example").valid
True
"""

from __future__ import annotations

from pathlib import Path

from ._catalogue import CatalogueEntry, catalogue, load
from ._errors import LgrError, LgrParseError
from ._evaluate import Lgr, LgrFinding, LgrResult, Variant
from ._keys import IndexLabelKeys
from ._legacy import LegacyTableError, parse_legacy, parse_legacy_file
from ._parser import parse_bytes, parse_file
from ._writer import to_xml, write_file


def parse(path: str | Path, name: str | None = None) -> Lgr:
    """Parse and compile an RFC 7940 XML file."""
    return Lgr(parse_file(path), name)


__all__ = [
    "CatalogueEntry",
    "IndexLabelKeys",
    "LegacyTableError",
    "Lgr",
    "LgrError",
    "LgrFinding",
    "LgrParseError",
    "LgrResult",
    "Variant",
    "catalogue",
    "load",
    "parse",
    "parse_bytes",
    "parse_file",
    "parse_legacy",
    "parse_legacy_file",
    "to_xml",
    "write_file",
]
