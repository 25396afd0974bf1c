"""The native label check (``_speedups.c``) against the pure-Python path: identical results.

``check_label`` and ``check_domain`` first ask the C core, which returns the whole result of an
ordinary valid label or name, or None; the Python path below it is the reference.  Each test here
runs the public functions twice, native on and off (``_labels._use_native``), and requires equal
results, findings and all: over every input of IdnaTestV2.txt (its source, toUnicode and toAsciiN
columns, whole and label by label), over generated labels of every script in Unicode, and under
hypothesis.  The native core must also be *complete* for registration: it answers None only for a
label the reference rejects, since the would-map suggestion relies on that.

A missing accelerator fails these tests, saying so (the CI sets IDNKIT_REQUIRE_SPEEDUPS=1).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idnkit import Profile, check_domain, check_label, uts46
from idnkit.idna import _labels, _native
from idnkit.idna._punycode import encode
from idnkit.unicode import BIDI_CLASS, DERIVED_PROPERTY, nfc

from .property import strategies as strat
from .test_idnatestv2 import CASES

PROFILES = (Profile.REGISTRATION, Profile.LOOKUP)


def _require_native() -> None:
    if not _labels.native_available():
        pytest.fail("the native label check is not built (or its tables are stale); pip install . with a C compiler")


def test_native_present_where_required() -> None:
    # CI builds the accelerator (IDNKIT_REQUIRE_SPEEDUPS=1); elsewhere it is optional.
    if os.environ.get("IDNKIT_REQUIRE_SPEEDUPS") == "1":
        _require_native()


@contextmanager
def python_only() -> Iterator[None]:
    _labels._use_native(False)
    try:
        yield
    finally:
        _labels._use_native(True)


def same(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn`` with the native check on and off must give equal results; returns the native one."""
    native = fn(*args, **kwargs)
    with python_only():
        reference = fn(*args, **kwargs)
    assert native == reference, (args, kwargs)
    assert type(native) is type(reference)
    return native


def assert_label_agrees(label: str) -> None:
    for profile in PROFILES:
        for bidi in (False, True):
            for map_ in (None, False, True):
                same(check_label, label, profile=profile, bidi_domain=bidi, map=map_)
    assert_complete(label, False)


def assert_domain_agrees(name: str) -> None:
    for profile in PROFILES:
        for map_ in (None, False, True):
            same(check_domain, name, profile=profile, map=map_)
    if not any("A" <= c <= "Z" for c in name):
        native = _native._check_domain(name, Profile.REGISTRATION, False)
        with python_only():
            ok = check_domain(name, map=False).ok
        assert (native is not None) == ok, name
    assert_partial_agrees(name)


def assert_partial_agrees(name: str) -> int:
    """The native core's partial answer on a name it does not accept whole: the labels it accepts are
    the reference's results for them, label for label, and its bidi_domain is the reference's.
    Returns 1 when the answer was partial, else 0."""
    for profile in PROFILES:
        partial = _native._check_domain(name, profile, False, True)
        if type(partial) is not tuple:
            assert partial == _native._check_domain(name, profile, False), name  # as without partial
            continue
        decided, bidi = partial
        with python_only():
            reference = check_domain(name, profile=profile, map=False)
        assert bidi is reference.bidi_domain, name
        assert len(decided) == len(reference.labels), name
        for mine, theirs in zip(decided, reference.labels, strict=True):
            if mine is not None:
                assert mine == theirs and type(mine) is type(theirs), (name, profile)
            elif profile is Profile.REGISTRATION and not any("A" <= c <= "Z" for c in theirs.input):
                assert not theirs.ok, (name, theirs)  # complete: a label it leaves is invalid
    return int(type(_native._check_domain(name, Profile.REGISTRATION, False, True)) is tuple)


