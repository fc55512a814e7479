"""Turning cell and sentence text into numbers, grades and parsed targets.

Pure functions, no I/O. Every function returns None when the text does not hold
what it asks for: a blank or a dash is "not stated", never zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from budgetperf.reading.blocks import compact
from budgetperf.vocabulary import grade_for_score  # noqa: F401  (parsers import it from here)

_NUMBER = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?")
_NOT_STATED = {"", "—", "–", "-", "/", "\\", "无", "——", "--", "／", "N/A", "n/a"}

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}


@lru_cache(maxsize=16384)  # pure, and asked of the same cell texts again and again
def parse_number(text: str | None) -> float | None:
    """The first number in `text` (thousands separators allowed), else None."""
    if text is None:
        return None
    text = compact(str(text))
    if text in _NOT_STATED:
        return None
    match = _NUMBER.search(text)
    if not match:
        return None
    return clean_float(float(match.group(0).replace(",", "")))


@lru_cache(maxsize=16384)  # pure, and asked of the same cell texts again and again
def parse_cell_number(text: str | None) -> float | None:
    """A number from a cell that should hold only a number (分值, 得分, 预算数).

    Unlike `parse_number`, text with words around the number (a template
    instruction, a sentence) is not a number: returns None.
    """
    if text is None:
        return None
    t = compact(str(text)).rstrip("分")
    if t in _NOT_STATED:
        return None
    if _CELL_NUMBER.fullmatch(t):
        return parse_number(t)
    return None


_CELL_AMOUNT = re.compile(r"[-+]?[\d,]+(?:\.\d+)?\s*(?:亿元|万元|千元|亿|万|元)?")


@lru_cache(maxsize=16384)  # pure, and asked of the same cell texts again and again
def parse_cell_amount(text: str | None) -> float | None:
    """The number of a money cell, which may carry its unit (12.5万元, 3,600.00元):
    the number as written (the unit is `amount_to_wan`'s to apply); None for words."""
    if text is None:
        return None
    t = compact(str(text))
    if t in _NOT_STATED or not _CELL_AMOUNT.fullmatch(t):
        return None
    return parse_number(t)


def clean_float(x: float) -> float | int:
    """Round away binary noise (0.1+0.2) and give integral values as int."""
    x = round(x, 6)
    return int(x) if x == int(x) and abs(x) < 1e15 else x


def cn_numeral(text: str) -> int | None:
    """Chinese numerals up to 99 (七, 十二, 二十三) or digits."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    return CN_DIGITS.get(text)


# ---------------------------------------------------------------------------
# amounts

UNIT_FACTORS_TO_WAN = {"元": 0.0001, "千元": 0.1, "万元": 1.0, "万": 1.0, "亿元": 10000.0, "亿": 10000.0}


_DECLARED_UNIT = re.compile(r"(?:单位[:：]|[（(])\s*(千元|万元|亿元|元)\s*[)）]?")
_AMOUNT_UNIT = re.compile(r"[\d.,]+\s*(亿元|万元|千元|亿|万|元)")
_CELL_NUMBER = re.compile(r"[-+]?[\d,]+(?:\.\d+)?%?")


def detect_amount_unit(text: str) -> str | None:
    """The amount unit a caption or header declares: "单位：元", "（万元）", "金额（元）"."""
    if "元" not in text:
        return None
    match = _DECLARED_UNIT.search(compact(text))
    return match.group(1) if match else None


def _text_and_number(text: str | None) -> tuple[str, float | None]:
    """A cell or phrase compacted, with its first number (None when it has none)."""
    if text is None:
        return "", None
    t = compact(str(text))
    return t, parse_number(t)


def amount_to_wan(text: str | None, default_unit: str = "万元") -> float | None:
    """An amount cell or phrase in 万元. A unit written next to the number wins over
    the table's declared unit (`default_unit`)."""
    t, number = _text_and_number(text)
    if number is None:
        return None
    match = _AMOUNT_UNIT.search(t)
    unit = match.group(1) if match else default_unit
    return clean_float(number * UNIT_FACTORS_TO_WAN.get(unit, 1.0))


# A project's money written in 元 below this is a slip of the unit (元 for 万元): no
# project of a budget-performance report costs less than a hundred yuan.
IMPLAUSIBLE_YUAN = 100.0


def is_unit_slip(text: str | None) -> bool:
    """Whether a project amount as written (「3.6元」) is plainly in the wrong unit:
    written in 元 and under `IMPLAUSIBLE_YUAN`."""
    if not text:
        return False
    t, number = _text_and_number(text)
    match = _AMOUNT_UNIT.search(t)
    return bool(match and match.group(1) == "元" and number is not None and 0 < number < IMPLAUSIBLE_YUAN)


def project_amount_to_wan(text: str | None) -> float | None:
    """A project's budget or spending in 万元; an amount whose 元 is plainly a slip
    (`is_unit_slip`) is taken as written in 万元, the plausible amount (the raw text
    keeps what was written, and the extractor says so)."""
    if is_unit_slip(text):
        return clean_float(parse_number(compact(str(text))))
    return amount_to_wan(text)


@lru_cache(maxsize=16384)  # pure, and asked of the same cell texts again and again
def parse_percent(text: str | None) -> float | None:
    """89.72% -> 89.72. A bare fraction ≤ 1.5 without % (0.8972 from a spreadsheet)
    is read as a share and scaled."""
    t, number = _text_and_number(text)
    if number is None:
        return None
    if "%" not in t and 0 < number <= 1.5 and "." in t:
        return clean_float(number * 100)
    return number


# ---------------------------------------------------------------------------
# grades

_GRADE_WORDS = (
    ("不合格", "差"), ("较差", "差"), ("优秀", "优"), ("良好", "良"), ("合格", "中"),
    ("一般", "中"), ("一等", "优"), ("二等", "良"), ("三等", "中"), ("四等", "差"),
    ("优", "优"), ("良", "良"), ("中", "中"), ("可", "中"), ("差", "差"),
)


def normalize_grade(text: str | None) -> str | None:
    """Map a written grade to 优/良/中/差 where the mapping is clear.

    Scales seen in reports: 优/良/中/差, 优/良/可/差, 优秀/良好/合格/不合格, 一等..四等,
    A/B/C/D. Returns None for text that is not a grade.
    """
    if not text:
        return None
    t = compact(text).strip("“”\"'「」：:")
    t = re.sub(r"(等级|等次|级)$", "", t)
    if t.upper() in ("A", "B", "C", "D"):
        return "优良中差"["ABCD".index(t.upper())]
    for word, grade in _GRADE_WORDS:
        if t == word or (len(word) >= 2 and t.startswith(word)):
            return grade
    return None




# ---------------------------------------------------------------------------
# indicator targets and actuals

_COMPARATOR_WORDS = (
    ("不低于", "≥"), ("不少于", "≥"), ("至少", "≥"), ("以上", "≥"), ("大于等于", "≥"),
    ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"), ("以内", "≤"), ("以下", "≤"), ("小于等于", "≤"),
    ("超过", ">"), ("大于", ">"), ("高于", ">"), ("少于", "<"), ("低于", "<"), ("小于", "<"),
)
_SYMBOLS = {">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤", "＞": ">", "＜": "<", "=": "=", "＝": "="}
COMPARATORS = ("≥", "≤", ">", "<", "=")
# A 指标性质 cell that names the kind of indicator, not a comparison: no sign.
_NO_COMPARATOR = {"定量", "定性", "正向", "反向", "正向指标", "反向指标", "区间", "区间指标", "定量指标", "定性指标"}


def nature_comparator(text: str | None) -> str | None:
    """The sign a 指标性质 cell stands for: 不低于/大于等于/≥/>= -> ≥, 等于 -> =, any
    other sign as written; "" for a kind of indicator (定量, 正向指标, 区间), which compares nothing;
    None for anything else (the caller decides what an unknown word is)."""
    t = re.sub(r"[（(][^)）]*[)）]", "", compact(text or ""))
    if not t or t in _NO_COMPARATOR:
        return ""
    if t in COMPARATORS:
        return t
    if t in _SYMBOLS:
        return _SYMBOLS[t]
    if t == "等于":
        return "="
    if len(t) <= 2 and not re.search(r"[\w]", t):
        return t  # a sign the font or the export changed (═ for =): kept as written
    return next((symbol for word, symbol in _COMPARATOR_WORDS if t == word), None)
_APPROX = re.compile(r"[余多近约左右]")
_MEASURE = re.compile(r"(?P<cmp>≥|≤|>=|<=|>|<|=|≧|≦)?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<wan>万|亿)?\s*(?P<approx>余|多)?\s*(?P<unit>%|‰|[^\d\s,，。；;、（）()]{0,3})")


@dataclass(frozen=True)
class Measure:
    """A target or actual read as a number: comparator, value, unit."""

    comparator: str | None
    value: float | None
    unit: str | None
    is_numeric: bool
    is_approximate: bool


@lru_cache(maxsize=16384)  # pure, and asked of the same cell texts again and again
def parse_measure(text: str | None) -> Measure:
    """Read ≥200人, 2000余条, ≤22 万元, 不低于95%, 及时性 into a `Measure`.

    `is_numeric` is False for qualitative wording (长期, 及时性, 不断增强); the raw
    text is kept by the caller, this only adds a parsed reading beside it.
    """
    if text is None or not compact(text):
        return Measure(None, None, None, False, False)
    t = compact(text)
    match = _MEASURE.search(t)
    if not match:
        return Measure(None, None, None, False, False)
    comparator = match.group("cmp")
    comparator = _SYMBOLS.get(comparator, comparator)
    if comparator is None:
        for word, symbol in _COMPARATOR_WORDS:
            if word in t:
                comparator = symbol
                break
    value = float(match.group("num").replace(",", ""))
    unit = match.group("unit") or ""
    if match.group("wan"):
        # "2万" is 20,000 of something, but "≤2万" in a cost row means 2万元.
        unit = match.group("wan") + unit
    unit = re.sub(r"(左右|以上|以下|以内)$", "", unit)
    if unit.startswith(("余", "多")):
        unit = unit[1:]
    return Measure(
        comparator=comparator,
        value=clean_float(value),
        unit=unit or None,
        is_numeric=True,
        is_approximate=bool(match.group("approx") or _APPROX.search(t[: match.start()] or "")),
    )


def normalize_target_text(text: str | None) -> str | None:
    """Target/actual text as written, minus layout whitespace (`≥30 场` -> `≥30场`)."""
    if text is None:
        return None
    t = compact(text)
    return t or None
