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
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..errors import EngineUnavailableError
    from ._engines import Engines, TableReason, TableVerdict, VariantLabel
    from ._errors import (
        LintIssue,
        PolicyError,
        RegistryBusyError,
        RegistryError,
        RegistryRetryError,
        RegistrySchemaError,
        RegistryStorageError,
        RegistryUnavailableError,
    )
    from ._pgstore import PG_SCHEMA_VERSION, PostgresStore
    from ._policy import GRAPHEME_UNICODE_VERSION, Policy, PolicyResult, Variant, finding_dict
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
    from ._schema import PolicyData, Selection, Status, VariantAction
    from ._selector import NO_POLICY, PolicySelector
    from ._shipped import ShippedPolicy, catalogue, find, lint, load, loads, shipped
    from ._stores import display_url, store_from_url

# Every name loads its module on first use (PEP 562): finding that no shipped policy applies to a
# name (``idncheck bücher.example`` does, by TLD) reads the catalogue only, not the policy model,
# its loader, the registry or its stores (issue 16, start-up).
_WHERE = {
    "..errors": ("EngineUnavailableError",),
    "._engines": ("Engines", "TableReason", "TableVerdict", "VariantLabel"),
    "._errors": (
        "LintIssue",
        "PolicyError",
        "RegistryBusyError",
        "RegistryError",
        "RegistryRetryError",
        "RegistrySchemaError",
        "RegistryStorageError",
        "RegistryUnavailableError",
    ),
    "._pgstore": ("PG_SCHEMA_VERSION", "PostgresStore"),
    "._policy": ("GRAPHEME_UNICODE_VERSION", "Policy", "PolicyResult", "Variant", "finding_dict"),
    "._registry": (
        "SQLITE_SCHEMA_VERSION",
        "Conflict",
        "MemoryStore",
        "NameRecord",
        "RegistrationCheck",
        "Registry",
        "RegistryStore",
        "RegistryTxn",
        "Reservation",
        "ReviewRecord",
        "SQLiteStore",
    ),
    "._schema": ("PolicyData", "Selection", "Status", "VariantAction"),
    "._selector": ("NO_POLICY", "PolicySelector"),
    "._shipped": ("ShippedPolicy", "catalogue", "find", "lint", "load", "loads", "shipped"),
    "._stores": ("display_url", "store_from_url"),
}
_LAZY = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str) -> Any:
    if name == "PolicyFinding":  # deprecated, not cached: a policy's findings are idnkit.Finding (JSON: finding_dict)
        warnings.warn("idnkit.policy.PolicyFinding is idnkit.Finding now", DeprecationWarning, stacklevel=2)
        from ..findings import Finding

        return Finding
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
    "PolicyResult",
    "PolicySelector",
    "PostgresStore",
    "RegistrationCheck",
    "Registry",
    "RegistryBusyError",
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
    "finding_dict",
    "lint",
    "load",
    "loads",
    "shipped",
    "store_from_url",
]
