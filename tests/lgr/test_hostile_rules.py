"""Hostile LGR rules and counts (issue 21 §1, §4): bounded work, LgrParseError with file:line.

Rules whose alternatives overlap under a count (``(a|a)+b``) took a backtracking engine 6.8 s at 20
code points and minutes at 25; each label here is 25 or 255 code points, in a child process under a
CPU limit (tests/_bounded.py), so the old behaviour fails the test instead of hanging it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from idnkit.cli import cli
from idnkit.lgr import Lgr, LgrParseError, parse_bytes
from idnkit.lgr._match import MAX_RULE_COST
from idnkit.lgr._rules import MAX_COUNT
from idnkit.lgr._validate import check_document

from .._bounded import python_code, run_bounded

HEAD = (
    '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><version>1</version>'
    "<unicode-version>17.0.0</unicode-version></meta>\n"
)


def doc(data: str, rules: str) -> bytes:
    return f"{HEAD}<data>{data}</data>\n<rules>\n{rules}\n</rules></lgr>\n".encode()


AB = '<char cp="0061"/><char cp="0062"/><char cp="0063"/>'
# (a|a)+b, (class|char)+b, three overlapping ways, thirty choices in a row: every way of reading a run
# of "a" is tried by a backtracking engine before it gives up for want of the final code point.
# As (repeated part, final part); a look-behind reads right to left, so there the final part comes first.
SHAPES = {
    "choice-of-equals": ('<choice count="1+"><char cp="0061"/><char cp="0061"/></choice>', '<char cp="0062"/>'),
    "class-or-char": ('<choice count="1+"><class>0061</class><char cp="0061"/></choice>', '<char cp="0062"/>'),
    "three-ways": ('<choice count="1+"><char cp="0061"/><class>0061-0062</class><any/></choice>', '<char cp="0063"/>'),
    "sequence-of-choices": ('<choice><char cp="0061"/><class>0061</class></choice>' * 30, '<char cp="0062"/>'),
}


def hostile_documents() -> dict[str, bytes]:
    out = {}
    for name, (loop, last) in SHAPES.items():
        out[f"{name}-action"] = doc(AB, f'<rule name="evil">{loop}{last}</rule><action disp="invalid" match="evil"/>')
        out[f"{name}-when"] = doc(
            '<char cp="0061" when="evil"/><char cp="0062"/><char cp="0063"/>',
            f'<rule name="evil"><look-ahead>{loop}{last}</look-ahead><anchor/></rule>',
        )
        out[f"{name}-not-when"] = doc(
            '<char cp="0061" not-when="evil"/><char cp="0062"/><char cp="0063"/>',
            f'<rule name="evil"><look-behind>{last}{loop}</look-behind><anchor/></rule>',
        )
    return out


@pytest.mark.parametrize("name", sorted(hostile_documents()))
def test_overlapping_alternatives_take_bounded_time(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.xml"
    path.write_bytes(hostile_documents()[name])
    code = f"""
import json, itertools
from idnkit import lgr
table = lgr.load({str(path)!r})
out = {{}}
for n in (25, 255):
    label = "a" * n
    out[n] = [table.validate(label).disposition, table.validate(label[:-1] + "c").disposition]
    try:
        out[n].append(len(list(itertools.islice(table.variants(label), 3))))
    except lgr.LgrError:
        out[n].append(-1)  # not eligible: a failed when
