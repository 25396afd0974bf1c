"""Fuzz harnesses: one function per parser or checker, each taking raw bytes.

The same functions run under atheris (coverage-guided, ``fuzz/run``), under the hypothesis
fallback runner, and over the checked-in seed corpora and crash regressions
(tests/test_fuzz_regressions.py).  A harness fails by raising anything but an allowed
:class:`idnkit.IdnkitError`, or by an ``assert`` on an invariant; a hang or a memory blow-up is
caught by the engine's per-input timeout and RSS limit.

Adding a harness for a new parser is about ten lines::

    @harness("zone", "the zone-file reader")
    def zone(data: bytes) -> None:
        from idnkit import zone
        with allowed():                       # only IdnkitError subclasses may escape
            for record in zone.read(io.BytesIO(data)):
                assert record.name            # ...and whatever invariant holds

then a few seed files in ``fuzz/corpus/zone/``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import idnkit
from idnkit import IdnkitError, Profile, check_domain, check_label, explain, to_alabel, to_ulabel, uts46
from idnkit.idna import _punycode as punycode


@dataclass(frozen=True, slots=True)
class Harness:
    name: str
    description: str
    run: Callable[[bytes], None]


HARNESSES: dict[str, Harness] = {}


def harness(name: str, description: str) -> Callable[[Callable[[bytes], None]], Callable[[bytes], None]]:
    """Register ``fn`` as the harness ``name`` (its corpus is fuzz/corpus/<name>/)."""

    def register(fn: Callable[[bytes], None]) -> Callable[[bytes], None]:
        if name in HARNESSES:
            raise ValueError(f"harness {name!r} registered twice")
        HARNESSES[name] = Harness(name, description, fn)
        return fn

    return register


@contextlib.contextmanager
def allowed(*errors: type[IdnkitError]) -> Iterator[None]:
    """Suppress the IdnkitError subclasses a strict entry point may raise (all of them by default)."""
    with contextlib.suppress(*(errors or (IdnkitError,))):
        yield


def text(data: bytes) -> str:
    """Bytes to a Python string.  A leading 0x01 byte selects UTF-16-LE with lone surrogates
    allowed (strings that UTF-8 cannot carry); anything else is UTF-8 with replacement, so seed
    files are plain text."""
    if data[:1] == b"\x01":
        body = data[1:]
        return body[: len(body) // 2 * 2].decode("utf-16-le", "surrogatepass")
    return data.decode("utf-8", "replace")


def _python_too(fn: Callable[..., Any], result: Any, *args: Any, **kwargs: Any) -> None:
    """The pure-Python path gives ``result`` too: the native core (when built) must not differ."""
    from idnkit.idna import _labels

    if not _labels.native_available():  # CI builds it: a silently skipped differential passes for nothing
        assert os.environ.get("IDNKIT_REQUIRE_SPEEDUPS") != "1", "the native core is not built"
        return
    _labels._use_native(False)
    try:
        reference = fn(*args, **kwargs)
    finally:
        _labels._use_native(True)
    assert reference == result, (args, kwargs, result, reference)


def _settings(data: bytes) -> tuple[Profile, bool | None, bool]:
    """Options taken from the input's length, so that every option meets every input."""
    n = len(data)
    return list(Profile)[n % 2], (None, True, False)[n % 3], bool(n & 4)


# --- harnesses ----------------------------------------------------------------------------------


@harness("label", "check_label, to_alabel, to_ulabel on one label, native core and Python alike")
def label(data: bytes) -> None:
    s = text(data)
    profile, map_, bidi = _settings(data)
    result = check_label(s, profile=profile, map=map_, bidi_domain=bidi)
    _python_too(check_label, result, s, profile=profile, map=map_, bidi_domain=bidi)
    assert result.ok == (result.alabel is not None) == (not result.errors)
    json.dumps(result.to_dict())
    for f in result.findings:
        assert f.rule in idnkit.RULES, f.rule
    if result.ok and result.alabel is not None and not map_ and profile is Profile.REGISTRATION and not bidi:
        # RFC 5891 §5.3: a valid label's A-label decodes back to its U-label
        assert to_ulabel(result.alabel) == result.ulabel
        assert to_alabel(s) == result.alabel
    with allowed():
        to_alabel(s, profile=profile)
    with allowed():
        to_ulabel(s, profile=profile)


