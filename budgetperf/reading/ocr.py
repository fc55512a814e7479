"""Text from images: scanned PDF pages and image files (.png .jpg .tif), by OCR.

Owns recognising one page image (`recognise`) and turning what was recognised into
the positioned lines and ruled tables every page-based reader shares (`page_items`,
then `layout.assemble`), plus the image-file reader (`read_image`).

- The engine is RapidOCR on ONNX Runtime (PP-OCR models, Apache-2.0) whose model
  files ship inside the installed `rapidocr` package: nothing is downloaded at run
  time (`model_files` lists them; a test checks they sit in site-packages). One
  engine per process, on one thread: extraction runs pages in worker processes.
- Before recognition the page is levelled: the skew angle is the one whose
  horizontal ink profile is most peaked (a ±15° sweep on a small copy); a page
  turned 90° or 180° is caught by its boxes standing upright or its low scores,
  and turned back.
- Table rulings are found in the image itself (long thin horizontal and vertical
  runs of ink) and laid out as ruled grids (`grid`); the words outside them go
  down the word-gap path of the borderless PDF tables (`layout`).
- Every word keeps its recognition score: a line's and a cell's lowest one is in
  `SourceDocument.confidence` and `Cell.confidence`, so the extractor can say which
  values need a look (`blocks.LOW_CONFIDENCE`).
- What was recognised is cached by content hash in ``BUDGETPERF_OCR_CACHE_DIR``
  (one JSON file per page), so a correction, re-ingest or rebuild never runs OCR
  again.
- Callers may follow progress page by page (`progress_to`).

Known limitations: handwriting, seals over text and vertical (top-to-bottom) text
are not read well; a rare character can come out as a look-alike (`lookalikes`
resolves names against the reference tables). Must not interpret the report.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from budgetperf import settings
from budgetperf.reading.blocks import SourceDocument, normalize_text
from budgetperf.reading.grid import Piece, Segment
from budgetperf.reading.layout import PageTable, TextLine, assemble, ruled_page_items
from budgetperf.reading.problems import ReadError

log = logging.getLogger(__name__)

DPI = 200  # scanned PDF pages are rendered at this resolution
# Images larger than this (pixels on the long side) are scaled down first: a 600 dpi
# A4 scan reads no better than at ~250 dpi and takes nine times as long.
MAX_SIDE_PX = 2900
MAX_PIXELS = 80_000_000  # a larger "image" is a decompression bomb, not a page
MAX_IMAGE_PAGES = 200
# Bump when what is cached changes shape or meaning, so old entries are ignored.
PIPELINE_VERSION = 2

NOT_INSTALLED = ReadError(
    "OCR engine not installed (rapidocr, onnxruntime, opencv-python-headless)",
    "读取扫描件和图片需要文字识别组件，本机尚未安装。请运行 make venv（或 pip install -r requirements.txt）"
    "安装 rapidocr、onnxruntime、opencv-python-headless 后重试；或改交带文字层的 PDF、Word 文件。",
)


@dataclass
class OcrPage:
    """What OCR found on one page image: its size (pixels), resolution, the angle it
    was levelled by, the words with their boxes and scores, and the rulings."""

    width: int
    height: int
    dpi: float
    angle: float
    # text, x0, y0, x1, y1, score, character centres, blank runs: one per recognised line
    words: list[tuple] = field(default_factory=list)
    rulings: list[Segment] = field(default_factory=list)
    turned: int = 0  # degrees the page was turned back (90/180/270)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> OcrPage:
        raw = json.loads(text)
        raw["words"] = [tuple(w) for w in raw["words"]]
        if any(len(w) != 8 for w in raw["words"]):
            raise ValueError("cached by an older pipeline")
        raw["rulings"] = [tuple(s) for s in raw["rulings"]]
        return cls(**raw)


# ---------------------------------------------------------------------------
# progress

_PROGRESS: ContextVar[Callable[[str, int, int], None] | None] = ContextVar("ocr_progress", default=None)


@contextlib.contextmanager
def progress_to(callback: Callable[[str, int, int], None]) -> Iterator[None]:
    """Within this block, `callback(file name, page, pages)` is called after each page
    a reader recognises (the upload page's progress bar, the CLI's stderr)."""
    token = _PROGRESS.set(callback)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def current_progress() -> Callable[[str, int, int], None] | None:
    """The callback `progress_to` set here, to hand on to another process's pages."""
    return _PROGRESS.get()


