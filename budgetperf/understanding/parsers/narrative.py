"""Facts stated in sentences: budgets, section scores, totals, grades, output figures,
expense breakdowns, goals with numbers.

Pure functions over `Paragraph` lists; each returns values with provenance. The
patterns are phrased around the words reports use, not around any one report.
"""

from __future__ import annotations

import re

from budgetperf.reading.blocks import Paragraph, SourceDocument, compact
from budgetperf.understanding.parsers.tables import LEVEL2_TO_LEVEL1
from budgetperf.understanding.parsers.words import EXECUTED, EXECUTED_LINK, RATE
from budgetperf.understanding.parsers.values import (
    amount_to_wan,
    clean_float,
    cn_numeral,
    parse_number,
    project_amount_to_wan,
)
from budgetperf.understanding.records import (
    ExpenseItem,
    Indicator,
    NarrativeFigure,
    OutputFact,
    Provenance,
    SectionScore,
    Value,
)

AMOUNT = r"(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元)"
# 预算 after 调整后/调整/全年 is the adjusted budget (`_ADJUSTED`), never the initial one.
_NOT_ADJUSTED = r"(?<!调整后)(?<!调整后的)(?<!调整)(?<!全年)"
_BUDGET = re.compile(r"(?:申请|批复|安排|下达|年初)?" + _NOT_ADJUSTED + r"预算(?:资金|总额|数|金额)?(?:为|共|合计|共计)?\s*" + AMOUNT)
_PROJECT_BUDGET = re.compile(r"项目(?:年初)?预算(?:资金|数)?(?:为|是|共)\s*" + AMOUNT)
_PLANNED = re.compile(r"(?:" + _NOT_ADJUSTED + r"预算安排|安排预算资金|年初安排预算资金|年初预算|年初批复(?:数|资金)?|年初下达"
                      r"|" + _NOT_ADJUSTED + r"批复预算)[^。；，]*?" + AMOUNT)
_EXECUTED = re.compile(EXECUTED + EXECUTED_LINK + r"\s*" + AMOUNT)
_ADJUSTED = re.compile(r"(?:调整后预算|调整预算|全年预算)(?:数|资金)?(?:仍为|为|共|是)?\s*" + AMOUNT)
_RATE = re.compile(RATE + r"(?:为|是|达到|达)?\s*(\d+(?:\.\d+)?)\s*%")
# A project's money stated without 预算: 下达/拨入/安排 … 资金 N万元, 到位资金 N万元 (low rank).
_GRANTED = re.compile(r"(?:财政拨入|拨入|下达|安排|批复)[^，。；]{0,30}?(?:资金|经费)(?:共|合计|为)?\s*" + AMOUNT
                      + r"|(?:资金|经费)配套\s*" + AMOUNT
                      + r"|到位资金(?:共|合计|为)?\s*" + AMOUNT)  # 全年项目到位资金219.4万元
# Money that arrived and was paid in full: the year's budget and its execution.
# "…亿元已全部到位并支付完毕", "…万元，已全部到位并使用完毕": one clause on, at most.
_PAID_IN_FULL = re.compile(AMOUNT + r"[^，。；]{0,6}[，,]?[^，。；]{0,6}?(?:已)?全部到位并(?:全部)?(?:支付|使用)(?:完毕)?")
# Lowest rank: "本年度预算资金650万元".
_ANY_BUDGET = re.compile(_NOT_ADJUSTED + r"预算(?:资金|金额|数)?(?:为|共|合计)?\s*" + AMOUNT)
# The subject of a project's budget sentence names it: "某某项目年初预算安排15万元".
_BUDGET_SUBJECT = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．])?\s*(?P<name>[\u4e00-\u9fff（）()“”]{4,40}?"
    r"(?:项目|工程|经费|专项资金|补助资金))(?:的)?(?:年初|全年|本年度)?(?:预算|安排|批复|下达)")
_DEPARTMENT_BUDGET = re.compile(r"(?:部门|单位)预算(?:总计|总额|合计|共计)(?:为)?\s*" + AMOUNT)
_UNIT_BUDGET = re.compile(r"总体(?:批复)?(?:项目支出)?预算(?:资金)?\s*" + AMOUNT)
_SPECIAL = re.compile(r"专项项目\s*(\d+|[一二三四五六七八九十两]+)\s*个")
_EVALUATED = re.compile(r"(?:本次)?绩效评价项目\s*(\d+|[一二三四五六七八九十两]+)\s*个")
_PROJECTS_TOTAL = re.compile(r"从\s*(\d+|[一二三四五六七八九十两]+)\s*个项目中")
# How many projects a unit's report says it carried out or was budgeted for.
_PROJECTS_STATED = re.compile(r"共(?:实施|安排|开展|执行)?(?:预算)?项目\s*(\d+|[一二三四五六七八九十两]+)\s*个"
                              r"|共(?:实施|安排|开展|执行)?(?:了)?\s*(\d+|[一二三四五六七八九十两]+)\s*个(?:预算)?项目")

