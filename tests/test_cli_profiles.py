"""``idncheck --profile NAME`` and the UTS #46 option flags: verdicts, the profile and options shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idnkit import profiles

from ._cli import run_cli as run


def records(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


def test_default_profile_text_is_unchanged_and_json_names_profile_and_options() -> None:
    text = run("bücher.example")
    assert text.output.splitlines()[1] == "  unicode  bücher.example"  # README's output: no profile line
    [record] = records(run("--json", "bücher.example").output)
    assert record["profile"] == "registration"
    assert record["options"] == profiles.get("registration").options_dict
    assert list(record)[:5] == ["schema", "input", "valid", "profile", "options"]


def test_an_explicit_profile_is_named_in_the_text() -> None:
    result = run("--profile", "registration", "bücher.example")
    assert "  profile  registration (RFC 5891 §4)" in result.output
    lookup = run("--profile", "lookup", "--no-map", "--json", "bücher.example")
    assert records(lookup.output)[0]["options"]["map"] is False  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["--profile", "whatwg-url", "--", "-x.example"], 0, "ascii    -x.example"),
        (["--profile", "whatwg-url", "a b.example"], 1, "whatwg.forbidden_domain_code_point"),
        (["--profile", "whatwg-url", "0x7f.1"], 0, "host     127.0.0.1 (the URL parser reads it as an IPv4 address)"),
        (["--profile", "uts46", "--", "-x.example"], 1, "rfc5891.hyphen_start"),
        (["--profile", "uts46", "--no-check-hyphens", "--", "-x.example"], 0, "options  map=on CheckHyphens=off"),
        (["--profile", "uts46", "--no-std3", "_dmarc.example"], 0, "UseSTD3ASCIIRules=off"),
        (["--profile", "uts46", "--transitional", "faß.de"], 0, "ascii    fass.de"),
        (["--profile", "uts46", "--no-verify-dns-length", "x..example"], 0, "ascii    x..example"),
        (["--profile", "uts46", "--ignore-invalid-punycode", "xn--ls8h="], 0, "uts46.invalid_punycode_ignored"),
        (["--profile", "uts46", "--no-check-joiners", "a\u200db"], 0, "CheckJoiners=off"),
        (["--profile", "uts46", "--no-check-bidi", "\u05d0.1a"], 0, "CheckBidi=off"),
        (["--profile", "email", "user@bücher.de"], 0, "domain   bücher.de"),
        (["--profile", "email", "example."], 1, "rfc5321.trailing_dot"),
        (["--profile", "display", "аррӏе.com"], 0, "display  xn--80ak6aa92e.com (label 1 as A-label)"),
        (["--profile", "display", "--display-policy", "firefox", "аррӏе.com"], 0, "display  аррӏе.com (in Unicode)"),
        (
            ["--profile", "display", "--firefox-profile", "moderate", "--display-policy", "firefox", "abcअ.in"],
            0,
            "display  abcअ.in (in Unicode)",
        ),
    ],
)
def test_profiles_in_the_cli(args: list[str], code: int, expected: str) -> None:
    result = run(*args)
    assert result.exit_code == code, result.output
    assert expected in result.output
    assert f"  profile  {args[1]} (" in result.output


def test_display_with_top_domains(tmp_path: Path) -> None:
    top = tmp_path / "top.txt"
    top.write_text("# brands\ngoogle.com\n", encoding="utf-8")
    result = run("--profile", "display", "--top-domains", str(top), "--json", "googlé.com")
    [record] = records(result.output)
    assert record["options"]["top_domains"] == 1  # type: ignore[index]
    assert record["display"]["shown"] == "xn--googl-fsa.com"  # type: ignore[index]
    assert [r["rule"] for r in record["display"]["reasons"]] == ["display.chromium.top_domain"]  # type: ignore[index]


def test_profile_json_records_and_the_summary(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_bytes("user@bücher.de\nexample.\n".encode() + b"\xff\n")
    result = run("--profile", "email", "--json", "-f", str(names))
    assert result.exit_code == 2  # one unreadable line
    check, failed, unreadable, summary = records(result.output)
    assert (check["profile"], check["valid"], check["subject"], check["line"]) == ("email", True, "bücher.de", 1)
    assert check["options"] == profiles.get("email").options_dict
    assert failed["valid"] is False and unreadable["schema"] == "idnkit.unreadable/1"
    assert summary == {"schema": "idnkit.summary/1", "checked": 3, "valid": 1, "invalid": 1, "unreadable": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--no-std3", "a_b"], "UseSTD3ASCIIRules: UTS #46 options apply to --profile uts46"),
        (["--profile", "whatwg-url", "--no-check-hyphens", "x"], "apply to --profile uts46"),
        (["--profile", "lookup", "--display-policy", "firefox", "x"], "apply to --profile display"),
        (["--profile", "display", "--lgr", "rz5/latin", "x"], "--lgr: registry checks apply"),
        (["--profile", "email", "--map", "x"], "--map/--no-map: registry checks apply"),
        (["--profile", "browser", "x"], "Invalid value for '--profile'"),
    ],
)
def test_options_a_profile_does_not_take_are_usage_errors(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
