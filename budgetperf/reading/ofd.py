"""OFD documents (GB/T 33190, China's fixed-layout format): the text objects of
each page with their positions, down the same path as a PDF's words.

Owns reading the OFD package (a zip of XML files) with the standard library:
OFD.xml names the document (DocBody/DocRoot), Document.xml lists the pages and
templates, each page's Content.xml holds TextObjects (TextCode runs placed in
millimetres from the page's top-left, with glyph advances in DeltaX, `g N v`
meaning N times v), PathObjects (the lines tables are ruled with) and
ImageObjects. Text runs become positioned pieces; ruled lines become table grids
(`grid`); the rest is read line by line like a PDF page (`layout`). A page with no
text but an image (a scanned OFD) is read by OCR (`ocr`).

Limits: the package is checked like a .docx before it is opened (`limits`), XML
with a DTD is refused (no entity tricks; expat never fetches external entities),
paths are resolved loosely (producers write `/Doc_0/…`, backslashes, other cases).
Known limitations: templates (page numbers, headers) and annotations, seals and
signatures are not read; only the first document of the package is read; vertical
text and text in CompositeObjects are not read. Must not interpret the report.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree as ET

from budgetperf.reading.ocr import (
    cache_key,
    cached_page,
    image_pages,
    page_items as ocr_page_items,
    recognise,
    report_progress,
)
from budgetperf.reading.blocks import SourceDocument, normalize_text
from budgetperf.reading.grid import Piece, Segment
from budgetperf.reading.layout import PageTable, TextLine, assemble, ruled_page_items
from budgetperf.reading.problems import ReadError

MM_TO_PT = 72 / 25.4
MAX_XML_BYTES = 50 * 1024 * 1024


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el, name: str) -> list:
    return [c for c in el if _local(c.tag) == name] if el is not None else []


def _find(el, *path: str):
    for name in path:
        if el is None:
            return None
        el = next(iter(_children(el, name)), None)
    return el


def _nums(text: str | None) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", text or "")]


def _deltas(text: str | None) -> list[float]:
    """DeltaX/DeltaY: `g 16 3.5 1.75` is 16 advances of 3.5 then one of 1.75."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        try:
            if tokens[i] == "g" and i + 2 < len(tokens):
                out += [float(tokens[i + 2])] * min(int(float(tokens[i + 1])), 100_000)
                i += 3
            else:
                out.append(float(tokens[i]))
                i += 1
        except ValueError:
            i += 1
    return out