# Each UTS #46 §4 option flipped alone, and all the label criteria off at once: the native label
# check (uts46_label, uts46_flagged) is used under some settings and not others.
UTS46_SETTINGS: tuple[dict[str, bool], ...] = (
    {},
    *({option: not default} for option, default in uts46.Uts46Options().to_dict().items()),
    {"check_hyphens": False, "check_bidi": False, "check_joiners": False, "use_std3_ascii_rules": False},
)


def assert_uts46_agrees(name: str, every_setting: bool = False) -> None:
    for settings in UTS46_SETTINGS if every_setting else ({},):
        same(uts46.to_ascii, name, **settings)
        settings.pop("verify_dns_length", None)
        same(uts46.to_unicode, name, **settings)


def assert_complete(label: str, bidi: bool) -> None:
    """Registration, no mapping, no upper-case A-label: native None exactly when the label is invalid."""
    if any("A" <= c <= "Z" for c in label):
        return  # an upper-case A-label is valid with a warning, which the native check leaves to Python
    native = _native._check_label(label, Profile.REGISTRATION, bidi, False)
    with python_only():
        ok = check_label(label, bidi_domain=bidi, map=False).ok
    assert (native is not None) == ok, (label, bidi)


def _inputs() -> tuple[list[str], list[str]]:
    names: set[str] = set()
    labels: set[str] = set()
    for case in CASES:
        for text in (case.source, case.to_unicode, case.to_ascii_n):
            names.add(text)
            labels.update(text.split("."))
    return sorted(names), sorted(labels)


IDNA_TEST_NAMES, IDNA_TEST_LABELS = _inputs()


@pytest.mark.slow
def test_every_idnatestv2_label() -> None:
    _require_native()
    assert len(IDNA_TEST_LABELS) > 5000
    fast = 0
    for label in IDNA_TEST_LABELS:
        assert_label_agrees(label)
        assert_complete(label, True)
        fast += _native._check_label(label, Profile.REGISTRATION, False, False) is not None
    assert fast > 500  # the native path decided a good share itself: the comparison is not Python to Python


@pytest.mark.slow
def test_every_idnatestv2_name() -> None:
    _require_native()
    for name in IDNA_TEST_NAMES:
        assert_domain_agrees(name)


@pytest.mark.slow
def test_uts46_to_ascii_on_every_idnatestv2_input() -> None:
    _require_native()
    fast = 0
    for name in IDNA_TEST_NAMES:
        assert_uts46_agrees(name, every_setting=True)
        assert_uts46_agrees(name.upper())
        fast += _native._uts46_to_ascii(name) is not None
    assert fast > 300  # the native path decided a good share itself


# --- generated labels of every script ------------------------------------------------------------

JOINERS = ("\u200c", "\u200d")
CONTEXT = ("\u00b7", "\u0375", "\u05f3", "\u05f4", "\u30fb", "\u0661", "\u06f1")


def _script_label(rng: random.Random, letters: tuple[int, ...], marks: tuple[int, ...]) -> str:
    """A label of one script's PVALID letters and marks, broken or decorated now and then."""
    out: list[str] = []
    for _ in range(rng.randint(1, 12)):
        out.append(chr(rng.choice(letters)))
        if marks and rng.random() < 0.3:
            out.append(chr(rng.choice(marks)))
    r = rng.random()
    if r < 0.1:
        out.insert(rng.randrange(len(out) + 1), rng.choice(JOINERS))  # valid after a virama, or between joiners
    elif r < 0.2:
        out.insert(rng.randrange(len(out) + 1), rng.choice(CONTEXT))
    elif r < 0.3:
        out.insert(rng.randrange(1, len(out) + 1), rng.choice("-0123456789"))
    elif r < 0.35 and marks:
        out.insert(0, chr(rng.choice(marks)))  # a leading combining mark
    elif r < 0.4:
        out.insert(rng.randrange(len(out) + 1), rng.choice("A\u2603_\u00df\u03c2\u0378\u0627\u05d0"))
    text = "".join(out)
    return nfc(text) if rng.random() < 0.9 else text  # some not in NFC


