"""Render a synthetic document's truth as report text, in the shapes the seeds and
fixtures show: a self-evaluation report with a markdown pipe table, a Word table
flattened one cell per line (tab-prefixed, blank line between rows), a 部门整体
report followed by its project reports, a narrative self-report with scores by
dimension, a 专项资金 report with expense items, and a 绩效目标表.

Pure: `render_text(doc) -> str`. Every text ends with the synthetic-data MARKER.
Table grids (lists of rows of cell strings) are shared with the .docx/.xlsx/.pdf
writers in `office`.
"""

from __future__ import annotations

from budgetperf.synth import MARKER
from budgetperf.synth.model import (
    SynthDocument,
    SynthIndicator,
    SynthProject,
    fmt_num,
    fmt_yuan,
)

# ---------------------------------------------------------------------------
# shared pieces


def amount(wan: float | None, doc: SynthDocument) -> str:
    """An amount as the document writes it (元 with separators, or 万元)."""
    if wan is None:
        return ""
    return fmt_yuan(wan) if doc.layout["amount_unit"] == "元" else fmt_num(wan)


def amount_words(wan: float | None, doc: SynthDocument) -> str:
    """An amount in a sentence, with its unit."""
    return f"{amount(wan, doc)}{doc.layout['amount_unit']}"


def pct(x: float | None) -> str:
    return "" if x is None else f"{fmt_num(x)}%"


def grade_sentence(p: SynthProject) -> str:
    total = f"项目综合评价得分{fmt_num(p.total_score)}分"
    return f"{total}，评价等级为“{p.grade_as_written}”。" if p.grade_as_written else f"{total}。"


def budget_grid(p: SynthProject, doc: SynthDocument, label: str = "项目资金") -> list[list[str]]:
    """The 项目资金 block: header row and the 年度资金总额 row."""
    header = [label, "年初预算数", doc.layout["budget_header"], "全年执行数", "分值", "执行率", "得分"]
    row = ["年度资金总额", amount(p.budget_initial, doc), amount(p.budget_adjusted, doc), amount(p.executed, doc),
           fmt_num(p.budget_weight), pct(p.execution_rate), fmt_num(p.budget_score)]
    return [header, row]


def indicator_grid(p: SynthProject, doc: SynthDocument) -> list[list[str]]:
    """一级/二级/三级指标 rows with targets, actuals, weights and scores, the first-level
    cell written once per group (as Word's merged cells come out), and a 总分 row."""
    weight_first = doc.layout["indicator_order"] == "weight_first"
    head = ["一级指标", "二级指标", "三级指标"]
    head += ["分值", "年度指标值", "实际完成值", "得分"] if weight_first else ["年度指标值", "实际完成值", "分值", "得分"]
    with_reason = doc.layout["with_reason"]
    if with_reason:
        head.append("偏差原因分析及改进措施")
    rows = [head]
    last_level1 = None
    for ind in p.indicators:
        level1 = ind.level1 if ind.level1 != last_level1 else ""
        last_level1 = ind.level1
        values = _indicator_values(ind, weight_first)
        row = [level1, ind.level2, ind.name, *values]
        if with_reason:
            row.append("" if ind.is_met else "受客观因素影响未完全达到目标，下年度加强管理")
        rows.append(row)
    total = ["总分", "", ""] + [""] * 4 + ([""] if with_reason else [])
    weight_col, score_col = (3, 6) if weight_first else (5, 6)
    total[weight_col] = fmt_num(100 if p.budget_weight else 90)
    total[score_col] = fmt_num(p.total_score)
    rows.append(total)
    return rows


def _indicator_values(ind: SynthIndicator, weight_first: bool) -> list[str]:
    if weight_first:
        return [fmt_num(ind.weight), ind.target, ind.actual or "", fmt_num(ind.score)]
    return [ind.target, ind.actual or "", fmt_num(ind.weight), fmt_num(ind.score)]


def target_grid(p: SynthProject) -> list[list[str]]:
    rows = [["一级指标", "二级指标", "三级指标", "指标值"]]
    last = None
    for ind in p.indicators:
        rows.append([ind.level1 if ind.level1 != last else "", ind.level2, ind.name, ind.target])
        last = ind.level1
    return rows


