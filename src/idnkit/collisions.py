"""idnkit's one collision index: names that collide under some key (confusable skeleton, LGR index label...).

A :class:`CollisionIndex` is fed names (streaming, millions) and answers two questions: which
indexed names collide with this one, and of which kind (:meth:`CollisionIndex.query`); and what
are all the groups of colliding names (:meth:`CollisionIndex.groups`).  What "collide" means is
decided by *key sources*: any object with a ``kind`` string and a ``keys(u_label)`` method
(:class:`KeySource`, structural — a provider needs no import from here).  Two names collide
under a source when they share a key.  Built in:

* :class:`SkeletonKeys` — UTS #39 §4 skeleton; collisions are classified single-script,
  mixed-script or whole-script confusable (:func:`idnkit.confusables.confusable`);
* :class:`MarkFoldedKeys` — idnkit's mark-folded skeleton ("köhls" ~ "kohls"), off by default;
* ``idnkit.lgr.IndexLabelKeys(lgr)`` (the LGR module) — RFC 7940 §8.5 index labels, kind
  ``lgr-index:<name>``, collisions reported as ``lgr-variant``.

Names are stored as given; keys are computed from the Unicode form (``xn--`` labels decoded).
Pairs of two ASCII-only names (l/1/I, rn/m) are not reported unless ``ascii_pairs=True``: they
would flood any real zone.  Storage sits behind :class:`CollisionStore`, with an in-memory
backend (:class:`MemoryCollisionStore`, the default) and a SQLite one (:class:`SQLiteCollisionStore`) that a
registry keeps between runs.

>>> index = CollisionIndex()
>>> index.add_many(["paypal", "apple", "example"])
3
>>> [(c.name, c.kind) for c in index.query("раураӏ")]
[('paypal', 'whole-script')]
>>> index.add("раураӏ")
>>> [(g.key, g.names) for g in index.groups()]
[('paypal', ('paypal', 'раураӏ'))]
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .confusables import (
    _ASCII_SKELETON_TABLE,
    _ascii_skeleton_batch,
    _ascii_skeleton_bytes,
    classify,
    mark_folded_skeleton,
    skeleton,
    skeleton_keys,
)
from .errors import CollisionError, IdnkitError, InputError
from .idna._punycode import unicode_form

__all__ = [
    "Collision",
    "CollisionError",
    "CollisionGroup",
    "CollisionIndex",
    "CollisionStore",
    "KeySource",
    "MarkFoldedKeys",
    "MemoryCollisionStore",
    "SQLiteCollisionStore",
    "SkeletonKeys",
    "unicode_form",
]


@runtime_checkable
class KeySource(Protocol):
    """Anything that maps a U-label (or a whole name in Unicode form) to collision keys."""

    kind: str

    def keys(self, u_label: str) -> Iterable[str]: ...


class SkeletonKeys:
    """UTS #39 §4: the skeleton; for a name with a hidden overlay (§5.4, "gmai\u0307l") also the
    skeleton of the name it looks like, for a name with right-to-left text its bidi skeletons in
    both paragraph directions (:func:`idnkit.confusables.skeleton_keys`)."""

    kind = "skeleton"
    # The key bytes of each ASCII byte (lowercase names): the audit's native batch path uses it.
    ascii_table: tuple[bytes, ...] = _ASCII_SKELETON_TABLE

    def keys(self, u_label: str) -> tuple[str, ...]:
        return skeleton_keys(u_label)

    def ascii_key(self, name: bytes) -> bytes:
        """The one key of an ASCII name, as UTF-8 bytes (an optional fast path the zone audit uses)."""
        return _ascii_skeleton_bytes(name)

    def ascii_keys(self, names: list[bytes]) -> list[bytes]:
        """:meth:`ascii_key` of each name (ASCII, no newline) in one pass: the audit's batch fast path."""
        return _ascii_skeleton_batch(names)


class MarkFoldedKeys:
    """idnkit's mark-folded skeleton (beyond UTS #39): "köhls" collides with "kohls"."""

    kind = "mark-folded"
    ascii_table: tuple[bytes, ...] = _ASCII_SKELETON_TABLE  # ASCII has no marks to fold

    def keys(self, u_label: str) -> tuple[str]:
        return (mark_folded_skeleton(u_label),)

    def ascii_key(self, name: bytes) -> bytes:
        """As :meth:`SkeletonKeys.ascii_key`: ASCII has no marks to fold."""
        return _ascii_skeleton_bytes(name)

    def ascii_keys(self, names: list[bytes]) -> list[bytes]:
        """As :meth:`SkeletonKeys.ascii_keys`."""
        return _ascii_skeleton_batch(names)


