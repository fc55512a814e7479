"""Adding reports while the app serves: how long a write takes, and how long a page waits.

    .venv/bin/python scripts/measure_write.py               # the four seed reports
    .venv/bin/python scripts/measure_write.py --docs 2000   # a store of 2,000 documents

Everything runs in a temp folder (store, reports, archive, write log); nothing in data/
is touched. Prints:

- the store's size, and the write path's own cost (lock, copy, checkpoint, fsync,
  replace) with no change;
- page reruns with no write (the 总览 page under AppTest, its store snapshot cached);
- time to add one report from the command line (`budgetperf ingest`, a separate
  process, wall time including Python start-up), while the page keeps rerunning;
- time to add one report from the 数据管理 page (an editor's upload: the commit click
  to the page showing the outcome, server side), while another session reruns;
- the longest page rerun during those writes and the first rerun after each publish
  (the page reopens the new store and misses its query cache): how long a page waited.

Figures only; nothing is asserted (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEEDS = sorted((ROOT / "data" / "reports").glob("*.txt"))
NEW = ROOT / "tests" / "fixtures" / "reports" / "special_fund_expenses_mismatch.txt"
PASSWORD = "measure-password"


_REGIONS: list[str] = []
_SEED_REGION: dict[Path, str | None] = {}


def variant(source: Path, i: int) -> str:
    """The report as another county's: its region name swapped for the i-th county of
    data/regions.csv (so programmes link only within a region, as in a real province),
    plus a unique note so the content hash is new. No region is named here: the
    report's own region comes from extraction."""
    from budgetperf.storing.extracting import extract_file
    from budgetperf.storing.reference import load_reference
    from budgetperf.understanding.records import v

    if not _REGIONS:
        ref = load_reference()
        _REGIONS.extend(sorted({r.name for r in ref.regions if r.level == "county" and len(r.name) >= 3}))
    if source not in _SEED_REGION:
        _SEED_REGION[source] = v(extract_file(source, load_reference()).facts.region)
    text = source.read_text(encoding="utf-8")
    own = _SEED_REGION[source]
    if own:
        text = text.replace(own, _REGIONS[(i * 7919) % len(_REGIONS)])
    return text + f"\n附注：测量用副本 {i}\n"


def setup(base: Path, docs: int) -> None:
    from budgetperf.changes import editors

    reports = base / "reports"
    reports.mkdir()
    for i in range(max(docs, len(SEEDS))):
        source = SEEDS[i % len(SEEDS)]
        if i < len(SEEDS):
            shutil.copy(source, reports)
        else:
            (reports / f"{source.stem}_{i:05d}.txt").write_text(variant(source, i), encoding="utf-8")
    os.environ.update({
        "BUDGETPERF_DB": str(base / "store" / "budgetperf.duckdb"),
        "BUDGETPERF_REPORTS_DIR": str(reports),
        "BUDGETPERF_ARCHIVE_DIR": str(base / "archive"),
        "BUDGETPERF_WRITE_LOG": str(base / "write_log.jsonl"),
        "BUDGETPERF_EDITORS": f"测量={editors.hash_password(PASSWORD)}",
    })
    (base / "store").mkdir()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "budgetperf", "build"], cwd=ROOT, check=True, capture_output=True)
    size = Path(os.environ["BUDGETPERF_DB"]).stat().st_size
    print(f"store: {max(docs, len(SEEDS))} documents, {size / 1e6:.1f} MB, built in {time.perf_counter() - start:.1f} s")


