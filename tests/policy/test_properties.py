"""Properties: the loader never crashes on any text and its lines are real; checks never crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit.policy import Policy, loads
from idnkit.policy._loader import read

from .fakes import ENGINES
from .test_registry import BODY, HEAD

VALID = HEAD + BODY
_LINES = VALID.splitlines(keepends=True)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid policy with lines dropped, duplicated or spliced with random text."""
    lines = list(_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "splice", "swap"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "splice":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(max_size=8)) + lines[i][at:]
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            break
    return "".join(lines)


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(mutated())
def test_loader_reports_instead_of_crashing(text: str) -> None:
    data, issues = read(text, "m.toml", engines=ENGINES)
    count = max(1, len(text.splitlines()) + 1)
    for issue in issues:
        assert issue.file == "m.toml" and 1 <= issue.line <= count, issue
        assert issue.field and issue.message
    if not issues:
        assert data is not None


POLICY: Policy = loads(VALID, engines=ENGINES)


@pytest.mark.property
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_checks_never_crash(label: str) -> None:
    result = POLICY.check(label)
    assert result.ok is (not result.errors)
    if result.ok:
        assert result.alabel is not None and result.ulabel is not None
        assert POLICY.conflict_keys(result.ulabel)[0] == ("name", result.ulabel)
