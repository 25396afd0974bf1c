"""docs/rules.md and the code name the same rules, and every rule the code reports is catalogued."""

from __future__ import annotations

import re

from idnkit import RULES

from .conftest import ROOT

_RULE_LITERAL = re.compile(
    r"""["']((?:dns|rfc\d{4}|uts46|uts39|zone|audit|policy|epp|whatwg|display)\.[a-z0-9_.]+)["']"""
)


def test_doc_lists_exactly_the_catalogue() -> None:
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([^`]+)` \|", doc, flags=re.M)
    assert documented == list(RULES)
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.source} | {rule.summary} |" in doc


def test_every_rule_in_the_source_is_catalogued() -> None:
    used: set[str] = set()
    for path in (ROOT / "src" / "idnkit").rglob("*.py"):
        if "_data" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        used.update(r for r in _RULE_LITERAL.findall(text) if not r.endswith(".html"))  # templates
        used.update(f"rfc5893.rule{n}" for n in range(1, 7) if "rfc5893.rule{" in text)
    # _errors.error_class matches rule-id prefixes; a prefix must still name some rule.
    unknown = sorted(r for r in used if r not in RULES and not any(k.startswith(r) for k in RULES))
    assert unknown == []
    unused = sorted(set(RULES) - used)
    assert unused == [], "catalogued rules that no code reports"
