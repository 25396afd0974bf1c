"""``idncheck lgr ...`` and ``idncheck NAME --lgr``, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from idnkit.cli import cli

from .._cli import run_cli as run
from ._variant_oracle import UNPRUNABLE_XML

ROOT = Path(__file__).resolve().parents[2]
MYANMAR = ROOT / "script_tables" / "lgr" / "rz5" / "lgr-5-myanmar-script-26may22-en.xml"


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_list() -> None:
    result = run("lgr", "list")
    assert result.exit_code == 0
    assert "rz5/latin" in result.output and "ref/de" in result.output and "se/yiddish" in result.output
    records = json_lines(run("lgr", "list", "--json"))
    assert {r["name"] for r in records} >= {"rz5/common", "msr4", "nu/latin"}
    assert all(r["schema"] == "idnkit.lgr-table/1" for r in records)


def test_check_with_lgr_valid() -> None:
    result = run("bücher.example", "--lgr", "rz5/latin")
    assert result.exit_code == 0
    assert "lgr      rz5/latin: VALID" in result.output


def test_check_with_lgr_invalid_names_position() -> None:
    result = run("bücherж.example", "--lgr", "rz5/latin")
    assert result.exit_code == 1
    assert "rz5/latin: INVALID" in result.output
    assert "position 7 U+0436" in result.output


def test_check_with_lgr_json() -> None:
    (record,) = json_lines(run("check", "xn--bcher-kva", "--lgr", "rz5/latin", "--json"))
    assert record["lgr"]["disposition"] == "valid"
    assert record["valid_with_lgr"] is True


def test_check_with_unknown_lgr_is_usage_error() -> None:
    result = run("check", "a.example", "--lgr", "rz5/klingon")
    assert result.exit_code == 2
    assert "unknown LGR 'rz5/klingon'" in result.output


def test_variants() -> None:
    result = run("lgr", "variants", "ѕеа", "--lgr", "rz5/cyrillic", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "valid under rz5/cyrillic" in result.output
    assert "index label" in result.output
    records = json_lines(run("lgr", "variants", "ѕеа", "--lgr", "rz5/cyrillic", "--limit", "3", "--json"))
    assert records[0]["schema"] == "idnkit.lgr/1" and records[0]["variant_count"] >= 3
    assert len(records) == 4
    assert all(r["schema"] == "idnkit.lgr-variant/1" and r["disposition"] for r in records[1:])


def test_variants_of_ineligible_label() -> None:
    result = run("lgr", "variants", "abc", "--lgr", "rz5/cyrillic")
    assert result.exit_code == 1
    assert "not in the repertoire" in result.output


def test_collisions(tmp_path: Path) -> None:
    f = tmp_path / "labels.txt"
    f.write_text("example\nеxample\nother\n# comment\n", encoding="utf-8")
    result = run("lgr", "collisions", str(f), "--lgr", "rz5/common")
    assert result.exit_code == 1
    assert "example: example, еxample" in result.output
    records = json_lines(run("lgr", "collisions", str(f), "--lgr", "rz5/common", "--json"))
    assert records[0]["labels"] == ["example", "еxample"]
    assert records[-1]["groups"] == 1
    assert records[-1]["schema"] == "idnkit.lgr-collisions-summary/1"
    g = tmp_path / "none.txt"
    g.write_text("example\nother\n", encoding="utf-8")
    assert run("lgr", "collisions", str(g), "--lgr", "rz5/common").exit_code == 0


def test_validate_reports_file_line(tmp_path: Path) -> None:
    result = run("lgr", "validate", str(MYANMAR))
    assert result.exit_code == 1
    assert f"{MYANMAR}:384: error: U+0063 ~ U+1004 ~ U+105A" in result.output
    records = json_lines(run("lgr", "validate", "--json", "--errors-only", str(MYANMAR)))
    assert [r["line"] for r in records[:-1]] == [384, 591]
    assert records[-1] == {"schema": "idnkit.lgr-validate-summary/1", "file": str(MYANMAR), "errors": 2, "warnings": 0}


def test_validate_unreadable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<lgr>", encoding="utf-8")
    result = run("lgr", "validate", str(bad))
    assert result.exit_code == 2
    assert "not well-formed" in result.output


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (
            b'<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0">\n<data>\n<char cp="0061"\n</data>',
            5,
            "not well-formed",
        ),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE lgr [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n'
            b'<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><data><char cp="0061"/></data></lgr>',
            2,
            "entity declaration 'a' refused",
        ),
        (
            b'<?xml version="1.0"?>\n\n<!DOCTYPE lgr [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            b'<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><description>&x;</description></meta></lgr>',
            3,
            "refused",
        ),
        (b"\xff\xfe\x00garbage", 1, "not well-formed"),
    ],
    ids=["truncated", "billion-laughs", "external-entity", "binary"],
)
def test_validate_hostile_or_unparseable_exits_2_with_file_line(
    tmp_path: Path, body: bytes, line: int, words: str
) -> None:
    f = tmp_path / "hostile.xml"
    f.write_bytes(body)
    for extra in ((), ("--json",)):
        result = run("lgr", "validate", *extra, str(f))
        assert result.exit_code == 2
        assert f"{f}:{line}: " in result.output
        assert words in result.output


def test_collisions_without_index_label(tmp_path: Path) -> None:
    # Malayalam: the sequences ള ള് ള and ള് ള ള are variants, but their variant sets are not
    # equivalence classes, so RFC 7940 §8.5 gives no index label; the variants are enumerated instead.
    f = tmp_path / "ml.txt"
    f.write_text("ളള്ളൻ\nള്ളളൻ\nകമല\nexample\n", encoding="utf-8")
    result = run("lgr", "collisions", str(f), "--lgr", "rz5/malayalam")
    assert result.exit_code == 1
    assert "(no index label): ളള്ളൻ, ള്ളളൻ" in result.output
    records = json_lines(run("lgr", "collisions", str(f), "--lgr", "rz5/malayalam", "--json"))
    assert records[0]["index_label"] is None
    assert records[-1]["without_index_label"] == 2 and records[-1]["not_valid"] == 1


def test_variants_budget_exits_2_after_the_variants_found(tmp_path: Path) -> None:
    # 'c' is invalid before any later 'd' (unbounded look-ahead): no prefix decides it, so the walk
    # over "c" + 30 'a' (each may become 'd') finds nothing within its budget.
    path = tmp_path / "budget.xml"
    path.write_text(UNPRUNABLE_XML, encoding="utf-8")
    result = CliRunner().invoke(cli, ["lgr", "variants", "c" + "a" * 30, "--lgr", str(path), "--max-visited", "500"])
    assert result.exit_code == 2
    assert "permutations 1073741823" in result.output
    assert "500 combination prefixes visited (max_visited), 0 variants produced" in result.output


def test_collisions_go_on_past_a_label_over_the_variant_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from idnkit import lgr as lgrmod

    real = lgrmod.Lgr.variants

    def budgeted(self: lgrmod.Lgr, label: str, *args: Any, **kwargs: Any) -> Any:
        if label == "ളള്ളൻ":
            raise lgrmod.LgrError("over the work budget")
        return real(self, label, *args, **kwargs)

    monkeypatch.setattr(lgrmod.Lgr, "variants", budgeted)
    f = tmp_path / "ml.txt"
    f.write_text("ളള്ളൻ\nകമല\nള്ളളൻ\n", encoding="utf-8")
    records = json_lines(run("lgr", "collisions", str(f), "--lgr", "rz5/malayalam", "--json"))
    # found from the other side: the label after the refused one was still enumerated
    assert records[0]["labels"] == ["ളള്ളൻ", "ള്ളളൻ"]
    summary = records[-1]
    assert summary["labels"] == 3 and summary["variant_limit_reached"] == 1
