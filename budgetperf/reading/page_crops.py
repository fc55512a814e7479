"""Where on a scanned page a line was read, and that part of the page as an image:
what 数据来源 and 数据校对 show beside a value that OCR read, so a person can check
it against the paper.

The store keeps a line's page, not its place on the page. The OCR cache does: every
recognised word with its box, in the pixels of the page as the engine saw it
(levelled by `OcrPage.angle`, turned back by `OcrPage.turned`). So a line is found
again on its page by its text (`find_band`), and the page is rendered the same way
(pypdfium2 for a PDF page at the OCR resolution, Pillow for an image file's frame,
then the same levelling and turn), so the boxes fall on the same pixels (`page_image`).

Only PDF pages and image files: a scanned OFD page's image is cached under the
image's own hash, not the file's. Known limitation: a line whose text appears twice
on a page (two identical table rows) is shown at its first place. Must not import
streamlit; caching the rendered crop is the app's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from budgetperf.reading import ocr
from budgetperf.reading.pdf import render_page

# A crop shows this many line heights of the page above and below the cited lines,
# so the row's neighbours (the table header, the label before a value) are in view.
CONTEXT_LINES = 1.5
# Suffixes whose pages may have been read by OCR, and the cache's name for a page.
_PAGE_KEYS = {".pdf": "pdf-page-{}", ".png": "image-{}", ".jpg": "image-{}", ".jpeg": "image-{}",
              ".tif": "image-{}", ".tiff": "image-{}"}


@dataclass(frozen=True)
class Band:
    """The part of a page (pixels, as the OCR saw it) that holds the cited lines."""

    x0: float
    top: float
    x1: float
    bottom: float
    line_height: float


def page_cache_key(content_hash: str, suffix: str, page_no: int) -> str | None:
    """The OCR cache key of page `page_no` of a file whose content hash (sha256 hex,
    `documents.content_hash`) is given; None for a format with no cached pages."""
    what = _PAGE_KEYS.get(suffix.lower())
    return ocr.cache_key_of_digest(content_hash, what.format(page_no)) if what else None


def ocr_page(content_hash: str, suffix: str, page_no: int) -> ocr.OcrPage | None:
    """The cached OCR of that page: None when the page was not read by OCR (a text
    layer page), or its cache entry is gone."""
    key = page_cache_key(content_hash, suffix, page_no)
    return ocr.cached_page(key) if key else None


def cached_version(content_hash: str, suffix: str, page_no: int) -> int | None:
    """When that page's OCR was cached (mtime_ns of the entry), None when it is not:
    part of the app's cache key for the crop, so a page recognised again is seen."""
    key = page_cache_key(content_hash, suffix, page_no)
    try:
        return ocr.cache_path(key).stat().st_mtime_ns if key else None
    except OSError:
        return None


def _squeeze(text: str) -> str:
    return "".join(str(text).split())


def find_band(page: ocr.OcrPage, texts: list[str]) -> Band | None:
    """Where the lines `texts` (as the store has them) were read on `page`: for each
    line, the row of recognised words that its text explains best (most characters
    of words found in the line, less those of words that are not); the band covers
    all of them. None when no word of any line is on the page."""
    words = []
    for line in page.words:
        for text, x0, top, x1, bottom, _score, _em in ocr.split_line(line):
            word = _squeeze(ocr.tidy_text(text))
            if word:
                words.append((word, x0, top, x1, bottom))
    if not words:
        return None
    heights = sorted(w[4] - w[2] for w in words)
    height = max(heights[len(heights) // 2], 1.0)
    rows: list[list[tuple]] = []  # words grouped by their vertical centre, top to bottom
    for word in sorted(words, key=lambda w: (w[2] + w[4]) / 2):
        centre = (word[2] + word[4]) / 2
        if rows and abs(centre - sum((w[2] + w[4]) / 2 for w in rows[-1]) / len(rows[-1])) < 0.5 * height:
            rows[-1].append(word)
        else:
            rows.append([word])
    found = []
    for text in texts:
        line = _squeeze(text)
        if not line:
            continue
        best, best_score = None, 0
        for row in rows:
            score = sum(len(w[0]) if w[0] in line else -len(w[0]) for w in row)
            if score > best_score:
                best, best_score = row, score
        if best is not None:
            found.extend(w for w in best if w[0] in line)
    if not found:
        return None
    return Band(min(w[1] for w in found), min(w[2] for w in found), max(w[3] for w in found),
                max(w[4] for w in found), height)


def page_image(data: bytes, suffix: str, page_no: int, page: ocr.OcrPage):
    """Page `page_no` of the file as the OCR saw it (a grayscale numpy array): rendered
    or decoded as the reader did, levelled and turned the same way."""
    import numpy as np

    if suffix.lower() == ".pdf":
        gray = render_page(data, page_no, int(page.dpi or ocr.DPI))
    else:
        gray = next((frame for k, (frame, _dpi) in enumerate(ocr.image_pages(data), start=1) if k == page_no), None)
        if gray is None:
            raise ValueError(f"the image has no page {page_no}")
    gray = np.ascontiguousarray(gray)
    if abs(page.angle) >= 0.1:
        gray = ocr.rotate(gray, page.angle)
    if page.turned:
        gray = np.ascontiguousarray(np.rot90(gray, k=page.turned // 90))
    return gray


def crop_png(data: bytes, suffix: str, page_no: int, page: ocr.OcrPage, band: Band) -> bytes:
    """PNG of the page's full width around `band` (`CONTEXT_LINES` above and below),
    the cited lines framed: a table row is read across the page, so its label and its
    value are both in view, and the frame says which row is meant."""
    from PIL import Image, ImageDraw

    gray = page_image(data, suffix, page_no, page)
    # the page as rendered now may differ in size from the one recognised (another
    # renderer version): scale the band onto it
    scale_x = gray.shape[1] / page.width if page.width else 1.0
    scale_y = gray.shape[0] / page.height if page.height else 1.0
    pad = CONTEXT_LINES * band.line_height
    top = max(0, int((band.top - pad) * scale_y))
    bottom = min(gray.shape[0], int((band.bottom + pad) * scale_y) + 1)
    image = Image.fromarray(gray[top:bottom, :]).convert("RGB")
    margin = 0.25 * band.line_height
    ImageDraw.Draw(image).rectangle(
        ((band.x0 - margin) * scale_x, (band.top - margin) * scale_y - top,
         (band.x1 + margin) * scale_x, (band.bottom + margin) * scale_y - top),
        outline=(230, 120, 0), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