def report_progress(name: str, page: int, pages: int) -> None:
    callback = _PROGRESS.get()
    if callback is not None:
        callback(name, page, pages)


_BEFORE_PAGE: ContextVar[Callable[[], None] | None] = ContextVar("ocr_before_page", default=None)


@contextlib.contextmanager
def before_recognising(callback: Callable[[], None]) -> Iterator[None]:
    """Within this block, `callback()` is called before the engine recognises a page
    (not for a page read from the cache): recognising needs more memory and CPU time
    than the limits a file is read under, and the caller grants them there
    (`storing.isolation.allow`)."""
    token = _BEFORE_PAGE.set(callback)
    try:
        yield
    finally:
        _BEFORE_PAGE.reset(token)


# ---------------------------------------------------------------------------
# cache

def engine_signature() -> str:
    """What recognised a cached page: the engine's version and this pipeline's."""
    try:
        version = metadata.version("rapidocr")
    except metadata.PackageNotFoundError:
        version = "none"
    return f"rapidocr-{version}/p{PIPELINE_VERSION}/{DPI}dpi"


def cache_key(data: bytes, what: str) -> str:
    """The cache key of one page of a file: its content hash, which page, and the
    engine that reads it (a new engine reads pages again)."""
    return cache_key_of_digest(hashlib.sha256(data).hexdigest(), what)


def cache_key_of_digest(digest: str, what: str) -> str:
    """The same key from the file's sha256 hex digest (the store's content hash), so
    a page's cached OCR is found without the file (`page_crops`)."""
    return hashlib.sha256(f"{digest}:{what}:{engine_signature()}".encode()).hexdigest()


def cache_path(key: str) -> Path:
    """Where the cache entry of `key` is (it may not exist)."""
    return Path(settings.get("BUDGETPERF_OCR_CACHE_DIR")) / key[:2] / f"{key}.json"


def cached_page(key: str) -> OcrPage | None:
    """The cached OCR of a page, or None (never cached, or an unreadable entry)."""
    path = cache_path(key)
    try:
        return OcrPage.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        log.warning("ignoring unreadable OCR cache entry %s: %s", path, exc)
        return None


def _store(key: str, page: OcrPage) -> None:
    """Write a cache entry atomically; a cache that cannot be written (read-only
    disk, no permission) only costs the next read its OCR."""
    path = cache_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staged = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        staged.write_text(page.to_json(), encoding="utf-8")
        os.replace(staged, path)
    except OSError as exc:
        log.warning("cannot write OCR cache %s: %s", path, exc)


# ---------------------------------------------------------------------------
# the engine

_ENGINE = None
_ENGINE_LOCK = threading.Lock()


def _engine():
    """One RapidOCR engine per process, on one thread (pages run in parallel in the
    extraction workers instead); its models come from the installed package."""
    global _ENGINE
    if _ENGINE is None:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise NOT_INSTALLED from exc
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        _ENGINE = RapidOCR(params={
            "Global.log_level": "warning",
            # Keep words the engine is unsure of: a low score becomes a review reason
            # instead of a silently missing value.
            "Global.text_score": 0.3,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })
    return _ENGINE


def model_files() -> list[Path]:
    """The model files the engine loads, all inside the installed rapidocr package."""
    try:
        import rapidocr
    except ImportError as exc:
        raise NOT_INSTALLED from exc
    return sorted((Path(rapidocr.__file__).parent / "models").glob("*.onnx"))


