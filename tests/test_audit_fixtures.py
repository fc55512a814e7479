"""Each audit rule on a small report written for it (tests/fixtures/audit): the situation
of a real report, rewritten with new names and numbers, read by the real extractor;
and beside it a near miss that must stay quiet (a sum that holds, a boundary score, a
plan, a rate measured against the other budget).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetperf.storing.extracting import extract_file
from tests.conftest import FIXTURES_DIR

AUDIT = Path(__file__).resolve().parent / "fixtures" / "audit"


@pytest.fixture(scope="module")
def audited(ref):
    """Findings and review reasons per fixture file, extracted once."""
    cache: dict[str, tuple[list, list]] = {}

    def run(name: str, folder: Path = AUDIT):
        if name not in cache:
            ex = extract_file(folder / name, ref)
            reasons = [r for r in ex.facts.review_reasons] + [r for p in ex.facts.projects for r in p.review_reasons]
            cache[name] = (ex.checks, reasons)
        return cache[name]

    return run


def kinds(audited, name, folder=AUDIT) -> set[str]:
    return {c.kind for c in audited(name, folder)[0]}


def one(audited, name: str, kind: str):
    found = [c for c in audited(name)[0] if c.kind == kind]
    assert found, f"{name}: no {kind} among {kinds(audited, name)}"
    return found[0]


# ---------------------------------------------------------------- errors

def test_total_vs_parts(audited):
    c = one(audited, "total_vs_parts.txt", "total_vs_parts")
    assert c.severity == "error" and c.project == "科普活动经费"
    assert "98.67" in c.message_zh and "97.67" in c.message_zh and c.provenance


def test_total_vs_parts_near_miss_parts_that_add_up(audited):
    assert "total_vs_parts" not in kinds(audited, "total_vs_parts.near_miss.txt")


def test_total_vs_parts_near_miss_scored_by_sections(audited):
    found = kinds(audited, "total_vs_parts.sections.near_miss.txt")
    assert not {"total_vs_parts", "weights_sum", "score_unsupported"} & found


def test_weights_sum(audited):
    c = one(audited, "weights_sum.txt", "weights_sum")
    assert c.severity == "error" and "90" in c.message_zh


def test_weights_sum_near_miss_a_row_not_listed_is_a_doubt(audited):
    checks, reasons = audited("weights_sum.near_miss.txt")
    assert not {"weights_sum", "total_vs_parts"} & {c.kind for c in checks}
    (reason,) = [r for r in reasons if r.code == "weights_off"]
    assert "10 分" in reason.message_zh  # it names what is missing


def test_execution_rate_mismatch(audited):
    c = one(audited, "execution_rate_mismatch.txt", "execution_rate_mismatch")
    assert c.severity == "error" and "99.7" in c.message_zh and "98.70" in c.message_zh


def test_execution_rate_mismatch_near_miss_measured_on_the_initial_budget(audited):
    assert "execution_rate_mismatch" not in kinds(audited, "execution_rate_mismatch.near_miss.txt")


def test_grade_vs_score(audited):
    c = one(audited, "grade_vs_score.txt", "grade_vs_score")
    assert c.severity == "error" and "良好" in c.message_zh


def test_grade_vs_score_near_miss_on_the_band_boundary(audited):
    assert "grade_vs_score" not in kinds(audited, "grade_vs_score.near_miss.txt")


def test_amounts_vs_total(audited):
    c = one(audited, "amounts_vs_total.txt", "amounts_vs_total")
    assert c.severity == "error" and "3110.45" in c.message_zh and c.provenance[0].line_start == 5


def test_amounts_vs_total_near_miss_partial_lists_and_sums_that_hold(audited):
    assert "amounts_vs_total" not in kinds(audited, "amounts_vs_total.near_miss.txt")


# ---------------------------------------------------------------- warnings

def test_execution_score(audited):
    assert one(audited, "execution_score.txt", "execution_score").severity == "warning"


def test_execution_score_near_miss_the_report_states_its_own_steps(audited):
    assert "execution_score" not in kinds(audited, "execution_score.near_miss.txt")


def test_actual_below_target(audited):
    found = [c for c in audited("actual_below_target.txt")[0] if c.kind == "actual_below_target"]
    assert {"举办科普讲座场次" in c.message_zh for c in found} == {True, False}  # a count short, a cap exceeded
    assert any("超过上限" in c.message_zh for c in found)


def test_actual_below_target_near_miss_targets_met_exactly(audited):
    assert "actual_below_target" not in kinds(audited, "actual_below_target.near_miss.txt")


def test_score_vs_rule(audited):
    found = [c for c in audited("score_vs_rule.txt")[0] if c.kind == "score_vs_rule"]
    assert len(found) == 2  # a met target short of full marks; a proportional score off by 0.6
    assert any("9.60" in c.message_zh for c in found)


def test_score_vs_rule_near_miss_scores_that_follow_the_rule(audited):
    assert "score_vs_rule" not in kinds(audited, "score_vs_rule.near_miss.txt")


def test_satisfaction_vs_score(audited):
    assert "82%" in one(audited, "satisfaction_vs_score.txt", "satisfaction_vs_score").message_zh


def test_satisfaction_vs_score_near_miss_a_good_survey(audited):
    assert "satisfaction_vs_score" not in kinds(audited, "satisfaction_vs_score.near_miss.txt")


def test_budget_cut(audited):
    assert "37.5" in one(audited, "budget_cut.txt", "budget_cut").what


def test_budget_cut_near_miss_a_quarter_cut(audited):
    assert not {"budget_cut", "outputs_vs_spending"} & kinds(audited, "budget_cut.near_miss.txt")


def test_outputs_vs_spending(audited):
    assert one(audited, "budget_cut.txt", "outputs_vs_spending").severity == "warning"


def test_actual_restates_target(audited):
    c = one(audited, "actual_restates_target.txt", "actual_restates_target")
    assert "活动计划完成率" in c.message_zh and "公众科学素质达标率" in c.message_zh


def test_actual_restates_target_near_miss_one_specification(audited):
    assert "actual_restates_target" not in kinds(audited, "actual_restates_target.near_miss.txt")


def test_narrative_vs_table(audited):
    c = one(audited, "narrative_vs_table.txt", "narrative_vs_table")
    assert "60%以上" in c.message_zh and "55.2%" in c.message_zh


def test_narrative_vs_table_near_miss_text_that_agrees(audited):
    assert "narrative_vs_table" not in kinds(audited, "narrative_vs_table.near_miss.txt")


def test_unit_or_measure_wrong(audited):
    assert "4.8元" in one(audited, "unit_or_measure_wrong.txt", "unit_or_measure_wrong").message_zh


def test_unit_or_measure_wrong_near_miss_a_per_person_standard(audited):
    assert "unit_or_measure_wrong" not in kinds(audited, "unit_or_measure_wrong.near_miss.txt")


def test_cost_cap_over_budget(audited):
    assert "≤55万元" in one(audited, "cost_cap_over_budget.txt", "cost_cap_over_budget").message_zh


def test_cost_cap_over_budget_near_miss_a_cap_on_the_whole_contract(audited):
    assert "cost_cap_over_budget" not in kinds(audited, "cost_cap_over_budget.near_miss.txt")


def test_low_execution(audited):
    c = one(audited, "low_execution.txt", "low_execution")
    assert c.project == "外国专家服务经费" and "46.67" in c.message_zh


def test_low_execution_near_miss_exactly_eighty_percent(audited):
    assert "low_execution" not in kinds(audited, "low_execution.near_miss.txt")


def test_execution_missing(audited):
    assert one(audited, "execution_missing.txt", "execution_missing").project == "法律援助经费"


def test_execution_missing_near_miss_a_target_table(audited):
    assert "execution_missing" not in kinds(audited, "year_from_project_code.txt", FIXTURES_DIR)


def test_reason_missing(audited):
    c = one(audited, "reason_missing.txt", "reason_missing")
    assert c.project == "文物保护专项资金" and "83" in c.message_zh


def test_reason_missing_near_miss_the_reason_is_given(audited):
    assert "reason_missing" not in kinds(audited, "reason_missing.near_miss.txt")


def test_score_unsupported(audited):
    assert one(audited, "score_unsupported.txt", "score_unsupported").project == "职工书屋建设经费"


def test_score_unsupported_near_miss_a_list_announcing_results(audited):
    assert "score_unsupported" not in kinds(audited, "score_unsupported.near_miss.txt")


def test_period_mismatch(audited):
    assert "2022年12月31日" in one(audited, "period_mismatch.txt", "period_mismatch").message_zh


def test_period_mismatch_near_miss_a_deadline_in_the_year(audited):
    assert "period_mismatch" not in kinds(audited, "period_mismatch.near_miss.txt")


def test_year_inferred_and_year_missing(audited):
    assert "year_inferred" in kinds(audited, "year_from_project_code.txt", FIXTURES_DIR)
    assert "year_missing" in kinds(audited, "special_fund_expenses_mismatch.txt", FIXTURES_DIR)
    assert not {"year_inferred", "year_missing"} & kinds(audited, "total_vs_parts.txt")


def test_expenses_vs_budget(audited):
    assert "expenses_vs_budget" in kinds(audited, "special_fund_expenses_mismatch.txt", FIXTURES_DIR)
    assert "expenses_vs_budget" not in kinds(audited, "total_vs_parts.txt")


def test_claim_unsupported(audited):
    assert "未开展调查" in one(audited, "claim_unsupported.txt", "claim_unsupported").message_zh


def test_claim_unsupported_near_miss_no_points_for_it(audited):
    assert "claim_unsupported" not in kinds(audited, "claim_unsupported.near_miss.txt")


# ---------------------------------------------------------------- remarks (info)

def test_indicator_design(audited):
    assert "≤100%" in one(audited, "indicator_design.txt", "indicator_design").message_zh


def test_indicator_design_near_miss_a_spending_cap(audited):
    assert "indicator_design" not in kinds(audited, "indicator_design.near_miss.txt")


def test_copied_text(audited):
    assert one(audited, "copied_text.txt", "copied_text").severity == "info"


def test_copied_text_near_miss_a_result_written_out(audited):
    assert "copied_text" not in kinds(audited, "copied_text.near_miss.txt")


def test_qualitative_targets(audited):
    assert one(audited, "qualitative_targets.txt", "qualitative_targets").severity == "info"


def test_qualitative_targets_near_miss_one_word_target_in_seven(audited):
    assert "qualitative_targets" not in kinds(audited, "total_vs_parts.near_miss.txt")


def test_target_missed(audited):
    assert "举办科普讲座场次" in one(audited, "total_vs_parts.txt", "target_missed").message_zh


def test_target_missed_near_miss_targets_met(audited):
    assert "target_missed" not in kinds(audited, "actual_below_target.near_miss.txt")


def test_points_deducted(audited):
    assert "参与群众满意度" in one(audited, "total_vs_parts.txt", "points_deducted").message_zh


def test_points_deducted_near_miss_the_report_states_its_rule(audited):
    assert "points_deducted" not in kinds(audited, "score_vs_rule.txt")


def test_target_underset(audited):
    assert "9800份" in one(audited, "target_underset.txt", "target_underset").message_zh


def test_target_underset_near_miss_forty_percent_above(audited):
    assert "target_underset" not in kinds(audited, "target_underset.near_miss.txt")


def test_units_and_comparators(audited):
    assert one(audited, "units_and_comparators.txt", "units_and_comparators").project is None


def test_units_and_comparators_near_miss_one_unit_throughout(audited):
    assert "units_and_comparators" not in kinds(audited, "units_and_comparators.near_miss.txt")


def test_rounding(audited):
    c = one(audited, "rounding.txt", "rounding")
    assert c.severity == "info" and "55.69" in c.message_zh
    assert "execution_rate_mismatch" not in kinds(audited, "rounding.txt")


def test_rounding_near_miss_rounded_right(audited):
    assert not {"rounding", "execution_rate_mismatch"} & kinds(audited, "rounding.near_miss.txt")


def test_scoring_incomplete(audited):
    assert "优秀" in one(audited, "scoring_incomplete.txt", "scoring_incomplete").message_zh


def test_scoring_incomplete_near_miss_a_grade_with_its_score(audited):
    assert "scoring_incomplete" not in kinds(audited, "scoring_incomplete.near_miss.txt")


def test_form_irregular(audited):
    assert "年初预算数" in one(audited, "form_irregular.txt", "form_irregular").message_zh


def test_form_irregular_near_miss_the_form_filled(audited):
    assert "form_irregular" not in kinds(audited, "form_irregular.near_miss.txt")


def test_unit_roles(audited):
    assert "财政局" in one(audited, "unit_roles.txt", "unit_roles").message_zh


def test_unit_roles_near_miss_the_line_department(audited):
    assert "unit_roles" not in kinds(audited, "unit_roles.near_miss.txt")


def test_execution_remark(audited):
    assert one(audited, "execution_remark.txt", "execution_remark").severity == "info"


def test_execution_remark_near_miss_an_even_pace(audited):
    assert "execution_remark" not in kinds(audited, "execution_remark.near_miss.txt")


def test_every_fixture_is_used():
    source = Path(__file__).read_text(encoding="utf-8")
    assert [p.name for p in sorted(AUDIT.glob("*.txt")) if f'"{p.name}"' not in source] == []
