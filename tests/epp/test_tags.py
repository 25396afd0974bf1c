"""Issue 20's EPP tag conventions: every way registrars name the table or language, mapped to the policy's tables."""

from __future__ import annotations

import pytest

from idnkit.epp import (
    AFILIAS_IDN_NS,
    AFILIAS_LEGACY_IDN_NS,
    ARI_IDN_NS,
    IETF_IDN_EPP_NS,
    VERISIGN_IDNLANG_NS,
    handle,
    parse,
)
from idnkit.epp._tags import candidates
from idnkit.policy import MemoryStore, Registry, load

from ._epp import check, create, idn_data, read

SE = load("se")
CN = load("cn")
DE = load("de")
RAKSMORGAS = "xn--rksmrgs-5wao1o.se"
SHALOM = "xn--9dbne9b.se"  # שלום.se, valid under se/yiddish only


def verisign(tag: str) -> str:
    return f'<idnLang:tag xmlns:idnLang="{VERISIGN_IDNLANG_NS}">{tag}</idnLang:tag>'


def afilias(script: str, verb: str = "create", ns: str = AFILIAS_IDN_NS) -> str:
    return f'<idn:{verb} xmlns:idn="{ns}"><idn:script>{script}</idn:script></idn:{verb}>'


def ari(language: str, user_form: str) -> str:
    return f'<create xmlns="{ARI_IDN_NS}"><userForm language="{language}">{user_form}</userForm></create>'


def outcome(data: bytes, policy: object = SE, registrar: str = "r1") -> tuple[int, list[str]]:
    registry = Registry(policy, MemoryStore())  # type: ignore[arg-type]
    response = handle(data, registry=registry, registrar=registrar)
    return response.code, read(response).rules


@pytest.mark.parametrize(
    ("extension", "name"),
    [
        (idn_data("und-Latn"), RAKSMORGAS),  # IETF idn mapping, the table's tag
        (idn_data("UND-latn"), RAKSMORGAS),  # BCP 47 tags compare case-insensitively (RFC 5646 §2.1.1)
        (idn_data("se/latin"), RAKSMORGAS),  # the table's reference in the policy
        (idn_data("und-Latn", ns=IETF_IDN_EPP_NS), RAKSMORGAS),  # the epp: URN form of the same mapping
        (idn_data("yi-Hebr", "שלום.se"), SHALOM),
        (verisign("YID"), SHALOM),  # Verisign idnLang: ISO 639-2 → yi → yi-Hebr
        (afilias("Latn"), RAKSMORGAS),  # Afilias <idn:script>: a script code → und-Latn
        (afilias("Hebr"), SHALOM),
        (afilias("yi", ns=AFILIAS_LEGACY_IDN_NS), SHALOM),  # the older .info URN
        (ari("yi", "שלום.se"), SHALOM),  # ARI: <userForm language=...>
        (ari("Latn", "RÄKSMÖRGÅS.SE"), RAKSMORGAS),  # a user form is compared after UTS #46 mapping
    ],
)
def test_each_convention_names_a_table_of_the_policy(extension: str, name: str) -> None:
    assert outcome(create(name, extension)) == (1000, [])


@pytest.mark.parametrize(
    ("value", "policy", "ref"),
    [
        ("CHI", CN, "ref/zh"),  # ISO 639-2/B
        ("zho", CN, "ref/zh"),  # ISO 639-2/T
        ("zh", CN, "ref/zh"),
        ("GER", DE, "ref/de"),
        ("deu", DE, "ref/de"),
        ("de-DE", DE, None),  # a region the policy's tag does not have: no table claims it
        ("Hani", CN, None),  # the zh table's tag has no script subtag
        ("und", SE, None),
        ("sv", SE, None),  # Swedish names no .se table: the tables are und-Latn and yi-Hebr
    ],
)
def test_language_tags_map_to_tables(value: str, policy: object, ref: str | None) -> None:
    found = candidates(value, policy.data.tables.tables)  # type: ignore[attr-defined]
    assert [t.ref for t in found] == ([ref] if ref else [])


def test_a_tag_naming_no_table_is_2306() -> None:
    assert outcome(create(RAKSMORGAS, verisign("SWE"))) == (2306, ["epp.idn.table_unknown"])
    assert outcome(create(RAKSMORGAS, afilias("Cyrl"))) == (2306, ["epp.idn.table_unknown"])


