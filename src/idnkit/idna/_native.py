"""The native core (``_speedups.c``) where it is built with tables of this Unicode version.

``check_label``, ``check_domain`` and ``uts46.to_ascii`` ask it first: it returns the whole result
of an ordinary valid label or name, or None, and the Python code (the reference) decides the
rest and words every finding; ``confusables.skeleton`` asks it for every skeleton.  :func:`use`
switches it off and on, so that the differential tests (tests/test_native.py) run both paths in
one process; without a C compiler nothing here is
available and the Python paths do everything (same results, slower).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..unicode import UNICODE_VERSION

try:  # the optional C accelerator (setup.py)
    from ._speedups import UNICODE_VERSION as _TABLES_VERSION
    from ._speedups import alabel as _alabel
    from ._speedups import bidi_classes as _bidi_classes
    from ._speedups import check_domain as _check_domain
    from ._speedups import check_label as _check_label
    from ._speedups import configure as _configure
    from ._speedups import domain_ok as _domain_ok
    from ._speedups import flagged as _flagged
    from ._speedups import map_string as _map_string
    from ._speedups import skeleton as _skeleton
    from ._speedups import uts46_ascii as _uts46_ascii
    from ._speedups import uts46_flagged as _uts46_flagged
    from ._speedups import uts46_label as _uts46_label
    from ._speedups import uts46_to_ascii as _uts46_to_ascii
except ImportError:  # pragma: no cover - depends on the build (or a stale build without the label check)
    _TABLES_VERSION = None  # type: ignore[assignment]

BUILT: bool = _TABLES_VERSION == UNICODE_VERSION  # a stale build's tables are never used

# None while switched off (or not built); the callers test for None on every call.
uts46_to_ascii: Callable[[str], str | None] | None = None
# The Uts46Result of a name with no finding under the default options (built in C), or None.
uts46_ascii: Callable[[str], Any] | None = None
# Whether a label meets every UTS #46 §4.1 criterion under the default options (False: unsure).
uts46_label: Callable[[str, bool], bool] | None = None
# The positions of a label UTS #46 §4.1's code point criteria concern; and every Bidi class.
uts46_flagged: Callable[[str, bool], list[int]] | None = None
bidi_classes: Callable[[str], list[str]] | None = None
# UTS #46 §4 steps 1-2 (mapping, then NFC) of text up to _uts46.MAX_INPUT code points.
map_string: Callable[[str, bool], str] | None = None
# UTS #39 §4 skeleton of any str (idnkit.confusables.skeleton asks it first).  On from import,
# since the confusables layer may run before anything switches the label check on.
skeleton: Callable[[str], str] | None = _skeleton if BUILT else None


def use(native: bool, configure: Callable[[Callable[..., Any]], None] | None = None) -> dict[str, Any] | None:
    """Switch the native core on (when built) or off; returns its entry points, or None when off.

    ``configure`` is called with the C module's ``configure`` before anything is handed out (the
    label check needs the result types and two callbacks from idnkit.idna._labels, UTS #46 its
    result type and default options).
    """
    global uts46_to_ascii, uts46_ascii, uts46_label, uts46_flagged, bidi_classes, map_string, skeleton
    if not (native and BUILT):
        uts46_to_ascii = uts46_ascii = uts46_label = uts46_flagged = bidi_classes = map_string = skeleton = None
        return None
    if configure is not None:
        configure(_configure)
    uts46_to_ascii = _uts46_to_ascii
    uts46_ascii = _uts46_ascii
    uts46_label = _uts46_label
    uts46_flagged = _uts46_flagged
    bidi_classes = _bidi_classes
    map_string = _map_string
    skeleton = _skeleton
    return {
        "alabel": _alabel,
        "bidi_classes": _bidi_classes,
        "check_domain": _check_domain,
        "check_label": _check_label,
        "domain_ok": _domain_ok,
        "flagged": _flagged,
    }
