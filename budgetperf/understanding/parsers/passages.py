"""The report's own words on why: where it states its problems, the reasons for a
shortfall and what it will do (存在的问题, 偏差原因, 未完成原因, 改进措施, 下一步
工作打算 …), each kept with its lines so a reader can check it in the source.

Three shapes:
- a heading, then its paragraphs: "三、存在的问题" / "（一）资金到位不足。……" /
  "（二）……" up to the next heading of the same rank or higher ("四、…");
- a label and its text in one paragraph: "存在问题：项目进度滞后……";
- a table row: a label cell and the text beside it (存在的问题和改进措施 | ……),
  or one merged cell holding both.

Passages are kept as written; which of them a project's numbers bear out is for a
reader to judge. Pure: paragraphs or rows in, `Passage`s out.
"""

from __future__ import annotations

import re

from budgetperf.reading.blocks import Cell, Paragraph, SourceDocument, compact
from budgetperf.understanding.records import Passage, Provenance

# Label words and the kind of passage they open, tried in order of their position
# in the label: 偏差原因分析及改进措施 is first a reason.
_KINDS = (
    ("problem", r"存在的?(?:主要)?问题|主要问题|问题(?:及|和|与)?(?:原因|不足)|不足之处|存在不足|问题分析"),
    ("reason", r"偏差原因(?:分析)?|未(?:完成|达标|达到目标)(?:的)?原因|原因分析|偏差(?:情况)?(?:分析|说明)"),
    ("remedy", r"(?:改进|整改|完善)(?:措施|意见|建议|方向)|下一步(?:工作)?(?:打算|计划|安排|措施|改进措施)?|"
               r"(?:意见|对策|相关|有关|工作)建议|建议"),
)
_ANY_LABEL = "|".join(f"(?:{pattern})" for _, pattern in _KINDS)
_NUMBERING = (r"(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.、．](?!\d)"
              r"|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])?")
# A heading: numbering, the label words (joined by 及/和/与/、), then nothing, or
# punctuation and the passage's first words (存在问题：……); "存在问题较多" is a sentence.
_HEADING = re.compile(rf"^(?P<num>{_NUMBERING})\s*(?P<label>(?:{_ANY_LABEL})(?:(?:及|和|与|、|以及)?(?:{_ANY_LABEL}|原因|对策))*)"
                      r"(?:[。.:：]\s*(?P<rest>.*))?$")
_MAX_HEADING = 24
_MAX_PARAGRAPHS = 12


def kind_of(label: str) -> str | None:
    """The passage kind a label opens (its earliest label word decides)."""
    found = [(m.start(), kind) for kind, pattern in _KINDS if (m := re.search(pattern, label))]
    return min(found)[1] if found else None


def _rank(numbering: str) -> int:
    """一、 > （一） > 1. > （1） ①: a heading's section runs to the next of its rank
    or higher; no numbering ranks lowest."""
    if re.match(r"^[一二三四五六七八九十]+[、.．]", numbering):
        return 4
    if re.match(r"^[（(][一二三四五六七八九十]", numbering):
        return 3
    if re.match(r"^\d", numbering):
        return 2
    return 1 if numbering else 0


def _heading_rank(text: str) -> int:
    m = re.match(rf"^({_NUMBERING})", compact(text))
    return _rank(m.group(1)) if m else 0


def _heading(text: str) -> tuple[str, str, int, str] | None:
    """(kind, label, rank, text after the label) when the paragraph opens a passage."""
    m = _HEADING.match(compact(text))
    if m is None:
        return None
    label, rest = m.group("label"), m.group("rest") or ""
    if len(m.group("num") + label) > _MAX_HEADING or label == "建议" and not m.group("num"):
        return None  # a sentence starting with 建议 is not a heading
    kind = kind_of(label)
    if kind is None:
        return None
    return kind, m.group("num") + label, _rank(m.group("num")), rest


def find_passages(paragraphs: list[Paragraph], doc: SourceDocument) -> list[Passage]:
    """Every problem, reason and remedy passage of the paragraphs (module docstring)."""
    out: list[Passage] = []
    k = 0
    while k < len(paragraphs):
        opened = _heading(paragraphs[k].text)
        if opened is None:
            k += 1
            continue
        kind, label, rank, rest = opened
        taken, texts = [paragraphs[k]], [rest] if rest else []
        # The heading's section: what follows, up to a heading of its rank or higher
        # (an unnumbered heading runs to the next numbered 1. or higher).
        stop_rank = max(rank, 2)
        j = k + 1
        while j < len(paragraphs) and len(taken) <= _MAX_PARAGRAPHS and (not rest or rank):
            text = paragraphs[j].text
            if _heading_rank(text) >= stop_rank or (_heading(text) is not None and _heading_rank(text) >= rank):
                break
            taken.append(paragraphs[j])
            texts.append(text.strip())
            j += 1
        body = "\n".join(t for t in texts if t).strip()
        if body:
            first, last = taken[0].line_start, taken[-1].line_end
            out.append(Passage(kind, label, body, Provenance(doc.file, first, last, doc.snippet(first, last))))
        k = max(j, k + 1)
    return out


def passage_in_row(cells: list[Cell], doc: SourceDocument) -> Passage | None:
    """A table row stating a passage: a label cell and the text beside it, or one
    cell holding both ("存在的问题：……")."""
    filled = [c for c in cells if compact(c.text)]
    if not filled:
        return None
    first = compact(filled[0].text)
    if len(filled) >= 2:
        label = re.sub(r"[（(][^)）]*[)）]|[:：]$", "", first)
        kind = kind_of(label) if len(label) <= _MAX_HEADING and _HEADING.match(label) else None
        text = "\n".join(c.text.strip() for c in filled[1:] if compact(c.text) != first)
        if kind is None or len(compact(text)) < 4 or re.fullmatch(r"[\d.,%\s]+", text):
            return None
        cells_used = filled
    else:
        opened = _heading(filled[0].text)
        if opened is None or len(compact(opened[3])) < 4:
            return None
        kind, label, _, text = opened
        cells_used = filled
    start = min(c.line_start for c in cells_used)
    end = max(c.line_end for c in cells_used)
    return Passage(kind, label, text.strip(), Provenance(doc.file, start, end, doc.snippet(start, end)))
