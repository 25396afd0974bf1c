"""Every line of IdnaTestV2.txt (Unicode 17.0.0), every column: toUnicode, toAsciiN and toAsciiT.

Where the file lists status codes the call must report an error, and every listed code must be
among the codes idnkit's findings map to (``uts46.UTS46_STATUS_CODES``); where it lists none the
result string must match exactly.  idnkit may report *more* codes than the file: after Bidi rule 1
fails it still evaluates rules 2-6 (every violation is reported), where the file's generator stops.

The file's header says how to test with an option turned off: "Implementations that allow values
of particular input flags to be false would ignore the corresponding status codes" (CheckHyphens
V2 and V3, CheckJoiners Cn, CheckBidi Bn, UseSTD3ASCIIRules U1, VerifyDnsLength A4_1 and A4_2).
The flipped-option tests do exactly that, over every line: with the option off, a line whose
remaining codes are empty must succeed with the file's string, and one with codes left must fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    to_ascii_t: str
    to_ascii_t_status: frozenset[str]


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
            to_ascii_n = _value(cols[3], to_unicode)
            n_status = _status(cols[4], u_status)
            to_ascii_t = _value(cols[5], to_ascii_n)
            t_status = _status(cols[6], n_status)
            cases.append(Case(number, source, to_unicode, u_status, to_ascii_n, n_status, to_ascii_t, t_status))
    return cases


CASES = _cases()


def test_file_is_complete() -> None:
    assert len(CASES) > 6000  # the 17.0.0 file has 6,000+ test lines; a truncated copy must fail
    # the transitional column differs from the nontransitional one on some lines: the test can fail
    assert sum(c.to_ascii_t != c.to_ascii_n or c.to_ascii_t_status != c.to_ascii_n_status for c in CASES) > 50


def _check(result: uts46.Uts46Result, expected: str, status: frozenset[str]) -> None:
    if status:
        assert not result.ok, f"expected errors {sorted(status)}, got {result.result!r}"
        assert status <= result.status_codes
    else:
        assert result.ok, [f.rule for f in result.findings]
        assert result.result == expected


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"line{c.line}")
def test_to_unicode(case: Case) -> None:
    _check(uts46.to_unicode(case.source), case.to_unicode, case.to_unicode_status)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"line{c.line}")
def test_to_ascii_n(case: Case) -> None:
    _check(uts46.to_ascii(case.source), case.to_ascii_n, case.to_ascii_n_status)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"line{c.line}")
def test_to_ascii_t(case: Case) -> None:
    _check(uts46.to_ascii(case.source, transitional_processing=True), case.to_ascii_t, case.to_ascii_t_status)


# option off -> the status codes the file's header says to ignore
_FLAGS: dict[str, Callable[[str], bool]] = {
    "check_hyphens": lambda code: code in ("V2", "V3"),
    "check_joiners": lambda code: code.startswith("C"),
    "check_bidi": lambda code: code.startswith("B"),
    "use_std3_ascii_rules": lambda code: code == "U1",
    "verify_dns_length": lambda code: code in ("A4_1", "A4_2"),
}
_COLUMNS = {
    "to_unicode": (lambda c: (c.to_unicode, c.to_unicode_status), uts46.to_unicode, {}),
    "to_ascii_n": (lambda c: (c.to_ascii_n, c.to_ascii_n_status), uts46.to_ascii, {}),
    "to_ascii_t": (lambda c: (c.to_ascii_t, c.to_ascii_t_status), uts46.to_ascii, {"transitional_processing": True}),
}


# VerifyDnsLength is a ToASCII option (UTS #46 §4.2 step 4): ToUnicode has none to turn off.
_FLIPS = [(f, c) for f in sorted(_FLAGS) for c in sorted(_COLUMNS) if (f, c) != ("verify_dns_length", "to_unicode")]


@pytest.mark.parametrize(("flag", "column"), _FLIPS, ids=[f"{f}-{c}" for f, c in _FLIPS])
def test_every_line_with_one_option_off(flag: str, column: str) -> None:
    expected_of, call, extra = _COLUMNS[column]
    wrong: list[str] = []
    changed = 0
    for case in CASES:
        expected, status = expected_of(case)
        left = frozenset(code for code in status if not _FLAGS[flag](code))
        changed += left != status
        result = call(case.source, **{flag: False}, **extra)  # type: ignore[operator]
        if left:
            if result.ok or not left <= result.status_codes:
                wrong.append(f"line {case.line}: expected {sorted(left)}, got {sorted(result.status_codes)}")
        elif not result.ok or result.result != expected:
            got = f"{result.result!r} {sorted(result.status_codes)}"
            wrong.append(f"line {case.line}: expected {expected!r}, got {got}")
    assert changed > 0, f"no line of the file exercises {flag} in {column}"
    assert wrong == []
