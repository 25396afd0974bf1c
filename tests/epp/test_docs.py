"""docs/epp.md's examples give the answers their comments say, and its reasons are idnkit's own words."""

from __future__ import annotations

import re

import pytest

from idnkit.epp import handle
from idnkit.policy import MemoryStore, Registry, load

from ..conftest import ROOT
from ._epp import create, idn_data, read

DOC = (ROOT / "docs" / "epp.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```xml\n<!-- (\d{4})((?: [a-z0-9_.]+)*) -->\n(.*?)```", DOC, flags=re.S)
SE = load("se")


def test_the_doc_has_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("code", "rules", "xml"), EXAMPLES, ids=[f"{c}{r}" for c, r, _ in EXAMPLES])
def test_example(code: str, rules: str, xml: str) -> None:
    answer = handle(xml.encode(), registry=Registry(SE, MemoryStore()), registrar="r1")
    back = read(answer)
    assert answer.code == int(code), answer.xml.decode()
    assert back.rules == rules.split()


def test_the_reasons_quoted_are_what_idnkit_writes() -> None:
    answer = handle(create("xn--rksmrgs-5wao1o.se", idn_data("klingon")), registry=Registry(SE, MemoryStore()),
                    registrar="r1")  # fmt: skip
    (reason,) = read(answer).reasons[2306]
    assert f"<reason>{reason}</reason>" in DOC