def _generated() -> list[str]:
    rng = random.Random(16)
    labels = []
    for _, (letters, marks) in sorted(strat.pvalid_by_script().items()):
        for _ in range(12):
            label = _script_label(rng, letters, marks)
            labels.append(label)
            if not label.isascii():
                labels.append("xn--" + encode(label))
    return labels


GENERATED = _generated()


@pytest.mark.slow
def test_generated_labels_of_every_script() -> None:
    _require_native()
    assert len(strat.pvalid_by_script()) > 150  # every script with a PVALID letter
    for label in GENERATED:
        assert_label_agrees(label)
        assert_complete(label, True)


@pytest.mark.slow
def test_generated_names() -> None:
    _require_native()
    rng = random.Random(5893)
    partial = 0
    for _ in range(3000):
        parts = rng.sample(GENERATED, rng.randint(1, 3)) + rng.choice([[], ["example"], ["xn--p1ai"], ["com", ""]])
        assert_domain_agrees(".".join(parts))
        assert_uts46_agrees(".".join(parts))
        partial += assert_partial_agrees(".".join(parts))
    assert partial > 300  # invalid names came back partial: the labels compared were built in C


def test_a_sample_of_every_kind() -> None:
    """The quick loop's share of the sweeps above."""
    _require_native()
    for label in [*GENERATED[::40], *IDNA_TEST_LABELS[::100]]:
        assert_label_agrees(label)
    for name in IDNA_TEST_NAMES[::100]:
        assert_domain_agrees(name)
        assert_uts46_agrees(name)


@pytest.mark.parametrize(
    "label",
    [
        "bücher",
        "xn--bcher-kva",
        "straße",
        "\u0915\u094d\u200d\u0937",  # ZWJ after a virama (RFC 5892 A.2)
        "\u0628\u200c\u0628",  # ZWNJ between dual-joining letters (A.1)
        "l\u00b7l",  # A.3
        "\u0375\u03b1",  # A.4
        "\u05d0\u05f3",  # A.5
        "\u30a2\u30fb\u30a2",  # A.7
        "\u0627\u0661\u0662",  # A.8, RTL with AN
        "\u09ad\u09be\u09b0\u09a4",  # Bengali: NFC_Quick_Check=Maybe (U+09BE), class 0
        "\u09c7\u09be",  # ... that composes with the letter before it: not NFC
        "a\u0323\u0302",  # Maybe of a higher class, confirmed by normalizing
        "a\u0302\u0323",  # out of canonical order
        "\u0928\u093c",  # DEVANAGARI NA + NUKTA composes to U+0929: not NFC
        "-abc",
        "ab--c",
        "a" * 63,
        "a" * 64,
        "\u00fc" * 60,
        "xn--BCHER-KVA",
        "XN--bcher-kva",
        "xn--zz",
        "xn--abc-",
        "Bücher",
        "",
    ],
)
def test_chosen_labels(label: str) -> None:
    _require_native()
    assert_label_agrees(label)


def test_the_native_path_decides_valid_labels() -> None:
    _require_native()
    cases = (("bücher", False), ("\u0915\u094d\u200d\u0937", False), ("abc", True), ("xn--bcher-kva", False))
    for label, bidi in cases:
        result = _native._check_label(label, Profile.REGISTRATION, bidi, False)
        assert result is not None and result.ok, label
        assert check_label(label, bidi_domain=bidi) is not result  # a fresh object every call
        assert check_label(label, bidi_domain=bidi) == result


