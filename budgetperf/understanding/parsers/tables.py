"""Tables of evaluation and target reports, read as grids.

A table is read row by row. Each row is classified by its words (a header, a
label row such as 项目名称 | X, a total, a data row); header rows give the column
map of the rows below them, so columns are found by vocabulary and never by
position alone: provinces order columns differently, split 指标性质/指标值/度量单位,
call the budget column 全年预算数, 调整后预算数 or 下达额度, or merge 得分 over two
grid columns. When the reader knows the grid (`Cell.col`), a data cell belongs to
the header cell whose grid columns it sits under; in flattened text tables rows
are lined up at their right edge instead.

Table shapes read here:
- the 项目资金 block (年初预算数/全年预算数/全年执行数/分值/执行率/得分) and the
  key-value forms of the same facts (计划安排资金 | 1088.00);
- indicator tables (一级/二级/三级指标 with target, actual, weight, score), with the
  header row missing, repeated after a page break, or with labels carrying the
  section weight (产出指标（50分）: the label is 产出指标, 50 is the section's weight);
- four-part score tables (决策/过程/产出/效益): 决策 and 过程 rows are evaluation
  rows, not indicators, and the 预算执行率 row gives the budget weight and score;
- dimension score tables (评价维度 | 分值 | 得分) -> section scores;
- expense tables (支出内容 | 预算数 | 实际支出) -> expense items;
- project lists (项目 | 批复金额 | 实际支出 | 执行率, or 项目名称 | 发行金额 | 评价得分)
  -> one `ProjectRow` per project;
- spending plans (3月底 | 6月底 … over 25% | 50% …).

Labels are kept as the report writes them (wrapping undone, enumerations removed);
`level_group` gives the normalized dimension for grouping across reports.

Pure: takes a `Table` and the `SourceDocument` (for snippets), returns `TableFacts`.
"""

from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from budgetperf.reading.blocks import Cell, SourceDocument, Table, compact
from budgetperf.understanding.parsers.passages import passage_in_row
from budgetperf.understanding.parsers.values import (
    COMPARATORS,
    amount_to_wan,
    detect_amount_unit,
    nature_comparator,
    normalize_target_text,
    parse_cell_amount,
    parse_cell_number,
    parse_number,
    parse_percent,
)
from budgetperf.understanding.records import (
    BudgetLine,
    ExpenseItem,
    Indicator,
    Passage,
    Provenance,
    SectionScore,
    SpendingPlan,
    Value,
    v,
)

