"""Plain-text reports: decode bytes, then find paragraphs and tables in the lines.

Tables in text reports come in three shapes, all turned into `Table` blocks:
- flattened Word tables (one cell per line, each cell line starting with a tab, a
  blank line between rows; a cell wrapped over several lines continues on lines
  without the leading tab), as produced by common docx-to-text converters;
- markdown pipe tables (`| a | b |`);
- space-aligned tables (columns separated by two or more spaces) and
  tab-separated rows (`a<TAB>b<TAB>c` on one line).

`blocks_from_lines` also rebuilds blocks from a stored document's lines.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from budgetperf.reading.blocks import (
    Block,
    Cell,
    Paragraph,
    SourceDocument,
    Table,
    join_wrapped,
    normalize_text,
)
from budgetperf.reading.problems import ReadError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode report bytes, returning (text, encoding name).

    Order: a BOM decides; then UTF-16 without BOM (every other byte NUL); then strict
    UTF-8; then strict GB18030 (a superset of GBK/GB2312, the usual encoding of
    Chinese government documents); then charset-normalizer as a last resort.
    Binary data (NUL bytes that are not UTF-16, or mostly control characters) raises
    `ReadError` instead of producing garbage.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise _binary_error() from exc
    sample = data[:4000]
    if len(sample) >= 4 and b"\x00" in sample:
        zeros_odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
        zeros_even = sample[0::2].count(0) / max(1, len(sample[0::2]))
        for ratio, encoding in ((zeros_odd, "utf-16-le"), (zeros_even, "utf-16-be")):
            if ratio > 0.3:
                try:
                    return _check_printable(data.decode(encoding)), encoding
                except UnicodeDecodeError:
                    pass
        # CJK text in UTF-16 has few NULs; try both byte orders before giving up.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _cjk_share(text) > 0.3 and _plausible_share(text) > 0.9:
                return _check_printable(text), encoding
        raise _binary_error()
    for encoding in ("utf-8", "gb18030"):
        try:
            return _check_printable(data.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or _plausible_share(str(best)) < 0.9:
        raise _binary_error()
    return _check_printable(str(best)), best.encoding


# What report text is made of: ASCII, CJK ideographs and punctuation, full-width
# forms, common symbols (≥ ≤ ① …). Random bytes decoded as UTF-16 are ~35% this.
_PLAUSIBLE = re.compile(
    r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2010-\u205e\u2100-\u23ff\u2460-\u25ff\u2e80-\u2fdf"
    r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
)


def _plausible_share(text: str) -> float:
    sample = text[:4000]
    return len(_PLAUSIBLE.findall(sample)) / max(1, len(sample))


def _cjk_share(text: str) -> float:
    sample = text[:2000]
    return sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff") / max(1, len(sample))


# Control, private-use and surrogate-area characters: text never has many of them,
# random bytes decoded as UTF-16 always do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")


def _check_printable(text: str) -> str:
    sample = text[:4000]
    control = len(_CONTROL.findall(sample))
    if sample and control / len(sample) > 0.05:
        raise _binary_error()
    return text


def _binary_error() -> ReadError:
    return ReadError(
        "not a text report (binary or unknown encoding)",
        "无法识别为文本报告：文件是二进制数据或编码无法识别",
    )


def read_text_bytes(data: bytes, name: str) -> SourceDocument:
    """Read a .txt/.md report from bytes."""
    text, encoding = decode_text(data)
    lines = [normalize_text(line) for line in text.splitlines()]
    if not any(line.strip() for line in lines):
        raise ReadError("file has no text", "文件没有可读的文字内容")
    return SourceDocument(file=name, fmt="txt", lines=lines, blocks=blocks_from_lines(lines), encoding=encoding)


# ---------------------------------------------------------------------------
# lines -> blocks

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
# A field of a space-aligned row: words joined by single spaces; two or more
# spaces end it.
_ALIGNED_FIELD = re.compile(r"\S+(?: \S+)*")
# A rule under a header row (----, ====, ———): part of the table, not a row.
_RULE_LINE = re.compile(r"^\s*[-=—─━_+|:\s]{8,}$")
# A lost table header leaves a short label such as "（万元）" just above the first
# tab-indented cell; it belongs to the table, not to the text above.
_MAX_LEADING_LABEL = 10


def _is_blank(line: str) -> bool:
    return not line.strip(" \r\n\f\v")


def blocks_from_lines(lines: list[str]) -> list[Block]:
    """Split text lines into paragraphs and tables (see module docstring)."""
    blocks: list[Block] = []
    table_rows: list[tuple[Cell, ...]] = []
    blank_run = 0

    def flush_table() -> None:
        if table_rows:
            blocks.append(Table(tuple(table_rows), table_rows[0][0].line_start, table_rows[-1][-1].line_end))
            table_rows.clear()

    i, n = 0, len(lines)
    while i < n:
        if _is_blank(lines[i]):
            blank_run += 1
            i += 1
            continue
        j = i
        while j < n and not _is_blank(lines[j]):
            j += 1
        group = list(range(i, j))  # 0-based indices of a run of non-blank lines
        if blank_run >= 3:
            flush_table()
        blank_run = 0
        i = j
        if sum(_BOX_ROW.match(lines[k]) is not None for k in group) >= 2 \
                and any(_BOX_BORDER.match(lines[k]) for k in group):
            flush_table()
            blocks.extend(_box_drawn(lines, group))
            continue
        if _is_tab_separated(lines, group):
            flush_table()
            blocks.extend(_tab_separated(lines, group))
            continue
        if any(lines[k].startswith("\t") for k in group):
            first_tab = next(k for k in group if lines[k].startswith("\t"))
            leading = group[: group.index(first_tab)]
            label: list[int] = []
            # Inside a table, a row's first cell may wrap over several short lines
            # (a vertical label written 年/度/目/标, or 资金支出/计划（%）); before the
            # first row only the line just above can be the lost header's label.
            while leading and _looks_like_label(lines[leading[-1]]) and (table_rows or not label):
                label.insert(0, leading.pop())
            if leading:
                flush_table()
                blocks.extend(Paragraph(lines[k].strip(), k + 1, k + 1) for k in leading)
            table_rows.append(_tab_row(lines, label + group[group.index(first_tab):], label_lines=len(label)))
            continue
        if sum(1 for k in group if _PIPE_ROW.match(lines[k])) >= 2:
            # A pipe table, possibly with its caption or a note on the lines
            # touching it (年度履职目标 / | 部门职能 | … |): each run apart.
            flush_table()
            for is_pipe, run in _runs(group, lambda k: bool(_PIPE_ROW.match(lines[k]))):
                if is_pipe:
                    rows = [_pipe_row(lines[k], k) for k in run if not _PIPE_SEPARATOR.match(lines[k])]
                    blocks.append(Table(tuple(rows), run[0] + 1, run[-1] + 1))
                else:
                    blocks.extend(_aligned_or_paragraphs(lines, run))
            continue
        flush_table()
        blocks.extend(_aligned_or_paragraphs(lines, group))
    flush_table()
    return blocks


# Tables drawn with box-drawing characters: ┌─┬─┐ borders, │ between cells.
_BOX_ROW = re.compile(r"^\s*[│┃].*[│┃]\s*$")
_BOX_BORDER = re.compile(r"^\s*[┌┏├┣└┗╔╠╚+][─━═┬┳┼╋┴┻╦╬╩+\s]*[┐┓┤┫┘┛╗╣╝+]\s*$")
_BOX_BAR = re.compile(r"[│┃]")


def _box_drawn(lines: list[str], group: list[int]) -> list[Block]:
    """A box-drawn table: a row is the cell lines between two border lines (a cell
    wrapped over several lines is joined), cells between bars. Lines around the
    table are paragraphs."""
    blocks: list[Block] = []
    rows: list[tuple[Cell, ...]] = []
    pending: list[int] = []

    def close_row() -> None:
        if not pending:
            return
        split = [[part.strip() for part in _BOX_BAR.split(lines[k].strip())[1:-1]] for k in pending]
        width = max(len(s) for s in split)
        texts = [join_wrapped([s[c] for s in split if c < len(s) and s[c]]) for c in range(width)]
        rows.append(tuple(Cell(text, pending[0] + 1, pending[-1] + 1, c) for c, text in enumerate(texts)))
        pending.clear()

    start = None
    for k in group:
        if _BOX_BORDER.match(lines[k]):
            close_row()
            start = k if start is None else start
        elif _BOX_ROW.match(lines[k]):
            start = k if start is None else start
            pending.append(k)
        else:
            close_row()
            if rows:
                blocks.append(Table(tuple(rows), rows[0][0].line_start, rows[-1][-1].line_end))
                rows = []
            blocks.append(Paragraph(lines[k].strip(), k + 1, k + 1))
    close_row()
    if rows:
        blocks.append(Table(tuple(rows), rows[0][0].line_start, rows[-1][-1].line_end))
    return blocks


def _tab_fields(line: str) -> list[str]:
    return [f for f in line.rstrip().split("\t") if f.strip()]


def _is_tab_separated(lines: list[str], group: list[int]) -> bool:
    """Rows written one per line with cells between tabs (a spreadsheet or a viewer's
    copy), as opposed to a flattened Word table (one cell per tab-led line): most
    lines carry two cells or more."""
    if not any("\t" in lines[k] for k in group):
        return False
    rows = sum(len(_tab_fields(lines[k])) >= 2 for k in group)
    return rows >= 2 and rows * 10 >= len(group) * 6


def _tab_separated(lines: list[str], group: list[int]) -> list[Block]:
    """Lines before the first tabbed row are paragraphs (a title); the rest is one
    table, a row per line, cells between tabs, empty ones kept as written. Cells
    carry no column: a row that dropped its empty cells (some viewers copy rows
    so) is lined up under the header by the parser, by what its cells hold."""
    first = next(n for n, k in enumerate(group) if len(_tab_fields(lines[k])) >= 2)
    blocks: list[Block] = [Paragraph(lines[k].strip(), k + 1, k + 1) for k in group[:first]]
    rows = []
    for k in group[first:]:
        parts = lines[k].rstrip("\r\n ").split("\t")
        rows.append(tuple(Cell(part.strip(), k + 1, k + 1) for part in parts) or (Cell("", k + 1, k + 1),))
    blocks.append(Table(tuple(rows), group[first] + 1, group[-1] + 1))
    return blocks


def _looks_like_label(line: str) -> bool:
    text = line.strip()
    return 0 < len(text) <= _MAX_LEADING_LABEL and not text.endswith(("。", "；", "：", ":"))


def _tab_row(lines: list[str], indices: list[int], label_lines: int = 0) -> tuple[Cell, ...]:
    """One flattened Word row: a new cell at each leading tab (or inner tab). The
    first `label_lines` lines (no tab) are one first cell wrapped over lines."""
    cells: list[tuple[list[str], int, int]] = []
    if label_lines:
        first, last = indices[0], indices[label_lines - 1]
        cells.append(([lines[k] for k in indices[:label_lines]], first + 1, last + 1))
        indices = indices[label_lines:]
    for k in indices:
        line = lines[k]
        if line.startswith("\t") or not cells:
            pieces = line[1:].split("\t") if line.startswith("\t") else line.split("\t")
            for piece in pieces:
                cells.append(([piece], k + 1, k + 1))
        else:
            texts, start, _ = cells[-1]
            pieces = line.split("\t")
            texts.append(pieces[0])
            cells[-1] = (texts, start, k + 1)
            for piece in pieces[1:]:
                cells.append(([piece], k + 1, k + 1))
    return tuple(Cell(join_wrapped(t), s, e) for t, s, e in cells)


def _runs(group: list[int], test) -> list[tuple[bool, list[int]]]:
    """The group cut into consecutive runs of lines that pass `test` or do not."""
    runs: list[tuple[bool, list[int]]] = []
    for k in group:
        flag = test(k)
        if runs and runs[-1][0] == flag:
            runs[-1][1].append(k)
        else:
            runs.append((flag, [k]))
    return runs


def _pipe_row(line: str, k: int) -> tuple[Cell, ...]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return tuple(Cell(part.strip(), k + 1, k + 1, col) for col, part in enumerate(inner.split("|")))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _fields_with_columns(line: str) -> list[tuple[int, str]]:
    """Fields separated by 2+ spaces or a tab, with their display-column start."""
    line = line.replace("\t", "    ")
    out, width, at = [], 0, 0
    for m in _ALIGNED_FIELD.finditer(line):
        width += _display_width(line[at : m.start()])  # from the last field on, not from the line's start
        at = m.start()
        out.append((width, m.group(0)))
    return out


def _aligned_or_paragraphs(lines: list[str], group: list[int]) -> list[Block]:
    """A run of lines is a space-aligned table if 2+ consecutive lines have 3+ fields.
    A rule line (-----) under a header is skipped inside such a run."""
    group = [k for i, k in enumerate(group)
             if not (_RULE_LINE.match(lines[k]) and 0 < i < len(group) - 1)]
    # Only lines with a wide gap can hold three aligned fields: skip the regex otherwise.
    fielded = [("  " in lines[k] or "\t" in lines[k]) and len(_fields_with_columns(lines[k])) >= 3 for k in group]
    blocks: list[Block] = []
    k = 0
    while k < len(group):
        if fielded[k] and k + 1 < len(group) and fielded[k + 1]:
            end = k
            starts = set()
            for kk in (group[k], group[k + 1]):
                starts |= {c for c, _ in _fields_with_columns(lines[kk])}
            def aligned(idx):
                fs = _fields_with_columns(lines[idx])
                return bool(fs) and all(any(abs(c - s0) <= 1 for s0 in starts) for c, _ in fs)
            while end + 1 < len(group) and (fielded[end + 1] or aligned(group[end + 1])):
                end += 1
                starts |= {c for c, _ in _fields_with_columns(lines[group[end]])} if fielded[end] else set()
            blocks.append(_aligned_table(lines, group[k : end + 1]))
            k = end + 1
        else:
            idx = group[k]
            blocks.append(Paragraph(lines[idx].strip(), idx + 1, idx + 1))
            k += 1
    return blocks


def column_slot(spans: list[tuple[int, int]], start: int, end: int) -> int:
    """The header column a field of [start, end) belongs to: the one it overlaps most
    (numbers are often right-aligned under their header, text left-aligned); with
    no overlap, the nearest header starting on its left."""
    overlaps = [min(end, h_end) - max(start, h_start) for h_start, h_end in spans]
    best = max(range(len(spans)), key=lambda i: overlaps[i])
    if overlaps[best] > 0:
        return best
    return max((i for i, (h_start, _) in enumerate(spans) if h_start <= start + 1), default=0)


def _aligned_table(lines: list[str], indices: list[int]) -> Table:
    """Assign each field to a header column (see `_column_slot`), so a row with an
    empty cell still lines up."""
    fields = {k: _fields_with_columns(lines[k]) for k in indices}
    # The line with the most fields draws the grid (the first line may be a label
    # row such as 项目名称 X 实施单位 Y above a wider budget or indicator block).
    grid = max(indices, key=lambda k: (len(fields[k]), -k))
    spans = [(col, col + _display_width(text)) for col, text in fields[grid]]
    rows = []
    for k in indices:
        texts = [""] * len(spans)
        for col, text in fields[k]:
            slot = column_slot(spans, col, col + _display_width(text))
            texts[slot] = (texts[slot] + " " + text.strip()).strip()
        rows.append(tuple(Cell(t, k + 1, k + 1, i) for i, t in enumerate(texts)))
    return Table(tuple(rows), indices[0] + 1, indices[-1] + 1)
