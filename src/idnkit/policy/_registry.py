"""The registration-time view of a registry: who holds which name, and what a new name would collide with.

A :class:`Registry` applies one :class:`~idnkit.policy.Policy` to a store of registered names.
Each name is stored with its registrant, the policy version it was registered under and its
conflict keys (the name, LGR index labels, skeletons, folds: :meth:`Policy.conflict_keys`). Two
names conflict when they share a key; variant labels of a name are reserved to its registrant
(``bundled``: allocated with it; ``on-request``: activated by :meth:`Registry.bundle`) or blocked.

Storage sits behind :class:`RegistryStore`; :class:`SQLiteStore` is the reference backend (stdlib
``sqlite3``, WAL, indexed). Check and insert run in one ``BEGIN IMMEDIATE`` transaction, so
concurrent writers never both register conflicting names.
"""

from __future__ import annotations

import contextlib
import datetime
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..errors import IdnkitError
from ..findings import Finding
from ..idna._labels import check_label
from ..rules import RULES
from ._errors import (
    RegistryBusyError,
    RegistryError,
    RegistryRetryError,
    RegistrySchemaError,
    RegistryStorageError,
    RegistryUnavailableError,
)
from ._migrations import SCHEMA_KEY, Migration, check_shape, current_version, parse_version, pending
from ._policy import Policy, Variant, finding_dict
from ._schema import VariantAction


@dataclass(frozen=True, slots=True)
class NameRecord:
    """A registered name (its label under the TLD, as a U-label).  ``root`` is the bundle's primary name."""

    name: str
    alabel: str
    registrant: str
    root: str
    policy_version: str
    registered_at: str

    @property
    def is_root(self) -> bool:
        return self.root == self.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "alabel": self.alabel,
            "registrant": self.registrant,
            "bundle": self.root,
            "policy_version": self.policy_version,
            "registered_at": self.registered_at,
        }


@dataclass(frozen=True, slots=True)
class Reservation:
    """A variant label of ``root`` and what the policy does with it."""

    label: str
    root: str
    registrant: str
    disposition: str
    action: VariantAction

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "bundle": self.root,
            "registrant": self.registrant,
            "disposition": self.disposition,
            "action": self.action.value,
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """A registered name (or reserved variant) the candidate collides with, and by which key."""

    other: str
    kind: str  # "name", "lgr-index:<table>", "skeleton", "mark-folded", "fold", "variant"
    registrant: str
    policy_version: str | None  # of the other name; differs from the policy's when registered under an older one

    def to_dict(self) -> dict[str, Any]:
        return {
            "other": self.other,
            "kind": self.kind,
            "registrant": self.registrant,
            "policy_version": self.policy_version,
        }


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One row of the ``reviews`` table: a name sent to a person, and the decision taken on it.

    ``detail`` is JSON the review queue owns (why the name needs a person, every step of its
    history); ``decided_*`` are set when the item is approved or refused.  Times are ISO 8601, UTC.
    """

    id: str
    name: str
    kind: str
    registrant: str
    detail: str
    state: str
    decided_by: str | None
    decided_at: str | None
    decision_reason: str | None
    created_at: str


@dataclass(frozen=True, slots=True)
class RegistrationCheck:
    """Can ``name`` be registered by ``registrant``?  Every reason against it, and what would come with it."""

    name: str
    ulabel: str | None
    registrant: str
    findings: tuple[Finding, ...]
    conflicts: tuple[Conflict, ...]
    bundle: tuple[Reservation, ...]  # variants that would be bundled or reserved to the registrant
    activates: str | None  # the bundle root when the name is a variant reserved to this registrant

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ulabel": self.ulabel,
            "registrant": self.registrant,
            "ok": self.ok,
            "findings": [finding_dict(f) for f in self.findings],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "bundle": [r.to_dict() for r in self.bundle],
            "activates": self.activates,
        }


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a check-and-insert reads of the store about one name, in one go (:meth:`RegistryTxn.lookup`)."""

    record: NameRecord | None  # the name itself, when registered
    reservation: Reservation | None  # the name as a reserved variant label of a bundle
    holders: tuple[tuple[NameRecord, str], ...]  # names holding any of the keys, with the shared key's kind
    taken: frozenset[str]  # those of the labels asked about that are registered


