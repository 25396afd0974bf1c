"""UTS #46 Unicode IDNA Compatibility Processing: the public face of :mod:`idnkit.idna._uts46`.

UTS #46 lives beside IDNA2008 in :mod:`idnkit.idna` because each uses the other (the mapping
suggests a fix for an invalid IDNA2008 label; UTS #46 §4.1 validity reuses the RFC 5892 and
RFC 5893 checks); this module keeps the documented import path ``idnkit.uts46``.

>>> from idnkit import uts46
>>> uts46.to_ascii("Bücher.Example").result
'xn--bcher-kva.example'
>>> uts46.to_ascii("-x.example", check_hyphens=False).result
'-x.example'
"""

from __future__ import annotations

from .idna._uts46 import (
    MAX_INPUT,
    OPTION_NAMES,
    UTS46_STATUS_CODES,
    Uts46Options,
    Uts46Result,
    map_string,
    process,
    to_ascii,
    to_unicode,
)

__all__ = [
    "MAX_INPUT",
    "OPTION_NAMES",
    "UTS46_STATUS_CODES",
    "Uts46Options",
    "Uts46Result",
    "map_string",
    "process",
    "to_ascii",
    "to_unicode",
]