@dataclass(frozen=True, slots=True)
class Collision:
    """Another indexed name colliding with the queried one.

    ``kind`` is ``single-script``, ``mixed-script`` or ``whole-script`` (UTS #39 §4 confusables),
    ``mark-folded`` (idnkit), ``lgr-variant`` (an LGR index label) or the source's own kind.
    """

    name: str
    kind: str
    source: str
    key: str

    @property
    def rule(self) -> str | None:
        """The catalogued rule id of a confusable collision (``docs/rules.md``); None for other sources."""
        if self.source == SkeletonKeys.kind:
            return "uts39.confusable"
        if self.source == MarkFoldedKeys.kind:
            return "uts39.mark_folded"
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "source": self.source, "key": self.key, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class CollisionGroup:
    """All indexed names sharing one key of one source (at least two)."""

    source: str
    key: str
    names: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "key": self.key, "names": list(self.names)}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(name: str) -> None:
    """A lone surrogate is not text (it cannot be stored in SQLite, nor be a label): refuse it."""
    m = _SURROGATE.search(name)
    if m is not None:
        raise InputError(
            f"{name.encode('utf-8', 'backslashreplace').decode()!r}: lone surrogate "
            f"U+{ord(m.group()):04X} at position {m.start() + 1} is not text"
        )


def _differing_labels(a: str, b: str) -> tuple[str, str]:
    """The labels where two names of as many labels differ ("раураӏ.com" vs "paypal.com" compares
    "раураӏ" with "paypal": the shared TLD must not make a whole-script pair look mixed-script)."""
    la, lb = a.split("."), b.split(".")
    if len(la) != len(lb) or len(la) == 1:
        return a, b
    pairs = [(x, y) for x, y in zip(la, lb, strict=True) if x != y]
    return ".".join(x for x, _ in pairs), ".".join(y for _, y in pairs)


def _is_ascii_name(name: str) -> bool:
    """ASCII-only in its Unicode form: plain ASCII without any xn-- label."""
    return name.isascii() and "xn--" not in name.lower()


# ---------------------------------------------------------------------------------------------
# Storage


class CollisionStore(Protocol):
    """Where an index keeps names and keys.  ``add`` may buffer; ``flush`` makes adds visible."""

    def add(self, name: str, keys: Sequence[tuple[str, str]]) -> None:
        """Store ``name`` under (kind, key) pairs; a name already stored is not stored twice."""
        ...

    def lookup(self, kind: str, key: str) -> list[str]: ...

    def groups(self, kind: str) -> Iterator[tuple[str, list[str]]]:
        """(key, names) for every key of ``kind`` held by two or more names."""
        ...

    def flush(self) -> None: ...

    def __len__(self) -> int: ...


_LARGE = 8  # a group of this many names gets a set of its names (MemoryCollisionStore._large)


