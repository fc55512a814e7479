"""What audit findings and review reasons mean, in words for reviewers: the three
severities, and for every check kind of the vocabulary its title and a short
explanation of what it checks and what to look at in the report.

Pure data and lookups, no I/O; the 审核 page and its exports use it. The rules
themselves live in `understanding.audit`; every kind of its vocabulary (`KINDS`) is
explained here, the ones no rule raises yet included, so a finding imported from
elsewhere still reads well (a test keeps the two in step).
"""

from __future__ import annotations

from budgetperf.understanding.audit import KINDS, RULES, SEVERITY_ZH
from budgetperf.understanding.doubts import REVIEW_CODES

SEVERITY_HELP = {
    "错误": "报告自身的数字互相矛盾（如总分不等于各部分之和、合计不等于分项）：仅凭报告本身即可确定，引用前须与填报单位核实。",
    "警告": "数字可能有误、缺失或缺少依据（如执行率低于 80%、未披露执行数、两处数字不一）：看原文判断是否需要更正。",
    "提示": "不影响数字，但值得改进（如指标缺少量化目标、尾数差异）：供下一年度编制目标和填表时参考。",
}

# Titles of the kinds no rule raises (the rules carry their own, in `audit.RULES`).
_OTHER_TITLES = {
    "name_mismatch": "名称前后不一致",
    "reading_note": "读数说明",
}

RULE_TITLES = {**_OTHER_TITLES, **{rule.kind: rule.title for rule in RULES}}

