"""Self-evaluation tables (项目支出绩效自评表) and target tables (绩效目标表) as grids.

A table is read row by row. Header rows are recognised by their words and give
the column map (never position alone: provinces order columns differently, split
指标性质/指标值/度量单位, or call the budget column 全年预算数, 调整后预算数 or
下达额度). Data rows are read through the map of the header above them.

Pure: takes a `Table` and the `SourceDocument` (for snippets), returns `TableFacts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetperf.blocks import Cell, SourceDocument, Table, compact
from budgetperf.parsers.values import (
    amount_to_wan,
    detect_amount_unit,
    normalize_target_text,
    parse_cell_number,
    parse_percent,
)
from budgetperf.records import BudgetLine, Indicator, Provenance, Value, v

# Header words -> field. Longer, more specific words first.
BUDGET_COLUMNS = (
    ("年初预算数", "budget_initial"), ("年初预算", "budget_initial"),
    ("调整后预算数", "budget_adjusted"), ("调整预算数", "budget_adjusted"), ("全年预算数", "budget_adjusted"),
    ("下达额度", "budget_adjusted"), ("调整后预算", "budget_adjusted"), ("全年预算", "budget_adjusted"),
    ("全年执行数", "executed"), ("实际执行数", "executed"), ("执行数", "executed"), ("实际支出", "executed"),
    ("预算执行率", "rate"), ("执行率", "rate"), ("分值", "weight"), ("权重", "weight"), ("得分", "score"),
    ("预算数", "budget_initial"),
)
INDICATOR_COLUMNS = (
    ("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "name"), ("指标名称", "name"),
    ("指标内容", "name"), ("绩效指标描述", "description"), ("指标性质", "nature"), ("度量单位", "unit"),
    ("计量单位", "unit"), ("实际完成值", "actual"), ("实际完成", "actual"), ("完成值", "actual"),
    ("实际值", "actual"), ("指标值确定依据", "basis"), ("年度指标值", "target"), ("年度目标值", "target"),
    ("预期指标值", "target"), ("目标值", "target"), ("计划值", "target"), ("指标值", "target"),
    ("分值", "weight"), ("权重", "weight"), ("得分", "score"), ("偏差原因", "reason"), ("未完成原因", "reason"),
    # Loose words last: only when no specific header names the column.
    ("绩效指标", "name"), ("指标", "name"), ("完成情况", "actual"),
)
LABELS = {
    "项目名称": "name", "项目编码": "code", "项目代码": "code", "主管部门": "department",
    "实施单位": "unit", "预算单位": "unit", "单位名称": "unit", "部门名称": "unit", "评价等级": "grade", "自评等级": "grade",
    "评价等次": "grade", "绩效等级": "grade", "等级": "grade", "自评得分": "total", "资金来源": "funding",
    # Target sheets state the budget as a label, not in a 年初/执行 budget block.
    "预算数": "budget", "预算金额": "budget", "预算资金": "budget",
}

# Second-level indicator -> its first level, for rows whose first-level cell is
# blank because Word merged it with the row above.
LEVEL2_TO_LEVEL1 = {
    "数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
    "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标", "服务对象满意度指标": "满意度指标", "满意度指标": "满意度指标",
    "经济成本指标": "成本指标", "社会成本指标": "成本指标", "生态环境成本指标": "成本指标",
}
LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标", "成本指标", "效果指标")

_ENUM_PREFIX = re.compile(r"^(?:指标\s*[\d一二三四五六七八九十]+\s*[：:.、]|[\d]+\s*[.、．]|[（(]\s*\d+\s*[)）]|[①-⑳])\s*")
_INSTRUCTION = re.compile(r"[（(][^）)]*(?:填写|填报|请|说明|示例|如：)[^）)]*[)）]")
_TOTAL_WORDS = ("总分", "合计", "总计")


@dataclass
class TableFacts:
    """What one table says. Values carry provenance; None means not in this table."""

    title_name: str | None = None
    year: Value | None = None
    name: Value | None = None
    code: Value | None = None
    unit: Value | None = None
    department: Value | None = None
    amount_unit: str | None = None
    budget: dict[str, Value] = field(default_factory=dict)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    total_weight: Value | None = None
    total_score: Value | None = None
    grade: Value | None = None
    has_actual_column: bool = False
    has_indicator_header: bool = False
    goal_expected: Value | None = None
    goal_actual: Value | None = None


def _prov(doc: SourceDocument, cells: list[Cell] | tuple[Cell, ...]) -> Provenance:
    cells = [c for c in cells if c is not None]
    start = min(c.line_start for c in cells)
    end = max(c.line_end for c in cells)
    return Provenance(doc.file, start, end, doc.snippet(start, end))


def _column_map(row: tuple[Cell, ...], vocabulary) -> dict[str, int]:
    """Field -> column index. Words are tried in vocabulary order across the whole row,
    so a specific header (三级指标) claims its column before a loose one (绩效指标,
    which is also the merged side label of the seed tables) can."""
    texts = [compact(cell.text) for cell in row]
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for word, fieldname in vocabulary:
        if fieldname in mapping:
            continue
        for i, t in enumerate(texts):
            if i not in taken and word in t:
                mapping[fieldname] = i
                taken.add(i)
                break
    return mapping


def _aligned(row: tuple[Cell, ...], header_len: int) -> list[Cell | None]:
    """Data cells lined up under a header of `header_len` cells. A shorter row lost
    leading merged cells, so it is aligned at its right edge; a longer one carries
    empty leading cells under a merged side label (绩效指标) the header lacks."""
    cells: list[Cell | None] = list(row)
    if len(cells) < header_len:
        cells = [None] * (header_len - len(cells)) + cells
    while len(cells) > header_len and cells[0] is not None and not compact(cells[0].text):
        cells.pop(0)
    return cells


def _get(cells: list[Cell | None], mapping: dict[str, int], name: str) -> Cell | None:
    i = mapping.get(name)
    if i is None or i >= len(cells):
        return None
    return cells[i]


def _text(cell: Cell | None) -> str:
    return compact(_INSTRUCTION.sub("", cell.text)) if cell is not None else ""


def normalize_level2(text: str) -> str | None:
    """`社会效益` -> `社会效益指标`; blank -> None."""
    t = compact(text)
    if not t:
        return None
    return t if t.endswith("指标") else t + "指标"


def normalize_level1(text: str) -> str | None:
    t = compact(text)
    if not t:
        return None
    for name in LEVEL1_NAMES:
        if t == name or t == name[:-2]:
            return name
    return t if t.endswith("指标") else t + "指标"


def clean_indicator_name(text: str) -> str:
    """Strip `指标1：` style enumerations and template instructions; join wraps."""
    t = compact(_INSTRUCTION.sub("", text))
    return _ENUM_PREFIX.sub("", t)


def row_kind(texts: list[str]) -> str:
    """Classify a row by its words: budget_header, indicator_header, total, goal_header,
    title, year, label or data."""
    joined = "".join(texts)
    nonempty = [t for t in texts if t]
    if ("年初预算" in joined or "执行数" in joined or "下达额度" in joined or "全年预算" in joined) and "执行率" in joined:
        return "budget_header"
    if "预算数" in joined and "执行" in joined and "指标" not in joined:
        return "budget_header"
    if ("一级指标" in joined or "三级指标" in joined or "指标名称" in joined) and ("指标值" in joined or "分值" in joined or "二级指标" in joined):
        return "indicator_header"
    if nonempty and nonempty[0] in _TOTAL_WORDS:
        return "total"
    if nonempty and nonempty[0].startswith("年度总体目标") or joined.startswith("年度总体目标"):
        return "goal_header"
    if len(nonempty) == 1 and nonempty[0].endswith(("自评表", "评价表", "目标表")):
        return "title"
    if len(nonempty) == 1 and re.fullmatch(r"[（(]?(19|20)\d\d年度?[)）]?", nonempty[0]):
        return "year"
    if any(t in LABELS for t in texts):
        return "label"
    return "data"


def parse_table(table: Table, doc: SourceDocument, caption_unit: str | None = None) -> TableFacts:
    """Read a self-evaluation or target table. See module docstring.

    `caption_unit` is an amount unit declared just above the table ("单位：元"); a unit
    inside the table wins over it.
    """
    facts = TableFacts()
    mode = None
    header: dict[str, int] = {}
    header_len = 0
    level1 = level2 = None
    goal_pending = False

    for row in table.rows:
        texts = [compact(c.text) for c in row]
        if not any(texts):
            continue
        kind = row_kind(texts)
        unit_here = next((unit for unit in map(detect_amount_unit, texts) if unit), None)
        if unit_here and facts.amount_unit is None and kind in ("budget_header", "title", "label", "data"):
            facts.amount_unit = unit_here

        if kind == "title":
            title = next(t for t in texts if t)
            name = re.sub(r"(项目支出)?绩效(自评|评价|目标)表$|(项目)?(自评|评价|目标)表$", "", title)
            name = re.sub(r"项目$", "", name) if name.endswith("项目") and len(name) > 4 else name
            facts.title_name = name or None
            continue
        if kind == "year":
            cell = next(c for c in row if compact(c.text))
            facts.year = Value(int(re.search(r"(19|20)\d\d", compact(cell.text)).group(0)), _prov(doc, [cell]), cell.text.strip())
            continue
        if kind == "label":
            _read_labels(row, doc, facts)
            mode = None
            continue
        if kind == "budget_header":
            facts.amount_unit = facts.amount_unit or caption_unit
            header, header_len, mode = _column_map(row, BUDGET_COLUMNS), len(row), "budget"
            continue
        if kind == "indicator_header":
            header, header_len, mode = _column_map(row, INDICATOR_COLUMNS), len(row), "indicator"
            facts.has_indicator_header = True
            facts.has_actual_column = "actual" in header
            level1 = level2 = None
            continue
        if kind == "goal_header":
            goal_pending, mode = True, None
            continue
        if kind == "total":
            _read_total(row, doc, facts, header if mode == "indicator" else {}, header_len)
            mode = None
            continue
        if goal_pending:
            goal_pending = False
            texts_cells = [c for c in row if compact(c.text)]
            if texts_cells:
                facts.goal_expected = Value(texts_cells[0].text.strip(), _prov(doc, [texts_cells[0]]))
            if len(texts_cells) > 1:
                facts.goal_actual = Value(texts_cells[-1].text.strip(), _prov(doc, [texts_cells[-1]]))
            continue
        if mode == "budget":
            _read_budget_row(row, doc, facts, header, header_len)
        elif mode == "indicator":
            indicator, level1, level2 = _read_indicator_row(row, doc, header, header_len, level1, level2)
            if indicator is not None:
                facts.indicators.append(indicator)
    return facts


def _read_labels(row: tuple[Cell, ...], doc: SourceDocument, facts: TableFacts) -> None:
    cells = list(row)
    for i, cell in enumerate(cells):
        key = LABELS.get(compact(cell.text))
        if key is None or i + 1 >= len(cells):
            continue
        target = cells[i + 1]
        text = compact(target.text)
        if not text or compact(target.text) in LABELS:
            continue
        value = Value(text, _prov(doc, [cell, target]), target.text.strip())
        if key == "name":
            facts.name = value
        elif key == "code":
            facts.code = value
        elif key == "unit":
            facts.unit = value
        elif key == "department":
            facts.department = value
        elif key == "grade":
            facts.grade = value
        elif key == "total":
            number = parse_cell_number(text)
            if number is not None:
                facts.total_score = Value(number, value.prov, text)
        elif key == "budget" and "budget_initial" not in facts.budget:
            amount = amount_to_wan(text, facts.amount_unit or "万元")
            if amount is not None and parse_cell_number(text) is not None:
                facts.budget["budget_initial"] = Value(amount, value.prov, text)


def _read_budget_row(row, doc, facts: TableFacts, header, header_len) -> None:
    cells = _aligned(row, header_len)
    label_cell = next((c for c in cells if c is not None and compact(c.text) and parse_cell_number(c.text) is None), None)
    label = compact(label_cell.text) if label_cell else ""
    unit = facts.amount_unit or "万元"
    line: dict = {"label": label, "prov": _prov(doc, [c for c in row if c is not None])}
    for fieldname in ("budget_initial", "budget_adjusted", "executed"):
        cell = _get(cells, header, fieldname)
        if cell is not None and parse_cell_number(cell.text) is not None:
            line[fieldname] = Value(amount_to_wan(cell.text, unit), _prov(doc, [cell]), cell.text.strip())
    for fieldname, parser in (("weight", parse_cell_number), ("rate", parse_percent), ("score", parse_cell_number)):
        cell = _get(cells, header, fieldname)
        if cell is not None and parse_cell_number(cell.text) is not None:
            line[fieldname] = Value(parser(cell.text), _prov(doc, [cell]), cell.text.strip())
    if len(line) <= 2:
        return
    facts.budget_lines.append(BudgetLine(
        label, *(v(line.get(k)) for k in ("budget_initial", "budget_adjusted", "executed", "weight", "rate", "score")),
        line["prov"],
    ))
    # The first line is the total (年度资金总额); 其中 rows are its parts.
    is_part = label.startswith("其中") or label in ("上年结转资金", "其他资金", "当年财政拨款", "财政拨款")
    if not facts.budget and not is_part:
        facts.budget = {k: val for k, val in line.items() if k not in ("label", "prov")}


def _read_indicator_row(row, doc, header, header_len, level1, level2):
    cells = _aligned(row, header_len)
    name_cell = _get(cells, header, "name") or _get(cells, header, "description")
    name = clean_indicator_name(name_cell.text) if name_cell is not None else ""
    raw_l1 = _text(_get(cells, header, "level1"))
    raw_l2 = _text(_get(cells, header, "level2"))
    if raw_l2:
        level2 = normalize_level2(raw_l2)
    inferred = False
    if raw_l1:
        level1 = normalize_level1(raw_l1)
    elif raw_l2 and level2 in LEVEL2_TO_LEVEL1:
        # Merged first-level cell: infer from the second level (社会效益指标 -> 效益指标).
        inferred = LEVEL2_TO_LEVEL1[level2] != level1
        level1 = LEVEL2_TO_LEVEL1[level2]
    target_text = _compose_target(cells, header)
    if not name or name.startswith(("填写说明", "说明", "注：", "注:")):
        return None, level1, level2
    if not target_text and not _text(_get(cells, header, "actual")) and _get(cells, header, "weight") is None:
        return None, level1, level2
    weight_cell, score_cell = _get(cells, header, "weight"), _get(cells, header, "score")
    used = [c for c in cells if c is not None and compact(c.text)]
    indicator = Indicator(
        level1=level1,
        level2=level2,
        name=name,
        target=target_text,
        actual=normalize_target_text(_text(_get(cells, header, "actual"))) if "actual" in header else None,
        weight=parse_cell_number(weight_cell.text) if weight_cell is not None else None,
        score=parse_cell_number(score_cell.text) if score_cell is not None else None,
        prov=_prov(doc, used or [c for c in row]),
        deviation_reason=_text(_get(cells, header, "reason")) or None,
        level1_inferred=inferred or not raw_l1,
    )
    return indicator, level1, level2


def _compose_target(cells, header) -> str | None:
    """年度指标值 as written; when a province splits 指标性质 / 指标值 / 度量单位 into
    columns, join them back (≥ + 200 + 人 -> ≥200人)."""
    value = _text(_get(cells, header, "target"))
    nature = _text(_get(cells, header, "nature"))
    unit = _text(_get(cells, header, "unit"))
    symbol = {"大于等于": "≥", "小于等于": "≤", "大于": ">", "小于": "<", "等于": "=", "定性": ""}.get(nature, nature)
    if symbol and value and not value.startswith(("≥", "≤", ">", "<", "=")):
        value = symbol + value
    if unit and value and not value.endswith(unit):
        value += unit
    return normalize_target_text(value)


def _read_total(row, doc, facts: TableFacts, header, header_len) -> None:
    """总分 row: with an indicator header, read 分值/得分 columns; otherwise the
    numbers in order (weight sum, then score)."""
    numbers = [(c, parse_cell_number(c.text)) for c in row if parse_cell_number(c.text) is not None]
    if header and len(row) == header_len:
        weight_cell, score_cell = _get(list(row), header, "weight"), _get(list(row), header, "score")
        if weight_cell is not None and parse_cell_number(weight_cell.text) is not None:
            facts.total_weight = Value(parse_cell_number(weight_cell.text), _prov(doc, [weight_cell]), weight_cell.text.strip())
        if score_cell is not None and parse_cell_number(score_cell.text) is not None:
            facts.total_score = Value(parse_cell_number(score_cell.text), _prov(doc, [score_cell]), score_cell.text.strip())
        return
    if len(numbers) == 1 and facts.has_indicator_header and not facts.has_actual_column:
        # A target table has no scores: its 总分 is the sum of the weights.
        facts.total_weight = Value(numbers[0][1], _prov(doc, [numbers[0][0]]), numbers[0][0].text.strip())
    elif len(numbers) >= 2:
        facts.total_weight = Value(numbers[0][1], _prov(doc, [numbers[0][0]]), numbers[0][0].text.strip())
        facts.total_score = Value(numbers[-1][1], _prov(doc, [numbers[-1][0]]), numbers[-1][0].text.strip())
    elif numbers:
        facts.total_score = Value(numbers[0][1], _prov(doc, [numbers[0][0]]), numbers[0][0].text.strip())
