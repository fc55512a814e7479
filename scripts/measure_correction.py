"""How long it takes a person to fix one wrong budget figure, measured in a real browser.

    .venv/bin/python scripts/measure_correction.py                 # the four seed reports
    .venv/bin/python scripts/measure_correction.py --copies 100    # a province: ~400 reports (tests/province.py)
    .venv/bin/python scripts/measure_correction.py --screenshots   # also the new pages at three widths

Everything runs in a temp folder (store, originals, corrections, write log, an editor
account); nothing in data/ is touched. The app runs as `streamlit run app.py`; Debian's
chromium, headless, is driven by Playwright like a person would drive it:

  already logged in on 数据校对 → select the first item of the queue (its budget is the
  one to fix) → click 年初预算, select all, type the new figure → click 更正原因, type
  it → click 保存更正 → wait for the result → click 「在「预算执行」页查看」 (the page
  filtered to that project: at a province's size the navigation link would open a
  list of thousands) → wait until the corrected figure shows in the project table.

Prints the clicks, keystrokes and seconds (browser and server time: the script does
not think or read), and an estimate for a person from the keystroke-level model
(Card, Moran & Newell: 1.1 s to point, 0.2 s to click, 0.28 s per keystroke for an
average typist, 1.35 s to decide before each step). With --screenshots, full-page
PNGs of 数据校对 (queue and an item), 修改记录, 审核 and 数据来源 (corrected value and
its history) at laptop, tablet and phone widths go to screenshots/.

Figures only; nothing is asserted (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EDITOR, PASSWORD = "校对员", "measure-password"
NEW_BUDGET = "120"
REASON = "核对原文第5行"
WIDTHS = {"laptop": (1440, 900), "tablet": (820, 1180), "phone": (390, 844)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 60_000
# keystroke-level model operators (seconds)
POINT, CLICK, KEY, THINK = 1.1, 0.2, 0.28, 1.35


def prepare(folder: Path, copies: int) -> dict:
    """Originals, a store built from them, and one editor, all under `folder`."""
    from budgetperf.changes.editors import hash_password
    from budgetperf.storing.building import build_store
    from budgetperf.storing.reference import load_reference

    reports = folder / "reports"
    reports.mkdir()
    if copies:
        from tests.province import write_corpus

        write_corpus(reports, copies=copies)
    else:
        for report in sorted((ROOT / "data" / "reports").iterdir()):
            shutil.copy(report, reports)
    env = {"BUDGETPERF_DB": str(folder / "store.duckdb"), "BUDGETPERF_REPORTS_DIR": str(reports),
           "BUDGETPERF_ARCHIVE_DIR": str(folder / "archive"), "BUDGETPERF_WRITE_LOG": str(folder / "log.jsonl"),
           "BUDGETPERF_CORRECTIONS": str(folder / "corrections.jsonl"),
           "BUDGETPERF_REFERENCE_EDITS": str(folder / "reference_edits.jsonl"),
           "BUDGETPERF_EDITORS": f"{EDITOR}={hash_password(PASSWORD)}"}
    os.environ.update(env)
    started = time.perf_counter()
    build_store(reports, folder / "store.duckdb", load_reference())
    print(f"store: {len(list(reports.iterdir())):,} reports, built in {time.perf_counter() - started:.1f} s")
    return env


def wait_idle(pg) -> None:
    pg.wait_for_selector("h1", timeout=TIMEOUT_MS)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=TIMEOUT_MS)
    pg.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')"
                         " && !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=TIMEOUT_MS)


def log_in(pg) -> None:
    pg.get_by_text("编辑登录").first.click()
    pg.get_by_label("编辑名").fill(EDITOR)
    pg.get_by_label("密码", exact=True).fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    pg.get_by_text(f"已登录编辑：{EDITOR}").wait_for(timeout=TIMEOUT_MS)
    wait_idle(pg)


def first_item(env: dict) -> tuple[str, str, float, str]:
    """The queue's first item as the page lists it: its id, project name, budget, region."""
    from budgetperf.changes import queue
    from budgetperf.storing import store

    con = store.connect(env["BUDGETPERF_DB"])
    try:
        row = store.run_query("review/queue", con=con, **queue.query_params(), limit=1, offset=0).iloc[0]
    finally:
        con.close()
    return row.project_id, row.project_name, float(row.budget_wan), row.region


def select_queue_row(pg, position: int = 0) -> None:
    """Click the row-selection box of a row of the queue table (a canvas grid)."""
    grid = pg.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    pg.mouse.click(box["x"] + 18, box["y"] + 35 * (position + 1) + 17)


