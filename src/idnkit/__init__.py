"""idnkit: validate internationalized domain names against IDNA2008 and a registry's policy.

>>> import idnkit
>>> idnkit.check_domain("bücher.example").ascii
'xn--bcher-kva.example'
>>> idnkit.to_ulabel("xn--bcher-kva")
'bücher'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import uts46
from ._version import __version__
from .errors import (
    ALabelError,
    BidiError,
    CodepointError,
    ContextError,
    HyphenError,
    IdnaError,
    IdnkitError,
    InputError,
    LengthError,
)
from .findings import Finding, Severity
from .idna import (
    DomainResult,
    LabelResult,
    Profile,
    PunycodeError,
    check_domain,
    check_label,
    to_alabel,
    to_ulabel,
)
from .rules import RULES, Rule
from .unicode import UNICODE_VERSION

if TYPE_CHECKING:
    from . import audit, collisions, confusables, epp, lgr, policy, profiles, zone
    from .idna import Explanation, explain

# Subpackages that checking a name never needs load on first use: ``import idnkit`` stays cheap
# (the CLI's start-up is mostly this import), and ``idnkit.lgr`` etc. still work as attributes.
_LAZY = frozenset({"audit", "collisions", "confusables", "epp", "lgr", "policy", "profiles", "zone"})


def __getattr__(name: str) -> Any:
    if name in ("Explanation", "explain"):  # the derivation trace, also on first use (idnkit.idna)
        from . import idna

        value = getattr(idna, name)
        globals()[name] = value
        return value
    if name in _LAZY:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RULES",
    "UNICODE_VERSION",
    "ALabelError",
    "BidiError",
    "CodepointError",
    "ContextError",
    "DomainResult",
    "Explanation",
    "Finding",
    "HyphenError",
    "IdnaError",
    "IdnkitError",
    "InputError",
    "LabelResult",
    "LengthError",
    "Profile",
    "PunycodeError",
    "Rule",
    "Severity",
    "__version__",
    "audit",
    "check_domain",
    "check_label",
    "collisions",
    "confusables",
    "epp",
    "explain",
    "lgr",
    "policy",
    "profiles",
    "to_alabel",
    "to_ulabel",
    "uts46",
    "zone",
]
