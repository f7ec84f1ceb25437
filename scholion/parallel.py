"""Use every core: map a pure function over many items in forked worker processes, in order.

Workers are forked after the parent has built what the function needs (the linked corpus, the
Jinja environment, the alias automaton), so they inherit it instead of receiving it pickled;
only index ranges go out and results come back. ``gc.freeze()`` before forking keeps the
collector from touching, and so copying, every inherited object in each worker.

Below ``threshold`` items, with one core, or where ``fork`` does not exist (Windows; macOS
defaults to spawn), the map runs in this process: a pool costs tens of milliseconds to start,
which small corpora and the test suite do not need. ``SCHOLION_WORKERS`` overrides the number
of processes (1 turns the pool off).

Nor does a pool start more workers than the machine's free memory holds. A forked worker shares
the parent's memory only until it writes to it, and CPython writes to every object it touches
(reference counts), so a worker that renders pages across the whole corpus ends up with a copy
of most of it, and more of its own: each worker is counted at a quarter more than the parent's
resident size (:data:`WORKER_GROWTH`). When memory runs out all the same, a worker that holds
much of its own is replaced by a fresh one, which shares everything again
(:func:`_to_be_replaced`). Should the kernel still kill one, its work is done
again in the parent, and each worker asks to be the one killed rather than the parent. Where
memory holds fewer copies than there are cores, the parent computes a share itself instead of
only collecting results (on 2 cores with room for one copy: the parent and one worker, where
the pool used to start none and the parent did everything); where it holds none (100,000
articles on a 24 GB machine: a 14 GB parent), everything runs in the parent, more slowly,
instead of being killed by the kernel.

Memory a process has freed is not always given back: glibc's allocator keeps freed blocks in its
heap, where they count in the resident size. :func:`release_freed_memory` hands them back once
the corpus is linked, so that what the pool measures is what the corpus holds.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import multiprocessing
import os
import signal
import time
import warnings
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The function and items of the running map, set before the fork so workers inherit them."""


def workers() -> int:
    """How many processes compute a map: ``SCHOLION_WORKERS``, else the cores this process may
    use, or fewer if memory would not hold them (see the module docstring)."""
    return _plan()[0]


