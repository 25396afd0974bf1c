"""Policy.check: every rule kind, each finding tagged with its rule id and source."""

from __future__ import annotations

import pytest

from idnkit import RULES, Severity
from idnkit.policy import GRAPHEME_UNICODE_VERSION, Policy, Status, VariantAction, loads

from .fakes import ENGINES, FakeEngines
from .test_loader import MINIMAL

HEAD = MINIMAL.replace('[[table]]\nname = "t/latin"\ntag = "und-Latn"\n', "")


def policy(body: str, head: str = HEAD, engines: FakeEngines = ENGINES) -> Policy:
    return loads(head + "\n" + body, "test.toml", engines=engines)


def rules(p: Policy, label: str, **kw: str) -> list[str]:
    return [f.rule for f in p.check(label, **kw).findings if f.is_error]


LATIN = '[[table]]\nname = "t/latin"\ntag = "und-Latn"\nsource = "fake Latin table"\n'
CYRILLIC = '[[table]]\nname = "t/cyrillic"\ntag = "ru"\n'
HAN = '[[table]]\nname = "t/han"\ntag = "zh"\n'


def test_example_status_is_stated_in_every_verdict() -> None:
    p = policy(LATIN)
    result = p.check("bücher")
    assert result.ok and result.status is Status.EXAMPLE
    (notice,) = result.findings
    assert (notice.rule, notice.severity) == ("policy.example", Severity.WARNING)
    assert "not the registry's own" in notice.message
    assert result.to_dict()["note"] == "a test policy"
    official = policy(LATIN, HEAD.replace('status = "example"', 'status = "official"'))
    assert official.check("bücher").findings == ()
    assert official.check("bücher").to_dict()["note"] is None


def test_idna2008_findings_keep_their_rule_and_source() -> None:
    result = policy(LATIN).check("a\u00b7b")
    (f,) = result.errors
    assert (f.rule, f.engine, f.source, f.position) == (
        "rfc5892.contexto.middle_dot",
        "idna2008",
        "RFC 5892 Appendix A.3",
        2,
    )
    assert result.alabel is None


def test_alabel_input_is_judged_as_its_ulabel() -> None:
    result = policy(LATIN).check("xn--bcher-kva")
    assert result.ok and (result.ulabel, result.alabel) == ("bücher", "xn--bcher-kva")


def test_table_selection_any_one_language() -> None:
    any_ = policy(LATIN + CYRILLIC)
    assert any_.check("abc").tables == ("t/latin",)
    assert rules(any_, "abcя") == ["policy.table.none"] + ["policy.table.invalid"] * 4  # я; a, b, c
    refusal = [f for f in any_.check("abcя").findings if f.rule == "policy.table.invalid"]
    assert refusal[0].source == "fake Latin table" and refusal[0].engine == "lgr"
    assert refusal[0].ref == "t/latin:not-in-repertoire" and refusal[0].position == 4 and "U+044F" in refusal[0].message
    one = policy('[tables]\nselect = "one"\n' + LATIN + CYRILLIC)
    assert rules(one, "123") == ["policy.table.ambiguous"]
    assert rules(one, "abc") == []
    lang = policy('[tables]\nselect = "language"\n' + LATIN + CYRILLIC)
    assert rules(lang, "abc", language="ru") == [
        "policy.table.none",
        "policy.table.invalid",
        "policy.table.invalid",
        "policy.table.invalid",
    ]
    assert rules(lang, "абв", language="RU") == []
    assert rules(lang, "абв", language="de") == ["policy.table.language"]


def test_restriction_level() -> None:
    body = LATIN + '[uts39]\nrestriction_level = "highly-restrictive"\nsource = "UTS #39 §5.2 via test"\n'
    assert rules(policy(body, engines=FakeEngines(ENGINES.tables, "single-script")), "abc") == []
    p = policy(body, engines=FakeEngines(ENGINES.tables, "moderately-restrictive"))
    (f,) = p.check("abc").errors
    assert (f.rule, f.engine, f.source) == ("policy.restriction_level", "uts39", "UTS #39 §5.2 via test")


def test_scripts_allowed_single_and_combinations() -> None:
    p = policy(
        LATIN + CYRILLIC + '[tables]\nselect = "any"\n[scripts]\nallowed = ["Latn", "Cyrl"]\nsingle_script = true\n'
    )
    assert rules(p, "abc") == [] and rules(p, "абв") == []
    result = p.check("a\u0431")  # Latin a + Cyrillic be
    assert "policy.script.mixed" in [f.rule for f in result.errors]
    assert rules(p, "αβγ").count("policy.script.not_allowed") == 3
    jp = loads(
        HEAD + '\n[[table]]\nname = "t/han"\ntag = "ja"\n',
        engines=FakeEngines({"t/han": type(ENGINES.tables["t/han"])("t/han", "中国大あいアイー")}),
    )
    assert rules(jp, "中国あ") == []  # mixing allowed when single_script is off
    combo = (
        HEAD
        + '\n[[table]]\nname = "t/han"\ntag = "ja"\n'
        + '[scripts]\nsingle_script = true\ncombinations = [["Hani", "Hira", "Kana"]]\n'
    )
    jp2 = loads(combo, engines=jp.engines)  # type: ignore[arg-type]
    assert rules(jp2, "中国あア") == []
    assert rules(jp2, "あいー") == []  # U+30FC belongs to Hiragana and Katakana


