"""Maps on every core: results in order, and the garbage collector's state left as it was."""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import signal
import sys
import threading
import weakref
from typing import Any

import pytest

from scholion import parallel


def _square(number: int) -> int:
    return number * number


def test_results_come_back_in_order_from_the_workers(monkeypatch):
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    assert list(parallel.ordered_map(_square, range(50), chunk=3, threshold=0)) == [
        n * n for n in range(50)
    ]


def test_objects_frozen_before_a_map_stay_frozen(monkeypatch):
    """The live site freezes its corpus between edits; a map that unfroze it made the next full
    collection walk every object of the corpus (seconds at 10,000 articles)."""
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    gc.unfreeze()  # what earlier tests' checks froze (parallel.collector_paused)
    kept = [[n] for n in range(1000)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        list(parallel.ordered_map(_square, range(10), threshold=0))
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
    list(parallel.ordered_map(_square, range(10), threshold=0))
    assert gc.get_freeze_count() == 0  # nothing frozen before: nothing left frozen
    assert kept


def _collecting(_: int) -> bool:
    return gc.isenabled()


@pytest.mark.parametrize("enabled", [True, False], ids=["collector on", "collector off"])
def test_what_is_built_with_the_collector_paused_is_frozen_after(monkeypatch, enabled):
    """Loading and linking a corpus make millions of long-lived objects: the collector walking
    them was a third of a warm check at 10,000 articles. Paused meanwhile, then out of its way;
    workers forked meanwhile collect their own garbage all the same."""
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()
    try:
        with parallel.collector_paused():
            assert not gc.isenabled()
            built = [[n] for n in range(1000)]
            in_workers = set(parallel.ordered_map(_collecting, range(20), threshold=0))
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() >= len(built)
        assert in_workers == {True}
    finally:
        gc.unfreeze()
        gc.enable()


_meeting: list[Any] = []
"""Where the first two items of a map wait for each other (set before the workers fork)."""


def _meet(number: int) -> int:
    """The first two items return only once both are running, each in its own process."""
    if number < 2:
        _meeting[0].wait()
    return os.getpid()


def test_long_jobs_go_to_workers_one_at_a_time(monkeypatch):
    """The corpus-wide exports take seconds each at 10,000 articles: in one chunk they ran one
    after another in one worker, the other idle."""
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    monkeypatch.setattr(sys.modules[__name__], "_meeting", [multiprocessing.Barrier(2, timeout=1)])
    with pytest.raises(threading.BrokenBarrierError):  # both in one chunk: they never meet
        list(parallel.ordered_map(_meet, range(40), chunk=8, threshold=0))
    _meeting[0] = multiprocessing.Barrier(2, timeout=20)
    alone = list(parallel.ordered_map(_meet, range(40), chunk=8, threshold=0, alone=2))
    assert alone[0] != alone[1] and os.getpid() not in alone


def _pid(number: int) -> tuple[int, int]:
    return number, os.getpid()


def test_where_memory_holds_one_worker_the_parent_computes_beside_it(monkeypatch):
    """100,000 articles on a 24 GB machine: room for one copy of the parent, not two. The pool
    used to start no worker then, and the build ran on one core."""
    monkeypatch.delenv("SCHOLION_WORKERS", raising=False)
    gib = 1 << 30
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    monkeypatch.setattr(parallel, "memory", lambda: (13 * gib, 10 * gib))
    assert parallel.workers() == 2
    found = list(parallel.ordered_map(_pid, range(40), chunk=3, threshold=0))
    assert [number for number, _ in found] == list(range(40))
    pids = {pid for _, pid in found}
    assert os.getpid() in pids and len(pids) == 2  # the parent and one worker
    monkeypatch.setattr(parallel, "memory", lambda: (9 * gib, 10 * gib))
    assert {pid for _, pid in parallel.ordered_map(_pid, range(40), threshold=0)} == {os.getpid()}


def _resident() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.confstr("CS_GNU_LIBC_VERSION") is None,
    reason="malloc_trim is glibc's",
)
def test_memory_freed_in_the_middle_of_the_heap_goes_back_to_the_system():
    # 200 MB of blocks too large for Python's own allocator, every 64th kept: freed, but held
    # by the C allocator between the kept ones, so still resident until released.
    blocks = [bytes(1000) + i.to_bytes(8, "little") for i in range(200_000)]
    kept = blocks[::64]
    del blocks
    before = _resident()
    parallel.release_freed_memory()
    assert before - _resident() > 100_000_000
    assert len(kept) == 3125


