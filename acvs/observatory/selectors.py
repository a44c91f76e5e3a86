"""Reads of the observatory: dashboards built from the monthly rollups, never from the raw requests.

An office's dashboard reads its own figures in its scope. A département's and the network's read the areas' figures
(summed by the worker) and compare offices through the declared cross-office read "statistics"; both apply small-cell
suppression: a figure under `SMALL` is shown as "< 5", so that no visitor can be singled out.
"""

import datetime
import json
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, reduce
from operator import or_
from pathlib import Path

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acvs.core.tenancy import all_offices
from acvs.desk import reference
from acvs.desk.models import Channel, Origin, Outcome, Profile, Theme
from acvs.desk.tally import Chart, Row, change_label, percent_change
from acvs.network.models import Department, Office
from acvs.offer.models import Offer, OfferType, Status

from .models import AreaFigure, Dimension, MonthlyFigure

SMALL = 5
SUPPRESSED = "< 5"
# The tables under the charts, in this order.
TABLES = [
    Dimension.CHANNEL, Dimension.ORIGIN, Dimension.COUNTRY, Dimension.DEPARTMENT, Dimension.PROFILE, Dimension.PARTY,
    Dimension.LANGUAGE, Dimension.THEME, Dimension.TYPE, Dimension.MISSING, Dimension.OUTCOME,
]  # fmt: skip
PARTY = {
    "1": gettext_lazy("1 person"),
    "2": gettext_lazy("2 people"),
    "3-4": gettext_lazy("3 or 4 people"),
    "5+": gettext_lazy("5 people or more"),
    "group": gettext_lazy("Group"),
}


