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
    return ChartExport(name, title or "空白", fig, DATA, "数据来源：000_c45d5bc83af97699.txt")


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
    assert [c.value for c in ws[4]][:3] == ["地区", "预算（万元）", "执行率（%）"]
    assert ws["B5"].value == 87 and "万元" in ws["B5"].number_format and "%" in ws["C6"].number_format
    assert ws.freeze_panes == "A5" and ws.auto_filter.ref == "A4:C6"
    assert len(ws._charts) == 1
    assert ws.column_dimensions["B"].width >= 12


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
    # a chart slide is its picture alone: the PNG carries the title, filters and
    # source once; the notes hold the same words
    slide = deck.slides[1]
    assert [shape.shape_type for shape in slide.shapes] == [13]  # one picture
    assert not [shape for shape in slide.shapes if shape.has_text_frame]
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