_SCORE_FULL = re.compile(r"满分(?:为|是)?\s*(\d+(?:\.\d+)?)\s*分[，,；;\s]*(?:实际)?得分(?:为|是)?\s*(\d+(?:\.\d+)?)\s*分")
_SCORE_ITEM = re.compile(
    r"^(?:\d+|[一二三四五六七八九十]+)\s*[、.．]\s*(?P<sec>[^（(，。]{2,12}?)\s*[（(]\s*(?P<max>\d+(?:\.\d+)?)\s*分\s*[)）]"
    r"(?P<body>.*?)得分(?:为)?\s*(?P<score>\d+(?:\.\d+)?)\s*分"
)
_ITEM_HEAD = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)\s*[、.．]\s*(?P<sec>[^（(，。]{2,12}?)\s*[（(]\s*(?P<max>\d+(?:\.\d+)?)\s*分\s*[)）]")
_ITEM_SCORE = re.compile(r"得分(?:为)?\s*(\d+(?:\.\d+)?)\s*分")
# The report's total score in words. Bare 合计 and 评价结果 also sum a section
# ("过程类指标合计20分"), so a match is kept only when no section word sits in its clause
# just before it, and bare 合计 only when the sentence adds scores before it
# ("指标得分88分，加预算执行得分9分，合计97分").
_TOTAL = re.compile(r"(?P<word>自评价得分|自评得分|综合评价得分|绩效评价得分|评价总得分|评价得分|综合评定得分|总得分|综合得分"
                    r"|最终得分|自评总分|评价总分|自评分数|自评分|综合评分|总评分|最终评分|评分结果|评价结果"
                    r"|(?:总分|得分)合计|合计得分|合计)"
                    r"(?:为|是|：|:)?\s*(?P<score>\d+(?:\.\d+)?)\s*分")
_TOTAL_SECTION_BEFORE = re.compile(r"决策|过程|产出|效益|效果|满意度|指标|分值|满分|投入|管理|成本|执行")
_TOTAL_WINDOW = 8
_BUDGET_SCORE = re.compile(r"预算执行(?:率)?(?:指标)?得分(?:为)?\s*(\d+(?:\.\d+)?)\s*分")
_GRADE_WORDS = r"(优秀|良好|不合格|合格|一等|二等|三等|四等|优|良|中|差|可)"
_GRADE = (
    re.compile(r"(?:评定等次|评价等级|评价等次|自评等级|绩效等级|评定等级|综合评价等级)(?:为|是|：|:)?\s*[“\"「]?" + _GRADE_WORDS),
    re.compile(r"(?:财政支出绩效|评价结论|综合评价结论)(?:为|是|：|:)\s*[“\"「]?" + _GRADE_WORDS),
    # "评价结果为优秀等次。", "自评结果为“良好”等次", "绩效评价结果：优".
    re.compile(r"(?:综合)?(?:绩效)?(?:评价结果|自评结果|评价结论)(?:为|是)?[：:]?\s*[“\"「]?" + _GRADE_WORDS
               + r"[”\"」]?(?:等次|等级|级)?(?:[。，；,]|$)"),
    # "评定为“优秀”", "被评为优秀"; not "被评为优秀单位" (the grade must end the clause).
    re.compile(r"(?:评定|评)为\s*[“\"「]?" + _GRADE_WORDS + r"[”\"」]?(?:等次|等级|级)?(?:[。，；,]|$)"),
    # "等次为“优秀”", "等级为“优”"; not the scale "分为四个等级：优（…）".
    re.compile(r"(?<![个种档])(?:等级|等次)(?:为|是)\s*[“\"「]?" + _GRADE_WORDS + r"[”\"」]?(?:等级|等次)?(?:[。，；,]|$)"),
)
_FIGURE = re.compile(
    r"(近|约|超过|达到?|共)?(\d+(?:\.\d+)?)(万|亿)?(余|多)?(人次|人|场|次|条|个|件|家|篇|期|所|户|台|名|项|份|幅|起)"
)
_EXPENSE = re.compile(r"[①-⑳]\s*([^\d①-⑳;；，,。:：]{2,20}?)\s*" + AMOUNT)
_FUNDING = re.compile(r"资金来源(?:为|是|：|:)\s*([^，。；;,\s]{2,20})")
_GOAL_TARGET = re.compile(
    r"([^，。；;：:①-⑳、]{2,24}?)(至少|不少于|不低于|达到|超过|不超过|不高于)\s*(\d+(?:\.\d+)?)\s*(人次|人|次|场|条|个|件|家|篇|%)(以上|以内)?"
)
_OUTPUT_CLAUSE = re.compile(r"^(?P<name>.+?)(?P<cmp>超过|达到|不低于|不少于|高于|低于|为|达)?(?P<num>\d+(?:\.\d+)?)(?P<unit>%|万余次|万余条|万次|[条家个人次场件篇项份台名所户])$")
_SATISFACTION = (
    # 服务对象对我单位的工作达到80%的满意度
    re.compile(r"(?P<who>[\u4e00-\u9fff]{2,6})对(?!象)[^，。；]*?(?:达到|为)?\s*(?P<num>\d+(?:\.\d+)?%)的满意度"),
    # 群众对基本公共卫生服务的满意度为88%
    re.compile(r"(?P<who>[\u4e00-\u9fff]{2,6})对(?!象)[^，。；]{0,24}?的满意度(?:为|达到|达)\s*(?P<num>\d+(?:\.\d+)?%)"),
    # 群众满意度达到95%
    re.compile(r"(?P<who>[\u4e00-\u9fff]{2,6}?)满意度(?:为|达到|达)\s*(?P<num>\d+(?:\.\d+)?%)"),
)
_OUTPUT_SECTION = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]?)?\s*产出(?:指标|情况|数量|方面)?[：:]")
_DIGIT = re.compile(r"\d")
_CLAUSE_MARKS = "，,。；;！？"
_CLAUSE_SPLIT = re.compile(r"[，,。；;！？]")
_LEADING_VERBS = re.compile(r"^(?:完成全年|全年完成|完成|全年|累计|共计|共|实现|其中[:：]?)")