class PageLoop:
    """Rerun a page in a loop in a thread; record each rerun's duration and whether a
    publish happened just before it (the store's identity changed)."""

    page: str | None = None  # set from --page

    def __init__(self):
        from streamlit.testing.v1 import AppTest

        from budgetperf.storing import publish

        self._publish = publish
        self.at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        if self.page:
            self.at.switch_page(self.page)
        self.at.run()
        self.times: list[float] = []
        self.after_publish: list[float] = []
        self.errors = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        db = os.environ["BUDGETPERF_DB"]
        seen = self._publish.file_version(db)
        while not self._stop.is_set():
            version = self._publish.file_version(db)
            start = time.perf_counter()
            self.at.run()
            elapsed = time.perf_counter() - start
            self.times.append(elapsed)
            if version != seen:
                self.after_publish.append(elapsed)
                seen = version
            self.errors += len(self.at.exception) + len(self.at.error)

    def __enter__(self) -> PageLoop:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def ms(values: list[float]) -> str:
    if not values:
        return "–"
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=4, help="documents in the store before the writes")
    parser.add_argument("--writes", type=int, default=3, help="reports added through each door")
    parser.add_argument("--page", default="pages/overview.py", help="the page a reader keeps rerunning")
    args = parser.parse_args()
    PageLoop.page = args.page
    import logging

    logging.getLogger("streamlit").setLevel(logging.CRITICAL)  # a page error is counted, not printed

    with tempfile.TemporaryDirectory(prefix="budgetperf-measure-") as folder:
        base = Path(folder)
        setup(base, args.docs)
        incoming = base / "incoming"
        incoming.mkdir()

        # 0. the write path's own cost: lock, copy, checkpoint, fsync, replace (no change)
        from budgetperf.storing import publish

        overhead = []
        for _ in range(5):
            start = time.perf_counter()
            publish.publish(os.environ["BUDGETPERF_DB"], lambda con: None)
            overhead.append(time.perf_counter() - start)
        print(f"write path alone (copy + publish):   {ms(overhead)}")

        # 1. the page alone
        with PageLoop() as idle:
            time.sleep(3)
        print(f"reader page: {args.page}")
        print(f"page reruns, no write:               {ms(idle.times)}; errors: {idle.errors}")

        # 2. the CLI adds reports while the page reruns
        cli_times = []
        with PageLoop() as during_cli:
            for i in range(args.writes):
                path = incoming / f"命令行_{i}.txt"
                path.write_text(variant(NEW, 10_000 + i), encoding="utf-8")
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "budgetperf", "ingest", path], cwd=ROOT, check=True,
                               capture_output=True)
                cli_times.append(time.perf_counter() - start)
                time.sleep(1)
        print(f"add one report, CLI (wall, process): {ms(cli_times)}")
        print(f"  page reruns meanwhile:             {ms(during_cli.times)}; errors: {during_cli.errors}")
        print(f"  first rerun after a publish:       {ms(during_cli.after_publish)}")

        # 3. an editor uploads on the 数据管理 page while another session reruns 总览
        from tests.conftest import login

        editor = PageLoop.__new__(PageLoop)  # only its AppTest: driven by hand below
        from streamlit.testing.v1 import AppTest

        editor.at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        editor.at.switch_page("pages/manage.py")
        editor.at.run()
        login(editor.at, "测量", PASSWORD)
        upload_times, read_times = [], []
        with PageLoop() as during_upload:
            for i in range(args.writes):
                data = variant(NEW, 20_000 + i).encode("utf-8")
                start = time.perf_counter()
                editor.at.file_uploader[0].set_value((f"上传_{i}.txt", data, "text/plain"))
                editor.at.run()  # reads the file and shows the preview
                read_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                editor.at.button(key="admin.commit").click()
                editor.at.run()  # publishes, reruns, shows the outcome
                upload_times.append(time.perf_counter() - start)
                assert not editor.at.exception, editor.at.exception
                time.sleep(1)
        print(f"upload one report: read + preview:   {ms(read_times)}")
        print(f"  commit to outcome shown:           {ms(upload_times)}")
        print(f"  other session's reruns meanwhile:  {ms(during_upload.times)}; errors: {during_upload.errors}")
        print(f"  its first rerun after a publish:   {ms(during_upload.after_publish)}")
        waits = during_cli.times + during_upload.times
        print(f"longest page rerun during writes:    {max(waits) * 1000:.0f} ms "
              f"(vs {max(idle.times) * 1000:.0f} ms with no write)")


if __name__ == "__main__":
    main()