def _run(image) -> list[tuple]:
    """The recognised lines of one image, as cached: (text, x0, y0, x1, y1, score,
    the x of each character's centre, the runs of blank paper inside the box).

    The engine returns a line of text per box and runs a form's label and value
    together (项目名称 网信… comes back as one box); the blank runs let `split_line`
    find the gaps again when the page is laid out. The page is levelled and turned
    upright before this, so the engine's per-line flip (which turned a line of
    circled numbers upside down now and then) is not used. All steps are always
    named in the call: RapidOCR keeps flags passed to a call for the calls after it."""
    import cv2

    with _ENGINE_LOCK:
        out = _engine()(image, use_det=True, use_cls=False, use_rec=True, return_word_box=True)
    if out.boxes is None or out.txts is None:
        return []
    ink = cv2.threshold(cv2.medianBlur(image, 3), 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    lines = []
    for box, text, score, chars in zip(out.boxes, out.txts, out.scores, out.word_results or [None] * len(out.txts)):
        xs, ys = [float(p[0]) for p in box], [float(p[1]) for p in box]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        centres = [round((min(p[0] for p in b) + max(p[0] for p in b)) / 2, 1) for _, _, b in chars] if chars else []
        blanks = _blank_columns(ink, x0, x1, top, bottom, 0.1 * (bottom - top))
        lines.append((text, round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1), round(float(score), 4),
                      centres if len(centres) == len(text) else [], blanks))
    return lines


def split_line(line: tuple) -> list[tuple[str, float, float, float, float, float, float]]:
    """A recognised line cut into words where blank paper wider than the characters'
    own margins crosses it (`_gap_needed`), each character going to the side its
    centre is on: (text, x0, y0, x1, y1, score, em) per word. The em is the median
    distance between neighbouring Chinese characters (their boxes from the engine
    are rough, their centres are not)."""
    text, x0, top, x1, bottom, score, centres, blanks = line
    pitches = [b - a for (a, ca), (b, cb) in zip(zip(centres, text), zip(centres[1:], text[1:]))
               if not ca.isascii() and not cb.isascii() and ca not in _HALF_BLANK and cb not in _HALF_BLANK]
    em = sorted(pitches)[len(pitches) // 2] if len(pitches) >= 2 else 0.75 * (bottom - top)
    if not centres:
        return [(text, x0, top, x1, bottom, score, round(em, 2))]
    bounds, cut_at = [x0], [0]
    for run_start, run_end in blanks:
        end = next((i for i, cx in enumerate(centres) if cx > (run_start + run_end) / 2), len(centres))
        if cut_at[-1] < end < len(centres) and run_end - run_start >= _gap_needed(text[end - 1], text[end]) * em:
            cut_at.append(end)
            bounds[-1:] = [bounds[-1], run_start, run_end]
    cut_at.append(len(centres))
    return [(text[cut_at[k]:cut_at[k + 1]], bounds[2 * k], top, bounds[2 * k + 1] if 2 * k + 1 < len(bounds) else x1,
             bottom, score, round(em, 2)) for k in range(len(cut_at) - 1)]


# Blank paper that belongs to a character, not to a gap: CJK punctuation is drawn
# in one half of its square.
# (OCR often writes the full-width forms as ASCII: the glyph on paper is still wide.)
_HALF_BLANK = set("、，。；：！？）】》」』”’（【《「『“‘·〔〕［］〈〉():;,!?")


def _gap_needed(left: str, right: str) -> float:
    """How wide (in em) blank paper between two characters must be to be a gap:
    more than a narrow glyph's margins (了, 一, 1) between characters, more between
    digits and letters (whose boxes are narrow), and more again after punctuation,
    which carries its own blank half."""
    if left in _HALF_BLANK or right in _HALF_BLANK:
        return 1.5
    if left.isascii() and right.isascii():
        return 0.6
    if left.isascii() or right.isascii():
        return 0.4  # a number and a word: their own margins are narrow
    return 0.5


def _blank_columns(ink, x0: float, x1: float, top: float, bottom: float, least: float) -> list[list[float]]:
    """[start, end] of each run of blank columns at least `least` wide strictly
    inside the box [x0, x1] × [top, bottom] of a binary ink image."""
    h, w = ink.shape
    a, b = max(0, int(x0)), min(w, int(x1) + 1)
    band = ink[max(0, int(top)):min(h, int(bottom) + 1), a:b]
    if band.size == 0:
        return []
    blank = band.sum(axis=0) <= 1  # a speck of noise is not ink
    out = []
    run_start = None
    for i, is_blank in enumerate(list(blank) + [False]):
        if is_blank and run_start is None:
            run_start = i
        elif not is_blank and run_start is not None:
            if run_start > 0 and i < len(blank) and i - run_start >= least:
                out.append([float(a + run_start), float(a + i)])
            run_start = None
    return out


# ---------------------------------------------------------------------------
# one page

def skew_angle(gray, limit: float = 15.0) -> float:
    """Degrees to rotate the page by to level it: the angle at which the rows of ink
    (text lines, rulings) are most sharply separated, from a coarse 0.5° sweep and
    a fine 0.05° one on a ~1000 px copy."""
    import cv2
    import numpy as np

    scale = 1000 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    bw = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    h, w = bw.shape

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0)
        return float(np.var(cv2.warpAffine(bw, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-limit, limit + 1e-9, 0.5), key=score)
    return round(float(max(np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05), key=score)), 2)