def fix_one_budget(pg, base: str, project: str, old: float, region: str) -> dict:
    """The measured task. Returns the counts and seconds."""
    clicks = keys = 0
    started = time.perf_counter()
    select_queue_row(pg)  # 1 click
    clicks += 1
    budget = pg.get_by_role("textbox", name="年初预算（万元）")
    budget.wait_for(timeout=TIMEOUT_MS)
    wait_idle(pg)
    shown = time.perf_counter()
    budget.click()
    clicks += 1
    pg.keyboard.press("Control+A")
    keys += 1
    pg.keyboard.type(NEW_BUDGET)
    keys += len(NEW_BUDGET)
    pg.get_by_role("textbox", name="更正原因（必填）").first.click()
    clicks += 1
    pg.keyboard.type(REASON)
    keys += len(REASON)
    pg.get_by_role("button", name="保存更正").click()
    clicks += 1
    pg.get_by_text("条生效").first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(pg)
    saved = time.perf_counter()
    pg.get_by_role("button", name="在「预算执行」页查看").click()
    clicks += 1
    pg.wait_for_url(f"{base}/execution*", timeout=TIMEOUT_MS)
    wait_idle(pg)
    pg.get_by_text("经人工更正").first.wait_for(timeout=TIMEOUT_MS)
    grid = pg.locator('[data-testid="stDataFrame"]').filter(has_text=project).first
    grid.wait_for(timeout=TIMEOUT_MS)
    done = time.perf_counter()
    # the grid is drawn on a canvas; its accessible copy has one row element per row
    row = grid.locator('[role="row"]').filter(has_text=project).filter(has_text=region).first
    cells = [c.strip() for c in row.locator('[role="gridcell"]').all_text_contents()]
    seen = NEW_BUDGET in cells or f"{float(NEW_BUDGET):g}" in cells
    if not seen:
        print("  (the project's row:", cells, ")")
    return {"clicks": clicks, "keys": keys, "to_item": shown - started, "to_saved": saved - started,
            "total": done - started, "seen": seen, "old": old}


def estimate(clicks: int, keys: int, steps: int) -> float:
    """Keystroke-level model: point and click each target, type, decide before each step."""
    return clicks * (POINT + CLICK) + keys * KEY + steps * THINK


def take_screenshots(browser, base: str, item: str) -> list[Path]:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    written = []
    views = {"review": f"review?item={item}", "review_queue": "review", "trail": "trail", "audit": "audit",
             "sources_corrected": "sources?doc={doc}&project={project}"}
    for device, (width, height) in WIDTHS.items():
        # tall: Streamlit scrolls inside its main block, so a page screenshot shows the viewport only
        context = browser.new_context(viewport={"width": width, "height": 3000}, locale="zh-CN")
        pg = context.new_page()
        for name, path in views.items():
            if name == "sources_corrected":
                from budgetperf.storing import store

                con = store.connect(os.environ["BUDGETPERF_DB"])
                try:
                    doc, project = con.execute("select d.file, p.name from projects p join documents d using (doc_id)"
                                               " where p.project_id = ?", [item]).fetchone()
                finally:
                    con.close()
                path = path.format(doc=doc, project=project)
            pg.goto(f"{base}/{path}")  # a new session: log in again where the page shows the forms
            wait_idle(pg)
            if name.startswith("review"):
                log_in(pg)
            pg.wait_for_timeout(800)
            target = out / f"{name}_{device}_{width}.png"
            pg.screenshot(path=str(target), full_page=True)
            written.append(target)
        context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=0, help="a province: tests/province.py copies (0 = seeds)")
    parser.add_argument("--runs", type=int, default=3, help="how many times to fix a figure (fresh store each)")
    parser.add_argument("--screenshots", action="store_true", help="also write screenshots of the new pages")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from budgetperf import settings
    from budgetperf.bench.load import AppServer

    chromium = settings.get("BUDGETPERF_CHROMIUM") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory(prefix="measure_correction_") as tmp:
        folder = Path(tmp)
        env = prepare(folder, args.copies)
        pristine = folder / "pristine.duckdb"
        shutil.copy(env["BUDGETPERF_DB"], pristine)
        item, project, old, region = first_item(env)
        print(f"task: the queue's first item, 「{project}」（{region}）: its 年初预算 {old:g} 万元 → {NEW_BUDGET} 万元")
        app = AppServer(Path(env["BUDGETPERF_DB"]), env, options=("--client.toolbarMode", "minimal"))
        results = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                for run in range(args.runs):
                    shutil.copy(pristine, env["BUDGETPERF_DB"])  # publish-like replace: the app reopens it
                    Path(env["BUDGETPERF_CORRECTIONS"]).unlink(missing_ok=True)
                    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
                    pg = context.new_page()
                    pg.goto(f"{app.url}/review")
                    wait_idle(pg)
                    log_in(pg)
                    results.append(fix_one_budget(pg, app.url, project, old, region))
                    context.close()
                    r = results[-1]
                    print(f"run {run + 1}: item open {r['to_item']:.1f} s, saved {r['to_saved']:.1f} s, "
                          f"corrected figure on 预算执行 {r['total']:.1f} s (shown: {r['seen']})")
                if args.screenshots:
                    written = take_screenshots(browser, app.url, item)
                    print(f"screenshots: {len(written)} files in screenshots/")
                browser.close()
        finally:
            app.stop()
    r = results[-1]
    totals = sorted(x["total"] for x in results)
    steps = 5  # choose the item, the figure, the reason, save, go and check
    print()
    print(f"fixing one wrong budget figure (数据校对 open and logged in → corrected figure on 预算执行):")
    print(f"  clicks: {r['clicks']}   keystrokes: {r['keys']} ({1 + len(NEW_BUDGET)} for the figure incl. select-all,"
          f" {len(REASON)} for the reason)")
    print(f"  app time (browser + server, no thinking): median {totals[len(totals) // 2]:.1f} s"
          f" (min {totals[0]:.1f}, max {totals[-1]:.1f}) over {len(totals)} runs;"
          f" of which typing and saving (re-extract, publish, rerun) {r['to_saved'] - r['to_item']:.1f} s")
    print(f"  a person (keystroke-level model, plus the app time): about "
          f"{estimate(r['clicks'], r['keys'], steps) + totals[len(totals) // 2]:.0f} s")


if __name__ == "__main__":
    main()
