#!/usr/bin/env python3
"""Generate idnkit's Unicode tables from the UCD and UTS #46 files.

    python tools/gen_tables.py                 # regenerate src/idnkit/unicode/_data/ from tools/data/unicode/17.0.0
                                               # and the C accelerator's table src/idnkit/idna/_tables.h
    python tools/gen_tables.py --check         # fail if the checked-in tables differ from a fresh run
    python tools/gen_tables.py --ucd DIR --out OUTDIR   # any other Unicode version (e.g. 18.0.0)

DIR holds ``ucd/`` (UnicodeData.txt, extracted/…) and ``idna/`` (IdnaMappingTable.txt), laid out as
the Unicode release folders are.  Every table is a *range map*: a sorted tuple of range starts that
covers 0..10FFFF and a parallel tuple of values, looked up with ``bisect``.

The RFC 5892 derived property is computed here from first principles (RFC 5892 §2 categories A–J
applied in the §3 order); nothing is copied from another package's tables.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_UCD = ROOT / "tools" / "data" / "unicode" / "17.0.0"
DEFAULT_OUT = ROOT / "src" / "idnkit" / "unicode" / "_data"
DEFAULT_C_OUT = ROOT / "src" / "idnkit" / "idna"  # the accelerator's table, beside _speedups.c
DEFAULT_UTS39 = ROOT / "tools" / "data" / "uts39"  # UTS #39 data by version, for the native skeleton
MAX_CP = 0x10FFFF

# ---------------------------------------------------------------------------------------------
# Reading UCD files


def _data_lines(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    """Yield (first, last, fields) for every data line; fields exclude the code point column."""
    with path.open(encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            first, last = _parse_range(fields[0])
            yield first, last, fields[1:]


def _missing_lines(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    """Yield the ``# @missing:`` default-value lines, in file order (later ones refine earlier)."""
    with path.open(encoding="utf-8") as f:
        for raw in f:
            if raw.startswith("# @missing:"):
                fields = [x.strip() for x in raw[len("# @missing:") :].split(";")]
                first, last = _parse_range(fields[0])
                yield first, last, fields[1:]


def _parse_range(text: str) -> tuple[int, int]:
    if ".." in text:
        a, b = text.split("..")
        return int(a, 16), int(b, 16)
    return int(text, 16), int(text, 16)


class PropertyAliases:
    """Short names for property values (PropertyValueAliases.txt), e.g. bc Left_To_Right -> L."""

    def __init__(self, ucd: Path) -> None:
        self._short: dict[tuple[str, str], str] = {}
        self._long: dict[tuple[str, str], str] = {}
        for _, _, fields in _alias_lines(ucd / "PropertyValueAliases.txt"):
            prop, short, *others = fields
            for alias in (short, *others):
                self._short[(prop, alias)] = short
            if others:
                self._long[(prop, short)] = others[0]

    def short(self, prop: str, value: str) -> str:
        return self._short.get((prop, value), value)

    def long(self, prop: str, short: str) -> str:
        """The long name of a value (``sc``, ``Latn`` -> ``Latin``), underscores as spaces."""
        return self._long.get((prop, short), short).replace("_", " ")


