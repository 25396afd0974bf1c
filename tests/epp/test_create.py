"""A create against a policy and a registry: uname, tables, variants and look-alikes; and round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from idnkit.epp import handle
from idnkit.policy import MemoryStore, Registry, RegistryStore, SQLiteStore, load

from ..policy.test_registry import BODY, make_policy
from ._epp import IDN, check, create, idn_data, info, read

SE = load("se")
CN = load("cn")
RAKSMORGAS = "xn--rksmrgs-5wao1o.se"
TAIWAN, TAIWAN_TRAD = "台湾.中国", "台灣.中国"  # 灣 is a blocked variant of 湾 under ref/zh


def ascii_of(name: str) -> str:
    from idnkit import check_domain

    result = check_domain(name)
    assert result.ascii is not None
    return result.ascii


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> RegistryStore:
    return MemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "reg.sqlite")


def answer(data: bytes, registry: Registry, registrar: str | None = "r1") -> tuple[int, list[str]]:
    response = handle(data, registry=registry, registrar=registrar)
    return response.code, read(response).rules


# --- the Unicode form ---------------------------------------------------------------------------


def test_uname_must_be_the_u_label_of_the_name() -> None:
    registry = Registry(SE, MemoryStore())
    # räksmorgås is another name (o for ö): well-formed, so it is a policy refusal, not a syntax error.
    code, rules = answer(create(RAKSMORGAS, idn_data("und-Latn", "räksmorgås.se")), registry)
    assert (code, rules) == (2306, ["epp.idn.uname_mismatch"])
    assert registry.get(RAKSMORGAS) is None
    # The uname is checked as IDNA2008 itself: not NFC (o + U+0308) is a syntax error.
    code, rules = answer(create(RAKSMORGAS, idn_data("und-Latn", "räksmo\u0308rgås.se")), registry)
    assert code == 2005 and "rfc5891.nfc" in rules
    # Uppercase is not a U-label (IDNA2008 registration takes no mapping).
    code, rules = answer(create(RAKSMORGAS, idn_data("und-Latn", "Räksmörgås.se")), registry)
    assert code == 2005 and "rfc5892.disallowed" in rules
    # The TLD's form counts too: .cn is not the Unicode form of .中国.
    cn = Registry(CN, MemoryStore())
    code, rules = answer(create(ascii_of("中国.中国"), idn_data("zh", "中国.cn")), cn)
    assert (code, rules) == (2306, ["epp.idn.uname_mismatch"])
    assert answer(create(ascii_of("中国.中国"), idn_data("zh", "中国.中国")), cn)[0] == 1000


def test_the_name_itself_must_round_trip() -> None:
    registry = Registry(SE, MemoryStore())
    # xn--rksmrgs-5wao1a decodes to räksmèrgås: a different name than the uname says.
    code, rules = answer(create("xn--rksmrgs-5wao1a.se", idn_data("und-Latn", "räksmörgås.se")), registry)
    assert code == 2306 and "epp.idn.uname_mismatch" in rules
    # An A-label that is not the encoding of its own decoding never gets that far.
    code, rules = answer(create("xn--rksmrgs-5wao1o-.se"), registry)
    assert code == 2005


# --- tables ---------------------------------------------------------------------------------------


def test_unknown_table_is_refused_with_the_tables_the_policy_offers() -> None:
    registry = Registry(SE, MemoryStore())
    response = handle(create(RAKSMORGAS, idn_data("klingon")), registry=registry, registrar="r1")
    back = read(response)
    assert (response.code, back.rules) == (2306, ["epp.idn.table_unknown"])
    assert "se/latin (und-Latn), se/yiddish (yi-Hebr)" in back.reasons[2306][0]
    value = back.find("e:response/e:result/e:extValue/e:value/idn:table")
    assert value is not None and value.text == "klingon"


def test_a_table_the_policy_offers_but_the_label_does_not_fit() -> None:
    registry = Registry(SE, MemoryStore())
    code, rules = answer(create(RAKSMORGAS, idn_data("yi-Hebr")), registry)
    assert (code, rules) == (2306, ["epp.idn.table_mismatch"])
    yiddish = ascii_of("שלום.se")
    assert answer(create(yiddish, idn_data("yi-Hebr", "שלום.se")), registry)[0] == 1000
    assert answer(create(ascii_of("באַנק.se"), idn_data("se/yiddish")), registry)[0] == 1000  # by reference


def test_without_a_tag_the_table_follows_from_the_name() -> None:
    # .se selects "one": a label is valid under exactly one of its tables, so no tag is needed.
    assert answer(create(RAKSMORGAS), Registry(SE, MemoryStore()))[0] == 1000


# --- variants and look-alikes -----------------------------------------------------------------------


def test_a_bundled_variant_is_an_existing_object_2302_and_a_blocked_one_a_policy_refusal_2306() -> None:
    registry = Registry(CN, MemoryStore())
    assert answer(create(ascii_of(TAIWAN), idn_data("zh")), registry, "r1")[0] == 1000
    bundle = {v.label: v.action.value for v in CN.variants("台湾")}
    bundled = next(label for label, action in bundle.items() if action == "bundled")
    # The bundled variant was registered with 台湾 (a name of its own in r1's bundle): the object exists, so
    # RFC 5730 §3's 2302 is the answer, and an <info> on it answers 1000.
    code, rules = answer(create(ascii_of(f"{bundled}.中国"), idn_data("zh")), registry, "r2")
    assert (code, rules) == (2302, ["policy.registry.registered"])
    assert answer(info(ascii_of(f"{bundled}.中国")), registry)[0] == 1000
    # The blocked variant is reserved, not registered: <info> on it answers 2303, so "object exists" would
    # contradict the registry's own answer; the policy refuses it: 2306.
    code, rules = answer(create(ascii_of(TAIWAN_TRAD), idn_data("zh")), registry, "r2")
    assert (code, rules) == (2306, ["policy.registry.variant_blocked"])
    assert answer(info(ascii_of(TAIWAN_TRAD)), registry)[0] == 2303
    assert answer(create(ascii_of(TAIWAN_TRAD), idn_data("zh")), registry, "r1")[0] == 2306  # blocked for all


def test_a_variant_reserved_to_the_registrar_is_activated_and_to_another_refused() -> None:
    policy = make_policy(BODY.replace('allocatable = "bundled"', 'allocatable = "on-request"'))
    registry = Registry(policy, MemoryStore())
    assert answer(create(ascii_of("学.example")), registry, "alice")[0] == 1000
    assert answer(create(ascii_of("學.example")), registry, "bob") == (2306, ["policy.registry.variant_reserved"])
    response = handle(create(ascii_of("學.example")), registry=registry, registrar="alice")
    assert response.code == 1000 and response.registration is not None and response.registration.activates == "学"


def test_a_look_alike_of_a_registered_name_is_2306() -> None:
    registry = Registry(make_policy(), MemoryStore())
    assert answer(create("coop.example"), registry, "alice")[0] == 1000
    assert answer(create(ascii_of("соор.example")), registry, "mallory") == (2306, ["policy.registry.conflict"])


# --- round trips ------------------------------------------------------------------------------------


def test_check_create_info_round_trip(store: RegistryStore) -> None:
    registry = Registry(SE, store)
    names = (RAKSMORGAS, "xn--bcher-kva.se")
    before = read(handle(check(*names), registry=registry)).check_data()
    assert before == [(RAKSMORGAS, True, None), ("xn--bcher-kva.se", True, None)]
    created = handle(create(RAKSMORGAS, idn_data("und-Latn", "räksmörgås.se")), registry=registry, registrar="r1")
    assert created.code == 1000 and created.cltrid == "ABC-12345"
    after = read(handle(check(*names), registry=registry)).check_data()
    assert after[1] == ("xn--bcher-kva.se", True, None)
    name, avail, reason = after[0]
    assert (name, avail) == (RAKSMORGAS, False) and reason is not None
    assert reason.startswith("policy.registry.registered: 'räksmörgås' is registered to r1")
    response = handle(info(RAKSMORGAS), registry=registry)
    back = read(response)
    assert response.code == 1000
    infdata = back.find("e:response/e:resData/domain:infData")
    assert infdata is not None
    data = {el.tag.split("}")[1]: el for el in infdata}
    assert data["name"].text == RAKSMORGAS and data["clID"].text == "r1"
    assert data["status"].get("s") == "ok" and data["crDate"].text
    assert data["roid"].text is not None and data["roid"].text.endswith("-IDNKIT")
    table = back.find("e:response/e:extension/idn:data/idn:table")
    uname = back.find("e:response/e:extension/idn:data/idn:uname")
    assert table is not None and table.text == "und-Latn"
    assert uname is not None and uname.text == "räksmörgås.se"
    assert back.find("e:response/e:extension/idn:data") is not None and IDN in response.xml.decode()
    # The registration is there for the registry itself, as for the next command.
    record = registry.get(RAKSMORGAS)
    assert record is not None and record.registrant == "r1"


def test_an_ascii_name_gets_no_idn_data() -> None:
    registry = Registry(SE, MemoryStore())
    assert answer(create("example.se"), registry)[0] == 1000
    back = read(handle(info("example.se"), registry=registry))
    assert back.find("e:response/e:extension") is None


def test_a_check_reports_each_name_on_its_own() -> None:
    registry = Registry(CN, MemoryStore())
    assert answer(create(ascii_of(TAIWAN)), registry)[0] == 1000
    response = handle(check(ascii_of(TAIWAN_TRAD), ascii_of("中文.中国"), "xn--zz.xn--fiqs8s"), registry=registry)
    rows = read(response).check_data()
    assert [avail for _, avail, _ in rows] == [False, True, False]
    assert rows[0][2] is not None and rows[0][2].startswith("policy.registry.variant_blocked: ")
    assert rows[2][2] is not None and rows[2][2].startswith("rfc3492.invalid: ")
    assert [n.avail for n in response.names] == [False, True, False]
    assert response.names[0].findings[0].code == 2306 and response.names[2].findings[0].code == 2005