def prov_of(doc: SourceDocument, para: Paragraph) -> Provenance:
    return Provenance(doc.file, para.line_start, para.line_end, doc.snippet(para.line_start, para.line_end))


def _value(doc, para, value, raw) -> Value:
    return Value(value, prov_of(doc, para), raw)


def _count(text: str) -> int | None:
    return cn_numeral(text)


def find_department_totals(paras: list[Paragraph], doc: SourceDocument) -> dict[str, Value]:
    """部门整体: budget, executed, rate, special projects, projects evaluated."""
    out: dict[str, Value] = {}
    for para in paras:
        t = compact(para.text)
        if "budget_initial" not in out and (m := _BUDGET.search(t)):
            out["budget_initial"] = _value(doc, para, amount_to_wan(m.group(1) + m.group(2)), m.group(0))
            if (e := _EXECUTED.search(t, m.end())):
                out["executed"] = _value(doc, para, amount_to_wan(e.group(1) + e.group(2)), e.group(0))
            if (r := _RATE.search(t, m.end())):
                out["execution_rate"] = _value(doc, para, parse_number(r.group(1)), r.group(0))
        if "budget_adjusted" not in out and (m := _ADJUSTED.search(t)):
            out["budget_adjusted"] = _value(doc, para, amount_to_wan(m.group(1) + m.group(2)), m.group(0))
        if "executed" not in out and (m := _EXECUTED.search(t)):
            out["executed"] = _value(doc, para, amount_to_wan(m.group(1) + m.group(2)), m.group(0))
        if "execution_rate" not in out and (m := _RATE.search(t)):
            out["execution_rate"] = _value(doc, para, parse_number(m.group(1)), m.group(0))
        if "special_projects" not in out and (m := _SPECIAL.search(t)):
            out["special_projects"] = _value(doc, para, _count(m.group(1)), m.group(0))
        if "projects_evaluated" not in out and (m := _EVALUATED.search(t)):
            out["projects_evaluated"] = _value(doc, para, _count(m.group(1)), m.group(0))
    return out


_STAFFING = re.compile(r"(编制人数|实有人数|在职人数|编制数|实有在职人员)(?:为|共)?\s*(\d+)\s*(人|名)")
_DEPT_SPENDING = re.compile(r"(三公经费|公用经费|基本支出|项目支出)(?:支出|决算数|预算数|预算)?(?:为|共|合计)?\s*" + AMOUNT)


