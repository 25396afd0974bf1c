"""Resource bounds: input over a documented bound is refused at once, with a clear message and
memory independent of its size (tracemalloc peak, never time); work below the bound is linear
(counted in operations, never timed)."""

from __future__ import annotations

import io
import sys
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit import (
    IdnkitError,
    LengthError,
    Profile,
    PunycodeError,
    check_domain,
    check_label,
    explain,
    to_alabel,
    to_ulabel,
    uts46,
)
from idnkit.idna import _contextual
from idnkit.idna import _punycode as punycode
from idnkit.lgr import LgrParseError, parse_bytes
from idnkit.zone import ZoneProblem, read_zone

MEGABYTE = 1_000_000
HOSTILE = {
    "ascii": "a" * MEGABYTE,
    "disallowed": "\u2603" * MEGABYTE,  # one finding each, if anything looked at them
    "dots": "." * MEGABYTE,  # a million empty labels
    "expanding": "\ufdfa" * MEGABYTE,  # UTS #46 maps each to 18 code points
}
PEAK_LIMIT = 64 * 1024  # bytes allocated while refusing a 1 MB (up to 4 MB in memory) input


def _peak(fn: Callable[[], object]) -> tuple[int, object]:
    tracemalloc.start()
    try:
        try:
            result: object = fn()
        except IdnkitError as e:
            result = e
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def _rules(result: object) -> set[str]:
    if isinstance(result, IdnkitError):
        return {getattr(result, "rule", type(result).__name__)}
    findings = getattr(result, "findings", ())
    return {f.rule for f in findings if f.is_error}


ENTRY_POINTS: dict[str, Callable[[str], object]] = {
    "check_label": check_label,
    "check_label-lookup": lambda s: check_label(s, profile=Profile.LOOKUP),
    "check_domain": check_domain,
    "check_domain-lookup": lambda s: check_domain(s, profile=Profile.LOOKUP),
    "to_alabel": to_alabel,
    "to_ulabel": to_ulabel,
    "uts46.to_ascii": uts46.to_ascii,
    "uts46.to_ascii-strict": lambda s: uts46.to_ascii(s, strict=True),
    "uts46.to_unicode": uts46.to_unicode,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_megabyte_input_is_refused_in_small_memory(entry: str, kind: str) -> None:
    fn, text = ENTRY_POINTS[entry], HOSTILE[kind]
    peak, result = _peak(lambda: fn(text))
    assert peak < PEAK_LIMIT, f"{entry} used {peak} bytes on a 1 MB {kind} input"
    assert _rules(result) == {"dns.input_too_long"}, result
    message = str(result) if isinstance(result, IdnkitError) else result.findings[0].message  # type: ignore[attr-defined]
    assert f"{MEGABYTE}" in message and "long" in message


def test_strict_helpers_raise_length_errors() -> None:
    with pytest.raises(LengthError, match="1000000 code points"):
        to_alabel("a" * MEGABYTE)
    with pytest.raises(LengthError, match="1000000 code points"):
        uts46.to_ascii("a" * MEGABYTE, strict=True)


@pytest.mark.parametrize("fn", [punycode.encode, punycode.encode_python, punycode.decode])
def test_punycode_refuses_a_megabyte(fn: Callable[[str], str]) -> None:
    text = HOSTILE["ascii"]
    peak, result = _peak(lambda: fn(text))
    assert peak < PEAK_LIMIT
    assert isinstance(result, PunycodeError)
    assert "over the bound of 1024" in str(result)


def test_explain_refuses_a_megabyte_spelling() -> None:
    spec = "U+" + "0" * MEGABYTE
    peak, result = _peak(lambda: explain(spec))
    assert peak < PEAK_LIMIT
    assert isinstance(result, IdnkitError) and "is not a code point" in str(result)


def test_uts46_just_under_the_bound_is_examined() -> None:
    name = ".".join(["a" * 60] * 17)[: uts46.MAX_INPUT]
    assert len(name) == uts46.MAX_INPUT
    assert "dns.input_too_long" not in uts46.to_ascii(name).status_codes
    assert uts46.to_unicode(name).ok


@pytest.mark.parametrize(
    ("label", "rule_id"),
    [
        ("\u30fb" * 255, "rfc5892.contexto.katakana_middle_dot"),
        ("\u3042" + "\u30fb" * 254, "rfc5892.contexto.katakana_middle_dot"),
        ("\u0628" + "\u0661" * 254, "rfc5892.contexto.arabic_indic_digits"),
        ("\u06f1" * 255, "rfc5892.contexto.extended_arabic_indic_digits"),
    ],
)
def test_label_wide_context_rules_run_once_per_label(label: str, rule_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """RFC 5892 A.7-A.9 look at the whole label: testing them at each occurrence was quadratic."""
    calls = 0

    def counting(original: _contextual.ContextRule) -> _contextual.ContextRule:
        def test(cps: object, i: int) -> bool:
            nonlocal calls
            calls += 1
            return original.test(cps, i)  # type: ignore[arg-type]

        return _contextual.ContextRule(original.rule_id, test, original.explanation, original.label_wide)

    for cp, rule in list(_contextual.CONTEXT_RULES.items()):
        if rule.rule_id == rule_id:
            monkeypatch.setitem(_contextual.CONTEXT_RULES, cp, counting(rule))
    for profile in Profile:
        calls = 0
        result = check_label(label, profile=profile)
        assert calls == 1, f"{rule_id} tested {calls} times on one label"
        expected_ok = label[0] in "\u3042\u0628\u06f1"
        assert (rule_id not in {f.rule for f in result.findings}) == expected_ok


def _rfc3492_encode(text: str) -> str:
    """RFC 3492 §6.3 exactly as written (one scan of the input per code point value): the
    reference the O(n log n) encoders must match."""
    base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700

    def adapt(delta: int, numpoints: int, firsttime: bool) -> int:
        delta = delta // damp if firsttime else delta // 2
        delta += delta // numpoints
        k = 0
        while delta > ((base - tmin) * tmax) // 2:
            delta //= base - tmin
            k += base
        return k + (base - tmin + 1) * delta // (delta + skew)

    cps = [ord(c) for c in text]
    out = [c for c in text if ord(c) < 0x80]
    b = h = len(out)
    if b:
        out.append("-")
    n, delta, bias = 0x80, 0, 72
    while h < len(cps):
        m = min(c for c in cps if c >= n)
        delta += (m - n) * (h + 1)
        n = m
        for c in cps:
            if c < n:
                delta += 1
            if c == n:
                q, k = delta, base
                while True:
                    t = tmin if k <= bias else tmax if k >= bias + tmax else k - bias
                    if q < t:
                        break
                    out.append("abcdefghijklmnopqrstuvwxyz0123456789"[t + (q - t) % (base - t)])
                    q, k = (q - t) // (base - t), k + base
                out.append("abcdefghijklmnopqrstuvwxyz0123456789"[q])
                bias, delta, h = adapt(delta, h + 1, h == b), 0, h + 1
        delta, n = delta + 1, n + 1
    return "".join(out)


@settings(max_examples=300)
@given(st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from("aü\u4e00\u4e01-")), max_size=200))
def test_punycode_encoders_match_rfc3492(text: str) -> None:
    expected = _rfc3492_encode(text)
    assert punycode.encode_python(text) == expected
    assert punycode.encode(text) == expected


