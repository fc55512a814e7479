"""Scans and images by OCR: models in the package, no network, levelling, rulings,
cache, progress, mixed PDFs, bad images, confidence and look-alike slips."""

from __future__ import annotations

import io
import socket
import sysconfig
from pathlib import Path

import pytest

from budgetperf.bench.ocr import render_pdf, scan_pages, scanned_pdf
from budgetperf.reading import ReadError, ocr
from budgetperf.reading.blocks import Cell, Paragraph, Place, SourceDocument, Table
from budgetperf.reading.formats import read_bytes
from budgetperf.reading.grid import Piece, fill, ruled_grid, split_tables
from budgetperf.reading.lookalikes import correct, correct_text, reference_terms
from budgetperf.reading.pdf import read_pdf
from budgetperf.understanding.records import DocumentFacts, Indicator, Project, Provenance, Value
from budgetperf.understanding.scanned import add_ocr_reasons


def _cells(texts):
    return tuple(Cell(t, 1, 1, k) for k, t in enumerate(texts))


PAGE = SourceDocument("page.txt", "txt", [], blocks=[
    Paragraph("2023年度某某项目支出绩效自评报告", 1, 1),
    Paragraph("一、项目基本情况：年度预算数为1,250.00万元，执行率98.69%。", 2, 2),
    Table((_cells(["一级指标", "三级指标", "年度指标值", "得分"]), _cells(["产出指标", "培训人次", "1200人次", "9.5"]),
           _cells(["效益指标", "群众满意度", "≥90%", "10"])), 3, 5),
    Paragraph("二、存在的问题：部分资金拨付滞后。", 6, 6),
])


@pytest.fixture(scope="module")
def page_images():
    """The page printed and scanned (200 dpi, tilted about 1°, noisy): upright and upside down."""
    image = scan_pages(render_pdf(PAGE), seed=3)[0]
    return image, image.rotate(180)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETPERF_OCR_CACHE_DIR", str(tmp_path / "ocr-cache"))


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_models_ship_inside_the_installed_package():
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    files = ocr.model_files()
    assert len(files) >= 3
    assert all(site in f.resolve().parents and f.stat().st_size > 100_000 for f in files)


def test_a_scanned_image_reads_with_the_network_blocked(page_images, monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    doc = read_bytes(_png(page_images[0]), "scan.png")
    assert doc.fmt == "image" and doc.ocr_pages == (1,)
    assert "2023年度某某项目支出绩效自评报告" in doc.lines
    assert any("1,250.00万元" in line and "98.69%" in line for line in doc.lines)
    table = next(b for b in doc.blocks if isinstance(b, Table))  # found from the rulings in the image
    assert table.texts() == [["一级指标", "三级指标", "年度指标值", "得分"], ["产出指标", "培训人次", "1200人次", "9.5"],
                             ["效益指标", "群众满意度", "≥90%", "10"]]
    assert all(c.confidence is not None for row in table.rows for c in row if c.text)
    assert doc.places[table.line_start] == Place(page=1, table=1)
    assert set(doc.confidence) == set(range(1, len(doc.lines) + 1))


def test_an_upside_down_page_is_turned_back(page_images):
    doc = read_bytes(_png(page_images[1]), "turned.png")
    assert "2023年度某某项目支出绩效自评报告" in doc.lines


def test_a_page_read_once_comes_from_the_cache(page_images, monkeypatch):
    data = _png(page_images[0])
    first = read_bytes(data, "scan.png")

    def no_ocr(image):
        raise AssertionError("OCR ran again for a cached page")

    monkeypatch.setattr(ocr, "_run", no_ocr)
    again = read_bytes(data, "renamed.png")  # another name, the same content
    assert again.lines == first.lines and again.confidence == first.confidence


def test_progress_is_reported_page_by_page(page_images):
    out = io.BytesIO()
    page_images[0].save(out, "TIFF", save_all=True, append_images=[page_images[0].rotate(0.5, fillcolor=255)])
    seen = []
    with ocr.progress_to(lambda name, page, pages: seen.append((name, page, pages))):
        doc = read_bytes(out.getvalue(), "two.tif")
    assert seen == [("two.tif", 1, 2), ("two.tif", 2, 2)]
    assert {doc.places[n].page for n in doc.places} == {1, 2}


def test_a_pdf_with_some_scanned_pages_is_read_page_by_page(page_images):
    import pypdfium2 as pdfium

    text_pdf = pdfium.PdfDocument(render_pdf(SourceDocument("a", "txt", [], blocks=[
        Paragraph("第一页有文字层：项目名称 某某项目", 1, 1)])))
    scanned = pdfium.PdfDocument(scanned_pdf([page_images[0]]))
    text_pdf.import_pages(scanned)
    out = io.BytesIO()
    text_pdf.save(out)
    doc = read_pdf(out.getvalue(), "mixed.pdf")
    assert doc.ocr_pages == (2,)
    assert doc.lines[0] == "第一页有文字层：项目名称 某某项目" and doc.places[1].page == 1
    assert "二、存在的问题：部分资金拨付滞后。" in doc.lines
    assert all(n not in doc.confidence for n in doc.places if doc.places[n].page == 1)


def test_a_blank_scan_says_no_text_was_found():
    from PIL import Image

    with pytest.raises(ReadError) as info:
        read_bytes(_png(Image.new("L", (800, 1100), 255)), "blank.png")
    assert "没有识别出文字" in info.value.message_zh


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + b"\0" * 50, b"GIF89a not really", "文字".encode()])
def test_a_broken_image_says_so(data):
    with pytest.raises(ReadError) as info:
        read_bytes(data, "broken.png")
    assert "图片" in info.value.message_zh