def find_department_blocks(paras: list[Paragraph], doc: SourceDocument) -> list[OutputFact]:
    """Staffing, 三公经费 and 公用经费 figures of a department report, kept as stated."""
    facts = []
    for para in paras:
        t = compact(para.text)
        for m in _STAFFING.finditer(t):
            facts.append(OutputFact(m.group(1), m.group(2) + m.group(3), prov_of(doc, para)))
        for m in _DEPT_SPENDING.finditer(t):
            facts.append(OutputFact(m.group(1), m.group(2) + m.group(3), prov_of(doc, para)))
    return facts


def find_project_budget(paras: list[Paragraph], doc: SourceDocument, name: str | None) -> dict[str, Value]:
    """Budget, executed and rate of one project stated in its report's text.

    "总体批复项目支出预算130万元，其中，X经费110万元，实际支出98.69万元" says the unit's
    total first: the project's own budget is the amount after its name, and the
    unit's total is returned separately as `unit_project_budget`.
    """
    out: dict[str, Value] = {}
    named = re.compile(re.escape(compact(name)) + r"(?:项目)?(?:资金|经费)?(?:预算)?(?:为|共)?\s*" + AMOUNT) if name else None
    for para in paras:
        t = compact(para.text)
        if not _DIGIT.search(t):
            continue
        if "unit_project_budget" not in out and (m := _UNIT_BUDGET.search(t)):
            out["unit_project_budget"] = _value(doc, para, amount_to_wan(m.group(1) + m.group(2)), m.group(0))
        candidates = []
        if m := _PROJECT_BUDGET.search(t):
            candidates.append((0, m))
        if named and (m := named.search(t)):
            candidates.append((1, m))
        if m := _PLANNED.search(t):
            candidates.append((2, m))
        if m := _GRANTED.search(t):
            candidates.append((3, m))
        if m := _PAID_IN_FULL.search(t):
            candidates.append((4, m))
            if "executed" not in out and "_paid" not in out:
                out["_paid"] = _value(doc, para, project_amount_to_wan(m.group(1) + m.group(2)), m.group(0))
        if not candidates and (m := _ANY_BUDGET.search(t)) and not _UNIT_BUDGET.search(t):
            candidates.append((5, m))
        for rank, m in sorted(candidates, key=lambda c: c[0]):
            key = f"_budget_rank{rank}"
            if key not in out:
                number, unit = (m.group(1), m.group(2)) if rank == 4 else (m.group(m.lastindex - 1), m.group(m.lastindex))
                out[key] = _value(doc, para, project_amount_to_wan(number + unit), m.group(0))
        if "executed" not in out and (m := _EXECUTED.search(t)):
            out["executed"] = _value(doc, para, project_amount_to_wan(m.group(1) + m.group(2)), m.group(0))
        if "budget_adjusted" not in out and (m := _ADJUSTED.search(t)):
            out["budget_adjusted"] = _value(doc, para, project_amount_to_wan(m.group(1) + m.group(2)), m.group(0))
        if "execution_rate" not in out and (m := _RATE.search(t)):
            out["execution_rate"] = _value(doc, para, parse_number(m.group(1)), m.group(0))
    ranked = sorted(k for k in out if k.startswith("_budget_rank"))
    if ranked:
        out["budget_initial"] = out[ranked[0]]
    if "executed" not in out and "_paid" in out:
        out["executed"] = out["_paid"]  # "…亿元已全部到位并支付完毕"
    return {k: val for k, val in out.items() if not k.startswith("_")}


def find_budget_subject(paras: list[Paragraph], doc: SourceDocument) -> Value | None:
    """The project a report's budget sentence is about, when nothing else names it:
    "农家书屋提质增效项目年初预算安排15万元" -> 农家书屋提质增效项目."""
    for para in paras:
        t = compact(para.text)
        if (m := _BUDGET_SUBJECT.match(t)) and re.search(AMOUNT, re.split(r"[。；;]", t[m.end():])[0]):
            return _value(doc, para, m.group("name"), m.group(0))
    return None


def find_department_budget(paras: list[Paragraph], doc: SourceDocument) -> Value | None:
    """"2021年部门预算总计100.46万元": the department's whole budget, stated in a
    project report."""
    for para in paras:
        if m := _DEPARTMENT_BUDGET.search(compact(para.text)):
            return _value(doc, para, amount_to_wan(m.group(1) + m.group(2)), m.group(0))
    return None


