"""Area properties from issue 7 §1 not covered elsewhere: a zone written out and read back yields
the same owner names, whatever legal master-file syntax writes it; policy checks are deterministic.

(The LGR property "every variant shares the original's index label and the relation is
symmetric" is in test_lgr_properties.py.)
"""

from __future__ import annotations

import io
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idnkit import policy
from idnkit.zone import ZoneProblem, read_zone

from .strategies import alabels, valid_labels

pytestmark = pytest.mark.property

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_ORIGINS = ("example.", "xn--bcher-kva.example.", "test.")
_RDATA = {
    "A": "192.0.2.1",
    "AAAA": "2001:db8::1",
    "NS": "ns1.example.",
    "MX": "10 mail.example.",
    "TXT": '"text with ; and ( ) \\" inside"',
}


@st.composite
def written_zones(draw: st.DrawFn) -> tuple[str, list[str]]:
    """(zone text, expected absolute owner of each record in order).  The model is a list of
    records under origins; the writer picks, per record, any of the equivalent spellings."""
    origin = draw(st.sampled_from(_ORIGINS))
    text = [f"$ORIGIN {origin}", "$TTL 3600"]
    expected: list[str] = []
    text.append(
        draw(
            st.sampled_from(
                [
                    "@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 3600 )",
                    f"{origin} IN SOA ns1 hostmaster (\n 1 ; serial\n 7200\n 3600 1209600 3600 )",
                ]
            )
        )
    )
    expected.append(origin)
    previous = origin
    labels = st.one_of(alabels, valid_labels(), st.sampled_from(["www", "mail", "a-b", "x1"]))
    for _ in range(draw(st.integers(0, 10))):
        if draw(st.integers(0, 5)) == 0:  # switch origin
            origin = draw(st.sampled_from(_ORIGINS))
            text.append(f"$ORIGIN {origin}" + draw(st.sampled_from(["", " ; new origin"])))
        if draw(st.integers(0, 3)) == 0:
            text.append(draw(st.sampled_from(["", "; a comment", "   ; indented comment"])))
        rrtype = draw(st.sampled_from(sorted(_RDATA)))
        rdata = _RDATA[rrtype]
        if draw(st.booleans()):
            rdata = f"( {rdata} )" if rrtype != "TXT" else f"(\n  {rdata}\n)"
        ttl = draw(st.sampled_from(["", "300 ", "1h "]))
        klass = draw(st.sampled_from(["IN ", ""]))
        spelling = draw(st.integers(0, 3))
        if spelling == 0 and expected:  # blank owner: continues the previous owner
            owner_text, name = "", previous
        elif spelling == 1:
            owner_text, name = "@", origin
        else:
            rel = ".".join(draw(st.lists(labels, min_size=1, max_size=3)))
            name = f"{rel}.{origin}"
            owner_text = name if spelling == 2 else rel  # absolute or relative
        comment = draw(st.sampled_from(["", " ; trailing"]))
        text.append(
            f"{owner_text} {ttl}{klass}{rrtype} {rdata}{comment}"
            if owner_text
            else f"  {ttl}{klass}{rrtype} {rdata}{comment}"
        )
        expected.append(name)
        previous = name
    return "\n".join(text) + "\n", expected


@SETTINGS
@given(written_zones())
def test_zone_written_and_read_back_yields_same_names(zone: tuple[str, list[str]]) -> None:
    text, expected = zone
    problems: list[ZoneProblem] = []
    owners = [r.owner for r in read_zone(io.BytesIO(text.encode("utf-8")), problems=problems)]
    assert problems == []
    assert owners == expected


@settings(max_examples=15, deadline=None)
@given(written_zones())
def test_zone_names_agree_with_dnspython(zone: tuple[str, list[str]]) -> None:
    dns = pytest.importorskip("dns.zone")
    text, expected = zone
    if not all(name.isascii() for name in expected):
        return  # dnspython reads master files as ASCII; U-label owners are idnkit's extension
    first = expected[0]
    if not all(name == first or name.endswith("." + first) for name in expected):
        return  # dnspython refuses names outside the zone's origin
    parsed = dns.from_file(io.StringIO(text), origin=first, relativize=False, check_origin=False)
    theirs = {n.to_text().lower() for n in parsed.nodes}
    assert {name.lower() for name in expected} == theirs


@cache
def _policy(name: str) -> policy.Policy:
    return policy.load(name)


_SHIPPED = sorted(policy.catalogue())


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(_SHIPPED), label=st.one_of(valid_labels(), st.text(max_size=20)))
def test_policy_checks_are_deterministic(name: str, label: str) -> None:
    shared = _policy(name)
    first = shared.check(label)
    assert shared.check(label) == first  # twice on one object
    assert policy.load(name).check(label) == first  # a fresh object from the same file
    assert first.to_dict() == shared.check(label).to_dict()
