"""Each shipped policy on real sample labels, accepted and refused, with the rule that refuses them."""

from __future__ import annotations

import pytest

from idnkit.policy import Status, find, load

# (policy, label, refusing rules or () when accepted).  Labels are real words and place names.
CASES = [
    # .se (official): Latin or Yiddish table, exactly one.
    ("se", "räksmörgås", ()),
    ("se", "bücher", ()),
    ("se", "a-b", ()),
    ("se", "יידיש", ()),
    ("se", "straße", ("policy.table.none",)),
    ("se", "привет", ("policy.table.none",)),
    # .nu (official)
    ("nu", "åäö", ()),
    ("nu", "bücher", ()),
    ("nu", "привет", ("policy.table.none",)),
    # .рф: Russian Cyrillic only
    ("рф", "пример", ()),
    ("рф", "привет-мир", ()),
    ("рф", "ёлка", ()),
    ("рф", "example", ("policy.table.none", "policy.script.not_allowed")),
    ("рф", "україна", ("policy.table.none",)),  # Ukrainian і is not in the Russian table
    (
        "рф",
        "приmер",
        ("policy.table.none", "policy.script.not_allowed", "policy.script.mixed", "policy.restriction_level"),
    ),
    # .中国 / .cn: Han with LDH
    ("cn", "中国", ()),
    ("cn", "中國", ()),
    ("cn", "中国abc", ()),
    ("cn", "中国ä", ("policy.table.none", "policy.script.mixed")),
    # .ελ: Greek
    ("ελ", "ελλάδα", ()),
    ("ελ", "ελλάς", ()),
    (
        "ελ",
        "ελλaς",
        ("policy.table.none", "policy.script.not_allowed", "policy.script.mixed", "policy.restriction_level"),
    ),
    # .de: German reference table
    ("de", "straße", ()),
    ("de", "bücher", ()),
    ("de", "çà", ("policy.table.none",)),
    ("de", "привет", ("policy.table.none", "policy.script.not_allowed")),
    # .भारत: Devanagari, no digit mixing
    ("भारत", "भारत", ()),
    ("भारत", "हिन्दी", ()),
    ("भारत", "भारत१२", ()),
    ("भारत", "भारत1२", ("policy.table.none", "policy.digits.mixed")),
    ("भारत", "bharat", ("policy.table.none", "policy.script.not_allowed")),
    # .ไทย: Thai
    ("ไทย", "ไทย", ()),
    ("ไทย", "สวัสดี", ()),
    ("ไทย", "ไทย1๒", ("policy.table.none", "policy.digits.mixed")),
    ("ไทย", "thai", ("policy.table.none", "policy.script.not_allowed")),
    # .한국: Hangul with LDH, at most 17
    ("한국", "한국", ()),
    ("한국", "대한민국", ()),
    ("한국", "한국abc", ()),
    ("한국", "가" * 18, ("policy.length.codepoints",)),
    # .jp: Han + Hiragana + Katakana
    ("jp", "日本", ()),
    ("jp", "にほんご", ()),
    ("jp", "日本ご", ()),
    ("jp", "東京タワー", ()),
    ("jp", "日本abc", ()),
    ("jp", "ー日本", ("policy.table.none",)),
]


@pytest.mark.parametrize(("tld", "label", "refusals"), CASES, ids=[f"{t}-{lab}" for t, lab, _ in CASES])
def test_sample_label(tld: str, label: str, refusals: tuple[str, ...]) -> None:
    result = load(tld).check(label)
    rules = {f.rule for f in result.errors} - {"policy.table.invalid"}
    assert rules == set(refusals), [str(f) for f in result.errors]
    assert result.ok is (not refusals)
    if result.status is Status.EXAMPLE:
        assert result.findings[0].rule == "policy.example"


@pytest.mark.parametrize(
    ("name", "refusals"),
    [("中国.中国", ()), ("abc.cn", ()), ("abc.中国", ("policy.script.tld_form",)), ("한국.kr", ()),
     ("abc.한국", ("policy.script.tld_form",)), ("bücher.se", ()), ("bücher.nu", ())],
)  # fmt: skip
def test_names_under_each_form_of_the_tld(name: str, refusals: tuple[str, ...]) -> None:
    tld = name.rsplit(".", 1)[1]
    result = load(tld).check_name(name)
    assert {f.rule for f in result.errors} == set(refusals)


def test_only_official_policies_are_found_by_tld() -> None:
    se = find("bücher.se")
    assert se is not None and se.status is Status.OFFICIAL
    assert find("x.nu") is not None
    for name in ("пример.рф", "中国.cn", "a.de", "a.jp", "b.example"):
        assert find(name) is None, name
