"""Strict helpers: convert or raise the first error (an :class:`IdnaError` subclass)."""

from __future__ import annotations

from ..errors import raise_first, require_str
from ._labels import check_domain, check_label
from ._results import Profile


def to_alabel(text: str, *, profile: Profile = Profile.REGISTRATION) -> str:
    """The A-label (or ASCII name, if ``text`` has dots) of a valid U-label; raises otherwise.

    >>> to_alabel("bücher")
    'xn--bcher-kva'
    """
    require_str(text, "to_alabel")
    if "." in text:
        result = check_domain(text, profile=profile)
        raise_first(result.findings, text)
        assert result.ascii is not None
        return result.ascii
    label = check_label(text, profile=profile)
    raise_first(label.findings, text)
    assert label.alabel is not None
    return label.alabel


def to_ulabel(text: str, *, profile: Profile = Profile.REGISTRATION) -> str:
    """The U-label (or Unicode name) of a valid A-label or U-label; raises otherwise.

    >>> to_ulabel("xn--bcher-kva")
    'bücher'
    """
    require_str(text, "to_ulabel")
    if "." in text:
        result = check_domain(text, profile=profile)
        raise_first(result.findings, text)
        assert result.name is not None
        return result.name
    label = check_label(text, profile=profile)
    raise_first(label.findings, text)
    assert label.ulabel is not None
    return label.ulabel