@pytest.mark.parametrize(
    "name",
    [
        "Bücher.Example",
        "EXAMPLE.COM",
        "xn--BCHER-KVA.example",
        "faß.de",
        "\u4f8b\u5b50\u3002\u6d4b\u8bd5",  # an ideographic full stop separates labels
        "\uff21\uff22\uff23.example",  # full-width letters
        "a\u00adb.example",  # soft hyphen: ignored
        "\u0627\u0644\u0639\u0631\u0628\u064a\u0629.example",
        "\u0627\u0644\u0639\u0631\u0628\u064a\u0629.1example",  # Bidi rule 1 on the LTR label
        "xn--zz.example",
        "xn--ab-.example",
        "xn--abc.xn--def",
        "a..b",
        "example.com.",
        "",
        "a" * 63 + ".b",
        "a" * 64 + ".b",
        ".".join(["a" * 63] * 4),
        "\ufdfa" * 14,  # 18 code points each
        "e\u0301.example",  # mapping leaves it; NFC composes it
        "x\u200dy.example",  # CheckJoiners
        "\u0915\u094d\u200d\u0937.example",
        "xn--1ug.example",  # decodes to a lone ZWJ
        "xn--a-ecp.example",  # an xn-- label that decodes to a label starting with a mark
    ],
)
def test_chosen_names_uts46(name: str) -> None:
    _require_native()
    assert_uts46_agrees(name, every_setting=True)


def test_uts46_result_built_natively() -> None:
    """The default-options result comes from one native call, equal to the Python path's."""
    _require_native()
    from idnkit.idna._uts46 import DEFAULT_OPTIONS

    for name in ("bücher.example", "Bücher.Example", "xn--bcher-kva.example", "\u0645\u062b\u0627\u0644.example"):
        built = _native._uts46_ascii(name)
        assert built is not None and built.ok and built.options is DEFAULT_OPTIONS, name
        assert built == same(uts46.to_ascii, name)
    assert _native._uts46_ascii("-x.example") is None
    assert uts46.to_ascii("-x.example", strict=False).status_codes == {"V3"}


@pytest.mark.slow
def test_map_string_of_every_code_point() -> None:
    """The C mapping (UTS #46 §4 steps 1-2) = the Python one (str.translate, then NFC) on every code
    point alone, after a letter and before a combining mark, nontransitional and transitional."""
    _require_native()
    from idnkit.unicode import UTS46_STATUS

    assert _native.map_string is not None
    changed = 0
    for cp in range(0x110000):
        c = chr(cp)
        for text in (c, "A" + c, c + "\u0301"):
            for transitional in (False, True):
                native = uts46.map_string(text, transitional=transitional)
                with python_only():
                    assert _native.map_string is None
                    reference = uts46.map_string(text, transitional=transitional)
                assert native == reference, (hex(cp), text, transitional)
        changed += UTS46_STATUS[cp] != "valid" and uts46.map_string(c) != c
    assert changed > 5000
    long = "ẞ\ufdfa" * 512  # the longest expansions, at MAX_INPUT code points
    with python_only():
        reference = uts46.map_string(long, transitional=True)
    assert uts46.map_string(long, transitional=True) == reference


def _uts46_flagged_python(label: str, transitional: bool) -> list[int]:
    """What _uts46._validate's code point loop can report on, in Python (UTS #46 §4.1 V5, U1, V7, V8)."""
    from idnkit.unicode import UTS46_STATUS

    allowed = ("valid",) if transitional else ("valid", "deviation")
    out = []
    for i, c in enumerate(label):
        cp = ord(c)
        if cp < 0x80:
            flag = not ((c.islower() and c.isalpha()) or c.isdigit() or c == "-")
        else:
            flag = UTS46_STATUS[cp] not in allowed or cp in (0x200C, 0x200D)
        if flag:
            out.append(i)
    return out


@pytest.mark.slow
def test_uts46_label_check_of_every_code_point() -> None:
    """uts46_flagged on every code point alone and after a letter; uts46_label accepts only what
    the Python §4.1 loop finds nothing in."""
    _require_native()
    from idnkit.idna._uts46 import DEFAULT_OPTIONS, _validate

    accepted = 0
    for cp in range(0x110000):
        text = "a" + chr(cp)
        for transitional in (False, True):
            assert _native._uts46_flagged(text, transitional) == _uts46_flagged_python(text, transitional), cp
        for bidi in (False, True):
            if _native._uts46_label(text, bidi):
                out: list[Any] = []
                with python_only():
                    _validate(text, bidi, 1, out, DEFAULT_OPTIONS, False)
                assert out == [], (cp, bidi)
                accepted += 1
    assert accepted > 100000


