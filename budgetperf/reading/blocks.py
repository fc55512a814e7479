"""The intermediate form every reader produces and every parser consumes.

A report, whatever its format, becomes a `SourceDocument`: its text lines (1-based
line numbers, used for provenance and snippets) and an ordered list of blocks,
each either a `Paragraph` or a `Table`. Parsers never look at the original file,
so a table from a .docx, a .pdf, an .xlsx sheet or a flattened .txt looks the same.

This module must not import streamlit, duckdb or any file-format library.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Paragraph:
    """One logical line of running text and where it sits in `SourceDocument.lines`."""

    text: str
    line_start: int
    line_end: int


@dataclass(frozen=True)
class Cell:
    """One table cell; wrapped lines inside the cell are already joined.

    Readers that know the table's grid (.docx, .xlsx, ruled .pdf, pipe and
    space-aligned text) also say where the cell sits in it: `col` is the grid column
    of its left edge and `col_span` how many grid columns it covers (a merged
    得分 over two columns); `is_continuation` marks the empty stand-in for a cell
    merged from the row above (a 一级指标 cell spanning several rows). Flattened
    text tables (one cell per line) carry no grid: `col` is None there.
    """

    text: str
    line_start: int
    line_end: int
    col: int | None = None
    col_span: int = 1
    is_continuation: bool = False
    # OCR only: the lowest recognition score (0..1) of the words in the cell; None
    # for text that was not recognised from an image (it is exact).
    confidence: float | None = None


@dataclass(frozen=True)
class Table:
    """A grid of cells. Rows may have different lengths (merged or lost cells)."""

    rows: tuple[tuple[Cell, ...], ...]
    line_start: int
    line_end: int

    def texts(self) -> list[list[str]]:
        """The grid as plain strings, convenient for classification."""
        return [[c.text for c in row] for row in self.rows]


Block = Paragraph | Table


@dataclass(frozen=True)
class Place:
    """Where a line sits in the original file, beside its line number: the page
    (PDF, OFD, scan; 1-based), the sheet (Excel) and the table (1-based count of
    tables in the document, None outside tables). 数据来源 shows it next to the
    line, so a person can find the value in the original."""

    page: int | None = None
    sheet: str | None = None
    table: int | None = None


@dataclass
class SourceDocument:
    """A file turned into text lines plus ordered blocks.

    `lines[i]` is line number i+1. For .txt files these are the file's own lines; for
    .docx/.pdf/.xlsx they are the reader's rendering of the file (one paragraph,
    PDF text line or sheet row per line), which is what provenance line numbers and
    snippets point into.
    """

    file: str
    fmt: str
    lines: list[str]
    blocks: list[Block] = field(default_factory=list)
    encoding: str | None = None
    # line number -> where it is in the file (see `Place`); lines not listed have
    # no place beyond their number (a .txt file).
    places: dict[int, Place] = field(default_factory=dict)
    # line number -> the lowest OCR recognition score (0..1) of a word on that
    # line, for lines recognised from a scanned page or image only. The extractor
    # turns scores under `LOW_CONFIDENCE` on lines a value came from into a
    # needs_review reason (`understanding.doubts`); exact text has no entry.
    confidence: dict[int, float] = field(default_factory=dict)
    # pages read by OCR (1-based), for the message that says a file was a scan
    ocr_pages: tuple[int, ...] = ()

    def snippet(self, line_start: int, line_end: int, limit: int = 400) -> str:
        """The source text of a line range, trimmed for display."""
        if line_start < 1:
            return ""
        text = "\n".join(self.lines[line_start - 1 : line_end]).strip()
        return text if len(text) <= limit else text[: limit - 1] + "…"


# A line OCR read with a word scored lower than this is worth a person's look. The
# engine scores clean print at 0.95-1.0 and garbled or half-read text (a line it
# took upside down, specks read as characters) well below 0.9; it also misreads a
# few characters with full confidence, which no threshold catches (see
# `understanding.scanned`).
LOW_CONFIDENCE = 0.9


def number_tables(doc: SourceDocument) -> SourceDocument:
    """Fill `places[line].table` with the 1-based index of the table each table
    line belongs to, keeping the page or sheet a reader already set."""
    index = 0
    for block in doc.blocks:
        if not isinstance(block, Table):
            continue
        index += 1
        for line in range(block.line_start, block.line_end + 1):
            place = doc.places.get(line, Place())
            doc.places[line] = Place(place.page, place.sheet, index)
    return doc


# Characters that Word/WPS exports and PDF text layers scatter through reports.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = {ord(c): " " for c in "\u3000\u00a0\u2002\u2003\u2009\u202f"}
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_FULLWIDTH_DIGITS = {ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")}
_FULLWIDTH_PUNCT = {ord("．"): ".", ord("％"): "%", ord("＞"): ">", ord("＜"): "<", ord("＝"): "="}
# Fonts embedded by Chrome, WPS and some Word exports map shared glyphs back to
# Kangxi radicals (⽬ U+2F6C for 目) or CJK radical forms (⺠ U+2EA0 for 民): the text
# looks right but no longer matches, and users paste such text into .docx and .txt
# too. Kangxi radicals and compatibility ideographs have NFKC decompositions; the
# radical supplement needs this table (whole-character forms only, from Unicode's
# EquivalentUnifiedIdeograph.txt).
_RADICAL_SUPPLEMENT = dict(zip(map(ord, "⺠⻄⻅⻆⻉⻋⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⺜⺝⺩⻁"),
                               "民西见角贝车長长门雨青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙日月王虎"))
_IDEOGRAPH_FORMS = {
    cp: unicodedata.normalize("NFKC", chr(cp))
    for cp in [0x2E9F, 0x2EF3, *range(0x2F00, 0x2FD6), *range(0xF900, 0xFB00)]
    if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
}
# One table, one pass per line: normalization runs on every line of every report.
_NORMALIZE = str.maketrans({**_ZERO_WIDTH, **_SPACES, **_FULLWIDTH_DIGITS, **_FULLWIDTH_PUNCT,
                            **_IDEOGRAPH_FORMS, **_RADICAL_SUPPLEMENT})
_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Normalize one line of report text before any parsing.

    Why: the same report typed in Word, exported by WPS or extracted from a PDF uses
    ideographic spaces (U+3000), NBSP, zero-width characters, full-width digits,
    radical code points standing in for ideographs (`项⽬`) and `[bookmark: _GoBack]`
    markers left by docx-to-text converters. Parsers match on
    ASCII digits and plain spaces, so they all go through here first.
    Full-width Chinese punctuation (，。：（）) is kept: it carries meaning for
    splitting sentences and the source wording must survive.
    Known limitation: other compatibility characters (e.g. circled digits ① used as
    enumerations) are left as they are on purpose; parsers handle them.
    """
    text = text.translate(_NORMALIZE)
    return _BOOKMARK.sub("", text) if "[bookmark" in text else text


@lru_cache(maxsize=8192)
def compact(text: str) -> str:
    """Text with all whitespace removed: cell values wrapped across lines in CJK
    reports must be joined without a space (`社会效益` + `指标`). Cached: parsers ask
    for the compact form of the same paragraph many times."""
    return _WHITESPACE.sub("", text)


def is_cjk(char: str) -> bool:
    """True for CJK ideographs and CJK punctuation."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def join_wrapped(parts: list[str]) -> str:
    """Join a cell's or sentence's wrapped lines: no space between CJK characters,
    one space between two Latin words or numbers."""
    if len(parts) == 1:  # most cells: nothing to join
        return parts[0].strip()
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out