def canonical_section(text: str) -> str | None:
    """Section words -> the section name used in `section_scores`."""
    t = compact(text)
    for words, name in (
        (("执行率", "预算执行"), "预算执行率"), (("产出",), "产出指标"), (("效益", "效果"), "效益指标"),
        (("满意",), "满意度指标"), (("决策",), "项目决策"), (("过程", "管理"), "项目过程"), (("成本",), "成本指标"),
    ):
        if any(w in t for w in words):
            return name
    return None


_SECTION_WORDS = r"(?:项目)?(?:投入|过程|产出|效果|效益|决策|满意度|预算执行|管理|成本)(?:指标)?"
# "投入指标满分15分，得14分", "产出指标（满分50分，得48分）": the section named as written.
_SECTION_STATED = re.compile(
    r"(?P<sec>" + _SECTION_WORDS + r")[（(]?满分(?:为)?\s*(?P<max>\d+(?:\.\d+)?)\s*分[，,；;]?\s*"
    r"(?:实际)?得(?:分)?(?:为)?\s*(?P<score>\d+(?:\.\d+)?)\s*分"
)
# "（一）预算执行。该项分值10分，全年执行率100%，得10分。"
_SECTION_ITEM = re.compile(
    r"^[（(][一二三四五六七八九十]+[)）](?P<sec>" + _SECTION_WORDS + r")[。.：:]该项(?:分值|满分)(?:为)?\s*(?P<max>\d+(?:\.\d+)?)\s*分"
    r"[^。]*?得(?:分)?\s*(?P<score>\d+(?:\.\d+)?)\s*分"
)


def _stated_sections(paras: list[Paragraph], doc: SourceDocument) -> list[SectionScore]:
    found = []
    for para in paras:
        t = compact(para.text)
        if "满分" not in t and "该项" not in t:
            continue
        for pattern in (_SECTION_ITEM, _SECTION_STATED):
            for m in pattern.finditer(t):
                found.append(SectionScore(m.group("sec"), parse_number(m.group("max")), parse_number(m.group("score")),
                                          prov_of(doc, para)))
    return found


def find_section_scores(paras: list[Paragraph], doc: SourceDocument) -> list[SectionScore]:
    """Per-dimension maxima and scores: "产出…该项满分为60分，得分60分",
    "2、产出指标（30分）…得分30分", "投入指标满分15分，得14分" (named as written)."""
    found: list[SectionScore] = _stated_sections(paras, doc)
    heading = ""
    for index, para in enumerate(paras):
        t = compact(para.text)
        if len(t) <= 20 and not _SCORE_FULL.search(t) and not _ITEM_HEAD.match(t):
            heading = t
            continue
        if (head := _ITEM_HEAD.match(t)) and not _SCORE_ITEM.search(t):
            # "3、效益指标（40分）…" with its 得分 in a later paragraph of the same item.
            section = canonical_section(head.group("sec"))
            for later in paras[index + 1 : index + 4]:
                lt = compact(later.text)
                if _ITEM_HEAD.match(lt):
                    break
                if section and (m := _ITEM_SCORE.search(lt)):
                    found.append(SectionScore(section, parse_number(head.group("max")), parse_number(m.group(1)),
                                              Provenance(doc.file, para.line_start, later.line_end,
                                                         doc.snippet(para.line_start, later.line_end))))
                    break
            continue
        if m := _SCORE_ITEM.search(t):
            section = canonical_section(m.group("sec"))
            if section:
                found.append(SectionScore(section, parse_number(m.group("max")), parse_number(m.group("score")), prov_of(doc, para)))
                continue
        if m := _SCORE_FULL.search(t):
            section = canonical_section(heading) or canonical_section(t[: m.start()][:12])
            if section:
                found.append(SectionScore(section, parse_number(m.group(1)), parse_number(m.group(2)), prov_of(doc, para)))
    seen, unique = set(), []
    for s in found:
        key = re.sub(r"^项目|指标$|率$", "", s.section)
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return unique


def _is_report_total(t: str, m: re.Match) -> bool:
    """A total-score match that is the report's, not a section's: no section word in
    its clause just before it; bare 合计 only after scores in the same sentence."""
    clause_start = max(t.rfind(mark, 0, m.start()) for mark in _CLAUSE_MARKS + "：:") + 1
    if _TOTAL_SECTION_BEFORE.search(t[max(clause_start, m.start() - _TOTAL_WINDOW): m.start()]):
        return False
    if m.group("word") == "合计":
        sentence_start = max(t.rfind(mark, 0, m.start()) for mark in "。；;！？") + 1
        return "得分" in t[sentence_start: m.start()]
    return True


