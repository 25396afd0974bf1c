"""An on-disk cache of compiled LGR tables, so a second ``lgr.load`` skips the XML parse and the repertoire.

A fresh load of rz5/chinese (3.5 MB of XML, 19,765 ``char`` and 31,827 ``var`` elements) parses for
about 0.4 s; building its 51,592 model objects again from cached tuples cost 0.15 s more.  An entry
therefore keeps, as :mod:`marshal` data, the document without its elements, what the one pass over
the repertoire (``_repertoire.scan``) derived from them, and each element as a record of its own,
which :class:`~idnkit.lgr._repertoire.Packed` decodes the first time a label reaches it.  Classes and
rules compile afresh on every load (a few ms; the same checks and bounds as a fresh load, bounds.md).

Where: ``$IDNKIT_CACHE_DIR/lgr``, else ``$XDG_CACHE_HOME/idnkit/lgr``, else ``~/.cache/idnkit/lgr``;
``IDNKIT_NO_CACHE`` (any non-empty value but ``0``) or ``load(..., cache=False)`` turns it off.

What makes an entry trustworthy:

* Its name is the key: sha256 of the table's bytes, idnkit's version, :data:`FORMAT`, the byte order,
  the field names of every model class and the source of the parser, model, repertoire scan and this
  module.  A changed table, a new release or an edited parser reads another file; stale entries are
  never read, only left behind (safe to delete).
* Its content is plain data only: tuples, ints, strs, bytes, bools, None and frozensets.  Unlike
  pickle, loading marshal data runs no code.  The header repeats the key, and a sha256 of the whole
  payload (element records included) is checked before any of it is used, so a truncated or damaged
  file is refused whole, never half used.  The layout (counts, offsets, positions) is checked too.
* It is read only if it is a regular file owned by the current user and writable by nobody else
  (marshal is not hardened against hostile bytes: another user's file is never handed to it).
* It is written to a temporary file in the same folder and renamed over (``os.replace``), so a reader
  sees a whole entry or none; the folder is created ``0700`` and the file ``0600``.  It is written
  only after the table compiled: a document the compiler refuses leaves no entry.

Any failure (a missing, foreign, damaged or refused entry, an unwritable folder) means a fresh parse:
never a crash, never another answer.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import itertools
import marshal
import os
import stat
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .._version import __version__
from . import _repertoire
from ._evaluate import Lgr
from ._model import Action, Char, ClassNode, Document, Meta, Reference, RuleNode, Var
from ._parser import parse_bytes

#: Bumped whenever the encoding below changes shape.  2: a compiled table with element records.
FORMAT = 2

MAGIC = b"idnkit-lgr-cache\n"
_DIGEST = 32  # sha256 of the payload, after MAGIC
SUFFIX = ".lgrc"

#: marshal's format 4 (Python 3.4+) shares repeated objects; fixed so the bytes do not follow the
#: interpreter's default.
_MARSHAL_VERSION = 4

_MODEL = (Reference, Meta, Var, Char, ClassNode, RuleNode, Action, Document)

#: The array type of offsets and positions: 4-byte unsigned, in this machine's byte order (which the
#: key names, so an entry copied to a machine of the other order is never read there).
_ARRAY = next(c for c in "IL" if array(c).itemsize == 4)


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


# -- where ---------------------------------------------------------------------------------------------


def disabled() -> bool:
    """``IDNKIT_NO_CACHE`` set to anything but empty or ``0``."""
    return os.environ.get("IDNKIT_NO_CACHE", "") not in ("", "0")


def cache_dir() -> Path | None:
    """The folder of LGR cache entries (it may not exist yet); None when there is no home to put it in."""
    base = os.environ.get("IDNKIT_CACHE_DIR")
    if base:
        return Path(base) / "lgr"
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG base directory spec: a relative path is to be ignored
        return Path(xdg) / "idnkit" / "lgr"
    try:
        return Path.home() / ".cache" / "idnkit" / "lgr"
    except RuntimeError:  # no HOME and no password entry
        return None


@functools.cache
def _code_fingerprint() -> bytes:
    """What, besides the table's bytes, decides the document a parse gives."""
    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.byteorder}\0".encode())
    for cls in _MODEL:
        h.update(f"{cls.__name__}:{','.join(_names(cls))}\0".encode())
    here = Path(__file__).parent
    for name in ("_parser.py", "_model.py", "_repertoire.py", "_cache.py"):
        try:
            h.update((here / name).read_bytes())
        except OSError:  # no sources beside the bytecode (a frozen build): the version and FORMAT decide
            h.update(name.encode())
    return h.digest()


def key(data: bytes) -> str:
    """The cache key of a table's bytes under this idnkit: hex sha256."""
    return hashlib.sha256(_code_fingerprint() + hashlib.sha256(data).digest()).hexdigest()