@harness("domain", "check_domain on a whole name, native core and Python alike")
def domain(data: bytes) -> None:
    s = text(data)
    profile, map_, _ = _settings(data)
    result = check_domain(s, profile=profile, map=map_)
    _python_too(check_domain, result, s, profile=profile, map=map_)
    assert result.ok == (result.ascii is not None) == (not result.errors)
    json.dumps(result.to_dict())
    for f in result.findings:
        assert f.rule in idnkit.RULES, f.rule
    if result.ok and result.ascii is not None:
        again = check_domain(result.ascii, profile=profile, map=False)
        assert again.ok, (result.ascii, again.errors)
        assert again.ascii == result.ascii


def _decoders_agree(s: str) -> str | None:
    """The C decoder (when built) gives the reference decoder's result and rejects what it rejects;
    decode(), which check_domain calls, gives the same."""
    results: list[str | None] = []
    for decoder in (punycode.decode_python, punycode.decode):
        try:
            results.append(decoder(s))
        except punycode.PunycodeError:
            results.append(None)
    reference, entry = results
    assert entry == reference, (s, entry, reference)
    if punycode._c_decode is not None:
        assert punycode._c_decode(s) == reference, (s, reference)
    else:  # CI builds the accelerator: a silently skipped differential would pass for nothing
        assert os.environ.get("IDNKIT_REQUIRE_SPEEDUPS") != "1", "the C accelerator is not built"
    return reference


@harness("punycode", "RFC 3492 decode and encode, C and Python encoders and decoders")
def punycode_(data: bytes) -> None:
    s = text(data)
    decoded = _decoders_agree(s)
    _decoders_agree(s.upper())  # upper-case digits decode as lower-case ones
    if decoded is not None:
        cut = s.rfind("-")
        assert punycode.encode(decoded) == (s[: cut + 1] + s[cut + 1 :].lower() if cut > 0 else s.lower())
    encoded = None
    with allowed(punycode.PunycodeError):
        encoded = punycode.encode(s)
    if encoded is not None:
        assert punycode.encode_python(s) == encoded
        assert punycode.decode(encoded) == s


@harness("uts46", "UTS #46 ToASCII (native core and Python alike), ToUnicode and the mapping")
def uts46_(data: bytes) -> None:
    s = text(data)
    mapped = uts46.map_string(s)
    assert uts46.map_string(mapped) == mapped
    a = uts46.to_ascii(s)
    _python_too(uts46.to_ascii, a, s)
    u = uts46.to_unicode(s)
    if a.ok:
        assert a.result.isascii()
        assert uts46.to_unicode(a.result).result == u.result
    with allowed():
        uts46.to_ascii(s, strict=True)


@harness("explain", "explain() code point parsing")
def explain_(data: bytes) -> None:
    s = text(data)
    with allowed():
        json.dumps(explain(s).to_dict())


@harness("cli", "idncheck -f - (the file reader and output formatting)")
def cli(data: bytes) -> None:
    from click.testing import CliRunner

    from idnkit.cli import cli as command

    args = ["check", "-f", "-", *(["--json"] if len(data) % 2 else [])]
    result = CliRunner().invoke(command, args, input=io.BytesIO(data), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), result.exit_code


# --- the LGR, policy and zone areas ---------------------------------------------------------------


@functools.cache
def _latin_lgr() -> Any:
    from idnkit import lgr

    return lgr.load("rz5/latin")


@harness("lgr_xml", "RFC 7940 LGR XML parser and model (lgr.parse_bytes, Lgr)")
def lgr_xml(data: bytes) -> None:
    from idnkit import lgr

    with allowed():
        table = lgr.Lgr(lgr.parse_bytes(data, "<fuzz>"))
        for label in ("a", "ab", "\u00e9"):
            result = table.validate(label)
            assert result.label == label
            assert table.validate(label) == result
            json.dumps(result.to_dict())


@harness("lgr_eval", "LGR label evaluation: validate, variants, variant_count, index_label (rz5/latin)")
def lgr_eval(data: bytes) -> None:
    s = text(data)[:64]
    table = _latin_lgr()
    result = None
    with allowed():  # an xn-- label that is not a valid A-label raises LgrError
        result = table.validate(s)
    if result is not None:
        json.dumps(result.to_dict())
        assert table.validate(s) == result
    count = None
    variants = []
    # Exact counts come from the variant automaton and the first variants from a pruned walk, both
    # linear in the label (docs/fuzzing.md), so every input is evaluated whole.
    with allowed():
        count = table.variant_count(s)
    with allowed():
        variants = list(table.variants(s, limit=8))
    if count is not None:
        assert len(variants) <= max(count, 0) or count == 0
    index = None
    with allowed():
        index = table.index_label(s)
    if index is not None:
        for v in variants:
            with allowed():
                assert table.index_label(v.label) == index, (s, v.label)


