"""Reads of the availability calendar. Everyone in the network reads every offer's availability."""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from acvs.offer.models import Offer, OfferType, OpeningPeriod

from .models import AVAILABLE_STATES, AvailabilityChange, AvailabilityNight, State

ACCOMMODATION = "Accommodation"
UNKNOWN = "unknown"
# Longer stays than this (the search's longest) are checked against whole opening periods, not night by night.
MAX_NIGHTS_CHECKED = 60


def is_accommodation(offer: Offer) -> bool:
    """True when one of the offer's types descends from the DATAtourisme family Accommodation."""
    return OfferType.objects.filter(offers=offer, ancestors__code=ACCOMMODATION).exists()


def stale_before() -> datetime.datetime:
    """Availabilities confirmed before this moment are treated as unknown."""
    return timezone.now() - datetime.timedelta(days=settings.ACVS_AVAILABILITY_STALE_DAYS)


@dataclass(frozen=True)
class Day:
    date: datetime.date
    in_month: bool
    state: str = UNKNOWN
    units_free: int | None = None
    updated_at: datetime.datetime | None = None
    updated_by: object = None
    stale: bool = False
    out_of_season: bool = False  # outside every opening period: closed whatever a stored night says


@dataclass(frozen=True)
class Month:
    first: datetime.date
    weeks: list[list[Day]]


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(first: datetime.date, n: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def calendar_month(offer: Offer, first: datetime.date) -> Month:
    """The weeks (Monday first) of the month starting at `first`; stale or missing nights are "unknown"."""
    return calendar_months(offer, first, 1)[0]


def calendar_months(offer: Offer, first: datetime.date, count: int) -> list[Month]:
    first = month_start(first)
    last = add_months(first, count) - datetime.timedelta(days=1)
    rows = {
        row.night: row
        for row in AvailabilityNight.objects.filter(offer=offer, night__gte=first, night__lte=last).select_related(
            "updated_by"
        )
    }
    limit = stale_before()
    seasons = opening_seasons(offer)
    months = []
    for i in range(count):
        start = add_months(first, i)
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(start.year, start.month):
            days = []
            for date in week:
                in_month = date.month == start.month
                row = rows.get(date) if in_month else None
                if in_month and not in_season(seasons, date):
                    days.append(Day(date, True, State.CLOSED, out_of_season=True))
                elif row is None:
                    days.append(Day(date=date, in_month=in_month))
                elif row.updated_at < limit:
                    days.append(Day(date, True, UNKNOWN, None, row.updated_at, row.updated_by, stale=True))
                else:
                    days.append(Day(date, True, row.state, row.units_free, row.updated_at, row.updated_by))
            weeks.append(days)
        months.append(Month(first=start, weeks=weeks))
    return months


def opening_seasons(offer: Offer) -> list[tuple[datetime.date, datetime.date]]:
    """The date ranges of the offer's opening periods; empty when it has none (open all year as far as we know)."""
    return list(OpeningPeriod.objects.filter(offer=offer).values_list("start_date", "end_date"))


def in_season(seasons: list[tuple[datetime.date, datetime.date]], night: datetime.date) -> bool:
    """An accommodation is open on a night its opening periods cover, or every night when it declares none. The
    periods' weekdays are its reception days, not the nights it lets: the date range alone decides."""
    return not seasons or any(start <= night <= end for start, end in seasons)


def open_every_night(arrival: datetime.date, departure: datetime.date) -> Q:
    """Offers open (by their opening periods, see `in_season`) on every night from `arrival` to `departure`."""
    periods = OpeningPeriod.objects.filter(offer_id=OuterRef("pk"))
    nights = (departure - arrival).days
    if nights > MAX_NIGHTS_CHECKED:  # one probe per night would make the statement too large: one period spans it
        last = departure - datetime.timedelta(days=1)
        return ~Q(Exists(periods)) | Q(Exists(periods.filter(start_date__lte=arrival, end_date__gte=last)))
    covered = Q()
    for n in range(nights):
        night = arrival + datetime.timedelta(days=n)
        covered &= Q(Exists(periods.filter(start_date__lte=night, end_date__gte=night)))
    return ~Q(Exists(periods)) | covered


def last_update(offer: Offer) -> AvailabilityNight | None:
    """The most recently confirmed night of the offer (when and by whom the calendar was last updated)."""
    return AvailabilityNight.objects.filter(offer=offer).select_related("updated_by").order_by("-updated_at").first()


def recent_changes(offer: Offer) -> QuerySet[AvailabilityChange]:
    return AvailabilityChange.objects.filter(offer=offer).select_related("user", "office").order_by("-at", "-pk")


def filter_available(qs: QuerySet[Offer], arrival: datetime.date, departure: datetime.date) -> QuerySet[Offer]:
    """Offers bookable (free or few left, confirmed recently, within their opening periods) for every night from
    `arrival` to `departure`: a night stored as free outside the season (an import, a mistake) is not bookable.

    One EXISTS per night, each probing the unique (offer, night) index: PostgreSQL estimates each of them well,
    so the other criteria (area, type, text) narrow the offers first; a COUNT over the stay's nights was
    misestimated by orders of magnitude and made it probe tens of thousands of offers.
    """
    nights = (departure - arrival).days
    if nights <= 0:
        return qs.none()
    cutoff = stale_before()
    for n in range(nights):
        qs = qs.filter(
            Exists(
                AvailabilityNight.objects.filter(
                    offer_id=OuterRef("pk"),
                    night=arrival + datetime.timedelta(days=n),
                    state__in=AVAILABLE_STATES,
                    updated_at__gte=cutoff,
                )
            )
        )
    return qs.filter(open_every_night(arrival, departure))
