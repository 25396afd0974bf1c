#!/usr/bin/env python3
"""Throughput of idnkit's IDNA2008 label check against idna, libidn2 and ICU, in one process.

    python bench/bench_idna.py [--count 20000] [--seed 2008] [--repeat 7] [--show-disagreements 3] [--json]
    python bench/bench_idna.py --mix lgr --count 100000 --repeat 5   # the IDN-heavy mix
    python bench/bench_idna.py --labels FILE                # any list of labels, one a line
    python bench/bench_idna.py --alabels --python-decoder   # the same labels as A-labels
    python bench/bench_idna.py --decode --python-decoder    # Punycode decoding alone
    python bench/bench_idna.py --names xn--bcher-kva.example xn--e1afmkfd.xn--p1ai --python-decoder
    python bench/bench_idna.py --names-file FILE            # whole names, one a line
    python bench/bench_idna.py --uts46 --mix lgr            # UTS #46 ToASCII (labels as names)

A reproducible label set is checked by each implementation: one untimed warm-up pass (which also
records the verdicts), then --repeat timed rounds over the whole list, the order of the
implementations alternating from round to round.  The script prints the median labels/s of each
(process CPU time unless ``--clock wall``), the ratios of the medians and the median of the
per-round ratios.  The machine is shared and noisy: read medians and ratios, never one round.

Label sets: ``--mix synthetic`` (the default) draws from eleven scripts' letter ranges;
``--mix lgr`` is the IDN-heavy mix, 20% ASCII and the rest words over the repertoire of one of
the reference LGRs in script_tables/lgr/ref (about 60 languages and scripts); both have about 5%
made invalid on purpose.  ``--labels FILE`` reads any list (A-labels go to libidn2 as A-labels);
``--write-labels FILE`` saves the workload.

``--alabels`` gives every non-ASCII label as its A-label (``xn--`` + Punycode, valid or not), the
form zone files and DNS queries carry: each implementation decodes it, validates the U-label and
checks the round trip.  ``--decode`` times Punycode decoding alone on those A-labels (without
``xn--``).  ``--names NAME ...`` times whole names instead (``check_domain``, ``idna.encode``,
libidn2 label by label, ICU ``nameToASCII``), each name repeated to ``--count``; ``--names-file``
reads them, and ``--domains`` makes 2-3-label names of the LGR mix under the root zone's TLDs.
``--uts46`` times ``idnkit.uts46.to_ascii`` against ICU ``nameToASCII`` and
``idna.encode(uts46=True)`` (on names with ``--names-file`` or ``--domains``, else on the labels).
``--python-decoder`` adds idnkit with its C Punycode decoder switched off (``idnkit-py``), so
that the accelerator's effect is measured in the same rounds.

ICU (PyICU, icukit-pyicu) runs UTS #46 nontransitional with STD3 rules, Bidi, CONTEXTJ and
CONTEXTO: it maps before checking, so it accepts what mapping repairs (upper case, some symbols).

Verdicts are compared too: valid/invalid, and the A-label when both sides accept.  Disagreements
are grouped into classes (who rejects, how the label was made, each side's reason) and shown with
code points so they can be explained.  This is a benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import ctypes
import ctypes.util
import gc
import hashlib
import json
import platform
import pstats
import random
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import idna

import idnkit
from idnkit.idna import _punycode
from idnkit.unicode import DERIVED_PROPERTY

Verdicts = list[str | None]  # the A-label when valid, None when invalid
Runner = Callable[[list[str]], Verdicts]

# ---------------------------------------------------------------------------------------------
# The label set
# ---------------------------------------------------------------------------------------------

VIRAMA = "\u094d"  # DEVANAGARI SIGN VIRAMA (Canonical_Combining_Class 9)
ZWNJ, ZWJ = "\u200c", "\u200d"


def _usable(cps: Iterable[int]) -> list[str]:
    """PVALID for idnkit and assigned in the interpreter's unicodedata (14.0 on Python 3.11).

    idna takes NFC, Bidi classes and combining classes from the interpreter's ``unicodedata``, so
    characters assigned after its version would make disagreements that mean nothing.
    """
    return [chr(cp) for cp in cps if DERIVED_PROPERTY[cp] == "PVALID" and unicodedata.category(chr(cp)) != "Cn"]


def _cps(*parts: int | range) -> list[int]:
    out: list[int] = []
    for part in parts:
        out.extend(part if isinstance(part, range) else (part,))
    return out


ASCII_LETTERS = _usable(range(0x61, 0x7B))
ASCII_DIGITS = _usable(range(0x30, 0x3A))
LATIN_EXTRA = _usable(  # German, French, Polish, Spanish, Czech letters (ß is a UTS #46 deviation)
    _cps(0xE4, 0xF6, 0xFC, 0xDF, 0xE9, 0xE8, 0xEA, 0xE0, 0xE7, 0xEB, 0xEE, 0xEF, 0xF4, 0xF9, 0xFB, 0xF1,
         0x105, 0x107, 0x119, 0x142, 0x144, 0xF3, 0x15B, 0x17A, 0x17C, 0x10D, 0x159, 0x161, 0x17E)
)  # fmt: skip
CYRILLIC = _usable(_cps(range(0x430, 0x450), 0x451))
GREEK = _usable(range(0x3AC, 0x3CF))  # with tonos letters and final sigma (a deviation)
HEBREW = _usable(range(0x5D0, 0x5EB))
ARABIC = _usable(range(0x620, 0x64B))  # PVALID filters out U+0640 TATWEEL
ARABIC_MARKS = _usable(range(0x64E, 0x651))  # fatha, damma, kasra (Bidi NSM)
ARABIC_DIGITS = [chr(cp) for cp in range(0x660, 0x66A)]  # CONTEXTO, Bidi AN
DEVANAGARI = _usable(range(0x915, 0x93A))
DEVANAGARI_SIGNS = _usable(_cps(range(0x93E, 0x94D), 0x902))  # dependent vowel signs, anusvara
HAN = _usable(range(0x4E00, 0x4E00 + 3000))
KANA = _usable(_cps(range(0x3041, 0x3097), range(0x30A1, 0x30FB), 0x30FC))
THAI = _usable(_cps(range(0xE01, 0xE31), range(0xE40, 0xE46)))
THAI_MARKS = _usable(_cps(0xE31, range(0xE34, 0xE3B), range(0xE47, 0xE4D)))
HANGUL = _usable(range(0xAC00, 0xAC00 + 2000))


def _simple(letters: list[str]) -> Callable[[random.Random, int], str]:
    def gen(rng: random.Random, n: int) -> str:
        return "".join(rng.choice(letters) for _ in range(n))

    return gen


def _with_marks(letters: list[str], marks: list[str], p: float) -> Callable[[random.Random, int], str]:
    """Letters, each followed by at most one mark (so the label stays in NFC and canonical order)."""

    def gen(rng: random.Random, n: int) -> str:
        out: list[str] = []
        while len(out) < n:
            out.append(rng.choice(letters))
            if rng.random() < p:
                out.append(rng.choice(marks))
        return "".join(out)

    return gen


def _ascii(rng: random.Random, n: int) -> str:
    chars = [rng.choice(ASCII_DIGITS if rng.random() < 0.1 else ASCII_LETTERS) for _ in range(n)]
    if n >= 5 and rng.random() < 0.15:  # one inner hyphen, never next to another one
        chars[rng.randrange(1, n - 1)] = "-"
    return "".join(chars)


def _latin(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(LATIN_EXTRA if rng.random() < 0.25 else ASCII_LETTERS) for _ in range(n))


def _arabic(rng: random.Random, n: int) -> str:
    label = _with_marks(ARABIC, ARABIC_MARKS, 0.15)(rng, n)
    if rng.random() < 0.1:  # Arabic-Indic digits at the end (RFC 5893 rule 3 allows AN last)
        label += "".join(rng.choice(ARABIC_DIGITS) for _ in range(rng.randint(1, 2)))
    return label


def _devanagari(rng: random.Random, n: int) -> str:
    """Syllables: consonant [+ sign], or a conjunct with the virama, sometimes with ZWJ/ZWNJ.

    ZWJ or ZWNJ right after a virama is valid (RFC 5892 Appendix A.1/A.2).
    """
    out: list[str] = []
    while len(out) < n:
        out.append(rng.choice(DEVANAGARI))
        r = rng.random()
        if r < 0.15:
            out.append(VIRAMA)
            if rng.random() < 0.3:
                out.append(rng.choice((ZWJ, ZWNJ)))
            out.append(rng.choice(DEVANAGARI))
        elif r < 0.5:
            out.append(rng.choice(DEVANAGARI_SIGNS))
    return "".join(out)


SCRIPTS: dict[str, Callable[[random.Random, int], str]] = {
    "ascii": _ascii,
    "latin": _latin,
    "cyrillic": _simple(CYRILLIC),
    "greek": _simple(GREEK),
    "hebrew": _simple(HEBREW),
    "arabic": _arabic,
    "devanagari": _devanagari,
    "han": _simple(HAN),
    "kana": _simple(KANA),
    "thai": _with_marks(THAI, THAI_MARKS, 0.3),
    "hangul": _simple(HANGUL),
}
CASED = {"ascii", "latin", "cyrillic", "greek"}
MARKS = {"arabic": ARABIC_MARKS, "devanagari": DEVANAGARI_SIGNS, "thai": THAI_MARKS}
SYMBOLS = ["\u2603", "\u2665", "\u00a9", "_"]  # snowman, heart, copyright sign: DISALLOWED; "_" too
INVALID_KINDS = (
    "uppercase",
    "symbol",
    "leading-hyphen",
    "hyphen34",
    "leading-mark",
    "zwj-no-virama",
    "too-long",
    "bidi-mix",
    "bidi-digit",
)


def _inject(kind: str, label: str, script: str, rng: random.Random) -> str:
    """Break ``label`` on purpose in the way ``kind`` names."""
    if kind == "uppercase":
        if script in CASED:
            positions = [i for i, c in enumerate(label) if len(c.upper()) == 1 and c.upper() != c]
            if positions:
                i = rng.choice(positions)
                return label[:i] + label[i].upper() + label[i + 1 :]
        i = rng.randrange(len(label) + 1)
        return label[:i] + chr(rng.randint(0x41, 0x5A)) + label[i:]
    if kind == "symbol":
        i = rng.randrange(1, len(label))
        return label[:i] + rng.choice(SYMBOLS) + label[i:]
    if kind == "leading-hyphen":
        return "-" + label
    if kind == "hyphen34":
        return label[:2] + "--" + label[2:]
    if kind == "leading-mark":
        return rng.choice(MARKS.get(script, ["\u0301"])) + label
    if kind == "zwj-no-virama":
        # not after a virama (Canonical_Combining_Class 9: U+094D, but also Thai U+0E3A PHINTHU)
        positions = [i for i in range(1, len(label)) if unicodedata.combining(label[i - 1]) != 9]
        i = rng.choice(positions)
        return label[:i] + ZWJ + label[i:]
    if kind == "too-long":  # 64-80 code points: over 63 octets in either form
        return (label * 80)[: rng.randint(64, 80)]
    if kind == "bidi-mix":  # right-to-left letters then left-to-right letters (RFC 5893 rule 2)
        rtl = "".join(rng.choice(rng.choice((HEBREW, ARABIC))) for _ in range(rng.randint(2, 6)))
        return rtl + "".join(rng.choice(ASCII_LETTERS) for _ in range(rng.randint(2, 6)))
    if kind == "bidi-digit":  # a European digit first in a right-to-left label (RFC 5893 rule 1)
        rtl = "".join(rng.choice(rng.choice((HEBREW, ARABIC))) for _ in range(rng.randint(2, 10)))
        return rng.choice(ASCII_DIGITS) + rtl
    raise ValueError(kind)


@dataclass(frozen=True)
class LabelSet:
    labels: list[str]
    kinds: list[str]  # "clean:<script>" or "<invalid kind>:<script>"

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256("\n".join(self.labels).encode("utf-8")).hexdigest()[:16]


def make_labels(count: int, seed: int, invalid_rate: float = 0.05) -> LabelSet:
    """``count`` lowercase NFC labels of 3-20 code points (a few more for syllables); deterministic."""
    rng = random.Random(seed)
    names = list(SCRIPTS)
    labels: list[str] = []
    kinds: list[str] = []
    for _ in range(count):
        script = rng.choice(names)
        label = SCRIPTS[script](rng, rng.randint(3, 20))
        kind = "clean"
        if rng.random() < invalid_rate:
            kind = rng.choice(INVALID_KINDS)
            label = _inject(kind, label, script, rng)
        labels.append(unicodedata.normalize("NFC", label))
        kinds.append(f"{kind}:{script}")
    return LabelSet(labels, kinds)


def as_alabels(ls: LabelSet) -> LabelSet:
    """The same labels with every non-ASCII one as ``xn--`` + its Punycode, valid or not: the
    invalid ones become A-labels whose U-label breaks a rule, as in a zone file."""
    return LabelSet([label if label.isascii() else "xn--" + _punycode.encode(label) for label in ls.labels], ls.kinds)


def name_set(names: list[str], count: int) -> LabelSet:
    """The given names, cycled to ``count`` entries (the label set's place in the report)."""
    cycled = [names[i % len(names)] for i in range(max(count, len(names)))]
    return LabelSet(cycled, ["clean:name"] * len(cycled))


def as_punycode(ls: LabelSet) -> LabelSet:
    """The Punycode of the non-ASCII labels, without ``xn--``: the input of a decoder."""
    kept = [(label, kind) for label, kind in zip(ls.labels, ls.kinds, strict=True) if not label.isascii()]
    return LabelSet([_punycode.encode(label) for label, _ in kept], [kind for _, kind in kept])


LGR_REF = Path(__file__).resolve().parent.parent / "script_tables" / "lgr" / "ref"


def _lgr_repertoires() -> dict[str, tuple[list[str], list[str], list[str]]]:
    """Per reference LGR (script_tables/lgr/ref, one language each): its usable (letters, others,
    digits).

    Letters are single code points of General_Category L; the others are marks and the
    multi-code-point sequences the table lists (virama + ZWJ and the like), which never start a
    word; digits (Nd, the table's own or ASCII) only end one.  Punctuation the tables allow in
    context (hyphen, U+00B7, geresh) is left out: where it goes is placed by ``_lgr_word``, or not
    at all.  Code points idna's unicodedata (14.0) lacks are left out, as in ``_usable``.
    """
    from idnkit.lgr import parse_file
    from idnkit.unicode import GENERAL_CATEGORY

    out: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for path in sorted(LGR_REF.glob("*.xml")):
        letters: list[str] = []
        others: list[str] = []
        digits: list[str] = []
        for char in parse_file(path).chars:
            text = "".join(map(chr, char.cps))
            if any(DERIVED_PROPERTY[cp] == "DISALLOWED" or unicodedata.category(chr(cp)) == "Cn" for cp in char.cps):
                continue
            gc = GENERAL_CATEGORY[char.cps[0]]
            if len(char.cps) > 1 or gc[0] == "M":
                others.append(text)
            elif gc == "Nd":
                digits.append(text)
            elif gc[0] == "L":
                letters.append(text)
        if letters:
            out[path.stem] = (letters, others, digits or list("0123456789"))
    return out


def _lgr_word(rng: random.Random, letters: list[str], others: list[str], digits: list[str], n: int) -> str:
    """A word of ``n`` units: a letter first, then letters with marks/sequences among them (p 0.25
    where the table has any), an inner hyphen in one word of ten, a number of one or two of the
    table's digits at the end of one in twenty."""
    out = [rng.choice(letters)]
    while len(out) < n:
        out.append(rng.choice(others) if others and rng.random() < 0.25 else rng.choice(letters))
    if n >= 5 and rng.random() < 0.1:
        out.insert(rng.randrange(2, n - 1), "-")
    if rng.random() < 0.05:
        out.extend(rng.choice(digits) for _ in range(rng.randint(1, 2)))
    return "".join(out)


def make_lgr_mix(count: int, seed: int, invalid_rate: float = 0.05, ascii_share: float = 0.2) -> LabelSet:
    """An IDN-heavy mix from data in the repository: ``ascii_share`` ASCII labels (as ``_ascii``),
    the rest words over the repertoire of one reference LGR each (about 60 languages and scripts,
    chosen uniformly), NFC; a fraction ``invalid_rate`` broken on purpose as in ``make_labels``.

    The repertoires allow what IDNA2008 forbids in places (a mark after a hyphen is fine, but a
    number after right-to-left letters may break RFC 5893 rule 3 or 4), so a few "clean" words
    are invalid too, as typed names are.
    """
    rng = random.Random(seed)
    tables = _lgr_repertoires()
    names = list(tables)
    labels: list[str] = []
    kinds: list[str] = []
    for _ in range(count):
        if rng.random() < ascii_share:
            script, label = "ascii", _ascii(rng, rng.randint(3, 16))
        else:
            script = rng.choice(names)
            letters, others, digits = tables[script]
            label = _lgr_word(rng, letters, others, digits, rng.randint(3, 14))
        kind = "clean"
        if rng.random() < invalid_rate:
            kind = rng.choice(INVALID_KINDS)
            label = _inject(kind, label, script, rng)
        labels.append(unicodedata.normalize("NFC", label))
        kinds.append(f"{kind}:{script}")
    return LabelSet(labels, kinds)


ROOT_ZONE = Path(__file__).resolve().parent.parent / "tests" / "data" / "zones" / "root.zone"


def as_names(ls: LabelSet, seed: int) -> LabelSet:
    """The labels as names of two or three labels: each under a TLD of the root zone in
    tests/data/zones (1,438, 151 of them xn--), one in four under a second label of the set."""
    with ROOT_ZONE.open(encoding="ascii") as f:
        tlds = sorted({fields[0].rstrip(".") for fields in map(str.split, f) if len(fields) > 3 and fields[3] == "NS"})
    tlds = [t for t in tlds if t]
    rng = random.Random(seed)
    names = []
    for label in ls.labels:
        parts = [label, rng.choice(ls.labels)] if rng.random() < 0.25 else [label]
        names.append(".".join([*parts, rng.choice(tlds)]))
    return LabelSet(names, ls.kinds)


def read_lines(path: str) -> LabelSet:
    """Labels or names from a file, one a line (UTF-8; blank lines and ``#`` comments skipped)."""
    with open(path, encoding="utf-8") as f:
        items = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    return LabelSet(items, ["clean:file"] * len(items))


# ---------------------------------------------------------------------------------------------
# The implementations (the timed loops: nothing in them but the call and storing its verdict)
# ---------------------------------------------------------------------------------------------


def run_idnkit(labels: list[str]) -> Verdicts:
    check = idnkit.check_label  # registration profile, every finding collected
    out: Verdicts = []
    append = out.append
    for label in labels:
        result = check(label)
        append(result.alabel if result.ok else None)
    return out


def run_idnkit_names(names: list[str]) -> Verdicts:
    check = idnkit.check_domain  # registration profile, every finding collected
    out: Verdicts = []
    append = out.append
    for name in names:
        result = check(name)
        append(result.ascii if result.ok else None)
    return out


def _idnkit_name_reason(name: str) -> str:
    result = idnkit.check_domain(name)
    return ",".join(dict.fromkeys(f.rule for f in result.errors)) or "ok"


def without_c_decoder(run: Runner) -> Runner:
    """``run`` with idnkit's C Punycode decoder switched off: the pure-Python decoder instead."""

    def run_python(labels: list[str]) -> Verdicts:
        saved, _punycode._c_decode = _punycode._c_decode, None
        try:
            return run(labels)
        finally:
            _punycode._c_decode = saved

    return run_python


def _decoder(decode: Callable[[str], str], *errors: type[Exception]) -> Runner:
    def run(labels: list[str]) -> Verdicts:
        out: Verdicts = []
        append = out.append
        for label in labels:
            try:
                append(decode(label))
            except errors:
                append(None)
        return out

    return run


def _stdlib_decode(label: str) -> str:
    # what idna uses for A-labels (idna.core.ulabel): the standard library's codec
    return label.encode("ascii").decode("punycode")


run_idnkit_decode = _decoder(_punycode.decode, _punycode.PunycodeError)
run_stdlib_decode = _decoder(_stdlib_decode, UnicodeError)


def run_idna(labels: list[str]) -> Verdicts:
    encode, error = idna.encode, idna.IDNAError
    out: Verdicts = []
    append = out.append
    for label in labels:
        try:
            append(encode(label).decode("ascii"))
        except error:
            append(None)
    return out


def run_idnkit_uts46(names: list[str]) -> Verdicts:
    to_ascii = idnkit.uts46.to_ascii  # UTS #46 §4.2 ToASCII, nontransitional, every check on
    out: Verdicts = []
    append = out.append
    for name in names:
        result = to_ascii(name)
        append(result.result if result.ok else None)
    return out


def _idnkit_uts46_reason(name: str) -> str:
    return ",".join(sorted(idnkit.uts46.to_ascii(name).status_codes)) or "ok"


def run_idna_uts46(names: list[str]) -> Verdicts:
    encode, error = idna.encode, idna.IDNAError
    out: Verdicts = []
    append = out.append
    for name in names:
        try:
            append(encode(name, uts46=True).decode("ascii"))
        except error:
            append(None)
    return out


def _idna_uts46_reason(name: str) -> str:
    try:
        idna.encode(name, uts46=True)
    except idna.IDNAError as e:
        return f"{type(e).__name__}: {e}"
    return "ok"


@dataclass
class Icu:
    """ICU's UTS #46 through PyICU (icukit-pyicu): nontransitional, STD3 rules, Bidi, CONTEXTJ and
    CONTEXTO checked: the strictest options it has, the nearest to IDNA2008 registration."""

    version: str
    unicode: str
    idna: Any
    info: Any
    errors: dict[int, str]

    @classmethod
    def load(cls) -> Icu | str:
        try:
            import icu
        except ImportError as e:
            return f"PyICU not importable ({e}); pip install icukit-pyicu"
        o = icu.IDNA
        flags = o.CHECK_NONTRANSITIONAL_TO_ASCII | o.CHECK_BIDI | o.CHECK_CONTEXTJ | o.CHECK_CONTEXT0 | o.USE_STD3_RULES
        names = {
            getattr(icu.IDNAInfo, n): n.removeprefix("ERROR_") for n in dir(icu.IDNAInfo) if n.startswith("ERROR_")
        }
        return cls(icu.ICU_VERSION, icu.UNICODE_VERSION, icu.IDNA(flags), icu.IDNAInfo, names)

    def runner(self, names: bool = False) -> Runner:
        """``labelToASCII`` per label (``nameToASCII`` per name with ``names``); the result when
        IDNAInfo has no error bit.  ICU maps first (UTS #46), so it accepts what mapping repairs."""
        to_ascii = self.idna.nameToASCII if names else self.idna.labelToASCII
        info = self.info()  # reset by every call
        errors = info.errors

        def run(labels: list[str]) -> Verdicts:
            out: Verdicts = []
            append = out.append
            for label in labels:
                result = to_ascii(label, info)
                append(None if errors() else result)
            return out

        return run

    def reason(self, label: str, names: bool = False) -> str:
        info = self.info()
        (self.idna.nameToASCII if names else self.idna.labelToASCII)(label, info)
        bits = info.errors()
        return ",".join(name for bit, name in sorted(self.errors.items()) if bits & bit) or "ok"


def _punycode_decoder(lib: ctypes.CDLL) -> Any:
    """libidn2's internal Punycode decoder, or None.  It is exported only under the non-default
    symbol version IDN2_0.0.0, which dlsym (and so ctypes attribute access) does not find."""
    dlvsym = getattr(ctypes.CDLL(None), "dlvsym", None)
    if dlvsym is None:  # pragma: no cover - not glibc
        return None
    dlvsym.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    dlvsym.restype = ctypes.c_void_p
    address = dlvsym(lib._handle, b"_idn2_punycode_decode", b"IDN2_0.0.0")
    if not address:
        return None
    # int _idn2_punycode_decode(size_t input_length, const char input[], size_t *output_length, uint32_t output[])
    prototype = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_uint32)
    )
    return prototype(address)


