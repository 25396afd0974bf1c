"""Code point properties from the generated tables, pinned to one Unicode version.

NFC must come from the same Unicode version as the tables.  The interpreter's ``unicodedata``
is older (14.0 on Python 3.11), so normalization goes through ``unicodedata2``; importing
idnkit with a mismatched ``unicodedata2`` is refused rather than giving wrong verdicts.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

import unicodedata2

from ._data import UNICODE_VERSION as _DATA_VERSION
from ._ranges import RangeMap, char_class, ranges_where

UNICODE_VERSION: str = _DATA_VERSION

if unicodedata2.unidata_version != UNICODE_VERSION:  # pragma: no cover - depends on the environment
    raise ImportError(
        f"idnkit's tables are Unicode {UNICODE_VERSION} but unicodedata2 is "
        f"{unicodedata2.unidata_version}; install unicodedata2=={UNICODE_VERSION.rsplit('.', 1)[0]}.*"
    )


def _table_module(name: str) -> ModuleType:
    """A generated table module, imported on first use and held to the package's Unicode version."""
    module = importlib.import_module(f"._data.{name}", __name__)
    if module.UNICODE_VERSION != UNICODE_VERSION:  # pragma: no cover - a broken checkout
        raise ImportError(
            f"idnkit's generated table {module.__name__} is Unicode {module.UNICODE_VERSION}, "
            f"the others {UNICODE_VERSION}: rerun tools/gen_tables.py"
        )
    return module


def _table(module: str, name: str) -> RangeMap[Any]:
    # Every table loads on first lookup: the native core answers an ordinary name without any of
    # them, so ``import idnkit`` (and ``idncheck NAME``) reads none (issue 16).
    def load() -> tuple[Sequence[int], Sequence[Any]]:
        data = _table_module(module)
        return getattr(data, f"{name}_STARTS"), getattr(data, f"{name}_VALUES")

    return RangeMap.lazy(load)


DERIVED_PROPERTY: RangeMap[str] = _table("idna2008", "DERIVED")
DERIVATION: RangeMap[str] = _table("idna2008", "REASON")
GENERAL_CATEGORY: RangeMap[str] = _table("general_category", "GENERAL_CATEGORY")
BIDI_CLASS: RangeMap[str] = _table("bidi_class", "BIDI_CLASS")
JOINING_TYPE: RangeMap[str] = _table("joining_type", "JOINING_TYPE")
COMBINING_CLASS: RangeMap[int] = _table("combining_class", "COMBINING_CLASS")
SCRIPT: RangeMap[str] = _table("scripts", "SCRIPT")
_SCRIPT_EXTENSIONS: RangeMap[tuple[str, ...] | None] = _table("scripts", "SCRIPT_EXTENSIONS")
UTS46_STATUS: RangeMap[str] = _table("uts46", "UTS46_STATUS")
UTS46_MAPPING: RangeMap[str | None] = _table("uts46", "UTS46_MAPPING")
UTS46_IDNA2008: RangeMap[str] = _table("uts46", "UTS46_IDNA2008")

VIRAMA = 9  # Canonical_Combining_Class value named in RFC 5892 Appendix A.1/A.2
RTL_CLASSES = frozenset({"R", "AL", "AN"})  # RFC 5893 §1.4: what makes a label RTL


def script_name(code: str) -> str:
    """The long name of an ISO 15924 script code (``Cyrl`` -> ``Cyrillic``), for messages."""
    names: dict[str, str] = _table_module("scripts").SCRIPT_NAMES
    return names.get(code, code)


def script_extensions(cp: int) -> tuple[str, ...]:
    """Script_Extensions as ISO 15924 codes (the Script value where no extension is listed)."""
    return _SCRIPT_EXTENSIONS[cp] or (SCRIPT[cp],)


def is_nfc(text: str) -> bool:
    # unicodedata2 has no is_normalized; normalize() quick-checks and returns NFC input unchanged.
    return nfc(text) == text


def nfc(text: str) -> str:
    result: str = unicodedata2.normalize("NFC", text)
    return result


def char_name(cp: int) -> str:
    name: str = unicodedata2.name(chr(cp), "")
    if name:
        return name
    gc = GENERAL_CATEGORY[cp]
    kind = {"Cc": "control", "Cs": "surrogate", "Co": "private-use", "Cn": "unassigned"}.get(gc, gc)
    return f"<{kind}-{cp:04X}>"


def describe(cp: int) -> str:
    """``U+00DF LATIN SMALL LETTER SHARP S`` — how every message names a code point."""
    return f"U+{cp:04X} {char_name(cp)}"


