"""Which of a policy's tables an IDN tag names, whatever convention carried it (docs/epp.md).

A tag is matched against the policy's ``[[table]]`` entries in stages, the first stage with any
match deciding (two or more matches in it make the tag ambiguous):

1. the table's reference as the policy names it (``se/latin``, ``ref/zh``);
2. the table's BCP 47 tag itself (``und-Latn``, ``yi-Hebr``), case-insensitively (RFC 5646 §2.1.1);
3. the same tag after mapping an ISO 639-2 three-letter primary subtag to its ISO 639-1 code,
   as RFC 5646 §2.2.1 requires of a language that has one (Verisign's ``CHI`` is ``zh``);
4. the primary language subtag alone (``yi`` names ``yi-Hebr``; ``und`` names nothing);
5. an ISO 15924 script code alone against the tag's script subtag (Afilias' ``<idn:script>Latn``
   names ``und-Latn``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..policy import Policy
from ..policy._schema import Table
from ._iso639 import ISO639_2_TO_1

_SCRIPT = re.compile(r"[a-z]{4}")


def _subtags(tag: str) -> list[str]:
    parts = tag.strip().lower().replace("_", "-").split("-")
    if parts and len(parts[0]) == 3 and parts[0] in ISO639_2_TO_1:
        parts[0] = ISO639_2_TO_1[parts[0]]
    return parts


def _script(tag: str) -> str | None:
    """The script subtag of a BCP 47 tag (RFC 5646 §2.2.3: four letters after the language)."""
    return next((p for p in _subtags(tag)[1:] if _SCRIPT.fullmatch(p)), None)


def candidates(value: str, tables: Sequence[Table]) -> list[Table]:
    """The tables ``value`` names, by the first stage of the module's list that names any."""
    low = value.strip().lower().replace("_", "-")
    norm = _subtags(low)
    stages = (
        lambda t: t.ref.lower() == low,
        lambda t: t.tag.lower().replace("_", "-") == low,
        lambda t: _subtags(t.tag) == norm,
        lambda t: len(norm) == 1 and norm[0] != "und" and _subtags(t.tag)[0] == norm[0],
        lambda t: _SCRIPT.fullmatch(low) is not None and _script(t.tag) == low,
    )
    for matches in stages:
        found = [t for t in tables if matches(t)]
        if found:
            return found
    return []


def describe(policy: Policy) -> str:
    """``se/latin (und-Latn), se/yiddish (yi-Hebr)``: the tables a refusal lists."""
    return ", ".join(f"{t.ref} ({t.tag})" for t in policy.data.tables.tables) or "none"