def rotate(gray, degrees: float):
    """The page turned by `degrees` (counter-clockwise) about its centre, the corners
    filled with white paper."""
    import cv2

    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def find_rulings(gray) -> list[Segment]:
    """Table rulings in a levelled page image: runs of ink a few pixels thick and
    longer than a character (a 50th of the page's width across, a 60th of its
    height upright: a one-line row is short), as segments (pixels). Strokes of
    characters that pass are left out by the grid, which wants borders from row
    border to row border."""
    import cv2

    h, w = gray.shape
    # No smoothing first: a median filter erases the 1-2 px rulings of a 200 dpi
    # scan; specks of noise do not survive the long opening below anyway.
    bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    out: list[Segment] = []
    for horizontal in (True, False):
        length = max(20, w // 50 if horizontal else h // 60)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        lines = cv2.morphologyEx(bw, cv2.MORPH_OPEN, kernel)
        # close small breaks left by noise or a faint scan
        lines = cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1) if horizontal else (1, 5)))
        count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        for x, y, bw_, bh, _ in stats[1:count]:
            if horizontal and bw_ >= length and bh <= 12:
                out.append((float(x), y + bh / 2, float(x + bw_), y + bh / 2))
            elif not horizontal and bh >= length and bw_ <= 12:
                out.append((x + bw_ / 2, float(y), x + bw_ / 2, float(y + bh)))
    return out


