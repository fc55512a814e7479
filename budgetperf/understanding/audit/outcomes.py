"""Did an indicator meet its target? The one reading of a target and an actual that the
indicator rules share.

A target and an actual are compared only when both are numbers of the same measure
(the same unit, or an actual written bare in a table whose target carries the unit);
deadlines, qualitative wording and mixed units are not compared. A target without a
comparator means "at least", except for things that should not happen (accidents,
complaints, losses), where it is a cap.

Pure functions over records, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from budgetperf.reading.blocks import compact
from budgetperf.understanding.parsers.values import Measure, parse_measure
from budgetperf.understanding.records import Indicator

MET, MISSED = "met", "missed"
# a deadline or a date is not a quantity to compare
_DATE = re.compile(r"\d{4}年|\d{1,2}月|\d{4}[-./]\d{1,2}")
# things that should not happen: a bare target is a ceiling
_LOWER_IS_BETTER = re.compile(r"发生|事故|投诉|受灾|差错|失误|违规|违纪|死亡|损失|超支|逾期|返工|案件|不合格|失业|空置|误差"
                              r"|损耗|超标|污染|排放|能耗|发病|病死|拖欠|欠薪|信访|上访|成本|费用|单价|价格|时长|时限|用时|天数|周期")
# ...unless the indicator counts what was done against them (消除隐患户数, 处置投诉件数)
_ACTING_AGAINST = re.compile(r"消除|减少|降低|防止|避免|处置|处理|整改|查处|办结|化解|排查")
# an actual that says the work is not done (a shortfall without a number)
UNFINISHED = re.compile(r"建设中|未完成|未达到|未达|尚未|未开展|未实施|未启动|正在")
COMPARATOR_TEXT = re.compile(r"^(?:≥|≤|>|<|>=|<=|≧|≦|＞|＜|=|＝|═|不低于|不少于|不高于|不超过|不多于|至少|大于|小于|高于|低于)")


@dataclass(frozen=True)
class Outcome:
    """How an indicator's actual stands against its target."""

    status: str  # MET | MISSED
    target: Measure
    actual: Measure


# Several rules read every row's target and actual: reading each once keeps a long
# table's audit cheap. Bounded, so a long-running app does not grow with every report.
CACHE_SIZE = 1 << 16


@lru_cache(maxsize=CACHE_SIZE)
def measure(text: str | None) -> Measure:
    """`parse_measure`, remembered (a Measure is immutable)."""
    return parse_measure(text)


def is_date(text: str | None) -> bool:
    return bool(text) and bool(_DATE.search(compact(text)))


@lru_cache(maxsize=CACHE_SIZE)
def outcome(i: Indicator) -> Outcome | None:
    """MET or MISSED when target and actual are comparable numbers, else None."""
    if is_date(i.target) or is_date(i.actual) or not i.target or not i.actual:
        return None
    target, actual = measure(i.target), measure(i.actual)
    if not (target.is_numeric and actual.is_numeric) or target.value is None or actual.value is None:
        return None
    if actual.unit != target.unit and not (actual.unit is None and _bare_number(i.actual)):
        return None
    if target.is_approximate or actual.is_approximate:
        return None
    comparator = target.comparator
    if comparator is None and (_LOWER_IS_BETTER.search(i.name) or "成本" in (i.level2 or "")) \
            and not _ACTING_AGAINST.search(i.name):
        comparator = "≤"
    if comparator in ("≤", "<"):
        met = actual.value <= target.value + 1e-9 if comparator == "≤" else actual.value < target.value
    elif comparator == ">":
        met = actual.value > target.value
    else:  # ≥, =, or none: at least the target
        met = actual.value >= target.value - 1e-9
    return Outcome(MET if met else MISSED, target, actual)


def _bare_number(text: str) -> bool:
    return bool(re.fullmatch(r"[\d.,]+", compact(text)))


def has_full_marks(i: Indicator) -> bool:
    return i.weight is not None and i.score is not None and i.score >= i.weight - 1e-9


def lost_points(i: Indicator) -> bool:
    return i.weight is not None and i.score is not None and i.score < i.weight - 1e-9