@dataclass
class LibIdn2:
    path: str
    version: str
    register: Any
    free: Any
    strerror_name: Any
    punycode_decode: Any  # the internal _idn2_punycode_decode, or None where not exported

    @classmethod
    def load(cls) -> LibIdn2 | str:
        """The library, or why it could not be loaded."""
        errors = []
        for path in dict.fromkeys(filter(None, (ctypes.util.find_library("idn2"), "libidn2.so.0"))):
            try:
                lib = ctypes.CDLL(path)
                break
            except OSError as e:
                errors.append(f"{path}: {e}")
        else:
            return "; ".join(errors) or "ctypes.util.find_library('idn2') found nothing"
        # int idn2_register_u8(const uint8_t *ulabel, const uint8_t *alabel, uint8_t **insertname, int flags)
        register = lib.idn2_register_u8
        register.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), ctypes.c_int]
        register.restype = ctypes.c_int
        free = lib.idn2_free
        free.argtypes = [ctypes.c_void_p]
        free.restype = None
        check_version = lib.idn2_check_version
        check_version.argtypes = [ctypes.c_char_p]
        check_version.restype = ctypes.c_char_p
        strerror_name = lib.idn2_strerror_name
        strerror_name.argtypes = [ctypes.c_int]
        strerror_name.restype = ctypes.c_char_p
        punycode_decode = _punycode_decoder(lib)
        return cls(path, check_version(None).decode(), register, free, strerror_name, punycode_decode)

    def runner(self, alabels: bool = False) -> Runner:
        """idn2_register_u8 on each label; with ``alabels``, an xn-- label goes in as the A-label,
        which libidn2 decodes, checks as a U-label and re-encodes (RFC 5891 §5.3) as idnkit does."""
        register, free, string_at = self.register, self.free, ctypes.string_at

        def run(labels: list[str]) -> Verdicts:
            out: Verdicts = []
            append = out.append
            result = ctypes.c_void_p()
            ref = ctypes.byref(result)
            for label in labels:
                data = label.encode("utf-8")
                # flags 0: the input is already NFC (IDN2_NFC_INPUT would normalize it first)
                rc = register(None, data, ref, 0) if alabels and data[:4] == b"xn--" else register(data, None, ref, 0)
                if rc == 0:  # IDN2_OK
                    append(string_at(result).decode("ascii"))
                    free(result)
                else:
                    append(None)
            return out

        return run

    def names_runner(self) -> Runner:
        """A name label by label through the A-label runner: libidn2 registers labels, not names."""
        run_labels = self.runner(alabels=True)

        def run(names: list[str]) -> Verdicts:
            out: Verdicts = []
            append = out.append
            for name in names:
                labels = run_labels(name.split("."))
                valid = [label for label in labels if label is not None]
                append(".".join(valid) if len(valid) == len(labels) else None)
            return out

        return run

    def name_reason(self, name: str) -> str:
        return ",".join(dict.fromkeys(self.reason(label) for label in name.split(".")))

    def decode_runner(self) -> Runner | None:
        """The library's own Punycode decoder, through ctypes (None where it is not exported)."""
        decode = self.punycode_decode
        if decode is None:
            return None

        def run(labels: list[str]) -> Verdicts:
            out: Verdicts = []
            append = out.append
            buffer = (ctypes.c_uint32 * 1024)()
            length = ctypes.c_size_t()
            ref = ctypes.byref(length)
            for label in labels:
                data = label.encode("ascii")
                length.value = 1024
                if decode(len(data), data, ref, buffer) == 0:  # punycode_success
                    append("".join(map(chr, buffer[: length.value])))
                else:
                    append(None)
            return out

        return run

    def reason(self, label: str) -> str:
        result = ctypes.c_void_p()
        data = label.encode("utf-8")
        args = (None, data) if data[:4] == b"xn--" else (data, None)
        rc = self.register(*args, ctypes.byref(result), 0)
        if rc == 0:
            self.free(result)
        name: bytes = self.strerror_name(rc)
        return name.decode()


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------


