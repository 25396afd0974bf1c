"""IDNA2008 (RFC 5890–5893) with RFC 3492 Punycode, and UTS #46 compatibility processing.

One folder for the protocol: label and name checks (``_labels``, RFC 5891 §4/§5), the
contextual rules (``_contextual``, RFC 5892 Appendix A), bidi (``_bidi``, RFC 5893 §2),
Punycode (``_punycode`` with its C accelerator), the derivation trace (``_explain``,
RFC 5892 §3), UTS #46 (``_uts46``, public as :mod:`idnkit.uts46`) and the strict helpers.

>>> from idnkit.idna import check_domain
>>> check_domain("bücher.example").ascii
'xn--bcher-kva.example'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import PunycodeError
from ._labels import check_domain, check_label
from ._results import DomainResult, LabelResult, Profile
from ._strict import to_alabel, to_ulabel

if TYPE_CHECKING:
    from ._explain import Explanation, explain


def __getattr__(name: str) -> Any:
    # The derivation trace loads on first use (PEP 562): checking a name never needs it, and its
    # dataclass and property tables cost start-up time (issue 16).
    if name in ("Explanation", "explain"):
        from . import _explain

        value = getattr(_explain, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DomainResult",
    "Explanation",
    "LabelResult",
    "Profile",
    "PunycodeError",
    "check_domain",
    "check_label",
    "explain",
    "to_alabel",
    "to_ulabel",
]
