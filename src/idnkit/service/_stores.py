"""The registry store a ``--db`` URL names: :func:`idnkit.policy.store_from_url` (docs/registry.md)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from ..policy import RegistryStore, store_from_url


def open_store(url: str, statement_seconds: float | None = None) -> RegistryStore:
    """``memory:``, ``sqlite:///path`` or a file path, ``postgresql://…`` (needs the ``postgres`` extra).

    A PostgreSQL store's statements are bounded by ``statement_seconds`` unless the URL gives its own
    ``statement_timeout``: work the service abandoned at its time limit (504) must not hold a
    transaction and its row locks open after the answer.
    """
    postgres = url.lower().startswith(("postgresql:", "postgres:"))
    if postgres and statement_seconds is not None and "statement_timeout" not in dict(parse_qsl(urlsplit(url).query)):
        return store_from_url(url, statement_timeout=statement_seconds)
    return store_from_url(url)