def _compile_class(ranges: list[tuple[int, int]], repeat: str = "+") -> re.Pattern[str]:
    return re.compile(f"[{char_class(ranges)}]{repeat}")


# Whole-label pre-checks used by the pure-Python fast path: one C-level regex match decides that
# no code point of a label needs individual attention.  The per-code-point path stays the source
# of truth, and a property test holds the two to the same verdicts.  Building them takes most of
# this module's import time and the native core (idnkit.idna._native) needs none of them, so
# they are built on first use: ``idnkit.unicode.PVALID_LTR_RUN`` etc. still read as constants.


def _pvalid_with_bidi(classes: frozenset[str]) -> str:
    """Character class body: PVALID code points whose Bidi class is in ``classes``."""
    return char_class(
        ranges_where(
            lambda cp: DERIVED_PROPERTY[cp] == "PVALID" and BIDI_CLASS[cp] in classes, DERIVED_PROPERTY, BIDI_CLASS
        )
    )


def _build_pvalid_ltr_run() -> re.Pattern[str]:
    return re.compile(f"[{_pvalid_with_bidi(frozenset(BIDI_CLASS.values) - RTL_CLASSES)}]+")


def _build_bidi_rtl_label() -> re.Pattern[str]:
    # RFC 5893 §2 as patterns over PVALID code points: rule 1 (first character), rules 2 and 5
    # (allowed classes), rules 3 and 6 (last character before trailing NSMs).  Rule 4 is checked apart.
    return re.compile(
        f"[{_pvalid_with_bidi(frozenset({'R', 'AL'}))}]"
        f"(?:[{_pvalid_with_bidi(frozenset({'R', 'AL', 'AN', 'EN', 'ES', 'CS', 'ET', 'ON', 'BN', 'NSM'}))}]*"
        f"[{_pvalid_with_bidi(frozenset({'R', 'AL', 'EN', 'AN'}))}])?[{_pvalid_with_bidi(frozenset({'NSM'}))}]*"
    )


def _build_bidi_ltr_label() -> re.Pattern[str]:
    return re.compile(
        f"[{_pvalid_with_bidi(frozenset({'L'}))}]"
        f"(?:[{_pvalid_with_bidi(frozenset({'L', 'EN', 'ES', 'CS', 'ET', 'ON', 'BN', 'NSM'}))}]*"
        f"[{_pvalid_with_bidi(frozenset({'L', 'EN'}))}])?[{_pvalid_with_bidi(frozenset({'NSM'}))}]*"
    )


def _bidi_char(classes: frozenset[str]) -> re.Pattern[str]:
    return re.compile(f"[{char_class(BIDI_CLASS.ranges(lambda b: b in classes))}]")


def _build_combining_marks() -> frozenset[int]:
    # A set, not a regex: re scans non-BMP ranges of a class one by one, a set lookup is constant.
    return frozenset(
        cp for first, last in GENERAL_CATEGORY.ranges(lambda gc: gc[0] == "M") for cp in range(first, last + 1)
    )


_LAZY: dict[str, Callable[[], object]] = {
    "PVALID_LTR_RUN": _build_pvalid_ltr_run,
    "BIDI_RTL_LABEL": _build_bidi_rtl_label,
    "BIDI_LTR_LABEL": _build_bidi_ltr_label,
    "BIDI_EN": lambda: _bidi_char(frozenset({"EN"})),
    "BIDI_AN": lambda: _bidi_char(frozenset({"AN"})),
    "RTL_CHAR": lambda: _bidi_char(RTL_CLASSES),  # RFC 5893 §1.4
    "COMBINING_MARKS": _build_combining_marks,
}

if TYPE_CHECKING:
    PVALID_LTR_RUN: re.Pattern[str]
    BIDI_RTL_LABEL: re.Pattern[str]
    BIDI_LTR_LABEL: re.Pattern[str]
    BIDI_EN: re.Pattern[str]
    BIDI_AN: re.Pattern[str]
    RTL_CHAR: re.Pattern[str]
    COMBINING_MARKS: frozenset[int]


def __getattr__(name: str) -> object:
    # PEP 562: built once, then an ordinary module global (this hook is not called again).
    build = _LAZY.get(name)
    if build is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = build()
    return value


def lazy(name: str) -> Any:
    """One of the tables above by name, built on first use (for code inside idnkit, which must
    not build them at import: ``from idnkit.unicode import RTL_CHAR`` would)."""
    return globals().get(name) or __getattr__(name)
