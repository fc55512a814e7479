"""The part of a scanned page a value was read from, shown under its source lines on
数据来源 and 数据校对 (and wherever `sources.source_context` shows lines): a person
checks what OCR read against the paper without opening the original.

Only for lines read by OCR (a scanned PDF page whose recognition is in the OCR
cache, an image file); text read from a text layer is exact and gets no image. The
crop is rendered from the original in the reports folder (`reading.page_crops`) and
cached per original, page and lines; when the original is gone from the folder
(deleted, archived, replaced) a note says so instead.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from budgetperf import settings
from budgetperf.app.store_cache import query
from budgetperf.reading import page_crops

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def _original(file: str) -> Path:
    return Path(settings.get("BUDGETPERF_REPORTS_DIR")) / file


@st.cache_data(show_spinner=False, max_entries=256)
def _crop(path: str, mtime_ns: int | None, content_hash: str, page_no: int, texts: tuple[str, ...],
          ocr_version: int | None) -> tuple[bytes | None, str | None]:
    """(PNG of the crop, None) or (None, a Chinese note) or (None, None): the page was
    not read by OCR. The original's `mtime_ns` and the OCR cache entry's
    `ocr_version` are part of the key, so a restored original or a page recognised
    again is looked at again."""
    suffix = Path(path).suffix.lower()
    page = page_crops.ocr_page(content_hash, suffix, page_no)
    if page is None:
        if suffix in IMAGE_SUFFIXES:  # an image is always read by OCR: only the cache entry is gone
            return None, (f"第 {page_no} 页的文字识别结果已不在缓存中，暂不能显示原件图像；"
                          "重新导入或重建数据库后即可显示。")
        return None, None  # a page with a text layer: its text is exact
    if mtime_ns is None:
        return None, (f"报告文件夹中没有这份原件（可能已删除或移到归档文件夹），无法显示扫描页面的图像；"
                      f"请在原件第 {page_no} 页核对。")
    data = Path(path).read_bytes()
    if hashlib.sha256(data).hexdigest() != content_hash:
        return None, f"报告文件夹中的原件已更换，与入库的版本不同，无法显示扫描页面的图像；请在原件第 {page_no} 页核对。"
    band = page_crops.find_band(page, list(texts))
    if band is None:
        return None, f"未能在扫描页面上找到这一行，请在原件第 {page_no} 页核对。"
    try:
        return page_crops.crop_png(data, suffix, page_no, page, band), None
    except Exception:  # a renderer failing on an odd file must not take the page down
        return None, f"扫描页面的图像无法生成，请在原件第 {page_no} 页核对。"


def show_page_crop(file: str, lines: pd.DataFrame, line_start: int, line_end: int) -> None:
    """Under the source lines of `file` (the `sources/lines` rows shown), the part of
    the scanned page that holds the cited lines [line_start, line_end], or a note
    saying why it cannot be shown; nothing for text that was not recognised."""
    if Path(file).suffix.lower() not in (".pdf", *IMAGE_SUFFIXES) or lines.empty or "page" not in lines:
        return
    cited = lines[(lines["line_no"] >= line_start) & (lines["line_no"] <= line_end) & lines["page"].notna()]
    if cited.empty:
        return
    document = query("sources/original", doc=file)
    if document.empty:
        return
    page_no = int(cited.iloc[0]["page"])
    texts = tuple(str(t or "") for t, p in zip(cited["text"], cited["page"]) if int(p) == page_no)
    path = _original(file)
    try:
        mtime_ns = path.stat().st_mtime_ns if path.is_file() else None
    except OSError:
        mtime_ns = None
    content_hash = str(document.iloc[0]["content_hash"])
    png, note = _crop(str(path), mtime_ns, content_hash, page_no, texts,
                      page_crops.cached_version(content_hash, path.suffix.lower(), page_no))
    if png is not None:
        st.image(png, caption=f"原件第 {page_no} 页（扫描件）上的这一处：请对照识别出的文字核对")
    elif note:
        st.caption(f"🖼 {note}")
