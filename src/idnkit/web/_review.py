"""The review queue: names the registry's rules send to a person, and every decision taken on them.

A name goes to review when registering it would otherwise be decided outright by a rule the policy
leaves to judgement: it activates an ``on-request`` variant (docs/policy-format.md, ``[variants]``),
or it collides with a protected or registered name by a look-alike key (UTS #39 §4 skeletons) while
the policy itself does not refuse it.  A clerk approves (the name is then registered through
:class:`~idnkit.policy.Registry`, with every one of its checks) or refuses, with a reason.

Items and decisions live in the registry store itself, in the same transaction discipline as
registrations, so a queue on PostgreSQL is shared by every worker and every console.  They are rows
of the store's ``reviews`` table (schema version 2 of both backends, docs/registry.md): the state
and the decision in columns (indexed by state), the reasons and the whole history as JSON in
``detail``.  The queue has no bound; the console reads it a page at a time.
"""

from __future__ import annotations

import datetime
import json
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import RegistryError
from ..policy import RegistryStore, ReviewRecord

KIND = "registration"  # the one kind of item so far: a registration a rule leaves to a person


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

    def to_record(self, created_at: str) -> ReviewRecord:
        decided = next((d for d in self.history if d.what in {"approved", "refused"}), None)
        detail = {"reasons": list(self.reasons), "history": [asdict(d) for d in self.history]}
        return ReviewRecord(
            id=self.id,
            name=self.name,
            kind=KIND,
            registrant=self.registrant,
            detail=json.dumps(detail, ensure_ascii=False),
            state=self.status,
            decided_by=decided.who if decided else None,
            decided_at=decided.when if decided else None,
            decision_reason=decided.why if decided else None,
            created_at=created_at,
        )

    @classmethod
    def from_record(cls, row: ReviewRecord) -> ReviewItem:
        detail = json.loads(row.detail)
        return cls(
            id=row.id,
            name=row.name,
            registrant=row.registrant,
            reasons=tuple(detail["reasons"]),
            status=row.state,
            history=tuple(Decision(**d) for d in detail["history"]),
        )


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _created() -> str:
    # Microseconds, so that items filed within one second keep their order (the table's sort key).
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")


class ReviewQueue:
    """Review items over one registry store (SQLite, PostgreSQL or memory)."""

    def __init__(self, store: RegistryStore) -> None:
        self.store = store

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
            txn.put_review(item.to_record(_created()))
        return item

    def get(self, item_id: str) -> ReviewItem | None:
        with self.store.transaction() as txn:
            row = txn.review(item_id)
        return ReviewItem.from_record(row) if row else None

    def items(self, state: str | None = None, *, limit: int | None = None, offset: int = 0) -> list[ReviewItem]:
        """Items (of one state), oldest first; a page of ``limit`` items from ``offset``."""
        with self.store.transaction() as txn:
            rows = txn.reviews(state=state, limit=limit, offset=offset)
        return [ReviewItem.from_record(r) for r in rows]

    def count(self, state: str | None = None) -> int:
        with self.store.transaction() as txn:
            return txn.count_reviews(state=state)

    def history(self, name: str) -> list[tuple[ReviewItem, Decision]]:
        """Every decision recorded on ``name``, oldest first."""
        with self.store.transaction() as txn:
            rows = txn.reviews(name=name)
        found = [(item, d) for item in map(ReviewItem.from_record, rows) for d in item.history]
        return sorted(found, key=lambda pair: pair[1].when)

    def decide(self, item_id: str, who: str, what: str, why: str) -> ReviewItem:
        """Record ``what`` (approved / refused / registered) on an item; an open item only for the first two."""
        with self.store.transaction() as txn:
            row = txn.review(item_id)
            if row is None:
                raise RegistryError(f"no review item {item_id}")
            item = ReviewItem.from_record(row)
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
            txn.put_review(updated.to_record(row.created_at))
        return updated
