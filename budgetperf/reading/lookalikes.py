"""Character slips of OCR: a character read as its look-alike (门 as 内, 徽 as 微),
put right against a vocabulary of names that must be spelled exactly (regions,
units, the report's own standard words), and said.

OCR reads a rare place-name character as a common one that looks the same, with a
high score, so a low score does not catch it; but a region or unit name read with
one such slip matches no reference entry, and the report's region goes missing.
`correct` finds, in OCR'd lines only, every text that equals a vocabulary term once
each character is replaced by the representative of its look-alike group
(`LOOKALIKES`), and replaces it by the term, recording each change (`Slip`) so the
extractor can say what was corrected. A text that could be either of two terms (both
spellings are real names) is left alone.

The extractor supplies the vocabulary (`reference_terms` from the reference tables
it loaded, plus `REPORT_TERMS`), since reading knows no reference table. Pure
functions over a `SourceDocument`; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from budgetperf.reading.blocks import Paragraph, SourceDocument, Table

# Groups of characters this OCR engine (PP-OCR) mistakes for one another in print:
# the first of each group stands for the group. Seen on the devset renderings
# (门→内) or named by users (徽→微), and the classic pairs of Chinese OCR.
LOOKALIKES = ("门内", "徽微", "己已巳", "未末", "土士", "日曰", "人入", "戊戌戍", "侯候", "拨拔",
              "崇祟", "茶荼", "粟栗", "沾沽", "盲肓", "壶壸", "汩汨", "宫官", "免兔", "析折", "刺剌", "诸渚",
              "峰锋", "嵊崃", "邛卬", "郓鄆", "亳毫", "濮璞", "儋僧", "漯潔", "鄱番", "歙翕", "婺骛", "衢衙")
_KEY = {ord(c): group[0] for group in LOOKALIKES for c in group[1:]}
_CONFUSABLE = frozenset(c for group in LOOKALIKES for c in group)

# Standard words of budget-performance reports that hold a look-alike character.
# Only words whose slipped spelling is never a word itself: a bare 部门 would also
# "correct" the 部内 of 全部内容, and 已完成 the 己完成 of 自己完成.
REPORT_TERMS = ("主管部门", "部门整体", "部门预算", "部门名称", "部门单位", "部门职责", "实施部门", "门户网站",
                "人员经费", "日常公用经费", "人民政府", "资金拨付")


@dataclass(frozen=True)
class Slip:
    """One corrected OCR slip: the line, what OCR read and what it is."""

    line: int
    was: str
    now: str


def reference_terms(region_names: Iterable[str], unit_names: Iterable[str] = ()) -> tuple[str, ...]:
    """The vocabulary for `correct`: region names (and their stems of three or more
    characters without the 省/市/县/区 suffix), unit names, and the report terms."""
    terms = set(REPORT_TERMS)
    for name in region_names:
        if len(name) >= 2:
            terms.add(name)
            stem = re.sub(r"(?:省|市|县|区|州|盟|旗|自治区|自治州|自治县|地区)$", "", name)
            if len(stem) >= 3:
                terms.add(stem)
    terms.update(n for n in unit_names if len(n) >= 2)
    return tuple(sorted(t for t in terms if _CONFUSABLE.intersection(t)))


def key(text: str) -> str:
    """`text` with every look-alike replaced by its group's representative."""
    return text.translate(_KEY)


@lru_cache(maxsize=4)
def _index(terms: tuple[str, ...]) -> tuple[re.Pattern | None, dict[str, str | None]]:
    """A pattern over the terms' keys (longest first) and key -> term (None when two
    terms share a key: then neither spelling is corrected to the other)."""
    by_key: dict[str, str | None] = {}
    for term in terms:
        k = key(term)
        by_key[k] = term if by_key.get(k, term) == term else None
    keys = sorted(by_key, key=len, reverse=True)
    return (re.compile("|".join(map(re.escape, keys))) if keys else None), by_key


def correct_text(text: str, terms: tuple[str, ...]) -> tuple[str, list[tuple[str, str]]]:
    """`text` with look-alike slips of the terms put right, and (was, now) for each."""
    if not _CONFUSABLE.intersection(text):
        return text, []
    pattern, by_key = _index(terms)
    if pattern is None:
        return text, []
    keyed = key(text)
    out, slips, last = [], [], 0
    for m in pattern.finditer(keyed):
        term = by_key.get(m.group())
        was = text[m.start():m.end()]
        if term is None or was == term or was in by_key.values():
            continue
        out.append(text[last:m.start()] + term)
        slips.append((was, term))
        last = m.end()
    if not slips:
        return text, []
    out.append(text[last:])
    return "".join(out), slips


def correct(doc: SourceDocument, terms: tuple[str, ...]) -> list[Slip]:
    """Correct the slips on `doc`'s OCR'd lines in place (lines, paragraphs and table
    cells alike) and return them. Exact text (no OCR score) is never touched."""
    ocr_lines = set(doc.confidence)
    if not ocr_lines or not terms:
        return []
    slips: list[Slip] = []
    for number in sorted(ocr_lines):
        fixed, found = correct_text(doc.lines[number - 1], terms)
        if found:
            doc.lines[number - 1] = fixed
            slips.extend(Slip(number, was, now) for was, now in found)
    changed = {s.line for s in slips}
    for k, block in enumerate(doc.blocks):
        if not any(block.line_start <= n <= block.line_end for n in changed):
            continue
        if isinstance(block, Paragraph):
            doc.blocks[k] = replace(block, text=correct_text(block.text, terms)[0])
        else:
            doc.blocks[k] = Table(tuple(tuple(replace(c, text=correct_text(c.text, terms)[0])
                                              if c.line_start in changed else c for c in row) for row in block.rows),
                                  block.line_start, block.line_end)
    return slips
