"""UTS #39: the generated tables, skeleton conformance, script sets, levels, attack cases."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import unicodedata2

from idnkit import confusables as c
from idnkit.confusables import ConfusableKind, RestrictionLevel
from idnkit.findings import Severity

from .conftest import ROOT

UTS39 = ROOT / "tools" / "data" / "uts39" / "17.0.0"


def _uts39_file(name: str) -> Path:
    path = UTS39 / name
    if not path.is_file():
        pytest.fail(f"UTS #39 data file missing: {path}")
    return path


def _load_generator() -> ModuleType:
    sys.path.insert(0, str(ROOT / "tools"))
    spec = importlib.util.spec_from_file_location("gen_confusables", ROOT / "tools" / "gen_confusables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_confusables"] = module
    spec.loader.exec_module(module)
    return module


def _confusables_lines() -> list[tuple[int, str, str]]:
    out = []
    with _uts39_file("confusables.txt").open(encoding="utf-8-sig") as f:
        for number, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if line:
                src, dst, _ = (x.strip() for x in line.split(";"))
                out.append(
                    (
                        number,
                        "".join(chr(int(p, 16)) for p in src.split()),
                        "".join(chr(int(p, 16)) for p in dst.split()),
                    )
                )
    return out


CONFUSABLES = _confusables_lines()


# --- generated tables ------------------------------------------------------------------------


def test_checked_in_tables_are_current() -> None:
    gen = _load_generator()
    lines: list[str] = []
    assert gen.main(["--check"], write=lines.append) == 0, "".join(lines)


def test_check_mode_detects_a_stale_table(tmp_path: Path) -> None:
    gen = _load_generator()
    assert gen.main(["--out", str(tmp_path)], write=lambda _: None) == 0
    target = tmp_path / "confusables.py"
    target.write_text(
        target.read_text(encoding="utf-8").replace("PROTOTYPES = {\n", "PROTOTYPES = {\n    0x0041: 'B',\n", 1),
        encoding="utf-8",
    )
    lines: list[str] = []
    assert gen.main(["--check", "--out", str(tmp_path)], write=lines.append) == 1
    assert "stale" in "".join(lines)


def test_the_data_is_the_pinned_version() -> None:
    assert c.UNICODE_VERSION == "17.0.0"
    assert len(CONFUSABLES) > 6000


# --- UTS #39 §4 skeleton: conformance with confusables.txt -----------------------------------


def _line_not_consulted(src: str) -> bool:
    """§4 never looks a source up by its own line when NFD splits it or it is Default_Ignorable."""
    return unicodedata2.normalize("NFD", src) != src or c._DEFAULT_IGNORABLE[ord(src)]


def _nfd_of_target_is_remapped(dst: str) -> bool:
    return any(ord(ch) in c._SKELETON_TABLE for ch in unicodedata2.normalize("NFD", dst))


def test_every_source_maps_to_its_target() -> None:
    """Every line of confusables.txt: skeleton(source) == NFD(target), UTS #39 §4 to the letter.

    Exceptions, each a documented class (docs/confusables.md): a source that NFD decomposes is
    mapped piece by piece (U+0227 ȧ is a + U+0307, and U+0307 has its own line); a
    Default_Ignorable source (U+3164 HANGUL FILLER) is removed before mapping.  ICU agrees on
    every source (tests/test_differential_icu.py).
    """
    wrong = [
        f"confusables.txt:{n}: U+{ord(src):04X} -> {dst!r}"
        for n, src, dst in CONFUSABLES
        if c.skeleton(src) != unicodedata2.normalize("NFD", dst) and not _line_not_consulted(src)
    ]
    assert wrong == []
    differing = [n for n, src, dst in CONFUSABLES if c.skeleton(src) != unicodedata2.normalize("NFD", dst)]
    assert 0 < len(differing) < 100  # a small, known class; a data change shows here


def test_every_source_maps_to_its_targets_skeleton() -> None:
    """skeleton(source) == skeleton(target) on every line outside the documented classes.

    One more class: a target whose NFD form contains a character with its own prototype (the
    precomposed Hangul of U+321D PARENTHESIZED KOREAN CHARACTER OJEON decomposes into jamo that map
    on) is not a fixed point, since §4 applies the mapping once.
    """
    wrong = [
        f"confusables.txt:{n}: U+{ord(src):04X} -> {dst!r}"
        for n, src, dst in CONFUSABLES
        if c.skeleton(src) != c.skeleton(dst) and not _line_not_consulted(src) and not _nfd_of_target_is_remapped(dst)
    ]
    assert wrong == []
    remapped = [n for n, _, dst in CONFUSABLES if _nfd_of_target_is_remapped(dst)]
    assert 0 < len(remapped) < 100  # a small, known class; a data change shows here


def test_prototypes_are_their_own_skeleton() -> None:
    """Outside that class a target is a prototype: its skeleton is its NFD form (§4 idempotence)."""
    wrong = [
        f"confusables.txt:{n}: target {dst!r}"
        for n, _, dst in CONFUSABLES
        if not _nfd_of_target_is_remapped(dst) and c.skeleton(dst) != unicodedata2.normalize("NFD", dst)
    ]
    assert wrong == []


def test_ascii_fast_path_equals_the_general_algorithm() -> None:
    general = c._normalize  # the slow path spelled out
    for cp in range(0x80):
        s = f"a{chr(cp)}b"
        slow = general("NFD", general("NFD", s).translate(c._SKELETON_TABLE))
        assert c.skeleton(s) == slow, hex(cp)
        assert c.mark_folded_skeleton(s) == slow
    every = "".join(map(chr, range(0x80))) * 2
    assert c.skeleton(every) == every.translate(c._SKELETON_TABLE)


def test_skeleton_removes_default_ignorables_and_normalizes() -> None:
    assert c.skeleton("pay\u00adpal") == c.skeleton("paypal")  # SOFT HYPHEN is Default_Ignorable
    assert c.skeleton("pay\u200dpal") == "paypal"
    assert c.skeleton("e\u0301") == c.skeleton("é") == "e\u0301"
    assert c.skeleton("") == ""


# --- attack cases in several scripts -----------------------------------------------------------

SAME_SKELETON = [
    ("раураӏ", "paypal"),  # Cyrillic, with PALOCHKA for l
    ("аррӏе", "apple"),
    ("ѕсоре", "scope"),
    ("соса", "coca"),
    ("ΑΒΕ", "ABE"),  # Greek capitals
    ("οх", "ox"),  # Greek omicron, Cyrillic ha
    ("ցօօց", "goog"),  # Armenian
    ("ᎠᎪᏴ", "DAB"),  # Cherokee
    ("٠", "\u06f0"),  # Arabic-Indic and Extended Arabic-Indic zero
    ("١٢", "\u06f1\u06f2"),
    ("ｐａｙｐａｌ", "paypal"),  # fullwidth
    ("rn", "m"),  # ASCII look-alike
    ("l1I", "lll"),
]


@pytest.mark.parametrize(("a", "b"), SAME_SKELETON)
def test_attack_pairs_share_a_skeleton(a: str, b: str) -> None:
    assert c.skeleton(a) == c.skeleton(b)
    assert c.confusable(a, b) is not None


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("раураӏ", "paypal", ConfusableKind.WHOLE_SCRIPT),
        ("pаypal", "paypal", ConfusableKind.MIXED_SCRIPT),
        ("rn", "m", ConfusableKind.SINGLE_SCRIPT),
        ("ǉeto", "ljeto", ConfusableKind.SINGLE_SCRIPT),  # UTS #39 §4's own example
        ("ｐａｙｐａｌ", "paypal", ConfusableKind.SINGLE_SCRIPT),
        ("ΑΒΕ", "ABE", ConfusableKind.WHOLE_SCRIPT),
    ],
)
def test_confusable_kinds(a: str, b: str, kind: ConfusableKind) -> None:
    assert c.confusable(a, b) is kind
    assert c.confusable(b, a) is kind


def test_mark_folding_is_off_by_default() -> None:
    assert c.confusable("köhls", "kohls") is None
    assert c.confusable("köhls", "kohls", mark_folded=True) is ConfusableKind.MARK_FOLDED
    assert c.mark_folded_skeleton("ṗáÿpàl") == "paypal"
    # Script-specific marks carry meaning and are kept: Devanagari vowel sign I.
    assert c.mark_folded_skeleton("कि") != c.mark_folded_skeleton("क")
    assert c.confusable("bank", "bunk", mark_folded=True) is None


def test_mark_stacking() -> None:
    assert [f.rule for f in c.check_confusables("a\u0301\u0301b").findings] == ["uts39.repeated_mark"]
    stacked = "e" + "\u0300\u0301\u0302\u0303\u0304"
    rules = [f.rule for f in c.check_confusables(stacked).findings]
    assert rules == ["uts39.too_many_marks"]
    four = "e" + "\u0300\u0301\u0302\u0303"
    assert c.check_confusables(four).findings == ()
    # a precomposed letter plus the same mark again is a repeat on the NFD form
    repeat = c.check_confusables("á\u0301").findings
    assert [(f.rule, f.position) for f in repeat] == [("uts39.repeated_mark", 2)]


# --- §5.1 script sets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paypal", {"Latn"}),
        ("москва", {"Cyrl"}),
        ("pаypal", set()),
        ("漢字", {"Hani", "Hanb", "Jpan", "Kore"}),
        ("漢字かな", {"Jpan"}),
        ("한국漢", {"Kore"}),
        ("ㄅ漢", {"Hanb"}),
        ("ー", {"Hira", "Kana", "Jpan"}),  # KATAKANA-HIRAGANA PROLONGED SOUND MARK: Script_Extensions
    ],
)
def test_resolved_script_set(text: str, expected: set[str]) -> None:
    assert c.resolved_script_set(text) == expected


def test_common_and_inherited_are_all() -> None:
    assert c.resolved_script_set("123-") == c.ALL_SCRIPTS
    assert c.resolved_script_set("") == c.ALL_SCRIPTS
    assert c.augmented_script_set(0x034F) == c.ALL_SCRIPTS  # COMBINING GRAPHEME JOINER: Inherited
    assert c.resolved_script_set("a1\u0301") == {"Latn"}


# --- §5.2 restriction levels -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("paypal", RestrictionLevel.ASCII_ONLY),
        ("bücher", RestrictionLevel.SINGLE_SCRIPT),
        ("москва", RestrictionLevel.SINGLE_SCRIPT),
        ("東京abc", RestrictionLevel.HIGHLY_RESTRICTIVE),
        ("abcかな漢", RestrictionLevel.HIGHLY_RESTRICTIVE),
        ("abc한국", RestrictionLevel.HIGHLY_RESTRICTIVE),
        ("abcअ", RestrictionLevel.MODERATELY_RESTRICTIVE),
        ("abcא", RestrictionLevel.MODERATELY_RESTRICTIVE),
        ("pаypal", RestrictionLevel.MINIMALLY_RESTRICTIVE),
        ("abcα", RestrictionLevel.MINIMALLY_RESTRICTIVE),
        ("abcᎠ", RestrictionLevel.UNRESTRICTED),  # Cherokee is a Limited_Use script: Restricted
        ("a_b!", RestrictionLevel.UNRESTRICTED),  # '!' is outside the identifier profile
        ("ab\u2160", RestrictionLevel.UNRESTRICTED),
    ],
)
def test_restriction_levels(text: str, level: RestrictionLevel) -> None:
    assert c.restriction_level(text) is level


def test_restriction_level_finding_respects_the_threshold() -> None:
    assert "uts39.restriction_level" in [f.rule for f in c.check_confusables("abcअ").findings]
    relaxed = c.check_confusables("abcअ", max_level=RestrictionLevel.MODERATELY_RESTRICTIVE)
    assert relaxed.findings == ()


# --- §5.3 mixed numbers, §3.1 identifier status and type, intentional pairs --------------------


def test_mixed_numbers() -> None:
    assert c.mixed_numbers("abc123") == (0x30,)
    assert c.mixed_numbers("١٢۳") == (0x660, 0x6F0)
    assert [f.rule for f in c.check_confusables("١٢۳").findings] == ["uts39.mixed_numbers"]
    assert c.mixed_numbers("abc") == ()


def test_identifier_status_and_type() -> None:
    assert c.identifier_status(ord("a")) == "Allowed"
    assert c.identifier_status(ord("!")) == "Restricted"
    assert c.identifier_type(ord("a")) == ("Recommended",)
    assert "Obsolete" in c.identifier_type(0x01BF)  # LATIN LETTER WYNN
    assert c.identifier_type(0x0378) == ("Not_Character",)
    restricted = c.check_confusables("a\u01bfb").findings
    assert (restricted[0].rule, restricted[0].position, restricted[0].codepoint) == ("uts39.restricted", 2, "U+01BF")
    assert "Obsolete" in restricted[0].message


def test_intentional_pairs() -> None:
    assert c.is_intentional("ABE", "ΑΒΕ")
    assert not c.is_intentional("ABE", "ABE")
    assert not c.is_intentional("paypal", "раураӏ")  # confusable, but not intentionally identical
    pairs = []
    with _uts39_file("intentional.txt").open(encoding="utf-8-sig") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if line:
                pairs.append(tuple(chr(int(x.strip(), 16)) for x in line.split(";")))
    assert pairs
    assert all(c.is_intentional(a, b) and c.is_intentional(b, a) for a, b in pairs)


# --- whole-script confusables for one label (idnkit's own check) --------------------------------


@pytest.mark.parametrize(
    ("label", "example"),
    [("раураӏ", "paypal"), ("ѕсоре", "scope"), ("соса", "coca"), ("аррӏе", "apple")],
)
def test_single_label_whole_script_detection(label: str, example: str) -> None:
    result = c.check_confusables(label)
    assert [f.rule for f in result.findings] == ["uts39.whole_script_confusable"]
    assert result.confusable_with == (("Latn", example),)
    assert c.skeleton(example) == c.skeleton(label)
    assert c.resolved_script_set(example) == {"Latn"}


def test_whole_script_examples_are_strings_of_the_target_script() -> None:
    # Lisu "ꓳ" has the skeleton of the digit "0", which is Common, not Latin: the pair is a
    # single-script confusable (UTS #39 §4), never a whole-script one.
    assert c.whole_script_confusables("ꓳ") == {}
    assert c.whole_script_confusables("ꓳꓲ") == {"Latn": "0l"}
    seen = 0
    for cp in [*range(0xA4D0, 0xA500), *range(0x0400, 0x0500), *range(0x13A0, 0x13F6), *range(0x0370, 0x0400)]:
        label = chr(cp) * 2
        if c.identifier_status(cp) != "Allowed" and not 0x13A0 <= cp < 0x13F6:
            continue
        for target, example in c.whole_script_confusables(label).items():
            seen += 1
            assert c.skeleton(example) == c.skeleton(label)
            assert target in c.resolved_script_set(example) != c.ALL_SCRIPTS, (label, example)
            assert c.confusable(label, example) is c.ConfusableKind.WHOLE_SCRIPT, (label, example)
    assert seen > 10


def test_whole_script_detection_has_no_false_alarm_on_ordinary_labels() -> None:
    for label in ("москва", "россия", "ελλάδα", "բարեւ", "مثال", "例え", "paypal", "123"):
        assert c.whole_script_confusables(label) == {}, label


def test_mixed_script_label_confusable_with_latin() -> None:
    result = c.check_confusables("pаypal")
    assert [f.rule for f in result.findings] == ["uts39.restriction_level", "uts39.mixed_script_confusable"]


def test_other_target_scripts() -> None:
    assert c.whole_script_confusables("scope", targets=("Cyrl",)) == {"Cyrl": "ѕсоре"}
    assert c.whole_script_confusables("москва", targets=("Latn", "Grek")) == {}


def test_result_to_dict() -> None:
    d = c.check_confusables("раураӏ").to_dict()
    assert d["skeleton"] == "paypal"
    assert d["scripts"] == ["Cyrl"]
    assert d["restriction_level"] == "single-script"
    assert d["confusable_with"] == [{"script": "Latn", "example": "paypal"}]
    assert d["findings"][0]["rule"] == "uts39.whole_script_confusable"
    assert c.check_confusables("123").to_dict()["scripts"] == "ALL"


def test_long_inputs_give_exact_results() -> None:
    """20,000-code-point inputs: exact answers (this checks results only; bench_adversarial measures growth)."""
    long = "раураӏ" * 4_000
    assert c.whole_script_confusables(long) == {"Latn": "paypal" * 4_000}
    marks = "a" + "\u0301" * 20_000 + "b\u0301\u0301"
    rules = [f.rule for f in c.check_confusables(marks, whole_script=False).findings]
    assert rules == ["uts39.repeated_mark", "uts39.too_many_marks", "uts39.repeated_mark"]


def test_ascii_script_set_fast_path_matches_the_tables() -> None:
    for cp in range(0x80):
        for text in (chr(cp), f"a{chr(cp)}", f"1{chr(cp)}"):
            slow = c.ALL_SCRIPTS
            for ch in text:
                slow = slow & c.augmented_script_set(ord(ch))
            assert c.resolved_script_set(text) == slow, text
            assert c.resolved_script_set(text, without="Latn") == c.ALL_SCRIPTS


def test_generator_names_the_bad_line(tmp_path: Path) -> None:
    import shutil

    gen = _load_generator()
    for name in ("confusables.txt", "intentional.txt", "IdentifierStatus.txt", "IdentifierType.txt"):
        shutil.copy(_uts39_file(name), tmp_path / name)
    with (tmp_path / "confusables.txt").open("a", encoding="utf-8") as f:
        f.write("0041 0042 ;\t0043 ;\tMA\t# two code points as a source\n")
    with pytest.raises(SystemExit, match=r"confusables\.txt:\d+: source is not a single code point"):
        gen.main(["--uts39", str(tmp_path), "--out", str(tmp_path / "out")], write=lambda _: None)


def test_ascii_skeleton_of_a_batch_equals_each_name_alone() -> None:
    """The batch form joins names with newlines: the ASCII skeleton must leave newlines alone."""
    assert c._ASCII_BYTES[0x0A] == 0x0A
    assert not any(b"\n" in source + proto for source, proto in c._ASCII_OTHER_BYTES)
    names = [bytes([b]) * 2 + b"m-0" for b in range(0x20, 0x7F) if b != 0x0A] + [b"", b"rnm", b'"%']
    assert c._ascii_skeleton_batch(names) == [c._ascii_skeleton_bytes(name) for name in names]
    assert c._ascii_skeleton_batch([]) == []


# --- the default mixed-script warning (issue 19: `idncheck pаypal.com` said nothing) ---------------


@pytest.mark.parametrize(
    ("label", "position", "scripts"),
    [
        ("pаypal", 2, ("Latin", "Cyrillic")),  # Cyrillic а among Latin letters: the classic look-alike
        ("аррlе", 4, ("Cyrillic", "Latin")),  # mostly Cyrillic: the Latin l is the odd one out
        ("abcαβγ", 4, ("Latin", "Greek")),
        ("مرحباabc", 6, ("Arabic", "Latin")),  # moderately restrictive: still a warning for a label
    ],
)
def test_a_mixed_script_label_is_a_warning_naming_its_scripts(
    label: str, position: int, scripts: tuple[str, ...]
) -> None:
    finding = c.mixed_script_finding(label, 1)
    assert finding is not None
    assert (finding.rule, finding.severity, finding.position, finding.label_index) == (
        "uts39.mixed_script",
        Severity.WARNING,
        position,
        1,
    )
    assert finding.codepoint == f"U+{ord(label[position - 1]):04X}"
    named = [finding.message.index(s) for s in scripts]
    assert named == sorted(named)  # most used script first
    assert f"{label[position - 1]} U+{ord(label[position - 1]):04X} at {position}" in finding.message


@pytest.mark.parametrize("label", ["paypal", "bücher", "東京abc", "日本語テキストabc", "서울abc", "한국", "x-1", "١٢٣"])
def test_single_script_and_highly_restrictive_labels_get_no_mixed_script_warning(label: str) -> None:
    assert c.mixed_script_finding(label) is None


def test_a_long_mixed_label_names_six_characters_per_script_and_counts_the_rest() -> None:
    finding = c.mixed_script_finding("abcdefghijkа")
    assert finding is not None and "and 5 more" in finding.message and finding.position == 12


def test_the_restriction_level_message_names_the_scripts_a_label_mixes() -> None:
    (level,) = [f for f in c.check_confusables("pаypal").findings if f.rule == "uts39.restriction_level"]
    assert "mixes Latin, Cyrillic" in level.message and "{}" not in level.message