class RegistryTxn(Protocol):
    """Reads and writes inside one transaction of a :class:`RegistryStore`.

    :meth:`lookup` and :meth:`insert_bundle` are what :meth:`Registry.add` runs (one each); a
    store on a database server answers each in one round trip, where the single-row methods
    would take several.
    """

    def get(self, name: str) -> NameRecord | None: ...

    def holders(self, keys: Sequence[tuple[str, str]]) -> list[tuple[NameRecord, str]]:
        """Registered names holding any of ``keys``, each with the kind of the shared key."""
        ...

    def reservation(self, label: str) -> Reservation | None: ...

    def reservations(self, root: str) -> list[Reservation]: ...

    def bundle(self, root: str) -> list[NameRecord]: ...

    def lookup(self, name: str, keys: Sequence[tuple[str, str]], labels: Sequence[str] = ()) -> Lookup:
        """``get(name)``, ``reservation(name)`` and ``holders(keys)`` at once; which of ``labels`` are taken."""
        ...

    def insert(self, record: NameRecord, keys: Sequence[tuple[str, str]]) -> None: ...

    def insert_bundle(
        self, records: Sequence[tuple[NameRecord, Sequence[tuple[str, str]]]], reservations: Sequence[Reservation]
    ) -> None:
        """``insert`` each record with its keys, then ``reserve(reservations)``: one bundle's registration."""
        ...

    def reserve(self, reservations: Sequence[Reservation]) -> None: ...

    def delete(self, name: str) -> None: ...

    def unreserve(self, root: str) -> None: ...

    def set_registrant(self, root: str, registrant: str) -> None: ...

    def names(self) -> list[NameRecord]: ...

    def replace_keys(self, name: str, keys: Sequence[tuple[str, str]]) -> None: ...

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def review(self, review_id: str) -> ReviewRecord | None: ...

    def reviews(
        self, *, state: str | None = None, name: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[ReviewRecord]:
        """Review rows (of one ``state``, or one ``name``), oldest first: a page of them with ``limit``."""
        ...

    def count_reviews(self, *, state: str | None = None) -> int: ...

    def put_review(self, record: ReviewRecord) -> None:
        """Insert the row, or replace the row with the same id."""
        ...


class RegistryStore(Protocol):
    """Where a registry keeps its names: anything that opens an exclusive write transaction."""

    def transaction(self) -> AbstractContextManager[RegistryTxn]: ...


# The columns of the reviews table, in ReviewRecord's order (both backends).
REVIEW_COLUMNS = ("id", "name", "kind", "registrant", "detail", "state", "decided_by", "decided_at",
                  "decision_reason", "created_at")  # fmt: skip

# SQLite schema versions (see _migrations).  Version 1 is the schema of the first releases, which
# wrote no schema_version: such a file is recognised by its tables, checked and stamped.
_SQLITE_MIGRATIONS = (
    Migration(1, "names, conflict keys, reservations, meta", (
        """CREATE TABLE names (
            name TEXT PRIMARY KEY, alabel TEXT NOT NULL, registrant TEXT NOT NULL, root TEXT NOT NULL,
            policy_version TEXT NOT NULL, registered_at TEXT NOT NULL)""",
        "CREATE INDEX names_root ON names(root)",
        """CREATE TABLE keys (
            kind TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL REFERENCES names(name) ON DELETE CASCADE,
            PRIMARY KEY (kind, key, name)) WITHOUT ROWID""",
        "CREATE INDEX keys_name ON keys(name)",
        """CREATE TABLE reservations (
            label TEXT PRIMARY KEY, root TEXT NOT NULL, registrant TEXT NOT NULL, disposition TEXT NOT NULL,
            action TEXT NOT NULL)""",
        "CREATE INDEX reservations_root ON reservations(root)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    )),
    # Version 2: the console's review queue gets its own table (it was JSON rows in meta under
    # review:<id> keys, with a review:index list, bounded at 10,000 items).  The old rows move in:
    # their JSON becomes the detail column, the first approve/refuse step of their history the
    # decided_* columns, the first step's time created_at.
    Migration(2, "a reviews table (the review queue), its meta rows moved into it", (
        """CREATE TABLE reviews (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, registrant TEXT NOT NULL,
            detail TEXT NOT NULL, state TEXT NOT NULL, decided_by TEXT, decided_at TEXT, decision_reason TEXT,
            created_at TEXT NOT NULL)""",
        "CREATE INDEX reviews_state ON reviews(state, created_at)",
        "CREATE INDEX reviews_name ON reviews(name)",
        """INSERT INTO reviews (id, name, kind, registrant, detail, state, decided_by, decided_at,
                                decision_reason, created_at)
           SELECT json_extract(m.value, '$.id'), json_extract(m.value, '$.name'), 'registration',
                  json_extract(m.value, '$.registrant'), m.value, json_extract(m.value, '$.status'),
                  d.who, d.at, d.why, coalesce(json_extract(m.value, '$.history[0].when'), '')
           FROM meta m LEFT JOIN (
               SELECT m2.key AS key, json_extract(h.value, '$.who') AS who, json_extract(h.value, '$.when') AS at,
                      json_extract(h.value, '$.why') AS why, min(h.key) AS step
               FROM meta m2, json_each(m2.value, '$.history') h
               WHERE substr(m2.key, 1, 7) = 'review:' AND m2.key <> 'review:index'
                 AND json_extract(h.value, '$.what') IN ('approved', 'refused')
               GROUP BY m2.key) d ON d.key = m.key
           WHERE substr(m.key, 1, 7) = 'review:' AND m.key <> 'review:index'""",
        "DELETE FROM meta WHERE substr(key, 1, 7) = 'review:'",
    )),
)  # fmt: skip
SQLITE_SCHEMA_VERSION = current_version(_SQLITE_MIGRATIONS)
# The columns each table has at SQLITE_SCHEMA_VERSION (checked on every open).
_SQLITE_COLUMNS = {
    "names": ("name", "alabel", "registrant", "root", "policy_version", "registered_at"),
    "keys": ("kind", "key", "name"),
    "reservations": ("label", "root", "registrant", "disposition", "action"),
    "meta": ("key", "value"),
    "reviews": REVIEW_COLUMNS,
}
_NAME_COLUMNS = "name, alabel, registrant, root, policy_version, registered_at"
_REVIEW_SELECT = ", ".join(REVIEW_COLUMNS)


def review_where(state: str | None, name: str | None, mark: str) -> tuple[str, list[str]]:
    """The WHERE clause (and its parameters) of a reviews query; ``mark`` is the driver's placeholder."""
    clauses, params = [], []
    if state is not None:
        clauses.append(f"state = {mark}")
        params.append(state)
    if name is not None:
        clauses.append(f"name = {mark}")
        params.append(name)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


class _ByRowTxn:
    """:meth:`RegistryTxn.lookup` and :meth:`RegistryTxn.insert_bundle` made of the single-row methods:
    enough for a store in this process (memory, SQLite), where a call is no round trip."""

    def get(self, name: str) -> NameRecord | None:
        raise NotImplementedError

    def holders(self, keys: Sequence[tuple[str, str]]) -> list[tuple[NameRecord, str]]:
        raise NotImplementedError

    def reservation(self, label: str) -> Reservation | None:
        raise NotImplementedError

    def insert(self, record: NameRecord, keys: Sequence[tuple[str, str]]) -> None:
        raise NotImplementedError

    def reserve(self, reservations: Sequence[Reservation]) -> None:
        raise NotImplementedError

    def lookup(self, name: str, keys: Sequence[tuple[str, str]], labels: Sequence[str] = ()) -> Lookup:
        taken = frozenset(label for label in labels if self.get(label) is not None)
        return Lookup(self.get(name), self.reservation(name), tuple(self.holders(keys)), taken)

    def insert_bundle(
        self, records: Sequence[tuple[NameRecord, Sequence[tuple[str, str]]]], reservations: Sequence[Reservation]
    ) -> None:
        for record, keys in records:
            self.insert(record, keys)
        self.reserve(reservations)


class _SQLiteTxn(_ByRowTxn):
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def get(self, name: str) -> NameRecord | None:
        row = self.db.execute(f"SELECT {_NAME_COLUMNS} FROM names WHERE name = ?", (name,)).fetchone()
        return NameRecord(*row) if row else None

    def holders(self, keys: Sequence[tuple[str, str]]) -> list[tuple[NameRecord, str]]:
        out: list[tuple[NameRecord, str]] = []
        for kind, key in keys:
            rows = self.db.execute(
                f"SELECT {', '.join('n.' + c.strip() for c in _NAME_COLUMNS.split(','))} FROM keys k "
                "JOIN names n ON n.name = k.name WHERE k.kind = ? AND k.key = ?",
                (kind, key),
            )
            out += [(NameRecord(*row), kind) for row in rows]
        return out

    def reservation(self, label: str) -> Reservation | None:
        row = self.db.execute(
            "SELECT label, root, registrant, disposition, action FROM reservations WHERE label = ?", (label,)
        ).fetchone()
        return Reservation(row[0], row[1], row[2], row[3], VariantAction(row[4])) if row else None

    def reservations(self, root: str) -> list[Reservation]:
        rows = self.db.execute(
            "SELECT label, root, registrant, disposition, action FROM reservations WHERE root = ? ORDER BY label",
            (root,),
        )
        return [Reservation(row[0], row[1], row[2], row[3], VariantAction(row[4])) for row in rows]

    def bundle(self, root: str) -> list[NameRecord]:
        rows = self.db.execute(f"SELECT {_NAME_COLUMNS} FROM names WHERE root = ? ORDER BY name", (root,))
        return [NameRecord(*row) for row in rows]

    def insert(self, record: NameRecord, keys: Sequence[tuple[str, str]]) -> None:
        self.db.execute(
            f"INSERT INTO names ({_NAME_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (record.name, record.alabel, record.registrant, record.root, record.policy_version, record.registered_at),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO keys (kind, key, name) VALUES (?, ?, ?)", [(k, v, record.name) for k, v in keys]
        )

    def reserve(self, reservations: Sequence[Reservation]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO reservations (label, root, registrant, disposition, action) VALUES (?, ?, ?, ?, ?)",
            [(r.label, r.root, r.registrant, r.disposition, r.action.value) for r in reservations],
        )

    def delete(self, name: str) -> None:
        self.db.execute("DELETE FROM keys WHERE name = ?", (name,))
        self.db.execute("DELETE FROM names WHERE name = ?", (name,))

    def unreserve(self, root: str) -> None:
        self.db.execute("DELETE FROM reservations WHERE root = ?", (root,))

    def set_registrant(self, root: str, registrant: str) -> None:
        self.db.execute("UPDATE names SET registrant = ? WHERE root = ?", (registrant, root))
        self.db.execute("UPDATE reservations SET registrant = ? WHERE root = ?", (registrant, root))

    def names(self) -> list[NameRecord]:
        return [NameRecord(*row) for row in self.db.execute(f"SELECT {_NAME_COLUMNS} FROM names ORDER BY name")]

    def replace_keys(self, name: str, keys: Sequence[tuple[str, str]]) -> None:
        self.db.execute("DELETE FROM keys WHERE name = ?", (name,))
        self.db.executemany(
            "INSERT OR IGNORE INTO keys (kind, key, name) VALUES (?, ?, ?)", [(k, v, name) for k, v in keys]
        )

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def review(self, review_id: str) -> ReviewRecord | None:
        row = self.db.execute(f"SELECT {_REVIEW_SELECT} FROM reviews WHERE id = ?", (review_id,)).fetchone()
        return ReviewRecord(*row) if row else None

    def reviews(
        self, *, state: str | None = None, name: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[ReviewRecord]:
        where, params = review_where(state, name, "?")
        page = " LIMIT ? OFFSET ?" if limit is not None else ""
        args: list[Any] = [*params, limit, offset] if limit is not None else params
        rows = self.db.execute(
            f"SELECT {_REVIEW_SELECT} FROM reviews{where} ORDER BY created_at, id{page}", args
        ).fetchall()
        return [ReviewRecord(*row) for row in rows]

    def count_reviews(self, *, state: str | None = None) -> int:
        where, params = review_where(state, None, "?")
        return int(self.db.execute(f"SELECT count(*) FROM reviews{where}", params).fetchone()[0])

    def put_review(self, record: ReviewRecord) -> None:
        marks = ", ".join("?" * len(REVIEW_COLUMNS))
        self.db.execute(
            f"INSERT OR REPLACE INTO reviews ({_REVIEW_SELECT}) VALUES ({marks})",
            tuple(getattr(record, c) for c in REVIEW_COLUMNS),
        )


# SQLite primary result codes (https://www.sqlite.org/rescode.html) and what each means for a registry file.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


def sqlite_error(path: str, error: sqlite3.Error, doing: str, timeout: float | None = None) -> RegistryStorageError:
    """A clear :class:`RegistryStorageError` naming the file for what SQLite reported (issue 21: no tracebacks)."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    detail = f"{doing}: {error}"
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        waited = f" (waited {timeout:g} s)" if timeout is not None else ""
        return RegistryUnavailableError(
            f"{path}: the registry database is locked by another process{waited}; try again ({detail})"
        )
    if code == _SQLITE_READONLY:
        return RegistryStorageError(f"{path}: the registry database is read-only; it needs write access to the file "
                             f"and its folder ({detail})")  # fmt: skip
    if code == _SQLITE_NOTADB:
        return RegistryStorageError(f"{path}: not an SQLite database, so not a registry database ({detail})")
    if code == _SQLITE_CORRUPT:
        return RegistryStorageError(f"{path}: the registry database is corrupt; restore it from a backup ({detail})")
    if code == _SQLITE_FULL:
        return RegistryStorageError(f"{path}: the disk holding the registry database is full ({detail})")
    if code == _SQLITE_CANTOPEN:
        return RegistryStorageError(f"{path}: cannot open the registry database (does its folder exist?) ({detail})")
    if code == _SQLITE_IOERR:
        return RegistryStorageError(f"{path}: an I/O error on the registry database ({detail})")
    return RegistryStorageError(f"{path}: {detail}")


class SQLiteStore:
    """The reference store: one SQLite file in WAL mode; each transaction is ``BEGIN IMMEDIATE``.

    ``BEGIN IMMEDIATE`` takes the database's write lock before the first read, so the conflict
    check and the insert see the same state in every process; a second writer waits (up to
    ``timeout`` seconds) instead of reading a state that is about to change.

    Opening checks the file's schema version (migrating an older file, refusing a newer one with
    :class:`RegistrySchemaError`).  SQLite's errors become :class:`RegistryError` messages that name
    the file; a lock held past ``timeout`` is a :class:`RegistryUnavailableError`.
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self.timeout = timeout
        try:
            self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise sqlite_error(self.path, e, "cannot open the registry database", timeout) from None
        try:
            self._set_wal()
            # A registration once reported must survive a power cut: sync every commit (WAL's
            # NORMAL would be faster and still consistent, but could lose the last registrations).
            self.db.execute("PRAGMA synchronous = FULL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.Error as e:
            self.db.close()
            raise sqlite_error(self.path, e, "cannot open the registry database", timeout) from None
        except RegistryError:
            self.db.close()
            raise

    def _set_wal(self) -> None:
        # Switching a new file to WAL needs an exclusive lock for a moment, and SQLite answers BUSY
        # at once instead of calling the busy handler: several processes opening a new registry
        # together (issue 21) retry here, within the same timeout as any other lock.
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as e:
                code = (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF
                if code not in (_SQLITE_BUSY, _SQLITE_LOCKED) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _migrate(self) -> None:
        # A look first, in a read transaction: opening a current registry while another process
        # writes must not wait for its lock.  Only a file to create or migrate takes the write lock.
        self.db.execute("BEGIN")
        try:
            current = self._schema_state(write=False)
        finally:
            self._rollback()  # it only read
        if not current:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self._schema_state(write=True)
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _schema_state(self, *, write: bool) -> bool:
        """Is the schema current?  With ``write``, make it so (inside the caller's write transaction)."""
        where = self.path
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        ours = tables & set(_SQLITE_COLUMNS)
        if not ours and tables:
            raise RegistrySchemaError(
                f"{where}: not a registry database: it holds other tables ({', '.join(sorted(tables))})"
            )
        found, stored = 0, None
        if ours:
            if "meta" in tables:
                row = self.db.execute("SELECT value FROM meta WHERE key = ?", (SCHEMA_KEY,)).fetchone()
                stored = parse_version(str(row[0]) if row else None, where)
            found = 1 if stored is None else stored  # files of the first releases carry no stamp
        todo = pending(found, _SQLITE_MIGRATIONS, where)
        if not write and (todo or stored is None):
            return False
        for migration in todo:
            for statement in migration.statements:
                self.db.execute(statement)
        columns = {
            table: [row[1] for row in self.db.execute(f"PRAGMA table_info({table})")] for table in _SQLITE_COLUMNS
        }
        check_shape({t: c for t, c in columns.items() if c}, _SQLITE_COLUMNS, where)
        if write:
            self.db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (SCHEMA_KEY, str(SQLITE_SCHEMA_VERSION))
            )
        return True

    @property
    def schema_version(self) -> int:
        return SQLITE_SCHEMA_VERSION

    @contextmanager
    def transaction(self) -> Iterator[RegistryTxn]:
        # One connection serves every thread of the process (the service runs requests in threads):
        # the lock keeps their transactions apart, BEGIN IMMEDIATE keeps them apart from other processes.
        with self._lock:
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise sqlite_error(self.path, e, "cannot start a transaction", self.timeout) from None
            try:
                yield _SQLiteTxn(self.db)
            except sqlite3.Error as e:
                self._rollback()
                raise sqlite_error(self.path, e, "the transaction failed and was rolled back", self.timeout) from None
            except BaseException:
                self._rollback()
                raise
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error as e:
                self._rollback()
                raise sqlite_error(self.path, e, "cannot commit; nothing was written", self.timeout) from None

    def _rollback(self) -> None:
        if self.db.in_transaction:
            # SQLite may have rolled back already (a corrupt page, a full disk): the first error is the one to tell.
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _MemoryTxn(_ByRowTxn):
    """The memory store's transaction: works on copies, published only on success."""

    def __init__(self, names: dict[str, NameRecord], keys: dict[str, list[tuple[str, str]]],
                 reservations: dict[str, Reservation], meta: dict[str, str],
                 reviews: dict[str, ReviewRecord]) -> None:  # fmt: skip
        self.names_ = dict(names)
        self.keys = {k: list(v) for k, v in keys.items()}
        self.reservations_ = dict(reservations)
        self.meta_ = dict(meta)
        self.reviews_ = dict(reviews)

    def get(self, name: str) -> NameRecord | None:
        return self.names_.get(name)

    def holders(self, keys: Sequence[tuple[str, str]]) -> list[tuple[NameRecord, str]]:
        wanted = set(keys)
        return [
            (self.names_[name], kind)
            for name, own in sorted(self.keys.items())
            for kind, key in own
            if (kind, key) in wanted
        ]

    def reservation(self, label: str) -> Reservation | None:
        return self.reservations_.get(label)

    def reservations(self, root: str) -> list[Reservation]:
        return sorted((r for r in self.reservations_.values() if r.root == root), key=lambda r: r.label)

    def bundle(self, root: str) -> list[NameRecord]:
        return sorted((r for r in self.names_.values() if r.root == root), key=lambda r: r.name)

    def insert(self, record: NameRecord, keys: Sequence[tuple[str, str]]) -> None:
        if record.name in self.names_:
            raise RegistryError(f"{record.name!r} is already registered")
        self.names_[record.name] = record
        self.keys[record.name] = list(dict.fromkeys(keys))

    def reserve(self, reservations: Sequence[Reservation]) -> None:
        for r in reservations:
            self.reservations_.setdefault(r.label, r)

    def delete(self, name: str) -> None:
        self.names_.pop(name, None)
        self.keys.pop(name, None)

    def unreserve(self, root: str) -> None:
        self.reservations_ = {k: r for k, r in self.reservations_.items() if r.root != root}

    def set_registrant(self, root: str, registrant: str) -> None:
        for name, r in list(self.names_.items()):
            if r.root == root:
                self.names_[name] = NameRecord(r.name, r.alabel, registrant, r.root, r.policy_version, r.registered_at)
        for label, v in list(self.reservations_.items()):
            if v.root == root:
                self.reservations_[label] = Reservation(v.label, v.root, registrant, v.disposition, v.action)

    def names(self) -> list[NameRecord]:
        return [self.names_[n] for n in sorted(self.names_)]

    def replace_keys(self, name: str, keys: Sequence[tuple[str, str]]) -> None:
        self.keys[name] = list(dict.fromkeys(keys))

    def meta(self, key: str) -> str | None:
        return self.meta_.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self.meta_[key] = value

    def review(self, review_id: str) -> ReviewRecord | None:
        return self.reviews_.get(review_id)

    def reviews(
        self, *, state: str | None = None, name: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[ReviewRecord]:
        rows = self.reviews_.values()
        found = sorted(
            (r for r in rows if (state is None or r.state == state) and (name is None or r.name == name)),
            key=lambda r: (r.created_at, r.id),
        )
        return found[offset : None if limit is None else offset + limit]

    def count_reviews(self, *, state: str | None = None) -> int:
        return sum(1 for r in self.reviews_.values() if state is None or r.state == state)

    def put_review(self, record: ReviewRecord) -> None:
        self.reviews_[record.id] = record


class MemoryStore:
    """A store in process memory (tests, dry runs): one writer at a time, all-or-nothing transactions.

    Lookups scan every key, so it suits thousands of names, not a registry's millions.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._names: dict[str, NameRecord] = {}
        self._keys: dict[str, list[tuple[str, str]]] = {}
        self._reservations: dict[str, Reservation] = {}
        self._meta: dict[str, str] = {}
        self._reviews: dict[str, ReviewRecord] = {}

    @contextmanager
    def transaction(self) -> Iterator[RegistryTxn]:
        with self._lock:
            txn = _MemoryTxn(self._names, self._keys, self._reservations, self._meta, self._reviews)
            yield txn
            self._names, self._keys = txn.names_, txn.keys
            self._reservations, self._meta, self._reviews = txn.reservations_, txn.meta_, txn.reviews_


def _finding(rule: str, message: str, source: str = "") -> Finding:
    return Finding(rule, message, engine="registry", cite=source if source and source != RULES[rule].source else None)


_T = TypeVar("_T")


def _alabel(label: str) -> str:
    """The A-label stored with a variant label: IDNA2008's, or the label itself when IDNA2008 refuses it.

    Only the IDNA2008 part of :meth:`Policy.check` decides a result's ``alabel``, so the policy's
    own rules are not run again for it.
    """
    idna = check_label(label)
    return (idna.alabel if idna.ok else None) or label


@dataclass(frozen=True, slots=True)
class _Plan:
    """The policy's verdict on a name about to be checked against the registry (:meth:`Registry._plan`)."""

    name: str
    registrant: str
    ulabel: str | None
    alabel: str | None
    findings: tuple[Finding, ...]
    keys: list[tuple[str, str]]
    variants: tuple[Variant, ...]
    variants_unknown: str | None  # why the variants could not be listed
    bundled: tuple[tuple[str, str, list[tuple[str, str]]], ...]  # (label, A-label, conflict keys) to register


class Registry:
    """Registration-time checks and bookkeeping for one policy over one store.

    Every operation runs in one store transaction.  A store whose transactions can lose a race
    (PostgreSQL at SERIALIZABLE: a serialization failure, or a key a concurrent transaction claimed
    first) raises :class:`RegistryRetryError`; the whole operation, check included, is then run
    again on the new state, up to ``attempts`` times with a short random back-off.
    """

    def __init__(self, policy: Policy, store: RegistryStore, *, attempts: int = 32, busy_attempts: int = 3) -> None:
        self.policy = policy
        self.store = store
        self.attempts = attempts
        self.busy_attempts = busy_attempts
        # Transactions run again after losing a race or a statement timeout (figures for monitoring;
        # approximate when threads share the registry, as a service's do).
        self.retries = 0
        self.timeouts = 0
        self._reindex_if_needed()

    def _atomic(self, operation: Callable[[RegistryTxn], _T]) -> _T:
        """Run ``operation`` in one transaction, again from the start each time the store says it lost a race
        (up to ``attempts`` times) or a statement was cut by its timeout (up to ``busy_attempts`` times).

        Running it again is safe: a store raises :class:`RegistryBusyError` only for a transaction the
        database rolled back, and the operation re-reads everything it decides on.  A connection lost
        while committing is not retried (``RegistryUnavailableError.outcome_unknown``: it may have
        been recorded).  A statement timeout is retried fewer times than a race: each attempt took the
        whole timeout, and a database that slow is not helped by more of them.
        """
        timeouts = 0
        for attempt in range(1, self.attempts + 1):
            try:
                with self.store.transaction() as txn:
                    return operation(txn)
            except RegistryRetryError as e:
                if attempt == self.attempts:
                    raise RegistryRetryError(
                        f"gave up after {attempt} attempts, each lost to a concurrent transaction: {e}", cause=e.cause
                    ) from None
                self.retries += 1
            except RegistryBusyError as e:
                timeouts += 1
                if timeouts >= self.busy_attempts or attempt == self.attempts:
                    raise RegistryBusyError(f"gave up after {timeouts} attempts: {e}", cause=e.cause) from None
                self.timeouts += 1
            # Full jitter (exponential, capped at 50 ms), so the losers of one race do not meet again.
            time.sleep(random.uniform(0, min(0.05, 0.0005 * 2**attempt)))
        raise AssertionError("unreachable")  # the loop returns or raises

    def _reindex_if_needed(self) -> None:
        """Conflict keys follow the current policy (a new version may add a skeleton rule, a table...).

        Names registered earlier keep their registration and their recorded policy version (see
        :meth:`stale`); only the keys that new names are compared against are recomputed.
        """
        stamp = f"{self.policy.data.identity.tld} {self.policy.version}"

        def reindex(txn: RegistryTxn) -> None:
            if txn.meta("keys_policy") == stamp:
                return
            for record in txn.names():
                txn.replace_keys(record.name, self.policy.conflict_keys(record.name))
            txn.set_meta("keys_policy", stamp)

        self._atomic(reindex)

    # --- reading ------------------------------------------------------------------------------
    def _label(self, name: str) -> str:
        """The label under the TLD: ``bücher.se`` → ``bücher`` (a bare label is taken as it is)."""
        ident = self.policy.data.identity
        parts = name.strip().rstrip(".").split(".")
        if len(parts) == 2 and check_label(parts[1].lower()).ulabel in {ident.tld, *ident.aliases}:
            return parts[0]
        return name.strip().rstrip(".")

    def _plan(self, name: str, registrant: str, language: str | None) -> _Plan:
        """The policy's part of checking ``name``, which reads no store: done once, before the transaction.

        A transaction that loses a race is run again (:meth:`_atomic`); the verdict on the name, its
        conflict keys and its variants do not change in between, so they are not worked out again.
        """
        label = self._label(name)
        # A full name is judged under its form of the TLD (IDN or ASCII ccTLD); a bare label as it is.
        if label != name.strip().rstrip("."):
            result = self.policy.check_name(name, language=language)
        else:
            result = self.policy.check(label, language=language)
        ulabel = result.ulabel
        if ulabel is None or not result.ok:
            return _Plan(name, registrant, ulabel, result.alabel, result.findings, [], (), None, ())
        keys = self.policy.conflict_keys(ulabel)
        variants: tuple[Variant, ...] = ()
        unknown: str | None = None
        try:
            variants = tuple(self.policy.variants(ulabel))
        except IdnkitError as e:
            # An LGR refuses to list variants past its work budget (hostile labels); registering the
            # name without its bundle would leave its variants free for anyone, so it is refused.
            unknown = str(e)
        bundled = tuple(
            (v.label, _alabel(v.label), self.policy.conflict_keys(v.label))
            for v in variants
            if v.action is VariantAction.BUNDLED
        )
        return _Plan(name, registrant, ulabel, result.alabel, result.findings, keys, variants, unknown, bundled)

    def _check(self, txn: RegistryTxn, plan: _Plan) -> tuple[RegistrationCheck, Lookup | None]:
        """The registry's part of the check, in ``txn``: one :meth:`RegistryTxn.lookup`."""
        name, registrant, ulabel = plan.name, plan.registrant, plan.ulabel
        findings = list(plan.findings)
        if ulabel is None or any(f.is_error for f in findings):
            return RegistrationCheck(name, ulabel, registrant, tuple(findings), (), (), None), None
        found = txn.lookup(ulabel, plan.keys, [label for label, _, _ in plan.bundled])
        conflicts: list[Conflict] = []
        activates: str | None = None
        existing, reservation = found.record, found.reservation
        if existing is not None:
            findings.append(
                _finding("policy.registry.registered", f"{ulabel!r} is registered to {existing.registrant}")
            )
            conflicts.append(Conflict(ulabel, "name", existing.registrant, existing.policy_version))
        if reservation is not None and existing is None:
            if reservation.action is VariantAction.BLOCKED:
                findings.append(
                    _finding(
                        "policy.registry.variant_blocked",
                        f"{ulabel!r} is a blocked variant ({reservation.disposition}) of {reservation.root!r}",
                        self.policy.data.variants.source,
                    )
                )
                conflicts.append(Conflict(reservation.root, "variant", reservation.registrant, None))
            elif reservation.registrant != registrant:
                findings.append(
                    _finding(
                        "policy.registry.variant_reserved",
                        f"{ulabel!r} is a variant of {reservation.root!r}, reserved to {reservation.registrant}",
                        self.policy.data.variants.source,
                    )
                )
                conflicts.append(Conflict(reservation.root, "variant", reservation.registrant, None))
            else:
                activates = reservation.root
        seen: set[tuple[str, str]] = set()
        for other, kind in found.holders:
            if other.name == ulabel or (other.name, kind) in seen or self.policy.exempt(ulabel, other.name):
                continue
            if activates is not None and other.root == activates:
                continue  # a variant joining its own bundle
            if reservation is not None and other.root == reservation.root and kind.startswith("lgr-index:"):
                continue  # already reported as a reserved or blocked variant of that bundle
            seen.add((other.name, kind))
            if kind.startswith("lgr-index:"):
                message = f"{ulabel!r} is a variant of registered {other.name!r} (same index label, {kind[10:]})"
                rule = "policy.registry.variant_blocked"
            else:
                message = f"{ulabel!r} conflicts with registered {other.name!r} by {kind}"
                rule = "policy.registry.conflict"
            if other.policy_version != self.policy.version:
                message += f" (registered under policy version {other.policy_version}; not re-judged)"
            findings.append(_finding(rule, message, self.policy.data.confusables.source if kind != "name" else ""))
            conflicts.append(Conflict(other.name, kind, other.registrant, other.policy_version))
        bundle: tuple[Reservation, ...] = ()
        if activates is None:
            if plan.variants_unknown is not None:
                findings.append(
                    _finding(
                        "policy.registry.variants_unknown",
                        f"{ulabel!r} cannot be registered: its variant labels could not be listed "
                        f"({plan.variants_unknown})",
                    )
                )
            else:
                bundle = tuple(Reservation(v.label, ulabel, registrant, v.disposition, v.action) for v in plan.variants)
        check = RegistrationCheck(name, ulabel, registrant, tuple(findings), tuple(conflicts), bundle, activates)
        return check, found

    def can_register(self, name: str, registrant: str, *, language: str | None = None) -> RegistrationCheck:
        """Would ``name`` be accepted for ``registrant`` now?  Nothing is written.

        ``language`` is the registration's language tag (EPP's IDN table tag) for policies that
        select their table by it.
        """
        plan = self._plan(name, registrant, language)
        return self._atomic(lambda txn: self._check(txn, plan)[0])

    def get(self, name: str) -> NameRecord | None:
        ulabel = self._ulabel(name)
        return self._atomic(lambda txn: txn.get(ulabel))

    def bundle_of(self, name: str) -> tuple[list[NameRecord], list[Reservation]]:
        """The registered names and reserved variants of the bundle ``name`` belongs to."""
        ulabel = self._ulabel(name)

        def read(txn: RegistryTxn) -> tuple[list[NameRecord], list[Reservation]]:
            record = txn.get(ulabel)
            if record is None:
                raise RegistryError(f"{name!r} is not registered")
            return txn.bundle(record.root), txn.reservations(record.root)

        return self._atomic(read)

    def names(self) -> list[NameRecord]:
        return self._atomic(lambda txn: txn.names())

    def stale(self) -> list[NameRecord]:
        """Names registered under another policy version: reported for review, never silently re-judged."""
        return [r for r in self.names() if r.policy_version != self.policy.version]

    def _ulabel(self, name: str) -> str:
        result = self.policy.check(self._label(name))
        if result.ulabel is None:
            raise RegistryError(f"{name!r} is not a valid label")
        return result.ulabel

    # --- writing ------------------------------------------------------------------------------
    def add(self, name: str, registrant: str, *, language: str | None = None) -> RegistrationCheck:
        """Register ``name`` if it can be, in the same transaction as the check.

        Variants the policy bundles are registered with it; on-request and blocked variants are
        recorded as reservations.  The returned check says what happened (``ok``) and why not.
        The transaction reads once (:meth:`RegistryTxn.lookup`) and writes once
        (:meth:`RegistryTxn.insert_bundle`).
        """
        if not registrant:
            raise RegistryError("a registrant id is required")
        plan = self._plan(name, registrant, language)

        def register(txn: RegistryTxn) -> RegistrationCheck:
            check, found = self._check(txn, plan)
            if not check.ok or check.ulabel is None or found is None:
                return check
            now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
            root = check.activates or check.ulabel
            version = self.policy.version
            records: list[tuple[NameRecord, Sequence[tuple[str, str]]]] = [
                (NameRecord(check.ulabel, plan.alabel or check.ulabel, registrant, root, version, now), plan.keys)
            ]
            reservations: tuple[Reservation, ...] = ()
            if check.activates is None:
                reservations = check.bundle
                records += [
                    (NameRecord(label, alabel, registrant, root, version, now), keys)
                    for label, alabel, keys in plan.bundled
                    if label not in found.taken
                ]
            txn.insert_bundle(records, reservations)
            return check

        return self._atomic(register)

    def bundle(self, name: str, registrant: str) -> RegistrationCheck:
        """Activate a variant reserved to ``registrant`` (an ``on-request`` or released bundled variant)."""
        ulabel = self._ulabel(name)

        def activate(txn: RegistryTxn) -> RegistrationCheck | None:
            active = txn.get(ulabel)
            if active is not None and active.registrant == registrant and not active.is_root:
                # Already active in this registrant's bundle: asking again changes nothing (idempotent, as
                # a registrar's retry of the same request expects), and says which bundle holds it.
                return RegistrationCheck(name, ulabel, registrant, (), (), (), active.root)
            if active is not None:
                raise RegistryError(f"{ulabel!r} is already registered to {active.registrant}")
            reservation = txn.reservation(ulabel)
            if reservation is None:
                raise RegistryError(f"{ulabel!r} is not a reserved variant of any registered name")
            if reservation.action is VariantAction.BLOCKED:
                raise RegistryError(f"{ulabel!r} is a blocked variant of {reservation.root!r}; it cannot be activated")
            if reservation.registrant != registrant:
                raise RegistryError(f"{ulabel!r} is reserved to {reservation.registrant}, not {registrant}")
            return None

        done = self._atomic(activate)
        return done if done is not None else self.add(name, registrant)

    def remove(self, name: str, registrant: str | None = None) -> list[str]:
        """Delete a name; deleting a bundle's root deletes the whole bundle and frees its reservations.

        Deleting a variant keeps its reservation, so the registrant may activate it again.
        Returns the names deleted.
        """
        ulabel = self._ulabel(name)

        def delete(txn: RegistryTxn) -> list[str]:
            record = txn.get(ulabel)
            if record is None:
                raise RegistryError(f"{name!r} is not registered")
            if registrant is not None and record.registrant != registrant:
                raise RegistryError(f"{record.name!r} is registered to {record.registrant}, not {registrant}")
            if not record.is_root:
                txn.delete(record.name)
                return [record.name]
            members = [r.name for r in txn.bundle(record.name)]
            for member in members:
                txn.delete(member)
            txn.unreserve(record.name)
            return members

        return self._atomic(delete)

    def transfer(self, name: str, registrant: str, new_registrant: str) -> list[str]:
        """Move a whole bundle (by its root) to ``new_registrant``; variants follow their root."""
        ulabel = self._ulabel(name)

        def move(txn: RegistryTxn) -> list[str]:
            record = txn.get(ulabel)
            if record is None:
                raise RegistryError(f"{name!r} is not registered")
            if record.registrant != registrant:
                raise RegistryError(f"{record.name!r} is registered to {record.registrant}, not {registrant}")
            if not record.is_root:
                raise RegistryError(
                    f"{record.name!r} is a variant in the bundle of {record.root!r}: transfer the bundle"
                )
            txn.set_registrant(record.name, new_registrant)
            return [r.name for r in txn.bundle(record.name)]

        return self._atomic(move)


__all__ = [
    "SQLITE_SCHEMA_VERSION",
    "Conflict",
    "Lookup",
    "MemoryStore",
    "NameRecord",
    "RegistrationCheck",
    "Registry",
    "RegistryStore",
    "RegistryTxn",
    "Reservation",
    "ReviewRecord",
    "SQLiteStore",
]