def recognise(image, key: str | None = None, dpi: float = DPI) -> OcrPage:
    """OCR of one page image (a 2-D grayscale numpy array): levelled, turned upright
    when it lies on its side or upside down, words and rulings found. Cached under
    `key` when one is given."""
    import numpy as np

    before = _BEFORE_PAGE.get()
    if before is not None:
        before()
    gray = np.ascontiguousarray(image)
    angle = skew_angle(gray)
    if abs(angle) >= 0.1:
        gray = rotate(gray, angle)
    words = _run(gray)
    turned = 0
    for degrees in _turns_to_try(words):
        candidate = np.ascontiguousarray(np.rot90(gray, k=degrees // 90))
        other = _run(candidate)
        if _weight(other) > _weight(words):
            gray, words, turned = candidate, other, degrees
    page = OcrPage(int(gray.shape[1]), int(gray.shape[0]), float(dpi), angle, [tuple(w) for w in words],
                   find_rulings(gray), turned)
    if key is not None:
        _store(key, page)
    return page


def _weight(words: list) -> float:
    """How much confident text a reading found: upright text scores high on many
    characters, a page read on its side or upside down low on few."""
    return sum(len(w[0]) * w[5] for w in words)


def _turns_to_try(words: list) -> list[int]:
    """Turns worth trying: 90 and 270 when most words stand upright (a page on its
    side), 180 when the scores are low for printed text (upside down)."""
    if not words:
        return [180]
    tall = sum(1 for w in words if (w[4] - w[2]) > 1.5 * (w[3] - w[1]) and len(w[0]) > 1)
    if tall > len(words) / 2:
        return [90, 270]
    mean = sum(w[5] for w in words) / len(words)
    return [180] if mean < 0.8 else []


# ---------------------------------------------------------------------------
# a page's words to lines and tables

# OCR writes ASCII punctuation where a Chinese report has the full-width form, and
# the reverse between digits: put each back where the text around it says.
_CJK = r"[\u3400-\u9fff]"
_TO_FULL = {":": "：", "(": "（", ")": "）", ";": "；", ",": "，"}


def tidy_text(text: str) -> str:
    """One recognised word as a report would have it: normalized like every reader's
    text, `，` between digits back to `,` (1,250.00), and `:()`;,` next to a Chinese
    character in their full-width form (项目名称：, （万元）)."""
    text = normalize_text(text).strip()
    text = re.sub(r"(?<=\d)[，,](?=\d{3}\b)", ",", text)
    text = re.sub(rf"(?<={_CJK})[:;,]|[:;,](?={_CJK})", lambda m: _TO_FULL[m.group()], text)

    def paren(m: re.Match) -> str:
        around = text[max(0, m.start() - 1):m.start()] + m.group(1) + text[m.end():m.end() + 1]
        return f"（{m.group(1)}）" if re.search(_CJK, around) else m.group()

    text = re.sub(r"\(([^()]*)\)", paren, text)
    # one half of a pair read full-width, the other not
    text = re.sub(r"（([^（）()]*)\)", r"（\1）", text)
    text = re.sub(r"\(([^（）()]*)）", r"（\1）", text)
    return text


def page_items(page: OcrPage, page_no: int) -> list[TextLine | PageTable]:
    """The page's ruled tables and its other words as text lines, top to bottom, in
    points (1/72 inch) like a PDF's text layer."""
    scale = 72.0 / (page.dpi or DPI)
    pieces = []
    for text, x0, y0, x1, y1, score, em in (word for line in page.words for word in split_line(line)):
        text = tidy_text(text)
        if text:
            pieces.append(Piece(text, x0 * scale, y0 * scale, x1 * scale, y1 * scale, score, em * scale or None))
    segments = [(a * scale, b * scale, c * scale, d * scale) for a, b, c, d in page.rulings]
    return ruled_page_items(pieces, segments, page_no, tol=2.5)


# ---------------------------------------------------------------------------
# image files

def image_pages(data: bytes):
    """(grayscale array, dpi) for each frame of an image file (a multi-page TIFF has
    several), scaled down when it is far larger than a page needs."""
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.size  # noqa: B018 - reading the header is what fails for a broken file
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ReadError(f"not a readable image: {exc}", "图片文件已损坏或不是支持的图片格式（支持 PNG、JPEG、TIFF），无法读取") from exc
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_IMAGE_PAGES:
        raise ReadError(f"image has {frames} pages (limit {MAX_IMAGE_PAGES})",
                        f"图片文件有 {frames} 页，超过 {MAX_IMAGE_PAGES} 页的上限，未读取")
    for index in range(frames):
        image.seek(index)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ReadError(f"image of {width}x{height} pixels is too large",
                            f"图片尺寸 {width}×{height} 像素过大（疑似异常文件），未读取")
        dpi = float((image.info.get("dpi") or (DPI, DPI))[0] or DPI)
        try:
            frame = ImageOps.exif_transpose(image.convert("L"))
        except OSError as exc:
            raise ReadError(f"truncated image: {exc}", "图片文件不完整（可能下载不完整或被截断），无法读取") from exc
        longest = max(frame.size)
        if longest > MAX_SIDE_PX:
            ratio = MAX_SIDE_PX / longest
            frame = frame.resize((round(frame.width * ratio), round(frame.height * ratio)), Image.Resampling.LANCZOS)
            dpi *= ratio
        yield np.asarray(frame), (dpi if 50 <= dpi <= 1200 else DPI)


def read_image(data: bytes, name: str) -> SourceDocument:
    """Read a scanned report saved as images (.png, .jpg, .tif; a TIFF may hold
    several pages) by OCR, page by page, from the cache when read before.

    Raises `ReadError` for a file that is not an image, or on which no text is found."""
    items: list[TextLine | PageTable] = []
    frames = list(image_pages(data))
    digest = hashlib.sha256(data).hexdigest()  # once per file, not per page
    for page_no, (gray, dpi) in enumerate(frames, start=1):
        key = cache_key_of_digest(digest, f"image-{page_no}")
        page = cached_page(key) or recognise(gray, key, dpi)
        report_progress(name, page_no, len(frames))
        items.extend(page_items(page, page_no))
    if not items:
        raise ReadError("no text recognised in the image", "图片中没有识别出文字（图像过于模糊或不是文字），无法提取")
    return assemble(items, name, "image", ocr_pages=tuple(range(1, len(frames) + 1)))
