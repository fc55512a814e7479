"""One extraction in a child process with memory and CPU-time limits, so a file that
passes every size cap and still costs too much (an honest but enormous table, XML
that parses into gigabytes, a parser that loops) costs one refusal in Chinese,
never the app or the command line.

`run_limited(fn, *args, **kwargs)` runs ``fn`` in a child process whose address
space may grow by about `MEMORY_BYTES` less what it already holds (so its peak
resident size stays near that figure) and whose CPU time is capped at
`CPU_SECONDS`, and returns ``fn``'s result, pickled back. When the child runs out
of memory or time, or dies, it raises `LimitExceeded` instead; the parent also
gives up on a child that has not answered after `WALL_SECONDS` (blocked rather
than computing). The child is forked from this process (milliseconds, and the
caller's environment, settings and test doubles go along). Forking a process with
other threads (the Streamlit app) copies only the calling thread; the child runs
nothing but reading, parsing and pickling, which take no lock those threads could
hold (logging's and the import lock are reset at fork, glibc's malloc is fork-safe,
DuckDB and Arrow are not used there), and the wall-clock limit ends it should
that ever fail. A fork server would avoid the question but re-runs the main
script in every child (Streamlit's ``app.py``), which is worse.

`limit_this_process` puts the memory cap on a long-lived worker (the build's
pool), where `MemoryError` then fails one file instead of the process. No
streamlit here; nothing here knows about reports.

Some honest work needs more than a hostile file may take (OCR of a scanned page:
~1.4 GB of address space and seconds of CPU a page). The code doing it asks with
`allow(memory_bytes, cpu_seconds)` as it goes, which raises the limits up to the
ceiling the caller set (`run_limited(cpu_ceiling=…)`); a child that may not have
more raises `NeedsMore`, and the caller decides whether to run it again with a
ceiling. `send(message)` passes a progress message to the parent, which hands it
to `on_message` and restarts its wall clock: a long job that keeps saying where it
is, is not a blocked one.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import signal
from collections.abc import Callable

from budgetperf.errors import UserError

MB = 1024 * 1024
# Real reports extract in well under a second and 200 MB (docs/scale.md); these
# bound what a hostile file may cost (issue 19: 30 s and 1 GB at most).
MEMORY_BYTES = 1024 * MB
CPU_SECONDS = 20
# A child forked from a process already near MEMORY_BYTES (the app, with its caches
# and threads) still gets this much more: a large honest PDF needs a few hundred MB.
MIN_ROOM = 512 * MB
# An allocation failed within this distance of the cap counts as running out.
NEAR_CAP = 64 * MB
WALL_SECONDS = 300


_STATE: dict = {}  # "one_run": this process is a run_limited child


class LimitExceeded(UserError):
    """The child ran out of memory or CPU time, or died; `kind` says which."""

    def __init__(self, kind: str, message_en: str, message_zh: str):
        super().__init__(message_en, message_zh)
        self.kind = kind


class OutOfTime(Exception):
    """Raised in a limited process when its CPU time for the current file is spent."""


class NeedsMore(BaseException):  # noqa: N818 - not an error: a request, past `except Exception`
    """Raised in a `run_limited` child for work its limits were not set for (see
    `allow`); `run_limited` raises it again in the parent, which may rerun the job
    with a ceiling."""


def _resident_and_virtual() -> tuple[int, int]:
    """(VmRSS, VmSize) of this process in bytes, from /proc (0, 0 where there is none)."""
    values = {}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmSize"):
                    values[key] = int(rest.split()[0]) * 1024
    except OSError:
        pass
    return values.get("VmRSS", 0), values.get("VmSize", 0)


def limit_this_process(memory_bytes: int = MEMORY_BYTES) -> None:
    """Cap this process's address space at `memory_bytes` (its resident size can never
    pass it), or at MIN_ROOM more than it has now when that is more (a child forked
    from a large process). Allocations past the cap raise MemoryError
    instead of exhausting the machine."""
    _, virtual = _resident_and_virtual()
    if not virtual:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = max(memory_bytes, virtual + MIN_ROOM)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def memory_ran_out() -> bool:
    """Whether this process, a `run_limited` child, has come within reach of its
    address-space cap: a library that failed to allocate may say something else
    (lxml: "unknown error"). Always False elsewhere (a pool worker's peak is that
    of every file it read)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if not _STATE.get("one_run") or soft == resource.RLIM_INFINITY:
        return False
    peak = 0
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            peak = next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmPeak:")), 0)
    except OSError:
        return False
    return peak + NEAR_CAP >= soft


