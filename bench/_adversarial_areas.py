"""Adversarial families for the zone reader, LGR engine and policy checks (issue 7 §3), in the
shape of ``bench_adversarial.Family``: ``make(n)`` builds an input of size ``n``, ``call`` runs it.

Families marked ``known`` are open findings owned by the LGR area (docs/fuzzing.md, "Open"): they
are measured and reported with their ratio, never "fixed" here.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from functools import cache

from idnkit import IdnkitError, lgr, policy
from idnkit.idna._labels import MAX_LABEL_INPUT
from idnkit.zone import ZoneProblem, read_zone
from idnkit.zone._lexer import MAX_LINE

NS = "urn:ietf:params:xml:ns:lgr-1.0"
LGR_CLASS_BOUND = 8192  # no documented bound: the largest class measured, in code points


def read_zone_text(text: str) -> object:
    problems: list[ZoneProblem] = []
    owners = [r.owner for r in read_zone(io.BytesIO(text.encode("utf-8")), "example.", problems=problems)]
    return owners, problems


def long_line(n: int) -> str:
    return 'a IN TXT "' + "x" * (n - 12) + '"\n'


def deep_parentheses(n: int) -> str:
    k = (n - 10) // 2  # n bytes in all
    return "a IN TXT " + "(" * k + ")" * k + "\n"


def nested_parentheses_lines(n: int) -> str:
    k = (n - 10) // 4
    return "a IN TXT " + "(\n" * k + ")\n" * k


def many_line_record(n: int) -> str:
    return "a IN TXT (\n" + '"x" ;c\n' * ((n - 30) // 7) + ")\nb IN A 192.0.2.1\n"


def _doc(data: str, rules: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<lgr xmlns="{NS}"><meta><version>1</version>'
        f"<unicode-version>17.0.0</unicode-version></meta>\n<data>{data}</data>\n<rules>{rules}</rules></lgr>\n"
    )


def _compile(xml: str) -> object:
    try:
        return lgr.Lgr(lgr.parse_bytes(xml.encode("utf-8"), "bench.xml"))
    except IdnkitError as e:
        return e


_LETTERS = [0x4E00 + i for i in range(20 * LGR_CLASS_BOUND)]


def large_class(n: int) -> str:
    """A repertoire of n code points, a class naming each one, a rule and an action using it."""
    data = f'<range first-cp="{_LETTERS[0]:04X}" last-cp="{_LETTERS[n - 1]:04X}"/>'
    klass = " ".join(f"{c:04X}" for c in _LETTERS[:n])
    rules = f'<class name="big">{klass}</class><rule name="r"><start/><class by-ref="big" count="1+"/><end/></rule>'
    return _doc(data, rules + '<action disp="valid" match="r"/>')


def many_variants(n: int) -> str:
    """n code points in variant pairs (blocked both ways)."""
    chars = []
    for i in range(0, n - 1, 2):
        a, b = _LETTERS[i], _LETTERS[i + 1]
        chars.append(f'<char cp="{a:04X}"><var cp="{b:04X}" type="blocked"/></char>')
        chars.append(f'<char cp="{b:04X}"><var cp="{a:04X}" type="blocked"/></char>')
    return _doc("".join(chars), '<action disp="blocked" any-variant="blocked"/>')


def nested_counts(n: int) -> str:
    """A rule of n nested unbounded counts: refused at load.  No 10x point: at about 1,000 levels
    the parser recurses past Python's limit (RecursionError; reported to the LGR area)."""
    inner = '<char cp="0061" count="1+"/>'
    for _ in range(n):
        inner = f'<choice count="1+">{inner}<char cp="0062"/></choice>'
    return _doc(
        '<char cp="0061"/><char cp="0062"/>', f'<rule name="r">{inner}</rule><action disp="invalid" match="r"/>'
    )


@cache
def backtracking_lgr() -> lgr.Lgr:
    """A whole-label rule that a backtracking matcher takes n^2 on: any+ then 'b', unanchored."""
    rules = '<rule name="r"><any count="1+"/><char cp="0062"/></rule><action disp="invalid" match="r"/>'
    return lgr.Lgr(lgr.parse_bytes(_doc('<range first-cp="0061" last-cp="007A"/>', rules).encode(), "bt.xml"))


