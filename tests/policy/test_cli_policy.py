"""``idncheck --policy``, ``idncheck policy lint|show`` and ``idncheck registry`` through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from idnkit.policy import _engines

from .._cli import run_cli as run
from ..conftest import ROOT
from .fakes import ENGINES
from .test_registry import BODY, HEAD

DATA = Path(__file__).resolve().parent.parent / "data" / "policy"


@pytest.fixture
def test_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A policy file over the test tables, with the test engines as idnkit's default."""
    monkeypatch.setattr(_engines, "DEFAULT_ENGINES", ENGINES)
    path = tmp_path / "test.toml"
    path.write_text(HEAD + BODY + '\n[reserved]\nnames = ["nic"]\n', encoding="utf-8")
    return str(path)


def lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_check_with_a_policy_file(test_policy: str) -> None:
    ok = run("bücher.example", "--policy", test_policy)
    assert ok.exit_code == 0, ok.output
    assert "bücher.example: VALID" in ok.output
    assert "policy   example 1 (example): accepted" in ok.output
    assert "policy.example" in ok.output  # the example notice is in every verdict
    refused = run("nic.example", "--policy", test_policy)
    assert refused.exit_code == 1
    assert "nic.example: INVALID (refused by policy)" in refused.output and "policy.reserved" in refused.output
    elsewhere = run("bücher.se", "--policy", test_policy)
    assert elsewhere.exit_code == 1 and "policy.tld" in elsewhere.output


def test_check_json_carries_the_policy_verdict(test_policy: str) -> None:
    result = run("--json", "nic.example", "bücher.example", "--policy", test_policy)
    first, second = lines(result)
    assert first["valid"] is True and first["policy"]["valid"] is False  # IDNA2008 fine, policy refuses
    assert [f["rule"] for f in first["policy"]["findings"]] == ["policy.example", "policy.reserved"]
    assert second["policy"]["status"] == "example" and second["policy"]["note"] == "a test policy"
    assert result.exit_code == 1


def test_policy_none_and_no_policy_for_unknown_tlds(test_policy: str) -> None:
    assert "policy" not in run("nic.example").output
    assert run("nic.example", "--policy", "none").exit_code == 0


def test_a_broken_policy_is_a_usage_error_listing_every_problem(test_policy: str) -> None:
    result = run("a.example", "--policy", str(DATA / "bad.toml"))
    assert result.exit_code == 2
    assert result.output.count("bad.toml:") == 18
    missing = run("a.example", "--policy", "xx")
    assert missing.exit_code == 2 and "no shipped policy for 'xx'" in missing.output


def test_lint(test_policy: str) -> None:
    clean = run("policy", "lint", test_policy)
    assert clean.exit_code == 0 and clean.output.endswith("clean\n")
    bad = run("policy", "lint", str(DATA / "bad.toml"), "--json")
    (record,) = lines(bad)
    assert bad.exit_code == 1 and record["ok"] is False and len(record["issues"]) == 18
    assert record["issues"][0] == {
        "file": str(DATA / "bad.toml"),
        "line": 2,
        "field": "policy",
        "message": "an example policy must say in 'note' that it is not the registry's own policy",
    }
    text = run("policy", "lint", str(DATA / "bad.toml"))
    assert f"{DATA / 'bad.toml'}:15: table[1].name: no shipped table 't/klingon'" in text.output
    assert run("policy", "lint", "/nonexistent/p.toml").exit_code == 2


def test_show(test_policy: str) -> None:
    text = run("policy", "show", test_policy)
    assert text.exit_code == 0
    assert ".example policy version 1, EXAMPLE" in text.output
    assert "NOT the registry's own policy" in text.output
    assert "t/han [zh]" in text.output and "allocatable → bundled" in text.output
    (record,) = lines(run("policy", "show", test_policy, "--json"))
    assert record["schema"] == "idnkit.policy/1"
    assert record["variants"] == {"allocatable": "bundled", "blocked": "blocked"}


