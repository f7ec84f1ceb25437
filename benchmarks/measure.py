"""Time a whole process: wall and CPU time, and peak memory of it and every process it starts.

CPU time and the largest single process's peak RSS come from the kernel (``os.wait4`` reports
the child plus every descendant it waited for, Pagefind included). The peak of the whole process
tree at one moment (a build's worker pool plus Pagefind) is sampled as proportional set size
(PSS), per process name, so Scholion's own processes, Pagefind's and Hugo's can be
told apart, with the peak of the largest single process of each name (a sharded search index
runs several Pagefind processes, each of which must stay bounded).

Sampling is not free: the kernel walks a process's page tables to sum its PSS, about 35 ms for
a 1.4 GB process, so sampling a worker pool of three such processes every 100 ms took most of
one of the machine's two cores away from the build it measured. The sampler therefore waits
about 50 times as long as its last sample took (at least 100 ms): about 2% of one core.
"""

from __future__ import annotations

import os
import platform
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

MB = 1024 * 1024


@dataclass(frozen=True)
class Measured:
    """What one process tree cost. RSS in MiB; ``peak_tree_mb`` sums processes alive together."""

    command: str
    wall_s: float
    cpu_s: float
    max_process_rss_mb: float
    peak_tree_mb: float
    peak_by_name_mb: dict[str, float] = field(default_factory=dict)
    largest_by_name_mb: dict[str, float] = field(default_factory=dict)
    returncode: int = 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def measure(command: Sequence[str], cwd: Path | None = None) -> Measured:
    """Run ``command`` to completion (output discarded unless it fails) and measure it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    sampler = _Sampler(process.pid)
    sampler.start()
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{output}")
    return Measured(
        command=" ".join(str(c) for c in command),
        wall_s=round(wall, 3),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
        max_process_rss_mb=round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        peak_tree_mb=round(sampler.peak_total / MB, 1),
        peak_by_name_mb={k: round(v / MB, 1) for k, v in sorted(sampler.peak_by_name.items())},
        largest_by_name_mb={k: round(v / MB, 1) for k, v in sorted(sampler.largest.items())},
    )


class _Sampler(threading.Thread):
    """Polls the PSS of a process and its descendants until stopped, sparing the machine."""

    def __init__(self, pid: int, interval: float = 0.1, share: float = 0.02):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.share = share  # of one core: the sampler waits (1 / share - 1) times its own cost
        self.peak_total = 0
        self.peak_by_name: dict[str, int] = {}
        self.largest: dict[str, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            started = time.perf_counter()
            self.sample()
            cost = time.perf_counter() - started
            self.done.wait(max(self.interval, cost * (1 / self.share - 1)))

    def sample(self) -> None:
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        by_name: dict[str, int] = {}
        for process in processes:
            try:
                rss = _resident(process)
                name = _kind(process.name())
            except psutil.Error:
                continue
            total += rss
            by_name[name] = by_name.get(name, 0) + rss
            self.largest[name] = max(self.largest.get(name, 0), rss)
        self.peak_total = max(self.peak_total, total)
        for name, rss in by_name.items():
            self.peak_by_name[name] = max(self.peak_by_name.get(name, 0), rss)

    def stop(self) -> None:
        self.done.set()
        self.join()


def _kind(name: str) -> str:
    """Which program a process is, for the peaks by name: Pagefind, Hugo, or Python (Scholion,
    the floor, and the small driver that runs Hugo then Pagefind)."""
    for program in ("pagefind", "hugo"):
        if program in name:
            return program
    return "python"


def _resident(process: psutil.Process) -> int:
    """PSS where the system has it: pages shared after a fork count once, not once per process
    (so a worker pool, or a build forking to start Pagefind, is not counted twice). Read from
    ``smaps_rollup``, which the kernel sums itself: psutil's full ``smaps`` walk would cost the
    machine more CPU than the build it measures."""
    try:
        with open(f"/proc/{process.pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(process.memory_info().rss)


def machine() -> dict[str, object]:
    """The machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
    }