@harness("policy", "policy loader (policy.loads) and a check by the loaded policy")
def policy_(data: bytes) -> None:
    from idnkit import policy

    loaded = None
    with allowed():
        loaded = policy.loads(text(data), "<fuzz>")
    if loaded is not None:
        with allowed():
            json.dumps(loaded.check("example").to_dict())


@harness("zone", "zone-file reader (zone.read_zone), problems collected")
def zone(data: bytes) -> None:
    from idnkit import zone as zones

    problems: list[Any] = []
    with allowed():
        for record in zones.read_zone(io.BytesIO(data), "example.", problems=problems):
            assert isinstance(record.owner, str)
            assert record.line >= 1
    for problem in problems:
        assert problem.line >= 0
        assert problem.message


@functools.cache
def _epp_policy() -> Any:
    from idnkit import policy

    return policy.load("se")


@harness("epp", "EPP command reader and validator (epp.handle), hostile XML included")
def epp_(data: bytes) -> None:
    import xml.etree.ElementTree as ET

    from idnkit import epp, policy

    registry = policy.Registry(_epp_policy(), policy.MemoryStore())
    answer = epp.handle(data, registry=registry, registrar="fuzz")  # never raises, whatever the bytes
    root = ET.fromstring(answer.xml)  # the answer is always a well-formed document...
    assert root.tag == "{urn:ietf:params:xml:ns:epp-1.0}epp"
    assert answer.code in epp.MESSAGES  # ...with a code RFC 5730 defines
    assert (answer.code < 2000) == answer.ok
    assert all(f.rule in idnkit.RULES for f in answer.findings)


# --- hostile inputs (issue 21): legacy tables, rule evaluation under a budget, audits with includes ---


class BudgetExceededError(AssertionError):
    """A harness input used more CPU time than its budget: a hang (or near-hang) is a finding."""


