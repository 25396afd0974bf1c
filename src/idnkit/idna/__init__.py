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

from ..errors import PunycodeError
from ._explain import Explanation, explain
from ._labels import check_domain, check_label
from ._results import DomainResult, LabelResult, Profile
from ._strict import to_alabel, to_ulabel

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
