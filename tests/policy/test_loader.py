"""Policy files: every error with its line, unknown keys, missing tables, contradictions."""

from __future__ import annotations

from pathlib import Path

import pytest

from idnkit.policy import PolicyError, Status, lint, load, loads
from idnkit.policy._lines import key_lines

from .fakes import ENGINES

DATA = Path(__file__).resolve().parent.parent / "data" / "policy"

MINIMAL = """\
[policy]
tld = "example"
operator = "Example Registry"
version = "1"
unicode = "17.0.0"
status = "example"
note = "a test policy"
source = "tests"

[[table]]
name = "t/latin"
tag = "und-Latn"
"""


def test_every_error_of_a_malformed_policy_with_its_line() -> None:
    issues = lint(DATA / "bad.toml", ENGINES)
    got = [(i.line, i.field) for i in issues]
    lines = {(i.line, i.field): i.message for i in issues}
    assert (6, "policy.unicode") in lines and "16.0.0" in lines[(6, "policy.unicode")]
    assert (7, "policy.status") in lines
    assert (9, "policy.colour") in lines and "unknown key" in lines[(9, "policy.colour")]
    assert (12, "tables.select") in lines
    assert (15, "table[1].name") in lines and "no shipped table 't/klingon'" in lines[(15, "table[1].name")]
    assert (19, "table[2].file") in lines and "missing.xml" in lines[(19, "table[2].file")]
    assert (20, "table[2].tag") in lines and "already used" in lines[(20, "table[2].tag")]
    assert (23, "scripts.allowed[2]") in lines
    assert (25, "scripts.ascii_tld_only") in lines and "both" in lines[(25, "scripts.ascii_tld_only")]
    assert (26, "scripts.single_script") in lines
    assert (29, "length.min_codepoints") in lines
    assert (31, "length.max_octets") in lines
    assert (36, "context[1].before") in lines
    assert (40, "variants.blocked") in lines
    assert (41, "variants.allocatable") in lines
    assert (44, "confusables.mark_folded") in lines
    assert (47, "confusables.fold[2]") in lines
    assert len(got) == 18, "\n".join(str(i) for i in issues)
    for issue in issues:
        assert str(issue).startswith(f"{DATA / 'bad.toml'}:{issue.line}: {issue.field}: ")


def test_load_raises_with_every_issue() -> None:
    with pytest.raises(PolicyError) as info:
        load(DATA / "bad.toml", ENGINES)
    assert len(info.value.issues) == 18
    assert str(info.value).count("bad.toml:") == 18


def test_minimal_policy_loads() -> None:
    policy = loads(MINIMAL, engines=ENGINES)
    assert policy.status is Status.EXAMPLE
    assert policy.data.identity.tld_alabel == "example"
    assert policy.data.tables.tables[0].ref == "t/latin"


def test_toml_syntax_error_has_its_line() -> None:
    with pytest.raises(PolicyError) as info:
        loads(MINIMAL + "\n[scripts\nallowed = 1\n", "p.toml", engines=ENGINES)
    (issue,) = info.value.issues
    assert (issue.file, issue.line, issue.field) == ("p.toml", 14, "toml")


@pytest.mark.parametrize(
    ("extra", "line", "field", "words"),
    [
        ("[hyphens]\nallowed = 1\n", 15, "hyphens.allowed", "expected true or false"),
        ('[digits]\nallowed = ["Klingon"]\n', 15, "digits.allowed[1]", "unknown digit set"),
        ('[reserved]\nnames = ["ok", "-bad"]\n', 15, "reserved.names[2]", "not a valid label"),
        ('[uts39]\nrestriction_level = "strict"\n', 15, "uts39.restriction_level", "unknown level"),
        ('[idna]\nprofile = "lookup"\n', 15, "idna.profile", "registration profile"),
        ('[idna]\ndisallow = ["U+00DF", "sz"]\n', 15, "idna.disallow[2]", "code point"),
        ('[scripts]\nallowed = ["Latn"]\ncombinations = [["Hani", "Latn"]]\n', 16, "scripts.combinations[1]", "not in"),
        ('[confusables]\nexempt = [["a"]]\n', 15, "confusables.exempt[1]", "pair"),
        ('[[context]]\nid = "x"\nchar = "U+00B7"\nmessage = "m"\n', 14, "context[1]", "before"),
        ('[reserved]\nnames = ["a", "b"]\n[blocked]\nnames = ["b"]\n', 17, "blocked.names", "both"),
    ],
)
def test_single_errors(extra: str, line: int, field: str, words: str) -> None:
    with pytest.raises(PolicyError) as info:
        loads(MINIMAL + "\n" + extra, engines=ENGINES)
    (issue,) = info.value.issues
    assert (issue.line, issue.field) == (line, field), issue
    assert words in issue.message


