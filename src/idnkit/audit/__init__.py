"""Audit a whole zone: check every owner name, classify it, find collisions, account for everything.

>>> import io
>>> zone = "bücher NS ns.example.\\nxn--bcher-kva NS ns\\nbad-.x NS ns\\n_dmarc TXT v\\n".encode()
>>> result = audit_zone(io.BytesIO(zone), origin="de")
>>> result.names, result.valid, result.invalid, result.unreadable
(4, 3, 1, 0)
>>> [(f.name, f.rule) for f in result.findings]
[('bad-.x.de.', 'rfc5891.hyphen_end')]

The work is cut into *partitions*: byte ranges of the file, aligned to line starts, each read
with the origin in effect at its first byte (found by a cheap pre-scan of the ``$`` directives).
A partition returns a mergeable :class:`Partial` (counts, findings in file order, collision keys
of its IDN names); partials are merged in file order, so the result is the same whether the
partitions ran in one process, in ``jobs`` processes or on a Dask cluster.  Collisions take two
passes: the first collects the keys of every IDN name; the second probes the other names against
them, so an ASCII name read before the IDN it collides with is found too.  A name whose records are
split across the file is one name: pass 1 counts each owner run, and the runs of names met more than
once (found by hashes kept on disk) are counted again as one.  Memory grows with the number of IDN
names and split names, not with the size of the zone (docs/scale-out.md); findings past 8,192 are
kept on disk and read back a block at a time (:class:`Findings`).
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from .._version import __version__
from ..collisions import KeySource
from ..errors import AuditError
from ..unicode import UNICODE_VERSION
from ..zone import GZIP_MAGIC, parse_origin
from ._findings import Findings
from ._keys import FoldKeys, default_key_sources
from ._model import (
    CLASSES,
    AuditFinding,
    AuditResult,
    Check,
    CollisionGroup,
    Config,
    Occurrence,
    Partial,
    ProgressCallback,
    Row,
)
from ._partition import MAX_RATIO, MAX_SPOOL_BYTES, PARTITION_BYTES, _plan_lines, plan, spool
from ._passes import (
    PoolStarter,
    _executor,
    against_keys,
    collisions,
    merge_repeated_names,
    mp_tempdir,
    pass_two,
    run_partitions,
    wanted_keys,
)
from ._workdir import RunFolder

__all__ = [
    "CLASSES",
    "AuditError",
    "AuditFinding",
    "AuditResult",
    "Check",
    "CollisionGroup",
    "Findings",
    "FoldKeys",
    "KeySource",
    "Partial",
    "ProgressCallback",
    "audit_zone",
    "default_jobs",
    "jobs_for_size",
]


def audit_zone(
    source: str | os.PathLike[str] | IO[bytes],
    origin: str = ".",
    *,
    jobs: int | None = 1,
    key_sources: Sequence[KeySource] | None = None,
    checks: Sequence[Check] = (),
    against: str | os.PathLike[str] | None = None,
    allow_include: bool = False,
    names_list: bool = False,
    partition_bytes: int = PARTITION_BYTES,
    progress: ProgressCallback | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    max_bytes: int = MAX_SPOOL_BYTES,
    max_ratio: float = MAX_RATIO,
) -> AuditResult:
    """Audit a zone file (path, gzip file or binary stream) or, with ``names_list``, a list of names.

    ``key_sources`` default to :func:`idnkit._audit_keys.default_key_sources`; ``checks`` run on
    IDN names that pass IDNA2008; ``against`` is a protected list to find look-alikes of.  The
    result does not depend on ``jobs`` (``None``: :func:`default_jobs`) or ``engine`` (``"local"`` or ``"dask"``).  With
    ``allow_include``, ``$INCLUDE`` is resolved against (and confined to) the folder of a zone given
    by path, gzip or not; a stream (stdin) has no folder, and its ``$INCLUDE`` lines are refused.
    A stream or gzip file is spooled to the temporary folder; ``max_bytes`` bounds what it may
    decompress to and ``max_ratio`` the gzip expansion (a :class:`ZoneError` past either, checked
    while reading, before the block is written).
    """
    origin_bytes = parse_origin(origin)
    sources = tuple(default_key_sources() if key_sources is None else key_sources)
    include_dir = str(Path(source).resolve().parent) if isinstance(source, str | os.PathLike) else None
    config = Config(origin_bytes, sources, tuple(checks), allow_include, names_list, include_dir)
    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r} (local or dask)")
    choose_jobs = jobs is None
    jobs = 1 if jobs is None else jobs  # chosen below once the size of what is audited is known
    try:
        # one folder per run, locked while the run lives; made after removing the folders of runs
        # killed outright (SIGKILL: nothing could clean up), whose locks are free (._workdir)
        workdir = RunFolder()
    except OSError as e:
        raise AuditError(f"cannot find a temporary folder: {e.strerror or e}") from None
    pool: PoolStarter | None = None
    with workdir as tmpdir:
        # workers write their findings past the in-memory bound here; a Dask worker on another machine
        # cannot, and keeps its partition's findings in memory
        if engine == "local" or scheduler is None:
            config = dataclasses.replace(config, spill_dir=tmpdir)
        try:
            spooled = None
            if choose_jobs:
                # A stream or gzip file is sized only once spooled (a plain file is not copied): the
                # pool then starts after the copy, not during it, but never for a small zone.
                spooled = spool(source, tmpdir, max_bytes=max_bytes, max_ratio=max_ratio)
                jobs = jobs_for_size(os.path.getsize(spooled[0]))
            # workers know the folder: if this process is killed outright, they remove it as they go
            if engine == "local" and jobs > 1 and (mp := mp_tempdir()) is not None:
                workdir.record_mp_tempdir(mp)  # killed with its workers, the run leaves that folder too
            # the pool starts in a thread while this one spools and plans (_passes.PoolStarter)
            pool = PoolStarter(_executor, jobs, tmpdir) if engine == "local" else None
            merged, hits, occurrences, protected, file = _audit_passes(
                source,
                config,
                jobs,
                partition_bytes,
                against,
                progress,
                engine,
                scheduler,
                pool,
                tmpdir,
                (max_bytes, max_ratio),
                spooled,
            )
        except BaseException:
            # interrupted (KeyboardInterrupt, or SIGTERM/SIGHUP made one by the CLI) or failed: the
            # workers are killed, not waited for, before the temporary folder is removed
            if pool is not None:
                pool.abandon()  # after the pool's start has ended: every worker is known
                pool = None
            raise
        finally:
            if pool is not None:
                pool.shutdown()
        # in the folder still: rewriting the findings of split names may write them again; the
        # result's findings file has no name, and outlives the folder
        merge_repeated_names(merged, occurrences, config, file)
    groups = collisions(merged, hits, protected)
    return AuditResult(
        file=file,
        origin=origin_bytes.decode("utf-8", "backslashreplace"),
        names=merged.names,
        valid=merged.valid,
        invalid=merged.invalid,
        unreadable=merged.unreadable,
        idn=merged.idn,
        classes={c: merged.classes[c] for c in CLASSES if merged.classes[c]},
        scripts=dict(sorted(merged.scripts.items(), key=lambda kv: (-kv[1], kv[0]))),
        idn_classes={c: merged.idn_classes[c] for c in CLASSES if merged.idn_classes[c]},
        rules=dict(sorted(merged.rules.items(), key=lambda kv: (-kv[1], kv[0]))),
        findings=merged.findings,
        collisions=groups,
        key_kinds=tuple(s.kind for s in sources),
        provenance={
            "idnkit": __version__,
            "unicode": UNICODE_VERSION,
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "checks": [check.id for check in checks],
            "against": os.fspath(against) if against is not None else None,
            "names_list": names_list,
            "allow_include": allow_include,
        },
    )


PARTS_PER_JOB = 4
"""Partitions per job at least, with a pool (``jobs > 1``): see :func:`_audit_passes`."""

SMALL_INPUT = 16 << 20
"""Below this size on disk one process audits a file faster than several: starting a worker (an
interpreter and the import of idnkit, about 0.35 s) costs more than it saves (`bench/bench_audit.py`)."""


def jobs_for_size(size: int) -> int:
    """The job count ``jobs=None`` means for ``size`` bytes to audit (a stream or gzip file as spooled)."""
    return 1 if size < SMALL_INPUT else (os.cpu_count() or 1)


def default_jobs(source: str | os.PathLike[str] | IO[bytes]) -> int:
    """An estimate, before reading, of the job count ``jobs=None`` means: one for a small file, every
    core for a large one or a stream.  :func:`audit_zone` itself decides by :func:`jobs_for_size`
    once a stream or gzip file is spooled and its size is known."""
    cores = os.cpu_count() or 1
    if isinstance(source, str | os.PathLike):
        try:
            size = os.path.getsize(source)
            with open(source, "rb") as f:
                if f.read(2) == GZIP_MAGIC:
                    size *= 8  # a zone compresses about 5-10 times
        except OSError:
            return 1  # the audit itself reports the unreadable file
        return 1 if size < SMALL_INPUT else cores
    return cores


def _audit_passes(
    source: str | os.PathLike[str] | IO[bytes],
    config: Config,
    jobs: int,
    partition_bytes: int,
    against: str | os.PathLike[str] | None,
    progress: ProgressCallback | None,
    engine: str,
    scheduler: str | None,
    pool: PoolStarter | None,
    tmpdir: str,
    limits: tuple[int, float] = (MAX_SPOOL_BYTES, MAX_RATIO),
    spooled: tuple[str, str] | None = None,
) -> tuple[Partial, list[Row], list[Occurrence], list[Row], str]:
    """Both passes of :func:`audit_zone` (partials merged, pass 2's hits and runs of repeated names)."""
    origin_bytes, sources, names_list = config.origin, config.key_sources, config.names_list
    path, file = spooled or spool(source, tmpdir, max_bytes=limits[0], max_ratio=limits[1])
    size = os.path.getsize(path)
    # With a pool, a few partitions per worker: workers take the next as they finish, so one left
    # running alone at the end is short (3 partitions of 29 MB on 2 workers kept one idle a third
    # of the time); with one job, as few as ``partition_bytes`` allows.
    parts_wanted = max(-(-size // partition_bytes), PARTS_PER_JOB * jobs if jobs > 1 else 1)
    if names_list:
        parts = _plan_lines(path, file, origin_bytes, parts_wanted)
    else:
        parts = plan(path, file, origin_bytes, parts_wanted)
    protected = against_keys(against, sources, origin_bytes) if against is not None else []
    if engine == "dask":
        from ._dask import run_dask

        merged, hits, occurrences = run_dask(parts, config, protected, scheduler, jobs, tmpdir)
        return merged, hits, occurrences, protected, file
    spill = os.path.join(tmpdir, "hashes")
    os.mkdir(spill)
    executor = pool.get() if pool is not None else None
    parts, merged, repeated, files, holders = run_partitions(parts, config, executor, spill, progress, jobs)
    wanted = wanted_keys(merged.keys, protected)
    hits, occurrences = pass_two(parts, files, config, wanted, repeated, executor, holders, tmpdir)
    return merged, hits, occurrences, protected, file
