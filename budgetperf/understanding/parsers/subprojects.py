"""Several projects in one narrative report, each with its own amounts.

A unit's self-report often covers all its projects in running text. Two shapes:
- sub-headings, one per project, each followed by its own paragraphs:
  "（一）某某工作经费" / "该项目财政拨入资金30万元……实际支出30万元……得分96分";
- numbered items or sentences that name a project and give its figures at once:
  "3.某某工作经费：预算2.5万元，实际支出1.2万元，执行率48%" or
  "市级某某专项资金预算2350万元，实际支出2287.4万元，执行率97.34%".
- a breakdown of the unit's total by project, in one sentence:
  "分项目看：某某服务支出4万元；某某测评支出26.7万元；……。甲、乙两个项目当年未实施"
  (the projects named as not carried out come out too, with no figure and
  that outcome as their 实际完成情况).
Only when at least two projects are found is the section split; one is simply the
section's own project.

Pure: paragraphs in, `SubProject`s (with provenance) out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetperf.reading.blocks import Paragraph, SourceDocument, compact
from budgetperf.understanding.parsers.values import amount_to_wan, parse_number
from budgetperf.understanding.records import Provenance, Value

_AMOUNT = r"(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元)"
_PROJECT_WORDS = r"(?:经费|资金|费用|费|项目|工程|补助|补贴)"
_HEADING = re.compile(r"^[（(]?(?P<num>[一二三四五六七八九十]+|\d{1,2})[)）、.．]\s*(?P<name>[^，。；：:]{3,40}?" + _PROJECT_WORDS + r")[。.]?$")
_HEADING_INLINE = re.compile(r"^[（(](?P<num>[一二三四五六七八九十]+)[)）]\s*(?P<name>[^，。；：:]{3,40}?" + _PROJECT_WORDS + r")[。.](?P<rest>.+)$")
_ITEM = re.compile(
    r"(?:^|[。；;]|^\s*(?:\d{1,2}|[一二三四五六七八九十]+)[.、．])\s*(?P<name>[^，。；;：:\d]{3,40}?" + _PROJECT_WORDS + r")"
    r"(?:[：:]\s*|(?=预算|安排|下达))(?:年初)?(?:预算|安排|下达|批复)(?:资金|金额|数)?(?:为)?\s*" + _AMOUNT
)
_EXECUTED = re.compile(r"实际(?:支出|使用|执行)(?:资金)?(?:为)?\s*" + _AMOUNT)
_RATE = re.compile(r"(?:执行率|支付率|使用率)(?:为|达到)?\s*(\d+(?:\.\d+)?)\s*%")
_ANY_AMOUNT = re.compile(_AMOUNT)
# "分项目看：A支出4万元；B支出26.7万元。": the list after the marker, up to the full stop.
_BREAKDOWN = re.compile(r"(?:分项目看|分项目|按项目分|按项目看|具体到项目)[：:，,](?P<items>[^。]+)")
_BREAKDOWN_ITEM = re.compile(r"^(?P<name>[^，。；;：:\d]{2,40}?)(?P<verb>实际支出|支出|使用|执行|安排|预算)(?:资金|金额)?(?:为|了)?\s*"
                             + _AMOUNT + r"$")
_NOT_CARRIED_OUT = re.compile(r"(?P<names>[^。；;：:，,]{2,80}?)(?:[两二三四五六七八九十]|\d+)个项目(?:当年|本年|年内|本年度)?"
                              r"(?:未实施|未执行|未开展|未支出|没有实施)")


@dataclass
class SubProject:
    name: str
    prov: Provenance
    paragraphs: list[Paragraph] = field(default_factory=list)
    budget: Value | None = None
    executed: Value | None = None
    rate: Value | None = None
    outcome: Value | None = None  # what the report says became of it (当年未实施)


def _prov(doc: SourceDocument, paras: list[Paragraph]) -> Provenance:
    start, end = paras[0].line_start, paras[-1].line_end
    return Provenance(doc.file, start, end, doc.snippet(start, end))


def find_subprojects(paragraphs: list[Paragraph], doc: SourceDocument) -> list[SubProject]:
    """The projects of a narrative section (see module docstring); [] when fewer than two."""
    found = _from_items(paragraphs, doc)
    if len(found) < 2:
        found = _from_breakdown(paragraphs, doc)
    if len(found) < 2:
        found = _from_headings(paragraphs, doc)
    return found if len(found) >= 2 else []


def _from_items(paragraphs: list[Paragraph], doc: SourceDocument) -> list[SubProject]:
    out: dict[str, SubProject] = {}
    for para in paragraphs:
        t = compact(para.text)
        for m in _ITEM.finditer(t):
            name = re.sub(r"^(?:其中|包括|分别为|主要有)", "", m.group("name"))
            clause_end = min([i for i in (t.find("。", m.end()), t.find("；", m.end())) if i >= 0] or [len(t)])
            clause = t[m.end():clause_end]
            executed = _EXECUTED.search(clause)
            if executed is None:
                continue  # a list of budgets alone ("分别为：A5万元，B18万元") is not a project's report
            rate = _RATE.search(clause)
            prov = _prov(doc, [para])
            sub = SubProject(name, prov, [para],
                             Value(amount_to_wan(m.group(m.lastindex - 1) + m.group(m.lastindex)), prov, m.group(0)),
                             Value(amount_to_wan(executed.group(1) + executed.group(2)), prov, executed.group(0)),
                             Value(parse_number(rate.group(1)), prov, rate.group(0)) if rate else None)
            out.setdefault(name, sub)
    return list(out.values())


def _from_breakdown(paragraphs: list[Paragraph], doc: SourceDocument) -> list[SubProject]:
    """Projects of a 分项目看 breakdown (see module docstring). Each carries only
    its own figure and no paragraphs: the sentence's total is the unit's, not theirs."""
    for para in paragraphs:
        t = compact(para.text)
        m = _BREAKDOWN.search(t)
        if m is None:
            continue
        prov = _prov(doc, [para])
        out: list[SubProject] = []
        for item in re.split(r"[；;]", m.group("items")):
            if not (im := _BREAKDOWN_ITEM.match(item)):
                continue
            amount = Value(amount_to_wan(im.group(3) + im.group(4)), prov, item)
            spent = im.group("verb") in ("实际支出", "支出", "使用", "执行")
            out.append(SubProject(im.group("name"), prov, [], None if spent else amount, amount if spent else None))
        rest = t[m.end():]
        if (nm := _NOT_CARRIED_OUT.search(rest)) is not None:
            names = re.split(r"[、和及与]", re.sub(r"^[。；;，,]", "", nm.group("names")))
            # Not carried out: no figure, the sentence that says so is what there is.
            said = Value("当年未实施", prov, nm.group(0))
            out += [SubProject(n, prov, [], outcome=said) for n in names if len(n) >= 2]
        if len(out) >= 2:
            return out
    return []


def _from_headings(paragraphs: list[Paragraph], doc: SourceDocument) -> list[SubProject]:
    out: list[SubProject] = []
    current: SubProject | None = None
    style: str | None = None
    for para in paragraphs:
        t = compact(para.text)
        m = _HEADING.match(t) or _HEADING_INLINE.match(t)
        this_style = _numbering_style(t) if m else None
        if m and (style is None or this_style == style):
            style = this_style
            current = SubProject(m.group("name"), _prov(doc, [para]), [para])
            out.append(current)
            continue
        if current is None:
            continue
        if _is_higher_heading(t, style):
            current = None  # the next chapter (四、存在的问题) ends the projects
            continue
        current.paragraphs.append(para)
        current.prov = _prov(doc, current.paragraphs)
    # A heading without an amount under it is a topic, not a project.
    return [s for s in out if any(_ANY_AMOUNT.search(compact(p.text)) for p in s.paragraphs)]


def _numbering_style(text: str) -> str:
    if text.startswith(("（", "(")):
        return "paren"
    if re.match(r"^\d", text):
        return "digit"
    return "cn"


def _is_higher_heading(text: str, style: str | None) -> bool:
    """一、二、… chapters end a run of （一）（二） sub-headings."""
    return style == "paren" and bool(re.match(r"^[一二三四五六七八九十]+[、.．]", text)) and len(text) <= 30
