"""The review queue: names the registry's rules send to a person, and every decision taken on them.

A name goes to review when registering it would otherwise be decided outright by a rule the policy
leaves to judgement: it activates an ``on-request`` variant (docs/policy-format.md, ``[variants]``),
or it collides with a protected or registered name by a look-alike key (UTS #39 §4 skeletons) while
the policy itself does not refuse it.  A clerk approves (the name is then registered through
:class:`~idnkit.policy.Registry`, with every one of its checks) or refuses, with a reason.

Items and decisions live in the registry store itself, in the same transaction discipline as
registrations, so a queue on PostgreSQL is shared by every worker and every console.  They are kept
in the store's ``meta`` table (present in every schema version of both backends), as JSON under
``review:<id>`` keys with an index under ``review:index``: no schema migration is needed, at the cost
of reading the index to list the queue (bounded by :data:`MAX_ITEMS`).
"""

from __future__ import annotations

import datetime
import json
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import RegistryError
from ..policy import RegistryStore

MAX_ITEMS = 10_000  # the queue and its closed items, per store; past it the oldest closed items go
_INDEX = "review:index"


@dataclass(frozen=True, slots=True)
class Decision:
    """Who decided what about a name, when and why (the name's history lists these)."""

    who: str
    when: str  # ISO 8601, UTC
    what: str  # "submitted", "approved", "refused", "registered"
    why: str


@dataclass(frozen=True, slots=True)
class ReviewItem:
    id: str
    name: str
    registrant: str
    reasons: tuple[str, ...]  # why a person must decide (one sentence each)
    status: str  # "open", "approved", "refused"
    history: tuple[Decision, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ReviewItem:
        return cls(
            id=raw["id"],
            name=raw["name"],
            registrant=raw["registrant"],
            reasons=tuple(raw["reasons"]),
            status=raw["status"],
            history=tuple(Decision(**d) for d in raw["history"]),
        )


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


class ReviewQueue:
    """Review items over one registry store (SQLite, PostgreSQL or memory)."""

    def __init__(self, store: RegistryStore) -> None:
        self.store = store

    def _index(self, txn: Any) -> list[str]:
        raw = txn.meta(_INDEX)
        return list(json.loads(raw)) if raw else []

    def submit(self, name: str, registrant: str, reasons: list[str], who: str) -> ReviewItem:
        item = ReviewItem(
            id=secrets.token_hex(8),
            name=name,
            registrant=registrant,
            reasons=tuple(reasons),
            status="open",
            history=(Decision(who, now(), "submitted", "; ".join(reasons)),),
        )
        with self.store.transaction() as txn:
            index = self._index(txn)
            if len(index) >= MAX_ITEMS:
                raise RegistryError(f"the review queue holds {len(index)} items, its bound: decide some first")
            index.append(item.id)
            txn.set_meta(f"review:{item.id}", json.dumps(item.to_dict(), ensure_ascii=False))
            txn.set_meta(_INDEX, json.dumps(index))
        return item

    def get(self, item_id: str) -> ReviewItem | None:
        with self.store.transaction() as txn:
            raw = txn.meta(f"review:{item_id}")
        return ReviewItem.from_dict(json.loads(raw)) if raw else None

    def items(self) -> list[ReviewItem]:
        with self.store.transaction() as txn:
            out = []
            for item_id in self._index(txn):
                raw = txn.meta(f"review:{item_id}")
                if raw:
                    out.append(ReviewItem.from_dict(json.loads(raw)))
        return out

    def history(self, name: str) -> list[tuple[ReviewItem, Decision]]:
        """Every decision recorded on ``name``, oldest first."""
        found = [(item, d) for item in self.items() if item.name == name for d in item.history]
        return sorted(found, key=lambda pair: pair[1].when)

    def decide(self, item_id: str, who: str, what: str, why: str) -> ReviewItem:
        """Record ``what`` (approved / refused / registered) on an item; an open item only for the first two."""
        with self.store.transaction() as txn:
            raw = txn.meta(f"review:{item_id}")
            if raw is None:
                raise RegistryError(f"no review item {item_id}")
            item = ReviewItem.from_dict(json.loads(raw))
            if what in {"approved", "refused"} and item.status != "open":
                raise RegistryError(f"review item {item_id} ({item.name}) was already {item.status}")
            status = what if what in {"approved", "refused"} else item.status
            updated = ReviewItem(
                item.id,
                item.name,
                item.registrant,
                item.reasons,
                status,
                (*item.history, Decision(who, now(), what, why)),
            )
            txn.set_meta(f"review:{item_id}", json.dumps(updated.to_dict(), ensure_ascii=False))
        return updated