RULE_HELP = {
    "total_vs_parts": "报告写的总分与各部分得分相加不等（有决策/过程/产出/效益等部分得分时按部分相加，否则按各指标加预算执行得分相加）。"
                      "尾数以外的差异才算错误。核对评分表各行得分与总分所在行。",
    "weights_sum": "各部分或各指标的分值（含预算执行一项）加起来不是满分 100 分，评分体系漏项或多计。"
                   "若有指标行没有读出，系统不下此结论，而在「需复核」中说明。",
    "execution_rate_mismatch": "报告写的执行率与报告自己的「执行数 ÷ 预算数」不符（按年初预算和调整后预算分别计算，取最接近的一个，"
                               "超出尾数差异）。",
    "grade_vs_score": "报告写的等级与总分所在区间（优 ≥90、良 80–90、中 60–80、差 <60）不符。",
    "amounts_vs_total": "金额或数量的合计与所列分项之和不一致：资金来源合计行、表格合计栏、一句话里的「其中」「分别为」、"
                        "按收入与按支出两种口径的合计、项目个数等。分项确定是全部组成部分时才判为错误。",
    "execution_score": "预算执行一项的得分与「分值 × 执行率」相差超过 1 分，或超过分值。",
    "actual_below_target": "实际值没有达到目标值（或超过了「≤」上限），该指标却得了满分。",
    "score_vs_rule": "报告自己写明了计分规则（如「按实际完成值与指标值之比计分」「达到目标值得满分」），"
                     "某指标的得分却与这条规则不符。",
    "satisfaction_vs_score": "正文所述满意度调查结果偏低（低于 90%），满意度部分却得了满分。",
    "claim_unsupported": "实际值或满分缺少报告自身事实的支撑：实际完成值写着「建设中」「未开展调查」「尚无法评价」，该指标却得了满分。",
    "outputs_vs_spending": "预算大部分没有支出（不到一半），产出指标却全部得满分：请核实产出是否真的完成。",
    "actual_restates_target": "多项实际完成值照抄目标值（连「≥」等符号一起），报告没有给出实测结果。",
    "narrative_vs_table": "报告两处对同一数字的表述不一：正文与自评表、总体目标与指标目标值、两段正文、指标解释与目标值栏、"
                          "同一部分得分前后不同。计划数不与实际数比较。",
    "unit_or_measure_wrong": "数字的单位或口径有误：资金写成几元（应为万元），或比率指标的实际完成值填了金额。",
    "cost_cap_over_budget": "成本指标设定的上限高于项目当年预算本身，起不到控制作用（合同总价、总投资等多年口径除外）。",
    "projects_vs_department": "各项目预算之和与部门预算不一致（年初对年初、调整后对调整后），可能有项目未列入评价。",
    "expenses_vs_budget": "列出的支出明细或实施计划加起来与项目预算不一致。",
    "budget_cut": "年中把预算调减了三分之一以上：按调减后预算算出的执行率看起来很高，却掩盖了年初安排的资金没有花出去。",
    "low_execution": "项目或部门预算执行率低于 80%（含完全没有支出）。",
    "execution_missing": "评价报告没有写执行数和执行率（资金到位、债券发行不等于支出），或部门整体只有支出数没有可对照的预算。"
                         "绩效目标表不在此列。看板上显示为「未披露」，不按 0 或 100% 计。",
    "reason_missing": "目标没有完成或预算没有执行完，表中「未完成原因」栏却空着，正文也没有说明原因。",
    "score_unsupported": "报告给出了总分（或只有各部分得分），却没有逐项评分的指标表支撑；只公布评价结果的汇总表不在此列。",
    "period_mismatch": "日期或编码的年度与报告年度不符：目标时限早于评价年度，或项目编码里的年度晚于报告年度。",
    "year_inferred": "标题没有写明年度，年度由正文、项目编码、时限或填报日期推断：请核对年度是否正确。",
    "year_missing": "报告没有写明年度，也无法从正文推断：请在「数据校对」页补上年度。",
    "region_unresolved": "没能从报告中识别所属地区：多为地区参考表缺项，请数据管理员补充后重新生成。",
    "qualitative_targets": "较多指标只有文字目标（如「持续提升」「明显改善」），没有可衡量的数值目标。",
    "target_missed": "指标没有达到目标，报告已相应扣分或说明了原因：提示，不是错误。",
    "points_deducted": "指标已经达到目标却被扣了分，报告既没有说明原因，也没有写明计分规则。",
    "target_underset": "实际完成值远远超过目标值（1.5 倍以上），目标可能定得偏低。",
    "indicator_design": "指标设计不当：目标值无法不达到（如 ≥0、≤100%），产出指标中没有数量指标，或以资金代替工作量、套用其他项目的指标。",
    "units_and_comparators": "数值缺少单位或「≥」「≤」等比较符号，或各处金额单位不一（表中为元、正文为万元）。",
    "rounding": "合计或比率与分项只有最后一位数的差异（四舍五入或截断），不影响结论。",
    "scoring_incomplete": "评分不完整：有等级无得分，有得分而等级栏空白，或自评表没有分值、得分和等级。",
    "form_irregular": "表格不完整或不规范：应填的年初预算数空白、没有一二级指标栏、公告的附件没有附上等。",
    "name_mismatch": "项目、资金或批次的名称两处不一致，或名称与内容不符。",
    "copied_text": "文字栏目相互照抄或套话：年度目标的实际完成情况与预期目标一字不差。",
    "unit_roles": "主管部门、实施单位或评价方式异常：主管部门写成财政局，或单位自评却由中介机构实施。",
    "execution_remark": "关于资金执行的提示（不影响数字）：支出集中在年末、评价时仍有资金未付、资金年末才下达、个别支出行明显低于计划。",
    "reading_note": "不是问题：对某个数字怎样理解的说明，审核不会报出。",
}

REVIEW_HELP = "抽取时不确定、需要人工看一眼的地方（与报告本身的审核发现不同）：例如年度是推断的、没找到项目名称。" \
              "某条审核规则因为需要的数字没有读出而没有运行时，也在这里写明没有读出的是什么。"


def rule_title(kind: str) -> str:
    """A kind's Chinese title (the kind itself for a kind this version does not know)."""
    return RULE_TITLES.get(kind, kind)


def rule_help(kind: str) -> str:
    """What a kind means and what to look at, in one or two sentences."""
    return RULE_HELP.get(kind, "")


def severity_of(kind: str) -> str | None:
    """The Chinese severity of a kind (错误/警告/提示), None for an unknown kind."""
    return SEVERITY_ZH.get(KINDS.get(kind, ""))


def review_label(code: str) -> str:
    """A review reason's short Chinese label."""
    return REVIEW_CODES.get(code, code)