@pytest.fixture(params=["sqlite-file", "sqlite-url", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """What --db accepts: a file, a sqlite:/// URL, a postgresql:// URL (each run opens it anew)."""
    if request.param == "sqlite-file":
        return str(tmp_path / "r.sqlite")
    if request.param == "sqlite-url":
        return f"sqlite:///{tmp_path / 'r.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


def test_registry_commands(test_policy: str, db_url: str) -> None:
    db = db_url

    def reg(*args: str) -> Result:
        return run("registry", "--db", db, "--policy", test_policy, *args)

    added = reg("add", "中国.example", "--registrant", "alice")
    assert added.exit_code == 0 and "中国.example: REGISTERED" in added.output
    assert "variant  中國  allocatable → bundled" in added.output
    refused = reg("--json", "check", "中國", "--registrant", "bob")
    (record,) = lines(refused)
    assert refused.exit_code == 1 and record["ok"] is False and record["conflicts"][0]["registrant"] == "alice"
    assert reg("add", "coop", "--registrant", "alice").exit_code == 0
    lookalike = reg("add", "соор", "--registrant", "mallory")
    assert lookalike.exit_code == 1 and "conflict coop  by skeleton, registrant alice" in lookalike.output
    assert reg("check", "bucher", "--registrant", "bob").exit_code == 0
    moved = reg("transfer", "中国", "--registrant", "alice", "--to", "bob")
    assert moved.exit_code == 0 and "中国, 中國" in moved.output
    wrong = reg("remove", "中国", "--registrant", "alice")
    assert wrong.exit_code == 1 and "registered to bob" in wrong.output
    assert reg("remove", "中國", "--registrant", "bob").exit_code == 0
    assert reg("bundle", "中國", "--registrant", "alice").exit_code == 1
    assert reg("bundle", "中國", "--registrant", "bob").exit_code == 0
    listing = reg("list", "example")
    assert listing.output.splitlines() == ["coop  alice", "中国  bob", "中國  bob  variant of 中国"]
    no_policy = run("registry", "--db", db, "add", "a.example", "--registrant", "x")
    assert no_policy.exit_code == 2 and "name one with --policy" in no_policy.output


def test_a_failing_registry_database_is_exit_2_with_its_message(test_policy: str, tmp_path: Path) -> None:
    import socket
    import sqlite3

    (tmp_path / "notes.txt").write_text("not a database\n" * 500)
    bad = run("registry", "--db", str(tmp_path / "notes.txt"), "--policy", test_policy, "list", "example")
    assert bad.exit_code == 2 and "notes.txt: not an SQLite database" in bad.output
    db = str(tmp_path / "r.sqlite")
    assert run("registry", "--db", db, "--policy", test_policy, "add", "coop", "--registrant", "a").exit_code == 0
    holder = sqlite3.connect(db, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, for longer than the store waits
    try:
        from idnkit.policy import _registry

        original = _registry.SQLiteStore.__init__

        def impatient(self: _registry.SQLiteStore, path: str, *, timeout: float = 30.0) -> None:
            original(self, path, timeout=0.1)

        with pytest.MonkeyPatch.context() as m:
            m.setattr(_registry.SQLiteStore, "__init__", impatient)
            locked = run("registry", "--db", db, "--policy", test_policy, "add", "pop", "--registrant", "a")
        assert locked.exit_code == 2 and "locked by another process" in locked.output
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = run("registry", "--db", f"postgresql://reg:s3cret@127.0.0.1:{port}/reg", "--policy", test_policy,
               "list", "example")  # fmt: skip
    assert down.exit_code == 2 and f"postgresql://reg@127.0.0.1:{port}/reg" in down.output
    assert "s3cret" not in down.output
    unknown = run("registry", "--db", "mysql://db/reg", "--policy", test_policy, "list", "example")
    assert unknown.exit_code == 2 and "unknown registry database URL scheme 'mysql'" in unknown.output


def test_registry_options_go_before_or_after_the_subcommand(test_policy: str, tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite")
    helped = run("registry", "add", "--help")  # no --db needed to read the help
    assert helped.exit_code == 0 and "--db" in helped.output and "--registrant" in helped.output
    missing = run("registry", "--policy", test_policy, "list", "example")
    assert missing.exit_code == 2 and "--db FILE_OR_URL" in missing.output
    empty = run("registry", "list", "example", "--db", db, "--policy", test_policy)
    assert empty.exit_code == 0 and empty.output == f"no names registered under example in {db}\n"
    added = run(
        "registry", "add", "中国.example", "--registrant", "alice", "--db", db, "--policy", test_policy, "--json"
    )
    assert added.exit_code == 0 and lines(added)[0]["action"] == "add"
    # the subcommand's option wins over the group's
    other = str(tmp_path / "other.sqlite")
    assert run("registry", "--db", other, "list", "example", "--db", db, "--policy", test_policy).output.startswith(
        "中国"
    )


def test_registry_show_transfer_wording_and_idempotent_bundle(test_policy: str, tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite")

    def reg(*args: str) -> Result:
        return run("registry", "--db", db, "--policy", test_policy, *args)

    assert reg("add", "中国.example", "--registrant", "alice").exit_code == 0
    shown = reg("show", "中國.example")
    assert shown.exit_code == 0
    assert shown.output.startswith("中國 (xn--fiqz9s): registrant alice")
    assert "  root     中国  (xn--fiqs8s), registrant alice" in shown.output
    (record,) = lines(reg("--json", "show", "中国"))
    assert record["record"]["name"] == "中国" and [r["name"] for r in record["bundle"]] == ["中国", "中國"]
    assert reg("show", "unknown").exit_code == 1
    moved = reg("transfer", "中国", "--registrant", "alice", "--to", "bob")
    assert moved.output == "中国: TRANSFERRED 中国, 中國\n"
    assert "REMOVED" in reg("remove", "中国", "--registrant", "bob").output
    assert reg("add", "中国", "--registrant", "carol").exit_code == 0
    bundled_twice = reg("bundle", "中國", "--registrant", "carol")  # already active in carol's bundle
    assert bundled_twice.exit_code == 0 and "ACTIVATED" in bundled_twice.output


def test_policy_list_shows_every_shipped_policy_with_its_status() -> None:
    result = run("policy", "list", "--json")
    assert result.exit_code == 0
    records = {r["alabel"]: r for r in map(json.loads, result.output.splitlines())}
    shipped = {p.stem for p in (ROOT / "policies").glob("*.toml")}
    assert set(records) == shipped
    assert records["se"]["status"] == "official" and records["xn--fiqs8s"]["status"] == "example"
    assert "cn" in records["xn--fiqs8s"]["aliases"]
    text = run("policy", "list").output
    assert any(line.startswith("se ") and "official" in line for line in text.splitlines())
