"""Every finding kind idnkit.lgr reports carries a rule id from the catalogue (idnkit.RULES, docs/rules.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from idnkit import RULES, Finding, lgr
from idnkit.lgr._evaluate import FINDING_RULES
from idnkit.lgr._validate import PROBLEM_RULES, check_document

ROOT = Path(__file__).resolve().parents[2]


def _kinds_in(path: str, pattern: str) -> set[str]:
    text = (ROOT / "src" / "idnkit" / "lgr" / path).read_text(encoding="utf-8")
    return set(re.findall(pattern, text))


def test_every_finding_kind_is_catalogued() -> None:
    emitted = _kinds_in("_evaluate.py", r'_finding\(\s*"([a-z-]+)"') | {"too-long", "empty", "context"}
    assert emitted <= set(FINDING_RULES)
    assert all(rule in RULES for rule in FINDING_RULES.values())


def test_every_document_problem_kind_is_catalogued() -> None:
    emitted = _kinds_in("_validate.py", r'add\(\s*"([a-z-]+)"')
    assert len(emitted) >= 14
    assert emitted <= set(PROBLEM_RULES)
    assert all(rule in RULES for rule in PROBLEM_RULES.values())


def test_findings_report_their_rule_id() -> None:
    table = lgr.load("rz5/latin")
    result = table.validate("exa\u4e00mple")  # a Han ideograph is outside the Latin repertoire
    assert [f.rule for f in result.findings] == ["rfc7940.label.not_in_repertoire"]
    assert [lgr.finding_dict(f) for f in result.findings] == [
        {
            "kind": "not-in-repertoire",
            "rule_id": "rfc7940.label.not_in_repertoire",
            "position": 4,
            "codepoint": "U+4E00",
            "rule": None,
            "message": result.findings[0].message,
        }
    ]
    assert result.findings[0].producer == "lgr" and result.findings[0].label_index is None
    too_long = table.validate("a" * 1000).findings[0]
    assert isinstance(too_long, Finding) and lgr.finding_kind(too_long) == "too-long"
    # a finding about the whole label: position 0 and no code point in idnkit.lgr/1, as before
    assert lgr.finding_dict(too_long)["position"] == 0 and too_long.position is None
    assert lgr.finding_dict(too_long)["codepoint"] is None and too_long.rule == "rfc7940.label.too_long"


def test_the_old_finding_names_still_import_with_a_warning() -> None:
    from idnkit import policy

    with pytest.warns(DeprecationWarning, match="LgrFinding"):
        assert lgr.LgrFinding is Finding
    with pytest.warns(DeprecationWarning, match="PolicyFinding"):
        assert policy.PolicyFinding is Finding
    assert "LgrFinding" not in lgr.__all__ and "PolicyFinding" not in policy.__all__


def test_document_problems_report_their_rule_id() -> None:
    doc = lgr.parse_file(ROOT / "script_tables" / "lgr" / "rz5" / "lgr-5-myanmar-script-26may22-en.xml")
    problems = check_document(doc, include_warnings=True)
    assert problems
    for p in problems:
        assert p.to_dict()["rule_id"] == PROBLEM_RULES[p.kind] and p.rule_id in RULES