def measure(
    impls: dict[str, Runner], labels: list[str], repeat: int, clock: Callable[[], float] = time.process_time
) -> dict[str, list[float]]:
    """Labels/s of each implementation in each round; the order alternates between rounds.

    ``clock`` is process CPU time by default: on a shared machine the time this process waits for
    a core is not its own (``--clock wall`` for wall time)."""
    rates: dict[str, list[float]] = {name: [] for name in impls}
    order = list(impls)
    for round_ in range(repeat):
        for name in order if round_ % 2 == 0 else order[::-1]:
            gc.collect()
            start = clock()
            impls[name](labels)
            rates[name].append(len(labels) / max(clock() - start, 1e-9))
    return rates


# ---------------------------------------------------------------------------------------------
# Verdict comparison
# ---------------------------------------------------------------------------------------------


def _idnkit_reason(label: str) -> str:
    result = idnkit.check_label(label)
    return ",".join(dict.fromkeys(f.rule for f in result.errors)) or "ok"


def _idna_reason(label: str) -> str:
    try:
        idna.encode(label)
    except idna.IDNAError as e:
        return f"{type(e).__name__}: {e}"
    return "ok"


def _codepoints(label: str) -> str:
    return " ".join(f"U+{ord(c):04X}" for c in label)


def compare(
    ls: LabelSet,
    ours: Verdicts,
    theirs: Verdicts,
    peer_reason: Callable[[str], str],
    examples: int,
    our_reason: Callable[[str], str] = _idnkit_reason,
) -> dict[str, Any]:
    """Counts of each kind of disagreement, and classes of them with examples."""
    counts = Counter[str]()
    classes: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        if a == b:
            continue
        label = ls.labels[i]
        if a is not None and b is not None:
            what = "alabel-differs"
            # An A-label given with upper-case letters: one side returns it as given, the other
            # in lower case.  One class, not one per label.
            reason = "the same but for letter case" if a.lower() == b.lower() else f"idnkit {a!r}, peer {b!r}"
        elif a is None:
            what = "only-idnkit-rejects"
            reason = our_reason(label)
        else:
            what = "only-peer-rejects"
            reason = peer_reason(label)
        counts[what] += 1
        # Reasons name the rule, not the place: strip positions so one class is one cause.
        key_reason = reason if what == "alabel-differs" else _class_reason(reason)
        classes[what, ls.kinds[i].split(":")[0], "ascii" if label.isascii() else "non-ascii", key_reason].append(i)
    out_classes = []
    for (what, kind, charset, reason), idx in sorted(classes.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
        out_classes.append(
            {
                "disagreement": what,
                "generated_as": kind,
                "charset": charset,
                "reason": reason,
                "count": len(idx),
                "examples": [
                    {
                        "label": ls.labels[i],
                        "codepoints": _codepoints(ls.labels[i]),
                        "generated_as": ls.kinds[i],
                        "idnkit": ours[i] if ours[i] is not None else our_reason(ls.labels[i]),
                        "peer": theirs[i] if theirs[i] is not None else peer_reason(ls.labels[i]),
                    }
                    for i in idx[:examples]
                ],
            }
        )
    return {
        "total": sum(counts.values()),
        "only_idnkit_rejects": counts["only-idnkit-rejects"],
        "only_peer_rejects": counts["only-peer-rejects"],
        "alabel_differs": counts["alabel-differs"],
        "classes": out_classes,
    }


def _class_reason(reason: str) -> str:
    """An error message without the parts that vary from label to label (positions, characters)."""
    for sep in (" at position", " in position", " (", ": '", ' "'):
        reason = reason.split(sep, 1)[0]
    return reason


def by_kind(ls: LabelSet, verdicts: dict[str, Verdicts]) -> dict[str, dict[str, int]]:
    """For each way a label was generated: how many, and how many each implementation rejects."""
    table: dict[str, dict[str, int]] = {}
    for i, kind in enumerate(ls.kinds):
        kind = "clean" if kind.startswith("clean:") else kind.split(":")[0]
        row = table.setdefault(kind, {"labels": 0, **dict.fromkeys(verdicts, 0)})
        row["labels"] += 1
        for name, v in verdicts.items():
            row[name] += v[i] is None
    return dict(sorted(table.items(), key=lambda kv: (kv[0] != "clean", kv[0])))


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------


def environment(lib: LibIdn2 | str, icu: Icu | str) -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "cpus": _cpus(),
        "idnkit": idnkit.__version__,
        "idnkit_unicode": idnkit.UNICODE_VERSION,
        "idnkit_c_punycode": getattr(_punycode, "_c_encode", None) is not None,
        "idnkit_c_punycode_decoder": getattr(_punycode, "_c_decode", None) is not None,
        "idna": getattr(idna, "__version__", "?"),
        "interpreter_unicodedata": unicodedata.unidata_version,
        "libidn2": lib.version if isinstance(lib, LibIdn2) else None,
        "libidn2_path": lib.path if isinstance(lib, LibIdn2) else None,
        "libidn2_unavailable": lib if isinstance(lib, str) else None,
        "icu": f"{icu.version} (Unicode {icu.unicode})" if isinstance(icu, Icu) else None,
        "icu_unavailable": icu if isinstance(icu, str) else None,
    }


