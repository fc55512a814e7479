"""A department's target table (部门整体支出绩效目标表) lists the projects its money
goes to: each comes out as a target project with its budget, one per name, in any
table layout; spending categories (基本支出) are not projects."""

from __future__ import annotations

import pytest

from budgetperf.storing.extracting import extract_to_dicts
from budgetperf.synth.text import aligned_table

HEAD = """2024年度某某县某某局部门整体支出绩效目标表

部门（单位）名称  某某县某某局

年度预算安排（万元）
    资金总额    130
    项目支出    50
    基本支出    80

年度履职目标
"""
ROWS = [["部门职能", "年度目标任务", "支出项目名称", "预算金额（万元）"],
        ["组织编纂地方志", "完成年度编纂任务", "志书编纂经费", "30"],
        ["开展地情调研", "完成调研报告", "志书编纂经费", "5"],
        ["开展宣传", "举办展览两次", "地情宣传经费", "15"],
        ["保障运转", "按时发放工资", "基本支出", "80"]]
INDICATORS = "\n" + aligned_table([["一级指标", "二级指标", "三级指标", "目标值"],
                                    ["产出指标", "数量指标", "编纂志书册数", "≥2册"],
                                    ["满意度指标", "服务对象满意度指标", "社会公众满意度", "≥90%"]]) + "\n"


def _aligned(rows):
    return aligned_table(rows)


def _pipes(rows):
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


@pytest.mark.parametrize("render", [_aligned, _pipes], ids=["space_aligned", "pipe_table"])
def test_department_target_table_lists_its_projects_once_each(tmp_path, ref, render):
    path = tmp_path / "dept_targets.txt"
    path.write_text(HEAD + render(ROWS) + "\n" + INDICATORS, encoding="utf-8")
    documents, failures = extract_to_dicts([str(path)], ref)
    assert failures == []
    projects = {p["name"]: p for p in documents[0]["projects"]}
    assert projects["部门整体支出"]["budget_initial"] == 130
    assert projects["志书编纂经费"]["budget_initial"] == 35  # two rows, one project
    assert projects["地情宣传经费"]["budget_initial"] == 15
    assert "基本支出" not in projects
    assert [i["target"] for i in projects["部门整体支出"]["indicators"]] == ["≥2册", "≥90%"]
    # the listed projects' budgets add up to the 项目支出 line
    assert projects["志书编纂经费"]["budget_initial"] + projects["地情宣传经费"]["budget_initial"] == 50
