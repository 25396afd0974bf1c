"""The audit's engine on one machine: partitions in processes, merged in file order, then pass 2.

Hash files on disk find the names split across the file and the partitions pass 2 must re-read;
collision keys are joined into groups at the end.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import os
import pickle
import shutil
import signal
import tempfile
import threading
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from multiprocessing.context import BaseContext
from typing import TypeVar

from ..collisions import KeySource
from ..errors import AuditError
from ..idna._labels import check_domain
from ._auditor import _hashes, audit_partition, name_delta, probe_partition
from ._findings import Findings
from ._model import AuditFinding, CollisionGroup, Config, Occurrence, Partial, Partition, ProgressCallback, Row

T = TypeVar("T")


def _executor(jobs: int, tmpdir: str | None = None) -> Executor | None:
    """A pool of ``jobs`` processes, started now: their start (an interpreter, the import of idnkit,
    ~0.35 s) overlaps the client's pre-scan instead of following it."""
    if jobs <= 1:
        return None
    context: BaseContext
    if os.name == "posix":
        forkserver = get_context("forkserver")
        forkserver.set_forkserver_preload([__name__])  # imported once in the fork server, not in each worker
        context = forkserver
    else:
        context = get_context("spawn")
    started = _start_time(os.getpid())
    folders = (tmpdir, mp_tempdir()) if tmpdir is not None else (None, None)
    executor = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_worker_init, initargs=(os.getpid(), started, *folders)
    )
    # A signal while the pool starts would leave half-started workers nobody stops (they then die
    # noisily on the semaphores the client released): SIGINT, SIGTERM and SIGHUP wait until every
    # worker is known, and then stop them all.
    caught = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    masked = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, caught) if masked else None
    try:
        # Every worker is started here, under the mask.  A submit starts a process only while no
        # worker is idle, so a loop of submits could start one worker (the first task done, its
        # worker idle) and leave the next to a later submit, outside the mask: a signal there left a
        # forked worker out of the pool's table, nobody killed it, and the resource tracker waited
        # for its pipe for good (the audit hung on SIGTERM).
        launch = getattr(executor, "_launch_processes", None)  # CPython >= 3.11, before the first submit
        if launch is not None:
            launch()
        for _ in range(jobs):
            executor.submit(os.getpid)  # starts the manager thread (and, without launch, the processes)
    finally:
        try:
            if mask is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal that came is handled here
        except BaseException:
            abandon(executor)
            raise
    return executor


_MP_TEMPDIR: tuple[int, str] | None = None  # (pid, folder): multiprocessing's folder, made by that process here


def mp_tempdir() -> str | None:
    """multiprocessing's temporary folder (``pymp-*``: the fork server's socket), made now if there is none
    yet, when it is this process's own (made here): removed by the workers if the client is killed, and
    named in the run's folder for the sweep (:mod:`._workdir`).  None where multiprocessing had one before
    (the embedding program's, or inherited by a fork: not ours to remove) or uses none (Windows)."""
    global _MP_TEMPDIR
    if os.name != "posix":
        return None
    from multiprocessing import process, util

    # private, but read only: whether the folder exists yet (get_temp_dir() makes it on first use)
    config = getattr(process.current_process(), "_config", None)
    if not isinstance(config, dict):
        return None
    current: str | None = config.get("tempdir")
    if current is None:
        made: str = util.get_temp_dir()  # the fork server would make it next
        _MP_TEMPDIR = (os.getpid(), made)
        return made
    if _MP_TEMPDIR is not None and (os.getpid(), current) == _MP_TEMPDIR:
        return current  # made by an earlier audit of this process, the fork server's still
    return None


WATCH_SECONDS = 0.5  # how often a worker looks whether its client is still there


def _start_time(pid: int) -> bytes | None:
    """A process's start time (field 22 of /proc/PID/stat, Linux), or None where there is no /proc.

    With the pid, it tells a process from a later one given the same pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[19] if fields[0] != b"Z" else b"zombie"


def _worker_init(client: int, started: bytes | None, tmpdir: str | None = None, mpdir: str | None = None) -> None:
    """Set up a worker process: Ctrl-C (sent to the whole process group) is the client's to answer, and
    the worker ends itself when the client is gone, however it went (SIGKILL included).

    Workers are children of the fork server, not of the client, and hold the pipes that would tell
    the fork server and the resource tracker that the client is gone: without this, a client killed
    mid-audit left them all running for good, holding its caller's pipes.  The client's temporary
    folder (``tmpdir``: the spool, hash files) is removed then too, since the client cannot, and
    multiprocessing's (``mpdir``: the fork server's socket) when the client made it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watcher = threading.Thread(
        target=_watch_client, args=(client, started, tmpdir, mpdir), name="idnkit-watch-client", daemon=True
    )
    watcher.start()


