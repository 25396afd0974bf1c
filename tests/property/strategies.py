"""Shared hypothesis strategies for idnkit's property tests and fuzz harnesses.

Text and labels are drawn from idnkit's own generated Unicode 17.0.0 tables (``_ucd``), so a
"valid label of script X" is built from the RFC 5892 PVALID code points whose Script is X.  The
zone, LGR and policy strategies are thin: they build documents in the formats those areas read
(RFC 1035 master files, RFC 7940 XML, TOML policies), valid and subtly broken, so that the
harnesses of those areas can reuse them when they land.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from hypothesis import strategies as st

from idnkit import check_label, to_alabel
from idnkit.idna._punycode import encode
from idnkit.unicode import BIDI_CLASS, DERIVED_PROPERTY, GENERAL_CATEGORY, SCRIPT, nfc

# --- arbitrary text ------------------------------------------------------------------------------

#: Any Python string: every code point including lone surrogates, controls and noncharacters.
hostile_text = st.text(st.characters(codec=None, categories=None), max_size=80)

#: Characters that exercise the interesting corners of IDNA: separators that UTS #46 maps to a
#: full stop, joiners, contextual characters, deviations, uppercase, RTL letters and digits.
_SPECIAL = (
    "-.0aAzZßς\u00b7\u0375\u05f3\u05f4\u30fb\u0660\u06f0\u200c\u200d\u0301\u094d"
    "\u3002\uff0e\uff61\u00ad\ufdfa\u2488\u05d0\u0627\u0628\u0915\u3042\u4e00\ufffd\u0000\u2603x-n"
)
special_chars = st.sampled_from(_SPECIAL)
#: Mostly plausible text: specials mixed with any character, biased towards short strings.
idn_text = st.text(st.one_of(special_chars, special_chars, st.characters(codec=None)), max_size=64)
#: The union used where "any input" is meant.
any_text = st.one_of(idn_text, hostile_text)


# --- valid labels per script ----------------------------------------------------------------------


@functools.cache
def pvalid_by_script() -> dict[str, tuple[tuple[int, ...], tuple[int, ...]]]:
    """Script code -> (PVALID letters and digits, PVALID combining marks), from the UCD tables."""
    starts: dict[str, list[int]] = {}
    marks: dict[str, list[int]] = {}
    for first, last in DERIVED_PROPERTY.ranges(lambda v: v == "PVALID"):
        for cp in range(first, last + 1):
            script = SCRIPT[cp]
            if script in ("Zyyy", "Zinh"):
                continue
            (marks if GENERAL_CATEGORY[cp][0] == "M" else starts).setdefault(script, []).append(cp)
            marks.setdefault(script, [])
    return {s: (tuple(cps), tuple(marks.get(s, ()))) for s, cps in starts.items() if s != "Zzzz"}


def scripts() -> list[str]:
    return sorted(pvalid_by_script())


@st.composite
def _candidate(draw: st.DrawFn, script: str | None) -> str:
    name = script or draw(st.sampled_from(scripts()))
    letters, marks = pvalid_by_script()[name]
    rtl = BIDI_CLASS[letters[0]] in ("R", "AL")
    out: list[int] = []
    for _ in range(draw(st.integers(1, 12))):
        out.append(draw(st.sampled_from(letters)))
        if marks and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(marks)))
    if not rtl and draw(st.integers(0, 5)) == 0:
        out.insert(draw(st.integers(1, len(out))), draw(st.sampled_from(b"-0123456789")))
    return nfc("".join(map(chr, out)))


def valid_labels(script: str | None = None) -> st.SearchStrategy[str]:
    """U-labels of one script (or a drawn one) built from its PVALID code points, each valid
    under the registration profile as checked by idnkit itself."""
    return _candidate(script).filter(lambda s: check_label(s).ok)


#: Valid A-labels, from valid U-labels.
alabels = valid_labels().map(to_alabel)
#: Things that look like A-labels: ``xn--`` and arbitrary Punycode digits, mostly invalid.
alabel_like = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(["xn--", "XN--", "xn--", "Xn--"]),
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-ABZ"), max_size=40),
)


@st.composite
def domain_names(draw: st.DrawFn, labels: st.SearchStrategy[str] | None = None) -> str:
    """Names of 1-5 labels; a trailing dot (the root) now and then."""
    parts = draw(st.lists(labels if labels is not None else st.one_of(valid_labels(), alabels), min_size=1, max_size=5))
    return ".".join(parts) + draw(st.sampled_from(["", "", "", "."]))


#: Valid names in U-label form, from left-to-right scripts only (an RTL label would put the
#: other labels under the Bidi rule); a name over 253 octets is still possible, and invalid.
LTR_SCRIPTS = ("Latn", "Grek", "Cyrl", "Hani", "Deva", "Thai", "Hang", "Geor", "Ethi")
valid_domain_names = domain_names(st.one_of(*(valid_labels(s) for s in LTR_SCRIPTS)))


# --- Punycode -------------------------------------------------------------------------------------

#: Strings the Punycode encoder accepts (no surrogates), kept under its bound.
punycode_plain = st.text(st.characters(codec="utf-8"), max_size=120)
#: Strings that look like Punycode: digits, delimiters, a few stray characters.
punycode_like = st.one_of(
    punycode_plain.map(encode),
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-A9\u00e9"), max_size=60),
)


# --- zone files (RFC 1035 §5 master file format) ----------------------------------------------------

_RRTYPES = ("A", "AAAA", "NS", "CNAME", "MX", "TXT", "DS", "SOA")


@st.composite
def zone_lines(draw: st.DrawFn, owners: st.SearchStrategy[str] | None = None) -> str:
    """One master-file line: a resource record, a directive, a comment or a blank line; sometimes
    with an owner in U-label form, uppercase, escapes, quoted text or parentheses."""
    owner = draw(owners if owners is not None else st.one_of(alabels, valid_labels(), alabel_like, st.just("@")))
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from(["", "; a comment", "$ORIGIN example.", "$TTL 3600", "$ORIGIN xn--bcher-kva."]))
    ttl = draw(st.sampled_from(["", "3600 ", "1d ", "0 "]))
    klass = draw(st.sampled_from(["IN ", "", "in "]))
    rrtype = draw(st.sampled_from(_RRTYPES))
    rdata = {
        "A": "192.0.2.1",
        "AAAA": "2001:db8::1",
        "NS": "ns1.example.",
        "CNAME": f"{owner}.example.",
        "MX": "10 mail.example.",
        "TXT": '"text with ; and \\" inside"',
        "DS": "12345 8 2 ( 49FD46E6C4B45C55D4AC\n 69CBD3CD34AC1AFE51DE )",
        "SOA": "ns1.example. hostmaster.example. ( 1 7200 3600 1209600 3600 )",
    }[rrtype]
    line = f"{owner} {ttl}{klass}{rrtype} {rdata}"
    if draw(st.integers(0, 7)) == 0:
        line = line.upper()
    if draw(st.integers(0, 7)) == 0:
        line += " ; trailing comment"
    return line


@st.composite
def small_zones(draw: st.DrawFn) -> str:
    """A small zone: an $ORIGIN, an SOA and a few records."""
    origin = draw(st.sampled_from(["example.", "xn--bcher-kva.example.", "test."]))
    lines = [f"$ORIGIN {origin}", "$TTL 3600", "@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 3600 )"]
    lines += draw(st.lists(zone_lines(), max_size=12))
    return "\n".join(lines) + "\n"


# --- LGR documents (RFC 7940) ------------------------------------------------------------------------

LGR_NS = "urn:ietf:params:xml:ns:lgr-1.0"


def _cp(cps: Sequence[int]) -> str:
    return " ".join(f"{c:04X}" for c in cps)


@st.composite
def lgr_documents(draw: st.DrawFn, script: str | None = None, symmetric: bool = True) -> str:
    """An RFC 7940 LGR: a repertoire of one script's PVALID code points, some sequences, and
    variant sets (symmetric and transitive when ``symmetric``) of type blocked or allocatable."""
    name = script or draw(st.sampled_from(["Latn", "Grek", "Cyrl", "Arab", "Hani", "Deva"]))
    letters, _ = pvalid_by_script()[name]
    repertoire = sorted(draw(st.sets(st.sampled_from(letters[:400]), min_size=2, max_size=30)))
    groups = draw(st.lists(st.sets(st.sampled_from(repertoire), min_size=2, max_size=4), max_size=4))
    variants: dict[int, dict[int, str]] = {}
    for group in groups:
        vtype = draw(st.sampled_from(["blocked", "allocatable"]))
        for a in group:
            for b in group:
                if a != b and (symmetric or draw(st.booleans())):
                    variants.setdefault(a, {})[b] = vtype
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<lgr xmlns="{LGR_NS}">',
        f"  <meta><version>1</version><unicode-version>17.0.0</unicode-version><language>und-{name}</language></meta>",
        "  <data>",
    ]
    for cp in repertoire:
        vs = variants.get(cp)
        if vs:
            inner = "".join(f'<var cp="{_cp([v])}" type="{t}"/>' for v, t in sorted(vs.items()))
            lines.append(f'    <char cp="{_cp([cp])}">{inner}</char>')
        else:
            lines.append(f'    <char cp="{_cp([cp])}"/>')
    for seq in draw(st.lists(st.lists(st.sampled_from(repertoire), min_size=2, max_size=3), max_size=3)):
        lines.append(f'    <char cp="{_cp(seq)}"/>')
    if draw(st.booleans()):
        lines.append('    <char cp="002D" when="hyphen-ok"/>')
    lines.append("  </data>")
    lines.append("  <rules>")
    if draw(st.booleans()):
        lines.append('    <rule name="hyphen-ok"><look-behind><any/></look-behind><anchor/>'
                     '<look-ahead><any/></look-ahead></rule>')  # fmt: skip
    lines.append('    <action disp="invalid" match="leading-combining-mark"/>' if draw(st.booleans()) else "")
    lines.append('    <action disp="blocked" any-variant="blocked"/>')
    lines.append('    <action disp="allocatable" all-variants="allocatable"/>')
    lines.append("  </rules>")
    lines.append("</lgr>")
    return "\n".join(x for x in lines if x) + "\n"


# --- policy documents (TOML) -------------------------------------------------------------------------

_toml_key = st.sampled_from(["name", "tld", "lgr", "scripts", "max_length", "variants", "confusables", "x"])
_toml_scalar = st.one_of(
    st.integers(-5, 300).map(str),
    st.sampled_from(["true", "false", '"rz5/latin"', '"ref/de"', '"Latn"', '""', '"\\u00e9"', "1.5"]),
    st.text(max_size=10).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
)
_toml_value = st.one_of(_toml_scalar, st.lists(_toml_scalar, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"))


@st.composite
def policy_documents(draw: st.DrawFn) -> str:
    """TOML documents with policy-like keys and tables: the policy loader must accept or refuse
    each with a PolicyError, never crash.  Some are not even TOML."""
    lines = [f"{draw(_toml_key)} = {draw(_toml_value)}" for _ in range(draw(st.integers(0, 5)))]
    for _ in range(draw(st.integers(0, 3))):
        lines.append(f"[{draw(st.sampled_from(['policy', 'labels', 'rules', 'scripts.Latn', 'variants']))}]")
        lines += [f"{draw(_toml_key)} = {draw(_toml_value)}" for _ in range(draw(st.integers(0, 4)))]
    if draw(st.integers(0, 9)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.text(max_size=20)))
    return "\n".join(lines) + "\n"
