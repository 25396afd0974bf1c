"""The policy model: frozen dataclasses built by the loader from a policy file (docs/policy-format.md)."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class Status(enum.Enum):
    """``official``: built from the registry's own published tables and rules; ``example``: not the registry's word."""

    OFFICIAL = "official"
    EXAMPLE = "example"


class Selection(enum.Enum):
    """How a label must relate to the policy's tables."""

    ANY = "any"  # valid under at least one table
    ONE = "one"  # valid under exactly one table
    LANGUAGE = "language"  # valid under the table whose tag is the registrant's language tag


class VariantAction(enum.Enum):
    """What registering a name does to a variant label of a given disposition."""

    BLOCKED = "blocked"  # nobody may register it
    BUNDLED = "bundled"  # reserved to the same registrant, allocated with the name
    ON_REQUEST = "on-request"  # reserved to the same registrant, activated only when asked


RESTRICTION_LEVELS = (
    "ascii-only",
    "single-script",
    "highly-restrictive",
    "moderately-restrictive",
    "minimally-restrictive",
    "unrestricted",
)


@dataclass(frozen=True, slots=True)
class Identity:
    tld: str  # U-label form
    tld_alabel: str
    aliases: tuple[str, ...]  # other TLDs the policy applies to (the ASCII ccTLD of an IDN ccTLD)
    operator: str
    version: str
    effective: datetime.date | None
    unicode: str
    status: Status
    note: str
    source: str


@dataclass(frozen=True, slots=True)
class Table:
    """One LGR: a catalogued short name (``rz5/latin``, ``se/latin``) or a file beside the policy."""

    ref: str  # the short name or the file name as written
    path: Path | None  # resolved file when the table is a file beside the policy
    tag: str  # BCP 47 language or script tag, e.g. "sv", "und-Latn"
    source: str


@dataclass(frozen=True, slots=True)
class Tables:
    tables: tuple[Table, ...] = ()
    select: Selection = Selection.ANY
    source: str = ""


@dataclass(frozen=True, slots=True)
class IdnaRule:
    disallow: frozenset[int] = frozenset()  # code points refused on top of IDNA2008
    source: str = ""


@dataclass(frozen=True, slots=True)
class Uts39Rule:
    restriction_level: str | None = None  # the most permissive level accepted
    source: str = ""


@dataclass(frozen=True, slots=True)
class ScriptRules:
    allowed: frozenset[str] = frozenset()  # ISO 15924 codes; empty: any script
    single_script: bool = False
    combinations: tuple[frozenset[str], ...] = ()  # allowed mixes beyond a single script
    with_ldh: frozenset[str] = frozenset()  # scripts that may mix with ASCII letters/digits/hyphen
    idn_tld_only: frozenset[str] = frozenset()  # allowed only under the IDN form of the TLD
    ascii_tld_only: frozenset[str] = frozenset()  # allowed only under the ASCII form of the TLD
    source: str = ""


@dataclass(frozen=True, slots=True)
class DigitRules:
    mixing: bool = True  # may a label mix digits of different sets?
    allowed: frozenset[str] = frozenset()  # digit sets by script code ("Zyyy" is ASCII 0-9); empty: any
    source: str = ""


@dataclass(frozen=True, slots=True)
class HyphenRules:
    allowed: bool = True
    consecutive: bool = True  # "--" anywhere (IDNA2008 already refuses it in positions 3-4)
    source: str = ""


@dataclass(frozen=True, slots=True)
class LengthRules:
    min_codepoints: int | None = None
    max_codepoints: int | None = None
    min_graphemes: int | None = None
    max_graphemes: int | None = None
    min_octets: int | None = None  # A-label octets
    max_octets: int | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class ContextRule:
    """A code point allowed only where ``before`` matches just before it and ``after`` just after it,
    or where the named rule of one of the policy's LGRs holds with the code point as its anchor
    (``lgr_rule``: table reference and rule name, RFC 7940 §6.4 when-context)."""

    id: str
    char: int
    before: str | None
    after: str | None
    message: str
    source: str
    lgr_rule: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class NameList:
    names: frozenset[str] = frozenset()  # U-labels
    source: str = ""


@dataclass(frozen=True, slots=True)
class VariantRules:
    actions: tuple[tuple[str, VariantAction], ...] = ()  # LGR disposition -> action
    max_bundle: int = 64
    source: str = ""

    def action(self, disposition: str) -> VariantAction:
        """The action for a disposition; a disposition the policy does not name is blocked."""
        return dict(self.actions).get(disposition, VariantAction.BLOCKED)


