"""Registry policies: a ccTLD's script rules as a reviewed, versioned file that idnkit enforces.

A policy file (``policies/<tld A-label>.toml``, format in ``docs/policy-format.md``) names the
LGR tables, scripts, digits, lengths, reserved names, variant handling and confusable rules of a
registry.  :func:`load` reads one (a shipped policy by TLD, or a file), :func:`lint` lists every
problem of a file with its line, and :meth:`Policy.check` judges a label by all of it.

>>> from idnkit import policy
>>> se = policy.load("se")
>>> se.status.value, se.check("räksmörgås").ok, se.check("straße").tables
('official', True, ())
>>> [f.rule for f in se.check("straße").errors][:1]
['policy.table.none']
>>> policy.find("пример.рф") is None       # example policies are never chosen by TLD
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..errors import EngineUnavailableError
from ._engines import Engines, TableReason, TableVerdict, VariantLabel
from ._errors import (
    LintIssue,
    PolicyError,
    RegistryError,
    RegistryRetryError,
    RegistrySchemaError,
    RegistryStorageError,
    RegistryUnavailableError,
)
from ._policy import GRAPHEME_UNICODE_VERSION, Policy, PolicyFinding, PolicyResult, Variant
from ._schema import PolicyData, Selection, Status, VariantAction
from ._selector import NO_POLICY, PolicySelector
from ._shipped import ShippedPolicy, catalogue, find, lint, load, loads, shipped

if TYPE_CHECKING:
    from ._pgstore import PG_SCHEMA_VERSION, PostgresStore
    from ._registry import (
        SQLITE_SCHEMA_VERSION,
        Conflict,
        MemoryStore,
        NameRecord,
        RegistrationCheck,
        Registry,
        RegistryStore,
        RegistryTxn,
        Reservation,
        ReviewRecord,
        SQLiteStore,
    )
    from ._stores import display_url, store_from_url

# The registry and its stores (SQLite, PostgreSQL) load on first use: checking a name against a
# policy (``idncheck NAME`` does, by TLD) needs neither.
_LAZY = {
    "PG_SCHEMA_VERSION": "._pgstore",
    "PostgresStore": "._pgstore",
    "display_url": "._stores",
    "store_from_url": "._stores",
    "SQLITE_SCHEMA_VERSION": "._registry",
    "Conflict": "._registry",
    "MemoryStore": "._registry",
    "NameRecord": "._registry",
    "RegistrationCheck": "._registry",
    "Registry": "._registry",
    "RegistryStore": "._registry",
    "RegistryTxn": "._registry",
    "Reservation": "._registry",
    "ReviewRecord": "._registry",
    "SQLiteStore": "._registry",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "GRAPHEME_UNICODE_VERSION",
    "NO_POLICY",
    "PG_SCHEMA_VERSION",
    "SQLITE_SCHEMA_VERSION",
    "Conflict",
    "EngineUnavailableError",
    "Engines",
    "LintIssue",
    "MemoryStore",
    "NameRecord",
    "Policy",
    "PolicyData",
    "PolicyError",
    "PolicyFinding",
    "PolicyResult",
    "PolicySelector",
    "PostgresStore",
    "RegistrationCheck",
    "Registry",
    "RegistryError",
    "RegistryRetryError",
    "RegistrySchemaError",
    "RegistryStorageError",
    "RegistryStore",
    "RegistryTxn",
    "RegistryUnavailableError",
    "Reservation",
    "ReviewRecord",
    "SQLiteStore",
    "Selection",
    "ShippedPolicy",
    "Status",
    "TableReason",
    "TableVerdict",
    "Variant",
    "VariantAction",
    "VariantLabel",
    "catalogue",
    "display_url",
    "find",
    "lint",
    "load",
    "loads",
    "shipped",
    "store_from_url",
]