def _cpus() -> int | None:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count()


def print_report(report: dict[str, Any], show: int) -> None:
    env, ls, speed = report["environment"], report["label_set"], report["labels_per_second"]
    print(
        f"Python {env['python']} ({env['cpus']} CPUs) | idnkit {env['idnkit']} (Unicode {env['idnkit_unicode']}, "
        f"C Punycode encoder {'on' if env['idnkit_c_punycode'] else 'off'}, "
        f"decoder {'on' if env['idnkit_c_punycode_decoder'] else 'off'}) | idna {env['idna']} "
        f"(unicodedata {env['interpreter_unicodedata']}) | "
        + (f"libidn2 {env['libidn2']}" if env["libidn2"] else "libidn2 not loaded")
        + (f" | ICU {env['icu']}" if env["icu"] else " | ICU not loaded")
    )
    if env["libidn2_unavailable"]:
        print(f"libidn2 could not be loaded, skipped: {env['libidn2_unavailable']}")
    if env["icu_unavailable"]:
        print(f"ICU could not be loaded, skipped: {env['icu_unavailable']}")
    print(
        f"input: {report['input']}; "
        f"{ls['count']:,} {report['unit']}s (seed {ls['seed']}, sha256 {ls['fingerprint']}), "
        f"{ls['generated_invalid']:,} made invalid, {ls['invalid_by_idnkit']:,} invalid for idnkit; "
        f"warm-up + {report['rounds']} rounds, order alternating, {report['clock']}"
    )
    print()
    unit = report["unit"]
    print(f"{'':10}{'median':>12}{'min':>12}{'max':>12}{'µs/' + unit:>10}{'idnkit/x':>10}{'per-round':>11}")
    for name, s in speed.items():
        ratio = report["ratios"].get(f"idnkit/{name}")
        per_round = report["per_round_ratio_median"].get(f"idnkit/{name}")
        print(
            f"{name:10}{s['median']:12,.0f}{s['min']:12,.0f}{s['max']:12,.0f}{1e6 / s['median']:10.2f}"
            + (f"{ratio:9.2f}x{per_round:10.2f}x" if ratio else f"{'':10}{'':11}")
        )
    print(f"({unit}s/s; idnkit/x = ratio of the medians; per-round = median of the per-round ratios)")
    print()
    names = list(speed)
    print(f"{'rejected by':18}{'labels':>8}" + "".join(f"{n:>10}" for n in names))
    for kind, row in report["rejections_by_kind"].items():
        print(f"{kind:18}{row['labels']:8,}" + "".join(f"{row[n]:10,}" for n in names))
    for peer, d in report["disagreements"].items():
        print()
        print(
            f"idnkit vs {peer}: {d['total']} disagreements: only idnkit rejects {d['only_idnkit_rejects']}, "
            f"only {peer} rejects {d['only_peer_rejects']}, both accept with different A-labels {d['alabel_differs']}"
        )
        for c in d["classes"]:
            who = {
                "only-idnkit-rejects": "only idnkit rejects",
                "only-peer-rejects": f"only {peer} rejects",
                "alabel-differs": "A-labels differ",
            }[c["disagreement"]]
            print(f"  [{c['count']}] {who}; generated as {c['generated_as']}, {c['charset']}; reason: {c['reason']}")
            for ex in c["examples"][:show]:
                print(f"      {ex['label']!r} [{ex['codepoints']}] ({ex['generated_as']})")
                print(f"        idnkit: {ex['idnkit']}  |  {peer}: {ex['peer']}")
    print()
    print(report["summary"])


