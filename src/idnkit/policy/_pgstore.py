"""A registry store on PostgreSQL, for several SRS front ends sharing one database.

:class:`PostgresStore` implements :class:`~idnkit.policy.RegistryStore` through psycopg 3 and a
``psycopg_pool`` connection pool (``pip install 'idnkit[postgres]'``; psycopg is imported only when
a store is created, so ``import idnkit`` never needs it).

Two front ends on two machines must never both win a name.  The database decides, not the Python
process: every check-and-insert is one transaction, and every pair of transactions that could
both win writes the same row, so PostgreSQL lets at most one of them commit.

- ``claims`` has one row per conflict key in use (the name, each LGR index label, the skeleton,
  the fold), with a primary key and a count of the names holding it; every ``keys`` row
  references its claim (a foreign key).  A name's first holder of a key inserts the claim with a
  plain INSERT, so of two transactions that both saw a key free the second is refused by the
  primary key (23505) whatever the isolation level; a name that shares a key already claimed (an
  exempt pair, a bundle's variants) increments its count, so two of those write the same row.
- ``names`` (one row per name) and ``reservations`` (one row per variant label) have primary keys
  too, and a variant joining a bundle updates the bundle root's row, so an activation and a
  transfer or deletion of the same bundle write the same row.
- Transactions run at REPEATABLE READ (snapshot isolation,
  https://www.postgresql.org/docs/current/transaction-iso.html#XACT-REPEATABLE-READ): the check
  sees one snapshot, and a transaction that updates a row a concurrent one changed after that
  snapshot fails with a serialization failure (40001) instead of waiting and going on.  Row-level
  conflicts only, so unrelated names never make each other retry (SERIALIZABLE's predicate locks,
  at index-page granularity, refused most concurrent adds of unrelated names on small tables;
  ``serializable=True`` turns it on anyway, on top of the claims).
- A transaction that loses raises :class:`RegistryRetryError`, and :class:`~idnkit.policy.Registry`
  runs the whole check-and-insert again on the new state, where the winner's name is visible and
  the loser's name is refused as a conflict.
- A transaction never waits long for another's row: after ``lock_timeout`` (50 ms by default) the
  statement fails (55P03) and is retried the same way.  Racing adds of one bundle insert the same
  names in different orders (a root, then its variants), and waiting would deadlock them; PostgreSQL
  breaks a deadlock only after ``deadlock_timeout`` (1 s), so 16 front ends racing for one name
  took seconds per add that way, where failing fast and retrying takes milliseconds.

A statement cut by ``statement_timeout`` (SQLSTATE 57014) raises :class:`RegistryBusyError`, and a
lock or serialization race that every attempt lost :class:`RegistryRetryError` (a subclass), each
naming its ``cause``: the server rolled the transaction back, so :class:`~idnkit.policy.Registry`
runs the operation again a few times and a service then answers 503 with Retry-After.

A lost connection, a server that is down or a pool with no connection free within ``timeout``
seconds raise :class:`RegistryUnavailableError` (a service answers 503); the pool checks each
connection before handing it out and reconnects in the background, so the store works again once
the server is back.  Commits are durable as the server is configured (``synchronous_commit`` on
by default): an operation that returned was on disk.

The tables live in their own PostgreSQL schema (``idnkit`` by default) so that they never meet an
SRS's own tables; the schema version is the ``schema_version`` row of its ``meta`` table
(:mod:`idnkit.policy._migrations`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import (
    RegistryBusyError,
    RegistryRetryError,
    RegistrySchemaError,
    RegistryStorageError,
    RegistryUnavailableError,
)
from ._migrations import SCHEMA_KEY, Migration, check_shape, current_version, parse_version, pending
from ._registry import REVIEW_COLUMNS, Lookup, NameRecord, RegistryTxn, Reservation, ReviewRecord, review_where
from ._schema import VariantAction

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

_EXTRA = "PostgreSQL registry stores need psycopg 3 and psycopg_pool: pip install 'idnkit[postgres]'"

_PG_MIGRATIONS = (
    Migration(1, "names, conflict keys and their claims, reservations, meta", (
        """CREATE TABLE names (
            name TEXT PRIMARY KEY, alabel TEXT NOT NULL, registrant TEXT NOT NULL, root TEXT NOT NULL,
            policy_version TEXT NOT NULL, registered_at TEXT NOT NULL)""",
        "CREATE INDEX names_root ON names (root)",
        # One row per conflict key in use: the unique constraint that arbitrates between front ends,
        # and the number of names holding the key (written by each, so that two of them conflict).
        """CREATE TABLE claims (
            kind TEXT NOT NULL, key TEXT NOT NULL, holders INTEGER NOT NULL CHECK (holders >= 0),
            PRIMARY KEY (kind, key))""",
        """CREATE TABLE keys (
            kind TEXT NOT NULL, key TEXT NOT NULL,
            name TEXT NOT NULL REFERENCES names (name) ON DELETE CASCADE,
            PRIMARY KEY (kind, key, name),
            FOREIGN KEY (kind, key) REFERENCES claims (kind, key))""",
        "CREATE INDEX keys_name ON keys (name)",
        """CREATE TABLE reservations (
            label TEXT PRIMARY KEY, root TEXT NOT NULL, registrant TEXT NOT NULL, disposition TEXT NOT NULL,
            action TEXT NOT NULL)""",
        "CREATE INDEX reservations_root ON reservations (root)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    )),
    # Version 2: the review queue's own table; its old meta rows (review:<id> JSON, review:index)
    # move in, as in the SQLite migration 2 (_registry.py).
    Migration(2, "a reviews table (the review queue), its meta rows moved into it", (
        """CREATE TABLE reviews (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, registrant TEXT NOT NULL,
            detail TEXT NOT NULL, state TEXT NOT NULL, decided_by TEXT, decided_at TEXT, decision_reason TEXT,
            created_at TEXT NOT NULL)""",
        "CREATE INDEX reviews_state ON reviews (state, created_at)",
        "CREATE INDEX reviews_name ON reviews (name)",
        """INSERT INTO reviews (id, name, kind, registrant, detail, state, decided_by, decided_at,
                                decision_reason, created_at)
           SELECT j->>'id', j->>'name', 'registration', j->>'registrant', m.value, j->>'status',
                  d.step->>'who', d.step->>'when', d.step->>'why', coalesce(j->'history'->0->>'when', '')
           FROM meta m CROSS JOIN LATERAL (SELECT m.value::jsonb AS j) v
           LEFT JOIN LATERAL (
               SELECT h.step FROM jsonb_array_elements(j->'history') WITH ORDINALITY AS h(step, n)
               WHERE h.step->>'what' IN ('approved', 'refused') ORDER BY h.n LIMIT 1) d ON true
           WHERE left(m.key, 7) = 'review:' AND m.key <> 'review:index'""",
        "DELETE FROM meta WHERE left(key, 7) = 'review:'",
    )),
)  # fmt: skip
PG_SCHEMA_VERSION = current_version(_PG_MIGRATIONS)
_PG_COLUMNS = {
    "names": ("name", "alabel", "registrant", "root", "policy_version", "registered_at"),
    "claims": ("kind", "key", "holders"),
    "keys": ("kind", "key", "name"),
    "reservations": ("label", "root", "registrant", "disposition", "action"),
    "meta": ("key", "value"),
    "reviews": REVIEW_COLUMNS,
}
_REVIEW_SELECT = ", ".join(REVIEW_COLUMNS)
_NAME_COLUMNS = "n.name, n.alabel, n.registrant, n.root, n.policy_version, n.registered_at"
_RESERVATION_COLUMNS = "label, root, registrant, disposition, action"
# Retry, not fail: SQLSTATE 40001 serialization_failure, 40P01 deadlock_detected, 23505 unique_violation
# (a key or name a concurrent transaction inserted after this one's snapshot was taken), 55P03
# lock_not_available (lock_timeout: a row a concurrent transaction holds).  Each is the cause named to
# the caller when every attempt lost (RegistryBusyError.cause).
_RETRY_SQLSTATES = {
    "40001": "serialization_failure",
    "40P01": "deadlock",
    "23505": "conflict",
    "55P03": "lock_timeout",
}
# 57014 query_canceled: statement_timeout, or an operator's pg_cancel_backend.  The server rolled the
# transaction back (an error is never raised past a commit's point of no return), so it may run again.
_CANCELED_SQLSTATE = "57014"
# Connection errors that are the caller's configuration, not an outage: bad password or role, no such database.
_CONFIG_SQLSTATES = frozenset({"28000", "28P01", "3D000", "42501"})
# libpq reports a refused connection with no SQLSTATE, only the server's FATAL message: these are the
# ones that pass (the server starting, stopping or full); any other FATAL is the configuration.
_TRANSIENT_FATAL = (
    "the database system is",
    "too many clients",
    "remaining connection slots",
    "terminating connection",
)


def describe(url: str) -> str:
    """The server and database of a connection URL or conninfo string, without its password.

    >>> describe("postgresql://registry:s3cret@db.example:5433/reg?sslmode=require")
    'postgresql://registry@db.example:5433/reg'
    """
    params: dict[str, Any]
    if url.lower().startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        try:
            number = parts.port
        except ValueError:
            number = None
        params = {"user": unquote(parts.username or ""), "host": parts.hostname, "port": number,
                  "dbname": unquote(parts.path.lstrip("/"))}  # fmt: skip
        params.update((k, v) for k, v in parse_qsl(parts.query) if k in ("host", "port", "user", "dbname"))
    else:
        try:
            from psycopg.conninfo import conninfo_to_dict

            params = dict(conninfo_to_dict(url))
        except Exception:  # unparseable, or no psycopg: say nothing of its contents (it may hold a password)
            return "postgresql://?"
    host = str(params.get("host") or params.get("hostaddr") or "localhost")
    port = f":{params['port']}" if params.get("port") else ""
    user = f"{params['user']}@" if params.get("user") else ""
    return f"postgresql://{user}{host}{port}/{params.get('dbname') or ''}"


def _rows_to_reservations(rows: Sequence[tuple[Any, ...]]) -> list[Reservation]:
    return [Reservation(r[0], r[1], r[2], r[3], VariantAction(r[4])) for r in rows]


def _columns(keys: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    unique = list(dict.fromkeys(keys))
    return [k for k, _ in unique], [v for _, v in unique]


class _PgTxn:
    """The :class:`RegistryTxn` of one REPEATABLE READ transaction on one pooled connection."""

    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self.conn = conn
        self._free: set[tuple[str, str]] = set()  # keys the conflict check found no holder of

    def get(self, name: str) -> NameRecord | None:
        row = self.conn.execute(f"SELECT {_NAME_COLUMNS} FROM names n WHERE n.name = %s", (name,)).fetchone()
        return NameRecord(*row) if row else None

    def holders(self, keys: Sequence[tuple[str, str]]) -> list[tuple[NameRecord, str]]:
        if not keys:
            return []
        # In the order of ``keys``, each key's holders by name (code point order, as the other stores).
        rows = self.conn.execute(
            f"SELECT {_NAME_COLUMNS}, q.kind, q.key "
            "FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS q(kind, key, i) "
            "JOIN keys k ON k.kind = q.kind AND k.key = q.key JOIN names n ON n.name = k.name "
            'ORDER BY q.i, n.name COLLATE "C"',
            ([k for k, _ in keys], [v for _, v in keys]),
        ).fetchall()
        self._free |= set(keys) - {(row[6], row[7]) for row in rows}
        return [(NameRecord(*row[:6]), row[6]) for row in rows]

    def lookup(self, name: str, keys: Sequence[tuple[str, str]], labels: Sequence[str] = ()) -> Lookup:
        # One statement for the four reads of a check (one round trip): the name's row ('n'), its
        # reservation ('r'), the holders of each key ('h', with the key's position in ``keys``) and
        # which of ``labels`` are registered ('t').  Holders come in the order of holders(): by key,
        # then by name in code point order (Python's str order is code point order).
        rows = self.conn.execute(
            f"SELECT 'n', {_NAME_COLUMNS}, NULL, NULL, 0::bigint FROM names n WHERE n.name = %(name)s "
            "UNION ALL SELECT 'r', label, root, registrant, disposition, action, NULL, NULL, NULL, 0 "
            "  FROM reservations WHERE label = %(name)s "
            f"UNION ALL SELECT 'h', {_NAME_COLUMNS}, q.kind, q.key, q.i "
            "  FROM unnest(%(kinds)s::text[], %(values)s::text[]) WITH ORDINALITY AS q(kind, key, i) "
            "  JOIN keys k ON k.kind = q.kind AND k.key = q.key JOIN names n ON n.name = k.name "
            "UNION ALL SELECT 't', name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 "
            "  FROM names WHERE name = ANY(%(labels)s::text[])",
            {"name": name, "kinds": [k for k, _ in keys], "values": [v for _, v in keys], "labels": list(labels)},
        ).fetchall()
        record: NameRecord | None = None
        reservation: Reservation | None = None
        held: list[tuple[int, str, NameRecord, str, str]] = []
        taken: set[str] = set()
        for row in rows:
            tag = row[0]
            if tag == "n":
                record = NameRecord(*row[1:7])
            elif tag == "r":
                reservation = Reservation(row[1], row[2], row[3], row[4], VariantAction(row[5]))
            elif tag == "h":
                held.append((row[9], row[1], NameRecord(*row[1:7]), row[7], row[8]))
            else:
                taken.add(row[1])
        held.sort(key=lambda h: (h[0], h[1]))
        self._free |= set(keys) - {(kind, key) for *_, kind, key in held}
        return Lookup(record, reservation, tuple((h[2], h[3]) for h in held), frozenset(taken))

    def reservation(self, label: str) -> Reservation | None:
        rows = self.conn.execute(
            f"SELECT {_RESERVATION_COLUMNS} FROM reservations WHERE label = %s", (label,)
        ).fetchall()
        return _rows_to_reservations(rows)[0] if rows else None

    def reservations(self, root: str) -> list[Reservation]:
        rows = self.conn.execute(
            f'SELECT {_RESERVATION_COLUMNS} FROM reservations WHERE root = %s ORDER BY label COLLATE "C"', (root,)
        ).fetchall()
        return _rows_to_reservations(rows)

    def bundle(self, root: str) -> list[NameRecord]:
        rows = self.conn.execute(
            f'SELECT {_NAME_COLUMNS} FROM names n WHERE n.root = %s ORDER BY n.name COLLATE "C"', (root,)
        ).fetchall()
        return [NameRecord(*row) for row in rows]

    def insert(self, record: NameRecord, keys: Sequence[tuple[str, str]]) -> None:
        self._hold(record.name, keys, record)

    def insert_bundle(
        self, records: Sequence[tuple[NameRecord, Sequence[tuple[str, str]]]], reservations: Sequence[Reservation]
    ) -> None:
        """Register ``records`` with their keys and make ``reservations``, in one statement (one round trip).

        The same writes as :meth:`insert` for each record then :meth:`reserve`, so the same rows
        arbitrate (see :meth:`_hold`).  Claims are written once per key with the number of new
        holders among ``records`` (a bundle's names share their index label; one statement may not
        write a row twice).  A name joining a bundle registered earlier updates that root's row; a
        root inserted by this same statement needs no such write, no other transaction can see it.
        """
        if not records:
            self.reserve(reservations)
            return
        counts: dict[tuple[str, str], int] = {}
        key_rows: list[tuple[str, str, str]] = []
        for record, keys in records:
            for key in dict.fromkeys(keys):
                counts[key] = counts.get(key, 0) + 1
                key_rows.append((key[0], key[1], record.name))
        names = {record.name for record, _ in records}
        touched = sorted({r.root for r, _ in records if r.root != r.name and r.root not in names})
        free = [(k, n) for k, n in counts.items() if k in self._free]
        others = [(k, n) for k, n in counts.items() if k not in self._free]
        self.conn.execute(
            "WITH n AS (INSERT INTO names (name, alabel, registrant, root, policy_version, registered_at) "
            "  SELECT * FROM unnest(%(names)s::text[], %(alabels)s::text[], %(registrants)s::text[], "
            "                       %(roots)s::text[], %(versions)s::text[], %(ats)s::text[])), "
            "t AS (UPDATE names SET root = root WHERE name = ANY(%(touched)s::text[])), "
            "f AS (INSERT INTO claims (kind, key, holders) "
            "  SELECT * FROM unnest(%(free_kinds)s::text[], %(free_values)s::text[], %(free_counts)s::int[])), "
            "o AS (INSERT INTO claims (kind, key, holders) "
            "  SELECT * FROM unnest(%(other_kinds)s::text[], %(other_values)s::text[], %(other_counts)s::int[]) "
            "  ON CONFLICT (kind, key) DO UPDATE SET holders = claims.holders + EXCLUDED.holders), "
            f"r AS (INSERT INTO reservations ({_RESERVATION_COLUMNS}) "
            "  SELECT * FROM unnest(%(labels)s::text[], %(label_roots)s::text[], %(label_registrants)s::text[], "
            "                       %(dispositions)s::text[], %(actions)s::text[]) "
            "  ON CONFLICT (label) DO NOTHING) "
            "INSERT INTO keys (kind, key, name) "
            "SELECT * FROM unnest(%(key_kinds)s::text[], %(key_values)s::text[], %(key_names)s::text[])",
            {
                "names": [r.name for r, _ in records],
                "alabels": [r.alabel for r, _ in records],
                "registrants": [r.registrant for r, _ in records],
                "roots": [r.root for r, _ in records],
                "versions": [r.policy_version for r, _ in records],
                "ats": [r.registered_at for r, _ in records],
                "touched": touched,
                "free_kinds": [k[0] for k, _ in free],
                "free_values": [k[1] for k, _ in free],
                "free_counts": [n for _, n in free],
                "other_kinds": [k[0] for k, _ in others],
                "other_values": [k[1] for k, _ in others],
                "other_counts": [n for _, n in others],
                "labels": [r.label for r in reservations],
                "label_roots": [r.root for r in reservations],
                "label_registrants": [r.registrant for r in reservations],
                "dispositions": [r.disposition for r in reservations],
                "actions": [r.action.value for r in reservations],
                "key_kinds": [k for k, _, _ in key_rows],
                "key_values": [v for _, v, _ in key_rows],
                "key_names": [n for _, _, n in key_rows],
            },
        )
        self._free.difference_update(k for k, _ in free)  # claimed now, by this transaction

    def _hold(self, name: str, keys: Sequence[tuple[str, str]], record: NameRecord | None = None) -> None:
        """Give ``name`` the keys ``keys`` (registering ``record`` first, when given), claiming each key.

        One statement, one round trip; the foreign keys of the ``keys`` rows are checked at its end,
        when the name and the claims are there.  A key the conflict check saw free (:meth:`holders`)
        is claimed by a plain INSERT: if a concurrent transaction claimed it since, committed or not,
        the primary key refuses this one (23505), whatever the isolation level.  Any other key
        (claimed already by an exempt name, this name's own bundle, a reindex) gets its count
        incremented, a write that a concurrent writer of the same claim conflicts with (40001).
        A variant joining a bundle also updates the bundle root's row (see the module docstring).
        """
        unique = list(dict.fromkeys(keys))
        if record is None and not unique:
            return
        seen_free = [k for k in unique if k in self._free]
        others = [k for k in unique if k not in self._free]
        params: dict[str, Any] = {
            "name": name,
            "kinds": [k for k, _ in unique],
            "values": [v for _, v in unique],
            "free_kinds": [k for k, _ in seen_free],
            "free_values": [v for _, v in seen_free],
            "other_kinds": [k for k, _ in others],
            "other_values": [v for _, v in others],
        }
        with_name = ""
        if record is not None:
            with_name = (
                "n AS (INSERT INTO names (name, alabel, registrant, root, policy_version, registered_at) "
                "VALUES (%(name)s, %(alabel)s, %(registrant)s, %(root)s, %(version)s, %(at)s)), "
            )
            if record.root != record.name:
                with_name += "r AS (UPDATE names SET root = root WHERE name = %(root)s), "
            params.update(alabel=record.alabel, registrant=record.registrant, root=record.root,
                          version=record.policy_version, at=record.registered_at)  # fmt: skip
        self.conn.execute(
            f"WITH {with_name}"
            "f AS (INSERT INTO claims (kind, key, holders) "
            "  SELECT u.kind, u.key, 1 FROM unnest(%(free_kinds)s::text[], %(free_values)s::text[]) AS u(kind, key)), "
            "o AS (INSERT INTO claims (kind, key, holders) "
            "  SELECT u.kind, u.key, 1 FROM unnest(%(other_kinds)s::text[], %(other_values)s::text[]) AS u(kind, key) "
            "  ON CONFLICT (kind, key) DO UPDATE SET holders = claims.holders + 1) "
            "INSERT INTO keys (kind, key, name) "
            "SELECT u.kind, u.key, %(name)s FROM unnest(%(kinds)s::text[], %(values)s::text[]) AS u(kind, key)",
            params,
        )
        self._free.difference_update(seen_free)  # claimed now, by this transaction

    def _release(self, released: Sequence[tuple[str, str]]) -> None:
        """Count one holder less for each of ``released`` (keys rows deleted), then drop the claims no one holds."""
        if not released:
            return
        kinds, values = _columns(released)
        self.conn.execute(
            "UPDATE claims c SET holders = c.holders - 1 FROM unnest(%s::text[], %s::text[]) AS u(kind, key) "
            "WHERE c.kind = u.kind AND c.key = u.key",
            (kinds, values),
        )
        self._drop_unheld(released)

    def _drop_unheld(self, keys: Sequence[tuple[str, str]]) -> None:
        kinds, values = _columns(keys)
        self.conn.execute(
            "DELETE FROM claims c USING unnest(%s::text[], %s::text[]) AS u(kind, key) "
            "WHERE c.kind = u.kind AND c.key = u.key AND c.holders = 0",
            (kinds, values),
        )

    def reserve(self, reservations: Sequence[Reservation]) -> None:
        if not reservations:
            return
        # As the other stores' INSERT OR IGNORE: a label reserved already keeps its reservation.  A
        # reservation a concurrent transaction made after this one's snapshot is a serialization failure
        # (ON CONFLICT at REPEATABLE READ and above, when the conflicting row is not in the snapshot).
        self.conn.execute(
            f"INSERT INTO reservations ({_RESERVATION_COLUMNS}) "
            "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) "
            "ON CONFLICT (label) DO NOTHING",
            (
                [r.label for r in reservations],
                [r.root for r in reservations],
                [r.registrant for r in reservations],
                [r.disposition for r in reservations],
                [r.action.value for r in reservations],
            ),
        )

    def delete(self, name: str) -> None:
        released = self.conn.execute("DELETE FROM keys WHERE name = %s RETURNING kind, key", (name,)).fetchall()
        self.conn.execute("DELETE FROM names WHERE name = %s", (name,))
        self._release([(k, v) for k, v in released])

    def unreserve(self, root: str) -> None:
        self.conn.execute("DELETE FROM reservations WHERE root = %s", (root,))

    def set_registrant(self, root: str, registrant: str) -> None:
        self.conn.execute("UPDATE names SET registrant = %s WHERE root = %s", (registrant, root))
        self.conn.execute("UPDATE reservations SET registrant = %s WHERE root = %s", (registrant, root))

    def names(self) -> list[NameRecord]:
        rows = self.conn.execute(f'SELECT {_NAME_COLUMNS} FROM names n ORDER BY n.name COLLATE "C"').fetchall()
        return [NameRecord(*row) for row in rows]

    def replace_keys(self, name: str, keys: Sequence[tuple[str, str]]) -> None:
        released = [(k, v) for k, v in self.conn.execute(
            "DELETE FROM keys WHERE name = %s RETURNING kind, key", (name,)
        ).fetchall()]  # fmt: skip
        if released:
            kinds, values = _columns(released)
            self.conn.execute(
                "UPDATE claims c SET holders = c.holders - 1 FROM unnest(%s::text[], %s::text[]) AS u(kind, key) "
                "WHERE c.kind = u.kind AND c.key = u.key",
                (kinds, values),
            )
        self._hold(name, keys)  # kept keys are counted again, new ones claimed
        if released:
            self._drop_unheld(released)

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (key, value),
        )

    def review(self, review_id: str) -> ReviewRecord | None:
        row = self.conn.execute(f"SELECT {_REVIEW_SELECT} FROM reviews WHERE id = %s", (review_id,)).fetchone()
        return ReviewRecord(*row) if row else None

    def reviews(
        self, *, state: str | None = None, name: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[ReviewRecord]:
        where, params = review_where(state, name, "%s")
        page = " LIMIT %s OFFSET %s" if limit is not None else ""
        args: list[Any] = [*params, limit, offset] if limit is not None else params
        rows = self.conn.execute(
            f'SELECT {_REVIEW_SELECT} FROM reviews{where} ORDER BY created_at COLLATE "C", id COLLATE "C"{page}',
            args,
        ).fetchall()
        return [ReviewRecord(*row) for row in rows]

    def count_reviews(self, *, state: str | None = None) -> int:
        where, params = review_where(state, None, "%s")
        row = self.conn.execute(f"SELECT count(*) FROM reviews{where}", params).fetchone()
        return int(row[0]) if row else 0

    def put_review(self, record: ReviewRecord) -> None:
        marks = ", ".join(["%s"] * len(REVIEW_COLUMNS))
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in REVIEW_COLUMNS[1:])
        self.conn.execute(
            f"INSERT INTO reviews ({_REVIEW_SELECT}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {updates}",
            tuple(getattr(record, c) for c in REVIEW_COLUMNS),
        )


class PostgresStore:
    """A :class:`~idnkit.policy.RegistryStore` on a PostgreSQL database shared by several front ends.

    ``url`` is a libpq connection URL or conninfo string (``postgresql://user@host:5432/registry``);
    the tables live in ``schema`` (created if missing, with the registry's tables at the current
    schema version).  The pool holds ``min_size`` to ``max_size`` connections; a transaction waits
    at most ``timeout`` seconds for one, then raises :class:`RegistryUnavailableError`.
    Transactions run at REPEATABLE READ, or SERIALIZABLE with ``serializable=True``; a statement
    waits at most ``lock_timeout`` seconds for a row another transaction holds, then is retried.
    ``statement_timeout`` (seconds; None: the server's setting) bounds each statement: past it the
    transaction is rolled back and :class:`RegistryBusyError` raised (``cause`` ``statement_timeout``).

    >>> store = PostgresStore("postgresql://registry@db.example/registry")  # doctest: +SKIP
    >>> Registry(policy.load("se"), store).add("räksmörgås", "r1").ok        # doctest: +SKIP
    True
    """

    def __init__(
        self,
        url: str,
        *,
        schema: str = "idnkit",
        min_size: int = 1,
        max_size: int = 8,
        timeout: float = 5.0,
        connect_timeout: int = 5,
        serializable: bool = False,
        lock_timeout: float = 0.05,
        statement_timeout: float | None = None,
    ) -> None:
        try:
            import psycopg
            from psycopg import sql
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise RegistryStorageError(_EXTRA) from None
        self.url = url
        self.where = describe(url)
        self.schema = schema
        self.timeout = timeout
        search_path = sql.SQL("SET search_path TO {}").format(sql.Identifier(schema))
        set_lock_timeout = sql.SQL("SET lock_timeout = {}").format(
            sql.Literal(f"{max(1, round(lock_timeout * 1000))}ms")
        )
        # statement_timeout bounds every statement, so work a service abandoned past its own time limit
        # never holds a transaction (and its row locks) open for long; past it: RegistryBusyError.
        set_statement_timeout = (
            None
            if statement_timeout is None
            else sql.SQL("SET statement_timeout = {}").format(
                sql.Literal(f"{max(1, round(statement_timeout * 1000))}ms")
            )
        )
        isolation = psycopg.IsolationLevel.SERIALIZABLE if serializable else psycopg.IsolationLevel.REPEATABLE_READ
        kwargs: dict[str, Any] = {"connect_timeout": connect_timeout}

        def configure(conn: psycopg.Connection[tuple[Any, ...]]) -> None:
            conn.autocommit = True
            conn.execute(search_path)
            conn.execute(set_lock_timeout)
            if set_statement_timeout is not None:
                conn.execute(set_statement_timeout)
            conn.autocommit = False
            conn.isolation_level = isolation

        # One direct connection first: it reports a wrong password or a missing database as such (the
        # pool would only time out), and it creates or migrates the schema before the pool opens.
        try:
            with psycopg.connect(url, **kwargs) as conn:
                self._migrate(conn)
        except psycopg.Error as e:
            raise self._error(e, "cannot open the registry database") from None
        self._pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]] = ConnectionPool(
            url,
            kwargs=kwargs,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            configure=configure,
            check=ConnectionPool.check_connection,  # a connection the server dropped is replaced, not used
            name=f"idnkit-registry {self.where}",
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
        except psycopg.Error as e:
            raise self._error(e, "cannot open the connection pool") from None

    def __repr__(self) -> str:
        return f"<PostgresStore {self.where} schema {self.schema}>"

    @property
    def schema_version(self) -> int:
        return PG_SCHEMA_VERSION

    def _migrate(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        from psycopg import sql

        where = f"{self.where} (schema {self.schema})"
        schema = sql.Identifier(self.schema)
        with conn.transaction():
            # One front end migrates at a time; the others wait here, then find the schema current.
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"idnkit registry schema {self.schema}",))
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema))
            conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(schema))
            tables = {
                row[0]
                for row in conn.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (self.schema,)
                )
            }
            found = 0
            if tables:
                stored = None
                if "meta" in tables:
                    row = conn.execute("SELECT value FROM meta WHERE key = %s", (SCHEMA_KEY,)).fetchone()
                    stored = parse_version(str(row[0]) if row else None, where)
                if stored is None:
                    raise RegistrySchemaError(
                        f"{where}: not a registry schema: it holds tables ({', '.join(sorted(tables))}) "
                        "but no schema_version; give the store another schema"
                    )
                found = stored
            for migration in pending(found, _PG_MIGRATIONS, where):
                for statement in migration.statements:
                    conn.execute(statement)
            columns: dict[str, list[str]] = {}
            for table, column in conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s "
                "ORDER BY ordinal_position",
                (self.schema,),
            ):
                columns.setdefault(table, []).append(column)
            check_shape({t: c for t, c in columns.items() if t in _PG_COLUMNS}, _PG_COLUMNS, where)
            if found != PG_SCHEMA_VERSION:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (%s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    (SCHEMA_KEY, str(PG_SCHEMA_VERSION)),
                )

    def _error(self, error: Exception, doing: str, *, committing: bool = False) -> RegistryStorageError:
        """The :class:`RegistryStorageError` for a psycopg error, naming the server (never the password)."""
        import psycopg

        if isinstance(error, RegistryStorageError):
            return error
        sqlstate = getattr(error, "sqlstate", None)
        detail = str(error).strip().replace("\n", " ")
        if sqlstate in _RETRY_SQLSTATES:
            return RegistryRetryError(f"{self.where}: {detail}", cause=_RETRY_SQLSTATES[sqlstate])
        if sqlstate == _CANCELED_SQLSTATE:
            cause = "statement_timeout" if "statement timeout" in detail else "canceled"
            return RegistryBusyError(f"{self.where}: the registry database is busy: {detail}", cause=cause)
        refused = sqlstate is None and "FATAL:" in detail and not any(t in detail for t in _TRANSIENT_FATAL)
        if sqlstate in _CONFIG_SQLSTATES or refused:
            return RegistryStorageError(f"{self.where}: {doing}: {detail}")
        if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
            if committing:
                return RegistryUnavailableError(
                    f"{self.where}: the connection was lost while committing, so the operation may or may not "
                    f"have been recorded: read before repeating it ({detail})",
                    outcome_unknown=True,
                )
            return RegistryUnavailableError(f"{self.where}: the registry database is unavailable: {doing} ({detail})")
        return RegistryStorageError(f"{self.where}: {doing}: {detail}")

    @contextmanager
    def transaction(self) -> Iterator[RegistryTxn]:
        import psycopg

        doing = f"no connection to the server within {self.timeout:g} s"
        committing = False
        try:
            with self._pool.connection() as conn, conn.transaction():
                doing = "the transaction failed and was rolled back"
                yield _PgTxn(conn)
                committing = True  # leaving the block commits
        except psycopg.Error as e:
            raise self._error(e, doing, committing=committing) from None

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["PG_SCHEMA_VERSION", "PostgresStore", "describe"]
