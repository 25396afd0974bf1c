"""The ``idncheck`` command line, driven through click's CliRunner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from idnkit import UNICODE_VERSION, __version__
from idnkit.cli._common import pointer, show

from ._cli import run_cli as run


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def all_rules(record: dict[str, Any]) -> list[str]:
    found = [f["rule"] for f in record["findings"]]
    return found + [f["rule"] for label in record["labels"] for f in label["findings"]]


# --- check: text ---------------------------------------------------------------------------------


def test_valid_name() -> None:
    result = run("bücher.example")
    assert result.exit_code == 0
    assert "bücher.example: VALID" in result.output
    assert "xn--bcher-kva.example" in result.output
    assert "error" not in result.output


def test_a_label_input_shows_unicode_form() -> None:
    result = run("xn--bcher-kva.example")
    assert result.exit_code == 0
    assert "unicode  bücher.example" in result.output


def test_invalid_name_shows_rule_position_source_and_caret() -> None:
    result = run("a·b.example")
    assert result.exit_code == 1
    assert "a·b.example: INVALID" in result.output
    assert "rfc5892.contexto.middle_dot" in result.output
    assert "label 1, position 2, U+00B7" in result.output
    assert "[RFC 5892 Appendix A.3]" in result.output
    lines = result.output.splitlines()
    label_line = lines.index(" " * 11 + "a·b")
    assert lines[label_line + 1] == " " * 12 + "^"


def test_mixture_of_valid_and_invalid_exits_1() -> None:
    result = run("example.com", "ab--cd.example", "bücher.example")
    assert result.exit_code == 1
    assert "example.com: VALID" in result.output
    assert "ab--cd.example: INVALID" in result.output
    assert "rfc5891.hyphen34" in result.output
    assert "bücher.example: VALID" in result.output


def test_registration_shows_would_map_suggestion() -> None:
    result = run("Bücher.example")
    assert result.exit_code == 1
    assert "INVALID" in result.output
    assert "uts46.would_map" in result.output
    assert "'bücher.example'" in result.output
    assert "rfc5892.disallowed" in result.output


def test_ascii_letter_case_is_one_warning_per_label() -> None:
    # Issue 19: "idncheck Example.COM" was INVALID with four errors; RFC 4343 makes ASCII case
    # insignificant, so it is valid under every profile, its ASCII form in lowercase.
    for profile in ("registration", "lookup"):
        result = run("--profile", profile, "Example.COM")
        assert result.exit_code == 0, result.output
        assert "Example.COM: VALID" in result.output
        assert "ascii    example.com" in result.output
        assert not any(line.startswith("  error") for line in result.output.splitlines())
    assert run("Example.COM").output.count("dns.ascii_case") == 2


def test_lookup_maps_and_shows_the_mapped_form() -> None:
    result = run("--profile", "lookup", "Bücher.Example")
    assert result.exit_code == 0
    assert "Bücher.Example: VALID" in result.output
    assert "mapped   bücher.example" in result.output
    assert "xn--bcher-kva.example" in result.output


def test_no_map_overrides_the_lookup_default() -> None:
    result = run("--profile", "lookup", "--no-map", "Bücher.Example")
    assert result.exit_code == 1
    assert "mapped " not in result.output


def test_map_overrides_the_registration_default() -> None:
    result = run("--map", "Bücher.Example")
    assert result.exit_code == 0
    assert "mapped   bücher.example" in result.output


def test_explicit_check_command_checks_a_name_spelled_like_a_command() -> None:
    result = run("check", "explain")
    assert result.exit_code == 0
    assert "explain: VALID" in result.output


def test_name_starting_with_hyphen_after_double_dash() -> None:
    result = run("--", "-ab.example")
    assert result.exit_code == 1
    assert "rfc5891.hyphen_start" in result.output


def test_control_characters_are_shown_escaped() -> None:
    result = run("a\x1b[31m.example")
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "a<U+001B>[31m" in result.output


def test_non_bmp_and_wide_characters() -> None:
    result = run("a😀b.example", "日本語！.jp")
    assert result.exit_code == 1
    assert "U+1F600" in result.output
    assert "U+FF01" in result.output


def test_undecodable_argument_is_unreadable() -> None:
    # POSIX hands undecodable argv bytes to Python as lone surrogates (PEP 383): b"\xff" -> "\udcff".
    result = run("\udcffab.example", "example.com")
    assert result.exit_code == 2
    assert "argument 1: unreadable: invalid UTF-8 at byte 1" in result.output
    assert "example.com: VALID" in result.output


def test_lone_surrogate_in_json_output_is_escaped() -> None:
    result = run("--json", "\ud800")
    assert result.exit_code == 2
    [record] = json_lines(result)
    assert record["schema"] == "idnkit.unreadable/1"
    assert record == {"schema": "idnkit.unreadable/1", "file": None, "line": 1, "error": record["error"]}
    assert "U+D800" in record["error"]


# --- check: JSON ---------------------------------------------------------------------------------


def test_json_lines() -> None:
    result = run("--json", "bücher.example", "a·b.example")
    assert result.exit_code == 1
    assert "bücher" in result.stdout  # ensure_ascii=False
    good, bad = json_lines(result)
    assert good["schema"] == bad["schema"] == "idnkit.check/1"
    assert good["valid"] is True
    assert good["ascii"] == "xn--bcher-kva.example"
    assert [label["alabel"] for label in good["labels"]] == ["xn--bcher-kva", "example"]
    assert bad["valid"] is False
    assert bad["ascii"] is None
    [finding] = bad["labels"][0]["findings"]
    assert finding["rule"] == "rfc5892.contexto.middle_dot"
    assert finding["position"] == 2
    assert finding["codepoint"] == "U+00B7"
    assert finding["label"] == 1
    assert finding["severity"] == "error"
    assert finding["source"] == "RFC 5892 Appendix A.3"


def test_json_would_map_and_mapped() -> None:
    [registration] = json_lines(run("--json", "Bücher.example"))
    assert "uts46.would_map" in all_rules(registration)
    assert registration["mapped"] is None
    [lookup] = json_lines(run("--json", "--profile", "lookup", "Bücher.Example"))
    assert lookup["valid"] is True
    assert lookup["profile"] == "lookup"
    assert lookup["mapped"] == "bücher.example"


# --- check: files --------------------------------------------------------------------------------

BATCH = (
    "bücher.example\n"  # 1 valid
    "\n"  # 2 blank
    "# a comment\n"  # 3
    "  a·b.example  \r\n"  # 4 invalid (surrounding whitespace and CR stripped)
).encode() + (
    b"\xff\xfe bad\n"  # 5 unreadable
    b"xn--bcher-kva.example\n"  # 6 valid
    b"   \n"  # 7 blank
    b"Example.COM"  # 8 valid (ASCII case is not significant, RFC 4343), no final newline
)


def test_file_batch(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_bytes(BATCH)
    result = run("-f", str(path))
    assert result.exit_code == 2
    assert f"{path}:5: unreadable: invalid UTF-8 at byte 1" in result.output
    assert "summary: 5 checked, 3 valid, 1 invalid, 1 unreadable" in result.output
    assert "a·b.example: INVALID" in result.output
    assert "Example.COM: VALID" in result.output
    assert "comment" not in result.output


def test_file_batch_json(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_bytes(BATCH)
    result = run("--json", "-f", str(path))
    assert result.exit_code == 2
    records = json_lines(result)
    check, unreadable, summary = "idnkit.check/1", "idnkit.unreadable/1", "idnkit.summary/1"
    assert [r["schema"] for r in records] == [check, check, unreadable, check, check, summary]
    assert [r["input"] for r in records if r["schema"] == check] == [
        "bücher.example",
        "a·b.example",
        "xn--bcher-kva.example",
        "Example.COM",
    ]
    assert records[2]["file"] == str(path)
    assert records[2]["line"] == 5
    assert "invalid UTF-8 at byte 1" in records[2]["error"]
    assert records[-1] == {"schema": "idnkit.summary/1", "checked": 5, "valid": 3, "invalid": 1, "unreadable": 1}


def test_file_without_bad_lines_exits_1_when_some_name_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_bytes("\ufeffbücher.example\r\nBücher.example\r\n".encode())
    result = run("-f", str(path))
    assert result.exit_code == 1
    assert "bücher.example: VALID" in result.output  # the byte order mark is not part of the name
    assert "summary: 2 checked, 1 valid, 1 invalid, 0 unreadable" in result.output


def test_file_all_valid_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("example.com\nbücher.example\n", encoding="utf-8")
    result = run("-f", str(path))
    assert result.exit_code == 0
    assert "summary: 2 checked, 2 valid, 0 invalid, 0 unreadable" in result.output


def test_stdin() -> None:
    result = run("--json", "-f", "-", input=b"example.com\n\xc3\n# skip\nB\xc3\xbccher.example\n")
    assert result.exit_code == 2
    records = json_lines(result)
    assert records[1] == {
        "schema": "idnkit.unreadable/1",
        "file": "<stdin>",
        "line": 2,
        "error": records[1]["error"],
    }
    assert records[2]["input"] == "Bücher.example"
    assert records[-1] == {"schema": "idnkit.summary/1", "checked": 3, "valid": 1, "invalid": 1, "unreadable": 1}


def test_stdin_text() -> None:
    result = run("-f", "-", input="bücher.example\n")
    assert result.exit_code == 0
    assert "bücher.example: VALID" in result.output
    assert "summary: 1 checked, 1 valid, 0 invalid, 0 unreadable" in result.output


def test_missing_file(tmp_path: Path) -> None:
    result = run("-f", str(tmp_path / "no-such-file.txt"))
    assert result.exit_code == 2
    assert "no-such-file.txt" in result.output
    assert "No such file" in result.output


# --- explain -------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["U+00DF", "ß", "0xDF", "u+df"])
def test_explain(spec: str) -> None:
    result = run("explain", spec)
    assert result.exit_code == 0
    assert result.output.startswith("U+00DF ß LATIN SMALL LETTER SHARP S\n")
    assert "PVALID" in result.output
    assert "Exceptions (RFC 5892 §2.6): yes -> PVALID" in result.output
    assert "deviation" in result.output


def test_explain_shows_the_whole_derivation() -> None:
    result = run("explain", "A")
    assert result.exit_code == 0
    assert "LDH (RFC 5892 §2.5): no" in result.output
    assert "Unstable (RFC 5892 §2.2): yes -> DISALLOWED" in result.output


def test_explain_json() -> None:
    result = run("explain", "--json", "U+00B7", "0x200D")
    assert result.exit_code == 0
    middle_dot, zwj = json_lines(result)
    assert middle_dot["schema"] == "idnkit.explain/1"
    assert middle_dot["codepoint"] == "U+00B7"
    assert middle_dot["derived_property"] == "CONTEXTO"
    assert middle_dot["context_rule"].startswith("rfc5892.contexto.middle_dot")
    assert middle_dot["unicode_version"] == UNICODE_VERSION
    assert isinstance(middle_dot["derivation"], list)
    assert zwj["derived_property"] == "CONTEXTJ"


@pytest.mark.parametrize("spec", ["U+110000", "zz", "not a code point"])
def test_explain_bad_code_point(spec: str) -> None:
    result = run("explain", spec)
    assert result.exit_code == 2
    assert repr(spec) in result.output


def test_explain_needs_an_argument() -> None:
    assert run("explain").exit_code == 2


# --- general -------------------------------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"idncheck (idnkit) {__version__}, Unicode {UNICODE_VERSION}"
    assert "17.0.0" in result.output


def test_help_documents_the_default_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "idncheck check explain" in result.output


@pytest.mark.parametrize("args", [["--bogus", "example.com"], ["check", "--bogus"], ["explain", "--bogus", "ß"]])
def test_unknown_option(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "--bogus" in result.output


def test_bad_profile() -> None:
    assert run("--profile", "nonsense", "example.com").exit_code == 2


def test_no_names_is_a_usage_error() -> None:
    result = run("check")
    assert result.exit_code == 2
    assert "NAME" in result.output


# --- output helpers ------------------------------------------------------------------------------


def test_pointer_accounts_for_wide_and_escaped_characters() -> None:
    assert pointer("日本語！", 4) == ("日本語！", "      ^^")
    assert pointer("a\u200db", 3) == ("a<U+200D>b", "         ^")
    assert pointer("abc", 4) is None


def test_show_escapes_invisible_characters() -> None:
    assert show("a\u202eb\x00 c") == "a<U+202E>b<U+0000> c"


# --- the real entry point ------------------------------------------------------------------------


def run_main(*args: str | bytes, encoding: str = "utf-8") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    command = [sys.executable, "-c", "from idnkit.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, env=env, timeout=60, check=False)


@pytest.mark.skipif(os.name != "posix", reason="POSIX passes arguments as bytes")
def test_main_reports_undecodable_argument_bytes() -> None:
    done = run_main(b"\xff.example", "bücher.example")
    assert done.returncode == 2
    assert b"argument 1: unreadable: invalid UTF-8 at byte 1" in done.stderr
    assert "bücher.example: VALID".encode() in done.stdout


def test_main_survives_an_output_encoding_without_the_characters() -> None:
    done = run_main("a😀b.example", encoding="latin-1")
    assert done.returncode == 1
    assert done.stderr == b""
    assert b"a\\U0001f600b.example: INVALID" in done.stdout


def test_rules_lists_every_catalogued_rule_with_its_source() -> None:
    from idnkit import RULES

    result = run("rules", "--json")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["rule"] for r in records] == sorted(RULES)
    assert {r["schema"] for r in records} == {"idnkit.rule/1"}
    middle_dot = next(r for r in records if r["rule"] == "rfc5892.contexto.middle_dot")
    assert middle_dot["source"] == "RFC 5892 Appendix A.3" and middle_dot["engine"] == "idna2008"


def test_rules_by_prefix_and_an_unknown_prefix() -> None:
    result = run("rules", "rfc5893")
    assert result.exit_code == 0
    assert result.output.count("[RFC 5893 §2 rule") == 6
    assert "rfc5892" not in result.output
    unknown = run("rules", "nonesuch")
    assert unknown.exit_code == 2 and "no rule id starts with 'nonesuch'" in unknown.output


def test_a_name_read_as_an_option_gets_a_hint() -> None:
    result = run("-abc.example")
    assert result.exit_code == 2
    assert "idncheck check -- -abc.example" in result.output
    mistyped = run("check", "-x", "a.example")
    assert mistyped.exit_code == 2 and "No such option" in mistyped.output and " -- " not in mistyped.output
    assert run("--", "-abc.example").exit_code == 1  # the name itself is checked (and invalid)


def test_one_entry_per_problem_with_its_positions_marked() -> None:
    result = run("ａｂｃ.com")
    assert result.exit_code == 1
    assert result.output.count("rfc5892.disallowed") == 1
    assert "label 1, positions 1, 2, 3  [RFC 5892" in result.output
    assert "; the same for 2 more: U+FF42 ｂ, U+FF43 ｃ" in result.output
    assert "           ａｂｃ\n           ^^^^^^\n" in result.output  # wide characters: two columns each
    verbose = run("--verbose", "ａｂｃ.com")
    assert verbose.output.count("rfc5892.disallowed") == 3 and "position 2, U+FF42" in verbose.output


def test_carets_under_positions_that_are_not_adjacent() -> None:
    from idnkit.cli._common import pointers

    assert pointers("a·b·c", [2, 4]) == ("a·b·c", " ^ ^")
    assert pointers("abc", [9]) is None


def test_quiet_reports_only_what_is_not_accepted_and_output_goes_to_a_file(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("a.example\nb-.example\nc.example\n", encoding="utf-8")
    quiet = run("-q", "-f", str(names))
    assert quiet.exit_code == 1
    assert quiet.output.startswith("b-.example: INVALID") and "a.example" not in quiet.output
    assert quiet.output.rstrip().endswith("summary: 3 checked, 2 valid, 1 invalid, 0 unreadable")
    report = tmp_path / "report.jsonl"
    written = run("--json", "-f", str(names), "-o", str(report))
    assert written.exit_code == 1 and written.output == ""
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [r["schema"] for r in records] == ["idnkit.check/1"] * 3 + ["idnkit.summary/1"]


def test_json_records_say_where_each_name_came_from(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_bytes(b"a.example\n\n# a comment\nb-.example\n\xff\n")
    result = run("--json", "first.example", "-f", str(names))
    records = [json.loads(line) for line in result.output.splitlines()]
    where = [(r["schema"], r.get("argument"), r.get("file"), r.get("line")) for r in records]
    assert where == [
        ("idnkit.check/1", 1, None, None),
        ("idnkit.check/1", None, str(names), 1),
        ("idnkit.check/1", None, str(names), 4),
        ("idnkit.unreadable/1", None, str(names), 5),
        ("idnkit.summary/1", None, None, None),
    ]


def test_a_mixed_script_label_warns_by_default_and_stays_valid() -> None:
    # Issue 19: Cyrillic а in "pаypal" used to pass with no word; the warning names both scripts.
    result = run("pаypal.com")
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output and "uts39.mixed_script  label 1, position 2, U+0430" in result.output
    assert "Latin (p, y, p, a, l) and Cyrillic (а U+0430 at 2)" in result.output
    record = json.loads(run("--json", "pаypal.com").output)
    assert record["accepted"] is True and [f["rule"] for f in record["mixed_script"]] == ["uts39.mixed_script"]
    # An ordinary name's record is unchanged; with --confusables the restriction level says it instead.
    assert "mixed_script" not in json.loads(run("--json", "bücher.de").output)
    confusables = json.loads(run("--json", "--confusables", "pаypal.com").output)
    assert "mixed_script" not in confusables
    assert "uts39.restriction_level" in [f["rule"] for f in confusables["confusables"][0]["findings"]]


def test_policy_findings_of_one_table_are_one_entry_with_their_positions() -> None:
    # Issue 19: rаksmörgås.se gave ten "not valid under table se/yiddish" errors, one per character.
    result = run("rаksmörgås.se")
    assert result.exit_code == 1, result.output
    entries = [line for line in result.output.splitlines() if "policy.table.invalid" in line]
    assert entries == [
        "  error    policy.table.invalid  position 2, U+0430, se/latin:not-in-repertoire  [[SE-LATN]]",
        "  error    policy.table.invalid  positions 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,"
        " se/yiddish:not-in-repertoire  [[SE-YI]]",
    ]
    assert "is not in the repertoire of se/yiddish; the same for 9 more: U+0430 а, U+006B k," in result.output
    # --verbose: every finding its own entry, as for IDNA2008's findings; the JSON record always has them all.
    verbose = run("-v", "rаksmörgås.se")
    assert sum("policy.table.invalid" in line for line in verbose.output.splitlines()) == 11
    record = json.loads(run("--json", "rаksmörgås.se").output)
    assert sum(f["rule"] == "policy.table.invalid" for f in record["policy"]["findings"]) == 11


def test_a_long_file_shows_its_progress_on_a_terminal(tmp_path: Path) -> None:
    # Issue 19: `check -f` on a long file shows a count of names checked and the rate, on a terminal only.
    import pty

    names = tmp_path / "names.txt"
    names.write_text("".join(f"name{i}.example\n" for i in range(60_000)), encoding="utf-8")
    report = tmp_path / "report.txt"
    command = [sys.executable, "-c", "from idnkit.cli import main; main()", "-q", "-f", str(names), "-o", str(report)]
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(primary)
    assert proc.wait(timeout=120) == 0
    assert b"checked " in seen and b" names, " in seen and b"/s" in seen, seen[-400:]
    assert report.read_text(encoding="utf-8").endswith("summary: 60000 checked, 60000 valid, 0 invalid, 0 unreadable\n")
    # Not a terminal: no progress at all.
    piped = subprocess.run(command, capture_output=True, timeout=120)
    assert piped.returncode == 0 and b"checked " not in piped.stderr + piped.stdout