@pytest.mark.parametrize(
    ("name", "partial"),
    [
        ("bücher.ex_ample.com", True),  # one label left to Python, two built in C
        ("-bücher.example.", True),
        ("bücher..example", True),  # an empty label
        ("\u05d0\u05d1.1abc", True),  # RTL text: the LTR label falls to RFC 5893 rule 1
        ("\u05d0" * 64 + ".example", True),  # an over-long RTL label the core does not read still sets bidi
        ("a" * 64 + ".\u05d0\u05d1", True),
        ("xn--A-cx4iga7bg2b.com", False),  # an upper-case A-label: Python decodes it, and says bidi
        ("xn--zz.com", False),
        (".".join(["\u00fc" * 40] * 6), True),  # every label valid, the name over 253 octets
    ],
)
def test_partial_names(name: str, partial: bool) -> None:
    _require_native()
    assert_domain_agrees(name)
    assert assert_partial_agrees(name) == partial


def test_names_built_natively() -> None:
    _require_native()
    for name in ("bücher.example", "xn--bcher-kva.example.", "\u0645\u062b\u0627\u0644.example", "a.b.c", "example."):
        result = _native._check_domain(name, Profile.REGISTRATION, False)
        assert result is not None and result.ok, name
        assert result == same(check_domain, name)


# --- hypothesis -----------------------------------------------------------------------------------


@pytest.mark.property
@given(st.one_of(strat.idn_text, strat.valid_labels(), strat.alabels, strat.alabel_like))
def test_labels_agree(label: str) -> None:
    _require_native()
    assert_label_agrees(label)
    assert_complete(label, True)


@pytest.mark.property
@given(st.one_of(strat.domain_names(), strat.idn_text, strat.valid_domain_names))
def test_names_agree(name: str) -> None:
    _require_native()
    assert_domain_agrees(name)
    assert_uts46_agrees(name)
    assert_uts46_agrees(name.upper())


@pytest.mark.property
@given(st.one_of(strat.idn_text, strat.valid_labels()), st.booleans())
def test_native_fast_path_is_at_least_the_python_one(label: str, bidi: bool) -> None:
    """Where the regex fast path vouches for a label, the native one gives the same A-label."""
    _require_native()
    python = _labels._fast_ulabel_python(label, bidi) if label else None
    if python is not None:
        assert _native._alabel(label, bidi) == python


def test_lookup_helpers_agree_with_the_tables() -> None:
    _require_native()
    rng = random.Random(9)
    text = "".join(chr(rng.randrange(0x110000)) for _ in range(20000))
    assert _native._bidi_classes(text) == [BIDI_CLASS[ord(c)] for c in text]
    assert _native._flagged(text) == _labels._flagged_python(text)
    # the packed records behind them, over every code point of a few planes' worth of ranges
    for cp in [*range(0, 0x3000), *range(0xA000, 0xAC10), *range(0x10000, 0x11000), 0x10FFFF]:
        c = chr(cp)
        assert _native._bidi_classes(c) == [BIDI_CLASS[cp]]
        flagged = bool(_native._flagged(c))
        assert flagged == (DERIVED_PROPERTY[cp] != "PVALID" or cp in (0xDF, 0x3C2)), hex(cp)


