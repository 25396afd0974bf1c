"""Versioned registry schemas: the ``schema_version`` in a store's ``meta`` table and the steps between versions.

Each store backend (SQLite, PostgreSQL) keeps an ordered list of :class:`Migration`; migration
``n`` turns a version ``n - 1`` database into a version ``n`` one.  Opening a store reads the
version (in the same transaction that migrates), then

- a database without tables gets every migration: it is created at the current version;
- an older database gets the migrations after its version, in order, then the new stamp;
- a newer database is refused (:class:`RegistrySchemaError` naming both versions): code that does not
  know a column must not write rows that lack it;
- after migrating, the tables must have exactly the columns the code expects, so a table that some
  other program created under the same name is refused instead of being written around (issue 21:
  a ``keys`` table of another shape silently stored no conflict keys at all).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import RegistrySchemaError

SCHEMA_KEY = "schema_version"


@dataclass(frozen=True, slots=True)
class Migration:
    """The statements that turn a ``version - 1`` database into a ``version`` one."""

    version: int
    description: str
    statements: tuple[str, ...]


def current_version(migrations: Sequence[Migration]) -> int:
    """The version a database has after every migration (the code's version)."""
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise AssertionError(f"migrations must be numbered 1, 2, ... without gaps, not {versions}")
    return len(versions)


def parse_version(value: str | None, where: str) -> int | None:
    """The stored ``schema_version`` as an int (``None`` when the database has none)."""
    if value is None:
        return None
    try:
        version = int(value)
    except ValueError:
        raise RegistrySchemaError(f"{where}: schema_version {value!r} in the meta table is not a number") from None
    if version < 1:
        raise RegistrySchemaError(f"{where}: schema_version {version} in the meta table is not a valid version")
    return version


def pending(found: int, migrations: Sequence[Migration], where: str) -> list[Migration]:
    """The migrations a version-``found`` database needs; refuses a database newer than the code."""
    supported = current_version(migrations)
    if found > supported:
        raise RegistrySchemaError(
            f"{where}: the registry database has schema version {found}, newer than version {supported} "
            f"that this idnkit supports: upgrade idnkit to use it (it was written by a newer release)",
            found=found,
            supported=supported,
        )
    return [m for m in migrations if m.version > found]


def check_shape(actual: Mapping[str, Sequence[str]], expected: Mapping[str, Sequence[str]], where: str) -> None:
    """Every expected table exists with exactly the expected columns (in any order)."""
    problems = []
    for table, columns in expected.items():
        have = actual.get(table)
        if have is None:
            problems.append(f"table {table} is missing")
            continue
        missing = [c for c in columns if c not in have]
        extra = [c for c in have if c not in columns]
        if missing or extra:
            parts = [f"lacks column(s) {', '.join(missing)}"] if missing else []
            parts += [f"has unknown column(s) {', '.join(extra)}"] if extra else []
            problems.append(f"table {table} {' and '.join(parts)}")
    if problems:
        raise RegistrySchemaError(f"{where}: not a registry database of the expected shape: {'; '.join(problems)}")


__all__ = ["SCHEMA_KEY", "Migration", "check_shape", "current_version", "parse_version", "pending"]
