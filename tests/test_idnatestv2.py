"""Every line of IdnaTestV2.txt (Unicode 17.0.0): toUnicode and toAsciiN (nontransitional).

Where the file lists status codes the call must report an error, and every listed code must be
among the codes idnkit's findings map to (``uts46.UTS46_STATUS_CODES``); where it lists none the
result string must match exactly.  idnkit may report *more* codes than the file: after Bidi rule 1
fails it still evaluates rules 2-6 (every violation is reported), where the file's generator stops.
The toAsciiT column (transitional processing) is out of scope: idnkit implements nontransitional
processing only, as IDNA2008 does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from idnkit import uts46

from .conftest import data_file

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\x\{([0-9A-Fa-f]+)\}")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _value(field: str, default: str) -> str:
    field = field.strip()
    if field == "":
        return default
    if field == '""':
        return ""
    return _unescape(field)


def _status(field: str, default: frozenset[str]) -> frozenset[str]:
    field = field.strip()
    if field == "":
        return default
    return frozenset(s.strip() for s in field.strip("[]").split(",") if s.strip())


@dataclass(frozen=True)
class Case:
    line: int
    source: str
    to_unicode: str
    to_unicode_status: frozenset[str]
    to_ascii_n: str
    to_ascii_n_status: frozenset[str]


def _cases() -> list[Case]:
    cases = []
    with data_file("17.0.0", "idna", "IdnaTestV2.txt").open(encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0]
            if not line.strip():
                continue
            cols = line.split(";")
            source = _value(cols[0], "")
            to_unicode = _value(cols[1], source)
            u_status = _status(cols[2], frozenset())
            to_ascii = _value(cols[3], to_unicode)
            a_status = _status(cols[4], u_status)
            cases.append(Case(number, source, to_unicode, u_status, to_ascii, a_status))
    return cases


CASES = _cases()


def test_file_is_complete() -> None:
    assert len(CASES) > 6000  # the 17.0.0 file has 6,000+ test lines; a truncated copy must fail


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"line{c.line}")
def test_to_unicode(case: Case) -> None:
    result = uts46.to_unicode(case.source)
    if case.to_unicode_status:
        assert not result.ok, f"expected errors {sorted(case.to_unicode_status)}, got {result.result!r}"
        assert case.to_unicode_status <= result.status_codes
    else:
        assert result.ok, [f.rule for f in result.findings]
        assert result.result == case.to_unicode


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"line{c.line}")
def test_to_ascii_n(case: Case) -> None:
    result = uts46.to_ascii(case.source)
    if case.to_ascii_n_status:
        assert not result.ok, f"expected errors {sorted(case.to_ascii_n_status)}, got {result.result!r}"
        assert case.to_ascii_n_status <= result.status_codes
    else:
        assert result.ok, [f.rule for f in result.findings]
        assert result.result == case.to_ascii_n
