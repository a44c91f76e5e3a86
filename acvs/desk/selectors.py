"""Reads of the counter, in the acting office's scope: requests of other offices are never reachable."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Sum
from django.http import Http404
from django.utils import timezone

from acvs.core.audit import audit_history
from acvs.network import rules
from acvs.network.models import Department, Membership, Office, User
from acvs.offer.models import OfferType

from . import reference
from .models import OPEN_STATUSES, DeskSettings, Theme, VisitorCount, VisitorCountCorrection, VisitorRequest


def requests():
    """The office's requests, ready for lists (related rows joined or prefetched)."""
    return VisitorRequest.objects.select_related("department", "commune", "recorded_by", "assignee").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("position"))
    )


def get_request(pk) -> VisitorRequest:
    """One request of the acting office; 404 when it does not exist or belongs to another office."""
    try:
        return requests().prefetch_related("requested_types", "missing_types").get(pk=pk)
    except (VisitorRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request") from None


@dataclass
class RequestFilter:
    channel: str = ""
    status: str = ""
    overdue: bool = False
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    assignee: User | None = None


def requests_search(criteria: RequestFilter, today: datetime.date | None = None):
    qs = requests()
    if criteria.channel:
        qs = qs.filter(channel=criteria.channel)
    if criteria.status:
        qs = qs.filter(status=criteria.status)
    if criteria.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=today or timezone.localdate())
    if criteria.date_from:
        qs = qs.filter(received_at__date__gte=criteria.date_from)
    if criteria.date_to:
        qs = qs.filter(received_at__date__lte=criteria.date_to)
    if criteria.assignee:
        qs = qs.filter(assignee=criteria.assignee)
    return qs


def overdue_requests(today: datetime.date | None = None):
    """Requests still to answer whose due date is past."""
    today = today or timezone.localdate()
    return (
        VisitorRequest.objects.filter(status__in=OPEN_STATUSES, due_date__lt=today)
        .select_related("assignee")
        .order_by("due_date", "id")
    )


def request_history(visitor_request: VisitorRequest):
    return audit_history(visitor_request)


def office_members(office: Office):
    """Users who may be assigned a request of `office`: its active members."""
    ids = Membership.objects.filter(office=office, is_active=True).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "username")


def desk_settings(office: Office) -> DeskSettings:
    found = DeskSettings.objects.filter(office=office).first()
    return found or DeskSettings(office=office)


RECENT_DAYS = 90
QUICK_DEPARTMENTS = 6
QUICK_COUNTRIES = 6
QUICK_TYPES = 6
# The families at hand on the counter; the others fold under "other families".
MAIN_FAMILIES = ["Accommodation", "FoodEstablishment", "CulturalSite", "NaturalHeritage", "ActivityProvider",
                 "EntertainmentAndEvent", "Tour"]  # fmt: skip
# Precise types offered when the office has not yet recorded enough requests to have its own.
DEFAULT_PRECISE_TYPES = ["Camping", "Guesthouse", "SelfCateringAccommodation", "Hotel", "WalkingTour", "CyclingTour"]


def _recent_requests(office: Office, today: datetime.date | None = None):
    since, _end = today_bounds((today or timezone.localdate()) - datetime.timedelta(days=RECENT_DAYS))
    return VisitorRequest.objects.filter(office=office, received_at__gte=since)


def _most_frequent(values, count: int) -> list:
    return [row["value"] for row in values.annotate(n=Count("pk")).order_by("-n", "value")[:count]]


def _pins_then_frequent(pinned: list, frequent: list, count: int) -> list:
    return list(dict.fromkeys([*pinned, *frequent]))[: max(count, len(pinned))]