def _watch_client(client: int, started: bytes | None, tmpdir: str | None, mpdir: str | None = None) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            os.kill(client, 0)
            gone = started is not None and _start_time(client) != started  # a zombie, or a new process
        except ProcessLookupError:
            gone = True
        except OSError:
            gone = False  # there, but not ours to signal
        if gone:
            for folder in (tmpdir, mpdir):
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)  # every worker tries: the first one wins
            os._exit(3)


def abandon(executor: Executor) -> None:
    """Stop a pool at once (an interrupted audit): kill its workers, then the fork server and the
    resource tracker that multiprocessing started for them, so that no process outlives the audit."""
    from multiprocessing import forkserver, resource_tracker

    pool = dict(getattr(executor, "_processes", None) or {})
    server = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    # a worker forked but not yet in the pool's table is found as the fork server's child: left
    # alive, it holds the resource tracker's pipe, and stopping the tracker would wait for it
    for pid in {*pool, *(_children(server) if server else ())}:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)  # a worker mid-partition has nothing worth saving
    executor.shutdown(wait=True, cancel_futures=True)
    for process in pool.values():
        process.join(5)
    # the fork server reaps what it forked and reports each exit status on that child's pipe: stopped
    # before it has, the status is lost (a Process then reads exit code 255, not -SIGKILL; the flaky
    # test_an_interrupted_pool_stops_a_worker_missing_from_its_table under load).  Bounded: 5 s.
    deadline = time.monotonic() + 5
    while server and _children(server) and time.monotonic() < deadline:
        time.sleep(0.01)

    for stop in (getattr(forkserver, "_forkserver", None), getattr(resource_tracker, "_resource_tracker", None)):
        with contextlib.suppress(Exception):  # private in multiprocessing: gone in some version, nothing to stop
            stop._stop()  # type: ignore[union-attr]


def _children(parent: int) -> list[int]:
    """The pids whose parent is ``parent`` (Linux /proc; elsewhere none are found)."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as f:
                        ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue  # gone meanwhile, or not readable
                if ppid == parent:
                    found.append(int(entry.name))
    return found


class PoolStarter:
    """The pool of :func:`_executor`, started in a thread of its own while the client spools and plans.

    Starting the pool waits for the fork server (an interpreter importing idnkit: 0.5-2 s on a busy
    machine) and then for each worker: done in the client's thread, that wait came before the
    pre-scan and every partition (2.0 s of an 8.2 s two-job audit, bench/README.md).  Here the
    client plans meanwhile and takes the pool when it has partitions to give (:meth:`get`).

    An interrupted audit calls :meth:`abandon`, which waits for the start to end first, so every
    worker is known and killed (the guarantee :func:`_executor` keeps under its signal mask).  The
    thread blocks SIGINT, SIGTERM and SIGHUP itself: they reach the client's main thread, which
    answers them, and the fork server inherits the mask it had when started under that mask before.
    """

    def __init__(self, start: Callable[[int, str | None], Executor | None], jobs: int, tmpdir: str | None) -> None:
        self._executor: Executor | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if jobs <= 1:
            self._executor = start(jobs, tmpdir)  # no pool to wait for (None, or a test's stand-in)
            return
        self._thread = threading.Thread(
            target=self._start, args=(start, jobs, tmpdir), name="idnkit-pool-start", daemon=True
        )
        self._thread.start()

    def _start(self, start: Callable[[int, str | None], Executor | None], jobs: int, tmpdir: str | None) -> None:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
        try:
            self._executor = start(jobs, tmpdir)
        except BaseException as e:  # raised in the client by get()
            self._error = e

    def _join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def get(self) -> Executor | None:
        """The pool, once started (waits for the start to end); its start's error, raised here."""
        self._join()
        error, self._error = self._error, None
        if error is not None:
            raise error
        return self._executor

    def abandon(self) -> None:
        """Stop the pool at once (:func:`abandon`), after its start has ended."""
        self._join()
        executor, self._executor = self._executor, None
        if executor is not None:
            abandon(executor)

    def shutdown(self) -> None:
        """Wait for the pool's workers to end (an audit done)."""
        self._join()
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown()


