"""`python -m budgetperf export`: a page's charts to PNG, ZIP, XLSX or PPTX from the shell.

The charts are the page's own: the page script runs headless under Streamlit's
AppTest (no server, no browser) with the filters given, and its recorded exports
(`frame.page_exports`) go through the same `export` functions as the 导出 panel. So
the CLI can never drift from what the app shows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from budgetperf import settings
from budgetperf.app import registry
from budgetperf.app.filter_specs import describe
from budgetperf.export import packs

APP = settings.ROOT / "app.py"


def _quiet_streamlit() -> None:
    """Keep Streamlit's runtime chatter ("missing ScriptRunContext", bare-mode notes)
    out of the CLI: the page runs headless on purpose. Errors still show."""
    import logging

    from streamlit import logger

    logger.set_log_level("error")
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


class ExportError(Exception):
    """The page could not be exported (unknown page, page error, nothing to export)."""


def resolve_page(name: str) -> tuple[str, str]:
    """A page's (path, title) by key or Chinese title: --page execution / --page 预算执行."""
    spec = registry.find(name)
    if spec is None or not spec.is_exportable:
        known = ", ".join(f"{p.key} ({p.title})" for p in registry.exportable())
        raise ExportError(f"没有页面「{name}」；可用的页面：{known}")
    return spec.path, spec.title


def collect_page_charts(page: str, years: list[int] | None, regions: list[str] | None) -> tuple[str, list[packs.ChartExport]]:
    """Run the page headless with these filters; return its title and charts."""
    _quiet_streamlit()
    from streamlit.testing.v1 import AppTest

    from budgetperf import charts

    path, title = resolve_page(page)
    at = AppTest.from_file(str(APP), default_timeout=120)
    if years:
        at.query_params["years"] = [str(y) for y in years]
    if regions:
        at.query_params["regions"] = list(regions)
    at.switch_page(path)
    at.run()
    if at.exception:
        raise ExportError(f"页面「{title}」运行出错：{at.exception[0].message}")
    problems = [e.value for e in at.error]
    if problems:
        raise ExportError(f"页面「{title}」显示错误：{problems[0]}")
    items = at.session_state["ui.exports"] if "ui.exports" in at.session_state else []
    return title, packs.chart_exports(items, charts.LABELS, charts.source_line)


def run_export(args) -> int:
    """Entry point for the `export` subcommand (see cli.build_parser)."""
    if args.db:
        os.environ["BUDGETPERF_DB"] = str(Path(args.db).resolve())
    from budgetperf import settings

    if not Path(settings.get("BUDGETPERF_DB")).is_file():
        print(f"错误：找不到数据库：{settings.get('BUDGETPERF_DB')}（请先运行 `budgetperf build` 生成）", file=sys.stderr)
        return 2
    try:
        title, charts_ = collect_page_charts(args.page, args.year, args.region)
    except ExportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
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
                out.write_bytes(packs.build_pptx(charts_, pngs, note, f"{title}（{note}）"))
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
    from budgetperf.storing import store

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
