"""Test engines for the policy layer: small tables with a repertoire and variant pairs.

They implement the :class:`idnkit.policy.Engines` protocol so the engine's logic (selection,
bundling, conflicts) is tested on its own; the shipped policies are tested with the real LGRs.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product
from pathlib import Path
from typing import ClassVar

from idnkit.policy import TableReason, TableVerdict, VariantLabel

# A few Cyrillic letters that look like Latin ones: enough for a skeleton (UTS #39 §4) double.
_LOOKALIKE = str.maketrans("аеорсхуіј", "aeopcxyij")


class FakeTable:
    """Valid labels use only ``repertoire``; ``variants`` maps a code point to (variant, disposition)."""

    def __init__(self, name: str, repertoire: str, variants: dict[str, list[tuple[str, str]]] | None = None):
        self.name = name
        self.repertoire = frozenset(repertoire)
        self.variant_map = variants or {}

    def validate(self, label: str) -> TableVerdict:
        bad = [(i, c) for i, c in enumerate(label, 1) if c not in self.repertoire]
        if bad:
            reasons = tuple(
                TableReason("not-in-repertoire", f"U+{ord(c):04X} not in repertoire", i, ord(c)) for i, c in bad
            )
            return TableVerdict(False, "invalid", reasons)
        return TableVerdict(True, "valid")

    def index_label(self, label: str) -> str | None:
        if not self.validate(label).valid:
            return None
        # The index label (RFC 7940 §8.5 idea): every variant set maps to its smallest member.
        out = []
        for c in label:
            members = [c] + [v for v, _ in self.variant_map.get(c, [])]
            out.append(min(members))
        return "".join(out)

    rules: ClassVar[dict[str, str]] = {"after-l": "l"}  # rule name -> the character that must precede the anchor

    def rule_names(self) -> frozenset[str]:
        return frozenset(self.rules)

    def rule_holds(self, rule: str, label: str, index: int) -> bool:
        return index > 0 and label[index - 1] == self.rules[rule]

    def variants(self, label: str, limit: int) -> Iterator[VariantLabel]:
        choices = [[(c, "valid"), *self.variant_map.get(c, [])] for c in label]
        count = 0
        for combo in product(*choices):
            text = "".join(c for c, _ in combo)
            if text == label:
                continue
            dispositions = {d for _, d in combo if d != "valid"}
            disposition = "blocked" if "blocked" in dispositions else min(dispositions, default="valid")
            yield VariantLabel(text, disposition)
            count += 1
            if count >= limit:
                return


class FakeEngines:
    def __init__(self, tables: dict[str, FakeTable] | None = None, level: str = "single-script"):
        self.tables = tables or {}
        self.level = level

    def catalogue(self) -> frozenset[str]:
        return frozenset(self.tables)

    def table(self, ref: str, path: Path | None) -> FakeTable:
        return self.tables[ref]

    def skeleton(self, label: str) -> str:
        return label.translate(_LOOKALIKE)

    def skeleton_keys(self, label: str) -> tuple[str, ...]:
        return (self.skeleton(label),)

    def mark_folded_skeleton(self, label: str) -> str:
        import unicodedata

        return "".join(c for c in unicodedata.normalize("NFD", self.skeleton(label)) if not unicodedata.combining(c))

    def restriction_level(self, label: str) -> str:
        return self.level


LATIN = FakeTable("t/latin", "abcdefghijklmnopqrstuvwxyz0123456789-äöüåé")
CYRILLIC = FakeTable("t/cyrillic", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя0123456789-")
# Simplified/traditional pairs, allocatable both ways: 国/國, 学/學; 台/臺 blocked.
HAN = FakeTable(
    "t/han",
    "中国國学學台臺大abc0123456789-",
    {
        "国": [("國", "allocatable")],
        "國": [("国", "allocatable")],
        "学": [("學", "allocatable")],
        "學": [("学", "allocatable")],
        "台": [("臺", "blocked")],
        "臺": [("台", "blocked")],
    },
)
ENGINES = FakeEngines({t.name: t for t in (LATIN, CYRILLIC, HAN)})