def _result(future: Future[T], part: Partition) -> T:
    """A partition's result from its worker; a worker that died makes the whole audit an AuditError."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise AuditError(
            f"{part.file}: a worker process died (killed, or out of memory) while reading bytes "
            f"{part.start:,}-{part.end:,} (from line {part.start_line}); the audit is incomplete and gives no result"
        ) from None


def _seams_ok(partials: list[Partial], parts: list[Partition]) -> int | None:
    """Index k of the first partition whose assumed start state its predecessor's end contradicts."""
    for k in range(1, len(parts)):
        before, after = partials[k - 1], partials[k]
        if before.end_origin != parts[k].origin or before.end_depth:
            return k
        if before.last_owner is not None and before.last_owner == after.first_owner:
            return k
    return None


def run_partitions(
    parts: list[Partition],
    config: Config,
    executor: Executor | None,
    spill_dir: str,
    progress: ProgressCallback | None = None,
    jobs: int = 1,
) -> tuple[list[Partition], Partial, frozenset[int], list[tuple[str, str]], frozenset[int]]:
    """Pass 1 over every partition, merged in file order; bad seams are re-read as one partition.

    Returns the partitions (after repairs), the merged partial, the hashes of names met in more than
    one owner run, per partition its hash files (written to ``spill_dir`` by whoever audited it) and
    the indexes of the partitions holding one of those names.
    """
    total = sum(p.end - p.start for p in parts)
    done_bytes = done_names = 0
    if executor is None:
        results: Iterable[Partial] = (_pass_one(part, config, spill_dir) for part in parts)
    else:
        futures = [executor.submit(_pass_one, part, config, spill_dir) for part in parts]
        results = (_result(future, part) for future, part in zip(futures, parts, strict=True))
    partials = []
    for partial in results:
        partials.append(partial)
        done_bytes += partial.bytes_read
        done_names += partial.names
        if progress:
            progress(done_bytes, total, done_names)
    repair_seams(parts, partials, config)
    for partial in partials:
        _spill_hashes(partial, spill_dir)  # the partitions a repair re-read
    files = [p.hash_files for p in partials if p.hash_files]
    named = [(p.hash_files[0], p.name_bounds) for p in partials if p.hash_files]
    if executor is None or jobs <= 1:
        repeated, holders = _repeated(named, 0, 256)
    else:
        # the tops of the hashes shared among the workers: each reads its 1/jobs of every file
        cuts = [256 * k // jobs for k in range(jobs + 1)]
        shares = [executor.submit(_repeated, named, a, b) for a, b in itertools.pairwise(cuts)]
        repeated, holders = set(), set()
        for share in shares:
            found, where = _result(share, parts[0])
            repeated.update(found)
            holders.update(where)
    merged = Partial(end_origin=config.origin, findings=Findings(folder=spill_dir))
    for partial in partials:
        merged.merge(partial)  # the findings are taken over in file order, a block at a time
    return parts, merged, frozenset(repeated), files, frozenset(holders)


def _pass_one(partition: Partition, config: Config, folder: str) -> Partial:
    """Pass 1 over one partition, its hashes and findings written to disk where it ran: a worker's
    partial reaches the client with no per-name state to unpickle, write or hold."""
    partial = audit_partition(partition, config)
    _spill_hashes(partial, folder)
    # its findings to disk: partials wait in the client for the seams' repair, and the findings of all
    # of them would grow with the zone (in memory: one store, at the end)
    partial.findings.spill()
    return partial


def _spill_hashes(partial: Partial, folder: str) -> None:
    if partial.hash_files is None:
        partial.hash_files = (_write(partial.name_hashes, folder), _write(partial.key_hashes, folder))
        partial.name_bounds = [bisect.bisect_left(partial.name_hashes, top << 56) for top in range(256)]
        partial.name_bounds.append(len(partial.name_hashes))
        partial.name_hashes, partial.key_hashes = array("Q"), array("Q")


def _write(values: array[int], folder: str) -> str:
    try:
        fd, path = tempfile.mkstemp(suffix=".hashes", dir=folder)
        with os.fdopen(fd, "wb") as out:
            values.tofile(out)
    except OSError as e:  # disk full, a file size limit: the folder is named, not a traceback
        raise AuditError(f"cannot write to the temporary folder {folder}: {e.strerror or e}") from None
    return path


def may_hold(files: tuple[str, str], wanted: frozenset[int], repeated: frozenset[int]) -> bool:
    """Whether a partition can hold a collision hit or a run of a repeated name (by its hash files)."""
    names, keys = files
    return any(not repeated.isdisjoint(block) for block in _blocks(names)) or any(
        not wanted.isdisjoint(block) for block in _blocks(keys)
    )


def _blocks(file: str, block: int = 1 << 16) -> Iterator[array[int]]:
    with open(file, "rb") as f:
        while True:
            values = array("Q")
            values.frombytes(f.read(block * values.itemsize))
            if not values:
                return
            yield values


def repeated_hashes(files: Sequence[tuple[str, list[int]]]) -> frozenset[int]:
    """Hashes found more than once across sorted hash files (:func:`_repeated` over every top byte)."""
    return frozenset(_repeated(files, 0, 256)[0])


def _repeated(files: Sequence[tuple[str, list[int]]], first: int, last: int) -> tuple[set[int], set[int]]:
    """Hashes whose top byte is in ``first``..``last - 1`` found more than once across sorted hash files,
    and the indexes of the files holding one of them (the partitions pass 2 re-reads for split names).

    ``files`` pairs each file with where each top byte's hashes start in it: memory holds 1/256 of
    the zone's hashes at once, and the work is C-level set and Counter operations, not a merge.
    """
    repeated: set[int] = set()
    holders: set[int] = set()
    for top in range(first, last):
        values: array[int] = array("Q")
        spans = []
        for file, bounds in files:
            before = len(values)
            if bounds[top + 1] > bounds[top]:
                with open(file, "rb") as f:
                    f.seek(bounds[top] * values.itemsize)
                    values.frombytes(f.read((bounds[top + 1] - bounds[top]) * values.itemsize))
            spans.append((before, len(values)))
        if len(set(values)) < len(values):
            found = {value for value, count in Counter(values).items() if count > 1}
            repeated.update(found)
            holders.update(i for i, (a, b) in enumerate(spans) if not found.isdisjoint(values[a:b]))
    return repeated, holders


def repair_seams(parts: list[Partition], partials: list[Partial], config: Config) -> list[int]:
    """Re-read as one partition every pair whose seam the pre-scan guessed wrong; the indexes redone."""
    redone: list[int] = []
    while not config.names_list and (k := _seams_ok(partials, parts)) is not None:
        a, b = parts[k - 1], parts[k]
        joined = Partition(a.path, a.file, a.start, b.end, a.start_line, a.origin)
        parts[k - 1 : k + 1] = [joined]
        partials[k - 1 : k + 1] = [audit_partition(joined, config)]
        redone = [i if i < k else i - 1 for i in redone if i != k] + [k - 1]
    return redone


def collisions(
    merged: Partial,
    hits: Iterable[tuple[str, str, str, str, int]],
    against: Iterable[tuple[str, str, str, str, int]] = (),
) -> tuple[CollisionGroup, ...]:
    """Join keys into groups of two or more distinct names, each with at least one zone name."""
    groups: dict[tuple[str, str], dict[str, tuple[str, str, int, str]]] = {}
    for source, rows in (("zone", merged.keys), ("zone", hits), ("against", against)):
        for kind, key, name, unicode, line in rows:
            members = groups.setdefault((kind, key), {})
            row = (name, unicode, line, source)
            # keep one row per name, chosen the same way whatever order rows arrive in
            if name not in members or (source != "zone", line) < (members[name][3] != "zone", members[name][2]):
                members[name] = row
    out = []
    for (kind, key), members in groups.items():
        if len(members) > 1 and any(m[3] == "zone" for m in members.values()):
            ordered = tuple(sorted(members.values(), key=lambda m: (m[3] != "zone", m[2], m[0])))
            out.append(CollisionGroup(kind, key, ordered))
    out.sort(key=lambda g: (-len(g.members), g.kind, g.key))
    return tuple(out)


def against_keys(
    path: str | os.PathLike[str], sources: Sequence[KeySource], origin: bytes = b"."
) -> list[tuple[str, str, str, str, int]]:
    """Keys of a protected list: one name or label per line, IDNs in U- or A-label form.

    Keys are compared below the zone origin, so ``strasse.de`` and ``strasse`` protect the same
    name in the ``de.`` zone.
    """
    from ..zone import read_names

    suffix = "." + origin.decode("utf-8").lower().rstrip(".") if origin != b"." else ""
    rows = []
    for record in read_names(path):
        name = record.owner.rstrip(".").lower()
        unicode = check_domain(name).name or name
        relative = unicode[: -len(suffix)] if suffix and unicode.endswith(suffix) else unicode
        for source in sources:
            for key in source.keys(relative):
                rows.append((source.kind, key, name + ".", unicode + ".", record.line))
    return rows


def wanted_keys(keys: Iterable[Row], protected: Iterable[Row]) -> frozenset[tuple[str, str]]:
    return frozenset((row[0], row[1]) for rows in (keys, protected) for row in rows)


def wanted_hashes(wanted: frozenset[tuple[str, str]]) -> frozenset[int]:
    return frozenset(_hashes([key.encode("utf-8") for _, key in wanted]))


def pass_two(
    parts: list[Partition],
    files: list[tuple[str, str]],
    config: Config,
    wanted: frozenset[tuple[str, str]],
    repeated: frozenset[int],
    executor: Executor | None,
    holders: frozenset[int] | None = None,
    folder: str | None = None,
) -> tuple[list[Row], list[Occurrence]]:
    """Pass 2 over the partitions whose hash files meet a wanted key or a repeated name.

    ``holders`` (from :func:`run_partitions`) are the partitions holding a repeated name; without
    it each partition's name hashes are read to find out.  With a pool, each worker looks at its
    partition's hash files itself: what it needs of the whole zone (wanted keys and repeated names)
    is written once to ``folder`` and read by each worker once, not pickled with every task.
    """
    if not wanted and not repeated:
        return [], []
    keys = wanted_hashes(wanted)
    shared: _Probe = (wanted, keys, repeated)
    if executor is not None and folder is not None:
        path = os.path.join(folder, "pass-two.pickle")
        try:
            with open(path, "wb") as out:
                pickle.dump(shared, out, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as e:
            raise AuditError(f"cannot write to the temporary folder {folder}: {e.strerror or e}") from None
        inputs: _Probe | str = path
    else:
        inputs = shared
    tasks = [
        (part, pair, None if holders is None else i in holders)
        for i, (part, pair) in enumerate(zip(parts, files, strict=True))
    ]
    if executor is None or folder is None:
        results = [_probe_task(part, pair, held, inputs, config) for part, pair, held in tasks]
    else:
        futures = [executor.submit(_probe_task, part, pair, held, inputs, config) for part, pair, held in tasks]
        results = [_result(future, part) for future, (part, _, _) in zip(futures, tasks, strict=True)]
    return [hit for hits, _ in results for hit in hits], [occ for _, occs in results for occ in occs]


_Probe = tuple[frozenset[tuple[str, str]], frozenset[int], frozenset[int]]  # wanted keys, their hashes, repeated
_PROBE_CACHE: list[tuple[str, _Probe]] = []  # a worker's pass-2 inputs, read once per audit


def _probe_task(
    part: Partition, files: tuple[str, str], holds_repeated: bool | None, inputs: _Probe | str, config: Config
) -> tuple[list[Row], list[Occurrence]]:
    """Pass 2 over one partition if its hash files say it can hold a hit or a run of a repeated name."""
    if isinstance(inputs, str):
        if not _PROBE_CACHE or _PROBE_CACHE[0][0] != inputs:
            with open(inputs, "rb") as f:
                _PROBE_CACHE[:] = [(inputs, pickle.load(f))]
        inputs = _PROBE_CACHE[0][1]
    wanted, keys, repeated = inputs
    names, key_file = files
    if holds_repeated is None:
        holds_repeated = any(not repeated.isdisjoint(block) for block in _blocks(names))
    if not holds_repeated and not any(not keys.isdisjoint(block) for block in _blocks(key_file)):
        return [], []
    return probe_partition(part, config, wanted, repeated if holds_repeated else frozenset())


def merge_repeated_names(merged: Partial, occurrences: Sequence[Occurrence], config: Config, file: str) -> None:
    """Count a name whose runs are split across the file once: at its first run, with every run's types.

    Pass 1 counted each run (a partition cannot know what later ones hold); for a name met in
    several runs, every run's counts are taken back and one name is counted in their place.  Its
    findings keep the first run's place; a later run's are dropped.  Collision keys need nothing:
    groups keep one row per name.
    """
    runs: dict[bytes, list[Occurrence]] = {}
    for occurrence in occurrences:  # file order
        runs.setdefault(occurrence[0].lower(), []).append(occurrence)
    replace: dict[AuditFinding, Sequence[AuditFinding]] = {}
    for found in runs.values():
        if len(found) < 2:
            continue  # a hash shared with another name, not a repeated name
        flags = 0
        first_findings: Findings | None = None
        for owner, line, run_flags in found:
            flags |= run_flags
            delta = name_delta(config, file, owner, line, run_flags)
            merged.count(delta, -1)
            first_findings = delta.findings if first_findings is None else first_findings
            replace.update((finding, ()) for finding in delta.findings)
        owner, line, _ = found[0]
        combined = name_delta(config, file, owner, line, flags)
        merged.count(combined)
        if first_findings:  # findings depend on the name, not on its types: both lists are empty or not
            replace[first_findings[0]] = combined.findings
    if replace:
        rewritten = Findings(folder=merged.findings.folder)
        for old in merged.findings:
            rewritten.extend(replace.get(old, (old,)))
        merged.findings.discard()
        merged.findings = rewritten
