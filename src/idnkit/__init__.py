"""idnkit: validate internationalized domain names against IDNA2008 and a registry's policy.

>>> import idnkit
>>> idnkit.check_domain("bücher.example").ascii
'xn--bcher-kva.example'
>>> idnkit.to_ulabel("xn--bcher-kva")
'bücher'
"""

from __future__ import annotations

from . import collisions, confusables, lgr, uts46
from ._errors import (
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
from ._explain import Explanation, explain
from ._idna2008 import check_domain, check_label
from ._punycode import PunycodeError
from ._results import DomainResult, Finding, LabelResult, Profile, Severity
from ._rules import RULES, Rule
from ._strict import to_alabel, to_ulabel
from ._ucd import UNICODE_VERSION
from ._version import __version__

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
    "check_domain",
    "check_label",
    "collisions",
    "confusables",
    "explain",
    "lgr",
    "to_alabel",
    "to_ulabel",
    "uts46",
]