def summary(speed: dict[str, dict[str, Any]], ratios: dict[str, float], unit: str = "label") -> str:
    parts = []
    for name, s in speed.items():
        ratio = ratios.get(f"idnkit/{name}")
        parts.append(f"{name} {s['median']:,.0f} {unit}s/s" + (f" ({ratio:.2f}x)" if ratio else ""))
    return " | ".join(parts)


def profile_idnkit(labels: list[str], top: int, stream: Any) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(run_idnkit, labels)
    print(f"\ncProfile of idnkit.check_label over {len(labels):,} labels (top {top} by cumulative time):", file=stream)
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(top)


def implementations(
    args: argparse.Namespace, lib: LibIdn2 | str, icu: Icu | str
) -> tuple[dict[str, Runner], dict[str, Callable[[str], str]]]:
    """The timed runners by name (idnkit first: the ratios are idnkit/x) and each peer's reason."""
    rejected: Callable[[str], str] = lambda label: "rejected"  # noqa: E731 - a decoder gives no reason
    names = bool(args.names or args.names_file or args.domains)
    if args.decode:
        impls: dict[str, Runner] = {"idnkit": run_idnkit_decode, "stdlib": run_stdlib_decode}
        reasons = {"stdlib": rejected}
        libidn2 = lib.decode_runner() if isinstance(lib, LibIdn2) else None
        if libidn2 is not None:
            impls["libidn2"], reasons["libidn2"] = libidn2, rejected
        return impls, reasons
    if args.uts46:  # UTS #46 ToASCII of whole names (a label is a one-label name)
        impls, reasons = {"idnkit": run_idnkit_uts46, "idna": run_idna_uts46}, {"idna": _idna_uts46_reason}
        if isinstance(icu, Icu):
            impls["icu"], reasons["icu"] = icu.runner(names=True), lambda n: icu.reason(n, names=True)
        return impls, reasons
    if names:
        impls, reasons = {"idnkit": run_idnkit_names, "idna": run_idna}, {"idna": _idna_reason}
        if isinstance(lib, LibIdn2):
            impls["libidn2"], reasons["libidn2"] = lib.names_runner(), lib.name_reason
        if isinstance(icu, Icu):
            impls["icu"], reasons["icu"] = icu.runner(names=True), lambda n: icu.reason(n, names=True)
    else:
        impls, reasons = {"idnkit": run_idnkit, "idna": run_idna}, {"idna": _idna_reason}
        if isinstance(lib, LibIdn2):
            # a file may hold A-labels: those go to libidn2 as A-labels (decoded and checked)
            impls["libidn2"] = lib.runner(alabels=args.alabels or bool(args.labels))
            reasons["libidn2"] = lib.reason
        if isinstance(icu, Icu):
            impls["icu"], reasons["icu"] = icu.runner(), icu.reason
    if args.python_decoder:
        impls["idnkit-py"] = without_c_decoder(impls["idnkit"])
        reasons["idnkit-py"] = _idnkit_name_reason if names else _idnkit_reason
    return impls, reasons


