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
from functools import cache
from pathlib import Path

from django.db.models import Count, Sum
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from acvs.core import charts
from acvs.core.tenancy import all_offices
from acvs.desk import reference
from acvs.desk.models import Channel, Origin, Outcome, Profile, Theme
from acvs.desk.tally import change_label, percent_change
from acvs.documentation.models import Document
from acvs.network.models import Department, Office
from acvs.offer.models import Offer, OfferType, Status

from .models import AreaFigure, Dimension, MonthlyFigure, OfferFigure, unit_figures

SMALL = 5
SUPPRESSED = "< 5"
# The tables under the charts, in this order.
TABLES = [
    Dimension.CHANNEL, Dimension.ORIGIN, Dimension.COUNTRY, Dimension.DEPARTMENT, Dimension.PROFILE, Dimension.PARTY,
    Dimension.LANGUAGE, Dimension.THEME, Dimension.TYPE, Dimension.MISSING, Dimension.OUTCOME, Dimension.STAY,
    Dimension.LEAD, Dimension.BROCHURES,
]  # fmt: skip
# Tables of classes kept in their natural order (not the most frequent first), totalled over their own rows.
CLASSES = {
    Dimension.STAY: {
        "0": gettext_lazy("A day out (no night)"),
        "1": gettext_lazy("1 night"),
        "2-3": gettext_lazy("2 or 3 nights"),
        "4-7": gettext_lazy("4 to 7 nights"),
        "8-14": gettext_lazy("8 to 14 nights"),
        "15+": gettext_lazy("15 nights or more"),
    },
    Dimension.LEAD: {
        "0": gettext_lazy("The same day"),
        "1-7": gettext_lazy("1 to 7 days before"),
        "8-30": gettext_lazy("8 to 30 days before"),
        "31-90": gettext_lazy("31 to 90 days before"),
        "91+": gettext_lazy("More than 90 days before"),
    },
}
TOTALS = {
    Dimension.STAY: gettext_lazy("Requests with dates"),
    Dimension.LEAD: gettext_lazy("Requests with a first day"),
    Dimension.BROCHURES: gettext_lazy("Copies"),
}
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


HIDDEN = "s"  # hidden beside a figure under 5 so that the total does not give it away ("secret statistique")
# Tables whose rows add up to a figure the page publishes (the total, or the origin table's France and abroad):
# one hidden cell could be worked out by subtraction. A request names several themes or types: those do not add up.
ADDITIVE = {
    Dimension.CHANNEL, Dimension.ORIGIN, Dimension.COUNTRY, Dimension.DEPARTMENT, Dimension.PROFILE, Dimension.PARTY,
    Dimension.LANGUAGE, Dimension.OUTCOME, Dimension.STAY, Dimension.LEAD, Dimension.BROCHURES,
}  # fmt: skip


def shown(value: int, suppress: bool, hidden: bool = False) -> int | str:
    """The figure as a reader of a view across offices may see it."""
    if suppress and value < SMALL:
        return SUPPRESSED
    return HIDDEN if hidden else value


def secondary(values: list[int]) -> set[int]:
    """The cells to hide beside those under SMALL in a column whose total is published (secondary suppression): the
    hidden cells are at least two and add up to at least 2 × SMALL − 1, so that the total minus the cells shown
    neither gives a small figure away nor narrows it below "under 5". Smallest cells first."""
    primary = {i for i, value in enumerate(values) if value < SMALL}
    if not primary:
        return set()
    hidden = set(primary)
    others = sorted((i for i in range(len(values)) if i not in primary), key=lambda i: (values[i], i))
    while others and (len(hidden) < 2 or sum(values[i] for i in hidden) < 2 * SMALL - 1):
        hidden.add(others.pop(0))
    return hidden - primary


@dataclass
class TableRow:
    label: str
    now: int
    before: int
    suppress: bool = False
    axis_label: str = ""
    key: str = ""
    hide_now: bool = False  # hidden by secondary suppression
    hide_before: bool = False

    @property
    def now_shown(self):
        return shown(self.now, self.suppress, self.hide_now)

    @property
    def before_shown(self):
        return shown(self.before, self.suppress, self.hide_before)

    @property
    def comparable(self) -> bool:
        if self.hide_now or self.hide_before:
            return False
        return not self.suppress or (self.now >= SMALL and self.before >= SMALL)

    @property
    def change(self) -> str:
        return change_label(self.now, self.before) if self.comparable else ""

    @property
    def percent(self) -> int | None:
        return percent_change(self.now, self.before) if self.comparable else None


