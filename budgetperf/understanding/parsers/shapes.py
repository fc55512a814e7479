"""The shapes of report a parser recognises, tried in order (`SHAPE_PARSERS`): a
plain list of objects with two methods,

- `detect(doc) -> bool`: does the document contain this shape of report?
- `parse(doc) -> ShapeResult`: the projects it holds, the document kinds, and
  unit names seen (for resolving the unit).

`extract.extract_document` runs the first parser that detects its shape and yields
projects, then resolves region, unit and year for the whole document (`context`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetperf.reading.blocks import SourceDocument
from budgetperf.understanding.parsers.evaluation import parse_evaluation
from budgetperf.understanding.parsers.targets import holds_results, is_target_document, parse_targets
from budgetperf.understanding.records import Project, Value


@dataclass
class ShapeResult:
    projects: list[Project]
    doc_kinds: list[str]
    unit_hints: list[Value] = field(default_factory=list)
    unit_project_budget: Value | None = None
    projects_total: Value | None = None
    supervisor: Value | None = None
    evaluator: Value | None = None
    projects_stated: Value | None = None  # 共实施项目N个: how many the report says it covers


class TargetSheetParser:
    """绩效目标表: planned budgets, spending plans and targets for the coming year."""

    name = "targets"

    def detect(self, doc: SourceDocument) -> bool:
        """True when the document holds 绩效目标表 titles and reports no results (no
        自评/评价报告 title, no column of achieved values or scores)."""
        return is_target_document(doc) and not holds_results(doc)

    def parse(self, doc: SourceDocument) -> ShapeResult:
        """Each 绩效目标表 becomes a Project of kind target."""
        projects, hints = parse_targets(doc)
        return ShapeResult(projects, ["targets"] if projects else [], hints)


class EvaluationParser:
    """部门整体 / 项目支出 evaluation and self-evaluation reports, 专项资金 reports."""

    name = "evaluation"
    _WORDS = ("评价报告", "自评报告", "自评表", "专项资金", "绩效评价", "绩效自评", "评分表", "自评价",
              "整体支出", "转移支付", "专项债券", "评价结果")

    def detect(self, doc: SourceDocument) -> bool:
        """True when the text speaks of an evaluation (评价报告, 自评表, 专项资金…)."""
        head = "".join(doc.lines[:400]).replace(" ", "")
        return any(word in head for word in self._WORDS)

    def parse(self, doc: SourceDocument) -> ShapeResult:
        """Department and project evaluations as Projects (kind department/evaluation)."""
        result = parse_evaluation(doc)
        return ShapeResult(result.projects, result.doc_kinds, result.unit_hints,
                           result.unit_project_budget, result.projects_total, result.supervisor, result.evaluator,
                           result.projects_stated)


SHAPE_PARSERS = [TargetSheetParser(), EvaluationParser()]
