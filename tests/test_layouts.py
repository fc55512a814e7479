"""Layout families seen in real reports, each written from the same made-up facts by
`budgetperf.synth.layouts` and read back field by field: a layout counts as read
when every field its rendering wrote comes back (`bench.scoring`)."""

from __future__ import annotations

import pytest

from budgetperf.bench.scoring import documents_of, format_report, score_documents
from budgetperf.storing.extracting import extract_to_dicts
from budgetperf.synth.layouts import (
    LAYOUTS,
    MANY_LAYOUTS,
    TARGET_LAYOUTS,
    Facts,
    ManyFacts,
    many_truth,
    rendered_truth,
    target_truth,
)
from budgetperf.synth.model import SynthIndicator, SynthProject


def _facts() -> Facts:
    """A county bureau's project with a blank 年初预算数, a 二级指标 longer than four
    characters, a cap (≤) and a qualitative target: the cells layouts break."""
    project = SynthProject(
        name="某某乡村道路养护经费", kind="evaluation", budget_initial=None, budget_adjusted=86.5, executed=80.1,
        execution_rate=92.6, budget_weight=10, budget_score=9, total_score=94, grade="优", grade_as_written="优秀",
        indicators=[
            SynthIndicator("产出指标", "数量指标", "养护道路里程", "≥120公里", "126公里", 20, 20),
            SynthIndicator("产出指标", "质量指标", "路面优良率", "≥85%", "88%", 20, 20),
            SynthIndicator("产出指标", "成本指标", "每公里养护成本", "≤0.7万元", "0.64万元", 10, 10),
            SynthIndicator("效益指标", "社会效益指标", "群众出行条件", "明显改善", "明显改善", 10, 10),
            SynthIndicator("效益指标", "可持续影响指标", "道路使用年限", "延长", "延长", 10, 8),
            SynthIndicator("满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "93%", 20, 17),
        ])
    return Facts("某某县交通运输局", 2023, project, "")


# layout -> the quirk it stands for (the test id)
FAMILIES = {
    "pipe": "markdown_pipe_table",
    "aligned": "space_aligned_columns",
    "cells": "word_table_flattened_one_cell_per_line",
    "tabs": "tab_separated_rows",
    "tabs_shifted": "tab_separated_rows_that_drop_empty_cells",
    "boxdraw": "box_drawing_table",
    "wrapped_level": "second_level_label_wrapped_onto_the_next_row",
    "word_stream": "pdf_text_layer_word_stream_with_names_broken_over_lines",
    "pipe_yuan": "amounts_in_yuan_with_thousands_separators",
    "pipe_wan_suffix": "amounts_with_wan_in_the_cell_and_points_with_fen",
    "name_line": "name_line_carrying_a_second_field",
    "docx": "word_table",
    "docx_nested": "word_form_whose_cells_hold_tables",
    "docx_merged": "word_level_labels_merged_down_their_rows",
    "docx_textbox": "word_total_and_grade_only_in_a_text_box",
    "xlsx": "excel_sheet",
    "xlsx_transposed": "excel_indicators_across_the_columns",
    "xlsx_sheets": "excel_summary_sheet_and_project_sheet_read_once",
    "pdf": "pdf_ruled_table",
    "pdf_pages": "pdf_ruled_table_across_pages_with_its_header_repeated",
    "pdf_rotated": "pdf_page_rotated_90_degrees",
    "pdf_side": "pdf_two_tables_side_by_side",
}


def test_every_layout_has_a_family_test():
    assert set(FAMILIES) == set(LAYOUTS)


@pytest.mark.parametrize("layout", list(FAMILIES), ids=list(FAMILIES.values()))
def test_layout_family_reads_every_field(tmp_path, ref, layout):
    suffix, render = LAYOUTS[layout]
    path = tmp_path / f"report_{layout}{suffix}"
    path.write_bytes(render(_facts()))
    documents, failures = extract_to_dicts([str(path)], ref)
    assert failures == []
    score = score_documents(documents_of([rendered_truth(_facts(), path.name)]), documents_of(documents))
    assert score.misses() == [], format_report(score)
    assert len(documents[0]["projects"]) == 1  # a project written twice (a summary sheet) comes out once


@pytest.mark.parametrize("layout", ["target_midterm", "target_regions"],
                         ids=["annual_target_beside_a_midterm_group", "target_per_region_beside_the_total"])
def test_target_table_family_reads_the_annual_total_target(tmp_path, ref, layout):
    suffix, render = TARGET_LAYOUTS[layout]
    path = tmp_path / f"targets_{layout}{suffix}"
    path.write_bytes(render(_facts()))
    documents, failures = extract_to_dicts([str(path)], ref)
    score = score_documents(documents_of([target_truth(_facts(), path.name)]), documents_of(documents))
    assert failures == [] and score.misses() == [], format_report(score)


def _many() -> ManyFacts:
    projects = [SynthProject(name=f"某某专项{k}号工程经费", kind="evaluation", budget_initial=10.0 + k,
                             executed=9.5 + k, execution_rate=round(100 * (9.5 + k) / (10.0 + k), 2),
                             total_score=85 + k, grade="良" if 85 + k < 90 else "优",
                             grade_as_written="良好" if 85 + k < 90 else "优秀") for k in range(11)]
    return ManyFacts("某某县农业农村局", 2024, projects)


@pytest.mark.parametrize("layout", list(MANY_LAYOUTS),
                         ids=["results_list_one_project_per_row_with_a_total", "appendix_listing_many_projects"])
def test_many_projects_family_lists_each_project_once(tmp_path, ref, layout):
    suffix, render, with_results = MANY_LAYOUTS[layout]
    path = tmp_path / f"list_{layout}{suffix}"
    path.write_bytes(render(_many()))
    documents, failures = extract_to_dicts([str(path)], ref)
    score = score_documents(documents_of([many_truth(_many(), path.name, with_results=with_results)]),
                            documents_of(documents))
    assert failures == [] and score.misses() == [], format_report(score)
    assert not any(p["name"] in ("合计", "总计") for p in documents[0]["projects"])
