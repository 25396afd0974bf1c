"""Hostile nesting in LGR documents: refused with LgrError naming the file, never a RecursionError."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from idnkit.cli import cli
from idnkit.lgr import Lgr, LgrParseError, parse_bytes

HEAD = (
    b'<?xml version="1.0"?><lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><version>1</version></meta>'
    b'<data><char cp="0061"/><char cp="0062"/></data><rules>'
)


def _doc(rules: bytes) -> bytes:
    return HEAD + rules + b"</rules></lgr>"


def _nested(n: int) -> bytes:
    return _doc(b'<rule name="r">' + b"<choice>" * n + b'<char cp="0061"/>' + b"</choice>" * n + b"</rule>")


def _reference_chain(n: int) -> bytes:
    """Each rule a choice of the one before and another code point: the element tree is n deep."""
    chain = b"".join(
        b'<rule name="r%d"><choice><rule by-ref="r%d"/><char cp="0063"/></choice></rule>' % (i, i - 1)
        for i in range(1, n)
    )
    return _doc(b'<rule name="r0"><char cp="0061"/></rule>' + chain + b'<action disp="invalid" match="r%d"/>' % (n - 1))


def _plain_chain(n: int) -> bytes:
    """Each rule only the one before: compiled to the first rule's matcher, however long the chain."""
    chain = b"".join(b'<rule name="r%d"><rule by-ref="r%d"/></rule>' % (i, i - 1) for i in range(1, n))
    return _doc(b'<rule name="r0"><char cp="0061"/></rule>' + chain + b'<action disp="invalid" match="r%d"/>' % (n - 1))


def test_moderate_nesting_still_works() -> None:
    lgr = Lgr(parse_bytes(_nested(40)))
    assert lgr.validate("a").valid
    chained = Lgr(parse_bytes(_reference_chain(40)))
    assert (chained.validate("a").disposition, chained.validate("b").disposition) == ("invalid", "valid")


@pytest.mark.parametrize("n", [1_000, 100_000])
def test_deep_nesting_is_refused_at_parse(n: int) -> None:
    with pytest.raises(LgrParseError, match="nested more than"):
        parse_bytes(_nested(n))


def test_deep_reference_chain_is_refused_at_compile() -> None:
    doc = parse_bytes(_reference_chain(5_000))
    with pytest.raises(LgrParseError, match=r"<bytes>:\d+: rule 'r\d+': rule references nested too deeply"):
        Lgr(doc)


def test_long_chain_of_plain_references_compiles() -> None:
    chained = Lgr(parse_bytes(_plain_chain(5_000)))
    assert (chained.validate("a").disposition, chained.validate("b").disposition) == ("invalid", "valid")


@pytest.mark.parametrize("maker", [_nested, _reference_chain])
def test_cli_reports_instead_of_crashing(tmp_path: Path, maker: Callable[[int], bytes]) -> None:
    path = tmp_path / "hostile.xml"
    path.write_bytes(maker(5_000))
    runner = CliRunner()
    validated = runner.invoke(cli, ["lgr", "validate", str(path)])
    assert validated.exit_code in (1, 2), validated.output
    assert validated.exception is None or isinstance(validated.exception, SystemExit)
    assert "nested" in validated.output
    checked = runner.invoke(cli, ["a.example", "--lgr", str(path)])
    assert checked.exit_code == 2 and "nested" in checked.output