def find_total_score(paras: list[Paragraph], doc: SourceDocument) -> Value | None:
    """The report's total score stated in words ("本项目自评得分95分", "综合评分为92.5分"),
    never a section's subtotal ("项目决策指标合计20分")."""
    for para in paras:
        t = compact(para.text)
        for m in _TOTAL.finditer(t):
            if _is_report_total(t, m):
                return _value(doc, para, parse_number(m.group("score")), m.group(0))
    return None


def find_budget_score(paras: list[Paragraph], doc: SourceDocument) -> Value | None:
    """"加预算执行得分9分": the execution score stated outside a budget table."""
    for para in paras:
        if m := _BUDGET_SCORE.search(compact(para.text)):
            return _value(doc, para, parse_number(m.group(1)), m.group(0))
    return None


def find_grade(paras: list[Paragraph], doc: SourceDocument) -> Value | None:
    """The grade as written (优秀, “优”), with provenance."""
    for para in paras:
        t = compact(para.text)
        for pattern in _GRADE:
            if m := pattern.search(t):
                return _value(doc, para, m.group(1), m.group(0))
    return None


def find_projects_total(paras: list[Paragraph], doc: SourceDocument) -> Value | None:
    for para in paras:
        if m := _PROJECTS_TOTAL.search(compact(para.text)):
            return _value(doc, para, _count(m.group(1)), m.group(0))
    return None


def find_projects_stated(paras: list[Paragraph], doc: SourceDocument) -> Value | None:
    """The number of projects a report says it covers (共实施项目15个, 共安排预算项目7个)."""
    for para in paras:
        if m := _PROJECTS_STATED.search(compact(para.text)):
            return _value(doc, para, _count(m.group(1) or m.group(2)), m.group(0))
    return None


def find_narrative_figures(paras: list[Paragraph], doc: SourceDocument) -> list[NarrativeFigure]:
    """Every number with a counting unit, with the clause it sits in."""
    figures = []
    for para in paras:
        if not _DIGIT.search(para.text):
            continue
        t = compact(para.text)
        prov = None
        # One scan per paragraph; the clause around each figure is cut out afterwards.
        for m in _FIGURE.finditer(t):
            start = max((t.rfind(p, 0, m.start()) for p in _CLAUSE_MARKS), default=-1) + 1
            ends = [i for i in (t.find(p, m.end()) for p in _CLAUSE_MARKS) if i >= 0]
            clause = t[start : min(ends) if ends else len(t)]
            number = float(m.group(2)) * (10000 if m.group(3) == "万" else 1e8 if m.group(3) == "亿" else 1)
            prov = prov or prov_of(doc, para)
            figures.append(NarrativeFigure(
                text=clause, number=clean_float(number), unit=m.group(5),
                is_approximate=bool(m.group(4) or m.group(1) in ("近", "约")), prov=prov,
            ))
    return figures


def find_output_facts(paras: list[Paragraph], doc: SourceDocument) -> list[OutputFact]:
    """Output figures listed in the 产出 section's text, plus a surveyed satisfaction.
    Used for reports with no indicator table, where these sentences are the evidence."""
    facts: list[OutputFact] = []
    for para in paras:
        t = compact(para.text)
        m = _SCORE_ITEM.search(t)
        body = m.group("body") if m and canonical_section(m.group("sec")) == "产出指标" else None
        if body is None and (o := _OUTPUT_SECTION.match(t)):
            body = t[o.end():]  # "（一）产出指标：完成设备购置12所，验收合格率100%。"
        if body is not None:
            for clause in _CLAUSE_SPLIT.split(body):
                c = _OUTPUT_CLAUSE.match(clause)
                if not c or "得分" in clause:
                    continue
                name = _LEADING_VERBS.sub("", c.group("name"))
                if not name or len(name) > 20 or re.search(r"\d", name):
                    continue
                comparator = {"超过": ">", "高于": ">", "不低于": "≥", "不少于": "≥", "低于": "<"}.get(c.group("cmp") or "", "")
                facts.append(OutputFact(name, comparator + c.group("num") + c.group("unit"), prov_of(doc, para)))
        for clause in _CLAUSE_SPLIT.split(t):
            for pattern in _SATISFACTION:
                if s := pattern.search(clause):
                    who = s.group("who") or ""
                    facts.append(OutputFact(f"{who}满意度", s.group("num"), prov_of(doc, para)))
                    break
    return facts