def _apply(ctm: list[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = ctm
    return a * x + c * y + e, b * x + d * y + f


class _Package:
    """The OFD zip, its XML parts looked up loosely by path."""

    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ReadError(f"corrupt .ofd: {exc}", "OFD 文件已损坏或不是有效的 .ofd（可能下载不完整或只是改了扩展名）") from exc
        self.names = {n.replace("\\", "/").lstrip("/").lower(): n for n in self.zip.namelist()}

    def read(self, path: str) -> bytes:
        name = self.names.get(posixpath.normpath(path.replace("\\", "/")).lstrip("/").lower())
        if name is None:
            raise KeyError(path)
        if self.zip.getinfo(name).file_size > MAX_XML_BYTES:
            raise ReadError(f"OFD part {name} is too large", "OFD 文件中的部件过大，疑似异常文件，未读取")
        return self.zip.read(name)

    def xml(self, path: str):
        data = self.read(path)
        if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
            raise ReadError("OFD part declares a DTD", "OFD 文件内部含有不允许的声明（DTD），疑似异常文件，未读取")
        return ET.fromstring(data)


def read_ofd(data: bytes, name: str) -> SourceDocument:
    """Read an OFD report from bytes into paragraphs and ruled tables, page by page.

    Raises `ReadError` for a package that is not an OFD or holds no text."""
    package = _Package(data)
    try:
        root = package.xml("OFD.xml")
        doc_root = (_find(root, "DocBody", "DocRoot").text or "").strip()
        document = package.xml(doc_root)
    except ReadError:
        raise
    except (KeyError, AttributeError, ET.ParseError) as exc:
        raise ReadError(f"not an OFD document: {exc}", "OFD 文件结构不完整（缺少 OFD.xml 或文档描述），无法读取") from exc
    base = posixpath.dirname(doc_root.replace("\\", "/").lstrip("/"))

    def resolve(loc: str) -> str:
        loc = loc.replace("\\", "/")
        return loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc)

    media = _media(package, document, resolve)
    items: list[TextLine | PageTable] = []
    scanned: list[int] = []
    pages = _children(_find(document, "Pages"), "Page")
    for page_no, entry in enumerate(pages, start=1):
        try:
            content = package.xml(resolve(entry.get("BaseLoc", "")))
        except (KeyError, ET.ParseError) as exc:
            raise ReadError(f"OFD page {page_no} unreadable: {exc}", f"OFD 文件第 {page_no} 页已损坏，无法读取") from exc
        pieces, segments, images = _page_objects(content)
        if pieces:
            items.extend(ruled_page_items(pieces, segments, page_no, tol=2.0))
        elif images:
            image = _largest_image(package, media, images)
            if image is not None:
                scanned.append(page_no)
                items.extend(_scanned(image, page_no, len(pages), name))
    if not items:
        raise ReadError("OFD has no text", "OFD 文件中没有可读的文字内容")
    return assemble(items, name, "ofd", ocr_pages=tuple(scanned))


def _objects(el):
    """Text, path and image objects under a page's content, through layers and blocks."""
    for child in el:
        kind = _local(child.tag)
        if kind in ("Content", "Layer", "PageBlock"):
            yield from _objects(child)
        elif kind in ("TextObject", "PathObject", "ImageObject"):
            yield child


def _page_objects(content) -> tuple[list[Piece], list[Segment], list]:
    """Text runs as pieces, ruling segments and image objects of one page (points)."""
    pieces: list[Piece] = []
    segments: list[Segment] = []
    images = []
    body = _find(content, "Content")
    for obj in _objects(body if body is not None else content):
        kind = _local(obj.tag)
        if kind == "TextObject":
            pieces.extend(_text_pieces(obj))
        elif kind == "PathObject":
            segments.extend(_path_segments(obj))
        else:
            images.append(obj)
    return pieces, segments, images


def _text_pieces(obj) -> list[Piece]:
    """One piece per TextCode: its text from the first glyph's origin to the last
    glyph's advance (assumed one em), baseline at Y."""
    bx, by = (_nums(obj.get("Boundary")) + [0.0, 0.0])[:2]
    ctm = _nums(obj.get("CTM"))
    ctm = ctm if len(ctm) == 6 else [1, 0, 0, 1, 0, 0]
    try:
        size = float(obj.get("Size", "3.5"))
    except ValueError:
        size = 3.5
    scale = (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5 or 1.0
    out = []
    for code in _children(obj, "TextCode"):
        text = normalize_text(code.text or "")
        if not text.strip():
            continue
        x, y = (_nums(code.get("X")) or [0.0])[0], (_nums(code.get("Y")) or [0.0])[0]
        width = sum(_deltas(code.get("DeltaX"))[: len(text) - 1]) + size
        x0, y0 = _apply(ctm, x, y)
        x1, _ = _apply(ctm, x + width, y)
        height = size * scale
        out.append(Piece(text.strip(), (bx + x0) * MM_TO_PT, (by + y0 - 0.85 * height) * MM_TO_PT,
                         (bx + x1) * MM_TO_PT, (by + y0 + 0.15 * height) * MM_TO_PT))
    return out


def _path_segments(obj) -> list[Segment]:
    """Straight segments of a PathObject (M/L/C of its AbbreviatedData; curves are
    skipped, `C` closes), in points."""
    bx, by = (_nums(obj.get("Boundary")) + [0.0, 0.0])[:2]
    ctm = _nums(obj.get("CTM"))
    ctm = ctm if len(ctm) == 6 else [1, 0, 0, 1, 0, 0]
    data = _find(obj, "AbbreviatedData")
    segments: list[Segment] = []
    current = start = None
    for command, args in re.findall(r"([A-Za-z])([^A-Za-z]*)", data.text if data is not None and data.text else ""):
        values = _nums(args)
        if command == "M" and len(values) >= 2:
            current = start = _apply(ctm, values[0], values[1])
        elif command == "L" and len(values) >= 2 and current:
            point = _apply(ctm, values[0], values[1])
            segments.append((*current, *point))
            current = point
        elif command == "C" and current and start:
            segments.append((*current, *start))
            current = start
    return [((bx + a) * MM_TO_PT, (by + b) * MM_TO_PT, (bx + c) * MM_TO_PT, (by + d) * MM_TO_PT)
            for a, b, c, d in segments]


def _media(package: _Package, document, resolve) -> dict[str, str]:
    """Image resource ID -> its file in the package (DocumentRes/PublicRes MultiMedia)."""
    out: dict[str, str] = {}
    common = _find(document, "CommonData")
    for kind in ("DocumentRes", "PublicRes"):
        for res in _children(common, kind):
            path = resolve((res.text or "").strip())
            try:
                root = package.xml(path)
            except (KeyError, ET.ParseError, ReadError):
                continue
            folder = posixpath.join(posixpath.dirname(path), root.get("BaseLoc", ""))
            for medias in _children(root, "MultiMedias"):
                for item in _children(medias, "MultiMedia"):
                    file = _find(item, "MediaFile")
                    if item.get("ID") and file is not None and file.text:
                        out[item.get("ID")] = posixpath.join(folder, file.text.strip())
    return out


def _largest_image(package: _Package, media: dict[str, str], images: list):
    """The page's largest image object's bytes (the scan), or None."""
    def area(obj) -> float:
        box = _nums(obj.get("Boundary")) + [0, 0, 0, 0]
        return box[2] * box[3]

    for obj in sorted(images, key=area, reverse=True):
        path = media.get(obj.get("ResourceID", ""))
        if path is None:
            continue
        try:
            return package.read(path)
        except KeyError:
            continue
    return None


def _scanned(image: bytes, page_no: int, pages: int, name: str) -> list[TextLine | PageTable]:
    """OCR of a scanned OFD page's image, from the cache when read before."""
    key = cache_key(image, "ofd-image")
    page = cached_page(key)
    if page is None:
        frames = list(image_pages(image))
        gray, dpi = frames[0]
        page = recognise(gray, key, dpi)
    report_progress(name, page_no, pages)
    return ocr_page_items(page, page_no)