def _alias_lines(path: Path) -> Iterator[tuple[int, int, list[str]]]:
    with path.open(encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if line:
                yield 0, 0, [x.strip() for x in line.split(";")]


def read_enumerated(path: Path, prop: str, aliases: PropertyAliases) -> list[str]:
    """A full code point -> short value array for an enumerated property file with @missing lines."""
    values = ["" for _ in range(MAX_CP + 1)]
    for first, last, fields in _missing_lines(path):
        fields = [f for f in fields if f != prop]  # multi-property files name the property first
        v = aliases.short(prop, fields[0])
        values[first : last + 1] = [v] * (last - first + 1)
    for first, last, fields in _data_lines(path):
        v = aliases.short(prop, fields[0])
        values[first : last + 1] = [v] * (last - first + 1)
    return values


def read_binary(path: Path, prop: str) -> set[int]:
    out: set[int] = set()
    for first, last, fields in _data_lines(path):
        if fields and fields[0] == prop:
            out.update(range(first, last + 1))
    return out


class UnicodeDataFile:
    """Decompositions and canonical combining classes from UnicodeData.txt."""

    def __init__(self, path: Path) -> None:
        self.decomposition: dict[int, tuple[bool, tuple[int, ...]]] = {}  # cp -> (is_compat, cps)
        self.ccc: dict[int, int] = {}
        with path.open(encoding="utf-8") as f:
            for raw in f:
                fields = raw.rstrip("\n").split(";")
                cp = int(fields[0], 16)
                if fields[3] != "0":
                    self.ccc[cp] = int(fields[3])
                if fields[5]:
                    parts = fields[5].split()
                    compat = parts[0].startswith("<")
                    if compat:
                        parts = parts[1:]
                    self.decomposition[cp] = (compat, tuple(int(p, 16) for p in parts))


# ---------------------------------------------------------------------------------------------
# A small, self-contained normalizer: the generator must not depend on the interpreter's (or
# unicodedata2's) Unicode version, because it also runs on the next version's files.

_S_BASE, _L_BASE, _V_BASE, _T_BASE = 0xAC00, 0x1100, 0x1161, 0x11A7
_L_COUNT, _V_COUNT, _T_COUNT = 19, 21, 28
_N_COUNT = _V_COUNT * _T_COUNT
_S_COUNT = _L_COUNT * _N_COUNT


class Normalizer:
    def __init__(self, data: UnicodeDataFile, exclusions: set[int]) -> None:
        self.data = data
        self.compose_pairs: dict[tuple[int, int], int] = {}
        for cp, (compat, parts) in data.decomposition.items():
            if not compat and len(parts) == 2 and cp not in exclusions:
                self.compose_pairs[parts] = cp

    def _decompose(self, cp: int, compat: bool, out: list[int]) -> None:
        if _S_BASE <= cp < _S_BASE + _S_COUNT:
            s = cp - _S_BASE
            out.append(_L_BASE + s // _N_COUNT)
            out.append(_V_BASE + (s % _N_COUNT) // _T_COUNT)
            if s % _T_COUNT:
                out.append(_T_BASE + s % _T_COUNT)
            return
        dec = self.data.decomposition.get(cp)
        if dec is None or (dec[0] and not compat):
            out.append(cp)
            return
        for part in dec[1]:
            self._decompose(part, compat, out)

    def _reorder(self, cps: list[int]) -> list[int]:
        ccc = self.data.ccc
        out = list(cps)
        i = 0
        while i < len(out):
            if ccc.get(out[i], 0) == 0:
                i += 1
                continue
            j = i
            while j < len(out) and ccc.get(out[j], 0) != 0:
                j += 1
            out[i:j] = sorted(out[i:j], key=lambda c: ccc.get(c, 0))
            i = j
        return out

    def _pair(self, a: int, b: int) -> int | None:
        if _L_BASE <= a < _L_BASE + _L_COUNT and _V_BASE <= b < _V_BASE + _V_COUNT:
            return _S_BASE + ((a - _L_BASE) * _V_COUNT + (b - _V_BASE)) * _T_COUNT
        if _S_BASE <= a < _S_BASE + _S_COUNT and (a - _S_BASE) % _T_COUNT == 0 and _T_BASE < b < _T_BASE + _T_COUNT:
            return a + (b - _T_BASE)
        return self.compose_pairs.get((a, b))

    def _compose(self, cps: list[int]) -> list[int]:
        # UAX #15 canonical composition; last_class 0 means "adjacent to the starter".
        if not cps:
            return cps
        ccc = self.data.ccc
        out = [cps[0]]
        starter = 0
        last_class = ccc.get(cps[0], 0)
        if last_class:
            last_class = 256  # no starter yet: nothing may compose with a leading mark
        for cp in cps[1:]:
            c = ccc.get(cp, 0)
            composite = self._pair(out[starter], cp)
            if composite is not None and (last_class < c or last_class == 0):
                out[starter] = composite
                continue
            if c == 0:
                starter = len(out)
            last_class = c
            out.append(cp)
        return out

    def nfkc(self, cps: Iterable[int]) -> list[int]:
        dec: list[int] = []
        for cp in cps:
            self._decompose(cp, True, dec)
        return self._compose(self._reorder(dec))

    def nfd(self, cps: Iterable[int]) -> list[int]:
        dec: list[int] = []
        for cp in cps:
            self._decompose(cp, False, dec)
        return self._reorder(dec)

    def nfc(self, cps: Iterable[int]) -> list[int]:
        return self._compose(self.nfd(cps))


def read_casefold(path: Path) -> dict[int, tuple[int, ...]]:
    """Full case folding (statuses C and F), as toCaseFold() in RFC 5892 §2.2 requires."""
    out: dict[int, tuple[int, ...]] = {}
    for first, _, fields in _data_lines(path):
        if fields[0] in ("C", "F"):
            out[first] = tuple(int(p, 16) for p in fields[1].split())
    return out


# ---------------------------------------------------------------------------------------------
# RFC 5892 derived property

# RFC 5892 §2.6 Exceptions (F), fixed by the RFC: code point -> derived value.
EXCEPTIONS: dict[int, str] = {
    0x00DF: "PVALID",
    0x03C2: "PVALID",
    0x06FD: "PVALID",
    0x06FE: "PVALID",
    0x0F0B: "PVALID",
    0x3007: "PVALID",
    0x00B7: "CONTEXTO",
    0x0375: "CONTEXTO",
    0x05F3: "CONTEXTO",
    0x05F4: "CONTEXTO",
    0x30FB: "CONTEXTO",
    **dict.fromkeys(range(0x0660, 0x066A), "CONTEXTO"),
    **dict.fromkeys(range(0x06F0, 0x06FA), "CONTEXTO"),
    0x0640: "DISALLOWED",
    0x07FA: "DISALLOWED",
    0x302E: "DISALLOWED",
    0x302F: "DISALLOWED",
    **dict.fromkeys(range(0x3031, 0x3036), "DISALLOWED"),
    0x303B: "DISALLOWED",
}

# RFC 5892 §2.7 BackwardCompatible (G): empty as published; kept so the §3 order reads in full.
BACKWARD_COMPATIBLE: dict[int, str] = {}

# RFC 5892 §2.4 IgnorableBlocks (D), by block name in the RFC; the blocks' ranges are stable.
IGNORABLE_BLOCKS = (
    (0x20D0, 0x20FF),  # Combining Diacritical Marks for Symbols
    (0x1D100, 0x1D1FF),  # Musical Symbols
    (0x1D200, 0x1D24F),  # Ancient Greek Musical Notation
)

# RFC 5892 §2.1 LetterDigits (A)
LETTER_DIGITS = {"Ll", "Lu", "Lo", "Nd", "Lm", "Mn", "Mc"}


def derive_idna2008(ucd: Path, aliases: PropertyAliases) -> tuple[list[str], list[str]]:
    """RFC 5892 §3: the derived property and the category letter that decided it, per code point."""
    gc = read_enumerated(ucd / "extracted" / "DerivedGeneralCategory.txt", "gc", aliases)
    hst = read_enumerated(ucd / "HangulSyllableType.txt", "hst", aliases)
    proplist = ucd / "PropList.txt"
    noncharacters = read_binary(proplist, "Noncharacter_Code_Point")
    white_space = read_binary(proplist, "White_Space")
    join_control = read_binary(proplist, "Join_Control")
    default_ignorable = read_binary(ucd / "DerivedCoreProperties.txt", "Default_Ignorable_Code_Point")
    data = UnicodeDataFile(ucd / "UnicodeData.txt")
    exclusions = read_binary(ucd / "DerivedNormalizationProps.txt", "Full_Composition_Exclusion")
    norm = Normalizer(data, exclusions)
    casefold = read_casefold(ucd / "CaseFolding.txt")
    ignorable_blocks = {cp for a, b in IGNORABLE_BLOCKS for cp in range(a, b + 1)}

    def unstable(cp: int) -> bool:
        # RFC 5892 §2.2: toNFKC(toCaseFold(toNFKC(cp))) != cp.  A code point with neither a
        # decomposition nor a case folding is trivially stable, which saves almost all the work.
        if cp not in data.decomposition and cp not in casefold and not (_S_BASE <= cp < _S_BASE + _S_COUNT):
            return False
        folded: list[int] = []
        for c in norm.nfkc([cp]):
            folded.extend(casefold.get(c, (c,)))
        return norm.nfkc(folded) != [cp]

    values: list[str] = []
    reasons: list[str] = []
    for cp in range(MAX_CP + 1):
        if cp in EXCEPTIONS:
            v, r = EXCEPTIONS[cp], "F"
        elif cp in BACKWARD_COMPATIBLE:
            v, r = BACKWARD_COMPATIBLE[cp], "G"
        elif gc[cp] == "Cn" and cp not in noncharacters:
            v, r = "UNASSIGNED", "J"
        elif cp == 0x2D or 0x30 <= cp <= 0x39 or 0x61 <= cp <= 0x7A:
            v, r = "PVALID", "E"
        elif cp in join_control:
            v, r = "CONTEXTJ", "H"
        elif unstable(cp):
            v, r = "DISALLOWED", "B"
        elif cp in default_ignorable or cp in white_space or cp in noncharacters:
            v, r = "DISALLOWED", "C"
        elif cp in ignorable_blocks:
            v, r = "DISALLOWED", "D"
        elif hst[cp] in ("L", "V", "T"):
            v, r = "DISALLOWED", "I"
        elif gc[cp] in LETTER_DIGITS:
            v, r = "PVALID", "A"
        else:
            v, r = "DISALLOWED", "-"
        values.append(v)
        reasons.append(r)
    return values, reasons


# ---------------------------------------------------------------------------------------------
# UTS #46 mapping table


def read_uts46(path: Path) -> tuple[list[str], list[str | None], list[str]]:
    status = ["disallowed"] * (MAX_CP + 1)
    mapping: list[str | None] = [None] * (MAX_CP + 1)
    idna2008 = [""] * (MAX_CP + 1)
    for first, last, fields in _data_lines(path):
        st = fields[0]
        target: str | None = None
        if st in ("mapped", "deviation") and len(fields) > 1 and fields[1]:
            target = "".join(chr(int(p, 16)) for p in fields[1].split())
        elif st == "deviation":
            target = ""
        flag = fields[2] if len(fields) > 2 else ""
        for cp in range(first, last + 1):
            status[cp] = st
            mapping[cp] = target
            idna2008[cp] = flag
    return status, mapping, idna2008


# ---------------------------------------------------------------------------------------------
# Writing modules

HEADER = '''\
# Generated by tools/gen_tables.py from Unicode {version} ({source}).
# Do not edit: change the generator and rerun it; `python tools/gen_tables.py --check` runs in CI.
"""{doc}"""

from typing import Any

UNICODE_VERSION = "{version}"
'''

PACKAGE_INIT = '''\
# Generated by tools/gen_tables.py from Unicode {version} ({source}).
# Do not edit: change the generator and rerun it; `python tools/gen_tables.py --check` runs in CI.
"""Generated Unicode tables (``tools/gen_tables.py``, ``tools/gen_confusables.py``); see each module's header.

The version is here so that ``idnkit.unicode`` knows it without loading a table: each table is
imported on first use and checked against it then.
"""

UNICODE_VERSION = "{version}"
'''


def to_ranges(values: list[object]) -> tuple[list[int], list[object]]:
    starts: list[int] = []
    vals: list[object] = []
    prev: object = object()
    for cp, v in enumerate(values):
        if v != prev:
            starts.append(cp)
            vals.append(v)
            prev = v
    return starts, vals


def _fmt_seq(items: Iterable[object], per_line: int) -> str:
    items = list(items)
    lines = []
    for i in range(0, len(items), per_line):
        lines.append("    " + " ".join(f"{x!r}," for x in items[i : i + per_line]))
    return "(\n" + "\n".join(lines) + "\n)"


def _fmt_hex_seq(items: Iterable[int], per_line: int = 12) -> str:
    items = list(items)
    lines = []
    for i in range(0, len(items), per_line):
        lines.append("    " + " ".join(f"0x{x:04X}," for x in items[i : i + per_line]))
    return "(\n" + "\n".join(lines) + "\n)"


def _fmt_hex_string(items: Iterable[int], digits: int, per_line: int) -> str:
    """Fixed-width big-endian hex numbers run together, as adjacent string literals of ``per_line`` numbers."""
    text = "".join(f"{x:0{digits}X}" for x in items)
    step = digits * per_line
    return "(\n" + "".join(f'    "{text[i : i + step]}"\n' for i in range(0, len(text), step)) + ")"


def range_map_source(name: str, values: list[object], per_line: int = 8) -> str:
    """A range map packed for a fast start (decoded by ``idnkit.unicode._ranges.unpack`` on first use).

    Parsing tens of thousands of ``0x…`` literals took most of ``import idnkit`` where no bytecode is
    cached; one hex string per column parses as a single token and decodes through ``bytes.fromhex``.
    ``{name}_STARTS_HEX`` holds each range's first code point (8 hex digits), ``{name}_INDEX_HEX``
    the position of its value in ``{name}_DISTINCT`` (2 hex digits, 4 past 256 distinct values).
    """
    starts, vals = to_ranges(values)
    distinct: list[object] = []
    position: dict[object, int] = {}
    for v in vals:
        if v not in position:
            position[v] = len(distinct)
            distinct.append(v)
    width = 2 if len(distinct) <= 0x100 else 4
    if len(distinct) > 0x10000:  # pragma: no cover - no Unicode property has this many values
        raise SystemExit(f"{name}: more than 65536 distinct values; widen the index in gen_tables.py")
    return (
        f"# {name}: {len(starts)} ranges, {len(distinct)} distinct values.\n"
        f"{name}_STARTS_HEX = {_fmt_hex_string(starts, 8, 12)}\n"
        f"{name}_INDEX_HEX = {_fmt_hex_string((position[v] for v in vals), width, 96 // width)}\n"
        f"{name}_DISTINCT = {_fmt_seq(distinct, per_line)}\n"
    )


PACKED_ACCESS = """

def __getattr__(name: str) -> Any:
    # NAME_STARTS and NAME_VALUES as tuples, decoded on first use and kept (PEP 562).
    from idnkit.unicode._ranges import unpack_attribute

    return unpack_attribute(globals(), name)
"""


def build_modules(src: Path, c_sources: dict[str, str] | None = None, uts39: Path | None = None) -> dict[str, str]:
    """The Python table modules by file name; the C accelerator's headers go into ``c_sources``.

    ``uts39`` is the UTS #39 data folder of the same version (default ``tools/data/uts39/<version>``);
    the native skeleton's header is generated from it when it exists, and must exist for the
    shipped version.
    """
    if c_sources is None:
        c_sources = {}
    ucd = src / "ucd"
    version = _read_version(ucd / "DerivedAge.txt")
    source = src.name
    aliases = PropertyAliases(ucd)
    modules: dict[str, str] = {}

    def module(name: str, doc: str, body: str) -> None:
        modules[name] = HEADER.format(version=version, source=f"{source}/", doc=doc) + "\n" + body + PACKED_ACCESS

    modules["__init__.py"] = PACKAGE_INIT.format(version=version, source=f"{source}/")

    derived, reasons = derive_idna2008(ucd, aliases)
    module(
        "idna2008.py",
        "RFC 5892 derived property per code point, with the §2 category letter that decided it.",
        range_map_source("DERIVED", list(derived), 6) + "\n" + range_map_source("REASON", list(reasons), 16),
    )

    gc = read_enumerated(ucd / "extracted" / "DerivedGeneralCategory.txt", "gc", aliases)
    module(
        "general_category.py",
        "General_Category (short names) per code point.",
        range_map_source("GENERAL_CATEGORY", list(gc), 12),
    )

    bc = read_enumerated(ucd / "extracted" / "DerivedBidiClass.txt", "bc", aliases)
    module(
        "bidi_class.py",
        "Bidi_Class (short names) per code point, defaults from @missing lines.",
        range_map_source("BIDI_CLASS", list(bc), 12),
    )

    jt = read_enumerated(ucd / "extracted" / "DerivedJoiningType.txt", "jt", aliases)
    module(
        "joining_type.py", "Joining_Type (short names) per code point.", range_map_source("JOINING_TYPE", list(jt), 12)
    )

    # PropertyValueAliases gives ccc's numeric value as its short name ("ccc; 9; VR; Virama").
    ccc = [int(v) for v in read_enumerated(ucd / "extracted" / "DerivedCombiningClass.txt", "ccc", aliases)]
    module(
        "combining_class.py",
        "Canonical_Combining_Class per code point (9 = Virama).",
        range_map_source("COMBINING_CLASS", list(ccc), 16),
    )

    sc = read_enumerated(ucd / "Scripts.txt", "sc", aliases)
    scx_values: list[object] = [None] * (MAX_CP + 1)
    for first, last, fields in _data_lines(ucd / "ScriptExtensions.txt"):
        scripts = tuple(sorted(aliases.short("sc", s) for s in fields[0].split()))
        scx_values[first : last + 1] = [scripts] * (last - first + 1)
    module(
        "scripts.py",
        "Script (ISO 15924 codes) per code point, and Script_Extensions where it differs "
        "from {Script} (None: the extension set is just the Script value).",
        range_map_source("SCRIPT", list(sc), 10)
        + "\n"
        + range_map_source("SCRIPT_EXTENSIONS", scx_values, 4)
        + "\n# The long name of each script, for messages (PropertyValueAliases.txt).\n"
        + "SCRIPT_NAMES = {\n"
        + "".join(f"    {code!r}: {aliases.long('sc', code)!r},\n" for code in sorted(set(sc)))
        + "}\n",
    )

    status, mapping, flags = read_uts46(src / "idna" / "IdnaMappingTable.txt")
    nfc_qc = read_enumerated_field(ucd / "DerivedNormalizationProps.txt", "NFC_QC", "Y")
    data = UnicodeDataFile(ucd / "UnicodeData.txt")
    exclusions = read_binary(ucd / "DerivedNormalizationProps.txt", "Full_Composition_Exclusion")
    # UAX #15 §9: an NFC_Quick_Check=Maybe code point of combining class 0 composes only with the
    # starter right before it; these pairs let the accelerator settle that case without normalizing.
    pairs = Normalizer(data, exclusions).compose_pairs
    compose_ccc0 = sorted((second, first) for (first, second) in pairs if data.ccc.get(second, 0) == 0)
    c_sources[C_HEADER] = c_table_source(
        version,
        f"{source}/",
        compose_ccc0,
        {cp: target for cp, target in enumerate(mapping) if status[cp] == "mapped" and target is not None},
        derived=derived,
        gc=gc,
        bc=bc,
        ccc=ccc,
        nfc_qc=nfc_qc,
        jt=jt,
        sc=sc,
        uts46=status,
    )
    uts39 = uts39 if uts39 is not None else DEFAULT_UTS39 / version
    if (uts39 / "confusables.txt").exists():
        default_ignorable = read_binary(ucd / "DerivedCoreProperties.txt", "Default_Ignorable_Code_Point")
        c_sources[C_SKELETON_HEADER] = skeleton_table_source(
            version,
            f"{source}/ and uts39/{uts39.name}/",
            Normalizer(data, exclusions),
            read_prototypes(uts39 / "confusables.txt"),
            default_ignorable,
        )
    elif src.resolve() == DEFAULT_UCD.resolve():
        raise SystemExit(f"{uts39}/confusables.txt is missing: the native skeleton's table needs it")
    module(
        "uts46.py",
        "UTS #46 IdnaMappingTable: status, mapping (None: unchanged) and IDNA2008 flag (NV8/XV8).",
        range_map_source("UTS46_STATUS", list(status), 8)
        + "\n"
        + range_map_source("UTS46_MAPPING", list(mapping), 8)
        + "\n"
        + range_map_source("UTS46_IDNA2008", list(flags), 12),
    )
    return modules


def read_enumerated_field(path: Path, prop: str, default: str) -> list[str]:
    """Values of one property of a multi-property file (``cp ; NFC_QC; N``), ``default`` elsewhere."""
    values = [default] * (MAX_CP + 1)
    for first, last, fields in _data_lines(path):
        if fields[0] == prop:
            values[first : last + 1] = [fields[1]] * (last - first + 1)
    return values


# ---------------------------------------------------------------------------------------------
# The C accelerator's table (src/idnkit/idna/_tables.h)
#
# One 32-bit record per code point holds everything the native label check asks of it; records
# are looked up through a two-stage table: STAGE1[cp >> SHIFT] is the first entry of the
# code point's block in STAGE2, and STAGE2 holds the record's index in PROPS.  Equal blocks are
# stored once, so the 1.1M code points take a few hundred blocks.

C_HEADER = "_tables.h"
# Field layout of a record; _speedups.c reads the same names.
C_DERIVED = {"PVALID": 0, "CONTEXTJ": 1, "CONTEXTO": 2, "DISALLOWED": 3, "UNASSIGNED": 4}  # RFC 5892 §2, §3
# Every Bidi_Class (UAX #9 Table 4), so that the accelerator can also name a label's classes.
_BIDI_CLASSES = (
    "L", "R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM",
    "B", "S", "WS", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI",
)  # fmt: skip
C_BIDI = {name: i for i, name in enumerate(_BIDI_CLASSES)}
C_NFC_QC = {"Y": 0, "M": 1, "N": 2}  # UAX #15 §9 NFC_Quick_Check
C_JOINING = {"L": 1, "R": 2, "D": 3, "T": 4}  # RFC 5892 A.1 asks for these; U and C are 0
C_SCRIPT = {"Grek": 1, "Hebr": 2, "Hira": 3, "Kana": 3, "Hani": 3}  # RFC 5892 A.4-A.7 ask for these
C_UTS46 = {"valid": 0, "mapped": 1, "ignored": 2, "deviation": 3, "disallowed": 4}  # UTS #46 §5
C_FIELDS = (  # (name, shift, bits)
    ("DERIVED", 0, 3),
    ("MARK", 3, 1),  # General_Category M* (RFC 5891 §4.2.3.2)
    ("BIDI", 4, 5),
    ("CCC", 9, 8),
    ("NFCQC", 17, 2),
    ("JOINING", 19, 3),
    ("SCRIPT", 22, 2),
    ("UTS46", 24, 3),
)


def c_records(
    derived: list[str],
    gc: list[str],
    bc: list[str],
    ccc: list[int],
    nfc_qc: list[str],
    jt: list[str],
    sc: list[str],
    uts46: list[str],
) -> list[int]:
    """The packed record of every code point (layout in C_FIELDS)."""
    shift = {name: at for name, at, _ in C_FIELDS}
    records = []
    for cp in range(MAX_CP + 1):
        records.append(
            C_DERIVED[derived[cp]] << shift["DERIVED"]
            | (gc[cp][0] == "M") << shift["MARK"]
            | C_BIDI[bc[cp]] << shift["BIDI"]
            | ccc[cp] << shift["CCC"]
            | C_NFC_QC[nfc_qc[cp]] << shift["NFCQC"]
            | C_JOINING.get(jt[cp], 0) << shift["JOINING"]
            | C_SCRIPT.get(sc[cp], 0) << shift["SCRIPT"]
            | C_UTS46[uts46[cp]] << shift["UTS46"]
        )
    return records


def two_stage(records: list[int], shift: int) -> tuple[list[int], list[int], list[int]]:
    """(STAGE1, STAGE2, PROPS) for blocks of 2**shift code points."""
    size = 1 << shift
    props: dict[int, int] = {}
    blocks: dict[tuple[int, ...], int] = {}
    stage1: list[int] = []
    stage2: list[int] = []
    for start in range(0, MAX_CP + 1, size):
        block = tuple(props.setdefault(r, len(props)) for r in records[start : start + size])
        if block not in blocks:
            blocks[block] = len(stage2)
            stage2.extend(block)
        stage1.append(blocks[block])
    return stage1, stage2, list(props)


def _c_array(ctype: str, name: str, items: list[int], per_line: int, width: int) -> str:
    lines = []
    for i in range(0, len(items), per_line):
        lines.append("    " + " ".join(f"0x{x:0{width}X}," for x in items[i : i + per_line]))
    return f"static const {ctype} {name}[{len(items)}] = {{\n" + "\n".join(lines) + "\n};\n"


def _c_mapping(mapped: dict[int, str]) -> str:
    """UTS #46 §5 mappings of the code points whose status is "mapped": MAP_KEYS sorted, and the
    target of MAP_KEYS[i] is MAP_POOL[MAP_START[i] .. MAP_START[i + 1])."""
    keys = sorted(mapped)
    starts, pool = [], []
    for cp in keys:
        starts.append(len(pool))
        pool.extend(map(ord, mapped[cp]))
    starts.append(len(pool))
    if len(pool) > 0xFFFF:  # pragma: no cover - a future Unicode might need wider
        raise SystemExit("the UTS #46 mapping pool outgrew 16-bit offsets; widen MAP_START in gen_tables.py")
    return (
        f"#define MAP_COUNT {len(keys)}\n"
        + _c_array("uint32_t", "MAP_KEYS", keys, 10, 5)
        + _c_array("uint16_t", "MAP_START", starts, 12, 4)
        + _c_array("uint32_t", "MAP_POOL", pool, 10, 5)
    )


def c_table_source(
    version: str, source: str, compose_ccc0: list[tuple[int, int]], uts46_mapped: dict[int, str], **props: list[Any]
) -> str:
    records = c_records(**props)
    # The smallest table over the usual block sizes: stage 1 entries are 16-bit, stage 2 entries
    # 8-bit while there are at most 256 distinct records (180 in Unicode 17.0), else 16-bit.
    shift, (stage1, stage2, values) = min(
        ((k, two_stage(records, k)) for k in range(5, 10)),
        key=lambda kv: 2 * len(kv[1][0]) + (1 if len(kv[1][2]) <= 0x100 else 2) * len(kv[1][1]),
    )
    if max(stage1) > 0xFFFF or len(values) > 0xFFFF:  # pragma: no cover - a future Unicode might need wider
        raise SystemExit("the C property table outgrew 16-bit indices; widen STAGE1/STAGE2 in gen_tables.py")
    stage2_type = "uint8_t" if len(values) <= 0x100 else "uint16_t"
    fields = "\n".join(f"#define P_{name}(r) (((r) >> {at}) & 0x{(1 << bits) - 1:X}u)" for name, at, bits in C_FIELDS)
    bidi_names = ", ".join(f'"{name}"' for name in C_BIDI)
    enums = []
    for prefix, table in (
        ("DERIVED", C_DERIVED),
        ("BIDI", C_BIDI),
        ("NFCQC", C_NFC_QC),
        ("JT", C_JOINING),
        ("SCRIPT", {"GREK": 1, "HEBR": 2, "HIRA_KANA_HANI": 3}),
        ("UTS46", C_UTS46),
    ):
        enums.append(f"enum {{ {', '.join(f'{prefix}_{k.upper()} = {v}' for k, v in table.items())} }};")
    return (
        f"/* Generated by tools/gen_tables.py from Unicode {version} ({source}).\n"
        " * Do not edit: change the generator and rerun it; `python tools/gen_tables.py --check` runs in CI.\n"
        " * Per-code-point records for the native label check (_speedups.c): RFC 5892 derived property,\n"
        " * General_Category M, Bidi_Class, Canonical_Combining_Class, NFC_Quick_Check, Joining_Type,\n"
        " * the scripts RFC 5892 Appendix A names and the UTS #46 status, through a two-stage table. */\n"
        f'#define TABLES_UNICODE_VERSION "{version}"\n'
        f"#define TABLE_SHIFT {shift}\n"
        f"{fields}\n"
        + "\n".join(enums)
        + "\n"
        + f"static const char *const BIDI_NAMES[{len(C_BIDI)}] = {{{bidi_names}}};\n"
        + "/* Canonical compositions whose second code point has combining class 0, {second, first}, sorted. */\n"
        + f"static const uint32_t COMPOSE_CCC0[{len(compose_ccc0)}][2] = {{\n"
        + "".join(f"    {{0x{second:05X}, 0x{first:05X}}},\n" for second, first in compose_ccc0)
        + "};\n"
        + _c_mapping(uts46_mapped)
        + _c_array("uint32_t", "PROPS", values, 8, 8)
        + _c_array("uint16_t", "STAGE1", stage1, 12, 4)
        + _c_array(
            stage2_type, "STAGE2", stage2, 16 if stage2_type == "uint8_t" else 12, 2 if stage2_type == "uint8_t" else 4
        )
    )


# The native skeleton's tables (src/idnkit/idna/_skeleton.h): UTS #39 §4 skeleton(X) is
# NFD(map(NFD(X))) where map removes Default_Ignorable_Code_Point and replaces each other code point
# by its confusables.txt prototype.  The C code decomposes each code point through SKEL_DECOMP
# (full canonical decompositions, UAX #15 §1.3; Hangul syllables algorithmically), reorders the
# marks (canonical ordering, UAX #15 §1.3), replaces each code point through SKEL_MAP (the NFD of
# its prototype, or nothing for a default ignorable) and reorders again.  A two-stage table of
# flags (SKEL_STAGE1/SKEL_STAGE2 over SKEL_FLAGS) says which code points have either, so that the
# common code point costs one lookup.

C_SKELETON_HEADER = "_skeleton.h"
SKEL_DECOMPOSES, SKEL_MAPS = 1, 2  # the flag bits


def read_prototypes(path: Path) -> dict[int, tuple[int, ...]]:
    """confusables.txt (UTS #39 §4): source code point -> prototype, as ``source ; target ; MA``."""
    out: dict[int, tuple[int, ...]] = {}
    with path.open(encoding="utf-8-sig") as f:
        for number, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            source = fields[0].split()
            if len(fields) != 3 or fields[2] != "MA" or len(source) != 1:
                raise SystemExit(f"{path}:{number}: expected 'source ; target ; MA' with one source code point")
            out[int(source[0], 16)] = tuple(int(p, 16) for p in fields[1].split())
    return out


def _c_sequences(prefix: str, seqs: dict[int, list[int]]) -> str:
    """Sorted ``{prefix}_KEYS``; the sequence of KEYS[i] is POOL[START[i] .. START[i + 1])."""
    keys = sorted(seqs)
    starts, pool = [], []
    for cp in keys:
        starts.append(len(pool))
        pool.extend(seqs[cp])
    starts.append(len(pool))
    if len(pool) > 0xFFFF:  # pragma: no cover - a future Unicode might need wider
        raise SystemExit(f"the {prefix} pool outgrew 16-bit offsets; widen {prefix}_START in gen_tables.py")
    return (
        f"#define {prefix}_COUNT {len(keys)}\n"
        f"#define {prefix}_LONGEST {max(len(v) for v in seqs.values())}\n"
        + _c_array("uint32_t", f"{prefix}_KEYS", keys, 10, 5)
        + _c_array("uint16_t", f"{prefix}_START", starts, 12, 4)
        + _c_array("uint32_t", f"{prefix}_POOL", pool, 10, 5)
    )


def skeleton_table_source(
    version: str, source: str, norm: Normalizer, protos: dict[int, tuple[int, ...]], ignorable: set[int]
) -> str:
    decomp: dict[int, list[int]] = {}
    for cp, (compat, _parts) in norm.data.decomposition.items():
        if not compat:
            full: list[int] = []
            norm._decompose(cp, False, full)
            decomp[cp] = full
    mapped: dict[int, list[int]] = {cp: norm.nfd(target) for cp, target in protos.items()}
    mapped.update({cp: [] for cp in ignorable})  # removal wins (UTS #39 §4 removes them first)
    flags = [0] * (MAX_CP + 1)
    for cp in decomp:
        flags[cp] |= SKEL_DECOMPOSES
    for cp in range(_S_BASE, _S_BASE + _S_COUNT):
        flags[cp] |= SKEL_DECOMPOSES
    for cp in mapped:
        flags[cp] |= SKEL_MAPS
    shift, (stage1, stage2, values) = min(
        ((k, two_stage(flags, k)) for k in range(5, 10)), key=lambda kv: 2 * len(kv[1][0]) + len(kv[1][1])
    )
    return (
        f"/* Generated by tools/gen_tables.py from Unicode {version} ({source}).\n"
        " * Do not edit: change the generator and rerun it; `python tools/gen_tables.py --check` runs in CI.\n"
        " * The native UTS #39 §4 skeleton: full canonical decompositions (Hangul syllables are computed),\n"
        " * the NFD of each confusables.txt prototype (empty for Default_Ignorable_Code_Point), and per\n"
        " * code point flags saying which of the two applies, through a two-stage table. */\n"
        f'#define SKEL_UNICODE_VERSION "{version}"\n'
        f"#define SKEL_SHIFT {shift}\n"
        f"#define SKEL_DECOMPOSES {SKEL_DECOMPOSES}\n"
        f"#define SKEL_MAPS {SKEL_MAPS}\n"
        + _c_sequences("SKEL_DECOMP", decomp)
        + _c_sequences("SKEL_MAP", mapped)
        + _c_array("uint8_t", "SKEL_FLAGS", values, 8, 2)
        + _c_array("uint16_t", "SKEL_STAGE1", stage1, 12, 4)
        + _c_array("uint8_t", "SKEL_STAGE2", stage2, 16, 2)
    )


def _read_version(derived_age: Path) -> str:
    with derived_age.open(encoding="utf-8") as f:
        head = f.readline()
    m = re.search(r"DerivedAge-(\d+\.\d+\.\d+)\.txt", head)
    if not m:
        raise SystemExit(f"{derived_age}:1: cannot read the Unicode version from the header")
    return m.group(1)


def write_modules(
    modules: dict[str, str], out: Path, check: bool, tool: str, what: str, write: Callable[[str], object]
) -> int:
    """Write generated modules into ``out``, or with ``check`` compare and report stale ones (exit status 1)."""
    stale = 0
    for name, text in sorted(modules.items()):
        path = out / name
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                stale += 1
                diff = difflib.unified_diff(current.splitlines(), text.splitlines(), str(path), "generated", n=0)
                write("\n".join(list(diff)[:20]) + "\n")
        else:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if check:
        if stale:
            write(f"{stale} generated table(s) are stale: run python tools/{tool}\n")
            return 1
        write(f"{len(modules)} generated {what}tables are current\n")
    else:
        write(f"wrote {len(modules)} {what}tables to {out}\n")
    return 0


def main(argv: list[str] | None = None, write: Callable[[str], object] = sys.stdout.write) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ucd", type=Path, default=DEFAULT_UCD, help="Unicode release folder (ucd/, idna/)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the modules go")
    parser.add_argument(
        "--c-out",
        type=Path,
        help=f"where the C header {C_HEADER} goes (default: src/idnkit/idna, or --out when that is given)",
    )
    parser.add_argument(
        "--uts39",
        type=Path,
        help="UTS #39 data folder of the same version, for the native skeleton (default: tools/data/uts39/VERSION)",
    )
    parser.add_argument("--check", action="store_true", help="compare with the files in --out; write nothing")
    args = parser.parse_args(argv)
    c_out = args.c_out or (DEFAULT_C_OUT if args.out == DEFAULT_OUT else args.out)
    c_sources: dict[str, str] = {}
    modules = build_modules(args.ucd, c_sources, args.uts39)
    status = write_modules(modules, args.out, args.check, "gen_tables.py", "", write)
    return write_modules(c_sources, c_out, args.check, "gen_tables.py", "C ", write) or status


if __name__ == "__main__":
    sys.exit(main())
