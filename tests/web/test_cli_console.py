"""``idncheck console user add/list`` and the console options of ``idncheck serve``."""

from __future__ import annotations

from pathlib import Path

from idnkit.web import ConsoleRole, UserStore

from .._cli import run_cli


def test_user_add_asks_twice_and_stores_a_hash(tmp_path: Path) -> None:
    users = tmp_path / "users.toml"
    r = run_cli(
        "console", "user", "add", "amira", "--role", "clerk", "--users", str(users), input="s3cret-pw\ns3cret-pw\n"
    )
    assert r.exit_code == 0, r.output
    assert UserStore(users).verify("amira", "s3cret-pw").role is ConsoleRole.CLERK
    assert "s3cret-pw" not in users.read_text(encoding="utf-8")
    listed = run_cli("console", "user", "list", "--users", str(users))
    assert listed.output == "amira\tclerk\n"


def test_user_add_refuses_a_short_password(tmp_path: Path) -> None:
    r = run_cli(
        "console", "user", "add", "x", "--role", "admin", "--users", str(tmp_path / "u.toml"), "--password", "short"
    )
    assert r.exit_code == 1 and "at least 8 characters" in r.output


def test_serve_console_needs_a_users_file() -> None:
    r = run_cli("serve", "--console")
    assert r.exit_code == 2 and "--console needs --users FILE" in r.output


def test_serve_console_with_workers_needs_a_shared_secret(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("IDNKIT_CONSOLE_SECRET", raising=False)
    users = tmp_path / "users.toml"
    run_cli("console", "user", "add", "a", "--role", "admin", "--users", str(users), "--password", "long enough")
    r = run_cli("serve", "--console", "--users", str(users), "--workers", "2")
    assert r.exit_code == 2 and "--console-secret" in r.output
