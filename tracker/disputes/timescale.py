"""Dates to scale on a horizontal axis: where a statement's day, month or year lies, and labelled ticks.

Pure functions on day numbers (date.toordinal()), so year 9999 needs no date after it.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from tracker.models import DatePrecision

MIN_DAYS = 5  # a one-day dispute is drawn on five days, its day in the middle
PAD = 0.04  # room left at each end, as a share of the span
# Steps from finest to coarsest; the first that keeps the ticks few enough wins.
STEPS = [("day", n) for n in (1, 2, 7, 14)] + [("month", n) for n in (1, 2, 3, 6)] + [
    ("year", n) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)]
UNIT_DAYS = {"day": 1, "month": 30.4, "year": 365.25}


def period(date: dt.date, precision: DatePrecision) -> tuple[int, int]:
    """The days a date covers, as day numbers [first, after the last)."""
    first = date.toordinal()
    if precision is DatePrecision.day:
        return first, first + 1
    if precision is DatePrecision.month:
        return first, first + calendar.monthrange(date.year, date.month)[1]
    return first, dt.date(date.year, 12, 31).toordinal() + 1


@dataclass(frozen=True)
class Tick:
    day: float  # a day number; noon (+ .5) for ticks of days, so a day's mark sits on its label
    label: str
    year: str | None  # shown under the label where the year starts or changes


@dataclass(frozen=True)
class Scale:
    start: float
    end: float

    @classmethod
    def around(cls, periods: list[tuple[int, int]]) -> "Scale":
        """A scale holding every period, padded; at least MIN_DAYS long, so one day is not divided by zero."""
        first, last = min(p[0] for p in periods), max(p[1] for p in periods)
        span = last - first
        pad = max(span * PAD, (MIN_DAYS - span) / 2)
        return cls(first - pad, last + pad)

    def share(self, day: float) -> float:
        """Where a day number lies, from 0 (start) to 1 (end)."""
        return (day - self.start) / (self.end - self.start)

    def ticks(self, most: int) -> list[Tick]:
        """Labelled ticks at the finest step giving at most `most` of them."""
        for unit, step in STEPS:
            if (self.end - self.start) / (UNIT_DAYS[unit] * step) <= most + 1:  # worth counting exactly
                days = tick_days(unit, step, self.start, self.end)
                if len(days) <= most:
                    return labelled(unit, days)
        return []


def tick_days(unit: str, step: int, start: float, end: float) -> list[float]:
    """Where the ticks of one step fall inside [start, end], as day numbers."""
    low, high = max(1, int(start)), min(int(end), dt.date.max.toordinal())
    if unit == "day":
        days = [day + .5 for day in range(low, high + 1) if (day - 1) % step == 0]  # weeks start on Mondays
    else:
        first, last = dt.date.fromordinal(low), dt.date.fromordinal(high)
        if unit == "month":
            months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
            days = [dt.date(m // 12, m % 12 + 1, 1).toordinal() for m in months if m % 12 % step == 0]
        else:
            days = [dt.date(y, 1, 1).toordinal() for y in range(first.year, last.year + 1) if y % step == 0]
    return [float(day) for day in days if start <= day <= end]


def labelled(unit: str, days: list[float]) -> list[Tick]:
    """Ticks named as people read them: "22 Jan", "Mar", "2020"; the year under the first and where it changes."""
    ticks, year_shown = [], None
    for day in days:
        date = dt.date.fromordinal(int(day))
        if unit == "year":
            ticks.append(Tick(day, str(date.year), None))
            continue
        label = f"{date.day} {date:%b}" if unit == "day" else f"{date:%b}"
        ticks.append(Tick(day, label, str(date.year) if date.year != year_shown else None))
        year_shown = date.year
    return ticks
