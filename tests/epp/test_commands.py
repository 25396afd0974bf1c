"""Each EPP result code idnkit answers, for the reason it is the right one (RFC 5730 §3)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from idnkit.epp import MESSAGES, code_for, handle
from idnkit.policy import MemoryStore, NameRecord, Registry, RegistryError, RegistryTxn, load

from ._epp import check, create, idn_data, info, read

SE = load("se")
CN = load("cn")
RAKSMORGAS = "xn--rksmrgs-5wao1o.se"  # räksmörgås.se


@pytest.fixture
def se() -> Registry:
    return Registry(SE, MemoryStore())


def codes_and_rules(data: bytes, registry: Registry, registrar: str | None = "r1") -> tuple[int, list[str]]:
    answer = handle(data, registry=registry, registrar=registrar)
    back = read(answer)
    return answer.code, back.rules


def test_1000_create_then_its_credata(se: Registry) -> None:
    answer = handle(create(RAKSMORGAS, idn_data("und-Latn", "räksmörgås.se")), registry=se, registrar="r1")
    back = read(answer)
    assert answer.code == 1000 and answer.message == MESSAGES[1000] and answer.ok
    name = back.find("e:response/e:resData/domain:creData/domain:name")
    created = back.find("e:response/e:resData/domain:creData/domain:crDate")
    assert name is not None and name.text == RAKSMORGAS
    record = se.get(RAKSMORGAS)
    assert record is not None and created is not None and created.text == record.registered_at
    assert record.registrant == "r1" and answer.registration is not None and answer.registration.ok


def test_2001_is_a_document_that_cannot_be_read(se: Registry) -> None:
    assert codes_and_rules(b"<epp", se) == (2001, ["epp.xml.malformed"])


def test_2002_create_without_a_sponsoring_client(se: Registry) -> None:
    assert codes_and_rules(create(RAKSMORGAS), se, registrar=None) == (2002, ["epp.command.client"])
    assert se.get(RAKSMORGAS) is None


def test_2003_a_policy_that_picks_tables_by_language_needs_a_tag() -> None:
    from ..policy.test_registry import BODY, make_policy

    registry = Registry(make_policy('[tables]\nselect = "language"\n' + BODY), MemoryStore())
    assert codes_and_rules(create("coop.example"), registry) == (2003, ["epp.idn.table_required"])
    # A check needs no tag: the name must be valid under some table.
    answer = handle(check("coop.example"), registry=registry)
    assert read(answer).check_data() == [("coop.example", True, None)]
    # With a tag, the table is the one with that tag; Latin letters are not Cyrillic.
    assert codes_and_rules(create("coop.example", idn_data("und-Latn")), registry)[0] == 1000
    code, rules = codes_and_rules(create("pop.example", idn_data("ru")), registry)
    assert code == 2306 and "policy.table.none" in rules


@pytest.mark.parametrize(
    ("period", "code", "rule"),
    [
        ('<domain:period unit="y">0</domain:period>', 2004, "epp.period.range"),
        ('<domain:period unit="y">100</domain:period>', 2004, "epp.period.range"),
        ('<domain:period unit="d">1</domain:period>', 2005, "epp.period.syntax"),
        ('<domain:period unit="y">one</domain:period>', 2005, "epp.period.syntax"),
        ('<domain:period unit="m">99</domain:period>', 1000, None),
    ],
)
def test_2004_range_and_2005_syntax_of_the_period(se: Registry, period: str, code: int, rule: str | None) -> None:
    got = codes_and_rules(create(RAKSMORGAS, period=period), se)
    assert got == (code, [rule] if rule else [])


def test_2004_a_label_over_63_octets_is_outside_the_protocol_range(se: Registry) -> None:
    assert codes_and_rules(create("a" * 64 + ".se"), se) == (2004, ["dns.label_too_long"])


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("xn--rksmrgs-5wao1a.se", None),  # decodes, but to another name: valid syntax, so the policy judges it
        ("xn--zz.se", "rfc3492.invalid"),
        ("xn--www-.se", "rfc5890.fake_alabel"),  # decodes to ASCII
        ("xn--ls8h.se", "rfc5892.disallowed"),  # an emoji
        ("ab--cd.se", "rfc5891.hyphen34"),
        ("-abc.se", "rfc5891.hyphen_start"),
        ("räksmörgås.se", "epp.name.not_ascii"),  # the U-label belongs in <idn:uname>
    ],
)
def test_2005_names_that_are_not_idna2008(se: Registry, name: str, rule: str | None) -> None:
    code, rules = codes_and_rules(create(name), se)
    if rule is None:
        assert code != 2005
    else:
        assert code == 2005 and rule in rules


def test_2101_an_unimplemented_command(se: Registry) -> None:
    from ._epp import command

    assert codes_and_rules(command("renew", "<domain:name>a.se</domain:name>"), se) == (
        2101,
        ["epp.command.unimplemented"],
    )


def test_2302_the_name_exists_and_2303_info_on_a_name_that_does_not(se: Registry) -> None:
    assert codes_and_rules(create(RAKSMORGAS), se, "r1")[0] == 1000
    assert codes_and_rules(create(RAKSMORGAS), se, "r2") == (2302, ["policy.registry.registered"])
    assert codes_and_rules(info("xn--bcher-kva.se"), se) == (2303, ["epp.name.not_registered"])


def test_2306_the_policy_refuses(se: Registry) -> None:
    code, rules = codes_and_rules(create("xn--strae-oqa.se"), se)  # straße: in neither .se table
    assert code == 2306 and rules[0] == "policy.table.none"
    assert codes_and_rules(create("example.com"), se) == (2306, ["policy.tld"])
    assert codes_and_rules(create("a.b.se"), se) == (2306, ["epp.name.level"])


def test_2306_a_check_of_more_names_than_the_limit(se: Registry) -> None:
    assert codes_and_rules(check(*[f"n{i}.se" for i in range(101)]), se) == (2306, ["epp.command.too_many_names"])


class _BrokenStore:
    """A store whose transactions fail, as a database that went away does."""

    @contextmanager
    def transaction(self) -> Iterator[RegistryTxn]:
        raise RegistryError("reg.sqlite: cannot start a transaction: disk I/O error")
        yield  # pragma: no cover


def test_2400_the_registry_failing_is_not_the_clients_fault() -> None:
    registry = Registry.__new__(Registry)  # skip the constructor's re-indexing, which would fail first
    registry.policy, registry.store = SE, _BrokenStore()
    registry.attempts, registry.retries = 1, 0
    answer = handle(create(RAKSMORGAS), registry=registry, registrar="r1")
    back = read(answer)
    assert answer.code == 2400 and back.rules == ["epp.command.failed"]
    assert "disk I/O error" in back.reasons[2400][0]


def test_several_reasons_give_one_result_per_code_the_first_deciding(se: Registry) -> None:
    period = '<domain:period unit="y">0</domain:period>'
    answer = handle(create("räksmörgås.se", idn_data("klingon"), period=period), registry=se, registrar="r1")
    back = read(answer)
    # The period is wrong (2004 is read with the document), the name is not A-labels (2005), the tag names
    # no table (2306): syntax first.  The period is read before the names are judged, so it stops there.
    assert back.codes == [2004] and back.rules == ["epp.period.range"]
    answer = handle(create("räksmörgås.se", idn_data("klingon")), registry=se, registrar=None)
    back = read(answer)
    assert back.codes == [2002, 2005, 2306]
    assert back.rules == ["epp.command.client", "epp.name.not_ascii", "epp.idn.table_unknown"]


def test_extvalue_names_the_clients_element_and_value(se: Registry) -> None:
    answer = handle(create("xn--zz.se"), registry=se, registrar="r1")
    back = read(answer)
    value = back.find("e:response/e:result/e:extValue/e:value/domain:name")
    assert value is not None and value.text == "xn--zz.se"
    reason = back.find("e:response/e:result/e:extValue/e:reason")
    assert reason is not None and reason.text is not None and reason.text.startswith("rfc3492.invalid: ")


def test_code_for_covers_every_rule_family() -> None:
    assert code_for("uts46.would_map") == 2005
    assert code_for("policy.registry.variant_reserved") == 2306
    assert code_for("policy.registry.conflict") == 2306
    assert code_for("epp.name.not_registered") == 2303


def test_extensions_idnkit_does_not_read_are_left_to_the_srs(se: Registry) -> None:
    secdns = (
        '<secDNS:create xmlns:secDNS="urn:ietf:params:xml:ns:secDNS-1.1">'
        "<secDNS:maxSigLife>604800</secDNS:maxSigLife></secDNS:create>"
    )
    assert codes_and_rules(create(RAKSMORGAS, secdns), se)[0] == 1000


def test_record_type_is_what_the_registry_keeps(se: Registry) -> None:
    handle(create(RAKSMORGAS), registry=se, registrar="r1")
    assert isinstance(se.get(RAKSMORGAS), NameRecord)


def test_the_response_code_is_the_first_of_the_documented_order() -> None:
    """docs/epp.md: "the first of 2001, 2101, 2002, 2003, 2005, 2004, 2303, 2302, 2306, 2400" —
    every pair of codes, either way round, answers the earlier one (and none is 1000)."""
    import itertools
    import re

    from idnkit.epp._codes import primary

    from ..conftest import ROOT

    doc = (ROOT / "docs" / "epp.md").read_text(encoding="utf-8")
    listed = re.search(r"the first of ((?:2\d{3},\s+)+2\d{3})", doc)
    assert listed is not None
    order = [int(c) for c in re.split(r",\s+", listed.group(1))]
    assert len(order) == len(set(order)) == 10
    assert primary([]) == 1000
    for earlier, later in itertools.combinations(order, 2):
        assert primary([earlier, later]) == primary([later, earlier]) == earlier, (earlier, later)


def test_every_rule_of_the_catalogue_calls_for_its_documented_code() -> None:
    """docs/epp.md's result-code table, rule family by rule family, over every rule idnkit has."""
    from idnkit.epp._codes import _EPP_CODES, _RANGE_RULES, code_for
    from idnkit.rules import RULES

    assert len(RULES) > 100
    for rule in RULES:
        family = rule.partition(".")[0]
        if rule in _EPP_CODES:
            want = _EPP_CODES[rule]
        elif rule in ("dns.label_too_long", "dns.name_too_long", "dns.input_too_long"):
            want = 2004  # a DNS length (or an input far past one) is the protocol's range
        elif family == "dns" or family.startswith("rfc") or family == "uts46":
            want = 2005  # IDNA2008 and DNS syntax
        elif rule == "policy.registry.registered":
            want = 2302
        else:
            want = 2306  # everything a policy (or a table, or a look-alike rule) refuses
        assert code_for(rule) == want, rule
    assert set(_RANGE_RULES) == {"dns.label_too_long", "dns.name_too_long", "dns.input_too_long"}
