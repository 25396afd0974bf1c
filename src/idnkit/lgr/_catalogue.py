"""The shipped LGRs (script_tables/lgr/catalogue.tsv) and ``load`` by short name or path."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._resources import resource
from ._errors import LgrError
from ._evaluate import Lgr
from ._parser import parse_bytes


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One shipped LGR: short name (``rz5/latin``), language/script tag, source, date, Unicode version."""

    name: str
    tag: str
    source: str
    date: str
    unicode_version: str
    file: str
    known_defects: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "tag": self.tag,
            "source": self.source,
            "date": self.date,
            "unicode_version": self.unicode_version,
            "file": self.file,
            "known_defects": self.known_defects,
        }


@functools.cache
def _entries() -> dict[str, CatalogueEntry]:
    text = resource("script_tables", "lgr", "catalogue.tsv").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines()[2:]:
        fields = line.split("\t")
        out[fields[0]] = CatalogueEntry(*fields)
    return out


def catalogue() -> list[CatalogueEntry]:
    """Every shipped LGR, sorted by short name."""
    return list(_entries().values())


@functools.cache
def _load_shipped(name: str) -> Lgr:
    entry = _entries()[name]
    data = resource("script_tables", "lgr", *entry.file.split("/")).read_bytes()
    return Lgr(parse_bytes(data, f"script_tables/lgr/{entry.file}"), name)


def load(name_or_path: str | Path) -> Lgr:
    """A shipped LGR by short name (``rz5/latin``, ``ref/de``, ``msr4``, ``se/latin``) or an XML file path.

    Shipped tables are parsed once per process and cached.
    """
    key = str(name_or_path)
    if key in _entries():
        return _load_shipped(key)
    path = Path(key)
    if path.suffix.lower() == ".xml" or path.exists():
        from ._parser import parse_file

        return Lgr(parse_file(path), path.stem)
    raise LgrError(f"unknown LGR {key!r}: not a shipped table (see `idncheck lgr list`) nor an XML file")