def test_an_enormous_image_is_refused_before_it_is_decoded(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(ocr, "MAX_PIXELS", 10_000)
    with pytest.raises(ReadError) as info:
        read_bytes(_png(Image.new("L", (200, 200), 255)), "big.png")
    assert "过大" in info.value.message_zh


def test_without_the_ocr_engine_the_message_says_what_to_install(monkeypatch, page_images):
    import sys

    monkeypatch.setattr(ocr, "_ENGINE", None)
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    with pytest.raises(ReadError) as info:
        read_bytes(_png(page_images[0]), "scan.png")
    assert "rapidocr" in info.value.message_zh


@pytest.mark.parametrize("raw, tidy", [
    ("项目名称:某某项目", "项目名称：某某项目"),
    ("产出指标(50分)", "产出指标（50分）"),
    ("项目（专项资金)名称", "项目（专项资金）名称"),
    ("预算1，250.00万元", "预算1,250.00万元"),
    ("满意度≥90%", "满意度≥90%"),
    ("ISO (9001) A:B", "ISO (9001) A:B"),
])
def test_ocr_punctuation_is_put_back_as_the_report_has_it(raw, tidy):
    assert ocr.tidy_text(raw) == tidy


def test_rulings_become_a_grid_with_merged_cells():
    # a 3x3 grid whose top-left cell spans two columns and whose left column merges rows 2-3
    h = [(0, 0, 90, 0), (0, 10, 90, 10), (30, 20, 90, 20), (0, 30, 90, 30)]
    v = [(0, 0, 0, 30), (30, 10, 30, 30), (60, 0, 60, 30), (90, 0, 90, 30)]
    groups = split_tables(h + v + [(200, 0, 300, 0)], tol=1.0)  # a line elsewhere on the page is not part of it
    assert sorted(map(len, groups)) == [1, 8]
    grid = ruled_grid(max(groups, key=len), tol=1.0)
    pieces = [Piece("一级指标", 5, 2, 25, 8), Piece("得分", 65, 2, 80, 8), Piece("产出", 5, 12, 20, 18),
              Piece("数量", 35, 12, 50, 18), Piece("9", 65, 12, 70, 18, score=0.6), Piece("质量", 35, 22, 50, 28)]
    assert fill(grid, pieces) == [
        [("一级指标", 0, 2, False, None), ("得分", 2, 1, False, None)],
        [("产出", 0, 1, False, None), ("数量", 1, 1, False, None), ("9", 2, 1, False, 0.6)],
        [("", 0, 1, True, None), ("质量", 1, 1, False, None), ("", 2, 1, False, None)],
    ]


def test_a_frame_or_an_underline_is_not_a_table():
    assert ruled_grid([(0, 0, 100, 0), (0, 50, 100, 50), (0, 0, 0, 50), (100, 0, 100, 50)], tol=1.0) is None
    assert ruled_grid([(0, 0, 100, 0)], tol=1.0) is None


# ---------------------------------------------------------------------------
# look-alike slips and review reasons

TERMS = reference_terms(["三门峡市", "安徽省", "内江市", "内蒙古自治区"], ["网络安全和信息化委员会办公室"])


@pytest.mark.parametrize("read, fixed", [
    ("2021年度三内峡市互联网舆情研究", "2021年度三门峡市互联网舆情研究"),  # 门 read as 内
    ("安微省合肥市", "安徽省合肥市"),                                    # 徽 read as 微
    ("项目主管部内：某局", "项目主管部门：某局"),
    ("内江市", "内江市"),              # a real name is never "corrected" into another
    ("内蒙古自治区", "内蒙古自治区"),
    ("全部内容已完成", "全部内容已完成"),  # everyday words are left alone
])
def test_slips_are_corrected_against_the_reference(read, fixed):
    assert correct_text(read, TERMS)[0] == fixed


def test_only_ocr_lines_are_corrected_and_each_slip_is_recorded():
    doc = SourceDocument("s.pdf", "pdf", ["三内峡市报告", "三内峡市报告"], blocks=[Paragraph("三内峡市报告", 1, 1),
                                                                          Paragraph("三内峡市报告", 2, 2)],
                         confidence={1: 0.99})
    slips = correct(doc, TERMS)
    assert [(s.line, s.was, s.now) for s in slips] == [(1, "三内峡市", "三门峡市")]
    assert doc.lines == ["三门峡市报告", "三内峡市报告"]  # line 2 is exact text (a text layer): untouched
    assert doc.blocks[0].text == "三门峡市报告" and doc.blocks[1].text == "三内峡市报告"


def test_low_confidence_lines_and_slips_become_review_reasons():
    doc = SourceDocument("s.pdf", "pdf", ["标题", "培训人次 1200", "得分 9", "备注 ？？"],
                         confidence={1: 0.99, 2: 0.95, 3: 0.42, 4: 0.3})
    prov = Provenance("s.pdf", 3, 3, "得分 9")
    project = Project("某项目", "evaluation", Provenance("s.pdf", 1, 4), total_score=Value(9, prov),
                      indicators=[Indicator("产出指标", None, "培训人次", "1200", None, None, None,
                                            Provenance("s.pdf", 2, 2))])
    facts = DocumentFacts("s.pdf", "pdf", projects=[project])
    from budgetperf.reading.lookalikes import Slip

    add_ocr_reasons(doc, facts, [Slip(1, "三内峡", "三门峡")])
    [on_project] = project.review_reasons
    assert on_project.code == "ocr_low_confidence" and "第 3 行（0.42）" in on_project.message_zh
    codes = {r.code: r.message_zh for r in facts.review_reasons}
    assert "第 4 行（0.30）" in codes["ocr_low_confidence"]  # a line no value came from: something may be missed
    assert "「三内峡」→「三门峡」" in codes["ocr_corrected"]


def test_exact_text_never_gets_ocr_reasons():
    facts = DocumentFacts("r.txt", "txt")
    add_ocr_reasons(SourceDocument("r.txt", "txt", ["x"]), facts, [])
    assert facts.review_reasons == []


def test_a_scan_read_for_the_first_time_is_not_refused_by_the_file_limits(page_images, tmp_path):
    """Uploads and ingests read a file in a child limited to what a hostile file may
    take (1 GB, 20 s); OCR needs more, and is granted it page by page, with the
    pages' progress passed on to the caller (the upload page, the CLI)."""
    from budgetperf.storing.extracting import extract_isolated
    from budgetperf.storing.reference import load_reference

    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf([page_images[0], page_images[0]]))
    seen = []
    with ocr.progress_to(lambda name, page, pages: seen.append((page, pages))):
        ex, result = extract_isolated(path, load_reference())
    assert result.status == "added", result.reason_en
    assert seen == [(1, 2), (2, 2)]
    assert "部分资金拨付滞后" in "".join(ex.source.lines)
