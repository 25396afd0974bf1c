"""Open a registry store from the URL an operator writes (``--db``, the service's configuration).

====================================  ===================================================
``postgresql://user@host/db``         :class:`PostgresStore` (``postgres://`` too)
``sqlite:///reg.sqlite``              :class:`SQLiteStore` on ``reg.sqlite`` (relative)
``sqlite:////var/lib/reg.sqlite``     :class:`SQLiteStore` on ``/var/lib/reg.sqlite``
``reg.sqlite``, ``/var/lib/r.db``     :class:`SQLiteStore` (a plain path)
``memory:``                           :class:`MemoryStore` (empty; gone when the process ends)
====================================  ===================================================

The ``sqlite:`` form follows SQLAlchemy's: three slashes and a relative path, four for an absolute one.
A PostgreSQL URL may carry ``schema=NAME`` among its query parameters: the PostgreSQL schema
holding the registry's tables (default ``idnkit``); ``statement_timeout=SECONDS`` and
``lock_timeout=SECONDS`` bound each statement and each wait for a row lock (past either, the
transaction is rolled back and run again, then :class:`RegistryBusyError`); the other parameters go
to libpq as they are.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from ..errors import RegistryError
from ._registry import MemoryStore, RegistryStore, SQLiteStore

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")

# Query parameters of a postgresql:// URL that idnkit reads (docs/registry.md): the schema, and the
# seconds a statement may run and a row lock may be waited for.
_PG_URL_OPTIONS = frozenset({"schema", "statement_timeout", "lock_timeout"})


def store_from_url(url: str, **options: Any) -> RegistryStore:
    """The store ``url`` names; ``options`` go to the store's constructor (``timeout``, pool sizes...).

    >>> store_from_url("memory:")                       # doctest: +ELLIPSIS
    <idnkit.policy._registry.MemoryStore object at ...>
    >>> store_from_url("mysql://db/registry")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    idnkit.errors.RegistryError: mysql://...: unknown registry database URL scheme 'mysql' (use postgresql://, ...)
    """
    if url == "memory:":
        if options:
            raise RegistryError(f"memory: takes no options, not {', '.join(sorted(options))}")
        return MemoryStore()
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else None
    if scheme is None or len(scheme) == 1:  # no scheme, or a Windows drive letter (C:\\...)
        return SQLiteStore(url, **options)
    if scheme in ("postgresql", "postgres"):
        from ._pgstore import PostgresStore

        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        ours = {k: v for k, v in query if k in _PG_URL_OPTIONS}  # idnkit's, not libpq's: libpq refuses them
        if "schema" in ours:
            options.setdefault("schema", ours["schema"])
        for key in ("statement_timeout", "lock_timeout"):
            if key in ours:
                try:
                    seconds = float(ours[key])
                except ValueError:
                    seconds = -1.0
                if not 0 < seconds < 86400:
                    raise RegistryError(f"{display_url(url)}: {key}={ours[key]!r} must be seconds (e.g. 0.5)")
                options.setdefault(key, seconds)
        if ours:
            url = urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k not in _PG_URL_OPTIONS])))
        return PostgresStore(url, **options)
    if scheme == "sqlite":
        if not url.startswith("sqlite:///") or len(url) == len("sqlite:///"):
            raise RegistryError(f"{url}: a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
        return SQLiteStore(unquote(url[len("sqlite:///") :]), **options)
    shown = f"{scheme}://..." if url[len(scheme) + 1 :].startswith("//") else url
    raise RegistryError(
        f"{shown}: unknown registry database URL scheme {scheme!r} "
        "(use postgresql://, sqlite:///PATH, memory: or a file path)"
    )


def display_url(url: str) -> str:
    """``url`` as it may be printed or logged: a PostgreSQL URL loses its password."""
    match = _SCHEME.match(url)
    if match and match.group(1).lower() in ("postgresql", "postgres"):
        from ._pgstore import describe

        return describe(url)
    return url


__all__ = ["display_url", "store_from_url"]
