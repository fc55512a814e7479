"""The part of a scanned page a value was read from, under its source lines: found
from the OCR cache's word boxes, rendered from the original, shown only for OCR'd
documents, and a note in its place when the original is gone."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from budgetperf.bench.ocr import render_pdf, scan_pages, scanned_pdf
from budgetperf.reading import page_crops
from budgetperf.reading.formats import read_bytes
from tests.conftest import ingest
from tests.test_formats_ocr import PAGE

ROW = "产出指标\t培训人次\t1200人次\t9.5"


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    """The same page as a scanned PDF, a scanned PNG and a text-layer PDF, with an OCR
    cache of this module's own (set in the environment for the module)."""
    folder = tmp_path_factory.mktemp("crops")
    saved = os.environ.get("BUDGETPERF_OCR_CACHE_DIR")
    os.environ["BUDGETPERF_OCR_CACHE_DIR"] = str(folder / "ocr-cache")
    text_pdf = render_pdf(PAGE)
    image = scan_pages(text_pdf, seed=3)[0]
    png = io.BytesIO()
    image.save(png, "PNG")
    files = {"scan.pdf": scanned_pdf([image]), "scan.png": png.getvalue(), "text.pdf": text_pdf}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    yield folder, files
    if saved is None:
        os.environ.pop("BUDGETPERF_OCR_CACHE_DIR", None)
    else:
        os.environ["BUDGETPERF_OCR_CACHE_DIR"] = saved


@pytest.fixture(scope="module")
def store(originals, ref):
    folder, files = originals
    db = folder / "store" / "budgetperf.duckdb"
    db.parent.mkdir()
    # OCR in this process first: ingest extracts in a child capped at 1 GB of address
    # space, less than the OCR engine takes (a cold-cache scan is refused there)
    for name in ("scan.pdf", "scan.png"):
        read_bytes(files[name], name)
    results = ingest(db, [folder / name for name in files], ref)
    assert [r.status for r in results] == ["added"] * len(files), results
    return db


def _line_of(db: Path, file: str, text: str) -> int:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select l.line_no from source_lines l join documents d using (doc_id) "
                           "where d.file = ? and l.text = ?", [file, text]).fetchone()[0]


def _page(files, name):
    return page_crops.ocr_page(hashlib.sha256(files[name]).hexdigest(), Path(name).suffix, 1)


@pytest.mark.parametrize("name", ["scan.pdf", "scan.png"])
def test_a_line_is_found_again_on_its_scanned_page(store, originals, name):
    _, files = originals
    page = _page(files, name)
    rows = [page_crops.find_band(page, [line]) for line in ("一级指标\t三级指标\t年度指标值\t得分", ROW,
                                                              "效益指标\t群众满意度\t≥90%\t10")]
    assert all(rows) and rows[0].bottom <= rows[1].top + 5 and rows[1].bottom <= rows[2].top + 5
    assert rows[1].x1 - rows[1].x0 > 0.4 * page.width  # the whole row, label to score
    assert page_crops.find_band(page, ["没有这一行"]) is None
    assert page_crops.find_band(page, [""]) is None


def test_the_crop_is_the_band_of_the_page_around_the_line(store, originals):
    from PIL import Image

    _, files = originals
    page = _page(files, "scan.pdf")
    band = page_crops.find_band(page, [ROW])
    crop = Image.open(io.BytesIO(page_crops.crop_png(files["scan.pdf"], ".pdf", 1, page, band)))
    assert crop.width == page.width
    assert band.bottom - band.top < crop.height < 6 * band.line_height


def test_a_text_layer_page_has_no_ocr_page(store, originals):
    _, files = originals
    assert _page(files, "text.pdf") is None
    assert page_crops.page_cache_key("0" * 64, ".docx", 1) is None


def _source_context():
    import streamlit as st

    from budgetperf.app import sources

    sources.source_context(st.session_state["file"], st.session_state["line"], st.session_state["line"])


def _run(db: Path, reports: Path, file: str, line: int, monkeypatch) -> AppTest:
    monkeypatch.setenv("BUDGETPERF_DB", str(db))
    monkeypatch.setenv("BUDGETPERF_REPORTS_DIR", str(reports))
    at = AppTest.from_function(_source_context, default_timeout=120)
    at.session_state["file"] = file
    at.session_state["line"] = line
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("name", ["scan.pdf", "scan.png"])
def test_an_ocr_read_line_shows_the_page_image_beside_it(store, name, monkeypatch):
    at = _run(store, store.parent / "originals", name, _line_of(store, name, ROW), monkeypatch)
    assert len(at.image) == 1
    assert "9.5" in at.get("html")[0].proto.body  # the recognised text stays beside the image


def test_a_text_layer_line_shows_no_image(store, monkeypatch):
    at = _run(store, store.parent / "originals", "text.pdf", _line_of(store, "text.pdf", ROW), monkeypatch)
    assert len(at.image) == 0 and not [c for c in at.caption if "图像" in c.value]


def test_without_the_original_a_note_says_why(store, tmp_path, monkeypatch):
    line = _line_of(store, "scan.pdf", ROW)
    at = _run(store, tmp_path / "empty", "scan.pdf", line, monkeypatch)
    assert len(at.image) == 0
    assert any("报告文件夹中没有这份原件" in c.value for c in at.caption)


def test_a_replaced_original_is_not_cropped(store, tmp_path, monkeypatch):
    (tmp_path / "scan.png").write_bytes(b"\x89PNG another file")
    shutil.copy(store.parent / "originals" / "scan.pdf", tmp_path / "scan.pdf")
    at = _run(store, tmp_path, "scan.png", _line_of(store, "scan.png", ROW), monkeypatch)
    assert len(at.image) == 0 and any("原件已更换" in c.value for c in at.caption)

