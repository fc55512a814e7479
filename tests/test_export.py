"""Export files are opened and checked: PNG size and glyphs, ZIP members, XLSX sheets,
formats and native charts, PPTX slides, and concurrent renders not mixing up."""

import io
import threading
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from PIL import Image, ImageChops

from budgetperf.export import packs
from budgetperf.export.packs import (
    PNG_HEIGHT,
    PNG_SCALE,
    PNG_WIDTH,
    ChartExport,
    ChromiumMissingError,
    build_pptx,
    build_xlsx,
    build_zip,
    export_filename,
    render_pngs,
)

needs_chromium = pytest.mark.skipif(packs.chromium_path() is None, reason="chromium not installed (make system-deps)")

DATA = pd.DataFrame({"地区": ["乐亭县", "三门峡市"], "预算（万元）": [87.0, 110.0], "执行率（%）": [100.0, 89.72]})


def chart(title: str, name: str = "c") -> ChartExport:
    fig = go.Figure(go.Bar(x=DATA["地区"], y=DATA["预算（万元）"]))
    fig.update_layout(title=title, font=dict(family="Noto Sans CJK SC, sans-serif"), template="plotly_white")
    table = {"category": "地区", "categories": list(DATA["地区"]), "unit": "万元", "kind": "bar",
             "series": [{"name": "预算", "values": list(DATA["预算（万元）"])}]}
    return ChartExport(name, title or "空白", fig, DATA, "数据来源：000_c45d5bc83af97699.txt", table=table)


@pytest.mark.parametrize("args, expected", [
    (("预算执行", "执行率", ["乐亭县", "三门峡市"], [2021], "png"), "预算执行_执行率_乐亭县-三门峡市_2021.png"),
    (("总览", "关键指标", None, None, "xlsx"), "总览_关键指标_全部地区_全部年度.xlsx"),
    (("审核", "a/b:c", ["x y"], [2025, 2021], ""), "审核_a_b_c_x_y_2021-2025"),
])
def test_export_filename(args, expected):
    assert export_filename(*args) == expected


def test_xlsx_has_formatted_sheets_and_native_charts():
    data = build_xlsx([chart("预算执行情况"), chart("执行率对比")], "年度=2021；地区=全部")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["预算执行情况", "执行率对比"]
    ws = wb["预算执行情况"]
    assert ws["A1"].value == "预算执行情况" and "年度=2021" in ws["A2"].value and "数据来源" in ws["A3"].value
    # what the chart draws, then its native chart beside it
    assert [c.value for c in ws[4]][:2] == ["地区", "预算（万元）"]
    assert ws["B5"].value == 87 and "万元" in ws["B5"].number_format
    assert ws.freeze_panes == "A5" and len(ws._charts) == 1
    # then every row of the data behind it, with its filter
    start = next(r for r in range(5, ws.max_row + 1) if str(ws.cell(row=r, column=1).value).startswith("明细"))
    assert ws.cell(row=start, column=1).value == "明细（2 行）"
    assert [c.value for c in ws[start + 1]][:3] == ["地区", "预算（万元）", "执行率（%）"]
    assert "%" in ws.cell(row=start + 2, column=3).number_format and ws.auto_filter.ref == f"A{start + 1}:C{start + 3}"
    assert ws.column_dimensions["B"].width >= 12


def test_a_figure_without_a_drawn_table_exports_its_data():
    data = build_xlsx([ChartExport("c", "甲", go.Figure(), DATA, "来源：1 份报告")], "全部")
    ws = load_workbook(io.BytesIO(data))["甲"]
    assert [c.value for c in ws[4]][:3] == ["地区", "预算（万元）", "执行率（%）"] and not ws._charts


def test_xlsx_without_charts_says_so():
    wb = load_workbook(io.BytesIO(build_xlsx([], "地区=无")))
    assert "没有可导出的图表" in wb["说明"]["A1"].value


def test_zip_has_one_png_per_chart():
    charts = [chart("甲", "a"), chart("乙", "b")]
    data = build_zip(charts, [b"\x89PNG-a", b"\x89PNG-b"], "预算执行")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == ["预算执行_01_a.png", "预算执行_02_b.png"]


