"""``idncheck --confusables``, ``--against FILE`` and ``idncheck confusable A B`` through CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from idnkit.cli import cli

from ._cli import run_cli as run


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_confusable_exit_status_is_grep_style() -> None:
    yes = run("confusable", "раураӏ", "paypal")
    assert yes.exit_code == 0
    assert yes.output.startswith("whole-script confusable")
    no = run("confusable", "paypal", "paypa")
    assert no.exit_code == 1
    assert no.output.startswith("not confusable")
    assert "0 if A and B are confusable, 1 if not" in run("confusable", "--help").output


def test_confusable_json_and_kinds() -> None:
    (record,) = json_lines(run("confusable", "--json", "pаypal", "paypal"))
    assert record == {
        "schema": "idnkit.confusable/1",
        "a": "pаypal",
        "b": "paypal",
        "confusable": True,
        "kind": "mixed-script",
        "skeletons": ["paypal", "paypal"],
        "intentional": True,  # Cyrillic а ~ Latin a is an intentional.txt pair
    }
    (record,) = json_lines(run("confusable", "--json", "ABE", "ΑΒΕ"))
    assert record["kind"] == "whole-script" and record["intentional"] is True


def test_confusable_mark_folded_and_a_labels() -> None:
    assert run("confusable", "köhls", "kohls").exit_code == 1
    folded = run("confusable", "--mark-folded", "köhls", "kohls")
    assert folded.exit_code == 0 and folded.output.startswith("mark-folded")
    assert run("confusable", "xn--80aa0cbo65f", "paypal").exit_code == 0  # раураӏ as an A-label


def test_confusable_whole_names_compare_the_differing_labels() -> None:
    assert run("confusable", "xn--80aa0cbo65f.com", "paypal.com").output.startswith("whole-script")
    assert run("confusable", "pаypal.com", "paypal.com").output.startswith("mixed-script")
    assert run("confusable", "paypal.com", "paypal.net").exit_code == 1


def test_confusable_bidi() -> None:
    # UTS #39 §4 bidiSkeleton: "א1" is shown as "1א" in a left-to-right paragraph.
    assert run("confusable", "\u05d01", "1\u05d0").exit_code == 1  # plain skeletons differ
    ltr = run("confusable", "--bidi", "ltr", "\u05d01", "1\u05d0")
    assert ltr.exit_code == 0 and ltr.output.startswith("single-script confusable")
    assert run("confusable", "--bidi", "rtl", "\u05d01", "1\u05d0").exit_code == 1
    (record,) = json_lines(run("confusable", "--json", "--bidi", "rtl", "\u05d0A_1", "\u05d01_A"))
    assert record["bidi"] == "rtl" and record["kind"] == "mixed-script"
    assert record["skeletons"][0] == record["skeletons"][1]
    assert run("confusable", "--bidi", "up", "a", "b").exit_code == 2


def test_confusable_usage_errors_exit_2() -> None:
    assert run("confusable", "only-one").exit_code == 2
    bad = CliRunner().invoke(cli, ["confusable", "a\udcff", "b"])
    assert bad.exit_code == 2


def test_check_with_confusables_text() -> None:
    result = run("раураӏ.com", "--confusables")
    assert result.exit_code == 0  # findings are warnings
    assert "uts39.whole_script_confusable" in result.output
    assert "skeleton     paypal" in result.output
    assert "restriction  single-script" in result.output


def test_check_with_confusables_json() -> None:
    (record,) = json_lines(run("--json", "--confusables", "pаypal"))
    (label,) = record["confusables"]
    assert label["restriction_level"] == "minimally-restrictive"
    assert label["scripts"] == []
    assert [f["rule"] for f in label["findings"]] == ["uts39.restriction_level", "uts39.mixed_script_confusable"]
    assert "collisions" not in record


def test_check_against_a_list(tmp_path: Path) -> None:
    brands = tmp_path / "brands.txt"
    brands.write_text("# brands\npaypal\nkohls\napple.com\n", encoding="utf-8")
    result = run("раураӏ.com", "аррӏе.com", "example.com", "--against", str(brands))
    assert result.exit_code == 1
    assert "collides paypal  whole-script" in result.output
    assert "collides apple.com  whole-script" in result.output
    assert "no collision" in result.output
    records = json_lines(run("--json", "köhls", "--against", str(brands), "--mark-folded"))
    assert records[0]["collisions"] == [
        {"name": "kohls", "kind": "mark-folded", "source": "mark-folded", "key": "kohls", "rule": "uts39.mark_folded"}
    ]
    assert records[0]["against"] == str(brands)
    assert run("köhls", "--against", str(brands)).exit_code == 0  # mark folding is off by default


def test_json_accepted_is_the_verdict_the_exit_status_counts(tmp_path: Path) -> None:
    brands = tmp_path / "brands.txt"
    brands.write_text("paypal\n", encoding="utf-8")
    colliding, clean = json_lines(run("--json", "раураӏ.com", "example.com", "--against", str(brands)))
    assert (colliding["valid"], colliding["accepted"]) == (True, False)  # IDNA2008 accepts it, --against does not
    assert (clean["valid"], clean["accepted"]) == (True, True)
    assert "accepted" not in json_lines(run("--json", "example.com"))[0]  # no added check, no added field


def test_check_against_names_from_stdin_file(tmp_path: Path) -> None:
    brands = tmp_path / "b.txt"
    brands.write_text("paypal\n", encoding="utf-8")
    result = run("--json", "-f", "-", "--against", str(brands), input="раураӏ\nexample\n")
    records = json_lines(result)
    assert [len(r.get("collisions", [])) for r in records[:2]] == [1, 0]
    assert records[-1]["schema"] == "idnkit.summary/1" and records[-1]["invalid"] == 1
    assert result.exit_code == 1


def test_against_file_with_bad_utf8_exits_2(tmp_path: Path) -> None:
    brands = tmp_path / "bad.txt"
    brands.write_bytes(b"paypal\n\xff\xfe\n")
    result = CliRunner().invoke(cli, ["paypal", "--against", str(brands)])
    assert result.exit_code == 2
    assert "bad.txt:2" in result.output


def test_against_accepts_extra_key_sources(tmp_path: Path) -> None:
    """The hook the LGR option uses: extra key sources join the skeleton for --against."""
    from idnkit.cli._confusables import ConfusablesView
    from idnkit.idna._labels import check_domain

    class Sharp:
        kind = "lgr-index:test"

        def keys(self, u_label: str) -> tuple[str]:
            return (u_label.replace("ß", "ss"),)

    listed = tmp_path / "list.txt"
    listed.write_text("strasse\n", encoding="utf-8")
    with listed.open("rb") as f:
        view = ConfusablesView.from_options(False, f, False, [Sharp()])
    assert view is not None
    assert view.judge_.judge(check_domain("straße")).fields["collisions"][0]["kind"] == "lgr-variant"
    assert ConfusablesView.from_options(False, None, True) is None


def test_against_with_lgr_finds_variants(tmp_path: Path) -> None:
    """--lgr adds the LGR's index labels to --against: U+0647 HEH and U+06C0 HEH WITH YEH ABOVE are
    RZ-LGR-5 Arabic variants, yet not UTS #39 confusables."""
    listed = tmp_path / "list.txt"
    listed.write_text("هدى\n", encoding="utf-8")
    result = run("--json", "ۀدى", "--against", str(listed), "--lgr", "rz5/arabic")
    (record,) = json_lines(result)
    assert [(c["name"], c["kind"], c["source"], c["rule"]) for c in record["collisions"]] == [
        ("هدى", "lgr-variant", "lgr-index:rz5/arabic", None)
    ]
    assert result.exit_code == 1
    without = json_lines(run("--json", "ۀدى", "--against", str(listed)))
    assert without[0]["collisions"] == []  # the skeletons differ