# Header words -> field. Longer, more specific words first.
BUDGET_COLUMNS = (
    ("年初预算数", "budget_initial"), ("年初预算", "budget_initial"),
    ("调整后预算数", "budget_adjusted"), ("调整预算数", "budget_adjusted"), ("全年预算数", "budget_adjusted"),
    ("下达额度", "budget_adjusted"), ("调整后预算", "budget_adjusted"), ("全年预算", "budget_adjusted"),
    ("全年执行数", "executed"), ("实际执行数", "executed"), ("执行数", "executed"), ("实际支出", "executed"),
    ("预算执行率", "rate"), ("执行率", "rate"), ("分值", "weight"), ("权重", "weight"), ("得分", "score"),
    ("批复金额", "budget_initial"), ("计划支出", "budget_initial"), ("预算数", "budget_initial"),
    ("预算金额", "budget_initial"), ("预算批复数", "budget_initial"), ("批复数", "budget_initial"),
    ("决算数", "executed"), ("支出数", "executed"), ("满分", "weight"), ("评分", "score"),
)
INDICATOR_COLUMNS = (
    ("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "name"), ("指标名称", "name"),
    ("指标内容", "name"), ("绩效指标描述", "description"), ("指标性质", "nature"), ("度量单位", "unit"),
    ("计量单位", "unit"), ("实际完成值", "actual"), ("实际完成", "actual"), ("上年完成值", "previous"),
    ("完成值", "actual"), ("实际达到", "actual"), ("实际值", "actual"), ("完成结果", "actual"),
    ("指标值确定依据", "basis"), ("指标值设置依据", "basis"),
    ("年度指标值", "target"), ("年度目标值", "target"), ("预期指标值", "target"), ("目标值", "target"),
    ("计划值", "target"), ("指标值", "target"), ("预期目标", "target"), ("年度目标", "target"), ("完成率", "completion"),
    ("分值", "weight"), ("权重", "weight"), ("满分", "weight"), ("标准分", "weight"), ("得分", "score"),
    ("偏差原因", "reason"), ("未完成原因", "reason"), ("评分说明", "note"), ("赋分规则", "rule"),
    ("评分标准", "rule"), ("评分依据", "rule"), ("评分细则", "rule"), ("评分办法", "rule"), ("评分", "score"),
    ("佐证资料", "evidence"), ("性质", "nature"),
    # Loose words last: only when no specific header names the column.
    ("绩效指标", "name"), ("指标", "name"), ("完成情况", "actual"),
)
EXPENSE_COLUMNS = (
    ("支出内容", "item"), ("支出项目", "item"), ("支出明细", "item"), ("经济科目", "item"), ("明细项目", "item"),
    ("费用名称", "item"), ("支出科目", "item"), ("项目明细", "item"),
    ("计划支出", "planned"), ("预算数", "planned"), ("预算金额", "planned"), ("安排金额", "planned"),
    ("实际支出", "executed"), ("执行数", "executed"), ("支出数", "executed"),
)
PROJECT_COLUMNS = (
    ("项目名称", "name"), ("项目", "name"), ("任务名称", "task"), ("主要内容", "content"),
    ("批复金额", "budget"), ("年初预算", "budget"), ("预算金额", "budget"), ("预算数", "budget"), ("安排金额", "budget"),
    ("实际支出", "executed"), ("执行数", "executed"), ("执行率", "rate"),
    ("发行金额", "bond"), ("评价得分", "score"), ("得分", "score"), ("评价结果", "grade"), ("等级", "grade"),
    ("主管部门", "department"), ("项目单位", "implementer"), ("实施单位", "implementer"), ("备注", "note"),
)
DIMENSION_COLUMNS = (("评价维度", "section"), ("维度", "section"), ("一级指标", "section"), ("评价内容", "section"),
                     ("分值", "max"), ("满分", "max"), ("权重", "max"), ("得分", "score"))

# Label cell -> what the cell to its right says. Regexes over the compact text.
LABELS = (
    (re.compile(r"^(?:转移支付|专项资金|专项|资金)?[（(]?项目[)）]?(?:[（(](?:专项资金|资金)[)）])?名称$"), "name"),
    (re.compile(r"^项目(?:编码|代码|编号)$"), "code"),
    (re.compile(r"^(?:填报单位|实施单位|项目实施单位|预算单位|资金使用单位|单位名称|(?:预算)?部门[（(、/]?单位[)）]?名称|部门名称)"
                r"(?:[（(][^)）]*[)）])?$"), "unit"),
    (re.compile(r"^(?:地方)?主管部门(?:[（(]单位[)）])?(?:名称)?(?:及部门预算编码)?$"), "department"),
    (re.compile(r"^(?:评价|自评|绩效|综合)?(?:等级|等次)$"), "grade"),
    (re.compile(r"^(?:项目|自评|评价|综合|绩效)*(?:总得分|得分|总分)$"), "total"),
    (re.compile(r"^资金来源$"), "funding"),
    # Target sheets and key-value tables state the budget as a label.
    (re.compile(r"^(?:预算数|预算金额|预算资金|计划安排资金|年初预算|资金总额|年度资金总额|项目资金总额)(?:[（(][^)）]*[)）])?$"),
     "budget"),
    (re.compile(r"^(?:[区县市州旗级]*支出预算总量|支出预算总额|部门预算总额)(?:[（(][^)）]*[)）])?$"), "budget"),
    (re.compile(r"^(?:实际支出|全年执行数|实际执行数|执行数)(?:金额)?(?:[（(][^)）]*[)）])?$"), "executed"),
    (re.compile(r"^(?:预算)?执行率$"), "rate"),
)

# Second-level indicator -> its first level, for rows whose first-level cell is
# blank because Word merged it with the row above.
LEVEL2_TO_LEVEL1 = {
    "数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
    "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标", "服务对象满意度指标": "满意度指标", "满意度指标": "满意度指标",
    "经济成本指标": "成本指标", "社会成本指标": "成本指标", "生态环境成本指标": "成本指标",
    # wordings of the same template: 产出数量 for 数量指标, 环境效益 for 生态效益 …
    "产出数量指标": "产出指标", "产出质量指标": "产出指标", "产出时效指标": "产出指标", "产出成本指标": "产出指标",
    "环境效益指标": "效益指标", "生态环境效益指标": "效益指标",
    # (not 群众满意度指标: its bare 群众满意度 is as often an indicator's own name)
    "社会公众或服务对象满意度指标": "满意度指标",
}
# First levels a second level may sit under. Templates before 2020 put
# 服务对象满意度指标 under 效益指标, and some make 成本指标 first-level: a blank
# first-level cell keeps the merged label above when that label is one of these,
# and otherwise takes the second level's usual parent (社会效益指标 under 产出指标
# in a flattened table is a lost merge, not the report's structure).
_ALLOWED_PARENTS = {
    "服务对象满意度指标": {"满意度指标", "效益指标"}, "满意度指标": {"满意度指标", "效益指标"},
    "社会公众或服务对象满意度指标": {"满意度指标", "效益指标"},
    "成本指标": {"产出指标", "成本指标"},
}
LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标", "成本指标", "效果指标")
# Bare dimension words that lost their 指标 (a cell 社会效益 / 指标 split, or a
# template writing 产出): only these get it back; other labels stay as written.
_BARE_DIMENSIONS = {name[:-2] for name in (*LEVEL2_TO_LEVEL1, *LEVEL1_NAMES)}
# Sections of a four-part evaluation (决策/过程/产出/效益) whose rows judge how the
# project was run, not what it produced: they are evaluation rows, not indicators.
_PROCESS_SECTIONS = re.compile(r"^(?:项目)?(?:决策|过程|管理|投入)(?:指标)?$")
_BUDGET_ROW = re.compile(r"^(?:预算|资金)?执行率$|^预算执行(?:情况)?$")

_ENUM_PREFIX = re.compile(r"^[★☆▲△◆◇●○■□※*]*\s*(?:指标\s*[\d一二三四五六七八九十]+\s*[：:.、]|[\d]+\s*[.、．](?!\d)|[（(]\s*\d+\s*[)）]|[①-⑳])?\s*")
_INSTRUCTION = re.compile(r"[（(][^）)]*(?:填写|填报|请|说明|示例|如：)[^）)]*[)）]")
_WEIGHT_IN_LABEL = re.compile(r"^(?P<label>.+?)[（(]\s*(?P<weight>\d+(?:\.\d+)?)\s*分?\s*[)）]$")
_TOTAL_WORDS = ("总分", "合计", "总计", "支出合计", "合计数", "总计数")
_MONTH_END = re.compile(r"(\d{1,2})\s*月(?:底|末)")
_QUARTERS = (("一季度", 3), ("二季度", 6), ("三季度", 9), ("四季度", 12))
# The cell that opens a goal block: 年度总体目标, 绩效目标, 整体绩效目标, 年度履职目标,
# 总体目标完成情况 … (a bare 目标 is the wrapped tail of a level cell, not a goal).
_GOAL_LABEL = re.compile(r"^(?=.+目标)(?:年度|当年|本年|项目|预期)?(?:总体|整体)?(?:绩效|履职)?目标(?:及?完成情况)?"
                         r"(?:[（(：:]|$)")
_GOAL_WORDS = ("年度总体目标", "总体目标完成情况", "年度绩效目标", "当年整体绩效目标")


def _is_goal_row(nonempty: list[str]) -> bool:
    """A row opened by a looser goal word (绩效目标, 年度目标) is a goal block only when
    it holds words alone, in three cells at most: a four-part table's
    绩效目标 | 绩效目标合理性 | 3 | 2 row is scored, not a goal."""
    return len(nonempty) <= 3 and not any(parse_cell_number(t) is not None for t in nonempty)


_TABLE_TITLE = re.compile(r"(?:自评|评价|评分|目标|情况|分配|申报|审核)表$")


@dataclass(frozen=True)
class ProjectRow:
    """One project listed in a table row (a department's 重点工作任务, a list of
    bond projects, an allocation table)."""

    name: Value
    budget: Value | None = None
    executed: Value | None = None
    rate: Value | None = None
    score: Value | None = None
    grade: Value | None = None
    bond: Value | None = None
    implementer: Value | None = None
    department: Value | None = None


@dataclass
class TableFacts:
    """What one table says. Values carry provenance; None means not in this table."""

    title_name: str | None = None
    title: str | None = None
    year: Value | None = None
    name: Value | None = None
    code: Value | None = None
    unit: Value | None = None
    department: Value | None = None
    funding: Value | None = None
    amount_unit: str | None = None
    budget: dict[str, Value] = field(default_factory=dict)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    section_scores: list[SectionScore] = field(default_factory=list)
    expense_items: list[ExpenseItem] = field(default_factory=list)
    project_rows: list[ProjectRow] = field(default_factory=list)
    spending_plan: list[SpendingPlan] = field(default_factory=list)
    total_weight: Value | None = None
    total_score: Value | None = None
    grade: Value | None = None
    has_actual_column: bool = False
    has_indicator_header: bool = False
    has_score_column: bool = False
    has_rate_column: bool = False    # the money block defines a rate (a column or an A/B formula)
    inferred_header: bool = False
    budget_block_read: bool = False
    budget_total_read: bool = False  # the block's figures come from its total row
    money_parts: list[dict[str, Value]] = field(default_factory=list)  # sources read before any total
    unread_rows: list[Provenance] = field(default_factory=list)  # rows with figures no reading took
    summed_rows: list[Provenance] = field(default_factory=list)  # sources added up for want of a total row
    explained_rows: int = 0  # rows read and left out on purpose (a 决策/过程 row, a 合计 of rows read)
    goal_expected: Value | None = None
    goal_actual: Value | None = None
    passages: list[Passage] = field(default_factory=list)  # problems, reasons, remedies stated in rows


def _prov(doc: SourceDocument, cells) -> Provenance:
    cells = [c for c in cells if c is not None]
    start = min(c.line_start for c in cells)
    end = max(c.line_end for c in cells)
    return Provenance(doc.file, start, end, doc.snippet(start, end))


# ---------------------------------------------------------------------------
# labels

@lru_cache(maxsize=16384)  # pure, and asked of the same cell texts again and again
def label_field(text: str) -> str | None:
    """What a label cell announces (name, unit, budget …), or None."""
    t = compact(text).rstrip("：:")
    if not t or len(t) > 24:
        return None
    for pattern, key in LABELS:
        if pattern.match(t):
            return key
    return None


_INLINE_LABEL = re.compile(r"^(?P<label>[^：:]{2,12})[：:]\s*(?P<value>\S.*)$")


@lru_cache(maxsize=16384)  # pure, and asked of the same cell texts again and again
def inline_label(text: str) -> tuple[str, str] | None:
    """(field, value) of a cell that holds a label and its value together
    (填报单位：某县某局, as a merged spreadsheet cell above a table), else None."""
    m = _INLINE_LABEL.match(compact(text))
    if not m or (key := label_field(m.group("label"))) is None:
        return None
    return key, m.group("value")


def split_label_weight(text: str) -> tuple[str, float | None]:
    """`产出指标（50分）` -> ("产出指标", 50); other labels unchanged."""
    t = compact(text)
    m = _WEIGHT_IN_LABEL.match(t)
    if m and not re.search(r"\d", m.group("label")):
        return m.group("label"), parse_number(m.group("weight"))
    return t, None


def normalize_level2(text: str) -> str | None:
    """A second-level label as written, with wrapping undone; a bare template word
    that lost its 指标 (`社会效益`) gets it back. Blank -> None."""
    t, _ = split_label_weight(_INSTRUCTION.sub("", text))
    t = _ENUM_PREFIX.sub("", t)
    if not t:
        return None
    return t + "指标" if t in _BARE_DIMENSIONS else t


def normalize_level1(text: str) -> str | None:
    """A first-level label as written, minus its weight (see `normalize_level2`)."""
    return normalize_level2(text)


def level_group(label: str | None) -> str | None:
    """The dimension a level label belongs to, for grouping across reports:
    产出目标/产出/产出指标 -> 产出指标; None when it names none of them."""
    if not label:
        return None
    t = compact(label)
    for word, group in (("满意", "满意度指标"), ("产出", "产出指标"), ("效益", "效益指标"), ("效果", "效益指标"),
                        ("成本", "成本指标"), ("决策", "决策指标"), ("过程", "过程指标"), ("管理", "过程指标"),
                        ("投入", "投入指标")):
        if word in t:
            return LEVEL2_TO_LEVEL1.get(t, group) if t in LEVEL2_TO_LEVEL1 else group
    return None


def clean_indicator_name(text: str) -> str:
    """Strip `指标1：` style enumerations and template instructions; join wraps."""
    t = compact(_INSTRUCTION.sub("", text))
    return _ENUM_PREFIX.sub("", t)


# ---------------------------------------------------------------------------
# rows

def _has(texts: list[str], *words: str) -> bool:
    return any(w in t for t in texts for w in words)


_BRACKETED = re.compile(r"[（(][^)）]*[)）]")


def _cell_is(texts: list[str], *words: str) -> bool:
    """Whether a cell is one of `words` once its bracketed note is dropped."""
    # Most cells hold no bracket: test them as they are (row_kind asks this often).
    return any((_BRACKETED.sub("", t) if "(" in t or "（" in t else t) in words for t in texts)


@lru_cache(maxsize=16384)  # pure, and asked of the same cell texts again and again
def budget_role(text: str) -> str | None:
    """What a money-block header cell holds, by its words and its formula: rate (a
    ratio formula or a …率), budget_initial (年初…预算/安排), budget_adjusted (调整后,
    全年, 下达额度, or a 小计 that is a sum ①+②; 批复 reads as 预算), executed (执行数,
    实际支出, 支出数, 决算数, 拨付金额/实际拨付), weight (分值, 满分), score (得分, 评分); None for a balance (结余/结转) or anything else."""
    t = re.sub(r"[（(][^)）]*[)）]", "", compact(text))
    if re.search(r"[/÷]", compact(text)) or re.search(r"(?:执行|实现|支出|支付|拨付)率", t):
        return "rate"
    if ("结余" in t or "结转" in t) and "年初" not in t:
        return None
    # 批复 is the approved budget, as 预算 is (年初批复数, 调整后批复数).
    if "年初" in t and re.search(r"预算|安排|批复", t):
        return "budget_initial"
    if re.search(r"(?:调整|全年|年中).*(?:预算|批复)|下达额度", t) or ("小计" in t and "+" in compact(text)):
        return "budget_adjusted"
    # 拨付 only where it says money was paid out (拨付金额, 实际拨付, 已拨付, 拨付数): a
    # bare 拨付资金 / 上级拨付 is as often the money allocated, a budget.
    if re.search(r"执行数|实际支出|拨付金额|实际拨付|已拨付|拨付数|支出数|决算数", t):
        return "executed"
    if re.fullmatch(r"(?:预算)?批复(?:数|金额|预算数?)?", t):
        return "budget_initial"
    if re.search(r"分值|权重|满分|标准分", t):
        return "weight"
    if re.search(r"得分|^评分$", t):
        return "score"
    return None


def _is_money_header(joined: str, cells: list[str]) -> bool:
    """A money block's header: the template's words, or cells whose roles name an
    executed amount, a budget and at least one more column (`budget_role`)."""
    if ("年初预算" in joined or "执行数" in joined or "下达额度" in joined or "全年预算" in joined) and "执行率" in joined:
        return True
    if "预算数" in joined and "执行" in joined and "指标" not in joined:
        return True
    roles = {budget_role(t) for t in cells} - {None}
    return "executed" in roles and bool(roles & {"budget_initial", "budget_adjusted"}) and len(roles) >= 3


def row_kind(texts: list[str]) -> str:
    """Classify a row by its words: budget_header, indicator_header, dimension_header,
    expense_header, project_header, plan, total, goal_header, title, year, label or data."""
    joined = "".join(texts)
    nonempty = [t for t in texts if t]
    if not nonempty:
        return "blank"
    if len(nonempty) == 1 and _TABLE_TITLE.search(nonempty[0]) and len(nonempty[0]) <= 60:
        return "title"
    if len(nonempty) == 1 and re.fullmatch(r"[（(]?(19|20)\d\d年度?[)）]?", nonempty[0]):
        return "year"
    # A plan row's cells are dates alone (3月底 | 6月底 …); a target such as
    # 12月底前 inside an indicator row is not a plan.
    dates = [t for t in nonempty if re.fullmatch(r"(?:\d{1,2}月(?:底|末)|[一二三四]季度(?:末)?)", t)]
    if len(dates) >= 2:
        return "plan"
    # A row holding two figures or more is data, whatever words a note cell carries
    # (…预算执行率=执行数/调整后预算数 in a remarks column is not a header).
    figures = [t for t in nonempty if parse_cell_amount(t) is not None and len(t) <= 16]
    is_header_possible = len(figures) < 2 or any(t in _TOTAL_WORDS for t in nonempty)
    has_level_words = ("一级指标" in joined or "三级指标" in joined or "指标名称" in joined)
    if has_level_words and _has(texts, "指标值", "分值", "二级指标", "权重", "目标值", "得分", "评分", "满分", "预期目标"):
        return "indicator_header"
    if _cell_is(texts, "评价维度", "维度", "评价内容") and _has(texts, "得分") and not has_level_words:
        return "dimension_header"
    if _cell_is(texts, *[w for w, f in EXPENSE_COLUMNS if f == "item"]) and _has(texts, "支出", "预算", "金额"):
        return "expense_header"
    if _cell_is(texts, "项目", "项目名称", "支出项目", "支出项目名称") and _has(texts, "金额", "预算", "执行", "得分") \
            and len(nonempty) >= 3 \
            and not _has(texts, "资金来源", "支出类别"):
        return "project_header"
    if is_header_possible and _is_money_header(joined, nonempty):
        return "budget_header"
    if nonempty[0] in _TOTAL_WORDS or re.sub(r"\s", "", nonempty[0]) in _TOTAL_WORDS:
        return "total"
    if _GOAL_LABEL.match(nonempty[0]) and (nonempty[0].startswith(_GOAL_WORDS) or _is_goal_row(nonempty)) \
            or joined.startswith("年度总体目标"):
        return "goal_header"
    if any(label_field(t) for t in texts) or any(inline_label(t) for t in texts):
        return "label"
    return "data"


# ---------------------------------------------------------------------------
# column maps

@dataclass
class _Header:
    fields: dict[str, int]  # field -> index in the header row
    cells: tuple[Cell, ...]

    def __len__(self) -> int:
        return len(self.cells)

    @property
    def has_grid(self) -> bool:
        return bool(self.cells) and all(c.col is not None for c in self.cells)

    def get(self, row_cells: list[Cell | None], name: str) -> Cell | None:
        i = self.fields.get(name)
        if i is None:
            return None
        if self.has_grid and row_cells and all(c is None or c.col is not None for c in row_cells):
            head = self.cells[i]
            inside = [c for c in row_cells if c is not None and head.col <= c.col < head.col + head.col_span]
            # Under a merged header (得分 over two columns) the first non-empty cell counts.
            return next((c for c in inside if compact(c.text)), inside[0] if inside else None)
        return row_cells[i] if i < len(row_cells) else None


def _column_map(row: tuple[Cell, ...], vocabulary) -> _Header:
    """Field -> column index. Words are tried in vocabulary order across the whole row,
    so a specific header (三级指标) claims its column before a loose one (绩效指标,
    which is also the merged side label of many tables) can."""
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
    return _Header(mapping, row)


def _aligned(row: tuple[Cell, ...], header: _Header) -> list[Cell | None]:
    """Data cells lined up under the header. With a grid the cells are used as they
    are (`_Header.get` matches columns); without one, a shorter row lost leading
    merged cells, so it is aligned at its right edge, and a longer one carries empty
    leading cells under a merged side label (绩效指标) the header lacks."""
    cells: list[Cell | None] = list(row)
    if header.has_grid and all(c.col is not None for c in row):
        return cells
    n = len(header)
    while len(cells) > n and cells[-1] is not None and not compact(cells[-1].text):
        cells.pop()  # padding past the table's last column
    if len(cells) < n:
        cells = [None] * (n - len(cells)) + cells
    while len(cells) > n and cells[0] is not None and not compact(cells[0].text):
        cells.pop(0)
    return cells


def _text(cell: Cell | None) -> str:
    return compact(_INSTRUCTION.sub("", cell.text)) if cell is not None else ""


def _infer_indicator_header(row: tuple[Cell, ...]) -> _Header | None:
    """A data row of an indicator table whose header row is missing: its level words
    say where the levels are; the name follows; text cells then numbers give target,
    actual, weight and score."""
    texts = [compact(c.text) for c in row]
    l2 = next((i for i, t in enumerate(texts) if normalize_level2(t) in LEVEL2_TO_LEVEL1), None)
    if l2 is None or l2 + 1 >= len(texts):
        return None
    fields = {"level2": l2, "name": l2 + 1}
    l1 = next((i for i in range(l2) if level_group(split_label_weight(texts[i])[0]) in LEVEL1_NAMES), None)
    if l1 is not None:
        fields["level1"] = l1
    rest = list(range(l2 + 2, len(texts)))
    numbers = [i for i in rest if parse_cell_number(texts[i]) is not None and "%" not in texts[i]]
    trailing = []
    for i in reversed(rest):  # weight and score are the last plain numbers
        if i in numbers and len(trailing) < 2:
            trailing.insert(0, i)
        elif texts[i] == "" and not trailing:
            continue
        else:
            break
    measures = [i for i in rest if i not in trailing][:2]
    if measures:
        fields["target"] = measures[0]
    if len(measures) > 1:
        fields["actual"] = measures[1]
    if len(trailing) == 2:
        fields["weight"], fields["score"] = trailing
    elif len(trailing) == 1:
        fields["weight"] = trailing[0]
    return _Header(fields, row)


# ---------------------------------------------------------------------------
# the table

@dataclass
class _State:
    mode: str | None = None
    header: _Header | None = None
    level1: str | None = None
    level2: str | None = None
    section: str | None = None  # current four-part section (决策 …) when rows are not indicators
    goal_pending: bool = False
    plan_dates: list[str] = field(default_factory=list)
    plan_cells: tuple = ()
    money_start: int = 0  # where the current money block's lines begin in budget_lines


def parse_table(table: Table, doc: SourceDocument, caption_unit: str | None = None) -> TableFacts:
    """Read a self-evaluation, target, score, expense or project-list table. See the
    module docstring.

    `caption_unit` is an amount unit declared just above the table ("单位：元"); a unit
    inside the table wins over it.
    """
    facts = TableFacts()
    st = _State()
    previous: tuple[Cell, ...] = ()
    for row in untransposed_rows(table.rows):
        before = _taken(facts)
        kind, read = _read_row(row, previous, doc, facts, st, caption_unit)
        previous = read if kind != "blank" else previous
        # Every cell used or explained: a row holding a figure that no reading took
        # (no header above it, or cells the columns did not cover) is said, by lines.
        if kind in ("data", "label", "total") and _taken(facts) == before and _has_figure(row):
            facts.unread_rows.append(_prov(doc, list(row)))
    _parts_without_total(facts)
    _unfilled_total(facts)
    _rate_from_amounts(facts)
    return facts


def _field_of_label(text: str) -> str | None:
    """The indicator field a first-column label names (三级指标, 年度指标值, 分值 …)."""
    t = compact(text)
    if not t or len(t) > 8:
        return None
    return next((f for word, f in INDICATOR_COLUMNS if t == word or (t.startswith(word) and len(t) <= len(word) + 2)),
                None)


def _money_label(text: str) -> str | None:
    """The money field a label cell names (年初预算数, 执行率, 分值 …), or None."""
    t = compact(text)
    if not t or len(t) > 12:
        return None
    return budget_role(t) or next((f for word, f in BUDGET_COLUMNS if t == word), None)


def untransposed_rows(rows: tuple[tuple[Cell, ...], ...]) -> list[tuple[Cell, ...]]:
    """An indicator table laid out across the columns (a row per field: 一级指标,
    二级指标, 三级指标, 年度指标值 …, a column per indicator) turned the usual way: a
    header row of the field labels, then a row per indicator. The block is three
    rows or more whose first cells name indicator fields, a name among them and a
    target, weight or score; other rows are left as they are."""
    out: list[tuple[Cell, ...]] = []
    k = 0
    while k < len(rows):
        end = k
        fields = []
        # the first field row holds two indicators or more; later ones may be blank
        # (a 二级指标 row the form leaves empty)
        while end < len(rows) and rows[end] and (f := _field_of_label(rows[end][0].text)) is not None \
                and (end > k or len([c for c in rows[end][1:] if compact(c.text)]) >= 2):
            fields.append(f)
            end += 1
        money_end = k
        while money_end < len(rows) and len([c for c in rows[money_end] if compact(c.text)]) in (1, 2) \
                and len(rows[money_end]) >= 2 and _money_label(rows[money_end][0].text) is not None:
            money_end += 1  # a label with its value, or with its value left blank
        money = {_money_label(r[0].text) for r in rows[k:money_end]}
        if money_end - k >= 3 and money & {"budget_initial", "budget_adjusted"} and money & {"executed", "rate"}:
            # a money block written as label | value pairs down the page: one header
            # row of the labels, one row of the values
            block = rows[k:money_end]
            out.append(tuple(replace(r[0], col=i, col_span=1, is_continuation=False) for i, r in enumerate(block)))
            out.append(tuple(replace(next((c for c in r[1:] if compact(c.text)), r[1]), col=i, col_span=1,
                                     is_continuation=False) for i, r in enumerate(block)))
            k = money_end
            continue
        if end - k >= 3 and "name" in fields and {"target", "weight", "score", "actual"} & set(fields):
            block = rows[k:end]
            width = max(len(r) for r in block)
            out.append(tuple(replace(r[0], col=i, col_span=1, is_continuation=False) for i, r in enumerate(block)))
            for c in range(1, width):
                column = [r[c] if c < len(r) else None for r in block]
                if any(cell is not None and compact(cell.text) for cell in column):
                    out.append(tuple(replace(cell, col=i, col_span=1, is_continuation=False) if cell is not None
                                     else Cell("", block[i][0].line_start, block[i][0].line_end, i)
                                     for i, cell in enumerate(column)))
            k = end
        else:
            out.append(rows[k])
            k += 1
    return out


def _taken(facts: TableFacts) -> tuple:
    """How much a table's reading holds so far (a row that changes none of it took nothing)."""
    return (facts.explained_rows, len(facts.indicators), len(facts.budget_lines), len(facts.expense_items), len(facts.project_rows),
            len(facts.section_scores), len(facts.spending_plan), tuple(facts.budget), facts.total_score,
            facts.total_weight, facts.grade, facts.name, facts.unit, facts.code, facts.department,
            facts.funding, facts.goal_expected, facts.goal_actual)


def _has_figure(row) -> bool:
    return any(parse_cell_number(c.text) is not None for c in row if compact(c.text))


def _read_row(row, previous, doc: SourceDocument, facts: TableFacts, st: _State,
              caption_unit: str | None) -> tuple[str, tuple]:
    """Read one row into `facts` by its kind; returns the kind it was read as and the
    row as read (a header's second row completed by the one above it)."""
    texts = [compact(c.text) for c in row]
    kind = row_kind(texts)
    if kind == "blank":
        return kind, row
    if kind == "indicator_header":
        row = _two_row_header(previous, row)
    unit_here = next((unit for unit in map(detect_amount_unit, texts) if unit), None)
    if unit_here and facts.amount_unit is None and kind in ("budget_header", "title", "label", "data",
                                                            "expense_header", "project_header"):
        facts.amount_unit = unit_here
    if kind == "title":
        _read_title(next(t for t in texts if t), row, doc, facts)
        return kind, row
    if kind == "year":
        cell = next(c for c in row if compact(c.text))
        facts.year = Value(int(re.search(r"(19|20)\d\d", compact(cell.text)).group(0)), _prov(doc, [cell]), cell.text.strip())
        return kind, row
    if kind == "plan":
        st.plan_dates = _plan_dates(texts)
        st.plan_cells = row
        return kind, row
    if st.plan_dates:
        shares = [(c, parse_percent(c.text)) for c in row if "%" in c.text and parse_percent(c.text) is not None]
        if len(shares) == len(st.plan_dates):
            facts.spending_plan = [SpendingPlan(by, share, _prov(doc, [*st.plan_cells, c]))
                                   for by, (c, share) in zip(st.plan_dates, shares)]
        st.plan_dates = []
        if shares:
            return kind, row
    if kind not in ("indicator_header", "budget_header", "total") and (passage := passage_in_row(list(row), doc)):
        facts.passages.append(passage)  # 存在的问题和改进措施 | ……: the report's own why
        return "passage", row
    if kind == "label" and st.mode is not None and not _is_real_label_row(row):
        kind = "data"
    if kind == "label":
        _read_labels(row, doc, facts)
        st.mode = None
        return kind, row
    if kind in ("budget_header", "indicator_header", "dimension_header", "expense_header", "project_header"):
        _start_mode(kind, row, st, facts, caption_unit)
        st.goal_pending = False
        return kind, row
    if kind == "goal_header":
        st.mode = None
        filled = [c for c in row if compact(c.text)]
        if len(filled) >= 2 and len(compact(filled[1].text)) > 12:
            # 年度绩效目标 | <the goal text> on one row
            facts.goal_expected = Value(filled[1].text.strip(), _prov(doc, [filled[1]]))
        else:
            st.goal_pending = True
        return kind, row
    if kind == "total":
        if st.mode == "budget":
            _read_budget_row(row, doc, facts, st.header, is_total=True, block_start=st.money_start)
            return kind, row
        if st.mode in ("expense", "project", "dimension"):
            facts.explained_rows += 1  # a sum of rows read one by one
            return kind, row
        _read_total(row, doc, facts, st.header if st.mode == "indicator" else None)
        st.mode = None
        return kind, row
    if st.goal_pending:
        st.goal_pending = False
        texts_cells = [c for c in row if compact(c.text)]
        if texts_cells:
            facts.goal_expected = Value(texts_cells[0].text.strip(), _prov(doc, [texts_cells[0]]))
        if len(texts_cells) > 1:
            facts.goal_actual = Value(texts_cells[-1].text.strip(), _prov(doc, [texts_cells[-1]]))
        return kind, row
    if st.mode is None:
        inferred = _infer_indicator_header(row)
        if inferred is not None:
            st.mode, st.header, st.level1, st.level2 = "indicator", inferred, None, None
            facts.inferred_header = facts.has_indicator_header = True
            facts.has_actual_column = facts.has_actual_column or "actual" in inferred.fields
    if st.mode == "budget":
        _read_budget_row(row, doc, facts, st.header, block_start=st.money_start)
    elif st.mode == "indicator":
        _read_indicator_row(row, doc, facts, st)
    elif st.mode == "dimension":
        _read_dimension_row(row, doc, facts, st.header)
    elif st.mode == "expense":
        _read_expense_row(row, doc, facts, st.header)
    elif st.mode == "project":
        _read_project_row(row, doc, facts, st.header)
    return kind, row


def _rate_from_amounts(facts: TableFacts) -> None:
    """A money block that defines a rate (a 执行率 column, or a ④/③ formula) but
    states none usable: the rate is the block's own executed ÷ budget. Never done
    for figures in prose, which define no rate."""
    budget = v(facts.budget.get("budget_adjusted")) or v(facts.budget.get("budget_initial"))
    executed = facts.budget.get("executed")
    if facts.has_rate_column and "rate" not in facts.budget and budget and v(executed) is not None:
        facts.budget["rate"] = Value(round(100 * v(executed) / budget, 2), executed.prov, "执行数÷预算数")


def _parts_without_total(facts: TableFacts) -> None:
    """A money block of sources only (中央补助资金 | 县级配套资金, no 合计 row): one
    source is the whole money; several add up to it (amounts summed, the rate
    recomputed). 其中 rows are never summed: they may list only some parts."""
    parts = facts.money_parts
    if facts.budget_block_read or not parts:
        return
    facts.budget_block_read = True
    if len(parts) == 1:
        facts.budget.update(parts[0])
        return
    sums: dict[str, float] = {}
    for k in _MONEY_AMOUNTS:
        values = [part[k] for part in parts if k in part]
        if values:
            sums[k] = round(sum(val.value for val in values), 6)
            facts.budget[k] = Value(sums[k], values[0].prov, "+".join(val.raw for val in values))
    # A figure the report does not write: said, so a person checks the rows are all parts.
    facts.summed_rows = [next(iter(part.values())).prov for part in parts if part]
    budget = sums.get("budget_adjusted") or sums.get("budget_initial")
    if budget and sums.get("executed"):
        facts.budget["rate"] = Value(round(100 * sums["executed"] / budget, 2), facts.budget["executed"].prov,
                                     "执行数÷预算数")


def _unfilled_total(facts: TableFacts) -> None:
    """A total line left at 0 (or blank) above parts that carry money: total = sum of
    parts, so the parts are the figures; the rate is recomputed from them."""
    keys = ("budget_initial", "budget_adjusted", "executed")
    if not facts.budget_block_read or any(v(facts.budget.get(k)) for k in keys):
        return
    parts = [line for line in facts.budget_lines[1:]]
    sums = {k: sum(getattr(l, k + "_wan") or 0 for l in parts) for k in keys}
    if not any(sums.values()):
        return
    prov = parts[0].prov
    for k in keys:
        if sums[k]:
            facts.budget[k] = Value(round(sums[k], 6), prov, "其中行合计")
    budget = sums["budget_adjusted"] or sums["budget_initial"]
    if budget and sums["executed"]:
        facts.budget["rate"] = Value(round(100 * sums["executed"] / budget, 2), prov, "执行数÷预算数")


_STRUCTURAL_LABELS = {"name", "code", "unit", "department", "grade", "funding"}


def _is_real_label_row(row) -> bool:
    """Inside a table body, a row is a label row only if its first non-empty cell
    names the project, unit or grade (项目名称 | X); a row of an indicator named
    预算执行率 is data."""
    cells = [c for c in row if compact(c.text)]
    return len(cells) >= 2 and label_field(cells[0].text) in _STRUCTURAL_LABELS and len(cells) <= 6


def _two_row_header(above: tuple[Cell, ...], row: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """A header written over two rows (绩效指标 spanning 一级/二级/三级 above, and
    年度指标值, 分值, 得分 merged down into the second row): the second row's blank
    cells take the words of the cell above them."""
    if not above or not any(not compact(c.text) for c in row):
        return row
    grid = all(c.col is not None for c in (*above, *row))
    if not grid and len(above) != len(row):
        return row
    filled = []
    for k, cell in enumerate(row):
        if compact(cell.text):
            filled.append(cell)
            continue
        over = next((a for a in above if a.col is not None and a.col <= cell.col < a.col + a.col_span), None) \
            if grid else above[k]
        filled.append(replace(cell, text=over.text) if over is not None else cell)
    return tuple(filled)


def _budget_header(row) -> _Header:
    """A money block's columns. Each cell by its role first (`budget_role`: 年初…安排,
    小计③=①+②, 拨付金额, a ④/③ formula; one cell, one role), then the template's
    words (`BUDGET_COLUMNS`: 预算数, 批复金额 …) for the fields still missing, on
    cells no role has taken: a formula cell that mentions 实际支出 is the rate, not
    the executed amount."""
    fields: dict[str, int] = {}
    for i, cell in enumerate(row):
        role = budget_role(cell.text)
        if role and role not in fields:
            fields[role] = i
    by_words = _column_map(row, BUDGET_COLUMNS)
    taken = set(fields.values())
    for name, i in by_words.fields.items():
        if name not in fields and i not in taken:
            fields[name] = i
            taken.add(i)
    return _Header(fields, by_words.cells)


def _start_mode(kind: str, row, st: _State, facts: TableFacts, caption_unit: str | None) -> None:
    if kind == "budget_header":
        facts.amount_unit = facts.amount_unit or caption_unit
        st.mode, st.header = "budget", _budget_header(row)
        st.money_start = len(facts.budget_lines)
        facts.has_rate_column = "rate" in st.header.fields
    elif kind == "indicator_header":
        st.mode, st.header = "indicator", _column_map(row, INDICATOR_COLUMNS)
        if "target" not in st.header.fields:
            # targets split by region (甲县 | 乙县 | … | 合计): the total is the target
            total = next((k for k, c in enumerate(row) if compact(c.text) in ("合计", "总计", "小计", "全部")), None)
            if total is not None:
                st.header.fields["target"] = total
        facts.has_indicator_header = True
        facts.has_actual_column = facts.has_actual_column or "actual" in st.header.fields
        facts.has_score_column = facts.has_score_column or "score" in st.header.fields
        # A header repeated after a page break continues the table: keep the levels.
    elif kind == "dimension_header":
        st.mode, st.header = "dimension", _column_map(row, DIMENSION_COLUMNS)
    elif kind == "expense_header":
        facts.amount_unit = facts.amount_unit or caption_unit
        st.mode, st.header = "expense", _column_map(row, EXPENSE_COLUMNS)
    elif kind == "project_header":
        facts.amount_unit = facts.amount_unit or caption_unit
        st.mode, st.header = "project", _column_map(row, PROJECT_COLUMNS)


def _read_title(title: str, row, doc, facts: TableFacts) -> None:
    facts.title = title
    name = re.sub(r"^[（(]?(?:19|20)\d\d年度?[)）]?", "", title)
    name = re.sub(r"[（(](?:19|20)\d\d年度?[)）]$", "", name)
    name = re.sub(r"(?:区域|项目支出|项目|支出|转移支付|专项资金)?(?:绩效)?(?:目标)?(?:自评|评价|评分|完成情况|申报|审核)?表$", "", name)
    name = re.sub(r"(?:绩效)?(?:目标)?$", "", name) if name.endswith("绩效目标") else name
    name = re.sub(r"项目$", "", name) if name.endswith("项目") and len(name) > 4 else name
    facts.title_name = name or None


def _read_labels(row: tuple[Cell, ...], doc: SourceDocument, facts: TableFacts) -> None:
    cells = list(row)
    for cell in cells:
        found = inline_label(cell.text)
        if found and found[0] in ("unit", "department", "name", "code") and getattr(facts, found[0]) is None:
            value = Value(found[1], _prov(doc, [cell]), cell.text.strip())
            setattr(facts, found[0], _strip_unit_code(value) if found[0] in ("unit", "department") else value)
    for i, cell in enumerate(cells):
        key = label_field(cell.text)
        if key is None or i + 1 >= len(cells):
            continue
        target = next((c for c in cells[i + 1:] if compact(c.text)), None)
        if target is None:
            continue
        text = compact(target.text)
        if label_field(text) is not None:
            continue
        value = Value(text, _prov(doc, [cell, target]), target.text.strip())
        if key == "name" and facts.name is None:
            code, name = _split_code_name(text)
            if code:  # 项目名称 | 51…357-某某项目: the code written before the name
                value = Value(name, value.prov, value.raw)
                facts.code = facts.code or Value(code, value.prov, value.raw)
            facts.name = value
        elif key == "code" and facts.code is None:
            facts.code = value
        elif key == "unit" and facts.unit is None:
            facts.unit = _strip_unit_code(value)
        elif key == "department" and facts.department is None:
            facts.department = _strip_unit_code(value)
        elif key == "grade" and facts.grade is None:
            facts.grade = value
        elif key == "funding" and facts.funding is None:
            facts.funding = value
        elif key == "total":
            number = parse_cell_number(text)
            if number is not None:
                facts.total_score = Value(number, value.prov, text)
        elif key in ("budget", "executed", "rate"):
            _read_budget_label(key, cell, target, value, facts)


_CODE_THEN_NAME = re.compile(r"^(?P<code>(?=[0-9A-Z]*\d)[0-9A-Z]{12,})\s*[-－—_]\s*(?P<name>\S.+)$")


def _split_code_name(text: str) -> tuple[str | None, str]:
    """(code, name) of a name cell that starts with a project code and a dash (a run
    of 12+ letters and digits, digits included); (None, text) otherwise."""
    m = _CODE_THEN_NAME.match(text)
    return (m.group("code"), m.group("name")) if m else (None, text)


def _strip_unit_code(value: Value) -> Value:
    """`422001-某市农业农村局` -> 某市农业农村局 (a budget code before the name)."""
    text = re.sub(r"^\d{3,9}\s*[-－—_ ]\s*", "", value.value)
    text = re.sub(r"[（(](?:公章|盖章|本级)[)）]$", "", text)
    return Value(text, value.prov, value.raw)


def _read_budget_label(key: str, label: Cell, target: Cell, value: Value, facts: TableFacts) -> None:
    text = compact(target.text)
    if parse_number(text) is None or not re.fullmatch(r"[\d,.%]+(?:万元|元|亿元)?", text):
        return
    unit = detect_amount_unit(label.text) or facts.amount_unit or "万元"
    field_name = {"budget": "budget_initial", "executed": "executed", "rate": "rate"}[key]
    if field_name in facts.budget:
        return
    if key == "rate":
        facts.budget["rate"] = Value(parse_percent(text), value.prov, text)
    else:
        facts.budget[field_name] = Value(amount_to_wan(text, unit), value.prov, text)


def _is_ragged(row, header: _Header) -> bool:
    """A row without grid columns that holds fewer cells than its header and no empty
    one: its empty cells were dropped, so positions say nothing and contents must
    place it (a row that keeps an empty cell keeps its positions)."""
    return (not header.has_grid and all(c.col is None for c in row) and len(row) < len(header)
            and all(compact(c.text) for c in row))


# A money row's figures in the order templates write them.
_MONEY_ORDER = ("budget_initial", "budget_adjusted", "executed", "weight", "score")


def _money_reading(row, header: _Header) -> list[Cell | None]:
    """The cells of a money row that dropped its empty cells, under the header's
    columns: of every way to give its plain figures to the header's money columns
    in order (and its percentage to the rate), the one the row's own arithmetic
    agrees with best (rate = executed ÷ a budget; a score within its weight)."""
    cells: list[Cell | None] = [None] * len(header)
    label = next((c for c in row if compact(c.text) and parse_cell_amount(c.text) is None
                  and parse_cell_number(c.text) is None), None)
    figures = [c for c in row if compact(c.text) and (parse_cell_number(c.text) is not None
                                                      or parse_cell_amount(c.text) is not None)]
    rates = [c for c in figures if "%" in c.text]
    plain = [c for c in figures if "%" not in c.text]
    fields = [f for f in _MONEY_ORDER if f in header.fields]
    if label is not None and min(header.fields.values(), default=0) > 0:
        cells[0] = label
    if rates and "rate" in header.fields:
        cells[header.fields["rate"]] = rates[0]
    rate = parse_percent(rates[0].text) if rates else None
    best, best_score = None, None
    for chosen in itertools.combinations(fields, min(len(plain), len(fields))):
        value = {f: parse_cell_amount(c.text) if parse_cell_number(c.text) is None else parse_cell_number(c.text)
                 for f, c in zip(chosen, plain)}
        score = 0.0
        budgets = [value[f] for f in ("budget_adjusted", "budget_initial") if value.get(f)]
        if rate is not None and value.get("executed") is not None and budgets:
            score += 2 * any(abs(100 * value["executed"] / b - rate) <= 0.6 for b in budgets)
        if value.get("weight") is not None and value.get("score") is not None:
            score += 1 if value["score"] <= value["weight"] else -1
        if value.get("weight") is not None and value["weight"] > 100:
            score -= 1
        if best_score is None or score > best_score:
            best, best_score = chosen, score
    for f, c in zip(best or (), plain):
        cells[header.fields[f]] = c
    return cells


def _indicator_reading(row, header: _Header) -> list[Cell | None]:
    """The cells of an indicator row that dropped its empty cells, placed by what
    they hold: level words in the level columns, then the name, the trailing plain
    numbers as weight and score, the measures between as target and actual."""
    cells: list[Cell | None] = [None] * len(header)
    texts = [compact(c.text) for c in row]
    used = set()
    # Leading level words: two of them are 一级 and 二级; one alone is 二级 when the
    # vocabulary knows it as a second level (产出 rows carry on under the 一级 above).
    levels = [k for k in range(min(2, len(texts))) if normalize_level2(texts[k]) in LEVEL2_TO_LEVEL1
              or level_group(split_label_weight(texts[k])[0]) in LEVEL1_NAMES
              and split_label_weight(texts[k])[0] == level_group(split_label_weight(texts[k])[0])]
    if levels != list(range(len(levels))):
        levels = levels[:1] if levels and levels[0] == 0 else []
    if len(levels) == 2:
        pairs = (("level1", 0), ("level2", 1))
    elif levels and normalize_level2(texts[0]) not in LEVEL2_TO_LEVEL1:
        pairs = (("level1", 0),)
    elif levels:
        pairs = (("level2", 0),)
    else:
        pairs = ()
    for field_name, k in pairs:
        if field_name in header.fields:
            cells[header.fields[field_name]] = row[k]
            used.add(k)
    rest = [k for k in range(len(row)) if k not in used and texts[k]]
    if rest and "name" in header.fields:
        cells[header.fields["name"]] = row[rest.pop(0)]
    trailing = []
    while rest and len(trailing) < 2 and parse_cell_number(texts[rest[-1]]) is not None and "%" not in texts[rest[-1]]:
        trailing.insert(0, rest.pop())
    numeric = [f for f in ("weight", "score") if f in header.fields]
    for f, k in zip(numeric if len(trailing) == len(numeric) else numeric[:len(trailing)], trailing):
        cells[header.fields[f]] = row[k]
    for f, k in zip([f for f in ("target", "actual") if f in header.fields], rest):
        cells[header.fields[f]] = row[k]
    return cells


# Labels of a money block's total row and of its parts (sources of the money).
_MONEY_TOTAL = re.compile(r"^(?:合计|总计)|(?:合计|总计)$|^(?:年度|项目|全年)?资金总额")
_MONEY_PART = re.compile(r"^其中|中央|省级|市级|县级|区级|本级|自治区|盟市|旗县|配套|自筹|社会资金|其他资金|财政拨款"
                         r"|结转|^(?:基本|项目)支出$")
_MONEY_AMOUNTS = ("budget_initial", "budget_adjusted", "executed")
_MONEY_FIELDS = (*_MONEY_AMOUNTS, "weight", "rate", "score")


def _read_budget_row(row, doc, facts: TableFacts, header: _Header, is_total: bool = False,
                     block_start: int = 0) -> None:
    cells = _money_reading(row, header) if _is_ragged(row, header) else _aligned(row, header)
    label_cell = next((c for c in cells if c is not None and compact(c.text) and parse_cell_number(c.text) is None), None)
    label = compact(label_cell.text) if label_cell else ""
    unit = facts.amount_unit or "万元"
    line: dict = {"label": label, "prov": _prov(doc, [c for c in row if c is not None])}
    for fieldname in ("budget_initial", "budget_adjusted", "executed"):
        cell = header.get(cells, fieldname)
        if cell is not None and parse_cell_amount(cell.text) is not None:
            line[fieldname] = Value(amount_to_wan(cell.text, unit), _prov(doc, [cell]), cell.text.strip())
    for fieldname, parser in (("weight", parse_cell_number), ("rate", parse_percent), ("score", parse_cell_number)):
        cell = header.get(cells, fieldname)
        if cell is not None and parse_cell_number(cell.text) is not None:
            line[fieldname] = Value(parser(cell.text), _prov(doc, [cell]), cell.text.strip())
    if len(line) <= 2:
        return
    budget_line = BudgetLine(
        label, *(v(line.get(k)) for k in ("budget_initial", "budget_adjusted", "executed", "weight", "rate", "score")),
        line["prov"],
    )
    figures = {k: val for k, val in line.items() if k not in ("label", "prov")}
    if is_total or _MONEY_TOTAL.search(label):
        # The total (年度资金总额 on top, or 合计 under its parts) gives the block's
        # figures and goes first among the block's lines, as the audit reads them.
        facts.budget_lines.insert(block_start, budget_line)
        if not facts.budget_total_read:
            facts.budget_total_read = facts.budget_block_read = True
            # Its amounts and rate replace a first line's; a weight or score merged
            # into the rows above it stays.
            kept = ("weight", "score") if any(k in figures for k in _MONEY_AMOUNTS) else ()
            facts.budget = {k: val for k, val in facts.budget.items() if k not in _MONEY_FIELDS or k in kept} | figures
        return
    facts.budget_lines.append(budget_line)
    # A source of money (中央补助资金, 县级配套, 其中：上年结转) is a part of the
    # total, never the total itself; any other first line is the total.
    if not _MONEY_PART.search(label) and not facts.budget_block_read:
        facts.budget_block_read = True
        facts.budget.update(figures)
    elif not label.startswith("其中") and not facts.budget_block_read:
        facts.money_parts.append(figures)  # the whole, if no total row follows


def _read_indicator_row(row, doc, facts: TableFacts, st: _State) -> None:
    header = st.header
    cells = _indicator_reading(row, header) if _is_ragged(row, header) else _aligned(row, header)
    l1_cell, l2_cell = header.get(cells, "level1"), header.get(cells, "level2")
    raw_l1, raw_l2 = _text(l1_cell), _text(l2_cell)
    name_cell = header.get(cells, "name") or header.get(cells, "description")
    name = clean_indicator_name(name_cell.text) if name_cell is not None else ""
    if raw_l1:
        label, weight = split_label_weight(raw_l1)
        st.level1 = normalize_level1(label)
        st.section = st.level1 if _PROCESS_SECTIONS.match(label) else None
        if weight is not None and l1_cell is not None:
            facts.section_scores.append(SectionScore(st.level1, weight, None, _prov(doc, [l1_cell])))
    inferred = False
    if raw_l2 in ("指标", "目标") and st.level2:
        raw_l2 = ""  # the wrapped tail of the level cell above (经济效益 / 指标)
    if raw_l2:
        st.level2 = normalize_level2(raw_l2)
        parent = LEVEL2_TO_LEVEL1.get(st.level2)
        is_merged = l1_cell is not None and l1_cell.is_continuation
        allowed = _ALLOWED_PARENTS.get(st.level2, {parent})
        carried_fits = st.level1 in allowed or level_group(st.level1) in allowed  # 产出目标 above 质量
        if not raw_l1 and parent and not carried_fits and not is_merged and st.section is None:
            # A blank first-level cell in a flattened table: the second level says which.
            st.level1, inferred = parent, True
        elif st.level1 is None and parent:
            st.level1, inferred = parent, True
    target_text = _compose_target(cells, header)
    weight_cell, score_cell = header.get(cells, "weight"), header.get(cells, "score")
    if not name or name.startswith(("填写说明", "说明", "注：", "注:")):
        return
    if not target_text and not _text(header.get(cells, "actual")) and weight_cell is None:
        return
    weight = parse_cell_number(weight_cell.text) if weight_cell is not None else None
    score = parse_cell_number(score_cell.text) if score_cell is not None else None
    used = [c for c in cells if c is not None and compact(c.text)]
    if _BUDGET_ROW.match(name) and (facts.has_score_column or score is not None) and st.section is not None:
        # The 预算执行率 row of a four-part table is the budget's weight and score.
        if weight is not None and "weight" not in facts.budget:
            facts.budget["weight"] = Value(weight, _prov(doc, [weight_cell]), weight_cell.text.strip())
        if score is not None and "score" not in facts.budget:
            facts.budget["score"] = Value(score, _prov(doc, [score_cell]), score_cell.text.strip())
    if st.section is not None:
        facts.explained_rows += 1  # 决策/过程 rows are evaluation rows, not indicators
        return
    facts.indicators.append(Indicator(
        level1=st.level1,
        level2=st.level2,
        name=name,
        target=target_text,
        actual=normalize_target_text(_text(header.get(cells, "actual"))) if "actual" in header.fields else None,
        weight=weight,
        score=score,
        prov=_prov(doc, used or [c for c in row]),
        deviation_reason=_text(header.get(cells, "reason")) or None,
        level1_inferred=inferred or not raw_l1,
    ))


def _compose_target(cells, header: _Header) -> str | None:
    """年度指标值 as written; when a province splits 指标性质 / 指标值 / 度量单位 into
    columns, join them back (≥ + 200 + 人 -> ≥200人)."""
    value = _text(header.get(cells, "target"))
    nature = _text(header.get(cells, "nature"))
    unit = _text(header.get(cells, "unit"))
    # Only a comparison becomes a sign before the value (不低于 -> ≥); a kind of
    # indicator (定量, 正向指标) says nothing about the value and is not glued on.
    symbol = nature_comparator(nature)
    if symbol is None and not value and len(nature) > 2:
        value = nature  # a qualitative value written in the 性质 column
    if symbol and value and not value.startswith(COMPARATORS):
        value = symbol + value
    if unit and value and not value.endswith(unit) and re.search(r"\d$", value):
        value += unit
    return normalize_target_text(value)


def _read_total(row, doc, facts: TableFacts, header: _Header | None) -> None:
    """总分 row: with an indicator header, read 分值/得分 columns; otherwise the
    numbers in order (weight sum, then score)."""
    numbers = [(c, parse_cell_number(c.text)) for c in row if parse_cell_number(c.text) is not None]
    if header is not None and (header.has_grid and all(c.col is not None for c in row) or len(row) == len(header)):
        cells = _aligned(row, header)
        weight_cell, score_cell = header.get(cells, "weight"), header.get(cells, "score")
        if weight_cell is not None and parse_cell_number(weight_cell.text) is not None:
            facts.total_weight = Value(parse_cell_number(weight_cell.text), _prov(doc, [weight_cell]), weight_cell.text.strip())
        if score_cell is not None and parse_cell_number(score_cell.text) is not None:
            facts.total_score = Value(parse_cell_number(score_cell.text), _prov(doc, [score_cell]), score_cell.text.strip())
        if facts.total_weight is not None or facts.total_score is not None:
            _grade_in_row(row, doc, facts)
            return
    if len(numbers) == 1 and facts.has_indicator_header and not facts.has_actual_column:
        # A target table has no scores: its 总分 is the sum of the weights.
        facts.total_weight = Value(numbers[0][1], _prov(doc, [numbers[0][0]]), numbers[0][0].text.strip())
    elif len(numbers) >= 2:
        facts.total_weight = Value(numbers[0][1], _prov(doc, [numbers[0][0]]), numbers[0][0].text.strip())
        facts.total_score = Value(numbers[-1][1], _prov(doc, [numbers[-1][0]]), numbers[-1][0].text.strip())
    elif numbers:
        facts.total_score = Value(numbers[0][1], _prov(doc, [numbers[0][0]]), numbers[0][0].text.strip())
    _grade_in_row(row, doc, facts)


def _grade_in_row(row, doc, facts: TableFacts) -> None:
    """评价等级：良 written in a cell of the total row."""
    for cell in row:
        m = re.search(r"(?:等级|等次)[:：]?\s*[“\"]?(优秀|良好|合格|不合格|优|良|中|差)", compact(cell.text)) \
            or re.fullmatch(r"(优秀|良好|合格|不合格|优|良|中|差)", compact(cell.text))
        if m and facts.grade is None:
            facts.grade = Value(m.group(1), _prov(doc, [cell]), m.group(0))


def _read_dimension_row(row, doc, facts: TableFacts, header: _Header) -> None:
    cells = _aligned(row, header)
    section_cell = header.get(cells, "section")
    max_cell, score_cell = header.get(cells, "max"), header.get(cells, "score")
    name = _text(section_cell)
    if not name or name in _TOTAL_WORDS:
        return
    maximum = parse_cell_number(max_cell.text) if max_cell is not None else None
    score = parse_cell_number(score_cell.text) if score_cell is not None else None
    if maximum is None and score is None:
        return
    label, _ = split_label_weight(name)
    facts.section_scores.append(SectionScore(label, maximum, score, _prov(doc, [c for c in row if compact(c.text)])))


def _read_expense_row(row, doc, facts: TableFacts, header: _Header) -> None:
    cells = _aligned(row, header)
    item = _text(header.get(cells, "item"))
    if not item or item in _TOTAL_WORDS or item.endswith("合计"):
        return
    unit = facts.amount_unit or "万元"
    planned, executed = header.get(cells, "planned"), header.get(cells, "executed")
    amount_cell = planned if planned is not None and parse_cell_number(planned.text) is not None else executed
    if amount_cell is None or parse_cell_number(amount_cell.text) is None:
        return
    facts.expense_items.append(ExpenseItem(item, amount_to_wan(amount_cell.text, unit),
                                           _prov(doc, [c for c in row if compact(c.text)]), amount_cell.text.strip()))


def _read_project_row(row, doc, facts: TableFacts, header: _Header) -> None:
    cells = _aligned(row, header)
    name_cell = header.get(cells, "name")
    name = _text(name_cell)
    if not name or name in _TOTAL_WORDS or re.fullmatch(r"[\d.]+", name):
        return
    unit = facts.amount_unit or "万元"

    def amount(key):
        cell = header.get(cells, key)
        if cell is None or parse_cell_number(cell.text) is None:
            return None
        return Value(amount_to_wan(cell.text, detect_amount_unit(header.cells[header.fields[key]].text) or unit),
                     _prov(doc, [cell]), cell.text.strip())

    def number(key, parser=parse_cell_number):
        cell = header.get(cells, key)
        if cell is None or parse_cell_number(cell.text) is None:
            return None
        return Value(parser(cell.text), _prov(doc, [cell]), cell.text.strip())

    def text(key):
        cell = header.get(cells, key)
        return Value(_text(cell), _prov(doc, [cell]), cell.text.strip()) if cell is not None and _text(cell) else None

    facts.project_rows.append(ProjectRow(
        name=Value(name, _prov(doc, [c for c in row if compact(c.text)]), name_cell.text.strip()),
        budget=amount("budget"), executed=amount("executed"), rate=number("rate", parse_percent),
        score=number("score"), grade=text("grade"), bond=amount("bond"),
        implementer=text("implementer"), department=text("department"),
    ))


def _plan_dates(texts: list[str]) -> list[str]:
    """["3月底", "6月底", …] -> ["03-31", "06-30", …]; quarters likewise."""
    months = [int(m) for t in texts for m in _MONTH_END.findall(t)]
    if len(months) < 2:
        months = [q for word, q in _QUARTERS if any(word in t for t in texts)]
    if len(months) < 2 or months != sorted(months) or any(not 1 <= m <= 12 for m in months):
        return []
    # Leap years do not matter for a plan date.
    return [f"{m:02d}-{calendar.monthrange(2001, m)[1]:02d}" for m in months]