def test_a_process_is_crowded_when_a_copy_per_core_would_not_fit(monkeypatch):
    gib = 1 << 30
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    monkeypatch.setattr(parallel, "memory", lambda: (20 * gib, gib))
    assert not parallel.crowded(6 * gib)  # itself and two workers: 18 GB
    assert parallel.crowded(7 * gib)


def _leave_pid(path: str) -> None:
    with open(path, "w", encoding="ascii") as out:
        out.write(str(os.getpid()))


def _fail() -> None:
    raise ValueError("no")


def test_work_done_in_a_child_leaves_its_files_and_says_whether_it_finished(tmp_path):
    marker = tmp_path / "pid"
    assert parallel.in_child(functools.partial(_leave_pid, str(marker)))
    assert int(marker.read_text()) != os.getpid()
    assert not parallel.in_child(_fail)


def _sleep_then_leave(path: str) -> None:
    import time

    time.sleep(30)
    _leave_pid(path)


def test_work_done_beside_goes_on_while_this_process_does_and_can_be_stopped(tmp_path):
    marker = tmp_path / "pid"
    beside = parallel.Beside(functools.partial(_leave_pid, str(marker)))
    assert beside.wait()
    assert int(marker.read_text()) != os.getpid()
    assert parallel.Beside(functools.partial(_square, 7)).result() == 49  # back through a pipe
    assert not parallel.Beside(_fail).wait()
    assert parallel.Beside(_fail).result() is None
    late = tmp_path / "late"
    slow = parallel.Beside(functools.partial(_sleep_then_leave, str(late)))
    slow.stop()  # at once: its work is abandoned
    assert not slow.wait()
    assert not late.exists()


def _pid_or_killed(parent: int) -> int:
    """As the kernel's out-of-memory killer would: killed in a child, the pid in the parent."""
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


class _Unsendable(Exception):
    """An error that cannot be pickled back to the parent (it holds a lock)."""

    def __init__(self) -> None:
        super().__init__("unsendable")
        self.lock = threading.Lock()


def _raise_unsendable_in_a_child(parent: int) -> int:
    if os.getpid() != parent:
        raise _Unsendable
    return os.getpid()


def test_work_started_ahead_gives_its_result_or_raises_its_error_here():
    ahead = parallel.Ahead(functools.partial(_square, 7))
    assert ahead.outcome() == 49
    with pytest.raises(ZeroDivisionError):
        parallel.Ahead(functools.partial(divmod, 1, 0)).outcome()


def _interrupted_in_a_child(parent: int) -> int:
    if os.getpid() != parent:
        raise KeyboardInterrupt  # as Ctrl-C, which reaches every process of the group
    return os.getpid()


def test_work_started_ahead_and_interrupted_interrupts_this_process_too():
    """Not done again here: Ctrl-C meant the build to stop."""
    with pytest.raises(KeyboardInterrupt):
        parallel.Ahead(functools.partial(_interrupted_in_a_child, os.getpid())).outcome()


@pytest.mark.parametrize("lost", [_pid_or_killed, _raise_unsendable_in_a_child])
def test_work_started_ahead_is_done_here_when_the_child_gives_no_answer(lost, capfd):
    assert parallel.Ahead(functools.partial(lost, os.getpid())).outcome() == os.getpid()


def test_work_started_ahead_can_be_stopped(tmp_path):
    late = tmp_path / "late"
    slow = parallel.Ahead(functools.partial(_sleep_then_leave, str(late)))
    slow.stop()
    assert not late.exists()


_parent: list[int] = []
"""The pid of the process that maps (set before the workers fork)."""


def _killed_in_a_worker(number: int) -> tuple[int, int]:
    """As the kernel's out-of-memory killer would: item 7, in a worker, kills that worker."""
    if number == 7 and os.getpid() != _parent[0]:
        os.kill(os.getpid(), signal.SIGKILL)
    return number * number, os.getpid()


def _waited_too_long(*_: object) -> None:
    raise TimeoutError("the map is still waiting for the lost worker's results")