def year_header(doc: SynthDocument) -> str:
    return f"（{doc.year}年度）" if doc.year_is_explicit else ""


def citation(doc: SynthDocument) -> str:
    """A funding document citation; its year is a citation, not the report's."""
    return f"《{doc.region.name}财政支出绩效评价管理办法》（财预〔{doc.year - 2}〕{doc.index % 17 + 3}号）"


def inferred_year_sentence(doc: SynthDocument) -> str:
    """The one place an inferred-year document names its year."""
    return f"截至{doc.year}年12月底，项目资金已按计划拨付使用。"


def _with_marker(lines: list[str]) -> str:
    """A rendered report's lines as its text, closed by the MARKER every synthetic
    file carries (so no synthetic report passes for a real one)."""
    return "\n".join([*lines, MARKER, ""])


# ---------------------------------------------------------------------------
# table layouts


def pipe_table(rows: list[list[str]]) -> str:
    return "\n".join("| " + " | ".join(cell for cell in row) + " |" for row in rows)


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def aligned_table(rows: list[list[str]]) -> str:
    """Columns lined up with spaces by display width (a CJK character is two columns),
    as a table pasted from a fixed-width print-out; empty cells stay empty."""
    width = max(len(r) for r in rows)
    cols = [max(_display_width(r[c]) if c < len(r) else 0 for r in rows) + 4 for c in range(width)]
    out = []
    for r in rows:
        line = "".join(cell + " " * (cols[c] - _display_width(cell)) for c, cell in enumerate(r))
        out.append(line.rstrip())
    return "\n".join(out)


def flattened_table(rows: list[list[str]]) -> str:
    """A Word table as text extraction leaves it: each cell on its own tab-prefixed
    line, a blank line between rows."""
    return "\n\n".join("\n".join("\t" + cell for cell in row) for row in rows)


# ---------------------------------------------------------------------------
# shapes


def _selfeval_grid(p: SynthProject, doc: SynthDocument, grade_row: bool = False) -> list[list[str]]:
    name_row = ["项目名称", p.name, "实施单位", doc.unit] if p.kind != "department" else ["部门名称", doc.unit]
    grid = [name_row, *budget_grid(p, doc, "部门资金" if p.kind == "department" else "项目资金"),
            *indicator_grid(p, doc)]
    if (grade_row or doc.layout["grade_in_table"]) and p.grade_as_written:
        grid.append(["自评等级", p.grade_as_written])
    return grid


def _table_caption(p: SynthProject, doc: SynthDocument) -> list[str]:
    title = "部门整体支出绩效自评表" if p.kind == "department" else "项目支出绩效自评表"
    out = [title]
    if doc.year_is_explicit:
        out.append(year_header(doc))
    if doc.layout["amount_unit"] == "元":
        out.append("单位：元")
    return out


def _title(doc: SynthDocument, p: SynthProject, what: str) -> str:
    year = f"{doc.year}年度" if doc.year_is_explicit else ""
    return f"{year}{doc.unit}{p.name}{what}"


def rename_lines(p: SynthProject) -> list[str]:
    """The report's sentence on the programme's former name, on its own line where the
    project is described (none when the report does not say)."""
    return [p.rename_note] if p.rename_note else []


def _money_sentence(p: SynthProject, doc: SynthDocument) -> str:
    budget = f"项目年初预算安排{amount_words(p.budget_initial, doc)}"
    if p.budget_adjusted is not None and p.budget_adjusted != p.budget_initial:
        budget += f"，调整后预算{amount_words(p.budget_adjusted, doc)}"
    if p.executed is None:
        return budget + "，资金执行情况另行报送。"
    return budget + f"，全年实际支出{amount_words(p.executed, doc)}，预算执行率{pct(p.execution_rate)}。"


def render_selfeval_pipe(doc: SynthDocument) -> str:
    p = doc.projects[0]
    parts = [
        _title(doc, p, "项目支出绩效自评报告"), "",
        "一、项目基本情况",
        f"{p.name}项目由{doc.unit}组织实施，资金来源为{p.funding_source}。{_money_sentence(p, doc)}",
        *rename_lines(p),
        "" if doc.year_is_explicit else inferred_year_sentence(doc),
        "二、自评结果",
        f"依据{citation(doc)}，经自评，{grade_sentence(p)}", "",
        *_table_caption(p, doc), "",
        (aligned_table if doc.layout["table_style"] == "aligned" else pipe_table)(_selfeval_grid(p, doc)), "",
        "三、存在的问题及改进措施",
        "部分绩效指标设置不够细化，下一步将加强绩效目标管理。", "",
    ]
    return _with_marker(parts)