@cache
def latin() -> lgr.Lgr:
    return lgr.load("rz5/latin")


@cache
def arabic() -> lgr.Lgr:
    return lgr.load("rz5/arabic")


@cache
def common() -> lgr.Lgr:
    return lgr.load("rz5/common")


def _hanja_then_hangul(n: int) -> str:
    # Hanja with simplified/traditional variants and one Hangul syllable at the end: every permutation
    # mixes Hangul and Hanja, which the text shows only at the last code point.
    return "檢" * (n - 1) + "랬"


def _table(name: str, data: str, rules: str = "") -> lgr.Lgr:
    return lgr.Lgr(lgr.parse_bytes(_doc(data, rules).encode(), f"{name}.xml"), name)


_AB = '<char cp="0061"><var cp="0062" type="blocked"/></char><char cp="0062"><var cp="0061" type="blocked"/></char>'


@cache
def null_chain_lgr() -> lgr.Lgr:
    """'-' may vanish (a null variant): "a-a-a" is spelled by several combinations as soon as two vanish."""
    return _table("null-chain", _AB + '<char cp="002D"><var cp="" type="blocked"/></char>')


@cache
def nullable_run_lgr() -> lgr.Lgr:
    """Every element may vanish: a run of r of them keeps r automaton states alive (r² steps)."""
    return _table("nullable-run", '<char cp="002D"><var cp="" type="blocked"/><var cp="003D" type="blocked"/></char>')


@cache
def sequence_chain_lgr() -> lgr.Lgr:
    """p -> x | x y and q -> y c | c: "x"+"yc" and "xy"+"c" spell one label, at every pq pair."""
    data = (
        '<char cp="0070"><var cp="0078" type="blocked"/><var cp="0078 0079" type="blocked"/></char>'
        '<char cp="0071"><var cp="0079 0063" type="blocked"/><var cp="0063" type="blocked"/></char>'
    )
    return _table("sequence-chain", data)


@cache
def context_lgr() -> lgr.Lgr:
    """'c' only after 'a' (a look-behind): in "acac...", every permutation changing an 'a' is invalid."""
    rules = '<rule name="after-a"><look-behind><char cp="0061"/></look-behind><anchor/></rule>'
    return _table("context", _AB + '<char cp="0063" when="after-a"/>', rules)


@cache
def no_mix_lgr() -> lgr.Lgr:
    """An Arabic-style whole-label rule: 'a' and 'b' never in one label, so of the 2^n permutations of
    "aa...a" only "bb...b" is a variant label."""
    rules = (
        '<rule name="no-mix"><choice><rule><char cp="0061"/><any count="0+"/><char cp="0062"/></rule>'
        '<rule><char cp="0062"/><any count="0+"/><char cp="0061"/></rule></choice></rule>'
        '<action disp="invalid" match="no-mix"/>'
    )
    return _table("no-mix", _AB, rules)


@cache
def _policy(name: str) -> policy.Policy:
    return policy.load(name)


def _quiet(fn: Callable[[str], object]) -> Callable[[str], object]:
    def call(text: str) -> object:
        try:
            return fn(text)
        except IdnkitError as e:
            return e

    return call