def add_months(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months, from `first` to `last` included (both first days of their month)."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def ending(cls, month: datetime.date, months: int = 12) -> "Period":
        last = month.replace(day=1)
        return cls(add_months(last, 1 - months), last)

    def months(self) -> list[datetime.date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        return [add_months(self.first, n) for n in range(count)]

    def before(self) -> "Period":
        return Period(add_months(self.first, -12), add_months(self.last, -12))

    def title(self) -> str:
        first, last = date_format(self.first, "F Y"), date_format(self.last, "F Y")
        return first if first == last else _("%(first)s to %(last)s") % {"first": first, "last": last}


def shown(value: int, suppress: bool) -> int | str:
    """The figure as a reader of a view across offices may see it."""
    return SUPPRESSED if suppress and value < SMALL else value


@dataclass
class TableRow:
    label: str
    now: int
    before: int
    suppress: bool = False
    axis_label: str = ""

    @property
    def now_shown(self):
        return shown(self.now, self.suppress)

    @property
    def before_shown(self):
        return shown(self.before, self.suppress)

    @property
    def comparable(self) -> bool:
        return not self.suppress or (self.now >= SMALL and self.before >= SMALL)

    @property
    def change(self) -> str:
        return change_label(self.now, self.before) if self.comparable else ""

    @property
    def percent(self) -> int | None:
        return percent_change(self.now, self.before) if self.comparable else None


@dataclass
class Table:
    slug: str
    title: str
    rows: list[TableRow]
    total: TableRow

    def export(self, period: Period) -> tuple[list, list[list]]:
        header = [self.title, period.title(), period.before().title(), _("Change (%)")]
        rows = [[r.label, r.now_shown, r.before_shown, "" if r.percent is None else r.percent] for r in self.rows]
        total = self.total
        rows.append([_("Total"), total.now_shown, total.before_shown, "" if total.percent is None else total.percent])
        return header, rows


@dataclass
class Unit:
    """One office (in a département's view) or one département (in the network's), beside the others."""

    label: str
    requests: int
    requests_before: int
    visitors: int
    abroad: int
    unsatisfied: int
    suppress: bool = True

    def cells(self) -> list:
        change = TableRow("", self.requests, self.requests_before, self.suppress)
        figures = [self.requests, self.visitors, self.abroad, self.unsatisfied]
        return [
            self.label,
            *(shown(v, self.suppress) for v in figures),
            "" if change.percent is None else change.percent,
        ]


@dataclass
class Gap:
    """One type of offer: how often it was asked, how often it was missing, and what the territory offers of it."""

    label: str
    asked: int
    missing: int
    offers: int
    suppress: bool

    @property
    def share(self) -> int | None:
        """The percentage of requests naming the type as missing, when both figures can be shown."""
        if not self.asked or (self.suppress and min(self.asked, self.missing) < SMALL):
            return None
        return round(self.missing * 100 / self.asked)

    def cells(self) -> list:
        share = "" if self.share is None else self.share
        return [self.label, shown(self.asked, self.suppress), shown(self.missing, self.suppress), share, self.offers]


@dataclass
class Dashboard:
    title: str
    period: Period
    suppress: bool
    requests: Table  # per month
    visitors: Table
    tables: list[Table]
    units: list[Unit] = field(default_factory=list)
    units_title: str = ""
    gaps: list[Gap] = field(default_factory=list)
    origins: dict[str, int] = field(default_factory=dict)  # requests per département of origin, this period
    requests_chart: Chart = field(init=False)
    visitors_chart: Chart = field(init=False)

    def __post_init__(self):
        self.requests_chart = _chart(self.requests, self.suppress)
        self.visitors_chart = _chart(self.visitors, self.suppress)

    def table(self, slug: str) -> Table | None:
        return next((t for t in [self.requests, self.visitors, *self.tables] if t.slug == slug), None)

    def units_export(self) -> tuple[list, list[list]]:
        header = [self.units_title, _("Requests"), _("Visitors"), _("From abroad"), _("Not satisfied"), _("Change (%)")]
        return header, [unit.cells() for unit in self.units]

    def gaps_export(self) -> tuple[list, list[list]]:
        header = [_("Type of offer"), _("Asked"), _("Missing"), _("Missing (%)"), _("Published offers")]
        return header, [gap.cells() for gap in self.gaps]


def _chart(table: Table, suppress: bool) -> Chart:
    """The months as bars (this period) and a line (the year before); suppressed figures are drawn as nothing."""
    rows = []
    for n, row in enumerate(table.rows):
        now = 0 if suppress and row.now < SMALL else row.now
        before = 0 if suppress and row.before < SMALL else row.before
        rows.append(Row(n, row.label, row.axis_label, now, before))
    return Chart.of(rows)


def _labels(dimension: str) -> dict[str, str]:
    if dimension == Dimension.CHANNEL:
        return dict(Channel.choices)
    if dimension == Dimension.ORIGIN:
        return dict(Origin.choices)
    if dimension == Dimension.PROFILE:
        return {"": _("Not given"), **dict(Profile.choices)}
    if dimension == Dimension.OUTCOME:
        return dict(Outcome.choices)
    if dimension == Dimension.PARTY:
        return PARTY
    if dimension == Dimension.COUNTRY:
        return reference.countries()
    if dimension == Dimension.LANGUAGE:
        return reference.languages()
    if dimension == Dimension.DEPARTMENT:
        return {d.code: str(d) for d in Department.objects.all()}
    if dimension == Dimension.THEME:
        return {t.code: str(t) for t in Theme.objects.all()}
    return dict(OfferType.objects.values_list("code", "label"))


def _periods(queryset, period: Period):
    """The rows of the period and of the year before (not the months between)."""
    before = period.before()
    return queryset.filter(month__gte=before.first, month__lte=period.last).exclude(
        month__gt=before.last, month__lt=period.first
    )


def _sums(queryset, period: Period) -> dict[tuple, int]:
    """{(month, dimension, key): value} summed over the offices of `queryset`, this period and the year before."""
    rows = _periods(queryset, period).values_list("month", "dimension", "key").annotate(total=Sum("value"))
    return {(month, dimension, key): total for month, dimension, key, total in rows.order_by()}


# The figures compared office by office (or département by département).
UNIT_FIGURES = [
    (Dimension.REQUESTS, ""), (Dimension.VISITORS, ""),
    (Dimension.ORIGIN, Origin.ABROAD), (Dimension.OUTCOME, Outcome.NOT),
]  # fmt: skip


def _unit_sums(queryset, period: Period, group: str) -> dict[tuple, int]:
    """{(group, month, dimension, key): value} of the figures compared unit by unit."""
    wanted = reduce(or_, (Q(dimension=dimension, key=key) for dimension, key in UNIT_FIGURES))
    rows = _periods(queryset, period).filter(wanted)
    rows = rows.values_list(group, "month", "dimension", "key").annotate(total=Sum("value"))
    return {(g, month, dim, key): total for g, month, dim, key, total in rows.order_by()}


def _build(title: str, period: Period, sums: dict[tuple, int], suppress: bool) -> Dashboard:
    months = period.months()
    before_of = {month: add_months(month, -12) for month in months}
    per = defaultdict(lambda: defaultdict(int))  # (dimension, key) -> month -> value, summed over the groups
    for (month, dimension, key), value in sums.items():
        per[dimension, key][month] += value

    def monthly(dimension: str, slug: str, title: str) -> Table:
        values = per[dimension, ""]
        rows = []
        for month in months:
            label, axis = date_format(month, "F Y"), date_format(month, "N")
            rows.append(TableRow(label, values[month], values[before_of[month]], suppress, axis))
        total = TableRow(_("Total"), sum(r.now for r in rows), sum(r.before for r in rows), suppress)
        return Table(slug, title, rows, total)

    tables = []
    current, previous = set(months), set(before_of.values())
    for dimension in TABLES:
        labels = _labels(dimension)
        rows = []
        for (dim, key), values in per.items():
            if dim != dimension:
                continue
            now = sum(v for m, v in values.items() if m in current)
            before = sum(v for m, v in values.items() if m in previous)
            if now or before:
                rows.append(TableRow(str(labels.get(key, key)), now, before, suppress))
        rows.sort(key=lambda r: (-r.now, -r.before, r.label))
        requests = per[Dimension.REQUESTS, ""]
        total = TableRow(
            _("Requests"),
            sum(v for m, v in requests.items() if m in current),
            sum(v for m, v in requests.items() if m in previous),
            suppress,
        )
        tables.append(Table(dimension, str(Dimension(dimension).label), rows, total))
    origins = {
        key: sum(v for m, v in values.items() if m in current)
        for (dimension, key), values in per.items()
        if dimension == Dimension.DEPARTMENT
    }
    return Dashboard(
        title,
        period,
        suppress,
        monthly(Dimension.REQUESTS, "requests", _("Requests per month")),
        monthly(Dimension.VISITORS, "visitors", _("Visitors per month")),
        tables,
        origins=origins,
    )


def office_dashboard(office: Office, period: Period) -> Dashboard:
    """The acting office's own figures (read in its scope), exact: nothing to suppress within one office."""
    sums = _sums(MonthlyFigure.objects.filter(office=office), period)
    dashboard = _build(str(office), period, sums, suppress=False)
    offer_demand_fit(dashboard, sums, Q(commune__offices=office))
    return dashboard


def _units(period: Period, sums: dict[tuple, int], labels: dict) -> list[Unit]:
    current = set(period.months())
    previous = set(period.before().months())
    figures = defaultdict(lambda: defaultdict(int))
    for (group, month, dimension, key), value in sums.items():
        if month in current:
            if dimension in (Dimension.REQUESTS, Dimension.VISITORS):
                figures[group][dimension] += value
            elif (dimension, key) == (Dimension.ORIGIN, Origin.ABROAD):
                figures[group]["abroad"] += value
            elif (dimension, key) == (Dimension.OUTCOME, Outcome.NOT):
                figures[group]["unsatisfied"] += value
        elif month in previous and dimension == Dimension.REQUESTS:
            figures[group]["before"] += value
    units = [
        Unit(
            label,
            figures[pk][Dimension.REQUESTS],
            figures[pk]["before"],
            figures[pk][Dimension.VISITORS],
            figures[pk]["abroad"],
            figures[pk]["unsatisfied"],
        )
        for pk, label in labels.items()
    ]
    return sorted(units, key=lambda u: (-u.requests, u.label))


def department_dashboard(department: Department, period: Period) -> Dashboard:
    """The département's offices summed and side by side (cross-office: small figures suppressed)."""
    offices = dict(Office.objects.filter(department=department).order_by("name").values_list("pk", "name"))
    sums = _sums(AreaFigure.objects.filter(department=department), period)
    with all_offices("statistics"):
        unit_sums = _unit_sums(MonthlyFigure.objects.filter(office__in=list(offices)), period, "office_id")
    dashboard = _build(str(department), period, sums, suppress=True)
    dashboard.units, dashboard.units_title = _units(period, unit_sums, offices), _("Office")
    offer_demand_fit(dashboard, sums, Q(commune__department=department))
    return dashboard


def network_dashboard(period: Period) -> Dashboard:
    """Every office summed, the départements side by side (cross-office: small figures suppressed)."""
    sums = _sums(AreaFigure.objects.filter(department=None), period)
    unit_sums = _unit_sums(AreaFigure.objects.filter(department__isnull=False), period, "department_id")
    present = {group for group, *_rest in unit_sums}
    departments = {d.pk: str(d) for d in Department.objects.filter(pk__in=present)}
    dashboard = _build(_("The network"), period, sums, suppress=True)
    dashboard.units, dashboard.units_title = _units(period, unit_sums, departments), _("Département")
    offer_demand_fit(dashboard, sums, Q())
    return dashboard


def offer_demand_fit(dashboard: Dashboard, sums: dict[tuple, int], offers: Q) -> None:
    """The types asked or missing in the period beside the published offers of that type (sub-types included) in
    the territory (`offers`: a filter on the offers), the most often missing first."""
    current = set(dashboard.period.months())
    asked, missing = defaultdict(int), defaultdict(int)
    for (month, dimension, key), value in sums.items():
        if month in current and dimension == Dimension.TYPE:
            asked[key] += value
        elif month in current and dimension == Dimension.MISSING:
            missing[key] += value
    codes = set(asked) | set(missing)
    links = Offer.types.through.objects.filter(offer__in=Offer.objects.filter(offers, status=Status.PUBLISHED))
    counts = dict(
        links.filter(offertype__ancestors__code__in=codes)
        .values_list("offertype__ancestors__code")
        .annotate(n=Count("offer", distinct=True))
        .order_by()
    )
    labels = dict(OfferType.objects.filter(code__in=codes).values_list("code", "label"))
    gaps = [
        Gap(labels.get(code, code), asked[code], missing[code], counts.get(code, 0), dashboard.suppress)
        for code in codes
    ]
    dashboard.gaps = sorted(gaps, key=lambda g: (-g.missing, -(g.share or 0), -g.asked, g.label))


# The map of origins -----------------------------------------------------------------------------------------------

# ColorBrewer's sequential blues, light to dark (told apart by colour-blind readers); grey: nothing to show.
SHADES = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#e5e7eb"


@cache
def _outlines() -> dict:
    """The départements' outlines as SVG paths (built by bin/build-observatory-map from IGN Admin Express)."""
    return json.loads((Path(__file__).parent / "data" / "departements.json").read_text(encoding="utf-8"))


@dataclass
class MapArea:
    name: str
    d: str
    fill: str
    shown: int | str


@dataclass
class OriginMap:
    width: int
    height: int
    areas: list[MapArea]
    legend: list[tuple[str, str]]


def origin_map(dashboard: Dashboard) -> OriginMap:
    """Metropolitan départements shaded by the requests coming from them, in five classes of equal numbers of
    départements; a suppressed figure is drawn as nothing."""
    outlines = _outlines()
    values = {code: n for code, n in dashboard.origins.items() if n and shown(n, dashboard.suppress) == n}
    ranked = sorted(values.values())
    breaks = [ranked[len(ranked) * i // len(SHADES)] for i in range(1, len(SHADES))] if ranked else []
    classes = defaultdict(list)
    areas = []
    for code, outline in outlines["departements"].items():
        value = values.get(code)
        fill = NO_DATA
        if value:
            shade = min(bisect_right(breaks, value), len(SHADES) - 1)
            classes[shade].append(value)
            fill = SHADES[shade]
        raw = dashboard.origins.get(code, 0)
        areas.append(MapArea(f"{outline['name']} ({code})", outline["d"], fill, shown(raw, dashboard.suppress)))
    legend = [
        (SHADES[shade], f"{min(found)} – {max(found)}" if min(found) != max(found) else str(min(found)))
        for shade, found in sorted(classes.items())
    ]
    nothing = _("None or fewer than 5") if dashboard.suppress else _("None")
    return OriginMap(outlines["width"], outlines["height"], areas, [*legend, (NO_DATA, nothing)])
