"""Properties of the IDNA2008 core that must hold for any input."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idnkit import IdnkitError, Profile, check_domain, check_label, to_alabel, to_ulabel, uts46
from idnkit.idna import _labels as core

pytestmark = pytest.mark.property

any_text = st.text(max_size=80)
# Mostly plausible labels: letters of a few scripts, digits, hyphens, joiners and marks.
label_chars = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz0123456789-ßüéç")
    + list("\u05d0\u05d1\u0627\u0628\u0661\u06f1\u0915\u094d\u200c\u200d\u0301\u00b7\u30fb\u3042\u4e00\u03b1\u0375")
    + ["A", ".", "\u2603", "\u0378"]
)
labels = st.text(label_chars, min_size=1, max_size=30)


@given(labels, st.booleans())
def test_fast_path_agrees_with_reference_path(label: str, bidi: bool) -> None:
    fast = core._fast_ulabel(label, bidi)
    if fast is not None:
        # The fast path may only claim "no error" when the reference path finds none, and the
        # warnings it adds (deviations) must be exactly the reference path's.
        reference = core._ulabel_findings(label, Profile.REGISTRATION, bidi, None)
        assert reference == list(core._deviation_findings(label, None))
        assert len(fast) <= core.MAX_LABEL_OCTETS
        assert check_label(label, bidi_domain=bidi).findings == tuple(reference)


@given(any_text, st.sampled_from(list(Profile)))
def test_checks_never_raise(text: str, profile: Profile) -> None:
    check_label(text, profile=profile)
    check_domain(text, profile=profile)
    uts46.to_unicode(text)
    uts46.to_ascii(text)


@given(any_text)
def test_strict_helpers_raise_only_idnkit_errors(text: str) -> None:
    with contextlib.suppress(IdnkitError):
        to_alabel(text)


@given(labels)
def test_valid_ulabel_roundtrips_through_its_alabel(label: str) -> None:
    result = check_label(label)
    if result.ok:
        assert result.alabel is not None
        # an LDH label is the same label in any ASCII case (RFC 4343 §3); its forms are lowercase
        assert to_ulabel(result.alabel) == (label.lower() if label.isascii() else label) == result.ulabel
        assert check_label(result.alabel).ok


@given(any_text)
def test_uts46_mapping_is_idempotent(text: str) -> None:
    once = uts46.map_string(text)
    assert uts46.map_string(once) == once


@settings(max_examples=50)
@given(st.lists(labels, min_size=1, max_size=4))
def test_domain_verdict_is_the_conjunction_of_its_labels(parts: list[str]) -> None:
    name = ".".join(parts)
    result = check_domain(name)
    bidi = result.bidi_domain
    if len(name) <= core.MAX_NAME_INPUT and not any(f.rule == "dns.name_too_long" for f in result.errors):
        pieces = name.split(".")
        if len(pieces) > 1 and pieces[-1] == "":
            pieces.pop()  # the root
        expected = all(check_label(p, bidi_domain=bidi).ok for p in pieces)
        assert result.ok == expected