def _raise_out_of_time(signum, frame):
    raise OutOfTime()


class cpu_budget:  # noqa: N801 - used as a `with` statement
    """`with cpu_budget(seconds):` raises OutOfTime in this (main) thread once the
    block has used that much CPU time (the build's pool: one budget per file)."""

    def __init__(self, seconds: float = CPU_SECONDS):
        self.seconds = seconds

    def __enter__(self):
        self._previous = signal.signal(signal.SIGPROF, _raise_out_of_time)
        signal.setitimer(signal.ITIMER_PROF, self.seconds)
        return self

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, self._previous)


def allow(memory_bytes: int = 0, cpu_seconds: float = 0) -> None:
    """Let this process have `memory_bytes` more address space than it holds now (a
    forked child starts with its parent's size) and `cpu_seconds` of CPU time from
    now on for the work at hand, up to the ceiling its limits
    were set with: in a `run_limited` child, its RLIMIT_CPU (raises `NeedsMore` when
    the child was started without a ceiling); in a pool worker, the file's
    `cpu_budget`. Elsewhere (no limits) it does nothing."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = _resident_and_virtual()[1] + memory_bytes
    if memory_bytes and soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))
    if not cpu_seconds:
        return
    if _STATE.get("one_run"):
        if not _STATE.get("ceiling"):
            raise NeedsMore()
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        used = sum(os.times()[:2])
        wanted = int(used + cpu_seconds) + 1
        if wanted > soft:
            resource.setrlimit(resource.RLIMIT_CPU, (min(wanted, hard - 5), hard))
        return
    remaining, _ = signal.getitimer(signal.ITIMER_PROF)
    if 0 < remaining < cpu_seconds:  # inside a cpu_budget: this file may go on that long
        signal.setitimer(signal.ITIMER_PROF, cpu_seconds)


def send(message) -> None:
    """Pass `message` (picklable) to the parent of this `run_limited` child, which
    hands it to its `on_message` and restarts its wall clock. Nothing elsewhere."""
    conn = _STATE.get("conn")
    if conn is not None:
        conn.send_bytes(pickle.dumps(("message", message), protocol=pickle.HIGHEST_PROTOCOL))


def _child(conn, fn, args, kwargs, memory_bytes, cpu_seconds, cpu_ceiling=0) -> None:
    """The child's side: set the limits, run, answer with (status, value) pickled
    into one message, then leave at once (no atexit handlers of the parent's)."""
    status, value = "error", "no answer"
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # The soft limit raises in Python (a clean answer); the hard one, a few seconds
        # later, ends a child stuck in C code.
        signal.signal(signal.SIGXCPU, _raise_out_of_time)
        used = int(sum(os.times()[:2]))
        resource.setrlimit(resource.RLIMIT_CPU, (used + cpu_seconds, used + max(cpu_seconds, cpu_ceiling) + 5))
        limit_this_process(memory_bytes)
        _STATE.update(one_run=True, ceiling=cpu_ceiling, conn=conn)
        status, value = "ok", fn(*args, **kwargs)
    except NeedsMore:
        status, value = "more", None
    except MemoryError:
        status, value = "memory", None
    except OutOfTime:
        status, value = "time", None
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        status, value = "error", f"{type(exc).__name__}: {exc}"
    try:
        try:
            message = pickle.dumps((status, value), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            message = pickle.dumps(("memory", None))
        except Exception as exc:  # an unpicklable result: a program fault
            message = pickle.dumps(("error", f"cannot send the result: {exc!r}"))
        conn.send_bytes(message)
        conn.close()
    finally:
        os._exit(0)


def refusal(kind: str, detail: str = "") -> LimitExceeded:
    """Why a file was not read, for `kind` memory, time, wall or crash."""
    if kind == "memory":
        return LimitExceeded(kind, f"extraction needed more than {MEMORY_BYTES // MB} MB of memory",
                             f"读取这个文件需要的内存超过上限（{MEMORY_BYTES // MB} MB），未导入：文件内容过多或结构异常"
                             "（例如极大的表格、极多的 XML）。请检查文件，必要时拆分后再导入。")
    if kind == "time":
        return LimitExceeded(kind, f"extraction took more than {CPU_SECONDS} s of CPU time",
                             f"读取这个文件超过处理时间上限（{CPU_SECONDS} 秒），未导入：文件内容过多或结构异常。"
                             "请检查文件，必要时拆分后再导入。")
    if kind == "wall":
        return LimitExceeded(kind, f"extraction gave no answer within {WALL_SECONDS} s",
                             f"读取这个文件在 {WALL_SECONDS} 秒内没有完成，已停止，未导入。请稍后重试；"
                             "如果一直如此，请把文件交给维护人员。")
    if detail == "SIGKILL":  # the hard CPU limit, or the kernel out of memory
        return LimitExceeded(kind, "the extraction process was killed (out of memory or time)",
                             "读取这个文件时处理进程被终止（超出内存或时间上限），未导入：文件内容过多或结构异常。"
                             "请检查文件，必要时拆分后再导入。")
    return LimitExceeded(kind, f"the extraction process died ({detail})",
                         f"读取这个文件时处理进程意外退出（{detail}），未导入。请把文件交给维护人员。")


def run_limited(fn, *args, memory_bytes: int | None = None, cpu_seconds: int | None = None,
                wall_seconds: float | None = None, cpu_ceiling: int = 0,
                on_message: Callable[[object], None] | None = None, **kwargs):
    """`fn(*args, **kwargs)` in a limited child process (see the module docstring);
    its result, or `LimitExceeded`. An exception inside `fn` comes back as
    LimitExceeded("error") too: callers pass functions that report bad input as
    values, so one escaping is a program fault. `cpu_ceiling`: the CPU seconds
    `allow` may raise the limit to (none: the child raises `NeedsMore`, raised
    here again); `on_message`: called with what the child `send`s."""
    memory_bytes = memory_bytes or MEMORY_BYTES
    cpu_seconds = cpu_seconds or CPU_SECONDS
    wall_seconds = wall_seconds or WALL_SECONDS
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child, daemon=True, args=(
        writer, fn, args, kwargs, memory_bytes, cpu_seconds, cpu_ceiling))
    child.start()
    writer.close()
    answer = None
    try:
        while answer is None:
            if not reader.poll(wall_seconds):  # silent for that long: blocked
                child.kill()
                child.join()
                raise refusal("wall")
            try:
                answer = pickle.loads(reader.recv_bytes())
            except (EOFError, OSError):
                break  # died before answering
            if answer[0] == "message":
                if on_message is not None:
                    on_message(answer[1])
                answer = None
    finally:
        reader.close()
        child.join(10)
        if child.is_alive():
            child.kill()
            child.join()
    if answer is None:
        code = child.exitcode
        if code == -signal.SIGXCPU:
            raise refusal("time")
        if code is not None and code < 0:
            raise refusal("crash", signal.Signals(-code).name)
        raise refusal("crash", f"exit {code}")
    status, value = answer
    if status == "ok":
        return value
    if status == "more":
        raise NeedsMore()
    if status in ("memory", "time"):
        raise refusal(status)
    raise refusal("crash", value)