def quick_departments(office: Office, settings: DeskSettings | None = None) -> list[Department]:
    """The pinned départements, then the office's most frequent French origins of the last 90 days; with neither,
    the office's département and its neighbours."""
    pinned = (settings or desk_settings(office)).quick_choices.get("departments") or []
    recent = _recent_requests(office).filter(department__isnull=False).values(value=F("department__code"))
    codes = _pins_then_frequent(pinned, _most_frequent(recent, QUICK_DEPARTMENTS), QUICK_DEPARTMENTS)
    codes = codes or [office.department.code, *reference.NEIGHBOURS.get(office.department.code, [])]
    found = {d.code: d for d in Department.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def quick_countries(office: Office, settings: DeskSettings | None = None) -> list[tuple[str, str]]:
    """The pinned countries, then the office's most frequent foreign origins of the last 90 days; with neither, the
    network's most frequent ones."""
    pinned = (settings or desk_settings(office)).quick_choices.get("countries") or []
    recent = _recent_requests(office).exclude(country="").values(value=F("country"))
    codes = _pins_then_frequent(pinned, _most_frequent(recent, QUICK_COUNTRIES), QUICK_COUNTRIES)
    codes = codes or reference.FREQUENT_COUNTRIES[:QUICK_COUNTRIES]
    names = reference.countries()
    return [(code, names[code]) for code in codes if code in names]


def quick_types(office: Office) -> list[OfferType]:
    """The precise (non-family) types the office was asked for most over the last 90 days, completed by the usual
    ones: toggles beside the families."""
    through = VisitorRequest.requested_types.through
    recent = through.objects.filter(visitorrequest__in=_recent_requests(office), offertype__is_family=False).values(
        value=F("offertype__code")
    )
    codes = list(dict.fromkeys([*_most_frequent(recent, QUICK_TYPES), *DEFAULT_PRECISE_TYPES]))[:QUICK_TYPES]
    found = {t.code: t for t in OfferType.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def theme_type_suggestions() -> dict[int, list[int]]:
    """{theme id: [offer type ids]}: what each theme suggests at the counter."""
    types = dict(OfferType.objects.filter(code__in={c for cs in reference.COUNTER_THEME_TYPES.values() for c in cs})
                 .values_list("code", "pk"))  # fmt: skip
    return {
        pk: [types[c] for c in reference.COUNTER_THEME_TYPES.get(code, []) if c in types]
        for code, pk in Theme.objects.values_list("code", "pk")
    }


TODAY_SHOWN = 15


@dataclass(frozen=True)
class Today:
    """The counter's requests of the day: how many, and the latest few (every recording redraws them: in August an
    office records hundreds a day, and drawing them all made each recording slower than the one before)."""

    count: int
    latest: list
    day: datetime.date


def todays_requests(day: datetime.date | None = None) -> Today:
    """The requests recorded at the counter today: their number and the latest `TODAY_SHOWN`, latest first."""
    day = day or timezone.localdate()
    start, end = today_bounds(day)
    qs = requests().filter(channel="counter", received_at__gte=start, received_at__lt=end)
    latest = list(qs[:TODAY_SHOWN])
    return Today(count=len(latest) if len(latest) < TODAY_SHOWN else qs.count(), latest=latest, day=day)


def family_types():
    return OfferType.objects.filter(is_family=True).order_by("position", "label")


def request_page(membership: Membership, visitor_request: VisitorRequest) -> dict:
    """The context of the request page (desk/request_detail.html).

    Desk's view renders it; a section of the page whose form is refused without JavaScript (documentation's
    hand-out) renders the same page with it, so that no app calls another app's view.
    """
    return {
        "visitor_request": visitor_request,
        "history": request_history(visitor_request),
        "can_change": rules.can_change_request(membership, visitor_request),
        "can_delete": rules.can_delete_request(membership, visitor_request),
        "family_types": family_types(),
        "is_overdue": visitor_request.status in OPEN_STATUSES
        and visitor_request.due_date is not None
        and visitor_request.due_date < timezone.localdate(),
    }


def today_bounds(day: datetime.date | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    day = day or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def visitors_on(day: datetime.date | None = None) -> int:
    start, end = today_bounds(day)
    return VisitorCount.objects.filter(hour__gte=start, hour__lt=end).aggregate(total=Sum("count"))["total"] or 0


def count_corrections(day: datetime.date | None = None):
    return VisitorCountCorrection.objects.filter(day=day or timezone.localdate()).select_related("user")