@dataclass
class KeyFigure:
    """One of the month's headline figures: a count, or a mean (`mean`, one decimal; None when there is nothing to
    average, or, across offices, fewer than 5 requests to average over)."""

    label: str
    now: float | None
    before: float | None
    suppress: bool
    mean: bool = False

    def _shown(self, value):
        if value is None:
            return "–"
        if self.mean:
            return number_format(value, 1)
        return shown(int(value), self.suppress)

    @property
    def now_shown(self):
        return self._shown(self.now)

    @property
    def before_shown(self):
        return self._shown(self.before)

    @property
    def change(self) -> str:
        if self.now is None or self.before is None:
            return ""
        if not self.mean and self.suppress and min(self.now, self.before) < SMALL:
            return ""
        return change_label(self.now, self.before)


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
    hidden: set = field(default_factory=set)  # the figures' indexes hidden by secondary suppression, 4: before

    def figures(self) -> list[int]:
        return [self.requests, self.visitors, self.abroad, self.unsatisfied, self.requests_before]

    def cells(self) -> list:
        change = TableRow("", self.requests, self.requests_before, self.suppress, hide_now=0 in self.hidden)
        change.hide_before = 4 in self.hidden
        figures = self.figures()[:4]
        return [
            self.label,
            *(shown(v, self.suppress, i in self.hidden) for i, v in enumerate(figures)),
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
    key_figures: list[KeyFigure] = field(default_factory=list)
    origins: dict[str, int] = field(default_factory=dict)  # requests per département of origin, this period
    requests_chart: charts.Chart = field(init=False)
    visitors_chart: charts.Chart = field(init=False)

    def __post_init__(self):
        self.requests_chart = _chart("requests-chart", self.requests, self.period, self.suppress)
        self.visitors_chart = _chart("visitors-chart", self.visitors, self.period, self.suppress)

    def table(self, slug: str) -> Table | None:
        return next((t for t in [self.requests, self.visitors, *self.tables] if t.slug == slug), None)

    def units_export(self) -> tuple[list, list[list]]:
        header = [
            self.units_title,
            _("Requests"),
            _("Visitors"),
            _("From abroad"),
            pgettext("number of requests", "Not satisfied"),
            _("Change (%)"),
        ]
        return header, [unit.cells() for unit in self.units]

    def gaps_export(self) -> tuple[list, list[list]]:
        header = [
            _("Type of offer"),
            _("Asked"),
            pgettext("number of requests", "Missing"),
            _("Missing (%)"),
            _("Published offers"),
        ]
        return header, [gap.cells() for gap in self.gaps]


def _chart(id: str, table: Table, period: Period, suppress: bool) -> charts.Chart:
    """The months as bars (this period) and a line (the year before); suppressed figures are drawn as nothing."""
    now = [0 if suppress and row.now < SMALL or row.hide_now else row.now for row in table.rows]
    before = [0 if suppress and row.before < SMALL or row.hide_before else row.before for row in table.rows]
    title, before_title = period.title(), period.before().title()
    return charts.columns(
        id,
        f"{table.title}, {title}",
        _("Bars: this period; dashed line: %(before)s. The table beside gives every figure.")
        % {"before": before_title},
        [(row.label, row.axis_label) for row in table.rows],
        [charts.Series(title, now), charts.Series(before_title, before, line=True)],
        table_beside=True,
    )


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
    if dimension in CLASSES:
        return CLASSES[dimension]
    if dimension == Dimension.BROCHURES:
        return {str(pk): title for pk, title in Document.objects.values_list("pk", "title")}
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


def office_sums(office: Office, period: Period) -> dict[tuple, int]:
    """{(month, dimension, key): value} of the acting office, this period and the year before."""
    return _sums(MonthlyFigure.objects.filter(office=office), period)


def _unit_sums(queryset, period: Period, group: str) -> dict[tuple, int]:
    """{(group, month, dimension, key): value} of the figures compared unit by unit (UNIT_FIGURES)."""
    rows = _periods(queryset, period).filter(unit_figures())
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
        if suppress:
            _protect(rows)
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
                rows.append(TableRow(str(labels.get(key, key)), now, before, suppress, key=key))
        if dimension in CLASSES:
            order = list(CLASSES[dimension])
            rows.sort(key=lambda r: order.index(r.key) if r.key in order else len(order))
        else:
            rows.sort(key=lambda r: (-r.now, -r.before, r.label))
        if dimension in TOTALS:
            now, before = sum(r.now for r in rows), sum(r.before for r in rows)
            total = TableRow(str(TOTALS[dimension]), now, before, suppress)
        else:
            requests = per[Dimension.REQUESTS, ""]
            total = TableRow(
                _("Requests"),
                sum(v for m, v in requests.items() if m in current),
                sum(v for m, v in requests.items() if m in previous),
                suppress,
            )
        if suppress and dimension in ADDITIVE:
            _protect(rows)
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
        key_figures=_key_figures(per, current, previous, suppress),
    )