def test_name_list_file_errors_name_the_list_file(tmp_path: Path) -> None:
    (tmp_path / "reserved.txt").write_text("# reserved\nnic\n\nwww  # web\n-x\n", encoding="utf-8")
    (tmp_path / "p.toml").write_text(MINIMAL + '\n[reserved]\nfile = "reserved.txt"\n', encoding="utf-8")
    (issue,) = lint(tmp_path / "p.toml", ENGINES)
    assert (issue.file, issue.line) == (str(tmp_path / "reserved.txt"), 5)
    (tmp_path / "reserved.txt").write_text("nic\nwww\n", encoding="utf-8")
    assert load(tmp_path / "p.toml", ENGINES).data.reserved.names == {"nic", "www"}


def test_key_lines_tracks_arrays_strings_and_inline_tables() -> None:
    text = '[a]\nx = """\n[b]\n"""\ny = [\n  1,  # c\n  [2, 3],\n]\n[[t]]\nk = {p = 1}\n[[t]]\n"q r".s = 2\n'
    lines = key_lines(text)
    assert lines[("a", "x")] == 2
    assert ("b",) not in lines
    assert (lines[("a", "y", 0)], lines[("a", "y", 1)]) == (6, 7)
    assert (lines[("t", 0, "k")], lines[("t", 1, "q r", "s")]) == (10, 12)


# --- [review]: what the console's review queue decides (issue 15) ------------------------------------------
def test_review_defaults_send_on_request_variants_and_every_look_alike_to_a_person() -> None:
    from idnkit.policy import VariantAction

    review = loads(MINIMAL, engines=ENGINES).data.review
    assert review.variants == {VariantAction.ON_REQUEST}
    assert review.lookalikes == {"mark-folded", "single-script", "mixed-script", "whole-script"}
    assert review.refuse_lookalikes == frozenset()


def test_review_table_sets_actions_and_the_look_alike_threshold() -> None:
    from idnkit.policy import VariantAction

    text = MINIMAL + '\n[review]\nvariants = ["bundled"]\nrefuse_lookalikes = ["whole-script", "mixed-script"]\n'
    policy = loads(text, engines=ENGINES)
    review = policy.data.review
    assert review.variants == {VariantAction.BUNDLED}
    assert review.lookalikes == {"mark-folded", "single-script"}  # below the refused kinds: a person decides
    assert review.refuse_lookalikes == {"whole-script", "mixed-script"}
    assert policy.data.to_dict()["review"] == {
        "variants": ["bundled"],
        "lookalikes": ["mark-folded", "single-script"],
        "refuse_lookalikes": ["mixed-script", "whole-script"],
    }


def test_review_table_errors_name_their_line() -> None:
    text = MINIMAL + (
        '\n[review]\nvariants = ["blocked"]\nlookalikes = ["single-script", "typo"]\n'
        'refuse_lookalikes = ["single-script"]\ncolour = 1\n'
    )
    issues = {(i.line, i.field): i.message for i in lint_text(text)}
    assert "'on-request' or 'bundled'" in issues[(15, "review.variants[1]")]
    assert "not 'typo'" in issues[(16, "review.lookalikes[2]")]
    assert "both reviewed and refused" in issues[(17, "review.refuse_lookalikes")]
    assert "unknown key" in issues[(18, "review.colour")]


def lint_text(text: str) -> list:
    from idnkit.policy._loader import read

    return read(text, engines=ENGINES)[1]
