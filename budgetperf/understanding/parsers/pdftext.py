"""Tables as a PDF's text layer dumps them: cells separated by single spaces, empty
cells dropped, wrapped cells continued on the next line.

- `simple_indicator_rows`: a 一级/二级/三级指标/指标值 table whose long 三级指标 names
  wrap: "产出指标 数量指标 展示示范农作物新 ≥20个" then "品种数" alone on the next line
  continues the name of the row above.
- `allocation_projects`: an allocation table (分配表) whose column headers are
  project names wrapped into slices of equal width, interleaved line by line:
      乡镇 农作物新品 耕地质量保 乡镇动物防 …
      种展示示范 护与提升项 疫员补助 …
      项目 目 …
  A column continues on the next line only while its slice is full (as wide as the
  widest slice of its line), so each line's slices are dealt to the columns still
  open, in order. The 合计 row gives one amount per column (and the total).

Pure: paragraphs in, records with provenance out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetperf.reading.blocks import Paragraph, SourceDocument, compact
from budgetperf.understanding.parsers.tables import LEVEL2_TO_LEVEL1
from budgetperf.understanding.parsers.values import (
    amount_to_wan,
    normalize_target_text,
    parse_number,
)
from budgetperf.understanding.records import Indicator, Provenance, Value

_LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标", "效果指标")
_LEVEL2 = re.compile(r"^(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度|经济成本|社会成本|生态环境成本)指标$")
_MEASURE = re.compile(r"\d|[≥≤<>=%]|不发生|不低于|不高于|以上|以内|前$")
_TABLE_END = re.compile(r"^(?:—\s*\d+\s*—|-\s*\d+\s*-|第\s*\d+\s*页|附件|任务清单|备注|注[:：]|填报|说明)")


def _prov(doc: SourceDocument, paras: list[Paragraph]) -> Provenance:
    start, end = paras[0].line_start, paras[-1].line_end
    return Provenance(doc.file, start, end, doc.snippet(start, end))


def simple_indicator_rows(rows: list[Paragraph], doc: SourceDocument) -> list[Indicator]:
    """Rows under a 一级指标 二级指标 三级指标 指标值 header (see module docstring)."""
    out: list[Indicator] = []
    parts: list[list] = []  # [level1, level2, name, target, paragraphs]
    level1 = level2 = None
    for para in rows:
        text = para.text.strip()
        if not text or _TABLE_END.match(compact(text)):
            break
        tokens = text.split()
        # 成本指标 is first-level only when a second level follows it on the line.
        if tokens and tokens[0] in _LEVEL1 and (tokens[0] != "成本指标" or len(tokens) > 1 and _LEVEL2.match(tokens[1])):
            level1 = tokens.pop(0)
        if tokens and _LEVEL2.match(tokens[0]):
            level2 = tokens.pop(0)
            level1 = level1 or LEVEL2_TO_LEVEL1.get(level2)
        if len(tokens) >= 2:
            target_tokens = [tokens[-1]]
            if len(tokens) >= 3 and not re.search(r"\d", tokens[-1]) and re.search(r"\d$", tokens[-2]):
                target_tokens = tokens[-2:]  # ≥30 场
            name = "".join(tokens[: len(tokens) - len(target_tokens)])
            parts.append([level1, level2, name, "".join(target_tokens), [para]])
        elif len(tokens) == 1 and parts and not _MEASURE.search(tokens[0]):
            parts[-1][2] += tokens[0]  # the name wrapped onto this line
            parts[-1][4].append(para)
        elif tokens:
            break  # not a row of this table
    for l1, l2, name, target, paras in parts:
        out.append(Indicator(l1, l2, name, normalize_target_text(target), None, None, None, _prov(doc, paras),
                             level1_inferred=l1 is None))
    return out


@dataclass(frozen=True)
class AllocatedProject:
    name: str
    amount: Value


_ALLOCATION_TITLE = re.compile(r"分配表|分配情况表|资金安排表|明细表$")
_TOTAL_ROW = re.compile(r"^(?:合计|总计)\s+(?P<nums>(?:\d[\d,]*(?:\.\d+)?\s*)+)$")


def allocation_projects(paragraphs: list[Paragraph], doc: SourceDocument, amount_unit: str = "万元") -> list[AllocatedProject]:
    """Projects named by the wrapped column headers of an allocation table, with the
    amounts of its 合计 row (see module docstring). [] when no such table is found."""
    for start, para in enumerate(paragraphs):
        if not _ALLOCATION_TITLE.search(compact(para.text)):
            continue
        body = paragraphs[start + 1 : start + 80]
        total_index = next((i for i, p in enumerate(body) if _TOTAL_ROW.match(p.text.strip())), None)
        if total_index is None:
            continue
        amounts = _TOTAL_ROW.match(body[total_index].text.strip()).group("nums").split()
        names = _wrapped_header_names(body[:total_index], len(amounts) - 1)
        if not names:
            continue
        total_para = body[total_index]
        prov = _prov(doc, [total_para])
        return [AllocatedProject(name, Value(amount_to_wan(amount, amount_unit), prov, amount))
                for name, amount in zip(names, amounts)]
    return []


def _wrapped_header_names(lines: list[Paragraph], columns: int) -> list[str]:
    """Column names of `columns` columns rebuilt from header lines of slices."""
    if columns < 2:
        return []
    rows = [p.text.split() for p in lines]
    start = next((i for i, tokens in enumerate(rows) if len(tokens) == columns + 1), None)
    if start is None:
        return []
    names = rows[start][1:]  # the first token heads the row-label column (乡镇)
    open_cols = list(range(columns))
    width = max(len(t) for t in names)
    open_cols = [c for c in open_cols if len(names[c]) == width]
    for tokens in rows[start + 1 :]:
        if not open_cols or any(re.fullmatch(r"[\d.,]+", t) for t in tokens):
            break
        if len(tokens) > len(open_cols):
            break
        width = max(len(t) for t in tokens)
        still_open = []
        for col, token in zip(open_cols, tokens):
            names[col] += token
            if len(token) == width and len(tokens) == len(open_cols):
                still_open.append(col)
        open_cols = still_open
    return names


def parse_amount(text: str) -> float | None:
    return parse_number(text)