def test_han_with_ldh_and_tld_form() -> None:
    body = HAN + '[scripts]\nallowed = ["Hani"]\nsingle_script = true\nwith_ldh = ["Hani"]\n'
    p = policy(body)
    assert rules(p, "中国abc") == []
    assert rules(p, "abc") == ["policy.script.not_allowed"] * 3  # LDH rides only with Han
    head = HEAD.replace('tld = "example"', 'tld = "中国"\naliases = ["cn"]')
    forms = loads(
        head + "\n" + HAN + '[scripts]\nallowed = ["Hani", "Latn"]\nidn_tld_only = ["Hani"]\n', engines=ENGINES
    )
    assert rules(forms, "中国", tld_form="ascii") == ["policy.script.tld_form"] * 2
    assert forms.check_name("中国.中国").ok
    assert [f.rule for f in forms.check_name("中国.cn").errors] == ["policy.script.tld_form"] * 2
    assert [f.rule for f in forms.check_name("abc.se").errors] == ["policy.tld"]


def test_digits() -> None:
    table = type(ENGINES.tables["t/han"])("t/x", "abc0123456789०१२३")
    eng = FakeEngines({"t/x": table})
    head = HEAD + '\n[[table]]\nname = "t/x"\ntag = "hi"\n'
    p = loads(head + '[digits]\nmixing = false\nallowed = ["ascii", "Deva"]\n', engines=eng)
    assert rules(p, "a12") == [] and rules(p, "a१२") == []
    (f,) = p.check("a1२").errors
    assert (f.rule, f.position, f.codepoint) == ("policy.digits.mixed", 3, "U+0968")
    q = loads(head + '[digits]\nallowed = ["Deva"]\n', engines=eng)
    assert rules(q, "a1") == ["policy.digits.not_allowed"]


def test_hyphens_lengths_context_reserved_blocked() -> None:
    p = policy(
        LATIN
        + "[hyphens]\nconsecutive = false\n"
        + '[length]\nmin_codepoints = 2\nmax_graphemes = 5\nmax_octets = 12\nsource = "registry rules §3"\n'
        + '[[context]]\nid = "l-dot"\nchar = "é"\nbefore = "[cd]"\nafter = "f"\nmessage = "é only in cef/déf"\n'
        + '[reserved]\nnames = ["nic"]\n[blocked]\nnames = ["XN--BCK-HOA"]\n'
    )
    assert rules(p, "a--b") == ["policy.hyphen.consecutive"]
    (f,) = p.check("a").errors
    assert (f.rule, f.source) == ("policy.length.codepoints", "registry rules §3")
    assert rules(p, "abcdef") == ["policy.length.graphemes"]
    assert rules(p, "äöüäö") == ["policy.length.octets"]  # xn--4caa... is over 12 octets
    assert rules(p, "céf") == []
    (ctx,) = p.check("aéf").errors
    assert (ctx.rule, ctx.ref, ctx.position, ctx.codepoint) == ("policy.context", "l-dot", 2, "U+00E9")
    assert rules(p, "nic") == ["policy.reserved"]
    assert rules(p, "bück") == ["policy.blocked"]
    no = policy(LATIN + "[hyphens]\nallowed = false\n")
    assert rules(no, "a-b") == ["policy.hyphen.not_allowed"]


def test_grapheme_lengths_use_uniseg() -> None:
    assert GRAPHEME_UNICODE_VERSION.count(".") == 2
    table = type(ENGINES.tables["t/han"])("t/ko", "한국한")
    p = loads(
        HEAD + '\n[[table]]\nname = "t/ko"\ntag = "ko"\n[length]\nmax_graphemes = 1\n',
        engines=FakeEngines({"t/ko": table}),
    )
    assert rules(p, "한") == []
    assert rules(p, "한국") == ["policy.length.graphemes"]


def test_extra_disallowed_code_points() -> None:
    p = policy(LATIN + '[idna]\ndisallow = ["U+00E9"]\nsource = "no é here"\n')
    (f,) = p.check("café").errors
    assert (f.rule, f.position, f.codepoint, f.source) == ("policy.idna.disallowed", 4, "U+00E9", "no é here")


def test_variants_and_conflict_keys() -> None:
    p = policy(HAN + '[variants]\nallocatable = "bundled"\n[confusables]\nstrip_marks = true\nfold = [["a", "b"]]\n')
    variants = {v.label: v for v in p.variants("中国")}
    assert variants["中國"].action is VariantAction.BUNDLED and variants["中國"].table == "t/han"
    assert p.variants("台") == [type(p.variants("台")[0])("臺", "blocked", VariantAction.BLOCKED, "t/han")]
    keys = dict(p.conflict_keys("中國"))
    assert keys["lgr-index:t/han"] == dict(p.conflict_keys("中国"))["lgr-index:t/han"]
    assert p.fold("ab") == "bb"


def test_every_finding_source_is_the_rule_or_the_policy() -> None:
    p = policy(LATIN + '[scripts]\nallowed = ["Latn"]\n')
    for f in p.check("abя").findings:
        assert f.rule in RULES
        assert f.source


def test_to_dict() -> None:
    d = policy(LATIN).check("a\u00b7b").to_dict()
    assert d["valid"] is False and d["status"] == "example" and d["policy"] == "example 1"
    assert d["findings"][1]["rule"] == "rfc5892.contexto.middle_dot"


@pytest.mark.parametrize("label", ["", "-", "a" * 300, "\ud800", "xn--"])
def test_bad_input_never_crashes(label: str) -> None:
    assert not policy(LATIN).check(label).ok


def test_key_sources_follow_the_conflict_keys() -> None:
    p = policy(HAN + LATIN + "[confusables]\nskeleton = true\nstrip_marks = true\n")
    sources = {s.kind: s for s in p.key_sources()}
    assert set(sources) == {"name", "lgr-index:t/han", "lgr-index:t/latin", "skeleton", "fold"}
    assert sources["lgr-index:t/han"].keys("國") == ["国"]
    assert sources["lgr-index:t/latin"].keys("國") == []
    assert sources["fold"].keys("bücher") == ["bucher"]