@dataclass(frozen=True, slots=True)
class ConfusableRules:
    skeleton: bool = False
    mark_folded: bool = False
    fold: tuple[tuple[str, str], ...] = ()  # equivalences for conflicts: (from, to)
    strip_marks: bool = False  # accented = unaccented for conflicts
    exempt: tuple[frozenset[str], ...] = ()  # pairs of names never in conflict with each other
    source: str = ""


LOOKALIKE_KINDS = ("mark-folded", "single-script", "mixed-script", "whole-script")  # UTS #39 §4 and idnkit's own


@dataclass(frozen=True, slots=True)
class ReviewRules:
    """Which registrations a person decides (the console's review queue, docs/console.md).

    ``variants``: a name with a variant of one of these actions (``on-request``, ``bundled``) waits
    for a clerk instead of being registered outright.  ``lookalikes``: a name that looks like a
    protected name by one of these kinds waits for a clerk; ``refuse_lookalikes``: by one of these it
    is refused outright.  The defaults send every on-request variant and every look-alike to a person.
    """

    variants: frozenset[VariantAction] = frozenset({VariantAction.ON_REQUEST})
    lookalikes: frozenset[str] = frozenset(LOOKALIKE_KINDS)
    refuse_lookalikes: frozenset[str] = frozenset()
    source: str = ""


@dataclass(frozen=True, slots=True)
class PolicyData:
    """Everything a policy file says, validated."""

    file: str
    identity: Identity
    tables: Tables = field(default_factory=Tables)
    idna: IdnaRule = field(default_factory=IdnaRule)
    uts39: Uts39Rule = field(default_factory=Uts39Rule)
    scripts: ScriptRules = field(default_factory=ScriptRules)
    digits: DigitRules = field(default_factory=DigitRules)
    hyphens: HyphenRules = field(default_factory=HyphenRules)
    length: LengthRules = field(default_factory=LengthRules)
    context: tuple[ContextRule, ...] = ()
    reserved: NameList = field(default_factory=NameList)
    blocked: NameList = field(default_factory=NameList)
    variants: VariantRules = field(default_factory=VariantRules)
    confusables: ConfusableRules = field(default_factory=ConfusableRules)
    review: ReviewRules = field(default_factory=ReviewRules)

    def to_dict(self) -> dict[str, Any]:
        ident = self.identity
        return {
            "file": self.file,
            "tld": ident.tld,
            "tld_alabel": ident.tld_alabel,
            "aliases": list(ident.aliases),
            "operator": ident.operator,
            "version": ident.version,
            "effective": ident.effective.isoformat() if ident.effective else None,
            "unicode": ident.unicode,
            "status": ident.status.value,
            "note": ident.note,
            "tables": [{"table": t.ref, "tag": t.tag, "source": t.source} for t in self.tables.tables],
            "select": self.tables.select.value,
            "restriction_level": self.uts39.restriction_level,
            "scripts": {
                "allowed": sorted(self.scripts.allowed),
                "single_script": self.scripts.single_script,
                "combinations": [sorted(c) for c in self.scripts.combinations],
                "with_ldh": sorted(self.scripts.with_ldh),
                "idn_tld_only": sorted(self.scripts.idn_tld_only),
                "ascii_tld_only": sorted(self.scripts.ascii_tld_only),
            },
            "digits": {"mixing": self.digits.mixing, "allowed": sorted(self.digits.allowed)},
            "hyphens": {"allowed": self.hyphens.allowed, "consecutive": self.hyphens.consecutive},
            "length": {
                k: getattr(self.length, k)
                for k in (
                    "min_codepoints",
                    "max_codepoints",
                    "min_graphemes",
                    "max_graphemes",
                    "min_octets",
                    "max_octets",
                )
            },
            "context": [c.id for c in self.context],
            "reserved": len(self.reserved.names),
            "blocked": len(self.blocked.names),
            "variants": {d: a.value for d, a in self.variants.actions},
            "confusables": {
                "skeleton": self.confusables.skeleton,
                "mark_folded": self.confusables.mark_folded,
                "strip_marks": self.confusables.strip_marks,
                "fold": [list(p) for p in self.confusables.fold],
                "exempt": [sorted(p) for p in self.confusables.exempt],
            },
            "review": {
                "variants": sorted(a.value for a in self.review.variants),
                "lookalikes": [k for k in LOOKALIKE_KINDS if k in self.review.lookalikes],
                "refuse_lookalikes": [k for k in LOOKALIKE_KINDS if k in self.review.refuse_lookalikes],
            },
        }