def _lines_executed(fn: Callable[[str], object], arg: str) -> int:
    count = 0

    def tracer(frame: object, event: str, _: object) -> object:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn(arg)
    finally:
        sys.settrace(None)
    return count


def test_punycode_encoder_is_not_quadratic() -> None:
    """RFC 3492's encoder scans the input once per distinct code point; 1,024 distinct CJK
    ideographs cost a million steps.  Counted in executed lines, deterministic: doubling the input
    must not double the work twice over."""
    small, large = ("".join(chr(0x4E00 + i) for i in range(n)) for n in (256, 512))
    ratio = _lines_executed(punycode.encode_python, large) / _lines_executed(punycode.encode_python, small)
    assert ratio < 2.3, f"the Python encoder's work grew {ratio:.2f}x when its input doubled"


def test_punycode_decoder_is_not_quadratic() -> None:
    """The reference decoder's interpreted work is one pass over the input (the list insertion is
    a memmove, bounded by MAX_INPUT); counted in executed lines, deterministic."""
    small, large = (punycode.encode("".join(chr(0x4E00 + 3 * i) for i in range(n))) for n in (128, 256))
    ratio = _lines_executed(punycode.decode_python, large) / _lines_executed(punycode.decode_python, small)
    assert ratio < 2.3, f"the Python decoder's work grew {ratio:.2f}x when its input doubled"


# --- issue 7 §3 memory: a 100 MB zone line and a billion-laughs LGR ---------------------------------

ZONE_LINE = 100 * MEGABYTE
ZONE_PEAK_LIMIT = 4 * MEGABYTE  # "well under 10 MB": the lexer holds a 1 MB chunk plus a bounded tail


class _LongLineZone(io.RawIOBase):
    """A zone streamed lazily: one record, a 100 MB line, then one more record.  Never held whole:
    each read hands out at most ``size`` bytes of one shared 64 KB block."""

    def __init__(self) -> None:
        self._parts = [
            (b"a 3600 IN A 192.0.2.1\n", 1),
            (b"x" * 65536, ZONE_LINE // 65536),
            (b"\nb IN A 192.0.2.2\n", 1),
        ]
        self._offset = 0
        self.name = "long.zone"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._parts:
            block, count = self._parts[0]
            if self._offset >= len(block):
                self._offset = 0
                if count == 1:
                    self._parts.pop(0)
                else:
                    self._parts[0] = (block, count - 1)
                continue
            n = min(len(buffer), len(block) - self._offset)
            buffer[:n] = block[self._offset : self._offset + n]
            self._offset += n
            return n
        return 0


def test_a_100mb_zone_line_is_refused_in_small_memory() -> None:
    problems: list[ZoneProblem] = []
    stream = _LongLineZone()
    tracemalloc.start()
    try:
        owners = [r.owner for r in read_zone(io.BufferedReader(stream, 65536), "example.", problems=problems)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.rule for p in problems] == ["zone.line_too_long"]
    assert problems[0].line == 2
    assert owners == ["a.example.", "b.example."]  # the records around it are still read
    assert peak < ZONE_PEAK_LIMIT, f"refusing a 100 MB line peaked at {peak} bytes"


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lgr [\n <!ENTITY lol0 "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10))) for i in range(1, 10)
    )
    + b']>\n<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><description>&lol9;</description></meta></lgr>\n'
)
LGR_PEAK_LIMIT = 1 * MEGABYTE  # the expansion would be 3 GB


def test_billion_laughs_lgr_is_refused_in_small_memory() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(LgrParseError, match=r"bomb\.xml:3: .*entity declaration 'lol0' refused"):
            parse_bytes(BILLION_LAUGHS, "bomb.xml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < LGR_PEAK_LIMIT, f"refusing a billion-laughs LGR peaked at {peak} bytes"
