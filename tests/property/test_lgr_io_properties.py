"""Legacy import never crashes and never passes bad input silently; what it imports writes and reads back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit import lgr
from idnkit.lgr import LgrParseError, parse_bytes, parse_legacy, to_xml

pytestmark = pytest.mark.property

TOKENS = st.sampled_from(
    [
        "U+0061",
        "0062",
        "U+00DF",
        "1F600",
        "U+D800",
        "XYZ",
        "0061..0063",
        "U+0064-U+0066",
        "(1,2)",
        "(0)",
        ";",
        "|",
        ":",
        ",",
        "-",
        " ",
        "#",
        "\x0b",
        "ß",
        "Version 1 20200101",
        "Reference 1 x",
        "\t",
        "U+0073-U+0073",
        "110000",
    ]
)
LINES = st.lists(st.lists(TOKENS, max_size=6).map("".join), max_size=8).map("\n".join)


def _cps(doc: object) -> list[object]:
    return [(c.cps, c.comment, [(v.cps, v.type, v.refs) for v in c.variants]) for c in doc.chars]  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(LINES, st.sampled_from(["auto", "rfc3743", "rfc4290", "list"]))
def test_import_either_succeeds_and_round_trips_or_names_lines(text: str, fmt: str) -> None:
    error: lgr.LegacyTableError | None = None
    try:
        doc = parse_legacy(text, "t.txt", fmt)
    except lgr.LegacyTableError as e:
        error = e
    except LgrParseError:
        raise AssertionError("a legacy table error must list its problems") from None
    if error is not None:
        last = text.count("\n") + 1
        assert error.problems and all(1 <= line <= last for line, _ in error.problems)
        assert str(error).startswith(f"t.txt:{error.problems[0][0]}: ")
        return
    again = parse_bytes(to_xml(doc), "t.xml")
    assert _cps(again) == _cps(doc)