def _protect(rows: list[TableRow]) -> None:
    """Secondary suppression of both columns of rows that add up to a published figure."""
    for index in secondary([row.now for row in rows]):
        rows[index].hide_now = True
    for index in secondary([row.before for row in rows]):
        rows[index].hide_before = True


def _key_figures(per, current: set, previous: set, suppress: bool) -> list[KeyFigure]:
    def total(dimension, key, months):
        return sum(v for m, v in per[dimension, key].items() if m in months)

    def dimension_total(dimension, months):
        return sum(
            v for (dim, _key), values in per.items() if dim == dimension for m, v in values.items() if m in months
        )

    def mean(sum_dimension, count_dimension, months):
        count = dimension_total(count_dimension, months)
        if not count or (suppress and count < SMALL):
            return None
        return round(total(sum_dimension, "", months) / count, 1)

    def count(label, dimension, key=""):
        return KeyFigure(label, total(dimension, key, current), total(dimension, key, previous), suppress)

    return [
        count(_("Requests"), Dimension.REQUESTS),
        count(_("Visitors"), Dimension.VISITORS),
        KeyFigure(
            _("Mean stay (nights)"),
            mean(Dimension.NIGHTS, Dimension.STAY, current),
            mean(Dimension.NIGHTS, Dimension.STAY, previous),
            suppress,
            mean=True,
        ),
        KeyFigure(
            _("Mean lead time (days)"),
            mean(Dimension.LEAD_DAYS, Dimension.LEAD, current),
            mean(Dimension.LEAD_DAYS, Dimension.LEAD, previous),
            suppress,
            mean=True,
        ),
        KeyFigure(
            _("Brochures handed out"),
            dimension_total(Dimension.BROCHURES, current),
            dimension_total(Dimension.BROCHURES, previous),
            suppress,
        ),
        count(_("Stay booklets made"), Dimension.BOOKLETS, "made"),
        count(_("Stay booklets opened"), Dimension.BOOKLETS, "opened"),
    ]


def office_dashboard(office: Office, period: Period) -> Dashboard:
    """The acting office's own figures (read in its scope), exact: nothing to suppress within one office."""
    sums = _sums(MonthlyFigure.objects.filter(office=office), period)
    dashboard = _build(str(office), period, sums, suppress=False)
    offer_demand_fit(dashboard, sums, {"commune__offices": office})
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
    # Each column adds up to the area's figure, published above: hide beside the small ones.
    for column in range(5):
        for index in secondary([unit.figures()[column] for unit in units]):
            units[index].hidden.add(column)
    return sorted(units, key=lambda u: (-u.requests, u.label))


def department_dashboard(department: Department, period: Period) -> Dashboard:
    """The département's offices summed and side by side (cross-office: small figures suppressed)."""
    offices = dict(Office.objects.filter(department=department).order_by("name").values_list("pk", "name"))
    sums = _sums(AreaFigure.objects.filter(department=department), period)
    with all_offices("statistics"):
        unit_sums = _unit_sums(MonthlyFigure.objects.filter(office__in=list(offices)), period, "office_id")
    dashboard = _build(str(department), period, sums, suppress=True)
    dashboard.units, dashboard.units_title = _units(period, unit_sums, offices), _("Office")
    offer_demand_fit(dashboard, sums, OfferFigure.objects.filter(department=department))
    return dashboard


