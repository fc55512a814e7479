"""How close is close enough: the tolerances every sum and rate rule shares.

A report's figures are written to some number of decimals, so a sum of rounded parts
may differ from its rounded total by a little, and a rate computed from rounded
amounts may differ from the printed rate in its last digit. Those differences are
`rounding` (info); anything larger is the report's own arithmetic failing (error).
Whole numbers are taken as exact: a 1-point gap between whole-number scores is an
error, never rounding.

Pure functions over numbers, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EPSILON = 1e-9
OK, ROUNDING, ERROR = "ok", "rounding", "error"


def decimals(x: float | None) -> int:
    """Decimals written in a number as read (12.50 was read as 12.5: one)."""
    if x is None:
        return 0
    text = f"{abs(float(x)):.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def half_unit(x: float) -> float:
    """Half a unit of the last decimal written; 0 for a whole number (exact)."""
    d = decimals(x)
    return 0.5 * 10 ** -d if d else 0.0


@dataclass(frozen=True)
class Comparison:
    """The outcome of one sum or rate check: ok, rounding or error, with the value
    computed from the report's own figures."""

    status: str
    computed: float
    stated: float

    @property
    def difference(self) -> float:
        return round(self.computed - self.stated, 6)


def sum_tolerance(figures: Iterable[float]) -> float:
    """How far a sum of rounded figures may drift: half a unit of the last decimal
    written in the column (the most decimals any figure shows: 1426.90 is read as
    1426.9) for each figure written with decimals. Whole figures are exact."""
    figures = list(figures)
    places = max((decimals(x) for x in figures), default=0)
    return 0.5 * 10 ** -places * sum(1 for x in figures if decimals(x))


def compare_sum(parts: Iterable[float], total: float) -> Comparison:
    """A stated total against the sum of its stated parts: equal is ok, a drift within
    `sum_tolerance` is rounding, more is an error."""
    parts = [float(x) for x in parts]
    computed = round(sum(parts), 6)
    diff = abs(computed - total)
    if diff < EPSILON:
        return Comparison(OK, computed, total)
    tolerance = sum_tolerance([*parts, total])
    return Comparison(ROUNDING if diff <= tolerance + EPSILON else ERROR, computed, total)


def compare_rate(stated: float, executed: float, budgets: Iterable[float | None]) -> Comparison | None:
    """A stated execution rate (percent) against executed ÷ budget for each stated
    budget (initial and adjusted: the report may measure against either), keeping
    the closest. Within half a unit of the rate's last decimal (plus what the
    rounding of the amounts themselves allows) it agrees; within one unit it is a
    last-digit slip (`rounding`: truncation or an off-by-one digit); beyond, an
    error. None when no budget above zero is stated."""
    best = None
    for budget in budgets:
        if not budget or budget <= 0:
            continue
        computed = executed / budget * 100
        # amounts written to 2 decimals carry their own rounding into the rate
        slack = computed * (half_unit(executed) / executed if executed else 0) + computed * half_unit(budget) / budget
        diff = abs(computed - stated)
        if best is None or diff - slack < best[0]:
            best = (diff - slack, computed)
    if best is None:
        return None
    excess, computed = best
    unit = 10 ** -decimals(stated)
    if excess <= unit / 2 + EPSILON:
        return Comparison(OK, round(computed, 6), stated)
    if excess <= unit + EPSILON:
        return Comparison(ROUNDING, round(computed, 6), stated)
    return Comparison(ERROR, round(computed, 6), stated)