class MemoryCollisionStore:
    """Names in a list, one dict per key kind: key -> name id, or a list of ids once shared.

    Most keys belong to one name, so the common value is a bare int (no list per name).
    """

    __slots__ = ("_buckets", "_large", "_names")

    def __init__(self) -> None:
        self._names: list[str] = []
        self._buckets: dict[str, dict[str, int | list[int]]] = {}
        # The names of each group of _LARGE or more (few): the duplicate check of a new name stays
        # O(1) instead of a scan of the group, which made a big group (2**n ASCII spellings of
        # "l"/"1") quadratic to load.
        self._large: dict[tuple[str, str], set[str]] = {}

    def _holds(self, kind: str, key: str, held: list[int], name: str) -> bool:
        """Whether the group ``held`` of (kind, key) already holds ``name``."""
        if len(held) < _LARGE:
            return any(self._names[i] == name for i in held)
        members = self._large.get((kind, key))
        if members is None:
            members = self._large[(kind, key)] = {self._names[i] for i in held}
        return name in members

    def _join(self, kind: str, key: str, held: list[int], name: str, new_id: int) -> None:
        held.append(new_id)
        members = self._large.get((kind, key))
        if members is not None:
            members.add(name)

    def add(self, name: str, keys: Sequence[tuple[str, str]]) -> None:
        names = self._names
        new_id = len(names)
        for position, (kind, key) in enumerate(keys):
            bucket = self._buckets.get(kind)
            if bucket is None:
                bucket = self._buckets[kind] = {}
            held = bucket.get(key)
            if held is None:
                bucket[key] = new_id
            elif isinstance(held, int):
                if position == 0 and names[held] == name:
                    return  # the same name again: its first key already holds it
                bucket[key] = [held, new_id]
            else:
                if position == 0 and self._holds(kind, key, held, name):
                    return
                self._join(kind, key, held, name, new_id)
        names.append(name)

    def _add_skeletons(self, names: Iterable[str]) -> int:
        """``add(name, [("skeleton", skeleton(name))])`` for a stream, inlined: the zone-load hot path.

        Same results as :meth:`add` (a test holds them together); returns how many names were read.
        """
        kind = SkeletonKeys.kind
        bucket = self._buckets.setdefault(kind, {})
        get = bucket.get
        stored = self._names
        append = stored.append
        count = 0
        for count, name in enumerate(names, 1):  # noqa: B007
            if name.isascii() and "xn--" not in name:
                key = skeleton(name)
                if key == name:
                    key = name  # share the string: an unchanged ASCII key costs nothing
            else:
                _refuse_surrogates(name)
                keys = skeleton_keys(unicode_form(name))
                if len(keys) > 1:  # a hidden overlay (§5.4), right-to-left text (§4 bidi): the general path
                    self.add(name, [(kind, k) for k in keys])
                    continue
                key = keys[0]
            held = get(key)
            if held is None:
                bucket[key] = len(stored)
            elif isinstance(held, int):
                if stored[held] == name:
                    continue
                bucket[key] = [held, len(stored)]
            else:
                if self._holds(kind, key, held, name):
                    continue
                self._join(kind, key, held, name, len(stored))
            append(name)
        return count

    def lookup(self, kind: str, key: str) -> list[str]:
        held = self._buckets.get(kind, {}).get(key)
        if held is None:
            return []
        if isinstance(held, int):
            return [self._names[held]]
        return [self._names[i] for i in held]

    def groups(self, kind: str) -> Iterator[tuple[str, list[str]]]:
        names = self._names
        for key, held in self._buckets.get(kind, {}).items():
            if isinstance(held, list):
                yield key, [names[i] for i in held]

    def flush(self) -> None:
        pass

    def __len__(self) -> int:
        return len(self._names)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS keys (
    kind TEXT NOT NULL, key TEXT NOT NULL, name_id INTEGER NOT NULL REFERENCES names(id),
    PRIMARY KEY (kind, key, name_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_SCHEMA_VERSION = "idnkit.collisions/1"


class SQLiteCollisionStore:
    """SQLite backend (stdlib ``sqlite3``): WAL journal, (kind, key) primary-key index, batched inserts.

    Adding the same name again is harmless (names are unique), so a registry can re-feed its
    zone into a kept file.  Call :meth:`close` (or use ``with``) to write the last batch.
    """

    def __init__(self, path: str | Path, *, batch: int = 20_000) -> None:
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (_SCHEMA_VERSION,))
                self._db.commit()
            elif row[0] != _SCHEMA_VERSION:
                raise CollisionError(f"{self.path}: collision store schema {row[0]!r}, expected {_SCHEMA_VERSION!r}")
        except sqlite3.DatabaseError as e:
            raise CollisionError(f"{self.path}: not a usable collision store ({e})") from e
        self._batch = batch
        self._names: list[tuple[str]] = []
        self._keys: list[tuple[str, str, str]] = []

    def add(self, name: str, keys: Sequence[tuple[str, str]]) -> None:
        self._names.append((name,))
        self._keys.extend((kind, key, name) for kind, key in keys)
        if len(self._names) >= self._batch:
            self.flush()

    def flush(self) -> None:
        if not self._names:
            return
        with self._db:
            self._db.executemany("INSERT OR IGNORE INTO names(name) VALUES (?)", self._names)
            self._db.executemany(
                "INSERT OR IGNORE INTO keys(kind, key, name_id) SELECT ?, ?, id FROM names WHERE name = ?", self._keys
            )
        self._names.clear()
        self._keys.clear()

    def lookup(self, kind: str, key: str) -> list[str]:
        self.flush()
        rows = self._db.execute(
            "SELECT names.name FROM keys JOIN names ON names.id = keys.name_id "
            "WHERE keys.kind = ? AND keys.key = ? ORDER BY names.id",
            (kind, key),
        )
        return [r[0] for r in rows]

    def groups(self, kind: str) -> Iterator[tuple[str, list[str]]]:
        self.flush()
        rows = self._db.execute(
            "SELECT k.key, n.name FROM keys k JOIN names n ON n.id = k.name_id WHERE k.kind = ? AND k.key IN "
            "(SELECT key FROM keys WHERE kind = ? GROUP BY key HAVING COUNT(*) > 1) ORDER BY k.key, n.id",
            (kind, kind),
        )
        current: str | None = None
        members: list[str] = []
        for key, name in rows:
            if key != current:
                if current is not None:
                    yield current, members
                current, members = key, []
            members.append(name)
        if current is not None:
            yield current, members

    def __len__(self) -> int:
        self.flush()
        count: int = self._db.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        return count

    def close(self) -> None:
        self.flush()
        self._db.close()


# ---------------------------------------------------------------------------------------------
# The index


def _default_sources() -> tuple[KeySource, ...]:
    return (SkeletonKeys(),)


class CollisionIndex:
    """Names indexed by the keys of one or more key sources (default: the UTS #39 skeleton).

    ``mark_folded=True`` adds :class:`MarkFoldedKeys`; ``sources`` replaces the default list
    (e.g. ``[SkeletonKeys(), lgr.IndexLabelKeys(table)]``).  ``ascii_pairs=True`` also reports
    collisions between two ASCII-only names.
    """

    def __init__(
        self,
        store: CollisionStore | None = None,
        *,
        sources: Iterable[KeySource] | None = None,
        mark_folded: bool = False,
        ascii_pairs: bool = False,
    ) -> None:
        self.store: CollisionStore = MemoryCollisionStore() if store is None else store
        chosen = list(_default_sources() if sources is None else sources)
        if mark_folded and not any(s.kind == MarkFoldedKeys.kind for s in chosen):
            chosen.append(MarkFoldedKeys())
        kinds = [s.kind for s in chosen]
        if not chosen or len(set(kinds)) != len(kinds):
            raise CollisionError(f"key sources must be one or more, of distinct kinds: {kinds}")
        self.sources: tuple[KeySource, ...] = tuple(chosen)
        self.ascii_pairs = ascii_pairs
        # Names a source could not key (an LGR's index label is undefined outside its repertoire,
        # RFC 7940 §8.5): counted per source kind, never dropped silently.
        self.unkeyed: dict[str, int] = {}

    def _keys(self, name: str) -> list[tuple[str, str]]:
        if not name.isascii():
            _refuse_surrogates(name)
        u = unicode_form(name)
        out: list[tuple[str, str]] = []
        for source in self.sources:
            try:
                out.extend((source.kind, key) for key in source.keys(u))
            except IdnkitError:
                self.unkeyed[source.kind] = self.unkeyed.get(source.kind, 0) + 1
        return out

    def add(self, name: str) -> None:
        """Index one name (a name already indexed is ignored)."""
        self.store.add(name, self._keys(name))

    def add_many(self, names: Iterable[str]) -> int:
        """Index a stream of names; returns how many were read.  The hot path of a zone load."""
        store_add = self.store.add
        count = 0
        skeleton_only = len(self.sources) == 1 and type(self.sources[0]) is SkeletonKeys
        if skeleton_only and type(self.store) is MemoryCollisionStore:
            return self.store._add_skeletons(names)
        if skeleton_only:
            kind = SkeletonKeys.kind
            for count, name in enumerate(names, 1):  # noqa: B007
                if name.isascii() and "xn--" not in name:
                    u = name
                    key = skeleton(u)
                else:
                    _refuse_surrogates(name)
                    u = unicode_form(name)
                    several = skeleton_keys(u)
                    if len(several) > 1:  # a hidden overlay (§5.4) or right-to-left text (§4 bidi)
                        store_add(name, [(kind, k) for k in several])
                        continue
                    key = several[0]
                store_add(name, ((kind, u if key == u else key),))  # share the string: less memory
            self.store.flush()
            return count
        keys = self._keys
        for count, name in enumerate(names, 1):  # noqa: B007
            store_add(name, keys(name))
        self.store.flush()
        return count

    def _kind(self, source: str, name: str, other: str) -> str:
        if source == SkeletonKeys.kind:
            return classify(*_differing_labels(unicode_form(name), unicode_form(other))).value
        if source.startswith("lgr-index"):
            return "lgr-variant"
        return source

    def query(self, name: str) -> list[Collision]:
        """Every indexed name colliding with ``name`` (itself excluded), strongest source first.

        A name found by several sources is reported once, under the first source that finds it.
        """
        ascii_query = _is_ascii_name(name)
        seen = {name}
        out: list[Collision] = []
        for kind, key in self._keys(name):
            for other in self.store.lookup(kind, key):
                if other in seen:
                    continue
                seen.add(other)
                if ascii_query and not self.ascii_pairs and _is_ascii_name(other):
                    continue
                out.append(Collision(other, self._kind(kind, name, other), kind, key))
        return out

    def groups(self, source: str | None = None) -> Iterator[CollisionGroup]:
        """Every group of two or more names sharing a key (of ``source``, or of every source in turn).

        Groups made only of ASCII-only names are left out unless ``ascii_pairs``.
        """
        kinds = [s.kind for s in self.sources] if source is None else [source]
        for kind in kinds:
            for key, names in self.store.groups(kind):
                if self.ascii_pairs or not all(_is_ascii_name(n) for n in names):
                    yield CollisionGroup(kind, key, tuple(names))

    def __len__(self) -> int:
        return len(self.store)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return any(name in self.store.lookup(kind, key) for kind, key in self._keys(name))