@contextlib.contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`BudgetExceededError` if the body uses more than ``seconds`` of this process's CPU time.

    Work in idnkit is bounded by counts, never by time; this budget only turns an input that makes it
    work far longer than its bounds allow into a finding for the hypothesis runner, which has no
    per-input timeout of its own (atheris has a wall-clock -timeout=30 besides).  Several times what any input needs.
    """
    import signal

    if not hasattr(signal, "setitimer") or threading_active():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise BudgetExceededError(f"over {seconds} s of CPU time on one input")

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def threading_active() -> bool:
    """Signals reach only the main thread: no budget elsewhere (fuzz/run's threads, pytest-xdist)."""
    import threading

    return threading.current_thread() is not threading.main_thread()


@harness("lgr_legacy", "legacy table importer (RFC 3743, RFC 4290, plain lists) and the LGR it makes")
def lgr_legacy(data: bytes) -> None:
    from idnkit import lgr

    fmt = ("auto", "list", "rfc3743", "rfc4290")[len(data) % 4]
    with cpu_budget(10), allowed():
        table = lgr.Lgr(lgr.parse_legacy(text(data), "<fuzz>", fmt))
        for ch in list(table.chars)[:4]:
            label = "".join(map(chr, ch))
            result = table.validate(label)
            json.dumps(result.to_dict())
            assert result.eligible, (label, result)  # an element of the repertoire is a label by itself
        lgr.parse_bytes(lgr.to_xml(table.document), "<fuzz>")  # what the importer makes is RFC 7940 XML


_RULE_ALPHABET = "abcde"
_RULE_COUNTS = (None, "0", "1", "2", "0:1", "1:2", "0:3", "0+", "1+", "2+", "9", "0:255", "255")


def _rule_from_bytes(data: bytes) -> tuple[str, str, str]:
    """(rule XML, helper rule XML, label) from bytes: each byte picks a rule element, counts included,
    so that the fuzzer writes rules (overlapping alternatives, nested counts, look-around) directly."""
    pos = 0

    def byte() -> int:
        nonlocal pos
        pos += 1
        return data[pos - 1] if pos <= len(data) else 0

    def node(depth: int) -> str:
        op = byte() % (12 if depth < 6 else 6)
        count = _RULE_COUNTS[byte() % len(_RULE_COUNTS)] if op in (2, 4, 5, 6, 7, 11) else None
        attr = f' count="{count}"' if count else ""
        if op == 0:
            return "<start/>"
        if op == 1:
            return "<end/>"
        if op == 2:
            return f"<any{attr}/>"
        if op == 3:
            return "<anchor/>"
        if op == 4:
            return f'<char cp="{ord(_RULE_ALPHABET[byte() % 5]):04X}"{attr}/>'
        if op == 5:
            members = [f"{ord(c):04X}" for i, c in enumerate(_RULE_ALPHABET) if byte() & (1 << i)]
            return f"<class{attr}>{' '.join(members)}</class>"
        kids = "".join(node(depth + 1) for _ in range(byte() % 3 + 1))
        if op == 6:
            return f"<choice{attr}>{kids}</choice>"
        if op in (7, 11):
            return f'<rule{attr} by-ref="helper"/>' if op == 11 else f"<rule{attr}>{kids}</rule>"
        if op in (8, 9):
            return f"<look-ahead>{kids}</look-ahead>"
        return f"<look-behind>{kids}</look-behind>"

    helper = node(3)
    rule = "".join(node(0) for _ in range(byte() % 4 + 1))
    label = "".join(_RULE_ALPHABET[b % 5] for b in data[pos : pos + 255]) or "a"
    return rule, helper, label


@harness("lgr_rules", "LGR rule evaluation (contexts, actions, variants) on generated rules, under a CPU budget")
def lgr_rules(data: bytes) -> None:
    from idnkit import lgr

    rule, helper, label = _rule_from_bytes(data)
    chars = "".join(
        f'<char cp="{ord(c):04X}"' + (' when="r"' if i == 0 else ' not-when="r"' if i == 1 else "") + ">"
        + (f'<var cp="{ord(_RULE_ALPHABET[(i + 1) % 5]):04X}" type="allocatable"/>' if i in (2, 3) else "")
        + "</char>"
        for i, c in enumerate(_RULE_ALPHABET)
    )  # fmt: skip
    doc = (
        '<?xml version="1.0"?><lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><meta><version>1</version></meta>'
        f'<data>{chars}</data><rules><rule name="helper">{helper}</rule><rule name="r">{rule}</rule>'
        '<action disp="invalid" match="r"/></rules></lgr>'
    ).encode()
    # Any rule idnkit compiles is evaluated in bounded work (lgr/_match.py): a 255-code-point label,
    # its variants and their count stay far inside the budget whatever the rule's shape.
    with cpu_budget(10):
        try:
            table = lgr.Lgr(lgr.parse_bytes(doc, "<fuzz>"))
        except lgr.LgrParseError:
            return  # refused at load: a cost, depth or nesting bound, with file:line
        result = table.validate(label)
        json.dumps(result.to_dict())
        with allowed(lgr.LgrError):
            variants = [v.label for v in table.variants(label, limit=4, max_visited=20_000)]
            assert len(set(variants)) == len(variants), (label, variants)
            assert label not in variants, (label, variants)
        with allowed(lgr.LgrError):
            table.variant_count(label)
    _rule_agrees_with_backtracking(table, label[:8])


def _rule_agrees_with_backtracking(table: Any, label: str) -> None:
    """On short labels the old backtracking engine is quick: both must say the same (tests/lgr/_regex_oracle)."""
    oracle = _regex_oracle()
    if oracle is None:
        return
    doc_rules = {r.name: r for r in table.document.rules}
    resolve = table._resolve
    helper = oracle.spell(doc_rules["helper"].children, None, {}, resolve)
    compiled = table.rules["r"]
    if compiled.node.cost > 300:
        return  # regex may backtrack for long on a large rule, even on eight code points
    pattern = oracle.compile_rule(oracle.spell(doc_rules["r"].children, None, {"helper": helper}, resolve))
    expected = (pattern.match(label) if compiled.has_anchor else pattern.search(label)) is not None
    assert compiled.matches(label) == expected, (label, pattern.pattern)


@functools.cache
def _regex_oracle() -> Any:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "tests" / "lgr" / "_regex_oracle.py"
    try:
        spec = importlib.util.spec_from_file_location("_regex_oracle", path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except (ImportError, OSError):  # regex (the test extra) not installed, or no tests folder
        return None
    return module


_SPLIT = b"\n%%\n"  # separates the files of an audit_include input


@harness("audit_include", "audit of a zone folder with $INCLUDE (files, cycles, FIFOs, links), partitioned")
def audit_include(data: bytes) -> None:
    """The input is up to five files separated by ``\\n%%\\n`` (z0.zone ... z4.zone); a file whose first
    byte is ``|``, ``>`` or ``/`` becomes a FIFO, a link to /dev/zero or a folder instead.  The audit of
    z0.zone with includes allowed must account for every name, and give the same result in one
    partition as in many (a partition boundary inside an include chain changes nothing)."""
    import tempfile
    from pathlib import Path

    from idnkit.audit import audit_zone

    parts = data.split(_SPLIT)[:5]
    with tempfile.TemporaryDirectory(prefix="fuzz-include-") as tmp:
        folder = Path(tmp)
        for i, body in enumerate(parts):
            path = folder / f"z{i}.zone"
            if i and body[:1] == b"|":
                os.mkfifo(path)
            elif i and body[:1] == b">":
                path.symlink_to("/dev/zero")
            elif i and body[:1] == b"/":
                path.mkdir()
            else:
                path.write_bytes(body)
        results = []
        zone = folder / "z0.zone"
        with cpu_budget(20):
            for partition_bytes in (1 << 30, 64):
                with allowed():
                    audit = audit_zone(zone, "example", allow_include=True, jobs=1, partition_bytes=partition_bytes)
                    results.append(audit.to_dict())
    for r in results:
        assert r["names"] == r["valid"] + r["invalid"] + r["unreadable"], r
        r["provenance"].pop("date", None)
    if len(results) == 2:
        assert results[0] == results[1], "the result depends on the partitioning"


@harness("skeleton", "confusables.skeleton (UTS #39 §4): the native skeleton against the Python path")
def skeleton_(data: bytes) -> None:
    from idnkit.confusables import skeleton, skeleton_keys

    s = text(data)
    native = skeleton(s)
    _python_too(skeleton, native, s)
    keys = skeleton_keys(s)
    assert keys[0] == native
    _python_too(skeleton_keys, keys, s)


def _audit_partials(data: bytes, names_list: bool, sources: tuple[Any, ...], origin: bytes) -> list[dict[str, Any]]:
    """The partial of one partition over ``data``, from the native batch path and the Python one."""
    import tempfile

    from idnkit.audit import _auditor as auditor
    from idnkit.audit._model import Config, Partial, Partition

    config = Config(origin, sources, (), False, names_list, None)
    out = []
    with tempfile.TemporaryDirectory(prefix="fuzz-audit-") as tmp:
        path = os.path.join(tmp, "input")
        with open(path, "wb") as f:
            f.write(data)
        part = Partition(path, "input", 0, len(data), 1, origin)
        for native in (True, False):
            was = auditor._use_native(native)
            try:
                with allowed():
                    p = auditor.audit_partition(part, config)
                    fields = {n: getattr(p, n) for n in Partial.__slots__ if n not in ("hash_files", "name_bounds")}
                    # key hashes are appended source by source per batch or block; only used as a set
                    fields["key_hashes"] = sorted(p.key_hashes)
                    out.append(fields)
            finally:
                auditor._use_native(was)
    return out


@harness("audit_fast", "the audit's native batch path (audit._fast: names lists and zones) against the Python one")
def audit_fast(data: bytes) -> None:
    """The input is a names list or a zone (by its length), audited as one partition with key sources
    and an origin chosen from the input too: the native partial must equal the Python one."""
    from idnkit.audit import FoldKeys
    from idnkit.audit import _auditor as auditor
    from idnkit.collisions import MarkFoldedKeys, SkeletonKeys

    if not auditor.BUILT:
        assert os.environ.get("IDNKIT_REQUIRE_SPEEDUPS") != "1", "idnkit.audit._fast is not built"
        return
    n = len(data)
    sources = [(), (SkeletonKeys(),), (FoldKeys(),), (SkeletonKeys(), MarkFoldedKeys(), FoldKeys())][n % 4]
    origin = (b"ee.", b".", b"com.ee.")[n // 4 % 3]
    with cpu_budget(20):
        partials = _audit_partials(data, bool(n & 1 << 4), sources, origin)
    if len(partials) == 2:
        assert partials[0] == partials[1], "the native audit partial differs from the Python one"
    else:  # an error is allowed, but then both paths must raise it
        assert not partials, "only one path raised"
