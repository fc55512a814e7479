"""The audit is linear in the size of a report: a table twice as long costs about twice
the work, never four times (a list search once made a 2 MB text table take minutes).

No timing: the work is counted as Python function calls (`sys.setprofile`), which is
deterministic and counts every comparison a rule makes through a function, the
dataclass `__eq__` of a list search included.
"""

from __future__ import annotations

import random
import sys

from budgetperf.reading.blocks import Cell, Paragraph, SourceDocument, Table
from budgetperf.understanding.audit import audit_document
from budgetperf.understanding.records import (
    BudgetLine,
    DocumentFacts,
    ExpenseItem,
    Indicator,
    NarrativeFigure,
    Project,
    Provenance,
    Value,
)

UNITS = ("人", "场", "个", "次", "份")


def large_report(rows: int, seed: int = 42) -> tuple[DocumentFacts, SourceDocument]:
    """A report with `rows` indicator rows in one table, a sentence per ten rows and an
    expense line per ten rows: the shape of a long generated text table."""
    rng = random.Random(seed)
    lines, cells, indicators, figures, expenses = [], [], [], [], []
    for k in range(rows):
        line = len(lines) + 1
        unit = UNITS[k % len(UNITS)]
        target, actual = rng.randint(10, 500), rng.randint(5, 600)
        name = f"第{k}项服务对象{unit}数"
        lines.append(f"| 产出指标 | 数量指标 | {name} | ≥{target}{unit} | {actual}{unit} | 1 | 1 |")
        prov = Provenance("big.txt", line, line, lines[-1])
        indicators.append(Indicator("产出指标", "数量指标", name, f"≥{target}{unit}", f"{actual}{unit}", 1, 1, prov))
        cells.append(tuple(Cell(text, line, line, col) for col, text in enumerate(lines[-1].strip("|").split("|"))))
        if k % 10 == 0:
            lines.append(f"全年完成第{k}项服务对象{unit}数{actual + 1}{unit}，经费{k}.5万元，其中人员经费{k}万元、公用经费0.5万元。")
            sentence = Provenance("big.txt", len(lines), len(lines), lines[-1])
            figures.append(NarrativeFigure(lines[-1], actual + 1, unit, False, sentence))
            expenses.append(ExpenseItem(f"支出{k}", 1.0, sentence))
    lines.append(f"| 年度资金总额 | | {len(expenses)} | {len(expenses) * 0.9:g} | 10 | 90% | 9 |")
    funding = Provenance("big.txt", len(lines), len(lines), lines[-1])
    blocks = [Table(tuple(cells), 1, len(lines) - 1)] + [Paragraph(t, i, i) for i, t in enumerate(lines, 1) if not t.startswith("|")]
    whole = Provenance("big.txt", 1, len(lines))
    project = Project("大型项目", "evaluation", whole, budget_initial=Value(float(len(expenses)), whole),
                      executed=Value(len(expenses) * 0.9, whole), execution_rate=Value(90.0, whole),
                      budget_weight=Value(10, whole), budget_score=Value(9, whole), total_score=Value(rows + 9.0, whole),
                      indicators=indicators, narrative_figures=figures, expense_items=expenses,
                      budget_lines=[BudgetLine("年度资金总额", None, float(len(expenses)), len(expenses) * 0.9, 10, 90, 9, funding)])
    facts = DocumentFacts(file="big.txt", fmt="txt", year=Value(2023), year_is_explicit=True, region=Value("某县"),
                          doc_kinds=["project_evaluation"], projects=[project])
    return facts, SourceDocument("big.txt", "txt", lines, blocks)


def many_projects(count: int) -> tuple[DocumentFacts, SourceDocument]:
    """A department report listing `count` projects: one task table with a reason
    column (a row per project) and a sentence per project with its figures."""
    lines = ["| 任务名称 | 项目 | 批复金额（万元） | 实际支出金额（万元） | 预算执行率 | 未完成原因和改进措施 |"]
    rows = [tuple(Cell(t, 1, 1, k) for k, t in enumerate(["任务名称", "项目", "批复金额（万元）", "实际支出金额（万元）",
                                                          "预算执行率", "未完成原因和改进措施"]))]
    projects = []
    for k in range(count):
        line = len(lines) + 1
        lines.append(f"| 任务{k} | 第{k}项工作经费 | 100 | {70 + k % 30} | {70 + k % 30}% | |")
        rows.append(tuple(Cell(t, line, line, c) for c, t in enumerate([f"任务{k}", f"第{k}项工作经费", "100",
                                                                         str(70 + k % 30), f"{70 + k % 30}%", ""])))
        prov = Provenance("many.txt", line, line, lines[-1])
        projects.append(Project(f"第{k}项工作经费", "evaluation", prov, budget_initial=Value(100, prov),
                                executed=Value(70 + k % 30, prov), execution_rate=Value(70 + k % 30, prov)))
    for k in range(count):
        lines.append(f"第{k}项工作经费计划于2022年12月底前完成，预算执行率{70 + k % 30}%，合计支出{70 + k % 30}万元。")
    blocks = [Table(tuple(rows), 1, count + 1)] + [Paragraph(t, i, i) for i, t in enumerate(lines, 1) if i > count + 1]
    facts = DocumentFacts(file="many.txt", fmt="txt", year=Value(2023), year_is_explicit=True, region=Value("某县"),
                          doc_kinds=["department_overall"], projects=projects)
    return facts, SourceDocument("many.txt", "txt", lines, blocks)


def calls_to_audit(rows: int, report=large_report) -> int:
    facts, document = report(rows)
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        audit_document(facts, document)
    finally:
        sys.setprofile(None)
    return count


def test_twice_the_rows_costs_about_twice_the_work():
    small, large = calls_to_audit(1000), calls_to_audit(2000)
    assert large < 2.3 * small, (small, large)


def test_twice_the_projects_costs_about_twice_the_work():
    small, large = calls_to_audit(400, many_projects), calls_to_audit(800, many_projects)
    assert large < 2.3 * small, (small, large)


def test_a_large_table_is_audited_whole():
    facts, document = large_report(500)
    found = {c.kind for c in audit_document(facts, document)}
    assert {"narrative_vs_table", "actual_below_target", "weights_sum"} <= found
