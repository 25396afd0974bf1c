"""The shipped LGRs (script_tables/lgr/catalogue.tsv) and ``load`` by short name or path."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._resources import resource
from ._cache import gc_paused, load_cached
from ._errors import LgrError
from ._evaluate import Lgr
from ._parser import read_document


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
def _load_shipped(name: str, cache: bool) -> Lgr:
    entry = _entries()[name]
    data = resource("script_tables", "lgr", *entry.file.split("/")).read_bytes()
    with gc_paused():
        return load_cached(data, f"script_tables/lgr/{entry.file}", name, cache)


def load(name_or_path: str | Path, *, cache: bool = True) -> Lgr:
    """A shipped LGR by short name (``rz5/latin``, ``ref/de``, ``msr4``, ``se/latin``) or an XML file path.

    Shipped tables are compiled once per process.  Across processes the compiled table is kept in an
    on-disk cache keyed by the table's bytes (docs/lgr.md, "Load time and the cache"); ``cache=False``
    or ``IDNKIT_NO_CACHE=1`` parses the XML and leaves the cache alone.
    """
    key = str(name_or_path)
    if key in _entries():
        return _load_shipped(key, cache)
    path = Path(key)
    if path.suffix.lower() == ".xml" or path.exists():
        data = read_document(path)
        with gc_paused():
            return load_cached(data, str(path), path.stem, cache)
    raise LgrError(f"unknown LGR {key!r}: not a shipped table (see `idncheck lgr list`) nor an XML file")