def label_set(args: argparse.Namespace) -> tuple[LabelSet, str]:
    """The workload and how the report names it."""
    if args.names_file:
        return read_lines(args.names_file), f"names from {args.names_file}"
    if args.names:
        return name_set(args.names, args.count), f"names {', '.join(args.names)}"
    if args.domains:
        return as_names(make_lgr_mix(args.count, args.seed), args.seed), "the LGR mix as names under root-zone TLDs"
    if args.labels:
        ls, what = read_lines(args.labels), f"labels from {args.labels}"
    elif args.mix == "lgr":
        ls, what = make_lgr_mix(args.count, args.seed), "the LGR mix (script_tables/lgr/ref repertoires)"
    else:
        ls, what = make_labels(args.count, args.seed), "the synthetic set (eleven scripts)"
    if args.alabels:
        return as_alabels(ls), f"{what}, as A-labels"
    if args.decode:
        return as_punycode(ls), f"{what}: Punycode (decoding alone)"
    if args.uts46:
        return ls, f"{what}: UTS #46 ToASCII"
    return ls, f"{what}: U-labels"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20000, help="labels in the set (default 20000)")
    parser.add_argument("--seed", type=int, default=2008, help="random seed of the label set (default 2008)")
    parser.add_argument("--repeat", type=int, default=7, help="timed rounds per implementation (default 7)")
    parser.add_argument(
        "--show-disagreements", type=int, default=3, metavar="N", help="examples per disagreement class (default 3)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of the table")
    parser.add_argument(
        "--mix",
        choices=("synthetic", "lgr"),
        default="synthetic",
        help="generated labels: eleven scripts (default) or the repertoires of the reference LGRs",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--labels", metavar="FILE", help="labels from FILE, one a line, instead of generated ones")
    source.add_argument("--names", nargs="+", metavar="NAME", help="time these names (check_domain), cycled to --count")
    source.add_argument("--names-file", metavar="FILE", help="whole names from FILE, one a line (check_domain)")
    source.add_argument(
        "--domains", action="store_true", help="the LGR mix as 2-3-label names under root-zone TLDs (check_domain)"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--alabels", action="store_true", help="the non-ASCII labels as A-labels (xn--)")
    mode.add_argument("--decode", action="store_true", help="time Punycode decoding alone")
    mode.add_argument("--uts46", action="store_true", help="time UTS #46 ToASCII (idnkit.uts46.to_ascii, ICU, idna)")
    parser.add_argument("--write-labels", metavar="FILE", help="also write the workload to FILE, one a line")
    parser.add_argument(
        "--clock", choices=("cpu", "wall"), default="cpu", help="process CPU time (default) or wall time"
    )
    parser.add_argument(
        "--python-decoder", action="store_true", help="also run idnkit with its C Punycode decoder off (idnkit-py)"
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="also cProfile idnkit and print the top N functions"
    )
    args = parser.parse_args(argv)
    if args.count < 1 or args.repeat < 1:
        parser.error("--count and --repeat must be at least 1")
    names = bool(args.names or args.names_file or args.domains)
    if names and (args.alabels or args.decode):
        parser.error("--alabels and --decode take labels, not names")

    ls, what = label_set(args)
    if args.write_labels:
        with open(args.write_labels, "w", encoding="utf-8") as f:
            f.writelines(f"{label}\n" for label in ls.labels)
    lib, icu = LibIdn2.load(), Icu.load()
    impls, reasons = implementations(args, lib, icu)

    verdicts = {name: run(ls.labels) for name, run in impls.items()}  # the warm-up, and the verdicts
    rates = measure(impls, ls.labels, args.repeat, time.process_time if args.clock == "cpu" else time.perf_counter)

    speed: dict[str, dict[str, Any]] = {
        name: {"median": statistics.median(r), "min": min(r), "max": max(r), "rounds": r} for name, r in rates.items()
    }
    peers = [name for name in impls if name != "idnkit"]
    ratios = {f"idnkit/{p}": speed["idnkit"]["median"] / speed[p]["median"] for p in peers}
    per_round = {
        f"idnkit/{p}": statistics.median(a / b for a, b in zip(rates["idnkit"], rates[p], strict=True)) for p in peers
    }
    unit = "name" if names or args.uts46 else "label"
    our_reason = _idnkit_uts46_reason if args.uts46 else _idnkit_name_reason if names else _idnkit_reason
    report: dict[str, Any] = {
        "environment": environment(lib, icu),
        "label_set": {
            "count": len(ls.labels),
            "seed": args.seed,
            "fingerprint": ls.fingerprint,
            "generated_invalid": sum(not k.startswith(("clean:", "file")) for k in ls.kinds),
            "invalid_by_idnkit": sum(v is None for v in verdicts["idnkit"]),
        },
        "input": what,
        "unit": unit,
        "clock": "process CPU time" if args.clock == "cpu" else "wall time",
        "rounds": args.repeat,
        "labels_per_second": speed,
        "ratios": ratios,
        "per_round_ratio_median": per_round,
        "rejections_by_kind": by_kind(ls, verdicts),
        "disagreements": {
            p: compare(ls, verdicts["idnkit"], verdicts[p], reasons[p], args.show_disagreements, our_reason)
            for p in peers
        },
        "summary": summary(speed, ratios, unit),
    }
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report, args.show_disagreements)
    if args.profile:
        profile_idnkit(ls.labels, args.profile, sys.stderr if args.json else sys.stdout)


if __name__ == "__main__":
    main()