@pytest.mark.parametrize("memory_for", ["two workers", "one worker"])
def test_a_worker_killed_by_the_system_loses_no_work(monkeypatch, memory_for):
    """At 100,000 articles the kernel killed a render worker, and the pool waited for its
    results forever. Now the parent does the rest of the work itself, and says so."""
    monkeypatch.delenv("SCHOLION_WORKERS", raising=False)
    gib = 1 << 30
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    available = 30 * gib if memory_for == "two workers" else 15 * gib
    monkeypatch.setattr(parallel, "memory", lambda: (available, 10 * gib))
    monkeypatch.setattr(sys.modules[__name__], "_parent", [os.getpid()])
    signal.signal(signal.SIGALRM, _waited_too_long)
    signal.alarm(120)  # the map used to wait forever
    try:
        with pytest.warns(RuntimeWarning, match="killed by the system"):
            found = list(parallel.ordered_map(_killed_in_a_worker, range(40), chunk=2, threshold=0))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    assert [square for square, _ in found] == [n * n for n in range(40)]
    assert found[-1][1] == os.getpid()  # the rest, done here


def _oom_score_adj(_: int) -> str:
    with open("/proc/self/oom_score_adj", encoding="ascii") as score:
        return score.read().strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's OOM killer")
def test_the_kernel_is_asked_to_kill_a_worker_before_the_parent(monkeypatch):
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    assert set(parallel.ordered_map(_oom_score_adj, range(20), chunk=2, threshold=0)) == {"1000"}
    assert _oom_score_adj(0) != "1000"


class _Token:
    """A result that can be watched (a weak reference says when it is gone)."""


def _token(_: int) -> _Token:
    return _Token()


def test_results_are_not_held_once_handed_on(monkeypatch):
    """The caller keeps what it needs of each result (at 100,000 articles, linking hands on
    each article's records with their JSON for the cache, and the cache takes the JSON): the
    map must not hold every result until it ends."""
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    seen = []
    for number, token in enumerate(parallel.ordered_map(_token, range(60), chunk=2, threshold=0)):
        seen.append(weakref.ref(token))
        del token
        if number == 50:
            assert all(ref() is None for ref in seen[:40])


_hoard: list[bytes] = []
"""What a worker keeps of its own (each forked worker has its own list)."""


def _hoarding(_: int) -> tuple[int, int]:
    """Keep 8 MB more in this process; say which process this is and how many children its
    parent has now (Linux's /proc lists them; -1 where it does not)."""
    _hoard.append(b"x" * (8 << 20))
    parent = os.getppid()
    try:
        with open(f"/proc/{parent}/task/{parent}/children", encoding="ascii") as children:
            return os.getpid(), len(children.read().split())
    except OSError:
        return os.getpid(), -1


def test_when_memory_runs_out_a_worker_holding_much_is_replaced_by_a_fresh_one(monkeypatch):
    """A forked worker copies what it touches of the parent (reference counts): at 100,000
    articles, 7 of a 7.5 GB parent, until the kernel killed one. When memory runs out, a worker
    that holds much of its own finishes what it was handed and exits, and a new one, forked
    once the old ones are gone, shares the parent's memory again. With memory to spare, or a
    worker holding little, it is kept: a fresh worker computes again what the old one had
    remembered."""
    gib = 1 << 30
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    monkeypatch.setattr(parallel, "COPY_FLOOR", 40 << 20)
    monkeypatch.setattr(parallel, "MEASURE_EVERY", 0.0)
    monkeypatch.setattr(parallel, "memory", lambda: (4 * gib, 10 * gib))  # running out
    found = list(parallel.ordered_map(_hoarding, range(60), chunk=1, threshold=0))
    assert len(found) == 60 and os.getpid() not in {pid for pid, _ in found}
    assert len({pid for pid, _ in found}) >= 4
    assert max(children for _, children in found) <= 2  # never old and new workers at once
    monkeypatch.setattr(parallel, "memory", lambda: (6 * gib, 10 * gib))  # enough
    within = list(parallel.ordered_map(_hoarding, range(60), chunk=1, threshold=0))
    assert len({pid for pid, _ in within}) == 2
    monkeypatch.setattr(parallel, "memory", lambda: (4 * gib, 10 * gib))
    monkeypatch.setattr(parallel, "COPY_FLOOR", 1 << 40)  # running out, but holding little
    within = list(parallel.ordered_map(_hoarding, range(60), chunk=1, threshold=0))
    assert len({pid for pid, _ in within}) == 2


def test_a_few_items_picked_out_of_many_go_to_the_workers_all_the_same():
    """What an incremental build makes again of a large site is few items, some long (the
    corpus-wide exports): on every core, as the whole site would have been."""
    assert parallel.among(parallel.WORTHWHILE) == 2
    assert parallel.among(parallel.WORTHWHILE - 1) == parallel.WORTHWHILE