def render_selfeval_cells(doc: SynthDocument) -> str:
    p = doc.projects[0]
    if p.kind == "department":
        title = "部门整体支出绩效自评报告"
        intro = (f"{doc.unit}{doc.year}年度部门整体支出预算资金{fmt_num(p.budget_adjusted)}万元，"
                 + (f"实际支出{fmt_num(p.executed)}万元，预算执行率{pct(p.execution_rate)}。" if p.executed is not None
                    else "执行数另行报送。"))
        conclusion = f"部门整体支出自评得分{fmt_num(p.total_score)}分" + (
            f"，评价等级为{p.grade_as_written}。" if p.grade_as_written else "。")
        heading = "一、部门基本情况"
    else:
        title = _title(doc, p, "项目支出绩效评价报告")
        intro = f"{p.name}项目由{doc.unit}实施。{_money_sentence(p, doc)}"
        conclusion = "综合评价" + grade_sentence(p).replace("项目综合评价", "")
        heading = "一、项目概况"
    parts = [
        title, "", heading, intro, *rename_lines(p), "",
        "二、" + ("部门整体支出绩效自评表" if p.kind == "department" else "项目支出绩效自评表"), "",
        "\n".join("\t" + line for line in _table_caption(p, doc)), "",
        flattened_table(_selfeval_grid(p, doc)), "", "",
        "三、自评结论", conclusion, "",
    ]
    return _with_marker(parts)


def render_department_report(doc: SynthDocument) -> str:
    dept, *projects = doc.projects
    total = sum(p.budget_initial for p in projects)
    parts = [
        "部门整体绩效评价报告", "",
        "一、部门整体概况",
        f"{doc.unit}{doc.year}年度申请预算资金{fmt_num(dept.budget_initial)}万元，实际支出{fmt_num(dept.executed)}万元，"
        f"预算执行率{pct(dept.execution_rate)}。其中：专项项目0个。",
        "二、部门总体绩效目标和绩效指标设定情况",
        "本部门年初设定的部门整体绩效目标是：履行部门职责，保障各项重点工作顺利开展，提高财政资金使用效益。",
        "三、绩效评价组织情况",
        f"本次绩效评价项目{len(projects)}个，占部门项目总数的100%，涉及金额{fmt_num(round(total, 2))}万元。"
        "采取成立本部门绩效自评工作组的形式开展自评工作。",
        "四、存在的问题",
        "一是绩效目标需进一步细化、量化；二是资金监督管理还需加强。", "", "",
    ]
    for p in projects:
        parts += [
            f"{p.name}项目支出绩效评价报告", "",
            "一、基本情况",
            f"{p.name}项目由{doc.unit}实施。{_money_sentence(p, doc)}",
            *rename_lines(p),
            "二、综合评价情况及评价结论",
            f"{doc.unit}{doc.year}年{p.name}项目绩效评价得分{fmt_num(p.total_score)}分"
            + (f"，评价等级为“{p.grade_as_written}”。" if p.grade_as_written else "。"),
            "三、绩效评价指标分析",
            "项目产出、效益、满意度指标完成情况详见项目支出自评表。", "",
            flattened_table(_selfeval_grid(p, doc)), "", "",
        ]
    return _with_marker(parts)