def test_a_tag_the_label_does_not_fit_is_2306() -> None:
    assert outcome(create(RAKSMORGAS, verisign("YID"))) == (2306, ["epp.idn.table_mismatch"])


def test_two_conventions_naming_different_tables_is_2306() -> None:
    data = create(RAKSMORGAS, idn_data("und-Latn") + verisign("YID"))
    assert outcome(data) == (2306, ["epp.idn.tags_conflict"])
    agreeing = create(RAKSMORGAS, idn_data("und-Latn") + afilias("Latn"))
    assert outcome(agreeing) == (1000, [])


def test_a_tag_fitting_several_tables_is_ambiguous_2306() -> None:
    from ..policy.test_registry import BODY, make_policy

    # zh-Hans and zh-Hant: "CHI" (zh) fits both by its language; an exact tag would have decided.
    two = make_policy(BODY.replace('tag = "ru"', 'tag = "zh-Hant"').replace('tag = "zh"', 'tag = "zh-Hans"'))
    assert outcome(create("xn--fiqs8s.example", verisign("CHI")), two) == (2306, ["epp.idn.table_ambiguous"])
    assert outcome(create("xn--fiqs8s.example", verisign("zh-Hans")), two) == (1000, [])
    assert outcome(create("coop.example", idn_data("und")), two) == (2306, ["epp.idn.table_unknown"])


def test_a_required_tag_missing_is_2003_in_every_convention() -> None:
    from ..policy.test_registry import BODY, make_policy

    language = make_policy('[tables]\nselect = "language"\n' + BODY)
    assert outcome(create("coop.example"), language) == (2003, ["epp.idn.table_required"])
    assert outcome(create("coop.example", afilias("Latn")), language) == (1000, [])
    assert outcome(create("xn--fiqs8s.example", verisign("CHI")), language) == (1000, [])


def test_tags_on_a_check_apply_to_every_name() -> None:
    registry = Registry(SE, MemoryStore())
    rows = read(handle(check(RAKSMORGAS, SHALOM, extension=afilias("Hebr", "check")), registry=registry))
    assert [(n, avail) for n, avail, _ in rows.check_data()] == [(RAKSMORGAS, False), (SHALOM, True)]
    assert rows.check_data()[0][2] is not None and rows.check_data()[0][2].startswith("epp.idn.table_mismatch: ")


def test_parse_keeps_each_convention() -> None:
    cmd = parse(create(SHALOM, idn_data("yi-Hebr", "שלום.se") + verisign("YID") + ari("yi", "שלום.se")))
    assert [(t.convention, t.value, t.element) for t in cmd.tags] == [
        ("ietf", "yi-Hebr", "idn:table"),
        ("verisign", "YID", "idnLang:tag"),
        ("ari", "yi", "userForm"),
    ]
    assert [(f.element, f.mapped) for f in cmd.unicode_forms] == [("idn:uname", False), ("userForm", True)]


@pytest.mark.parametrize(
    "extension",
    [
        f'<idn:data xmlns:idn="{IETF_IDN_EPP_NS}"><idn:uname>a.se</idn:uname></idn:data>',  # no table
        f'<idn:data xmlns:idn="{IETF_IDN_EPP_NS}"><idn:table>a</idn:table><idn:table>b</idn:table></idn:data>',
        f'<idn:infData xmlns:idn="{AFILIAS_IDN_NS}"><idn:script>de</idn:script></idn:infData>',
        f'<create xmlns="{ARI_IDN_NS}"><userForm>räksmörgås.se</userForm></create>',  # no language
        verisign(""),
    ],
    ids=["no-table", "two-tables", "afilias-response-element", "ari-without-language", "empty-tag"],
)
def test_malformed_tag_elements_are_2001(extension: str) -> None:
    code, rules = outcome(create(RAKSMORGAS, extension))
    assert code == 2001 and set(rules) == {"epp.command.structure"}


def test_an_unicode_form_in_a_check_is_2001() -> None:
    code, _ = outcome(check(RAKSMORGAS, extension=idn_data("und-Latn", "räksmörgås.se")))
    assert code == 2001
