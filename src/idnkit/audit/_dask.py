"""Run the zone audit's partitions on a Dask cluster (``idncheck audit --engine dask``).

The same partition functions as the local engine (:func:`idnkit.audit.audit_partition` and
:func:`idnkit.audit.probe_partition`) run as tasks; counts and findings come back to the client
(small), while the collision keys stay on the workers and are joined by key with a Dask bag
``groupby`` (a task shuffle), so only keys shared by two or more names come back.  Every worker
must be able to read the zone file at the same path (a shared file system), see docs/scale-out.md.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import uuid
from array import array
from collections.abc import Sequence
from typing import Any

from ..errors import AuditError
from ._auditor import audit_partition, probe_partition
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
    parts: list[Partition], config: Config, protected: Sequence[Row], scheduler: str | None, jobs: int
) -> tuple[Partial, list[Row], list[Occurrence]]:
    """Pass 1 and pass 2 on Dask: the merged partial (keys: only shared ones), the hits, the runs of
    repeated names.  Name hashes are joined like keys (a shuffle): no worker holds them all."""
    try:  # typed as Any: dask is an optional extra without complete type hints
        delayed: Any = importlib.import_module("dask").delayed
        db: Any = importlib.import_module("dask.bag")
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise ImportError("--engine dask needs the dask extra: pip install 'idnkit[dask]'") from None
    cluster: Any = None  # dashboard on a free port: 8787 may be taken, and the warning would be an error in tests
    if scheduler:
        client = distributed.Client(scheduler)
    else:
        # A lost worker fails its task at once (no silent retry on another worker): the audit then
        # names the partition and gives no result, as the local engine does.  A remote scheduler
        # keeps its own setting; when it gives up on a task the same AuditError follows.
        with importlib.import_module("dask").config.set({"distributed.scheduler.allowed-failures": 0}):
            cluster = distributed.LocalCluster(
                n_workers=max(1, jobs), threads_per_worker=1, processes=jobs > 1, dashboard_address=":0"
            )
        client = distributed.Client(cluster)
    try:
        return _run(client, db, delayed, parts, config, protected)
    except distributed.KilledWorker as e:
        raise AuditError(_lost(e, parts)) from None
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _lost(error: Exception, parts: list[Partition]) -> str:
    """The message for a task whose worker died: the partition it was reading, when the task was one."""
    key = str(getattr(error, "task", ""))
    found = re.search(r"idnkit-partition-[12]-[0-9a-f]+r?-(\d+)$", key)
    where = ""
    if found and int(found.group(1)) < len(parts):
        part = parts[int(found.group(1))]
        where = f" while reading bytes {part.start:,}-{part.end:,} (from line {part.start_line})"
    file = parts[0].file if parts else "the zone"
    return f"{file}: a Dask worker died (killed, or out of memory){where}; the audit is incomplete and gives no result"


def _run(
    client: Any, db: Any, delayed: Any, parts: list[Partition], config: Config, protected: Sequence[Row]
) -> tuple[Partial, list[Row], list[Occurrence]]:
    run = uuid.uuid4().hex  # task keys name the partition (for the message when a worker dies), unique per audit
    futures = client.map(
        audit_partition,
        parts,
        config=config,
        pure=False,
        key=[f"idnkit-partition-1-{run}-{i}" for i in range(len(parts))],
    )
    partials: list[Partial] = client.gather(client.map(_light, futures, pure=False))
    redone = repair_seams(parts, partials, config)
    if redone:  # rare: a seam guessed inside a record; re-read those partitions as one, here too
        futures = client.map(
            audit_partition,
            parts,
            config=config,
            pure=False,
            key=[f"idnkit-partition-1-{run}r-{i}" for i in range(len(parts))],
        )
    merged = Partial(end_origin=config.origin)
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