def render_narrative(doc: SynthDocument) -> str:
    p = doc.projects[0]
    year = f"{doc.year}年度" if doc.year_is_explicit else ""
    lines = [
        f"{year}{doc.unit}{p.name}项目支出绩效自评报告", "",
        *([f"（{p.name}项目）"] if doc.layout["name_line"] else []),
        "一、项目支出基本情况",
    ]
    if p.executed is not None:
        lines.append(f"{year}{doc.unit}{p.name}{fmt_num(p.budget_initial)}万元，实际支出{fmt_num(p.executed)}万元，"
                     f"执行率为{pct(p.execution_rate)}。")
    else:
        lines.append(f"{year}{doc.unit}{p.name}{fmt_num(p.budget_initial)}万元，资金执行情况另行报送。")
    lines += rename_lines(p)
    if not doc.year_is_explicit:
        lines.append(inferred_year_sentence(doc))
    grade = f"，评价等级为{p.grade_as_written}" if p.grade_as_written else ""
    lines += ["", "二、绩效自评结果", f"根据《项目支出绩效自评表》自评得分{fmt_num(p.total_score)}分{grade}。"]
    number = 1
    for s in p.section_scores:
        if s["section"] == "预算执行率":
            lines.append(f"{number}、执行率（{fmt_num(s['max'])}分）项目预算为{fmt_num(p.budget_initial)}万元，"
                         f"实际支出{fmt_num(p.executed)}万元，预算执行率{pct(p.execution_rate)}。得分{fmt_num(s['score'])}分。")
        else:
            what = {"产出指标": "各项产出任务按计划推进", "效益指标": "项目社会效益逐步显现",
                    "满意度指标": "服务对象对项目实施总体满意"}[s["section"]]
            lines.append(f"{number}、{s['section']}（{fmt_num(s['max'])}分）{what}，得分{fmt_num(s['score'])}分。")
        number += 1
    return _with_marker([*lines, ""])


def render_special_fund(doc: SynthDocument) -> str:
    p = doc.projects[0]
    items = "；".join(f"{'①②③④⑤⑥'[k]}{e['item']}{amount_words(e['amount'], doc)}" for k, e in enumerate(p.expense_items))
    year_line = (f"本项目为{doc.year}年度专项资金，" if doc.year_is_explicit else "")
    grade = f"，评定等次为{p.grade_as_written}" if p.grade_as_written else ""
    spent = (f"全年实际支出{amount_words(p.executed, doc)}，执行率为{pct(p.execution_rate)}。" if p.executed is not None
             else "资金执行情况另行报送。")
    lines = [
        f"项目（专项资金）名称 {p.name}", "",
        f"项 目 实 施 单 位  {doc.unit}      （公章）", "",
        "一、评价工作组织开展情况",
        f"{year_line}单位成立评价小组，从预算执行率、产出指标、效益指标、满意度等方面进行了综合评价。"
        f"经测评，评价结果{fmt_num(p.total_score)}分{grade}。",
        "二、项目基本概况",
        f"资金来源与预算安排：资金来源为{p.funding_source}，预算安排共需要{p.name}{amount_words(p.budget_initial, doc)}，"
        f"主要包括：{items}。",
        *rename_lines(p),
        spent if doc.year_is_explicit else inferred_year_sentence(doc) + spent,
        "三、存在问题及改进建议",
        "项目资金拨付进度有待加快，下一步将加强跟踪管理。", "",
    ]
    return _with_marker(lines)


def render_target_sheet(doc: SynthDocument) -> str:
    p = doc.projects[0]
    title = f"{doc.year}年度{doc.unit}项目支出绩效目标表" if doc.year_is_explicit else f"{doc.unit}项目支出绩效目标表"
    plan = p.spending_plan
    rows = [
        ["项目名称", p.name, "项目编码", p.code],
        ["主管部门", doc.unit, "实施单位", doc.unit],
        ["预算数", fmt_num(p.budget_initial), "其中：财政资金", fmt_num(p.budget_initial)],
        ["资金支出计划（%）", *[f"{int(s['by'][:2])}月底" for s in plan]],
        ["", *[f"{s['share']}%" for s in plan]],
        ["年度绩效目标", f"{p.rename_note or ''}完成{p.name}各项任务，提升公共服务水平。"],
        *target_grid(p),
    ]
    return _with_marker([title, "", "单位：万元", "", pipe_table(rows), ""])


RENDERERS = {
    "selfeval_pipe": render_selfeval_pipe,
    "selfeval_cells": render_selfeval_cells,
    "department_report": render_department_report,
    "narrative": render_narrative,
    "special_fund": render_special_fund,
    "target_sheet": render_target_sheet,
}


def render_text(doc: SynthDocument) -> str:
    return RENDERERS[doc.shape](doc)