print(json.dumps(out))
"""
    done = run_bounded(python_code(code), cpu_seconds=60)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    result = json.loads(done.stdout)
    assert set(result) == {"25", "255"}
    # Same verdicts as on a short label, where backtracking is harmless (checked in-process).
    table = Lgr(parse_bytes(hostile_documents()[name], name))
    short = ["a" * 6, "a" * 5 + "c"]
    assert list(result["25"][:2]) == [table.validate(x).disposition for x in short]


def test_lint_and_check_answer_quickly_on_a_hostile_rule(tmp_path: Path) -> None:
    path = tmp_path / "evil.xml"
    path.write_bytes(hostile_documents()["choice-of-equals-action"])
    done = run_bounded(["-m", "idnkit", "lgr", "validate", str(path)], cpu_seconds=60)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_bounded(["-m", "idnkit", "a" * 40 + ".example", "--lgr", str(path)], cpu_seconds=60)
    assert done.returncode in (0, 1), done.stdout + done.stderr


# --- counts (§6.3.2) and other small documents that asked for unbounded work -------------------------


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("999999999", "over idnkit's bound of 255"),
        ("1:4294967296", "bad count"),  # more digits than any bound: refused by its shape
        ("1:256", "over idnkit's bound of 255"),
        ("300+", "over idnkit's bound of 255"),
        ("-1", "bad count"),
        ("1:-2", "bad count"),
        ("+3", "bad count"),
        ("3:1", "3 is more than 1"),
        ("", "bad count"),
        ("two", "bad count"),
        ("1:2:3", "bad count"),
    ],
)
def test_bad_counts_are_refused_with_file_and_line(count: str, message: str) -> None:
    data = doc(AB, f'<rule name="r">\n<char cp="0061" count="{count}"/></rule>')
    with pytest.raises(LgrParseError, match=rf"^t\.xml:6: .*{message}"):
        Lgr(parse_bytes(data, "t.xml"))
    problems = check_document(parse_bytes(data, "t.xml"))
    assert [(p.kind, p.line) for p in problems if p.severity == "error"] == [("bad-rule", 6)]


def test_largest_count_is_still_accepted() -> None:
    table = Lgr(
        parse_bytes(
            doc(
                AB,
                f'<rule name="r"><start/><char cp="0061" count="0:{MAX_COUNT}"/><end/></rule>'
                '<action disp="invalid" not-match="r"/>',
            )
        )
    )
    assert table.validate("a" * 255).disposition == "valid"
    assert table.validate("ab").disposition == "invalid"


def test_counts_multiplying_past_the_cost_bound_are_refused() -> None:
    # 200 x 200 repetitions of a choice: each label position read 40,000 times over.
    body = '<rule count="0:200"><choice count="0:200"><char cp="0061"/><char cp="0062"/></choice></rule>'
    with pytest.raises(LgrParseError, match=rf"t\.xml:5: rule 'r' costs .* over idnkit's bound of {MAX_RULE_COST:,}"):
        Lgr(parse_bytes(doc(AB, f'<rule name="r">\n{body}</rule>'), "t.xml"))


def test_doubling_references_are_refused_before_they_grow() -> None:
    # r1 = r0 r0, r2 = r1 r1, ...: r40 spelled out is 2^40 elements.  Refused by cost at about r14,
    # in microseconds and without building anything of that size.
    rules = '<rule name="r0"><char cp="0061"/></rule>\n' + "\n".join(
        f'<rule name="r{i}"><rule by-ref="r{i - 1}"/><rule by-ref="r{i - 1}"/></rule>' for i in range(1, 41)
    )
    done = run_bounded(
        python_code(
            "import sys\nfrom idnkit.lgr import Lgr, LgrParseError, parse_bytes\n"
            f"try:\n    Lgr(parse_bytes({doc(AB, rules)!r}, 't.xml'))\n"
            "except LgrParseError as e:\n    print(e)\n"
        ),
        cpu_seconds=30,
        memory_mb=1024,
    )
    assert b"costs" in done.stdout and b"t.xml:" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ('<char cp="D800"/>', "surrogate"),
        ('<char cp="0061"><var cp="DFFF"/></char>', "surrogate"),
        ('<range first-cp="D7F0" last-cp="D810"/>', "surrogate"),
        ('<char cp="0061 DC00"/>', "surrogate"),
    ],
)
def test_surrogate_code_points_are_refused(xml: str, message: str) -> None:
    with pytest.raises(LgrParseError, match=rf"^t\.xml:3: .*{message}"):
        parse_bytes(doc(xml, ""), "t.xml")


def test_a_range_over_all_of_unicode_is_refused_quickly() -> None:
    everything = doc('<range first-cp="0000" last-cp="10FFFF"/>', "")
    code = (
        "from idnkit.lgr import parse_bytes, LgrParseError\n"
        f"try:\n    parse_bytes({everything!r}, 't.xml')\n"
        "except LgrParseError as e:\n    print(e)\n"
    )
    done = run_bounded(python_code(code), cpu_seconds=20, memory_mb=400)
    assert done.stdout.startswith(b"t.xml:3: "), done.stdout + done.stderr
    assert b"repertoire" in done.stdout


def test_cli_reports_a_bad_count_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(doc(AB, '<rule name="r">\n<char cp="0061" count="999999999"/></rule>'))
    result = CliRunner().invoke(cli, ["a.example", "--lgr", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:6:" in result.output and "count" in result.output


# --- attribute and meta values lint used to accept (§10) ---------------------------------------------


@pytest.mark.parametrize(
    ("meta", "data", "rules", "line", "words"),
    [
        ("<date>2024-13-45</date>", AB, "", 2, "<date> '2024-13-45' is not a date"),
        ("<date>yesterday</date>", AB, "", 2, "is not a date"),
        ("<validity-end>2030/01/01</validity-end>", AB, "", 2, "<validity-end>"),
        ("<unicode-version>seventeen</unicode-version>", AB, "", 2, "is not a version as x.y.z"),
        ("<language>en_US!</language>", AB, "", 2, "is not a language tag"),
        (
            "",
            '<char cp="0061"><var cp="0062" type="bad type"/></char><char cp="0062"><var cp="0061" type="x"/></char>',
            "",
            3,
            "not one word",
        ),
        ("", AB, '<action disp="in valid"/>', 4, "disposition 'in valid' is not one word"),
    ],
)
def test_lint_refuses_values_not_in_their_form(meta: str, data: str, rules: str, line: int, words: str) -> None:
    xml = (
        '<?xml version="1.0"?>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><version>1</version>'
        f"{meta}</meta>\n<data>{data}</data>\n<rules>{rules}</rules></lgr>\n"
    )
    problems = [p for p in check_document(parse_bytes(xml.encode(), "t.xml")) if p.severity == "error"]
    assert [(p.kind, p.line) for p in problems] == [("bad-value", line)], problems
    assert words in problems[0].message and problems[0].rule_id == "rfc7940.doc.bad_value"


@pytest.mark.parametrize(
    ("prop", "words"),
    [
        ("gc:Xx", "unknown value 'Xx' of property 'gc'"),
        ("sc:Klingon", "unknown value"),
        ("ccc:999", "not 0-254"),
        ("jt:Q", "unknown value"),
    ],
)
def test_unknown_property_values_are_refused(prop: str, words: str) -> None:
    data = doc(AB, f'<class name="c" property="{prop}"/>')
    with pytest.raises(LgrParseError, match=words):
        Lgr(parse_bytes(data, "t.xml"))


def test_a_legacy_range_over_all_of_unicode_is_refused_quickly() -> None:
    code = (
        "from idnkit.lgr import parse_legacy, LgrParseError\n"
        "try:\n    parse_legacy('U+0061\\nU+0000..U+10FFFF\\nU+D7FF..U+E000\\n', 'x.txt', 'list')\n"
        "except LgrParseError as e:\n    print(e)\n"
    )
    done = run_bounded(python_code(code), cpu_seconds=20, memory_mb=400)
    assert done.stdout.startswith(b"x.txt:2: "), done.stdout + done.stderr
    assert b"bound of 150,000" in done.stdout