def find_expense_items(paras: list[Paragraph], doc: SourceDocument) -> list[ExpenseItem]:
    """①劳务费16.95万元;②办公费2万元… The same list repeated later is kept once."""
    items: list[ExpenseItem] = []
    seen = set()
    for para in paras:
        for m in _EXPENSE.finditer(compact(para.text)):
            item = m.group(1).strip("、:：")
            amount = amount_to_wan(m.group(2) + m.group(3))
            if (item, amount) in seen:
                continue
            seen.add((item, amount))
            items.append(ExpenseItem(item, amount, prov_of(doc, para), m.group(2) + m.group(3)))
    return items


def find_funding_source(paras: list[Paragraph], doc: SourceDocument) -> Value | None:
    for para in paras:
        if m := _FUNDING.search(compact(para.text)):
            return _value(doc, para, m.group(1), m.group(0))
    return None


def find_goal_indicators(paras: list[Paragraph], doc: SourceDocument) -> list[Indicator]:
    """Targets stated in the goals text when a report has no indicator table:
    "每月上报舆情信息至少280条以上" -> 数量指标 每月上报舆情信息 ≥280条."""
    indicators = []
    in_goals = False
    for para in paras:
        t = compact(para.text)
        if len(t) <= 20 and "目标" in t:
            # "绩效目标完成情况" reports results, not targets.
            in_goals = not re.search(r"完成|实现|情况分析|结果", t)
            continue
        if len(t) <= 20 and in_goals:
            in_goals = False
        if not (in_goals or t.startswith(("主要说明项目年度绩效目标", "年度绩效目标", "绩效目标"))):
            continue
        for clause in re.split(r"[，,。；;！？]", t):
            m = _GOAL_TARGET.search(clause)
            if not m:
                continue
            name = re.sub(r"^[①-⑳\d.、]+", "", m.group(1))
            comparator = {"不超过": "≤", "不高于": "≤", "超过": ">"}.get(m.group(2), "≥")
            unit = m.group(4)
            indicators.append(Indicator(
                level1="产出指标", level2="质量指标" if unit == "%" else "数量指标", name=name,
                target=f"{comparator}{m.group(3)}{unit}", actual=None, weight=None, score=None,
                prov=prov_of(doc, para), level1_inferred=True,
            ))
    return indicators


# ---------------------------------------------------------------------------
# indicators written as sentences

_LEVEL2_WORDS = r"(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度|效益|产出)指标"
_LEVEL1_HEADING = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?\s*(?P<l1>(?:产出|效益|满意度|成本|效果)指标)")
# 1.数量指标“某某面积”：目标值约N平方米；完成情况：某某已完成。
_QUOTED_INDICATOR = re.compile(
    r"(?:^|[。；;])\s*(?:\d{1,2}[.、．])?\s*(?P<l2>" + _LEVEL2_WORDS + r")[“\"「](?P<name>[^”\"」]{2,40})[”\"」][：:]"
    r"\s*目标值?(?:为)?(?P<target>[^；;。]+)[；;]\s*(?:完成情况|实际完成|完成值)[：:](?P<actual>[^。；;]+)"
)
# 1.数量指标：某某率目标为≥90%，全年实际达到98.2%，该指标分值15分，得15分；…
_LEVEL2_PREFIX = re.compile(r"^\s*(?:\d{1,2}[.、．])?\s*(?P<l2>" + _LEVEL2_WORDS + r")[：:]")
_CLAUSE_TARGET = re.compile(r"^(?P<name>[^，,；;。：:]{2,40}?)目标(?:值)?(?:为|是)?(?P<target>[^，,；;。]+)")
_CLAUSE_ACTUAL = re.compile(
    r"(?:实际(?:达到|完成|为|达)?|完成率(?:为|达到)?|结果为|达到)\s*(?P<actual>[“\"「][^”\"」]+[”\"」]|[≥≤<>]?\d+(?:\.\d+)?\s*(?:%|‰|[^\d，,。；;\s]{0,4}))"
)
_CLAUSE_WEIGHT = re.compile(r"分值(?:为)?\s*(\d+(?:\.\d+)?)\s*分")
_CLAUSE_SCORE = re.compile(r"得(?:分)?(?:为)?\s*(\d+(?:\.\d+)?)\s*分")
_DEFAULT_LEVEL2 = {"满意度指标": "服务对象满意度指标"}


def _level1_of(level2: str, current: str | None) -> str | None:
    if level2 in ("产出指标", "效益指标", "满意度指标"):
        return level2
    return LEVEL2_TO_LEVEL1.get(level2, current)


_TRAILING_MEASURE = re.compile(r"(?:为|是|达到|达)?\s*(?P<m>\d+(?:\.\d+)?\s*(?P<unit>%|‰|[^\d\s，,。；;]{1,4}))$")


