"""How long one correction takes to reach the published store, at any store size.

    .venv/bin/python scripts/measure_correction_cost.py                       # the seed reports
    .venv/bin/python scripts/measure_correction_cost.py --db .bench/…/store.duckdb --reports .bench/…/reports

Works on a copy of the store in a temp folder, with its own corrections file and
write log (the reports folder is only read). Corrects one project's 年初预算, then
undoes it, `--repeat` times, and prints the wall time of each step of the write
(copy of the store, re-extraction, row replacement and relinking, mart refresh,
publish) and in all. Figures only; nothing is asserted (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Timer:
    """Wraps functions of the write path to add up the time spent in each."""

    def __init__(self):
        self.spent: dict[str, float] = {}

    def wrap(self, owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="a built store (default: build one from data/reports)")
    parser.add_argument("--reports", help="the reports folder the store was built from")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="measure-correction-") as folder:
        base = Path(folder)
        os.environ.update({"BUDGETPERF_CORRECTIONS": str(base / "corrections.jsonl"),
                           "BUDGETPERF_WRITE_LOG": str(base / "write_log.jsonl"),
                           "BUDGETPERF_REFERENCE_EDITS": str(base / "reference_edits.jsonl")})
        from budgetperf.changes import corrections
        from budgetperf.storing import building, committing, loading, publish, store

        reports = Path(args.reports or ROOT / "data" / "reports")
        db = base / "store.duckdb"
        if args.db:
            shutil.copy(args.db, db)
        else:
            building.build_store(reports, db)
        con = store.connect(db)
        docs, projects, size = (con.execute("select count(*) from documents").fetchone()[0],
                                con.execute("select count(*) from projects").fetchone()[0], db.stat().st_size)
        row = con.execute("""select d.file, d.content_hash, p.name, p.budget_initial_wan
                             from projects p join documents d using (doc_id)
                             where p.budget_initial_wan is not null order by d.file, p.seq limit 1""").fetchone()
        con.close()
        file, content_hash, name, old = row
        print(f"store: {docs:,} documents, {projects:,} projects, {size / 1e6:.1f} MB; correcting {file}")

        timer = Timer()
        timer.wrap(publish, "_copy_store", "copy store to draft")
        timer.wrap(committing, "_reextract", "re-extract the document")
        timer.wrap(loading, "replace_documents", "replace rows + relink region")
        timer.wrap(publish, "_refresh_marts", "refresh marts")
        totals = []
        for i in range(args.repeat):
            for value, undo in ((old + 1 + i, False), (None, True)):
                start = time.perf_counter()
                if undo:
                    (live,) = corrections.active(corrections.load())
                    report = committing.undo([live.id], "measure", "measure", db_path=db, reports_dir=reports)
                else:
                    record = corrections.make(content_hash, "budget_initial", value, project=name, old_value=old,
                                              reason="measure", file=file)
                    report = committing.submit([record], "measure", db_path=db, reports_dir=reports)
                totals.append(time.perf_counter() - start)
                assert report.ok, report.message_zh
        writes = len(totals)
        print(f"one correction or undo, published: median {statistics.median(totals) * 1000:.0f} ms, "
              f"max {max(totals) * 1000:.0f} ms over {writes} writes")
        for label, spent in timer.spent.items():
            print(f"  {label:32s} {spent / writes * 1000:8.0f} ms per write")


if __name__ == "__main__":
    main()
