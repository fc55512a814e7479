"""A room of users: N sessions opening pages of one running app at once.

Starts ``streamlit run app.py`` on a free port against a store (as `make run`
does), loads each page once to warm the server (a meeting's server has been up
for a while), then opens N sessions at the same moment, two ways:

- ``browser``: N fresh headless Chromium contexts (no shared cache, cookies or
  session: N people clicking the same link), each timed to its first chart drawn
  (``first_chart_s``) and to the page complete (``load_s``: its script run
  finished, nothing stale or a placeholder, every chart drawn). All N browsers
  run on this machine beside the server, as the issue's own trial did: each one
  spends seconds of CPU parsing Streamlit's and Plotly's bundles and drawing, so
  on 2 cores this measures the browsers as much as the app;
- ``server``: N sessions that do on the wire what a browser with an empty cache
  does (fetch the page and every script, style and font it names, and the chart
  and table code a dashboard page loads; open Streamlit's websocket, ask for the
  page with its link's query string) and are timed until the server has sent the
  whole page (``script_finished``): what a room of people on their own laptops
  asks of this server. Their own browser's drawing (one browser, alone: the
  ``browser`` run of 1) comes on top.

Prints and returns p50/p95/max per run; nothing is asserted (the issue's bar,
p95 under 5 s at 20 sessions, is reported as met or missed by `bench`).
Skipped with a reason without Chromium or Playwright (the server run needs neither).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from budgetperf import settings
from budgetperf.app import wire
from budgetperf.bench.timing import percentile

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
TIMEOUT_S = 180.0
# What "the page is complete" means in the DOM: a title, the script run over (the
# status widget keeps Streamlit's English "Running" in its DOM even when the app's
# CSS shows 正在更新…), nothing stale, no skeleton, and `charts` charts drawn.
COMPLETE = """(charts) => {
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  if (status && status.innerText.includes('Running')) return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const drawn = plots.filter(p => p.querySelector('.main-svg .plot, .main-svg .treemaplayer')).length;
  return drawn >= charts && drawn === plots.length;
}"""
FIRST_CHART = "() => document.querySelector('.js-plotly-plot .main-svg .plot, .js-plotly-plot .main-svg .treemaplayer')"


def chromium_path() -> str | None:
    """The browser (setting BUDGETPERF_CHROMIUM), when it exists."""
    path = settings.get("BUDGETPERF_CHROMIUM") or "/usr/bin/chromium"
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    import shutil

    return shutil.which(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`streamlit run app.py` on a free local port against the store `db`, as a
    subprocess; `url` is its base address. The tests start theirs the same way."""

    def __init__(self, db: Path, env: dict | None = None, *, options: tuple[str, ...] = (), start_timeout: float = 90,
                 root: Path = ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *options],
            cwd=root, env={**os.environ, "BUDGETPERF_DB": str(db), **(env or {})},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + start_timeout
        while not self.is_healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                output = self.stop()
                raise RuntimeError(f"streamlit did not start: {output[-2000:]}")
            time.sleep(0.3)

    def cpu_seconds(self) -> float | None:
        """CPU time the server process has used (user + system), from /proc."""
        try:
            with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def is_healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> str:
        """Stop the server (this process only); returns what it printed."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.stdout.read().decode(errors="replace") if self.proc.stdout else ""


@dataclass
class Load:
    """One browser session's page load."""

    path: str
    first_chart_s: float | None
    load_s: float | None
    error: str | None = None


