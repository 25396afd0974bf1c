"""``idncheck epp FILE.xml``: the response document on stdout, exit 0 for 1xxx, 1 otherwise, 2 for usage."""

from __future__ import annotations

from pathlib import Path

from .._cli import run_cli
from ._epp import check, create, idn_data, info, read

RAKSMORGAS = "xn--rksmrgs-5wao1o.se"


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_check_prints_the_response_and_exits_0(tmp_path: Path) -> None:
    result = run_cli("epp", write(tmp_path, "c.xml", check(RAKSMORGAS, "xn--strae-oqa.se")))
    assert result.exit_code == 0, result.output
    back = read(result.stdout_bytes)
    assert [(n, a) for n, a, _ in back.check_data()] == [(RAKSMORGAS, True), ("xn--strae-oqa.se", False)]


def test_create_writes_to_the_db_and_a_second_create_exits_1(tmp_path: Path) -> None:
    db = str(tmp_path / "reg.sqlite")
    doc = write(tmp_path, "create.xml", create(RAKSMORGAS, idn_data("und-Latn", "räksmörgås.se")))
    first = run_cli("epp", doc, "--db", db, "--registrar", "r1")
    assert first.exit_code == 0, first.output
    assert read(first.stdout_bytes).codes == [1000]
    again = run_cli("epp", doc, "--db", db, "--registrar", "r2")
    assert again.exit_code == 1
    assert read(again.stdout_bytes).rules == ["policy.registry.registered"]
    shown = run_cli("epp", write(tmp_path, "info.xml", info(RAKSMORGAS)), "--db", db)
    assert shown.exit_code == 0 and b"<domain:clID>r1</domain:clID>" in shown.stdout_bytes


def test_without_db_nothing_is_kept_and_without_registrar_a_create_is_2002(tmp_path: Path) -> None:
    doc = write(tmp_path, "create.xml", create(RAKSMORGAS))
    assert run_cli("epp", doc, "--registrar", "r1").exit_code == 0
    assert run_cli("epp", doc, "--registrar", "r1").exit_code == 0  # a fresh registry in memory each time
    refused = run_cli("epp", doc)
    assert refused.exit_code == 1 and read(refused.stdout_bytes).rules == ["epp.command.client"]


def test_hostile_input_is_answered_not_crashed(tmp_path: Path) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE epp [<!ENTITY a "aaaa">]><epp>&a;</epp>'
    result = run_cli("epp", write(tmp_path, "bomb.xml", bomb))
    assert result.exit_code == 1 and read(result.stdout_bytes).rules == ["epp.xml.forbidden"]
    stdin = run_cli("epp", "-", input=b"\xff")
    assert stdin.exit_code == 1 and read(stdin.stdout_bytes).rules == ["epp.xml.encoding"]


def test_policy_choice_and_usage_errors_exit_2(tmp_path: Path) -> None:
    # No official policy for .example: say so and name --policy.
    doc = write(tmp_path, "ex.xml", check("coop.example"))
    result = run_cli("epp", doc)
    assert result.exit_code == 2 and "--policy" in result.output
    # An example policy applies when named.
    named = run_cli("epp", write(tmp_path, "cn.xml", check("xn--fiqs8s.xn--fiqs8s")), "--policy", "cn")
    assert named.exit_code == 0
    assert run_cli("epp", doc, "--policy", "no-such-policy").exit_code == 2
    assert run_cli("epp", str(tmp_path / "missing.xml")).exit_code == 2
