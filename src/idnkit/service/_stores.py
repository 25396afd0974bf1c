"""The registry store a ``--db`` URL names: :func:`idnkit.policy.store_from_url` (docs/registry.md)."""

from __future__ import annotations

from ..policy import RegistryStore, store_from_url


def open_store(url: str) -> RegistryStore:
    """``memory:``, ``sqlite:///path`` or a file path, ``postgresql://…`` (needs the ``postgres`` extra)."""
    return store_from_url(url)
