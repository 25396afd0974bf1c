"""``idncheck`` with the shipped policies and the real engines."""

from __future__ import annotations

import json
from pathlib import Path

from .._cli import run_cli as run


def test_official_policy_applies_by_tld() -> None:
    ok = run("bücher.se")
    assert ok.exit_code == 0 and "policy   se 2020-10-02 (official): accepted" in ok.output
    assert "tables   se/latin" in ok.output
    refused = run("straße.se")
    assert refused.exit_code == 1 and "straße.se: INVALID (refused by policy)" in refused.output
    assert "policy.table.none" in refused.output


def test_example_policy_only_when_named() -> None:
    plain = run("example.рф")
    assert plain.exit_code == 0 and "policy" not in plain.output  # IDNA2008 alone
    named = run("example.рф", "--policy", "рф", "--json")
    (record,) = [json.loads(line) for line in named.stdout.splitlines()]
    assert named.exit_code == 1 and record["valid"] is True and record["policy"]["valid"] is False
    assert record["policy"]["status"] == "example" and "not the registry's" in record["policy"]["note"]


def test_every_shipped_policy_lints_clean_and_shows() -> None:
    root = Path(__file__).resolve().parent.parent.parent / "policies"
    files = sorted(str(p) for p in root.glob("*.toml"))
    result = run("policy", "lint", *files)
    assert result.exit_code == 0, result.output
    assert result.output.count(": clean") == len(files) == 10
    show = run("policy", "show", "cn")
    assert show.exit_code == 0 and ".中国 (xn--fiqs8s) policy version example-1, EXAMPLE" in show.output
    assert "also applies under: .中國, .cn" in show.output


def test_registry_cli_bundles_and_blocks_chinese_variants(tmp_path: Path) -> None:
    db = str(tmp_path / "cn.sqlite")
    added = run("registry", "--db", db, "--policy", "cn", "add", "中国.中国", "--registrant", "alice")
    assert added.exit_code == 0 and "variant  中國  allocatable → bundled" in added.output
    blocked = run("registry", "--db", db, "--policy", "cn", "check", "中囯.中国", "--registrant", "alice")
    assert blocked.exit_code == 1 and "policy.registry.variant_blocked" in blocked.output
