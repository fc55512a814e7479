"""Timing helpers: repeat a call within a budget, percentiles, and the peak memory
of a process tree (sampled from /proc, so worker processes count too)."""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation; samples need not be sorted."""
    s = sorted(samples)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


@dataclass
class Timing:
    samples_ms: list[float]

    @property
    def p50(self) -> float:
        return percentile(self.samples_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)

    def to_dict(self) -> dict:
        return {"p50_ms": round(self.p50, 3), "p95_ms": round(self.p95, 3), "n": len(self.samples_ms)}


def repeat(fn, *, min_runs: int = 3, max_runs: int = 20, budget_s: float = 2.0, warmup: int = 1) -> Timing:
    """Call `fn` `warmup` times untimed, then at least `min_runs` and at most
    `max_runs` times, stopping once `budget_s` is spent."""
    for _ in range(warmup):
        fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < max_runs and (len(samples) < min_runs or time.perf_counter() - start < budget_s):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return Timing(samples)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# ---------------------------------------------------------------------------
# memory of a process tree


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    out += [int(c) for c in fh.read().split()]
            except OSError:
                continue
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MB (0 where /proc is missing)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss_kb(p)
        todo += _children(p)
    return total / 1024


@dataclass
class RunResult:
    seconds: float
    cpu_seconds: float  # user + system of the process and its workers
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_measured(cmd: list[str], env: dict | None = None, interval: float = 0.05) -> RunResult:
    """Run `cmd`, returning its wall time, CPU time (the process and the workers it
    waited for) and the peak summed RSS of its process tree."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return RunResult(seconds, cpu, peak[0], proc.returncode, out, err)
