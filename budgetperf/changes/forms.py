"""From what a person typed on the 数据校对 page to `corrections.Correction` records.

The page shows each stored value in a form field; on submit the fields are compared
with the stored values (`field_changes`: numbers by value, so 110 and 110.00 are the
same) and every changed one becomes a correction naming the value it replaces. All
records of one submit are built and checked before anything is written: one bad
value (a budget that is not a number, an empty reason) refuses the whole submit
with a Chinese message (`corrections.CorrectionError.message_zh`).

Pure functions over mappings and DataFrames; no streamlit, no store.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from budgetperf import vocabulary
from budgetperf.changes import corrections
from budgetperf.changes.corrections import Correction, CorrectionError

# (correction field, column of review/item) for the project form, in form order.
PROJECT_FIELDS = [
    ("name", "project_name"),
    ("budget_initial", "budget_initial_wan"),
    ("budget_adjusted", "budget_adjusted_wan"),
    ("executed", "executed_wan"),
    ("execution_rate", "execution_rate_pct"),
    ("budget_weight", "budget_weight"),
    ("budget_score", "budget_score"),
    ("total_score", "total_score"),
    ("grade", "grade"),
]
DOCUMENT_FIELDS = [("region", "region"), ("unit", "unit"), ("year", "year")]
# (correction field, column of review/indicators) for the indicator table.
INDICATOR_FIELDS = [
    ("indicator.level1", "level1"),
    ("indicator.level2", "level2"),
    ("indicator.name", "indicator_name"),
    ("indicator.target", "target_raw"),
    ("indicator.actual", "actual_raw"),
    ("indicator.weight", "weight"),
    ("indicator.score", "score"),
]
FINDING_ACTIONS = {"已核实": "确认无误（已核对原文）", "忽略": "忽略（不需要处理）"}

# A number as a person types it: 1,234.5 / 98.69% / 110万元 / －3 (full-width minus).
_NUMBER = re.compile(r"[-−－]?\d[\d,，]*(?:\.\d+)?")
_NUMBER_SUFFIXES = ("万元", "万", "元", "%", "％", "分")


def label(field: str) -> str:
    """A field's Chinese label (年初预算（万元）…)."""
    return corrections.FIELDS[field][2]


def kind(field: str) -> str:
    return corrections.FIELDS[field][1]