async def _load(browser, url: str, path: str, charts: int, start: asyncio.Event, width: int = 1440) -> Load:
    context = await browser.new_context(viewport={"width": width, "height": 1000}, locale="zh-CN")
    try:
        page = await context.new_page()
        await start.wait()
        t0 = time.perf_counter()
        first = None
        try:
            await page.goto(f"{url}/{path}", wait_until="commit", timeout=TIMEOUT_S * 1000)
            if charts:
                await page.wait_for_function(FIRST_CHART, timeout=TIMEOUT_S * 1000, polling=50)
                first = time.perf_counter() - t0
            await page.wait_for_function(COMPLETE, arg=charts, timeout=TIMEOUT_S * 1000, polling=50)
            return Load(path, first, time.perf_counter() - t0)
        except Exception as exc:  # a timeout is a finding, not a crash
            return Load(path, first, None, f"{type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await context.close()


async def _count_charts(browser, url: str, path: str) -> int:
    """Warm the server on `path` and count the charts the page draws."""
    context = await browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    try:
        page = await context.new_page()
        await page.goto(f"{url}/{path}", timeout=TIMEOUT_S * 1000)
        await page.wait_for_function(COMPLETE, arg=0, timeout=TIMEOUT_S * 1000, polling=100)
        return await page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length")
    finally:
        await context.close()


async def _run(url: str, paths: list[str], sessions: list[int], log) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            charts = {}
            for path in paths:
                charts[path] = await _count_charts(browser, url, path)
            runs = []
            for n in sessions:
                start = asyncio.Event()
                chosen = [paths[i % len(paths)] for i in range(n)]
                tasks = [asyncio.create_task(_load(browser, url, path, charts[path], start)) for path in chosen]
                await asyncio.sleep(1.0)  # every context open and waiting: then all at once
                t0 = time.perf_counter()
                start.set()
                loads = await asyncio.gather(*tasks)
                runs.append(summarize(n, paths, loads, time.perf_counter() - t0, charts))
                log(f"    {n:>3} sessions: {format_run(runs[-1])}")
                await asyncio.sleep(1.0)
            return runs
        finally:
            await browser.close()


def summarize(n: int, paths: list[str], loads: list[Load], wall_s: float, charts: dict) -> dict:
    """p50/p95/max of the loads of one run (the failed ones counted apart)."""
    done = [x.load_s for x in loads if x.load_s is not None]
    first = [x.first_chart_s for x in loads if x.first_chart_s is not None]

    def stats(xs):
        return {"p50_s": round(percentile(xs, 50), 2), "p95_s": round(percentile(xs, 95), 2),
                "max_s": round(max(xs), 2)} if xs else {}

    return {"sessions": n, "pages": ["/" + p for p in paths], "charts": {"/" + k: v for k, v in charts.items()},
            "load": stats(done), "first_chart": stats(first), "wall_s": round(wall_s, 2),
            "errors": [x.error for x in loads if x.error][:3], "failed": sum(1 for x in loads if x.error),
            "loadavg": _loadavg()}


def _loadavg() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def format_run(run: dict) -> str:
    load, first = run.get("load", {}), run.get("first_chart", {})
    text = f"load p50 {load.get('p50_s', '—')} s, p95 {load.get('p95_s', '—')} s, max {load.get('max_s', '—')} s"
    if first:
        text += f"; first chart p50 {first.get('p50_s')} s, p95 {first.get('p95_s')} s"
    if run.get("server_cpu_ms_per_session") is not None:
        text += f"; server CPU {run['server_cpu_ms_per_session']} ms a session"
    return text + (f"; {run['failed']} failed" if run.get("failed") else "")


# ---------------------------------------------------------------------------
# sessions on the wire: what a room of laptops asks of the server


async def _wire_session(url: str, path: str, start: asyncio.Event, cold: bool = True) -> Load:
    """One session on the wire (`app.wire.open_page`), timed from `start`."""
    await start.wait()
    t0 = time.perf_counter()
    try:
        await wire.open_page(url, path, cold=cold, timeout=TIMEOUT_S)
        return Load(path, None, time.perf_counter() - t0)
    except Exception as exc:  # a timeout or a refused connection is a finding
        return Load(path, None, None, f"{type(exc).__name__}: {str(exc)[:200]}")


async def _run_wire(url: str, paths: list[str], sessions: list[int], log, server_cpu=lambda: None) -> list[dict]:
    from concurrent.futures import ThreadPoolExecutor

    # a thread per session for the downloads: the default pool (a few threads) would
    # queue the room on this side, not on the server's
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=max(sessions) + 2))
    for path in paths:  # warm: every page's queries and figures once
        await _wire_session(url, path, _started())
    runs = []
    # cold: a browser that never opened the app (fetches ~9 MB of code); warm: one
    # that did (Streamlit's code is cached for a year: the usual case in a bureau)
    for cold in (True, False):
        mode = "wire-cold" if cold else "wire-warm"
        for n in sessions:
            start = asyncio.Event()
            tasks = [asyncio.create_task(_wire_session(url, paths[i % len(paths)], start, cold)) for i in range(n)]
            await asyncio.sleep(0.2)
            cpu0 = server_cpu()
            t0 = time.perf_counter()
            start.set()
            loads = await asyncio.gather(*tasks)
            cpu = server_cpu()
            per_session = round((cpu - cpu0) / n * 1000) if cpu is not None and cpu0 is not None else None
            runs.append(summarize(n, paths, loads, time.perf_counter() - t0, {})
                        | {"mode": mode, "server_cpu_ms_per_session": per_session})
            log(f"    {n:>3} sessions ({mode}): {format_run(runs[-1])}")
    return runs


def _started() -> asyncio.Event:
    event = asyncio.Event()
    event.set()
    return event


def bench_load(db: Path, *, sessions: tuple[int, ...] = (1, 20), page_sets: tuple[tuple[str, ...], ...] = (
        ("",), ("", "execution", "indicators", "scores", "regions")), modes: tuple[str, ...] = ("server", "browser"),
        log=print, root: Path = ROOT) -> dict:
    """N sessions at once on each set of pages (sessions take the pages in turn):
    the meeting case (everyone opens 总览) and a mix of the dashboard's pages; on
    the wire (``server``) and in real browsers on this machine (``browser``)."""
    browser_problem = None
    if chromium_path() is None:
        browser_problem = "chromium not installed (make system-deps)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            browser_problem = "playwright not installed"
    server = AppServer(db, root=root)  # `root`: another checkout of the app (a before-and-after)
    try:
        runs = []
        for paths in page_sets:
            log(f"  load: {', '.join('/' + p for p in paths)} …")
            if "server" in modes:
                runs += asyncio.run(_run_wire(server.url, list(paths), list(sessions), log, server.cpu_seconds))
            if "browser" in modes and not browser_problem:
                runs += [r | {"mode": "browser"} for r in asyncio.run(_run(server.url, list(paths), list(sessions), log))]
        out = {"runs": runs, "cpus": os.cpu_count(), "loadavg_end": _loadavg()}
        return out | ({"browser_skipped": browser_problem} if browser_problem and "browser" in modes else {})
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    """`python -m budgetperf.bench.load --db PATH --sessions 1,6,20 [--pages ,execution]`."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=settings.get("BUDGETPERF_DB"))
    parser.add_argument("--sessions", default="1,20")
    parser.add_argument("--pages", default="", help="comma-separated url paths; '' is 总览")
    parser.add_argument("--modes", default="server,browser")
    parser.add_argument("--root", default=str(ROOT), help="the checkout whose app.py is served (before/after)")
    args = parser.parse_args(argv)
    result = bench_load(Path(args.db), sessions=tuple(int(n) for n in args.sessions.split(",")),
                        page_sets=(tuple(args.pages.split(",")),), modes=tuple(args.modes.split(",")),
                        root=Path(args.root))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
