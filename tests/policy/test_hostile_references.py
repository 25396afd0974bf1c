"""Files a policy names (issue 21 §6): confined to the policy's folder, regular, bounded, never echoed
when they are not what the policy says they are; every table a policy names by file is loaded by lint."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from idnkit.cli import cli
from idnkit.policy import PolicyError, lint, load
from idnkit.policy._loader import MAX_REFERENCED_BYTES

from .._bounded import python_code, run_bounded
from .fakes import ENGINES

HEAD = """\
[policy]
tld = "example"
operator = "Example Registry"
version = "1"
unicode = "17.0.0"
status = "example"
note = "a test policy"
source = "tests"
"""
TABLE = '\n[[table]]\nname = "t/latin"\ntag = "und-Latn"\n'
SECRET = "toor:x:0:0:hunter2:/toor:/bin/bash\ndaemon:x:1:1:hunter2:/usr/sbin:/usr/sbin/nologin\n"


def _policy(folder: Path, body: str) -> Path:
    path = folder / "p.toml"
    path.write_text(HEAD + TABLE + body, encoding="utf-8")
    return path


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A private file outside the policy's folder (the policy lives in tmp_path/policy)."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (tmp_path / "policy").mkdir()
    return secret


@pytest.mark.parametrize(
    ("file", "words"),
    [
        ("../secret.txt", "inside the policy's folder"),
        ("sub/../../secret.txt", "inside the policy's folder"),
        ("/etc/passwd", "inside the policy's folder"),
        ("/proc/self/environ", "inside the policy's folder"),
        ("link.txt", "leads outside the policy's folder"),
        ("missing.txt", "not found beside the policy"),
    ],
)
@pytest.mark.parametrize("section", ["reserved", "blocked"])
def test_name_list_outside_the_folder_is_refused(outside: Path, file: str, words: str, section: str) -> None:
    folder = outside.parent / "policy"
    (folder / "link.txt").symlink_to(outside)
    path = _policy(folder, f'\n[{section}]\nfile = "{file}"\n')
    (issue,) = lint(path, ENGINES)
    assert (issue.file, issue.field) == (str(path), f"{section}.file") and words in issue.message
    assert "hunter2" not in str(issue)
    result = CliRunner().invoke(cli, ["policy", "lint", str(path)])
    assert result.exit_code == 1 and "hunter2" not in result.output and "HOME=" not in result.output


def test_a_file_that_is_not_a_name_list_is_not_echoed(tmp_path: Path) -> None:
    (tmp_path / "names.txt").write_text(SECRET + "nic\n", encoding="utf-8")
    path = _policy(tmp_path, '\n[reserved]\nfile = "names.txt"\n')
    (issue,) = lint(path, ENGINES)
    assert "not a list of labels: 2 of its 3 lines" in issue.message and "hunter2" not in issue.message
    with pytest.raises(PolicyError):
        load(path, ENGINES)


def test_a_few_bad_lines_of_a_real_list_are_still_quoted(tmp_path: Path) -> None:
    (tmp_path / "names.txt").write_text("nic\nwww\nmail\n-bad\n", encoding="utf-8")
    (issue,) = lint(_policy(tmp_path, '\n[reserved]\nfile = "names.txt"\n'), ENGINES)
    assert (Path(issue.file).name, issue.line) == ("names.txt", 4) and "'-bad'" in issue.message


def test_a_fifo_is_refused_not_waited_for(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "names.txt")
    path = _policy(tmp_path, '\n[reserved]\nfile = "names.txt"\n')
    done = run_bounded(["-m", "idnkit", "policy", "lint", str(path)], cpu_seconds=30, wall_seconds=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert b"is not a regular file" in done.stdout


def test_dev_zero_through_a_link_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    path = _policy(tmp_path, '\n[reserved]\nfile = "zero.txt"\n')
    done = run_bounded(["-m", "idnkit", "policy", "lint", str(path)], cpu_seconds=30, memory_mb=400)
    assert done.returncode == 1, done.stdout + done.stderr
    assert b"leads outside the policy's folder" in done.stdout


def test_a_huge_file_is_refused_by_its_size(tmp_path: Path) -> None:
    with open(tmp_path / "names.txt", "wb") as f:
        f.truncate(MAX_REFERENCED_BYTES + 1)  # sparse
    (issue,) = lint(_policy(tmp_path, '\n[reserved]\nfile = "names.txt"\n'), ENGINES)
    assert f"over the {MAX_REFERENCED_BYTES:,} allowed" in issue.message


def test_a_policy_given_as_text_names_no_files() -> None:
    from idnkit.policy import loads

    with pytest.raises(PolicyError, match="no folder to find its files in"):
        loads(HEAD + TABLE + '\n[reserved]\nfile = "names.txt"\n', engines=ENGINES)


# --- tables by file: lint loads them ----------------------------------------------------------------

LGR = (
    '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><version>1</version>'
    "<unicode-version>17.0.0</unicode-version></meta><data>"
    '<range first-cp="0061" last-cp="007A"/><char cp="002D"/></data></lgr>\n'
)


def _table_policy(folder: Path, file: str) -> Path:
    path = folder / "p.toml"
    path.write_text(HEAD + f'\n[[table]]\nfile = "{file}"\ntag = "und-Latn"\n', encoding="utf-8")
    return path


def test_a_table_file_lint_cannot_load_is_an_issue(tmp_path: Path) -> None:
    (tmp_path / "t.xml").write_text(SECRET, encoding="utf-8")  # not an LGR at all
    path = _table_policy(tmp_path, "t.xml")
    (issue,) = lint(path)
    assert issue.field == "table[1].file" and "is not a usable LGR" in issue.message
    assert "hunter2" not in issue.message
    with pytest.raises(PolicyError, match="not a usable LGR"):
        load(path)  # refused when the policy loads, not by an LgrParseError at the first check


def test_a_good_table_file_loads_and_checks(tmp_path: Path) -> None:
    (tmp_path / "t.xml").write_text(LGR, encoding="utf-8")
    path = _table_policy(tmp_path, "t.xml")
    assert lint(path) == []
    policy = load(path)
    assert policy.check("example").ok and not policy.check("exämple").ok


def test_table_file_outside_the_folder_is_refused(outside: Path) -> None:
    folder = outside.parent / "policy"
    (outside.parent / "t.xml").write_text(LGR, encoding="utf-8")
    (issue,) = lint(_table_policy(folder, "../t.xml"))
    assert "inside the policy's folder" in issue.message


# --- the policy file itself ---------------------------------------------------------------------------


def test_deeply_nested_toml_is_an_issue_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(HEAD + "x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    (issue,) = lint(path, ENGINES)
    assert (issue.line, issue.field) == (1, "toml") and "nested too deeply" in issue.message
    result = CliRunner().invoke(cli, ["policy", "lint", str(path)])
    assert result.exit_code == 1 and "nested too deeply" in result.output


def test_long_values_are_quoted_short(tmp_path: Path) -> None:
    path = tmp_path / "long.toml"
    path.write_text(HEAD.replace('version = "1"', "version = " + "[" * 300 + "1" + "]" * 300) + TABLE)
    issues = lint(path, ENGINES)
    assert any(i.field == "policy.version" for i in issues)
    assert all(len(i.message) < 300 for i in issues)


def test_policy_lint_of_a_device_exits_2() -> None:
    code = "import sys\nfrom idnkit.cli import main\nsys.argv = ['idncheck', 'policy', 'lint', '/dev/zero']\nmain()\n"
    done = run_bounded(python_code(code), cpu_seconds=30, memory_mb=400)
    assert done.returncode == 2 and b"is a device, not a regular file" in done.stderr + done.stdout
