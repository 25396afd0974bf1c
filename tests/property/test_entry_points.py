"""Properties of every public entry point: only IdnkitError escapes, round trips hold, results are
deterministic and serialisable.  Strategies come from ``strategies.py`` (shared with fuzz/)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import idnkit
from idnkit import IdnkitError, Profile, check_domain, check_label, explain, to_alabel, to_ulabel, uts46
from idnkit.cli import cli
from idnkit.idna import _punycode as punycode
from idnkit.idna._labels import MAX_LABEL_OCTETS, MAX_NAME_OCTETS

from . import strategies as strat

pytestmark = pytest.mark.property

profiles = st.sampled_from(list(Profile))
maps = st.sampled_from([None, True, False])
inputs = st.one_of(strat.any_text, strat.alabel_like, strat.valid_domain_names)


def _no_crash(fn: Callable[[], Any]) -> Any:
    """Call ``fn``; an IdnkitError is an answer, anything else fails the test."""
    with contextlib.suppress(IdnkitError):
        return fn()
    return None


@given(inputs, profiles, maps, st.booleans())
def test_checks_return_findings_never_raise(text: str, profile: Profile, map_: bool | None, bidi: bool) -> None:
    label = check_label(text, profile=profile, map=map_, bidi_domain=bidi)
    domain = check_domain(text, profile=profile, map=map_)
    # Results are JSON-serialisable and deterministic.
    json.dumps(label.to_dict())
    json.dumps(domain.to_dict())
    assert check_label(text, profile=profile, map=map_, bidi_domain=bidi) == label
    assert check_domain(text, profile=profile, map=map_) == domain
    # A verdict is "ok" exactly when there is no error, and only then is there an ASCII form.
    assert label.ok == (not label.errors) == (label.alabel is not None)
    assert domain.ok == (not domain.errors) == (domain.ascii is not None)


@pytest.mark.slow
@given(inputs, profiles)
def test_strict_helpers_raise_only_idnkit_errors(text: str, profile: Profile) -> None:
    alabel = _no_crash(lambda: to_alabel(text, profile=profile))
    ulabel = _no_crash(lambda: to_ulabel(text, profile=profile))
    if alabel is not None:
        assert alabel.isascii()
        assert len(alabel.rstrip(".")) <= MAX_NAME_OCTETS
    if ulabel is not None and alabel is not None:
        assert to_alabel(ulabel, profile=profile) == alabel.lower()


@given(inputs)
def test_uts46_entry_points(text: str) -> None:
    ascii_result = uts46.to_ascii(text)
    unicode_result = uts46.to_unicode(text)
    _no_crash(lambda: uts46.to_ascii(text, strict=True))
    assert ascii_result.ok == (not any(f.is_error for f in ascii_result.findings))
    if ascii_result.ok:
        assert ascii_result.result.isascii()
        # ToUnicode of a valid ToASCII result gives the same Unicode form (UTS #46 §4.3).
        assert uts46.to_unicode(ascii_result.result).result == unicode_result.result
        assert uts46.to_ascii(unicode_result.result).result == ascii_result.result
    _ = unicode_result.status_codes | ascii_result.status_codes


uts46_options = st.builds(uts46.Uts46Options, *(st.booleans() for _ in uts46.OPTION_NAMES))


@given(inputs, uts46_options)
def test_uts46_with_any_options(text: str, options: uts46.Uts46Options) -> None:
    kwargs = options.to_dict()
    ascii_result = uts46.to_ascii(text, **kwargs)
    del kwargs["verify_dns_length"]
    unicode_result = uts46.to_unicode(text, **kwargs)
    json.dumps(ascii_result.to_dict())
    assert ascii_result.options == options
    assert ascii_result.ok == (not any(f.is_error for f in ascii_result.findings))
    if ascii_result.ok:
        assert ascii_result.result.isascii()
    # Turning a check off never adds an error: the defaults' errors include the relaxed ones'.
    strict = {f.rule for f in uts46.to_unicode(text, transitional_processing=options.transitional_processing).findings
              if f.is_error}  # fmt: skip
    relaxed = {f.rule for f in unicode_result.findings if f.is_error}
    assert relaxed <= strict | {"uts46.xn_prefix"}


@given(strat.hostile_text)
def test_uts46_mapping_is_idempotent(text: str) -> None:
    once = uts46.map_string(text)
    assert uts46.map_string(once) == once


@given(
    st.one_of(st.integers(-5, 0x110005), strat.hostile_text, st.sampled_from(["U+00DF", "0x41", "u+d800", "U+", "ß"]))
)
def test_explain_accepts_or_refuses(spec: int | str) -> None:
    result = _no_crash(lambda: explain(spec))
    if result is not None:
        json.dumps(result.to_dict())
        assert result.codepoint.startswith("U+")


@given(strat.valid_labels())
def test_valid_ulabel_roundtrips_through_its_alabel(label: str) -> None:
    alabel = to_alabel(label)
    assert alabel.startswith("xn--") or alabel == label
    assert len(alabel) <= MAX_LABEL_OCTETS
    assert to_ulabel(alabel) == label
    again = check_label(alabel)
    assert again.ok
    assert again.ulabel == label
    assert again.alabel == alabel


@given(strat.valid_domain_names)
def test_valid_name_is_its_labels(name: str) -> None:
    result = check_domain(name)
    if not result.ok:
        # The only way a name of valid LTR labels can fail: its length.
        assert {f.rule for f in result.errors} == {"dns.name_too_long"}
        return
    labels = name.rstrip(".").split(".")
    assert result.ascii == ".".join(to_alabel(label) for label in labels) + ("." if name.endswith(".") else "")
    assert result.ascii is not None
    # The A-label form of the name is the same name.
    back = check_domain(result.ascii)
    assert back.ok
    assert back.name == name
    assert uts46.to_ascii(name).result == result.ascii


@given(strat.any_text)
def test_findings_point_at_the_code_point_they_name(text: str) -> None:
    result = check_label(text)
    checked = result.ulabel or text
    for finding in result.findings:
        if finding.position is not None and finding.codepoint is not None:
            assert finding.codepoint == f"U+{ord(checked[finding.position - 1]):04X}"


@given(strat.punycode_plain)
def test_punycode_roundtrip_and_c_encoder(text: str) -> None:
    encoded = punycode.encode(text)
    assert encoded.isascii()
    assert punycode.encode_python(text) == encoded
    assert punycode.decode(encoded) == text


@given(st.one_of(strat.punycode_like, strat.hostile_text))
def test_punycode_decode_refuses_with_punycode_error(text: str) -> None:
    decoded = _no_crash(lambda: punycode.decode(text))
    if decoded is not None:
        # Whatever decodes re-encodes to the same text (case of the digits aside): the decoder is
        # injective, which is what makes the RFC 5891 §5.3 round-trip check redundant.
        cut = text.rfind("-")
        expected = text[: cut + 1] + text[cut + 1 :].lower() if cut > 0 else text.lower()
        assert punycode.encode(decoded) == expected


@given(strat.hostile_text)
def test_punycode_encoder_errors(text: str) -> None:
    _no_crash(lambda: punycode.encode(text))


@settings(max_examples=40)
@given(st.lists(st.one_of(strat.idn_text, strat.valid_domain_names), min_size=1, max_size=3), st.booleans(), profiles)
def test_cli_exit_code_matches_library(names: list[str], as_json: bool, profile: Profile) -> None:
    names = [n for n in names if n not in ("explain", "check") and not n.startswith("-")] or ["example"]
    args = ["check", "--profile", profile.value, *(["--json"] if as_json else []), "--", *names]
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    readable = [n for n in names if not any("\ud800" <= c <= "\udfff" for c in n)]
    expected = 2 if len(readable) < len(names) else 0 if all(check_domain(n, profile=profile).ok for n in names) else 1
    assert result.exit_code == expected, result.output
    if as_json:
        for line in result.output.splitlines():
            assert json.loads(line)["schema"].startswith("idnkit.")


@settings(max_examples=40)
@given(
    st.lists(
        st.one_of(strat.hostile_text, st.integers(0, 0x10FFFF).map(lambda c: f"U+{c:04X}")), min_size=1, max_size=3
    )
)
def test_cli_explain_never_crashes(specs: list[str]) -> None:
    specs = [s for s in specs if not s.startswith("-")] or ["a"]
    result = CliRunner().invoke(cli, ["explain", "--json", "--", *specs], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2)


@given(st.binary(max_size=200))
def test_cli_file_input_never_crashes(data: bytes) -> None:
    result = CliRunner().invoke(cli, ["check", "--json", "-f", "-"], input=data, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2)
    lines = result.output.splitlines()
    assert json.loads(lines[-1])["schema"] == "idnkit.summary/1"


def test_public_api_is_covered() -> None:
    """Every public callable is driven by a property above; a new one must be added here."""
    covered = {"check_domain", "check_label", "explain", "to_alabel", "to_ulabel", "uts46"}
    callables = {name for name in idnkit.__all__ if callable(getattr(idnkit, name)) and name[0].islower()}
    assert callables | {"uts46"} == covered
    constants = {"MAX_INPUT", "OPTION_NAMES", "UTS46_STATUS_CODES", "Uts46Options", "Uts46Result"}
    assert set(uts46.__all__) - constants <= {"map_string", "process", "to_ascii", "to_unicode"}
