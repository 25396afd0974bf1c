"""``idncheck lgr convert`` and ``idncheck lgr merge`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import Result

from idnkit import lgr

from .._cli import run_cli as run

DATA = Path(__file__).parent.parent / "data"
LEGACY = DATA / "lgr-legacy"


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_convert_list_to_xml_stdout() -> None:
    txt = LEGACY / "matsduf" / "german-lang-ref-table.txt"
    result = run("lgr", "convert", str(txt), "--to", "xml")
    assert result.exit_code == 0
    doc = lgr.parse_bytes(result.stdout_bytes, "out.xml")
    assert sorted(c.cps for c in doc.chars) == sorted(c.cps for c in lgr.parse_file(txt.with_suffix(".xml")).chars)


def test_convert_rfc3743_to_file_with_json(tmp_path: Path) -> None:
    out = tmp_path / "zh.xml"
    result = run("lgr", "convert", str(LEGACY / "rfc3743-zh.txt"), "--format", "rfc3743", "-o", str(out), "--json")
    assert result.exit_code == 0
    [record] = json_lines(result)
    assert record == {
        "schema": "idnkit.lgr-convert/1",
        "file": str(LEGACY / "rfc3743-zh.txt"),
        "to": "xml",
        "output": str(out),
        "elements": 5,
        "variants": 10,
    }
    table = lgr.parse(out)
    assert table.validate("\u4e7e").disposition == "activated"


def test_convert_reports_every_bad_line() -> None:
    bad = LEGACY / "list-bad.txt"
    result = run("lgr", "convert", str(bad))
    assert result.exit_code == 2
    for line in (3, 4, 6, 7):
        assert f"{bad}:{line}: " in result.output
    records = json_lines(run("lgr", "convert", str(bad), "-o", "/dev/null", "--json"))
    assert [(r["line"], r["schema"]) for r in records] == [(n, "idnkit.lgr-problem/1") for n in (3, 4, 6, 7)]
    assert all(set(r) == {"schema", "kind", "rule_id", "severity", "source", "line", "message"} for r in records)


def test_convert_xml_input_and_bad_arguments(tmp_path: Path) -> None:
    xml = LEGACY / "matsduf" / "russian-lang-ref-table.xml"
    out = tmp_path / "ru.xml"
    assert run("lgr", "convert", str(xml), "-o", str(out)).exit_code == 0
    assert len(lgr.parse_file(out).chars) == len(lgr.parse_file(xml).chars)
    assert run("lgr", "convert", str(tmp_path / "missing.txt")).exit_code == 2
    assert run("lgr", "convert", str(xml), "--to", "csv").exit_code == 2
    assert run("lgr", "convert", str(xml), "--json").exit_code == 2  # --json needs -o


def test_merge_names_and_files(tmp_path: Path) -> None:
    out = tmp_path / "set.xml"
    result = run(
        "lgr", "merge", str(DATA / "lgr-sets" / "de.xml"), str(DATA / "lgr-sets" / "ru.xml"), "-o", str(out), "--json"
    )
    assert result.exit_code == 0
    summary = json_lines(result)[0]
    assert summary["schema"] == "idnkit.lgr-merge/1" and summary["members"] == ["de", "ru"]
    labels = tmp_path / "labels.txt"
    labels.write_text("pa\n\u0440\u0430\nstrasse\n", encoding="utf-8")
    found = run("lgr", "collisions", str(labels), "--lgr", str(out))
    assert found.exit_code == 1
    assert "pa: pa, \u0440\u0430" in found.output


def test_merge_shipped_and_legacy_to_stdout() -> None:
    result = run("lgr", "merge", "ref/de", str(LEGACY / "rfc4290-de.txt"), "-o", "-")
    assert result.exit_code == 0
    doc = lgr.parse_bytes(result.stdout_bytes, "set.xml")
    chars = {c.cps: c for c in doc.chars}
    assert chars[(0xDF,)].tags[:2] == ("de", "rfc4290-de") and chars[(0x62,)].tags[:1] == ("de",)
    assert "merged 2 LGRs (de, rfc4290-de)" in result.stderr


def test_merge_unknown_member() -> None:
    result = run("lgr", "merge", "ref/xx", "-o", "-")
    assert result.exit_code == 2 and "unknown LGR 'ref/xx'" in result.output
