"""Who wrote a report and about what, from its title and cover lines.

- `read_cover_labels`: label lines such as 填报单位：X, 项目实施单位：X, 主管部门：X,
  评价机构：X, 项目名称：X, wherever they stand in the running text (a cover page,
  a line under the title, a signature block), several to a line when separated
  by wide gaps (填报单位（盖章）：X    单位负责人：Y).
- `split_title`: a report title cut into the unit that wrote it, the year and the
  project it names: "共青团某市委2020年度市级项目支出绩效自评报告" -> unit
  共青团某市委, year 2020, no project (a generic 市级); "某县某中心某专项经费 2021年度
  绩效评价报告" -> unit 某县某中心, project 某专项经费.
- `signature_unit`: the unit named alone on a line near the end, above a date.

Pure functions over paragraphs; values carry provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetperf.reading.blocks import Paragraph, SourceDocument, compact
from budgetperf.understanding.records import Provenance, Value

# label -> role. The reporting unit is 填报单位/实施单位…; 主管部门 supervises it;
# 评价机构/组织单位 are evaluators and organisers, never the unit.
_COVER_LABELS = (
    (r"填报单位|报送单位|自评单位", "unit"),
    (r"项目实施单位|实施单位|项目单位|资金使用单位|预算单位|部门[（(]?单位[)）]?名称|部门名称|单位名称|单位信息", "unit"),
    (r"项目主管部门|地方主管部门|主管部门(?:[（(]单位[)）])?(?:名称)?", "department"),
    (r"评价机构|第三方机构|组织单位|委托单位|评价组织单位", "evaluator"),
    (r"项目名称|项目[（(]专项资金[)）]名称|转移支付[（(]项目[)）]名称|专项资金名称|资金名称", "name"),
    (r"项目编码|项目代码", "code"),
    (r"信息来源|发布机构", "publisher"),
)
_LABEL_LINE = re.compile(
    r"^(?P<label>" + "|".join(p for p, _ in _COVER_LABELS) + r")(?:[（(](?:盖章|公章|签章)[)）])?\s*[:：]\s*(?P<value>\S.*)$"
)
_ROLE = [(re.compile(f"^(?:{p})"), role) for p, role in _COVER_LABELS]
_WIDE_GAP = re.compile(r"\s{2,}|\u3000+")
_UNIT_CODE = re.compile(r"^\d{3,9}\s*[-－—_]\s*")
_SEAL = re.compile(r"[（(](?:公章|盖章|签章|本级)[)）]$")

UNIT_WORDS = r"(?:委员会|办公室|办事处|人民政府|政府|局|中心|院|所|站|队|馆|部|委|办|会|联合会|协会|社|学校|医院|公司|处|科|厅|镇|乡|街道|团)"
_UNIT_AT_END = re.compile(UNIT_WORDS + r"$")
_REGION_START = re.compile(r"^(?:中共|中国共产党|共青团)?[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|州|盟|地区|县|区|旗)")


@dataclass
class CoverLabels:
    """Values of the cover labels, first one of each role wins."""

    values: dict[str, Value] = field(default_factory=dict)

    def get(self, role: str) -> Value | None:
        return self.values.get(role)


def _clean_unit(text: str) -> str:
    text = _UNIT_CODE.sub("", compact(text))
    text = _SEAL.sub("", text)
    return text.strip("：:，,。 ")


_BARE_LABEL = re.compile(r"^(?P<label>" + "|".join(p for p, _ in _COVER_LABELS) + r")(?:[（(](?:盖章|公章|签章)[)）])?[:：]?$")
_SPACED_LABEL = re.compile(r"^(?P<label>" + "|".join(p for p, _ in _COVER_LABELS) + r")\s+(?P<value>\S.*)$")


def read_cover_labels(paragraphs: list[Paragraph], doc: SourceDocument) -> CoverLabels:
    """Label lines anywhere in `paragraphs` (see module docstring): 标签：值, 标签 值, and a
    spaced-out label (项 目 实 施 单 位) followed by its value after a wide gap."""
    found = CoverLabels()
    for para in paragraphs:
        parts = [p for p in _WIDE_GAP.split(para.text.strip()) if p.strip()]
        for k, part in enumerate(parts):
            label = value = None
            if m := _LABEL_LINE.match(compact(part)):
                label, value = m.group("label"), m.group("value")
            elif m := _SPACED_LABEL.match(part.strip()):
                label, value = m.group("label"), compact(m.group("value"))
            elif (m := _BARE_LABEL.match(compact(part))) and k + 1 < len(parts) \
                    and not _BARE_LABEL.match(compact(parts[k + 1])):
                label, value = m.group("label"), compact(parts[k + 1])
            if label is None:
                continue
            role = next(role for pattern, role in _ROLE if pattern.match(label))
            if role in ("unit", "department", "evaluator", "publisher"):
                value = _clean_unit(value)
                value = re.split(r"(?:单位负责人|负责人|填表人|联系电话|填报日期|日期)[:：]", value)[0]
            value = value.strip("：:，,。；; ")
            if not value or role in found.values or _BARE_LABEL.match(value):
                continue
            prov = Provenance(doc.file, para.line_start, para.line_end, doc.snippet(para.line_start, para.line_end))
            found.values[role] = Value(value, prov, compact(part))
    return found


@dataclass(frozen=True)
class TitleParts:
    unit: str | None
    year: int | None
    name: str | None
    is_department: bool


_KIND_SUFFIX = re.compile(
    r"(?:部门|单位|[（(]单位[)）])*(?:整体)?(?:项目支出|项目|支出|转移支付|区域)*"
    r"(?:绩效)?(?:单位|部门)?(?:自评价|自评|评价|目标)(?:结果公示|结果汇总表|结果一览表|结果|报告|情况表|自评表|评价表|评分表|目标表|指标表|汇总表|一览表|表)?$"
)
_REGION_ONLY = re.compile(r"^(?:[\u4e00-\u9fff]{1,10}?(?:省|自治区|市|州|盟|地区|县|区|旗))+$")
_REGION_HEAD = re.compile(r"^(?:[\u4e00-\u9fff]{1,4}?(?:省|自治区|市|州|盟|地区|县|区|旗))+")
_DEPARTMENT = re.compile(r"(?:部门|单位)?(?:[（(]单位[)）])?整体(?:支出)?(?:绩效|$)")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?")
_GENERIC = re.compile(r"^(?:中央|地方|市级|县级|区级|省级|本级|部门|年度|项目|项目支出|支出|预算|专项|专项资金|资金|部门预算|"
                      r"地方政府专项债券项目资金|专项债券项目资金|[市县区省]级项目支出|[市县区省]级项目|[市县区省]级预算项目)*$")


def split_title(title: str) -> TitleParts:
    """Cut a report title into unit, year and project name (see module docstring)."""
    t = compact(title).lstrip("#").strip()
    t = re.sub(r"[（(]\s*(?:19|20)\d\d\s*年度?\s*[)）]$", "", t)
    is_department = bool(_DEPARTMENT.search(t))
    body = _KIND_SUFFIX.sub("", t)
    year = None
    before, after = body, ""
    if m := _YEAR.search(body):
        year = int(m.group(1))
        before, after = body[: m.start()], body[m.end():]
    unit = None
    if _REGION_ONLY.match(before or "-"):
        before = ""  # 某市2023年度…: a region, not the unit
    if before and _UNIT_AT_END.search(before) and _REGION_START.match(before):
        unit = before
    elif before:
        unit, rest = _split_unit_prefix(before)
        if unit is None:
            after = _strip_region_head(before) + after
        else:
            after = rest + after
    elif after:
        # "2023年度某县某局某某资金项目…": the unit follows the year.
        unit, after = _split_unit_prefix(after)
        if unit is None and _UNIT_AT_END.search(after) and _REGION_START.match(after):
            unit, after = after, ""  # "2024年度某县某局项目…汇总表": the unit, and no project
        elif unit is None:
            after = _strip_region_head(after)  # "2019年度某县某某项目…": the region, then the name
    name = after.strip("的") or None
    if name and _GENERIC.match(name):
        name = None
    if is_department:
        name = None
    return TitleParts(unit, year, name, is_department)


def name_in_form_title(text: str) -> str | None:
    """The project a form's own title names ("2019年度某县某某项目绩效评价指标表" ->
    某县某某), only when the line ends as a report or form title does; any other
    line names nothing."""
    t = compact(text)
    if len(t) > 60 or not _KIND_SUFFIX.search(t) or t.endswith(("。", "；", "，", "：", ":")):
        return None
    return split_title(t).name


_UNIT_PREFIX = re.compile(
    r"^(?P<unit>(?:中共|中国共产党|共青团)?[\u4e00-\u9fff]{1,14}?(?:省|自治区|市|州|盟|县|区|旗)[\u4e00-\u9fff]{0,16}?"
    r"(?:委员会|办公室|办事处|人民政府|局|中心|院|所|站|队|馆|部|委|办|联合会))(?P<rest>.*)$"
)


_SUB_ORGAN = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:办公室|委员会|部|办|局|室)")


def _split_unit_prefix(text: str) -> tuple[str | None, str]:
    """"某县疾病预防控制中心动物防疫专项经费" -> ("某县疾病预防控制中心", "动物防疫专项经费").
    The unit is the shortest prefix ending in a unit word that leaves a project name
    behind; a bare region (某县) is not a unit, and a prefix followed by 、/和 is one
    item of a list of names (某医院、某保健院专项债券项目), not a unit."""
    m = _UNIT_PREFIX.match(text)
    if not m or not m.group("rest") or m.group("rest")[0] in "、，,和及与":
        return None, text
    unit, rest = m.group("unit"), m.group("rest")
    # A party committee's or government's department: 某县委 + 宣传部, 某县人民政府 + 办公室.
    if unit.endswith(("委", "政府")) and (sub := _SUB_ORGAN.match(rest)):
        unit, rest = unit + sub.group(0), rest[sub.end():]
    return unit, rest


def _strip_region_head(text: str) -> str:
    """"某市某区某医院专项债券" -> "某医院专项债券" when a name remains."""
    m = _REGION_HEAD.match(text)
    return text[m.end():] if m and len(text) - m.end() >= 4 else text


def signature_unit(paragraphs: list[Paragraph]) -> tuple[str, Paragraph] | None:
    """A unit named alone on one of the last lines (the signature above the date)."""
    tail = paragraphs[-4:]
    for para in reversed(tail):
        t = compact(para.text)
        if 4 <= len(t) <= 30 and _UNIT_AT_END.search(t) and _REGION_START.match(t) and not re.search(r"\d", t):
            return t, para
    return None