def _actual_measure(actual: str, target: str) -> str:
    """"问卷调查满意度为92%" against a target of ≥90% is the measure 92%; a sentence
    whose last number is in another unit (二次结构完成约85% against 平方米) stays as written."""
    m = _TRAILING_MEASURE.search(actual)
    target_unit = re.search(r"\d\s*(%|‰|[^\d\s，,。；;]{1,4})$", target)
    if m and target_unit and m.group("unit") == target_unit.group(1) and m.start() > 0:
        return compact(m.group("m"))
    return actual


def _unquote(text: str) -> str:
    return text.strip().strip("“”\"「」")


_LEVEL_LIST = re.compile(r"(?:^|[，,。；;])\s*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．])?\s*(?P<l1>产出|效益|效果|满意度)指标[^：:，。]{0,8}[：:](?P<body>[^。]+)")
_MEASURED = re.compile(r"^(?P<name>[^\d，,；;]{2,30}?)(?:为|达到|达|是)?(?P<actual>[≥≤<>]?\d+(?:\.\d+)?\s*(?:%|‰|/[\u4e00-\u9fff]|[\u4e00-\u9fff]{1,3})?)$")


def _level_list_indicators(paras, doc) -> list[Indicator]:
    out = []
    for para in paras:
        t = compact(para.text)
        for m in _LEVEL_LIST.finditer(t):
            l1 = {"效果": "效益"}.get(m.group("l1"), m.group("l1")) + "指标"
            for clause in re.split(r"[，,；;]", m.group("body")):
                if c := _MEASURED.match(clause):
                    out.append(Indicator(l1, None, c.group("name"), None, c.group("actual"), None, None,
                                         prov_of(doc, para), level1_inferred=False))
    return out


def find_sentence_indicators(paras: list[Paragraph], doc: SourceDocument) -> list[Indicator]:
    return _find_sentence_indicators(paras, doc) or _level_list_indicators(paras, doc)


def _find_sentence_indicators(paras: list[Paragraph], doc: SourceDocument) -> list[Indicator]:
    """Indicators a report writes as sentences instead of a table: a numbered line per
    indicator (数量指标“名称”：目标值…；完成情况：…) or, under 产出指标/效益指标
    headings, one clause per indicator with its target, actual, 分值 and 得分."""
    out: list[Indicator] = []
    level1: str | None = None
    for para in paras:
        t = compact(para.text)
        for m in _QUOTED_INDICATOR.finditer(t):
            l2 = m.group("l2")
            l1 = _level1_of(l2, level1)
            target = _unquote(re.sub(r"^[为是]", "", m.group("target")))
            out.append(Indicator(l1, _DEFAULT_LEVEL2.get(l2, l2) if l2 == l1 else l2, m.group("name"),
                                 target, _actual_measure(_unquote(m.group("actual")), target),
                                 None, None, prov_of(doc, para)))
        if out and _QUOTED_INDICATOR.search(t):
            continue
        if h := _LEVEL1_HEADING.match(t):
            level1 = h.group("l1")
            # the heading's own sentence ends at the first 。; indicators may follow in the same paragraph
            t = t[t.find("。") + 1:] if "。" in t[: h.end() + 20] else ""
        if level1 is None or "目标" not in t:
            continue
        level2 = None
        if p := _LEVEL2_PREFIX.match(t):
            level2, t = p.group("l2"), t[p.end():]
        for clause in re.split(r"[；;]", t):
            found = _clause_indicator(clause, level1, level2, doc, para)
            if found is not None:
                out.append(found)
    return out


def _clause_indicator(clause: str, level1: str, level2: str | None, doc, para) -> Indicator | None:
    c = _CLAUSE_TARGET.match(clause)
    if not c or not (_CLAUSE_WEIGHT.search(clause) or _CLAUSE_ACTUAL.search(clause[c.end():])):
        return None
    rest = clause[c.end():]
    actual = _CLAUSE_ACTUAL.search(rest)
    weight = _CLAUSE_WEIGHT.search(rest)
    score = _CLAUSE_SCORE.search(rest[weight.end():] if weight else rest)
    l2 = level2 or _DEFAULT_LEVEL2.get(level1)
    return Indicator(level1, l2, c.group("name"), _unquote(c.group("target")),
                     _unquote(actual.group("actual")) if actual else None,
                     parse_number(weight.group(1)) if weight else None,
                     parse_number(score.group(1)) if score else None, prov_of(doc, para))
