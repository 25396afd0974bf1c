"""The registry store a ``--db`` URL names."""

from __future__ import annotations

from pathlib import Path

from ..errors import RegistryError
from ..policy import MemoryStore, RegistryStore, SQLiteStore


def open_store(url: str) -> RegistryStore:
    """``memory:``, ``sqlite:///path`` or a file path, ``postgresql://…`` (needs the ``postgres`` extra)."""
    if url == "memory:":
        return MemoryStore()
    if url.startswith(("postgresql://", "postgres://")):
        try:
            from ..policy import PostgresStore  # type: ignore[attr-defined]
        except ImportError:
            raise RegistryError("this idnkit has no PostgreSQL store: install idnkit[postgres]") from None
        store: RegistryStore = PostgresStore(url)
        return store
    # sqlite:///reg.sqlite is relative, sqlite:////var/lib/reg.sqlite absolute (SQLAlchemy's convention).
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    return SQLiteStore(Path(path))