def _plan() -> tuple[int, int]:
    """(processes computing a map, workers to fork for it): as many workers as cores where
    memory holds them all, the parent only collecting; else as many as fit, the parent
    computing beside them."""
    configured = os.environ.get("SCHOLION_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured), int(configured)
    cores = _cores()
    available, resident = memory()
    room = affordable(available, resident and int(resident * WORKER_GROWTH))
    if room >= cores:
        return cores, cores
    return max(1, room + 1), room


WORKER_GROWTH = 1.25
"""How much larger than its parent a worker is counted: it copies most of what it inherits and
adds its own (the templates' caches, the digests of what its pages read). At 100,000 articles,
workers forked from a 7.5 GB parent each reached 9.3 GB, and the kernel killed one."""


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def affordable(available: int | None, resident: int | None) -> int:
    """How many workers of ``resident`` bytes each fit in ``available`` bytes (no limit where
    either is unknown)."""
    if not available or not resident:
        return 1 << 16
    return available // resident


def memory() -> tuple[int | None, int | None]:
    """(memory available to new processes, this process's resident size), in bytes, from
    Linux's /proc, and within a container's limit (cgroup v2) if it sets one; (None, None)
    elsewhere."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            fields = dict(line.split(":", 1) for line in meminfo)
        available = int(fields["MemAvailable"].split()[0]) * 1024
        with open("/proc/self/statm", encoding="ascii") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, KeyError, ValueError, IndexError):
        return None, None
    limit = _container_room()
    return (available if limit is None else min(available, limit)), resident


def release_freed_memory() -> None:
    """Give back to the operating system the memory this process freed but its C allocator
    kept (glibc's ``malloc_trim``; elsewhere nothing to do). Loading, validating and linking
    free as much as they keep (parsed YAML with every value's position, pickled results from
    the workers): a cold ``check`` of 10,000 articles left the process at 1,476 MB resident,
    1,180 MB after this call. The pool counts each worker at the parent's resident size, so
    those freed megabytes decided how many workers the render got (at 100,000 articles: none)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc: macOS, musl, Windows
        return
    trim(0)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Build long-lived data (the corpus) without Python's cyclic garbage collector, then put
    what was built out of its way.

    Loading, validating and linking make millions of objects that live as long as the build,
    none of them in cycles; meanwhile the collector walks the young ones every few hundred
    allocations, and all of them each time the heap has grown by a quarter: at 10,000 articles,
    a third of a check with a warm cache (21-24 CPU-s with it, 15-16 without, in one process).
    Afterwards everything is frozen (``gc.freeze``), so later collections, and the workers
    forked later, leave it alone (the live site's corpus stays frozen between edits the same
    way); reference counting frees objects as ever. The price: a cycle made meanwhile is never
    collected (a full collection after a check of 10,000 articles found 1,555 objects in
    cycles among 1.1 million tracked). Workers started meanwhile turn the collector on again
    for their own objects (:func:`_first_to_go`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def crowded(resident: int) -> bool:
    """Whether a process of ``resident`` bytes would leave no room for a worker per core (each
    counted at that size, as the pool counts them) in the memory available now."""
    available, _ = memory()
    return available is not None and resident * (_cores() + 1) > available


def in_child(function: Callable[[], object]) -> bool:
    """Run ``function`` in a forked child process and wait for it, for work whose product is
    what it leaves on disk; True if it finished. Where ``fork`` does not exist, nothing is
    run (False). Interrupted here (Ctrl-C), the child is stopped too.

    What for: a process that has linked a large corpus keeps, besides it, the freed memory of
    everything it parsed on the way (CPython's allocator cannot give back an arena while one
    object in it lives): a cold ``check`` of 10,000 articles left 1,180 MB resident (after
    :func:`release_freed_memory`), one reading back from the build cache what a child had
    linked 759 MB, for 44 s more."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return Beside(function).wait()


class Beside:
    """``function`` run in a forked child process while this one goes on, for work that waits
    on other things than this process does: the spare tree brought up to date (the file
    system) while a build reads its state back (one core). What it returns comes back through
    a pipe (:meth:`result`). Where ``fork`` does not exist it runs here, at once."""

    def __init__(self, function: Callable[[], object]) -> None:
        self._child: multiprocessing.process.BaseProcess | None = None
        self._pipe: Connection | None = None
        self._finished, self._result = False, None
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._pipe, sending = context.Pipe(duplex=False)
            self._child = context.Process(target=_send_back, args=(function, sending))
            self._child.start()
            sending.close()
            return
        try:
            self._result, self._finished = function(), True
        except Exception:  # as a child failing: the caller does the work otherwise
            self._finished = False

    def wait(self) -> bool:
        """Wait for it; whether it finished. Interrupted here (Ctrl-C), the child is stopped."""
        if self._child is None or self._pipe is None:
            return self._finished
        try:
            if not self._finished:
                with contextlib.suppress(EOFError, OSError):  # the child died without a word
                    self._result, self._finished = self._pipe.recv(), True
            self._child.join()
        except BaseException as error:
            self.stop(interrupted=isinstance(error, KeyboardInterrupt))
            raise
        return self._finished and self._child.exitcode == 0

    def result(self) -> object:
        """What ``function`` returned (None if it did not finish)."""
        return self._result if self.wait() else None

    def stop(self, interrupted: bool = False) -> None:
        """Stop it if it is still running (its work is abandoned), and wait for it: interrupted
        as Ctrl-C interrupts, so that it ends what it started (Pagefind's processes, a draft
        file) as this process would, and terminated if it has not ended within
        :data:`STOPPING`. ``interrupted``: this process was (Ctrl-C reaches every process of
        the build), and the child is only given the time to end: a second interruption would
        cut short what the first began (asyncio stops waiting for the processes it stops)."""
        if self._child is None:
            return
        if not interrupted and self._child.is_alive() and self._child.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._child.pid, signal.SIGINT)
        self._child.join(STOPPING)
        if self._child.is_alive():
            self._child.terminate()
        self._child.join()


STOPPING = 5.0
"""Seconds a child stopped by :meth:`Beside.stop` has to end before it is terminated."""


def _send_back(function: Callable[[], object], pipe: Connection) -> None:
    pipe.send(function())
    pipe.close()


class Ahead(Generic[R]):
    """``function`` started in a forked child process while this one goes on with other work,
    for a stage whose result this process needs later: the search index (Pagefind's processes,
    and the pages' reading) while the exports are made. :meth:`outcome` waits for it and gives
    what it returned, or raises what it raised; where the child gave no answer (killed for
    memory, or an error that could not be sent back) it is run here instead, so its work is
    never lost. Where ``fork`` does not exist it runs here, at once."""

    def __init__(self, function: Callable[[], R]) -> None:
        self._function = function
        self._child = Beside(functools.partial(_caught, function))

    def outcome(self) -> R:
        """What ``function`` returned; what it raised is raised here."""
        found = self._child.result()
        if found is None:
            return self._function()
        value, error = cast(tuple[R, BaseException | None], found)
        if error is not None:
            raise error
        return value

    def stop(self, interrupted: bool = False) -> None:
        """Stop the child if it is still running: its work is abandoned (:meth:`Beside.stop`)."""
        self._child.stop(interrupted)


def _caught(function: Callable[[], R]) -> tuple[R | None, BaseException | None]:
    """What ``function`` returned, or the exception it raised, to be sent back: an interruption
    too (Ctrl-C reaches every process of the build), which the parent raises rather than
    doing the work again itself."""
    try:
        return function(), None
    except (Exception, KeyboardInterrupt) as error:
        return None, error


def _container_room(cgroup: str = "/sys/fs/cgroup") -> int | None:
    """What this process's cgroup (v2) may still use, or None where it sets no limit: inside
    Docker or Kubernetes /proc/meminfo shows the host's memory, not the container's."""
    try:
        with open(os.path.join(cgroup, "memory.max"), encoding="ascii") as limit_file:
            limit = limit_file.read().strip()
        if limit == "max":
            return None
        with open(os.path.join(cgroup, "memory.current"), encoding="ascii") as current_file:
            return max(0, int(limit) - int(current_file.read()))
    except (OSError, ValueError):
        return None


WORTHWHILE = 200
"""The fewest items :func:`ordered_map` hands to workers, unless told otherwise."""


def among(total: int) -> int:
    """The ``threshold`` for items picked out of ``total`` (what an incremental build makes
    again of its pages or export jobs): on every core, however few, when all ``total`` would
    have been. In one process, the two corpus-wide exports a claim's edit makes again at
    10,000 articles (3.7 and 3.2 s) ran one after the other."""
    return 2 if total >= WORTHWHILE else WORTHWHILE


def ordered_map(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    chunk: int = 8,
    threshold: int = WORTHWHILE,
    alone: int = 0,
) -> Iterator[R]:
    """``map(function, items)``, in worker processes when worthwhile; results in item order,
    yielded as they arrive so the caller can write them out without holding them all.
    Items go to workers ``chunk`` at a time, but the first ``alone`` one at a time: long jobs,
    which one chunk would run one after another in a single worker while the others wait.
    An exception in a worker is raised here, in the parent. A worker that dies (the kernel's
    out-of-memory killer) loses no work: the pool stops, and the parent does the rest itself,
    with a warning; :class:`multiprocessing.pool.Pool`, used until session 12, waited forever
    for the lost results (a build of 100,000 articles hung that way).

    When memory runs out, workers that hold much of their own are replaced by fresh ones,
    forked once they are gone (:func:`_to_be_replaced`, :func:`_generation`)."""
    count, forked = _plan()
    if count < 2 or len(items) < threshold or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    global _job
    _job = (function, items)
    alone = min(alone, len(items))
    ranges = [(start, start + 1) for start in range(alone)]
    ranges += [(start, min(start + chunk, len(items))) for start in range(alone, len(items), chunk)]
    frozen_already = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        done = 0
        while done < len(ranges):
            done = yield from _generation(ranges, done, count, forked)
    finally:
        if not frozen_already:  # the live site keeps its corpus frozen between edits: unfreezing
            gc.unfreeze()  # it made the next full collection walk all of it (3 s at 10,000)
        _job = None


LOW_WATER = 0.5
"""Memory is running out when less is available than this share of the parent's resident size
(:func:`_to_be_replaced`): at 100,000 articles (a 7.5 GB parent), under 3.75 GB; the kernel
killed a render worker there with 1.5 GB left."""

COPY_FLOOR = 256 << 20
"""A worker holding less than this of its own is never replaced: a fresh one would save
nothing."""

MEASURE_EVERY = 1.0
"""Seconds between two looks of a worker at its own memory (``/proc/self/smaps_rollup`` walks
every mapping of the process: milliseconds for a large one)."""

AHEAD = 4
"""Ranges handed to each worker ahead of the one the parent waits for: enough to keep it busy
while the parent computes its own share, few enough that a worker due to be replaced has little
left to finish."""


def _to_be_replaced(held: int | None) -> bool:
    """Whether a worker that holds ``held`` bytes of its own should make way for a fresh one:
    when memory is running out (:data:`LOW_WATER`), before the kernel's out-of-memory killer
    ends a worker and the parent is left to do the rest on one core. A forked worker shares
    its parent's pages until it writes to them, and CPython writes to every object it touches
    (reference counts): at 100,000 articles a render worker had copied 7 of its 7.5 GB parent
    within 12 minutes. A worker forked afresh shares everything again.

    Only then, not whenever a worker passes a budget: a fresh worker computes again what the
    old one had remembered (the digests of the records its pages read, the interface's
    caches). At 100,000 articles, a worker replaced whenever it held more than a quarter of
    the parent took the render's two processes from 13.6-16.8 to 7.8-12.3 GB, but the pages
    from 15 to 24 minutes (a fresh worker every 45 s or so); the build's peak did not move,
    as it is the linking child's (docs/performance.md, session 13)."""
    if held is None or held <= COPY_FLOOR:
        return False
    available, resident = memory()
    return available is not None and resident is not None and available < resident * LOW_WATER


def _generation(
    ranges: list[tuple[int, int]], start: int, count: int, forked: int
) -> Generator[Any, None, int]:
    """Yield the results of ``ranges[start:]`` in order from a pool of ``forked`` fresh workers,
    the parent computing every ``count``-th range itself when there are fewer workers than
    processes, until a worker is :func:`_to_be_replaced`: then nothing more
    is handed out, what was handed out is collected, and the workers exit before this returns
    where the next generation starts (its workers forked from the parent's memory as it is,
    sharing everything again). A lost worker's ranges, and all those after, are computed
    here."""
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(forked, mp_context=context, initializer=_first_to_go)
    pending: dict[int, Future[tuple[list[Any], int | None]]] = {}
    handed = start  # the first range not yet handed out (nor left to the parent)
    retiring = False
    try:
        at = start
        while at < len(ranges) and (at < handed or not retiring):
            try:
                while not retiring and handed < len(ranges) and len(pending) < AHEAD * forked:
                    if forked == count or handed % count:  # else the parent's share
                        pending[handed] = pool.submit(_run_counting, ranges[handed])
                    handed += 1
                future = pending.pop(at, None)  # a future kept keeps its result
                results, copied = (
                    future.result() if future is not None else (_run(ranges[at]), None)
                )
            except BrokenProcessPool:
                break  # a lost worker: the rest is done below, here
            retiring = retiring or _to_be_replaced(copied)
            yield from results
            at += 1
        else:
            return at
    finally:  # stopped early (an error, Ctrl-C): what has not started is not started
        pool.shutdown(wait=True, cancel_futures=True)
    warnings.warn(LOST_WORKER, RuntimeWarning, stacklevel=3)
    for bounds in ranges[at:]:
        yield from _run(bounds)
    return len(ranges)


LOST_WORKER = (
    "a worker process ended before its work was done (killed by the system, most likely for "
    "want of memory): the rest of the work is done in this process, on one core"
)


def _first_to_go() -> None:
    """In each worker, as it starts: ask the kernel to kill this process, not the parent, if
    memory runs out. A lost worker's work is done again by the parent (the functions mapped are
    pure, and a page written twice is the same file); a lost parent is a lost build. And
    collect this worker's own cyclic garbage, even when forked while the parent had the
    collector paused (:func:`collector_paused`): what it inherited is frozen."""
    gc.enable()
    with contextlib.suppress(OSError), open("/proc/self/oom_score_adj", "w") as score:
        score.write("1000")


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None, "workers are forked with the job in place"
    function, items = _job
    return [function(item) for item in items[bounds[0] : bounds[1]]]


_looked = [0.0]
"""When this worker last looked at its memory (each forked worker has its own copy)."""


def _run_counting(bounds: tuple[int, int]) -> tuple[list[Any], int | None]:
    """In a worker: :func:`_run`, and the memory the worker holds of its own if it is time to
    look again (:data:`MEASURE_EVERY`), else None."""
    results = _run(bounds)
    now = time.monotonic()
    if now - _looked[0] < MEASURE_EVERY:
        return results, None
    _looked[0] = now
    return results, private_memory()


def private_memory() -> int | None:
    """The bytes of this process's memory no other process shares (written to since the fork,
    or allocated since), from Linux's ``/proc/self/smaps_rollup``; None elsewhere."""
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
            fields = dict(line.split(":", 1) for line in rollup if ":" in line)
        kib = sum(int(fields[name].split()[0]) for name in ("Private_Clean", "Private_Dirty"))
    except (OSError, KeyError, ValueError, IndexError):
        return None
    return kib * 1024
