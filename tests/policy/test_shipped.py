"""The shipped policies: each lints clean, names its sources, and is found by TLD as designed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from idnkit import to_alabel
from idnkit.policy import Status, catalogue, lint

ROOT = Path(__file__).resolve().parent.parent.parent
POLICIES = sorted((ROOT / "policies").glob("*.toml"))


def test_the_issue_lists_every_shipped_policy() -> None:
    tlds = {"se", "nu", "рф", "中国", "ελ", "de", "भारत", "ไทย", "한국", "jp"}
    assert {p.stem for p in POLICIES} == {to_alabel(t) for t in tlds}


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.stem)
def test_lints_clean_and_cites_sources(path: Path) -> None:
    assert [str(i) for i in lint(path)] == []  # table names checked against idnkit.lgr.catalogue()
    text = path.read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    head = doc["policy"]
    assert path.stem == to_alabel(head["tld"]), "file name is the A-label of the TLD"
    assert text.startswith("#") and "Sources:" in text
    if head["status"] == "example":
        assert "EXAMPLE policy" in text and "Assumption" in text
    else:
        assert path.stem in ("se", "nu"), "only .se and .nu have the registry's own tables here"
    for table in doc["table"]:
        assert table.get("source"), f"{path.name}: every table cites its source"


def test_catalogue_maps_every_tld_and_alias() -> None:
    shipped = catalogue()
    assert shipped["cn"] == shipped["xn--fiqs8s"] == shipped["xn--fiqz9s"]
    assert shipped["gr"].name == "xn--qxam.toml"
    assert {k for k, v in shipped.items() if v.stem == k} == {p.stem for p in POLICIES}


def test_status_official_only_for_se_and_nu() -> None:
    official = {p.stem for p in POLICIES if tomllib.loads(p.read_text("utf-8"))["policy"]["status"] == "official"}
    assert official == {"se", "nu"}
    assert Status("official") is Status.OFFICIAL


@pytest.mark.parametrize(
    "name",
    ["räksmörgås.se", "straße.se", "bücher.de", "xn--rksmrgs-5wao1o.se", "пример.рф", "中国.cn", "-bad.se", "a.b.se",
     "Räksmörgås.se", "ab--cd.se", "עברית.se", "x.se."],
)  # fmt: skip
def test_a_policy_verdict_is_the_same_with_check_domains_labels_reused(name: str) -> None:
    # Issue 13: the policy reuses check_domain's label instead of a second IDNA2008 pass; same answer.
    from idnkit import check_domain
    from idnkit.policy import PolicySelector

    selector = PolicySelector()
    assert selector.judge(name, check_domain(name)) == selector.judge(name)