def shown(value) -> str:
    """A stored value as a form field shows it: empty for none, 110 not 110.0."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)) or hasattr(value, "is_integer"):
        number = float(value)
        return str(int(number)) if number.is_integer() else f"{number:.6f}".rstrip("0").rstrip(".")
    return str(value).strip()


def typed_number(text: str, field_label: str) -> float:
    """The number a person typed, or a CorrectionError saying what was wrong.

    Stricter than extraction's parse_number: the whole text must be one number
    (thousands separators and a unit after it allowed), so 「约一百」 or 「110 或 120」
    is refused rather than read as something else."""
    t = text.strip().replace(" ", "")
    for suffix in _NUMBER_SUFFIXES:
        if t.endswith(suffix):
            t = t[: -len(suffix)]
            break
    if not _NUMBER.fullmatch(t):
        raise CorrectionError(f"{field_label}: not a number: {text!r}",
                              f"「{field_label}」应为数字（如 110 或 98.5），收到「{text.strip()}」")
    return float(t.replace(",", "").replace("，", "").replace("−", "-").replace("－", "-"))


def _same(field: str, old: str, new: str) -> bool:
    if old == new:
        return True
    if kind(field) in ("number", "integer") and old and new:
        try:
            return math.isclose(float(old), typed_number(new, label(field)), abs_tol=1e-9)
        except (ValueError, CorrectionError):
            return False
    return False


@dataclass(frozen=True)
class Change:
    field: str
    old: str  # as shown ("" = empty)
    new: str  # as typed ("" = clear the value)


def field_changes(fields: Sequence[tuple[str, str]], before: Mapping, after: Mapping[str, str]) -> list[Change]:
    """The fields whose typed text differs from the stored value. `after` maps a
    correction field to the text typed (fields not in it are unchanged). Numbers are
    checked here (`typed_number`), so a bad one is refused before anything is built."""
    out = []
    for field, column in fields:
        if field not in after:
            continue
        old, new = shown(before.get(column)), str(after[field] if after[field] is not None else "").strip()
        if _same(field, old, new):
            continue
        if new and kind(field) in ("number", "integer"):
            new = shown(typed_number(new, label(field)))
        out.append(Change(field, old, new))
    # a rename last: the other fields name the project (indicator) by its current name
    return sorted(out, key=lambda c: c.field in ("name", "indicator.name"))


def _reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise CorrectionError("a correction needs a reason", "请写明更正原因（例如：核对原文第 12 行）")
    return reason.strip()


class NothingChanged(CorrectionError):
    def __init__(self):
        super().__init__("nothing changed", "没有修改任何值：改动表单中的数值后再保存。")


def project_corrections(item: Mapping, after: Mapping[str, str], *, reason: str, editor: str) -> list[Correction]:
    """Corrections of the project `item` (a review/item row) from the project form."""
    changes = field_changes(PROJECT_FIELDS, item, after)
    if not changes:
        raise NothingChanged()
    reason = _reason(reason)
    return [corrections.make(item["content_hash"], c.field, c.new or None, project=item["project_name"],
                             old_value=c.old or None, reason=reason, editor=editor, file=item["file"])
            for c in changes]


def document_corrections(item: Mapping, after: Mapping[str, str], *, is_excluded: bool | None = None,
                         reason: str, editor: str) -> list[Correction]:
    """Corrections of the document `item` from the document form; `is_excluded` is the
    「不是绩效报告」 box (None = not shown)."""
    changes = field_changes(DOCUMENT_FIELDS, item, after)
    was_excluded = bool(item.get("is_excluded"))
    if is_excluded is not None and bool(is_excluded) != was_excluded:
        changes.append(Change("not_a_report", "是" if was_excluded else "否", "是" if is_excluded else "否"))
    if not changes:
        raise NothingChanged()
    reason = _reason(reason)
    return [corrections.make(item["content_hash"], c.field, c.new or None, old_value=c.old or None, reason=reason,
                             editor=editor, file=item["file"]) for c in changes]


def indicator_corrections(item: Mapping, indicators: pd.DataFrame, edits: Mapping, *, reason: str,
                          editor: str) -> list[Correction]:
    """Corrections from the indicator table (`st.data_editor` state: ``edited_rows``
    {row position: {column: value}} and ``added_rows`` [{column: value}]). A changed
    cell corrects that cell of the indicator (named by its stored name and row
    number); an added row adds an indicator by its name, then fills its cells."""
    columns = {column: field for field, column in INDICATOR_FIELDS}
    records: list[tuple[str, str | None, str | None, int | None, str | None]] = []
    for position, cells in sorted((edits.get("edited_rows") or {}).items(), key=lambda kv: int(kv[0])):
        row = indicators.iloc[int(position)]
        after = {columns[c]: "" if v is None else str(v) for c, v in cells.items() if c in columns}
        for change in field_changes(INDICATOR_FIELDS, row, after):
            records.append((change.field, change.new or None, change.old or None, int(row["seq"]),
                            str(row["indicator_name"])))
    for added in edits.get("added_rows") or []:
        name = str(added.get("indicator_name") or "").strip()
        if not name:
            if any(str(v or "").strip() for v in added.values()):
                raise CorrectionError("a new indicator needs a name", "新增的指标需要填写「三级指标」名称")
            continue  # an empty row the table keeps at its end
        records.append(("add_indicator", name, None, None, None))
        after = {columns[c]: "" if v is None else str(v) for c, v in added.items()
                 if c in columns and c != "indicator_name"}
        for change in field_changes(INDICATOR_FIELDS, {}, after):
            records.append((change.field, change.new or None, None, None, name))
    if not records:
        raise NothingChanged()
    reason = _reason(reason)
    return [corrections.make(item["content_hash"], field, new, project=item["project_name"], indicator=indicator,
                             indicator_seq=seq, old_value=old, reason=reason, editor=editor, file=item["file"])
            for field, new, old, seq, indicator in records]


def added_project(item: Mapping, name: str, *, reason: str, editor: str) -> list[Correction]:
    """The correction adding a project the extraction missed, to the document `item`."""
    name = (name or "").strip()
    if len(name) < 2:
        raise CorrectionError("a new project needs a name", "请填写新增项目的名称（至少 2 个字）")
    return [corrections.make(item["content_hash"], "add_project", name, reason=_reason(reason), editor=editor,
                             file=item["file"])]


def settled_issues(item: Mapping, issues: pd.DataFrame, chosen: Sequence[int], action: str, *, reason: str,
                   editor: str) -> list[Correction]:
    """Records that settle the chosen issues (positions in `issues`, a review/issues
    frame): a review reason is confirmed (resolve_review with its code); an audit
    finding gets the status `action` (已核实 or 忽略)."""
    if not chosen:
        raise CorrectionError("choose an issue", "请先勾选要处理的问题")
    if action not in FINDING_ACTIONS:
        raise CorrectionError(f"unknown action {action!r}", "请选择「确认无误」或「忽略」")
    reason = _reason(reason)
    out = []
    for position in chosen:
        issue = issues.iloc[int(position)]
        project = item.get("project_name") if isinstance(item.get("project_name"), str) else None
        if issue["source"] == "review":
            out.append(corrections.make(item["content_hash"], "resolve_review", issue["code"], project=project,
                                        reason=reason, editor=editor, file=item["file"]))
        else:
            out.append(corrections.make(item["content_hash"], "finding_status", action, project=project,
                                        old_value=issue.get("status") or "未处理", reason=reason, editor=editor,
                                        file=item["file"], finding=issue["finding_key"]))
    return out


def finding_status(finding: Mapping, content_hash: str, status: str, *, reason: str, editor: str) -> list[Correction]:
    """The record setting one audit finding's status (审核 page): 未处理/已核实/忽略."""
    if status not in vocabulary.FINDING_STATUSES:
        raise CorrectionError(f"unknown status {status!r}", f"处理状态只能是 {'、'.join(vocabulary.FINDING_STATUSES)}")
    if status == (finding.get("status") or "未处理"):
        raise CorrectionError("status unchanged", f"这条发现的处理状态已经是「{status}」")
    project = finding.get("project_name") if isinstance(finding.get("project_name"), str) else None
    return [corrections.make(content_hash, "finding_status", status, project=project,
                             old_value=finding.get("status") or "未处理", reason=_reason(reason), editor=editor,
                             file=finding.get("file"), finding=finding["finding_key"])]
