"""`python -m budgetperf export`: a page's charts to PNG, ZIP, XLSX or PPTX from the shell.

The charts are the page's own: the page script runs headless under Streamlit's
AppTest (no server, no browser) with the filters given, and its recorded exports
(`frame.page_exports`, collected by `app.headless`) go through the same `export`
functions as the 导出 panel. So
the CLI can never drift from what the app shows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from budgetperf import settings
from budgetperf.app import headless
from budgetperf.app.filter_specs import describe
from budgetperf.export import packs
from budgetperf.storing import store


def run_export(args) -> int:
    """Entry point for the `export` subcommand (see cli.build_parser)."""
    if args.db:
        os.environ["BUDGETPERF_DB"] = str(Path(args.db).resolve())
    if not Path(settings.get("BUDGETPERF_DB")).is_file():
        print(f"错误：找不到数据库：{settings.get('BUDGETPERF_DB')}（请先运行 `budgetperf build` 生成）", file=sys.stderr)
        return 2
    try:
        title, charts_, summary = headless.collect_page(args.page, args.year, args.region)
    except headless.PageRunError as exc:
        print(f"错误：{exc.message_zh}", file=sys.stderr)
        return 2
    if not charts_:
        print(f"错误：页面「{title}」在这些筛选条件下没有图表（请换一个 --year/--region）", file=sys.stderr)
        return 1
    note = describe({"years": args.year, "regions": args.region})
    stem = packs.export_filename(title, f"{len(charts_)}张图表", args.region, args.year)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        if args.format == "xlsx":
            out.write_bytes(packs.build_xlsx(charts_, note, _corrections(args.year, args.region)))
            written = [out]
        else:
            pngs = packs.render_pngs(charts_)
            if args.format == "zip":
                out.write_bytes(packs.build_zip(charts_, pngs, stem))
                written = [out]
            elif args.format == "pptx":
                out.write_bytes(packs.build_pptx(charts_, pngs, note, f"{title}（{note}）", summary))
                written = [out]
            else:
                written = _write_pngs(out, charts_, pngs, title, args)
    except packs.ChromiumMissingError as exc:
        print(f"错误：{packs.INSTALL_HINT_ZH}（{exc}）", file=sys.stderr)
        return 2
    finally:
        packs.stop_export_browser()
    for path in written:
        print(f"已写出 {path}")
    print(f"共 {len(charts_)} 张图表，来自「{title}」页（{note}）")
    return 0


def _corrections(years: list[int] | None, regions: list[str] | None):
    """The applied corrections under the export's filters (the 更正记录 sheet)."""
    con = store.connect(read_only=True)
    try:
        return store.run_query("review/corrections", con=con, years=years or None, regions=regions or None,
                               limit=5000)
    finally:
        con.close()


def _write_pngs(out: Path, charts_, pngs, title, args) -> list[Path]:
    """One chart and an --out ending in .png: that file. Otherwise --out is a folder
    that receives one meaningfully named PNG per chart."""
    if out.suffix.lower() == ".png" and len(charts_) == 1:
        out.write_bytes(pngs[0])
        return [out]
    folder = out.with_suffix("") if out.suffix.lower() == ".png" else out
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chart, png in zip(charts_, pngs):
        path = folder / packs.export_filename(title, chart.name, args.region, args.year, "png")
        path.write_bytes(png)
        written.append(path)
    return written