def _cycle(pattern: str, n: int) -> str:
    return (pattern * (n // len(pattern) + 1))[:n]


def _first(table: Callable[[], lgr.Lgr], k: int = 10) -> Callable[[str], object]:
    return _quiet(lambda s: list(itertools.islice(table().variants(s, limit=k), k)))


def _count(table: Callable[[], lgr.Lgr]) -> Callable[[str], object]:
    return _quiet(lambda s: table().variant_count(s))


def _variant_families(family: type) -> list[object]:
    """Variant counts and the first ten variants: exponentially many permutations, linear work."""
    label = MAX_LABEL_INPUT
    quadratic = "known: a run of r nullable elements costs r² automaton steps by design (docs/fuzzing.md)"
    shapes: list[tuple[str, Callable[[], lgr.Lgr], Callable[[int], str]]] = [
        ("rz5/latin-a", latin, lambda n: "a" * n),
        ("rz5/latin-eszett", latin, lambda n: _cycle("sß", n)),
        ("null-chain", null_chain_lgr, lambda n: _cycle("a-", n)),
        ("sequence-chain", sequence_chain_lgr, lambda n: _cycle("pq", n)),
    ]
    out = []
    for name, table, make in shapes:
        out.append(family("Lgr.variant_count", name, label, make, _count(table), start=2))
        out.append(family("Lgr.variants(limit=10)", name, label, make, _first(table), start=2))
    out += [
        family(
            "Lgr.variant_count",
            "nullable-run",
            label,
            lambda n: "-" * n,
            _count(nullable_run_lgr),
            start=2,
            known=quadratic,
        ),
        family("Lgr.variants(limit=10)", "nullable-run", label, lambda n: "-" * n, _first(nullable_run_lgr), start=2),
        # mostly-invalid labels: the first variants come after a walk linear in the length
        family(
            "Lgr.variants(limit=10)",
            "rz5/latin-greek-inside",
            label,
            lambda n: "a" * (n - 1) + "\u03b1",
            _first(latin),
            start=2,
        ),
        # ambiguous ("ß" -> "ss" beside "s") and dead by its spelling (the Greek letter's fatal type)
        family(
            "Lgr.variants(limit=10)",
            "rz5/latin-greek-eszett",
            label,
            lambda n: "\u03b1" + _cycle("sß", n - 1),
            _first(latin),
            start=2,
        ),
        family(
            "Lgr.variants(limit=10)", "context-invalid", label, lambda n: _cycle("ac", n), _first(context_lgr), start=2
        ),
        family("Lgr.variants(limit=10)", "no-mix-invalid", label, lambda n: "a" * n, _first(no_mix_lgr), start=2),
        family(
            "Lgr.variants(limit=10)", "rz5/arabic-kaf-keheh", label, lambda n: "\u0643" * n, _first(arabic), start=2
        ),
        family("Lgr.variants(limit=10)", "rz5/common-hanja-hangul", label, _hanja_then_hangul, _first(common), start=2),
    ]
    return out


def families(family: type) -> list[object]:
    """The area families, built with ``bench_adversarial.Family`` (passed in, to avoid a cycle)."""
    label = MAX_LABEL_INPUT
    return [
        # zone reader: a line or parenthesised record over MAX_LINE (64 KB) is refused
        family("zone.read_zone", "long-line", MAX_LINE, long_line, read_zone_text, start=1024),
        family("zone.read_zone", "deep-parentheses", MAX_LINE, deep_parentheses, read_zone_text, start=1024),
        family("zone.read_zone", "nested-paren-lines", MAX_LINE, nested_parentheses_lines, read_zone_text, start=1024),
        family("zone.read_zone", "many-line-record", MAX_LINE, many_line_record, read_zone_text, start=1024),
        # LGR engine: load (parse + compile) and evaluation
        family("lgr.Lgr(load)", "large-class", LGR_CLASS_BOUND, large_class, _compile, start=256, tenfold=False),
        family("lgr.Lgr(load)", "many-variants", LGR_CLASS_BOUND, many_variants, _compile, start=256, tenfold=False),
        family("lgr.Lgr(load)", "nested-counts(refused)", 256, nested_counts, _compile, start=4, tenfold=False),
        family(
            "Lgr.validate", "backtracking-rule", 63, lambda n: "a" * n, _quiet(lambda s: backtracking_lgr().validate(s))
        ),
        family("Lgr.validate", "rz5/latin-ae", label, lambda n: _cycle("ae", n), _quiet(lambda s: latin().validate(s))),
        family(
            "Lgr.index_label",
            "rz5/latin-ae",
            label,
            lambda n: _cycle("ae", n),
            _quiet(lambda s: latin().index_label(s)),
        ),
        *_variant_families(family),
        # policy checks on long labels
        family(
            "Policy.check(se)",
            "long-latin",
            label,
            lambda n: _cycle("räksmörgås", n),
            _quiet(lambda s: _policy("se").check(s)),
        ),
        family("Policy.check(de)", "long-ascii", label, lambda n: "a" * n, _quiet(lambda s: _policy("de").check(s))),
        family(
            "Policy.check(xn--p1ai)",
            "long-cyrillic",
            label,
            lambda n: "я" * n,
            _quiet(lambda s: _policy("xn--p1ai").check(s)),
        ),
    ]