def network_dashboard(period: Period) -> Dashboard:
    """Every office summed, the départements side by side (cross-office: small figures suppressed)."""
    sums = _sums(AreaFigure.objects.filter(department=None), period)
    unit_sums = _unit_sums(AreaFigure.objects.filter(department__isnull=False), period, "department_id")
    present = {group for group, *_rest in unit_sums}
    departments = {d.pk: str(d) for d in Department.objects.filter(pk__in=present)}
    dashboard = _build(_("The network"), period, sums, suppress=True)
    dashboard.units, dashboard.units_title = _units(period, unit_sums, departments), _("Département")
    offer_demand_fit(dashboard, sums, OfferFigure.objects.all())
    return dashboard


def fit_demand(period: Period, sums: dict[tuple, int]) -> tuple[dict[str, int], dict[str, int]]:
    """The requests asking for each type in the period, and those naming it as missing: ({code: n}, {code: n})."""
    current = set(period.months())
    asked, missing = defaultdict(int), defaultdict(int)
    for (month, dimension, key), value in sums.items():
        if month in current and dimension == Dimension.TYPE:
            asked[key] += value
        elif month in current and dimension == Dimension.MISSING:
            missing[key] += value
    return asked, missing


def published_counts(territory: dict, codes: set[str]):
    """(code, published offers of that type or a sub-type) in the territory (`territory`: lookups on the offers).

    One join from the type links to their offers, filtered on both: a semi-join (`offer__in=…`) let PostgreSQL read
    every link of the asked types in the network (400,000 at 512,000 offers) to keep a département's few thousand
    (2.7 s instead of 0.15 s, docs/performance-observatory.md)."""
    on_offers = {f"offer__{lookup}": value for lookup, value in territory.items()}
    links = Offer.types.through.objects.filter(offer__status=Status.PUBLISHED, **on_offers)
    return (
        links.filter(offertype__ancestors__code__in=codes)
        .values_list("offertype__ancestors__code")
        .annotate(n=Count("offer", distinct=True))
        .order_by()
    )


def published_figures(figures, codes: set[str]):
    """(code, published offers of that type or a sub-type) summed over the départements of `figures` (OfferFigure
    rows kept by the worker): a département's or the network's offers are never counted on a page."""
    return figures.filter(type__in=codes).values_list("type").annotate(n=Sum("value")).order_by()


def offer_demand_fit(dashboard: Dashboard, sums: dict[tuple, int], territory) -> None:
    """The types asked or missing in the period beside the published offers of that type (sub-types included) in
    the territory, the most often missing first. `territory`: the OfferFigure rows of a département or of the
    network, or lookups on the offers (an office's communes, counted live: a few hundred offers)."""
    asked, missing = fit_demand(dashboard.period, sums)
    codes = set(asked) | set(missing)
    if isinstance(territory, dict):
        counts = dict(published_counts(territory, codes))
    else:
        counts = dict(published_figures(territory, codes))
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


def _hidden_origins(dashboard: Dashboard) -> set[str]:
    """The départements of origin the table hides by secondary suppression: the map hides them too."""
    table = dashboard.table(Dimension.DEPARTMENT)
    return {row.key for row in table.rows if row.hide_now} if table else set()


def origin_map(dashboard: Dashboard) -> OriginMap:
    """Metropolitan départements shaded by the requests coming from them, in five classes of equal numbers of
    départements; a suppressed figure is drawn as nothing."""
    outlines = _outlines()
    hidden = _hidden_origins(dashboard)
    values = {code: n for code, n in dashboard.origins.items() if n and shown(n, dashboard.suppress) == n}
    values = {code: n for code, n in values.items() if code not in hidden}
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
        areas.append(
            MapArea(f"{outline['name']} ({code})", outline["d"], fill, shown(raw, dashboard.suppress, code in hidden))
        )
    legend = [
        (SHADES[shade], f"{min(found)} – {max(found)}" if min(found) != max(found) else str(min(found)))
        for shade, found in sorted(classes.items())
    ]
    nothing = _("None, fewer than 5 or hidden (s)") if dashboard.suppress else _("None")
    return OriginMap(outlines["width"], outlines["height"], areas, [*legend, (NO_DATA, nothing)])
