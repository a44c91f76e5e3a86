"""The visitor tally: the office's hourly counts summed per hour, day, week or month, beside the same period a year
before, and the geometry of its chart (drawn as SVG by a template: no style attribute, no script)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acvs.core import charts, french

from .models import VisitorCount


class Unit(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


UNIT_LABELS = {
    Unit.HOUR: gettext_lazy("Per hour"),
    Unit.DAY: gettext_lazy("Per day"),
    Unit.WEEK: gettext_lazy("Per week"),
    Unit.MONTH: gettext_lazy("Per month"),
}


def year_before(day: datetime.date) -> datetime.date:
    """The same date a year before (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """The days a tally covers, [start, end), and how its buckets are keyed."""

    unit: Unit
    start: datetime.date
    end: datetime.date

    @classmethod
    def around(cls, unit: Unit, anchor: datetime.date) -> "Period":
        """The day (per hour), the month (per day), the ISO year (per week) or the year (per month) of `anchor`."""
        if unit == Unit.HOUR:
            return cls(unit, anchor, anchor + datetime.timedelta(days=1))
        if unit == Unit.DAY:
            first = anchor.replace(day=1)
            return cls(unit, first, _add_months(first, 1))
        if unit == Unit.WEEK:
            year = anchor.isocalendar().year
            return cls(unit, datetime.date.fromisocalendar(year, 1, 1), datetime.date.fromisocalendar(year + 1, 1, 1))
        return cls(unit, datetime.date(anchor.year, 1, 1), datetime.date(anchor.year + 1, 1, 1))

    def before(self) -> "Period":
        """The same period a year before (per week: the same ISO week numbers of the year before)."""
        if self.unit == Unit.WEEK:
            return Period.around(self.unit, self.start.replace(year=self.start.year - 1) + datetime.timedelta(days=10))
        return Period.around(self.unit, year_before(self.start))

    def previous(self) -> datetime.date:
        """An anchor of the period just before (for the "previous" link)."""
        return self.start - datetime.timedelta(days=1)

    def next(self) -> datetime.date:
        return self.end

    def key(self, moment: datetime.datetime) -> int:
        """The bucket of a local time: its hour, day of the month, ISO week or month."""
        if self.unit == Unit.HOUR:
            return moment.hour
        if self.unit == Unit.DAY:
            return moment.day
        if self.unit == Unit.WEEK:
            return moment.isocalendar().week
        return moment.month

    def buckets(self) -> list[tuple[int, datetime.date | None]]:
        """Every bucket of the period in order, with its first day (None per hour)."""
        if self.unit == Unit.HOUR:
            return [(hour, None) for hour in range(24)]
        if self.unit == Unit.DAY:
            days = (self.end - self.start).days
            return [(n + 1, self.start + datetime.timedelta(days=n)) for n in range(days)]
        if self.unit == Unit.WEEK:
            weeks = (self.end - self.start).days // 7
            return [(n + 1, self.start + datetime.timedelta(weeks=n)) for n in range(weeks)]
        return [(month, datetime.date(self.start.year, month, 1)) for month in range(1, 13)]

    def title(self) -> str:
        if self.unit == Unit.HOUR:
            return french.day(self.start, "l j F Y")
        if self.unit == Unit.DAY:
            return date_format(self.start, "F Y")
        if self.unit == Unit.WEEK:
            return _("weeks of %(year)s") % {"year": self.start.isocalendar().year}
        return str(self.start.year)


@dataclass
class Row:
    key: int
    label: str
    axis_label: str
    count: int
    count_before: int

    @property
    def change(self) -> str:
        return change_label(self.count, self.count_before)

    @property
    def percent(self) -> int | None:
        return percent_change(self.count, self.count_before)


@dataclass
class Tally:
    period: Period
    period_before: Period
    rows: list[Row]
    total: int
    total_before: int
    chart: charts.Chart = field(init=False)

    def __post_init__(self):
        period, before = self.period.title(), self.period_before.title()
        self.chart = charts.columns(
            "tally",
            _("Visitors, %(period)s, compared with %(before)s") % {"period": period, "before": before},
            _("%(total)s visitors, %(before)s a year before. The table beside gives every figure.")
            % {"total": number_format(self.total), "before": number_format(self.total_before)},
            [(row.label, row.axis_label) for row in self.rows],
            [
                charts.Series(period, [row.count for row in self.rows]),
                charts.Series(before, [row.count_before for row in self.rows], line=True),
            ],
            table_beside=True,
        )

    @property
    def change(self) -> str:
        return change_label(self.total, self.total_before)

    @property
    def percent(self) -> int | None:
        return percent_change(self.total, self.total_before)


def percent_change(now: int, before: int) -> int | None:
    """The change in whole percents, None when there is nothing to compare with."""
    return round((now - before) * 100 / before) if before else None


def change_label(now: int, before: int) -> str:
    """The change as read: "+12 %", "−5 %", "=" or "" (nothing to compare with)."""
    percent = percent_change(now, before)
    if percent is None:
        return ""
    if percent == 0:
        return "="
    sign = "+" if percent > 0 else "−"
    return _("%(sign)s%(percent)s %%") % {"sign": sign, "percent": number_format(abs(percent))}


def _sums(period: Period) -> dict[int, int]:
    """The office's counts of the period per bucket, read in the acting office's scope (hours in local time)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, zone)
    end = datetime.datetime.combine(period.end, datetime.time.min, zone)
    sums = defaultdict(int)
    for hour, count in VisitorCount.objects.filter(hour__gte=start, hour__lt=end).values_list("hour", "count"):
        sums[period.key(timezone.localtime(hour, zone))] += count
    return sums


def _labels(period: Period, key: int, first: datetime.date | None) -> tuple[str, str]:
    """The label of a bucket in the table, and its short form under the chart."""
    if period.unit == Unit.HOUR:
        label = _("%(hour)s:00") % {"hour": key}
        return label, str(key)
    if period.unit == Unit.DAY:
        return french.day(first, "short"), str(key)
    if period.unit == Unit.WEEK:
        label = _("Week %(number)s (from %(monday)s)") % {"number": key, "monday": french.day(first, "day_month")}
        return label, str(key)
    return date_format(first, "F"), date_format(first, "N")


def visitor_tally(unit: Unit, anchor: datetime.date) -> Tally:
    period = Period.around(unit, anchor)
    before = period.before()
    sums, sums_before = _sums(period), _sums(before)
    rows = []
    for key, first in period.buckets():
        label, axis_label = _labels(period, key, first)
        rows.append(Row(key, label, axis_label, sums.get(key, 0), sums_before.get(key, 0)))
    if unit == Unit.HOUR:
        # The hours the office was open (with visitors this year or the year before), not the whole night.
        busy = [row.key for row in rows if row.count or row.count_before] or [9, 18]
        rows = rows[min(busy) : max(busy) + 1]
    return Tally(period, before, rows, sum(sums.values()), sum(sums_before.values()))