def test_every_field_of_the_c_records() -> None:
    """The packed records of _tables.h against the Python tables, at both ends of every range."""
    _require_native()
    from idnkit.idna._speedups import record
    from idnkit.unicode import (
        COMBINING_CLASS,
        GENERAL_CATEGORY,
        JOINING_TYPE,
        SCRIPT,
        UTS46_STATUS,
    )
    from idnkit.unicode._ranges import ranges_where

    gen = _load_generator()
    field = {name: (at, (1 << bits) - 1) for name, at, bits in gen.C_FIELDS}

    def get(rec: int, name: str) -> int:
        at, mask = field[name]
        return (rec >> at) & mask

    maps = (DERIVED_PROPERTY, GENERAL_CATEGORY, BIDI_CLASS, COMBINING_CLASS, JOINING_TYPE, SCRIPT, UTS46_STATUS)
    points = {0x10FFFF}
    for first, last in ranges_where(lambda cp: True, *maps):
        points.update((first, last))
    bounds = sorted({s for m in maps for s in m._starts})
    points.update(b - 1 for b in bounds if b)
    assert len(points) > 4000
    for cp in sorted(points):
        rec = record(cp)
        assert get(rec, "DERIVED") == gen.C_DERIVED[DERIVED_PROPERTY[cp]], hex(cp)
        assert get(rec, "MARK") == (GENERAL_CATEGORY[cp][0] == "M"), hex(cp)
        assert get(rec, "BIDI") == gen.C_BIDI[BIDI_CLASS[cp]], hex(cp)
        assert get(rec, "CCC") == COMBINING_CLASS[cp], hex(cp)
        assert get(rec, "JOINING") == gen.C_JOINING.get(JOINING_TYPE[cp], 0), hex(cp)
        assert get(rec, "SCRIPT") == gen.C_SCRIPT.get(SCRIPT[cp], 0), hex(cp)
        assert get(rec, "UTS46") == gen.C_UTS46[UTS46_STATUS[cp]], hex(cp)


def _load_generator() -> Any:
    import importlib.util
    import sys

    from .conftest import ROOT

    if "gen_tables" in sys.modules:
        return sys.modules["gen_tables"]
    spec = importlib.util.spec_from_file_location("gen_tables", ROOT / "tools" / "gen_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_tables"] = module
    spec.loader.exec_module(module)
    return module


def test_every_uts46_mapping() -> None:
    """Each mapped code point (UTS #46 §5) inside a label, native and Python alike."""
    _require_native()
    from idnkit.unicode import UTS46_STATUS

    decided = 0
    for first, last in UTS46_STATUS.ranges(lambda s: s == "mapped"):
        for cp in range(first, last + 1):
            name = f"a{chr(cp)}b.example"
            assert_uts46_agrees(name)
            decided += _native._uts46_to_ascii(name) is not None
    assert decided > 3000


# --- the UTS #39 §4 skeleton ----------------------------------------------------------------------


def _python_skeleton(text: str) -> str:
    from idnkit.confusables import skeleton

    with python_only():
        return skeleton(text)


def test_skeleton_goes_native() -> None:
    _require_native()
    from idnkit.confusables import skeleton

    assert _native.skeleton is not None and skeleton("раураӏ") == "paypal"
    with python_only():
        assert _native.skeleton is None  # the reference path really is the Python one
        assert skeleton("раураӏ") == "paypal"


@pytest.mark.slow
def test_skeleton_of_every_code_point() -> None:
    """Every code point alone, after a letter, and before marks whose order NFD must settle."""
    _require_native()
    from idnkit.confusables import skeleton

    # U+0316 (ccc 220) and U+0301 (ccc 230) sort against the marks of decompositions and prototypes;
    # U+0345 (ccc 240) is itself mapped by confusables.txt.
    for block in range(0, 0x110000, 0x10000):
        texts = [
            text
            for cp in range(block, block + 0x10000)
            for text in (chr(cp), "a" + chr(cp), chr(cp) + "\u0301\u0316", "\u0345" + chr(cp) + "\u0316")
        ]
        native = [skeleton(text) for text in texts]
        with python_only():
            reference = [skeleton(text) for text in texts]
        for text, got, want in zip(texts, native, reference, strict=True):
            assert got == want, f"{text!a}"


