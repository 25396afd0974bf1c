"""Run the zone audit's partitions on a Dask cluster (``idncheck audit --engine dask``).

The same partition functions as the local engine (:func:`idnkit.audit.audit_partition` and
:func:`idnkit.audit.probe_partition`) run as tasks; counts and findings come back to the client
(small), while the collision keys stay on the workers and are joined by key with a Dask bag
``groupby`` (a task shuffle), so only keys shared by two or more names come back.  Every worker
must be able to read the zone file at the same path (a shared file system), see docs/scale-out.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import logging
import multiprocessing
import os
import re
import uuid
from array import array
from collections.abc import Sequence
from typing import Any

from ..errors import AuditError
from ._auditor import audit_partition, probe_partition
from ._findings import Findings
from ._model import Config, Occurrence, Partial, Partition, Row
from ._passes import repair_seams, wanted_hashes


def _keys_of(partial: Partial) -> list[tuple[str, Row]]:
    return [("zone", row) for row in partial.keys]


def _light(partial: Partial) -> Partial:
    """The partial without its keys: what the client needs for counts, findings and seams."""
    # a copy: the worker keeps the keys and hashes for the joins
    return dataclasses.replace(partial, keys=[], name_hashes=array("Q"), key_hashes=array("Q"))


def _may_hold(partial: Partial, wanted: frozenset[int], repeated: frozenset[int]) -> bool:
    return not wanted.isdisjoint(partial.key_hashes) or not repeated.isdisjoint(partial.name_hashes)


def _hashes_of(partial: Partial) -> list[int]:
    return partial.name_hashes.tolist()


def _identity(value: int) -> int:
    return value


def _repeated(group: tuple[int, list[int]]) -> bool:
    return len(group[1]) > 1


def _hits(result: tuple[list[Row], list[Occurrence]]) -> list[Row]:
    return result[0]


def _occurrences(result: tuple[list[Row], list[Occurrence]]) -> list[Occurrence]:
    return result[1]


def _tag(rows: list[Row], source: str) -> list[tuple[str, Row]]:
    return [(source, row) for row in rows]


def _group_key(item: tuple[str, Row]) -> tuple[str, str]:
    return item[1][0], item[1][1]


def _shared(group: tuple[tuple[str, str], list[tuple[str, Row]]]) -> bool:
    rows = group[1]
    return len({row[2] for _, row in rows}) > 1 and any(source == "zone" for source, _ in rows)


def run_dask(
    parts: list[Partition],
    config: Config,
    protected: Sequence[Row],
    scheduler: str | None,
    jobs: int,
    folder: str | None = None,
) -> tuple[Partial, list[Row], list[Occurrence]]:
    """Pass 1 and pass 2 on Dask: the merged partial (keys: only shared ones), the hits, the runs of
    repeated names.  Name hashes are joined like keys (a shuffle): no worker holds them all."""
    try:  # typed as Any: dask is an optional extra without complete type hints
        delayed: Any = importlib.import_module("dask").delayed
        db: Any = importlib.import_module("dask.bag")
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise ImportError("--engine dask needs the dask extra: pip install 'idnkit[dask]'") from None
    cluster: Any = None
    client: Any = None
    # the worker processes a local cluster starts are this process's children: those still there
    # once the cluster is closed (a worker stopped with SIGSTOP, or stuck starting) are killed
    before = {process.pid for process in multiprocessing.active_children() if process.pid is not None}
    reading: list[tuple[Any, int]] = []  # (future, partition index) of every partition task sent
    try:
        if scheduler:
            client = distributed.Client(scheduler)
        else:
            # A lost worker fails its task at once (no silent retry on another worker): the audit then
            # names the partition and gives no result, as the local engine does.  A remote scheduler
            # keeps its own setting; when it gives up on a task the same AuditError follows.
            # worker-saturation 1.0: a worker holds only the partition it is reading (no second one queued
            # behind it), so a worker that dies takes exactly one partition with it, and that one is named.
            settings: dict[str, Any] = {
                "distributed.scheduler.allowed-failures": 0,
                "distributed.scheduler.worker-saturation": 1.0,
            }
            if folder is not None:
                # the scheduler's and the workers' scratch space in the audit's folder, removed with it
                # (by default a dask-scratch-space folder is left in the temporary folder)
                settings["temporary-directory"] = os.path.join(folder, "dask")
            with importlib.import_module("dask").config.set(settings):
                cluster = distributed.LocalCluster(
                    n_workers=max(1, jobs),
                    threads_per_worker=1,
                    processes=jobs > 1,
                    # on a free port: 8787 may be taken, and the warning would be an error in tests
                    dashboard_address=":0",
                    # errors only: an interrupted audit's cancelled tasks would each log a warning
                    silence_logs=logging.ERROR,
                )
                client = distributed.Client(cluster)
        return _run(client, db, delayed, parts, config, protected, reading, folder)
    except distributed.KilledWorker as e:
        raise AuditError(_lost(e, parts, _failed(distributed, reading))) from None
    finally:
        _close(client, cluster, before if scheduler is None else None)


CLOSE_SECONDS = 5.0
"""How long the Dask engine waits for its client, then for its local cluster, to close, and then for
the worker processes it kills to end: an audit's clean-up takes at most about 3 × this (15 s), however
its workers are.  A worker stopped with SIGSTOP is killed by its nanny after 4 s (the nanny's own grace
period, 0.8 × its close timeout of 5 s); a worker that not even that ends is killed here."""


def _close(client: Any, cluster: Any, before: set[int] | None) -> None:
    """Close the client and the local cluster within :data:`CLOSE_SECONDS` each, then kill the worker
    processes the cluster started (children not there ``before``) that are still running.

    Interrupted or failed, the audit must not wait for good on a worker that does not answer: closing
    asks each nanny to stop its worker, which a stopped or hung worker never does."""
    for closing in (client, cluster):
        if closing is not None:
            with contextlib.suppress(Exception):  # a timeout, or a cluster that never started
                closing.close(timeout=CLOSE_SECONDS)
    if before is None:
        return  # a remote scheduler's workers are not ours to stop
    left = [process for process in multiprocessing.active_children() if process.pid not in before]
    for process in left:
        process.kill()  # SIGKILL: a stopped process ends too
    for process in left:
        process.join(CLOSE_SECONDS)


def _failed(distributed: Any, reading: list[tuple[Any, int]]) -> list[int]:
    """The partitions whose task died with the worker.  The scheduler fails every task the dead worker
    held at once, but the client hears of each in its own message: wait briefly for them to arrive."""
    futures = [future for future, _ in reading]
    with contextlib.suppress(TimeoutError):  # others still being read elsewhere: the failed ones are in
        distributed.wait(futures, timeout=2)
    return sorted({index for future, index in reading if future.status == "error"})


def _lost(error: Exception, parts: list[Partition], failed: list[int]) -> str:
    """The message for a task whose worker died, naming the partitions that died with it.  A worker
    holds one partition at a time, so that is one; the key of the failed task is the fallback."""
    found = re.search(r"idnkit-partition-[12]-[0-9a-f]+r?-(\d+)$", str(getattr(error, "task", "")))
    indexes = failed or ([int(found.group(1))] if found else [])
    spans = [
        f"bytes {parts[i].start:,}-{parts[i].end:,} (from line {parts[i].start_line})"
        for i in indexes
        if i < len(parts)
    ]
    where = f" while reading {' or '.join(spans)}" if spans else ""
    file = parts[0].file if parts else "the zone"
    return f"{file}: a Dask worker died (killed, or out of memory){where}; the audit is incomplete and gives no result"


def _run(
    client: Any,
    db: Any,
    delayed: Any,
    parts: list[Partition],
    config: Config,
    protected: Sequence[Row],
    reading: list[tuple[Any, int]],
    folder: str | None = None,
) -> tuple[Partial, list[Row], list[Occurrence]]:
    run = uuid.uuid4().hex  # task keys name the partition (for the message when a worker dies), unique per audit
    futures = client.map(
        audit_partition,
        parts,
        config=config,
        pure=False,
        key=[f"idnkit-partition-1-{run}-{i}" for i in range(len(parts))],
    )
    reading.extend(zip(futures, range(len(parts)), strict=True))
    partials: list[Partial] = []
    for light in client.map(_light, futures, pure=False):  # one at a time, in file order
        partial = light.result()
        # the findings to disk (the client's folder) as each arrives, not every partition's in memory
        spilled = Findings(folder=folder, named=True)
        spilled.take(partial.findings)
        spilled.spill()
        partial.findings = spilled
        partials.append(partial)
    redone = repair_seams(parts, partials, config)
    if redone:  # rare: a seam guessed inside a record; re-read those partitions as one, here too
        futures = client.map(
            audit_partition,
            parts,
            config=config,
            pure=False,
            key=[f"idnkit-partition-1-{run}r-{i}" for i in range(len(parts))],
        )
        reading[:] = list(zip(futures, range(len(parts)), strict=True))
    merged = Partial(end_origin=config.origin, findings=Findings(folder=folder))
    for partial in partials:
        merged.merge(partial)
    key_parts = [delayed(_keys_of)(f) for f in futures]
    wanted_rows = db.from_delayed(key_parts).map(_group_key).distinct().compute()
    wanted = frozenset(wanted_rows) | frozenset((row[0], row[1]) for row in protected)
    hash_bag = db.from_delayed([delayed(_hashes_of)(f) for f in futures])
    groups = hash_bag.groupby(_identity, shuffle="tasks").filter(_repeated).compute()
    repeated = frozenset(value for value, _ in groups)
    bags = [db.from_delayed(key_parts)]
    occurrences: list[Occurrence] = []
    if wanted or repeated:
        wanted_future, hashes_future, repeated_future = client.scatter(
            [wanted, wanted_hashes(wanted), repeated], broadcast=True
        )
        flags = client.gather(
            client.map(_may_hold, futures, wanted=hashes_future, repeated=repeated_future, pure=False)
        )
        todo = [part for part, flag in zip(parts, flags, strict=True) if flag]
        indexes = [i for i, flag in enumerate(flags) if flag]
        probes = client.map(
            probe_partition,
            todo,
            config=config,
            wanted=wanted_future,
            repeated=repeated_future,
            pure=False,
            key=[f"idnkit-partition-2-{run}-{i}" for i in indexes],
        )
        reading[:] = list(zip(probes, indexes, strict=True))  # pass 1's tasks are done: only these can die now
        bags.append(db.from_delayed([delayed(_tag)(delayed(_hits)(f), "hit") for f in probes]))
        for found in client.gather(client.map(_occurrences, probes, pure=False)):
            occurrences.extend(found)
    if protected:
        bags.append(db.from_sequence(_tag(list(protected), "against"), npartitions=1))
    groups = db.concat(bags).groupby(_group_key, shuffle="tasks").filter(_shared).compute()
    hits: list[Row] = []
    for _, rows in groups:
        for source, row in rows:
            if source == "zone":
                merged.keys.append(row)
            elif source == "hit":
                hits.append(row)
    return merged, hits, occurrences