# -- encoding: the model as nested tuples of plain values -------------------------------------------------


def _plain(obj: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(obj, n) for n in names)


_REF, _META, _VAR, _CHAR, _CLASS, _RULE, _ACTION = (_names(c) for c in _MODEL[:-1])


def _enc_class(c: ClassNode) -> tuple[Any, ...]:
    return tuple(tuple(map(_enc_class, c.children)) if n == "children" else getattr(c, n) for n in _CLASS)


def _enc_rule(r: RuleNode) -> tuple[Any, ...]:
    def one(n: str) -> Any:
        if n == "children":
            return tuple(map(_enc_rule, r.children))
        if n == "cls":
            return None if r.cls is None else _enc_class(r.cls)
        return getattr(r, n)

    return tuple(one(n) for n in _RULE)


def _enc_char(c: Char) -> tuple[Any, ...]:
    return tuple(tuple(_plain(v, _VAR) for v in c.variants) if n == "variants" else getattr(c, n) for n in _CHAR)


def _enc_meta(m: Meta) -> tuple[Any, ...]:
    return tuple(tuple(_plain(r, _REF) for r in m.references) if n == "references" else getattr(m, n) for n in _META)


def _records(doc: Document) -> tuple[bytes, array[int]]:
    """Each element as its own marshal record (decoded alone, on first use), and where each starts."""
    offsets = array(_ARRAY, [0])
    parts = []
    pos = 0
    for ch in doc.chars:
        rec = marshal.dumps(_enc_char(ch), _MARSHAL_VERSION)
        parts.append(rec)
        pos += len(rec)
        offsets.append(pos)
    return b"".join(parts), offsets


def encode(table: Lgr) -> tuple[Any, ...]:
    """A compiled table as plain data: its document without ``source`` (the same bytes may be read from
    another path) nor elements, its repertoire (``_repertoire.Repertoire``), the element records."""
    doc, rep = table.document, table._rep
    position = {id(ch): i for i, ch in enumerate(doc.chars)}
    firsts = array(_ARRAY, sorted(rep.index))
    starts, members = array(_ARRAY, [0]), array(_ARRAY)
    for cp in firsts:
        members.extend(position[id(ch)] for ch in rep.index[cp])
        starts.append(len(members))
    blob, offsets = _records(doc)
    head = (
        _enc_meta(doc.meta),
        tuple(map(_enc_class, doc.classes)),
        tuple(map(_enc_rule, doc.rules)),
        tuple(_plain(a, _ACTION) for a in doc.actions),
        doc.problems,
        len(doc.chars),
    )
    scanned = (
        tuple(rep.tags.items()),
        "".join(sorted(rep.simple)),
        tuple(sorted(rep.in_sequences)),
        rep.has_conditional,
        rep.conditional,
        rep.anchor_width,
        rep.context_refs,
        tuple(position[id(ch)] for ch in rep.duplicates),
    )
    layout = (firsts.tobytes(), starts.tobytes(), members.tobytes(), offsets.tobytes(), blob)
    return head, scanned, layout


# Decoding trusts the shape of the value (the digest and the owner check stand behind it): a value
# of another shape fails to unpack or to construct, or the layout checks refuse it, and the entry is
# ignored.  The leaves are not type-checked one by one: marshal builds no object that runs code when
# loaded, and only this module, under the same key, writes entries.


def _dec_class(t: tuple[Any, ...]) -> ClassNode:
    i = _CLASS.index("children")
    args = list(t)
    args[i] = tuple(map(_dec_class, t[i]))
    return ClassNode(*args)


def _dec_rule(t: tuple[Any, ...]) -> RuleNode:
    values = dict(zip(_RULE, t, strict=True))
    values["children"] = tuple(map(_dec_rule, values["children"]))
    if values["cls"] is not None:
        values["cls"] = _dec_class(values["cls"])
    return RuleNode(**values)


def _char_decoder() -> Callable[[tuple[Any, ...]], Char]:
    i = _CHAR.index("variants")

    def dec(t: tuple[Any, ...]) -> Char:
        vs = t[i]
        if not vs:
            return Char(*t)  # no variants: () as stored
        args = list(t)
        args[i] = tuple([Var(*v) for v in vs])
        return Char(*args)

    return dec


_dec_char = _char_decoder()


def _array(data: bytes) -> array[int]:
    if not isinstance(data, bytes):
        raise TypeError("not bytes")
    out = array(_ARRAY)
    out.frombytes(data)  # ValueError unless a whole number of items
    return out


def _ascending(a: array[int], strict: bool) -> bool:
    pairs = itertools.pairwise(a)
    return all(x < y for x, y in pairs) if strict else all(x <= y for x, y in pairs)


