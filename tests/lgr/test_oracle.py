"""Differential test against ICANN lgr-core 6.1.3 on RZ-LGR-5 (tests/data/lgr-oracle).

Every record is compared field by field.  A field that disagrees must be listed, with its category, in
known-disagreements.tsv (each category is argued from RFC 7940 in docs/lgr-disagreements.md); a listed
row that no longer disagrees fails too, so the list cannot go stale.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from idnkit import lgr

DATA = Path(__file__).resolve().parents[1] / "data" / "lgr-oracle"
RECORDS = [json.loads(line) for line in (DATA / "rz-lgr-5-lgr-core-6.1.3.jsonl").read_text("utf-8").splitlines()]
CATEGORIES = {"index-undefined", "sequence-partition", "sequence-prefix-fallback", "estimate-ignores-conditions"}


def _known() -> dict[tuple[str, str, str], tuple[str, str]]:
    out = {}
    for line in (DATA / "known-disagreements.tsv").read_text("utf-8").splitlines()[2:]:
        name, label, field, category, mine, _theirs = line.split("\t")
        out[(name, label, field)] = (category, mine)
    return out


KNOWN = _known()


def _short(file: str) -> str:
    m = re.fullmatch(r"lgr-5-(\w+?)(?:-script)?-26may22-en\.xml", file)
    assert m
    return f"rz5/{m.group(1)}"


BY_LGR: dict[str, list[dict[str, object]]] = defaultdict(list)
for _r in RECORDS:
    BY_LGR[_short(str(_r["lgr"]))].append(_r)


def _compare(table: lgr.Lgr, r: dict) -> dict[str, tuple[object, object]]:  # type: ignore[type-arg]
    """Fields where idnkit and lgr-core differ: field -> (idnkit, lgr-core)."""
    u = r["label"]
    diffs: dict[str, tuple[object, object]] = {}
    res = table.validate(u)
    if res.disposition != r["disposition"]:
        diffs["disposition"] = (res.disposition, r["disposition"])
    if (res.disposition != "invalid") != r["eligible"]:
        diffs["eligible"] = (res.disposition != "invalid", r["eligible"])
    if r["disposition"] == "invalid" or res.disposition == "invalid":
        return diffs
    try:
        index: str = table.index_label(u)
    except lgr.LgrError:
        index = "(LgrError)"
    if index != r["index_label"]:
        diffs["index_label"] = (index, r["index_label"])
    count = table.variant_count(u) + 1
    if count != r["estimated_variants"]:
        diffs["estimated_variants"] = (str(count), r["estimated_variants"])
    if r.get("variants") is not None:
        mine = {v.label: v.disposition for v in table.variants(u, limit=None)}
        mine[u] = res.disposition
        if mine != dict(r["variants"]):
            diffs["variants"] = (mine, r["variants"])
    return diffs


@pytest.mark.parametrize("name", sorted(BY_LGR))
def test_oracle(name: str) -> None:
    table = lgr.load(name)
    problems = []
    seen = set()
    for r in BY_LGR[name]:
        for field, (mine, theirs) in _compare(table, r).items():
            key = (name, str(r["label"]), field)
            seen.add(key)
            if key not in KNOWN:
                problems.append(f"{r['label']} {field}: idnkit {mine!r} lgr-core {theirs!r}")
            elif KNOWN[key][0] not in CATEGORIES:
                problems.append(f"{r['label']} {field}: category {KNOWN[key][0]!r} is not an explained one")
            elif field != "variants" and KNOWN[key][1] != str(mine):
                problems.append(f"{r['label']} {field}: idnkit now gives {mine!r}, list says {KNOWN[key][1]!r}")
    stale = [k for k in KNOWN if k[0] == name and k not in seen]
    assert not problems, "\n".join(problems)
    assert not stale, f"listed disagreements that no longer disagree: {stale}"


def test_every_oracle_record_is_checked() -> None:
    assert sum(len(v) for v in BY_LGR.values()) == len(RECORDS) == 1704
    assert len(BY_LGR) == 25
    assert {v[0] for v in KNOWN.values()} <= CATEGORIES


@pytest.mark.slow
def test_disagreement_list_is_current() -> None:
    import subprocess
    import sys

    tool = Path(__file__).resolve().parents[2] / "tools" / "gen_lgr_disagreements.py"
    run = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