def test_skeleton_of_every_prototype_and_decomposition() -> None:
    """The code points with a table entry, with marks around them, in one string each, and long strings."""
    _require_native()
    from idnkit.confusables import skeleton
    from idnkit.unicode._data import confusables as conf

    from .conftest import ROOT

    unicode_data = (ROOT / "tools/data/unicode/17.0.0/ucd/UnicodeData.txt").read_text("utf-8").splitlines()
    fields = [line.split(";") for line in unicode_data]
    decomposed = [int(f[0], 16) for f in fields if f[5] and not f[5].startswith("<")]
    assert len(decomposed) > 2000 and len(conf.PROTOTYPES) > 6000
    rng = random.Random(39)
    marks = "\u0301\u0316\u0345\u05b4\u093c\u0e48\u302a\u0300"
    for cp in sorted({*conf.PROTOTYPES, *decomposed, 0xAC00, 0xAC01, 0xD7A3}):
        text = rng.choice(marks) + chr(cp) + "".join(rng.sample(marks, 3)) + chr(cp)
        assert skeleton(text) == _python_skeleton(text), f"U+{cp:04X} in {text!a}"
    pool = [chr(cp) for cp in conf.PROTOTYPES] + list(marks) + ["\u00ad", "\u200d", "\U000e0041", "é", "한"]
    for size in (0, 1, 60, 113, 114, 255, 256, 257, 1000, 5000):  # stack and heap buffers
        text = "".join(rng.choice(pool) for _ in range(size))
        assert skeleton(text) == _python_skeleton(text), size


def test_skeleton_of_generated_labels() -> None:
    _require_native()
    from idnkit.confusables import mark_folded_skeleton, skeleton

    for label in GENERATED:
        assert skeleton(label) == _python_skeleton(label), label
        folded = mark_folded_skeleton(label)
        with python_only():
            assert folded == mark_folded_skeleton(label), label


@pytest.mark.property
@given(st.one_of(strat.idn_text, strat.hostile_text, strat.valid_labels()))
def test_skeletons_agree(text: str) -> None:
    _require_native()
    from idnkit.confusables import skeleton

    assert skeleton(text) == _python_skeleton(text)


def test_domain_ok_in_c_is_the_property() -> None:
    """DomainResult.ok is computed in C while the native core is on: the Python property's answer on
    checked names and on results built by hand (warnings only, errors at either level, labels given
    as a list, a label that is not a LabelResult)."""
    _require_native()
    from idnkit.findings import Finding, Severity
    from idnkit.idna._results import DomainResult, LabelResult

    python_ok = _labels._DOMAIN_OK_PYTHON.fget
    assert python_ok is not None and DomainResult.ok is not _labels._DOMAIN_OK_PYTHON
    results = [check_domain(name) for name in [*IDNA_TEST_NAMES[::20], "bücher.example", "-x.com", "straße.de"]]
    assert {r.ok for r in results} == {True, False}
    warning = Finding("uts46.deviation", "w", 1, None, 1, Severity.WARNING)
    error = Finding("rfc5892.disallowed", "e", 1, None, 1)
    good = LabelResult("a", "a", "a", Profile.REGISTRATION, (warning,))
    bad = LabelResult("-", "-", None, Profile.REGISTRATION, (warning, error))

    class Label:  # duck-typed: the property asks it for its own findings and ok
        def __init__(self, findings: tuple[Finding, ...], ok: bool) -> None:
            self.findings, self.ok = findings, ok

    def result(labels: Any, name_findings: tuple[Finding, ...] = ()) -> DomainResult:
        return DomainResult("x", None, None, Profile.REGISTRATION, labels, name_findings)

    results += [
        result(()),
        result((good, good)),
        result((good, bad)),
        result([good, bad]),
        result([good]),
        result((good,), (warning,)),
        result((good,), (warning, error)),
        result((Label((error,), False),)),
        result((Label((error,), True),)),  # its own answer, as the property takes it
        result((Label((), False),)),  # no findings: not asked
    ]
    for r in results:
        assert r.ok is python_ok(r), r