class _Records:
    """Element ``i`` of an entry, decoded from its record.  A class, not a closure: a table from the
    cache pickles (the audit sends its checks, LGR tables included, to worker processes)."""

    __slots__ = ("blob", "offsets")

    def __init__(self, blob: bytes, offsets: array[int]) -> None:
        self.blob, self.offsets = blob, offsets

    def __call__(self, i: int) -> Char:
        return _dec_char(marshal.loads(self.blob[self.offsets[i] : self.offsets[i + 1]]))


def decode(value: Any, source: str, name: str | None) -> Lgr:
    """The inverse of :func:`encode`, compiled; raises (TypeError, ValueError, ...) on another shape."""
    head, scanned, layout = value
    meta_t, classes_t, rules_t, actions_t, problems, n = head
    tags, simple, in_sequences, has_conditional, conditional, anchor_width, context_refs, dups = scanned
    firsts, starts, members, offsets = map(_array, layout[:4])
    blob = layout[4]
    if not (
        isinstance(n, int)
        and isinstance(blob, bytes)
        and isinstance(simple, str)
        and len(layout) == 5
        and len(offsets) == n + 1
        and offsets[0] == 0
        and offsets[-1] == len(blob)
        and _ascending(offsets, strict=False)
        and len(starts) == len(firsts) + 1
        and starts[0] == 0
        and starts[-1] == len(members)
        and _ascending(starts, strict=False)
        and _ascending(firsts, strict=True)
        and (not members or max(members) < n)
        and all(isinstance(i, int) and 0 <= i < n for i in dups)
    ):
        raise ValueError("not the layout of an entry")
    i = _META.index("references")
    meta_args = list(meta_t)
    meta_args[i] = tuple(Reference(*r) for r in meta_t[i])
    shell = Document(
        source,
        Meta(*meta_args),
        (),
        tuple(map(_dec_class, classes_t)),
        tuple(map(_dec_rule, rules_t)),
        tuple(Action(*a) for a in actions_t),
        tuple(tuple(p) for p in problems),
    )
    packed = _repertoire.Packed(n, _Records(blob, offsets), firsts, starts, members)
    index = _repertoire.LazyIndex(packed)
    rep = _repertoire.Repertoire(
        _repertoire.LazyChars(packed, index),
        index,
        [packed.char(i) for i in dups],
        {t: tuple(map(tuple, r)) for t, r in tags},
        tuple(map(tuple, context_refs)),
        frozenset(simple),
        frozenset(in_sequences),
        bool(has_conditional),
        tuple(map(tuple, conditional)),
        int(anchor_width),
    )
    return Lgr._restore(shell, rep, name, packed.all_chars)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (and back on after it, if it was on).

    Loading a table allocates a few hundred thousand tuples and model objects, none of them garbage
    yet; every 700 of them the collector walks the young ones and ever more often all of them.  Paused,
    a cache hit of rz5/chinese reads its entry in a third of the time (bench/README.md).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# -- files ---------------------------------------------------------------------------------------------


def _trusted(st: os.stat_result) -> bool:
    if not stat.S_ISREG(st.st_mode) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def read(path: Path, k: str, source: str, name: str | None = None) -> Lgr | None:
    """The cached table at ``path`` for key ``k``, or None when absent, foreign, damaged or refused."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            if not _trusted(os.fstat(f.fileno())):
                return None
            blob = f.read()
    except OSError:
        return None
    head = len(MAGIC) + _DIGEST
    if blob[: len(MAGIC)] != MAGIC or len(blob) <= head:
        return None
    payload = blob[head:]
    if hashlib.sha256(payload).digest() != blob[len(MAGIC) : head]:
        return None
    try:
        value = marshal.loads(payload)
        if not isinstance(value, tuple) or len(value) != 3 or value[:2] != (FORMAT, k):
            return None
        return decode(value[2], source, name)
    except Exception:  # any shape but ours (EOFError, ValueError, TypeError, ...): parse afresh
        return None


def write(path: Path, k: str, table: Lgr) -> bool:
    """Store ``table`` under key ``k`` atomically; False (and nothing left behind) when it cannot."""
    try:
        payload = marshal.dumps((FORMAT, k, encode(table)), _MARSHAL_VERSION)
    except ValueError:  # a value marshal cannot write: nothing to cache
        return False
    tmp: str | None = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=path.parent)  # mode 0600
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def load_cached(data: bytes, source: str, name: str | None, cache: bool = True) -> Lgr:
    """``Lgr(parse_bytes(data, source), name)``, through the cache unless ``cache`` is False or it is disabled."""
    folder = None if not cache or disabled() else cache_dir()
    if folder is None:
        return Lgr(parse_bytes(data, source), name)
    k = key(data)
    path = folder / f"{k}{SUFFIX}"
    table = read(path, k, source, name)
    if table is None:
        table = Lgr(parse_bytes(data, source), name)  # a parse or compile error propagates, caching nothing
        write(path, k, table)
    return table