def test_pptx_one_slide_per_chart_plus_cover():
    from pptx import Presentation

    png = io.BytesIO()
    Image.new("RGB", (PNG_WIDTH, PNG_HEIGHT), "white").save(png, "PNG")
    deck = Presentation(io.BytesIO(build_pptx([chart("甲"), chart("乙")], [png.getvalue()] * 2, "全部", "预算执行")))
    assert len(deck.slides) == 3
    cover = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert "预算执行" in cover and "筛选条件：全部" in cover
    # a chart slide: its title in the title placeholder, the picture under it; the
    # notes hold the same words
    slide = deck.slides[1]
    assert [shape.shape_type for shape in slide.shapes] == [14, 13]  # title placeholder, picture
    assert slide.shapes.title.text == "甲"
    notes = slide.notes_slide.notes_text_frame.text
    assert "甲" in notes and "数据来源" in notes


def test_missing_chromium_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("BUDGETPERF_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ChromiumMissingError) as info:
        render_pngs([chart("甲")])
    # in words for the person exporting: whom to ask, what still works; no command
    assert "数据管理员" in info.value.message_zh and "相机" in info.value.message_zh
    assert "apt-get" not in info.value.message_zh and "apt-get install" in str(info.value)


def _title_band(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png)).convert("L")
    return image.crop((0, 0, image.width // 2, int(image.height * 0.15)))


@needs_chromium
def test_png_decodes_at_expected_size_and_draws_chinese_glyphs():
    pngs = render_pngs([chart("预算执行率对比"), chart("绩效评价得分"), chart("")])
    images = [Image.open(io.BytesIO(p)) for p in pngs]
    assert all(im.size == (PNG_WIDTH * PNG_SCALE, PNG_HEIGHT * PNG_SCALE) for im in images)
    first, second, blank = (_title_band(p) for p in pngs)
    # Drawn at all (differs from no title) and drawn as glyphs: with a missing font
    # two different titles of similar length would be the same row of empty boxes.
    assert ImageChops.difference(first, blank).getbbox() is not None
    assert ImageChops.difference(first, second).getbbox() is not None


@needs_chromium
def test_concurrent_exports_do_not_mix_up_images():
    titles = {"A": ["甲一", "甲二", "甲三"], "B": ["乙一", "乙二", "乙三"]}
    expected = {k: [_title_band(p).tobytes() for p in render_pngs([chart(t) for t in v])] for k, v in titles.items()}
    packs.clear_png_cache()  # both threads must really render, at the same time
    results = {}

    def worker(key):
        results[key] = [_title_band(p).tobytes() for p in render_pngs([chart(t) for t in titles[key]])]

    threads = [threading.Thread(target=worker, args=(k,)) for k in titles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert results == expected


@needs_chromium
def test_a_repeat_export_is_served_from_the_png_cache(monkeypatch):
    import kaleido

    first = render_pngs([chart("缓存测试")])

    def fail(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", fail)
    assert render_pngs([chart("缓存测试")]) == first


# ---------------------------------------------------------------------------
# native Excel charts that say what the page says (issue 21)

@pytest.fixture(scope="module")
def page_charts(dash_store):
    """The seed store's charts of 预算执行, built by the chart builders the page uses."""
    from budgetperf import charts
    from budgetperf.storing.store import connect, run_query

    con = connect(dash_store)
    try:
        gaps = run_query("execution/largest_gaps", con=con, limit=charts.TOP_N)
        lowest = run_query("execution/lowest_rates", con=con, limit=charts.TOP_N)
        bands = run_query("execution/rate_histogram", con=con)
        plans = run_query("execution/spending_plan_summary", con=con)
    finally:
        con.close()
    items = [("各项目预算与执行", charts.budget_vs_executed(gaps), gaps), ("各项目执行率", charts.execution_rate(lowest), lowest),
             ("执行率分布", charts.rate_histogram(bands), bands), ("支出进度计划", charts.spending_plan_summary(plans), plans)]
    for _name, fig, _df in items:  # what the page puts on each (display.show_chart)
        charts.set_context(fig, "2021、2024、2025 年；全部地区")
    return packs.chart_exports(items, charts.LABELS, charts.source_line)


def _chart_cells(ws, reference: str) -> list:
    from openpyxl.utils.cell import range_boundaries

    sheet_ref = reference.split("!")[-1].replace("$", "")
    min_col, min_row, max_col, max_row = range_boundaries(sheet_ref)
    return [ws.cell(row=r, column=c).value for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]


def test_native_excel_charts_name_what_the_chart_draws(page_charts):
    wb = packs.build_workbook(page_charts, "全部数据")
    for ws in wb.worksheets:
        [chart] = ws._charts
        categories = _chart_cells(ws, chart.series[0].cat.strRef.f)  # words: a string reference
        headers = [_chart_cells(ws, s.tx.strRef.f)[0] for s in chart.series]
        assert categories and not any(".txt" in str(c) for c in categories), ws.title  # names, not files
        units = {h.rsplit("（", 1)[-1] for h in headers}
        assert len(units) == 1, (ws.title, headers)  # one unit per axis: no % bars on the 万元 axis
    gaps = wb["各项目预算与执行（万元）"]
    assert "网络宣传管理和文化建设经费（三门峡市 2021）" in _chart_cells(gaps, gaps._charts[0].series[0].cat.strRef.f)
    bands = wb["执行率分布（项目数）"]
    assert set(_chart_cells(bands, bands._charts[0].series[0].cat.strRef.f)) == {"85–90%", "100%"}  # labelled bands
    plans = wb["支出进度计划（累计占预算 %）"]
    header = [c.value for c in plans[4]]
    assert header[1] == "按预算加权平均（%）" and plans["B5"].value == pytest.approx(25)  # a percentage, not a count


def test_no_spreadsheet_cell_from_a_report_is_a_formula():
    hostile = ["=HYPERLINK(\"http://evil.test\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1"]
    df = pd.DataFrame({"项目": hostile, "原因": ["正常文字"] * len(hostile), "预算（万元）": [1.0] * len(hostile)})
    table = build_xlsx([ChartExport("c", "甲", go.Figure(), df, "来源：1 份报告")], "地区=" + hostile[0],
                       pd.DataFrame({"reason": hostile, "new_value": hostile}))
    for data in (table, packs.build_table_xlsx(df, sheet="表", title=hostile[0], filters_note=hostile[3])):
        wb = load_workbook(io.BytesIO(data))
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        leading = [c for c in cells if isinstance(c.value, str) and c.value.startswith(packs.FORMULA_LEADERS)]
        assert leading and all(c.quotePrefix for c in leading)
    text = packs.build_csv(df).decode("utf-8-sig")
    assert all(f"'{h}" in text for h in ("=HYPERLINK", "+1+1", "-2+3", "@SUM(A1)"))
    assert text.splitlines()[1].endswith(",正常文字,1.0")  # numbers stay numbers


def test_the_deck_has_titles_a_headline_slide_and_plain_notes(page_charts):
    from pptx import Presentation

    png = io.BytesIO()
    Image.new("RGB", (PNG_WIDTH, PNG_HEIGHT), "white").save(png, "PNG")
    summary = packs.Summary("2021 年 2 个地区加权执行率 94.26%", (("加权执行率（2021 年）", "94.26%", "+1.00 个百分点"),
                                                          ("预算（2021 年）", "197.00 万元", "")))
    deck = Presentation(io.BytesIO(build_pptx(page_charts, [png.getvalue()] * len(page_charts), "全部数据", "预算执行",
                                              summary)))
    slides = list(deck.slides)
    assert len(slides) == 2 + len(page_charts)
    assert slides[1].shapes.title.text == "2021 年 2 个地区加权执行率 94.26%"
    table = next(s for s in slides[1].shapes if s.has_table).table
    assert table.cell(1, 1).text == "94.26%" and table.cell(1, 2).text == "+1.00 个百分点"
    for slide, chart in zip(slides[2:], page_charts):
        assert slide.shapes.title is not None and slide.shapes.title.text == chart.title
        notes = slide.notes_slide.notes_text_frame.text
        assert "<" not in notes and "&lt;" not in notes and "全部地区" in notes


def test_the_headline_slide_notes_carry_the_reports_explanations(page_charts):
    from pptx import Presentation

    png = io.BytesIO()
    Image.new("RGB", (PNG_WIDTH, PNG_HEIGHT), "white").save(png, "PNG")
    said = "三门峡市：报告所述（存在的问题）：a<b>c =1+1（第 80 行）"
    summary = packs.Summary("2021 年", (("加权执行率（2021 年）", "94.26%", ""),), (said,))
    deck = Presentation(io.BytesIO(build_pptx(page_charts, [png.getvalue()] * len(page_charts), "全部数据", "总览",
                                              summary)))
    notes = list(deck.slides)[1].notes_slide.notes_text_frame.text.splitlines()
    assert notes[-2:] == ["报告中的说明：", said]  # report text as written, nothing dropped
    plain_deck = Presentation(io.BytesIO(build_pptx(page_charts, [png.getvalue()] * len(page_charts), "全部数据",
                                                    "总览", packs.Summary("2021 年"))))
    assert "报告中的说明" not in list(plain_deck.slides)[1].notes_slide.notes_text_frame.text
