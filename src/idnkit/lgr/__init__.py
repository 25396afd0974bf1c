"""RFC 7940 Label Generation Rules: parse, validate and evaluate LGRs; shipped tables by short name.

>>> from idnkit import lgr
>>> latin = lgr.load("rz5/latin")
>>> latin.validate("example").valid
True
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from ._catalogue import CatalogueEntry, catalogue, load
from ._errors import LgrError, LgrParseError
from ._evaluate import Lgr, LgrResult, Variant, finding_dict, finding_kind
from ._keys import IndexLabelKeys
from ._legacy import LegacyTableError, parse_legacy, parse_legacy_file
from ._parser import parse_bytes, parse_file
from ._sets import LgrSet, MergeNote, SetCollision, merge
from ._writer import to_xml, write_file


def parse(path: str | Path, name: str | None = None) -> Lgr:
    """Parse and compile an RFC 7940 XML file."""
    return Lgr(parse_file(path), name)


def __getattr__(name: str) -> Any:
    # LgrFinding was this package's own finding type; a label's findings are idnkit.Finding now (rule
    # rfc7940.label.*, ref the LGR's rule; finding_kind gives the old kind).  The name stays for
    # annotations and isinstance checks; its constructor is Finding's.
    if name == "LgrFinding":
        from ..findings import Finding

        warnings.warn("idnkit.lgr.LgrFinding is idnkit.Finding now", DeprecationWarning, stacklevel=2)
        return Finding
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CatalogueEntry",
    "IndexLabelKeys",
    "LegacyTableError",
    "Lgr",
    "LgrError",
    "LgrParseError",
    "LgrResult",
    "LgrSet",
    "MergeNote",
    "SetCollision",
    "Variant",
    "catalogue",
    "finding_dict",
    "finding_kind",
    "load",
    "merge",
    "parse",
    "parse_bytes",
    "parse_file",
    "parse_legacy",
    "parse_legacy_file",
    "to_xml",
    "write_file",
]
