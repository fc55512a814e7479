"""The product's words and thresholds, in one place: grade bands, the execution-rate
警戒线, execution and finding statuses, the outcome of a file taken in, and the
marker of synthetic data. Python code imports them from here; SQL reads the same
values through the macros `sql_macros()` writes into every store, so a threshold
changed here changes the charts, the queries and the audit alike.

Pure data and tiny functions, no I/O.
"""

from __future__ import annotations

import math

# ---------------------------------------------------------------------------
# grades: the evaluations' own bands of a total score (percent of full marks)

GRADES = ("优", "良", "中", "差")
# (lowest score of the band, grade), best first; below the last floor is 差.
GRADE_FLOORS = ((90.0, "优"), (80.0, "良"), (60.0, "中"))


def grade_for_score(score: float | None) -> str | None:
    """The grade band a score (in percent of full marks) falls in: 优 ≥ 90,
    良 80–<90, 中 60–<80, 差 < 60; None for no score."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    return next((grade for floor, grade in GRADE_FLOORS if score >= floor), "差")


# ---------------------------------------------------------------------------
# execution

# The execution-rate 警戒线 leadership watches: a project or region below it is
# flagged on every page and in the briefing.
WARNING_RATE_PCT = 90.0
# Below this share of the budget spent the audit raises low_execution.
LOW_EXECUTION_PCT = 80.0

BELOW_WARNING = "低于警戒线"
ON_TARGET = "达标"
OVER_BUDGET = "超过预算"
UNDISCLOSED = "未披露"
EXECUTION_STATUSES = (BELOW_WARNING, ON_TARGET, OVER_BUDGET, UNDISCLOSED)


def execution_status(rate_pct: object, warning_pct: float = WARNING_RATE_PCT) -> str:
    """低于警戒线 / 达标 / 超过预算 / 未披露 for an execution rate in percent."""
    if rate_pct is None or (isinstance(rate_pct, float) and math.isnan(rate_pct)):
        return UNDISCLOSED
    try:
        rate = float(rate_pct)
    except (TypeError, ValueError):
        return UNDISCLOSED
    if math.isnan(rate):
        return UNDISCLOSED
    if rate < warning_pct:
        return BELOW_WARNING
    return OVER_BUDGET if rate > 100.0 + 1e-9 else ON_TARGET


# ---------------------------------------------------------------------------
# an editor's status of an audit finding

OPEN = "未处理"
VERIFIED = "已核实"
IGNORED = "忽略"
FINDING_STATUSES = (OPEN, VERIFIED, IGNORED)

# ---------------------------------------------------------------------------
# what became of a file taken in (upload, ingest, delete)

OUTCOME_ZH = {"added": "新增", "unchanged": "重复", "replaced": "替换", "failed": "失败",
              "deleted": "已删除", "missing": "不存在"}

# ---------------------------------------------------------------------------
# the facts extracted, by the names the store and the corrections use

FACT_LABELS: dict[str, str] = {
    "unit": "单位", "unit_code": "单位编码", "unit_project_budget": "单位项目支出预算", "projects_total": "项目总数",
    "year": "年度", "code": "项目编码", "budget_initial": "年初预算", "budget_adjusted": "调整后预算",
    "executed": "执行数", "execution_rate": "执行率", "budget_weight": "预算执行分值", "budget_score": "预算执行得分",
    "total_score": "总得分", "total_weight": "总分值", "grade": "等级", "projects_evaluated": "评价项目数",
    "special_projects": "专项项目数", "funding_source": "资金来源", "region": "地区",
    "goal_expected": "年度总体目标（预期）", "goal_actual": "年度总体目标（实际完成）",
    "name": "项目名称", "indicator.level1": "一级指标", "indicator.level2": "二级指标", "indicator.name": "三级指标",
    "indicator.target": "目标值", "indicator.actual": "实际完成值", "indicator.weight": "分值", "indicator.score": "得分",
}


# ---------------------------------------------------------------------------
# synthetic data (`budgetperf synth`): never real, always marked

SYNTHETIC_MARKER = "【合成数据】本文件由 budgetperf synth 生成，仅供测试，不是真实报告。"


# ---------------------------------------------------------------------------
# the same words for SQL

def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_macros() -> str:
    """DuckDB macros carrying this vocabulary, created in every store with its schema:
    ``grade_for_score(x)``, ``warning_rate_pct()``, ``low_execution_pct()``,
    ``execution_status(rate)``, ``finding_status(status)`` (a NULL status is
    未处理) and ``is_open_finding(status)``."""
    bands = " ".join(f"when score >= {floor:g} then {_literal(grade)}" for floor, grade in GRADE_FLOORS)
    return f"""
create or replace macro grade_for_score(score) as
    case when score is null then null {bands} else {_literal(GRADES[-1])} end;
create or replace macro warning_rate_pct() as {WARNING_RATE_PCT:g};
create or replace macro low_execution_pct() as {LOW_EXECUTION_PCT:g};
create or replace macro execution_status(rate) as
    case when rate is null or isnan(rate) then {_literal(UNDISCLOSED)}
         when rate < {WARNING_RATE_PCT:g} then {_literal(BELOW_WARNING)}
         when rate > 100.0 + 1e-9 then {_literal(OVER_BUDGET)}
         else {_literal(ON_TARGET)} end;
create or replace macro finding_status(status) as coalesce(status, {_literal(OPEN)});
create or replace macro is_open_finding(status) as coalesce(status, {_literal(OPEN)}) = {_literal(OPEN)};
"""
