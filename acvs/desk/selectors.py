"""Reads of the counter, in the acting office's scope: requests of other offices are never reachable."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Sum
from django.http import Http404
from django.utils import timezone

from acvs.core.audit import audit_history
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


def quick_departments(office: Office, settings: DeskSettings | None = None) -> list[Department]:
    """The office's département and its neighbours (or the pinned ones), for one-tap origins."""
    pinned = (settings or desk_settings(office)).quick_choices.get("departments")
    codes = pinned or [office.department.code, *reference.NEIGHBOURS.get(office.department.code, [])]
    found = {d.code: d for d in Department.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def quick_countries(office: Office, settings: DeskSettings | None = None) -> list[tuple[str, str]]:
    pinned = (settings or desk_settings(office)).quick_choices.get("countries")
    names = reference.countries()
    return [(code, names[code]) for code in (pinned or reference.FREQUENT_COUNTRIES) if code in names]


def family_types():
    return OfferType.objects.filter(is_family=True).order_by("position", "label")


def today_bounds(day: datetime.date | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    day = day or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def visitors_on(day: datetime.date | None = None) -> int:
    start, end = today_bounds(day)
    return VisitorCount.objects.filter(hour__gte=start, hour__lt=end).aggregate(total=Sum("count"))["total"] or 0


def count_corrections(day: datetime.date | None = None):
    return VisitorCountCorrection.objects.filter(day=day or timezone.localdate()).select_related("user")
