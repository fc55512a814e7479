"""Tables a PDF's text layer has dumped as a stream of words: the header's column
names separated by single spaces, then each row's cells as words, with long cells
broken mid-word over several lines (享受资助人 / 数) and empty cells simply absent.

`with_stream_tables(doc)` finds such a table under a header line whose words are
all indicator column names and that has a 分值 or 得分 column, and rebuilds it as
a `Table` the table parser reads like any other (so the audit's weight and score
checks apply to it as to any table). (`pdftext` reads the same dump when it has no
points column, where a row's end shows only in its measure.) How a row is read:

- a row ends at a line ending in bare numbers: the 分值/得分 that close it, or
  (a row with no points) in a measure once the name has been read, or (a table
  with no points at all) on a line giving every measure column a cell;
- at a row's start, level words (产出, 数量指标 …) set the levels;
- words alone on their line before anything else are one cell broken over lines:
  the indicator's name; with no name column left to fill, other words are the
  description (指标说明) when the form has one, else more of the name;
- measures (a figure, %, 以上) fill the target and actual columns in order, a
  measure broken before 以上/以下 joined again;
- a caption inside the table (项目年度绩效目标（定量指标）) and page numbers are
  skipped; a sentence ends the table, and words after the last complete row are
  left as paragraphs.

A row whose boundaries had to be guessed (more words than cells, one number
under 分值 | 得分, a row closed without points where the others have them) is
named in `StreamTables.unsure_lines`; extraction turns those into a review reason.

Pure: a `SourceDocument` in, a `SourceDocument` out (the table's paragraphs
replaced by the rebuilt table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from budgetperf.reading.blocks import Cell, Paragraph, SourceDocument, Table, compact
from budgetperf.understanding.parsers.tables import LEVEL1_NAMES, LEVEL2_TO_LEVEL1

# A header word and the column it names; the table parser maps the rebuilt header.
_COLUMN_WORDS = {
    "评价指标": "一级指标", "一级指标": "一级指标", "评价内容": "二级指标", "二级指标": "二级指标",
    "指标名称": "指标名称", "三级指标": "指标名称", "指标说明": "指标说明", "指标内容": "指标说明",
    "目标值": "目标值", "指标值": "目标值", "年度指标值": "目标值", "实际完成值": "实际完成值", "完成值": "实际完成值",
    "分值": "分值", "权重": "分值", "得分": "得分", "备注": "备注",
}
_MEASURE_COLUMNS = ("目标值", "实际完成值")
_NUMBER_COLUMNS = ("分值", "得分")
_MEASURE = re.compile(r"^[≥≤≧≦<>＞＜=＝═≈约]*\d[\d,.]*\s*(?:%|‰|[\u4e00-\u9fff/]{0,4})?$|^\d[\d,.]*%?以[上下内]?$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_TOTAL = re.compile(r"^(?:总分|合计|总计)((?:\s*\d+(?:\.\d+)?){0,2})$")
_BROKEN_MEASURE = re.compile(r"\d[\d,.]*%?以$")
_PAGE_NUMBER = re.compile(r"^[—\-－]+\s*\d{1,3}\s*[—\-－]+$|^第\s*\d+\s*页")  # not a bare 20: a weight


def _header_columns(text: str) -> list[str] | None:
    words = text.split()
    if len(words) < 4 or any(w not in _COLUMN_WORDS for w in words):
        return None
    columns = [_COLUMN_WORDS[w] for w in words]
    if "指标名称" not in columns or not set(_NUMBER_COLUMNS) & set(columns):
        return None
    return columns


def _is_caption(text: str) -> bool:
    """A line naming a part of the table rather than a cell: one word, no figure,
    a bracketed qualifier or longer than any cell (项目年度绩效目标（定量指标）)."""
    if " " in text or any(ch.isdigit() for ch in text):
        return False
    return "（" in text or "(" in text or len(text) > 14


def _ends_table(text: str) -> bool:
    """A sentence, not a cell: the table is over."""
    return "。" in text or (len(compact(text)) > 30 and " " not in text.strip())


def _level(word: str) -> str | None:
    """'level1' or 'level2' for a level word (产出, 数量指标 …), else None."""
    if word in LEVEL2_TO_LEVEL1 or (word.endswith("指标") and len(word) <= 8 and word not in LEVEL1_NAMES):
        return "level2"
    if word in LEVEL1_NAMES or word + "指标" in LEVEL1_NAMES:
        return "level1"
    return None


def _level_in_context(word: str, level1: str | None, next_word: str | None) -> str | None:
    """A word both levels use (满意度指标, 成本指标) is the first level when the
    next line opens one of its own second levels (成本指标 / 经济成本指标), or when
    it does not belong under the current first level; else the second."""
    kind = _level(word)
    if word not in LEVEL1_NAMES or kind != "level2":
        return kind
    if next_word and LEVEL2_TO_LEVEL1.get(next_word) == word and next_word != word:
        return "level1"
    under = LEVEL2_TO_LEVEL1.get(word, "")
    return "level2" if level1 and under.removesuffix("指标") == level1.removesuffix("指标") else "level1"


def _tokens(paras: list[Paragraph]):
    """(word, alone_on_its_line, paragraph) per word; a measure broken before
    以上/以下 joined with its tail; page numbers dropped."""
    out = []
    for para in paras:
        text = para.text.strip()
        if _PAGE_NUMBER.match(text):
            continue
        words = text.split()
        for word in words:
            if out and _BROKEN_MEASURE.search(out[-1][0]) and word in ("上", "下", "内"):
                out[-1] = (out[-1][0] + word, False, out[-1][2])
                continue
            out.append((word, len(words) == 1, para))
    return out


def _cells(tokens, columns: list[str], levels: dict) -> tuple[dict, bool]:
    """One row's cells by column from its words (see the module docstring), and
    whether the reading had to guess a boundary: more words than the form has
    cells for, or fewer points than point columns."""
    row = {"一级指标": levels.get("level1") or "", "二级指标": levels.get("level2") or ""}
    number_columns = [c for c in columns if c in _NUMBER_COLUMNS]
    measure_columns = [c for c in columns if c in _MEASURE_COLUMNS]
    words = [t[0] for t in tokens]
    k = len(words)
    while k > 0 and _NUMBER.match(words[k - 1]) and len(words) - k < len(number_columns):
        k -= 1
    for column, value in zip(number_columns, words[k:]):
        row[column] = value
    unsure = 0 < len(words) - k < len(number_columns)  # 10 alone under 分值 | 得分: which?
    body = tokens[:k]
    name, rest = [], []
    for i, (word, alone, _) in enumerate(body):
        if not rest and alone and (not name or body[i - 1][1]) and not _MEASURE.match(word):
            name.append(word)
        elif not name:
            name.append(word)
        else:
            rest.append(word)
    if "指标说明" in columns:
        # A description column: the measures are told from it by their form.
        for column, value in zip(measure_columns, [w for w in rest if _MEASURE.match(w)]):
            row[column] = value
        row["指标说明"] = "".join(w for w in rest if not _MEASURE.match(w))
    else:
        # No description: the words after the name are the measure cells in order
        # (有效 / 有效 as much as ≥95% / 98%); more words than columns are the name's.
        extra = max(0, len(rest) - len(measure_columns))
        name.extend(rest[:extra])
        unsure = unsure or extra > 0
        for column, value in zip(measure_columns, rest[extra:]):
            row[column] = value
    row["指标名称"] = "".join(name)
    return row, unsure


def _row_ends(pending, line_tokens) -> bool:
    """Whether the line just read closes the row: it ends in a bare number (the
    分值/得分), or, in a form whose rows carry no points, in a measure after the
    name (a measure broken before 以上 is not finished)."""
    last = line_tokens[-1][0]
    if _NUMBER.match(last):
        return True
    if not _MEASURE.match(last) or _BROKEN_MEASURE.search(last):
        return False
    return any(not alone for _, alone, _ in pending) or len(pending) > len(line_tokens)


def _fills_measures(pending, line_tokens, columns: list[str]) -> bool:
    """In a table whose rows carry no points, a line of several words that gives
    every measure column a cell after the name closes the row (1个 建设中)."""
    measures = sum(1 for c in columns if c in _MEASURE_COLUMNS)
    if measures == 0 or len(line_tokens) < 2 or "指标说明" in columns:
        return False
    has_name = any(alone for _, alone, _ in pending[: len(pending) - len(line_tokens)])
    return len(line_tokens) >= measures + (0 if has_name else 1)


@dataclass
class _Row:
    cells: dict
    line_start: int
    line_end: int
    unsure: bool


def _rows(paras: list[Paragraph], columns: list[str]):
    """(rows, index of the first paragraph not used, total paragraph or None)."""
    rows: list[_Row] = []
    levels: dict = {}
    pending: list = []
    used = 0
    for index, para in enumerate(paras):
        text = para.text.strip()
        if _ends_table(text):
            break
        if m := _TOTAL.match(text.replace("：", " ")):
            return rows, index + 1, (para, m.group(1).split())
        if not pending and _is_caption(text):
            continue
        line_tokens = _tokens([para])
        if pending and line_tokens and _level(line_tokens[0][0]) and line_tokens[0][0].endswith("指标"):
            # Level words start a new group: the row before ended with a cell that
            # looked like part of its name (及时完成), so where it ended is a guess.
            # (Only a whole level word: a name broken as 每公里养护 / 成本 goes on.)
            cells, _ = _cells(pending, columns, levels)
            rows.append(_Row(cells, pending[0][2].line_start, pending[-1][2].line_end, True))
            pending = []
            used = index
        if not pending:
            start = 0
            while start < len(line_tokens) and _level(line_tokens[start][0]):
                start += 1
            if 0 < start < len(line_tokens) and not line_tokens[start - 1][0].endswith("指标") \
                    and all(_MEASURE.match(t[0]) or _NUMBER.match(t[0]) for t in line_tokens[start:]):
                start -= 1  # "满意度 ≥95% 96% 10 10": a bare 满意度 before values is the name
            words = [t[0] for t in line_tokens[:start]]
            if len(words) >= 2:
                levels = {"level1": words[-2], "level2": words[-1]}  # 满意度指标 服务对象满意度指标
            elif words:
                nxt = paras[index + 1].text.split()[:1] if index + 1 < len(paras) else []
                kind = _level_in_context(words[0], levels.get("level1"), nxt[0] if nxt else None)
                levels = {"level1": words[0]} if kind == "level1" else {**levels, "level2": words[0]}
            line_tokens = line_tokens[start:]
            if len(line_tokens) == 1:
                line_tokens = [(line_tokens[0][0], True, para)]  # a name's head beside the level words
        if pending and line_tokens and _BROKEN_MEASURE.search(pending[-1][0]) and line_tokens[0][0] in ("上", "下", "内"):
            pending[-1] = (pending[-1][0] + line_tokens[0][0], False, pending[-1][2])
            line_tokens = line_tokens[1:]
        pending.extend(line_tokens)
        closes = bool(pending and line_tokens) and _row_ends(pending, line_tokens)
        fills = bool(pending and line_tokens) and not closes and not any(
            any(r.cells.get(c) for c in _NUMBER_COLUMNS) for r in rows) and _fills_measures(pending, line_tokens, columns)
        if closes or fills:
            cells, unsure = _cells(pending, columns, levels)
            # Closed on words that do not read as measures (建设中): a guess.
            unsure = unsure or (fills and not all(_MEASURE.match(t[0]) for t in line_tokens[-2:]))
            rows.append(_Row(cells, pending[0][2].line_start, pending[-1][2].line_end, unsure))
            pending = []
            used = index + 1
    return rows, used, None


def _mark_pointless_rows(rows: list[_Row]) -> None:
    """Where most rows close on their points, a row without any closed on a
    measure: whether its last word was a cell or part of the next row is a guess."""
    with_points = [r for r in rows if any(r.cells.get(c) for c in _NUMBER_COLUMNS)]
    if with_points:
        for row in rows:
            if row not in with_points:
                row.unsure = True


def _place_total(numbers: list[str], number_columns: list[str], rows: list[_Row]) -> tuple[dict, bool]:
    """The 总分 line's numbers by column, and whether that was a guess. Two numbers
    fill 分值 and 得分 in order; one number goes under the column whose rows add
    up to it (总分 100 is the weights' sum in a target form), else under the first
    column the rows fill, flagged."""
    if len(numbers) >= len(number_columns) or len(number_columns) == 1:
        return dict(zip(number_columns, numbers)), False
    if not numbers:
        return {}, False
    total = float(numbers[0])
    for column in number_columns:
        parts = [float(r.cells[column]) for r in rows if _NUMBER.match(r.cells.get(column) or "")]
        if parts and abs(sum(parts) - total) < 0.01:
            return {column: numbers[0]}, False
    filled = next((c for c in number_columns if any(r.cells.get(c) for r in rows)), number_columns[0])
    return {filled: numbers[0]}, True


@dataclass(frozen=True)
class StreamTables:
    """The document with its word-stream tables rebuilt, and the lines of each
    rebuilt row whose cell boundaries were guessed."""

    doc: SourceDocument
    unsure_lines: list[tuple[int, int]]


def with_stream_tables(doc: SourceDocument) -> StreamTables:
    """The document with each word-stream indicator table rebuilt as a `Table`."""
    blocks = list(doc.blocks)
    out, k, changed = [], 0, False
    unsure: list[tuple[int, int]] = []
    while k < len(blocks):
        block = blocks[k]
        columns = _header_columns(block.text) if isinstance(block, Paragraph) else None
        if columns is None:
            out.append(block)
            k += 1
            continue
        end = k + 1
        while end < len(blocks) and isinstance(blocks[end], Paragraph):
            end += 1
        rows, used, total = _rows(blocks[k + 1 : end], columns)
        if len(rows) < 2:
            out.append(block)
            k += 1
            continue
        grid = [tuple(Cell(c, block.line_start, block.line_end, i) for i, c in enumerate(columns))]
        _mark_pointless_rows(rows)
        for row in rows:
            grid.append(tuple(Cell(row.cells.get(c, ""), row.line_start, row.line_end, i) for i, c in enumerate(columns)))
        unsure += [(r.line_start, r.line_end) for r in rows if r.unsure]
        if total is not None:
            para, numbers = total
            total_row = ["总分"] + [""] * (len(columns) - 1)
            placed, guessed = _place_total(numbers, [c for c in columns if c in _NUMBER_COLUMNS], rows)
            for column, number in placed.items():
                total_row[columns.index(column)] = number
            if guessed:
                unsure.append((para.line_start, para.line_end))
            grid.append(tuple(Cell(t, para.line_start, para.line_end, i) for i, t in enumerate(total_row)))
        out.append(Table(tuple(grid), block.line_start, grid[-1][0].line_end))
        changed = True
        k = k + 1 + used
    return StreamTables(replace(doc, blocks=out) if changed else doc, unsure)
