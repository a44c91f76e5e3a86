"""Writes of the agenda: event schedules and the occurrences they give. Rights follow the offer's ownership."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from acvs.core import bulk
from acvs.core.audit import audit_record
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Membership
from acvs.offer.models import Offer

from .models import EventOccurrence, EventSchedule
from .selectors import is_event

SCHEDULE_FIELDS = ("start_date", "end_date", "weekdays", "start_time", "end_time", "note")


def materialise(schedules: Iterable[EventSchedule]) -> int:
    """(Re)build the occurrences of `schedules` from their dates; returns how many rows were written."""
    schedules = list(schedules)
    old = EventOccurrence.objects.filter(schedule__in=[s.pk for s in schedules])
    # The places left of a date the schedule still has are kept.
    places = {
        (schedule_id, day): (left, at)
        for schedule_id, day, left, at in old.filter(places_updated_at__isnull=False).values_list(
            "schedule_id", "date", "places_left", "places_updated_at"
        )
    }
    old.delete()
    rows = []
    for s in schedules:
        for day in s.dates():
            left, at = places.get((s.pk, day), (None, None))
            rows.append(
                EventOccurrence(
                    offer_id=s.offer_id, schedule=s, date=day, start_time=s.start_time, end_time=s.end_time,
                    places_left=left, places_updated_at=at,
                )
            )  # fmt: skip
    bulk.insert(EventOccurrence, rows)  # COPY on PostgreSQL: an import's events give tens of thousands
    return len(rows)


def _lock_for_change(offer: Offer, membership: Membership) -> Offer:
    locked = Offer.objects.select_for_update().select_related("owner_office").get(pk=offer.pk)
    if not rules.can_change_offer(membership, locked):
        raise PermissionDenied(_("Only the owning office can change this offer."))
    return locked


def _audit(offer: Offer, membership: Membership, old: str, new: str) -> None:
    audit_record(
        instance=offer,
        action=AuditEntry.Action.UPDATE,
        user=membership.user,
        office=membership.office,
        changes=[{"field": "event_dates", "label": _("Event dates"), "old": old, "new": new}],
    )


def _fill(schedule: EventSchedule, data: dict) -> None:
    unknown = set(data) - set(SCHEDULE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown schedule fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(schedule, name, value)
    if schedule.end_date is None:
        schedule.end_date = schedule.start_date
    schedule.weekdays = sorted(set(schedule.weekdays or []))
    schedule.note = (schedule.note or "").strip()


@transaction.atomic
def schedule_add(*, offer: Offer, membership: Membership, data: dict) -> EventSchedule:
    """Add dates to an event: `data` holds start_date, end_date (None: a single day), weekdays, times and a note."""
    locked = _lock_for_change(offer, membership)
    if not is_event(locked):
        raise ValidationError(_("Only events have dates: give this offer an event type first."))
    schedule = EventSchedule(offer=locked)
    _fill(schedule, data)
    schedule.full_clean(exclude=["offer"])
    schedule.save()
    materialise([schedule])
    _audit(locked, membership, "", schedule.describe())
    return schedule


@transaction.atomic
def schedule_update(*, schedule: EventSchedule, membership: Membership, data: dict) -> EventSchedule:
    """Change a schedule; its occurrences are generated again."""
    _lock_for_change(schedule.offer, membership)
    schedule = EventSchedule.objects.select_for_update().get(pk=schedule.pk)
    before = schedule.describe()
    _fill(schedule, data)
    schedule.full_clean(exclude=["offer"])
    if schedule.describe() != before:
        schedule.revision += 1
    schedule.save()
    materialise([schedule])
    after = schedule.describe()
    if after != before:
        _audit(schedule.offer, membership, before, after)
    return schedule


@transaction.atomic
def places_set(*, occurrence: EventOccurrence, membership: Membership, places_left: int | None) -> EventOccurrence:
    """The places left on one date of an event (None: unknown), kept by the office that owns the event."""
    if places_left is not None and places_left < 0:
        raise ValidationError({"places_left": _("The number of places left cannot be negative.")})
    locked = _lock_for_change(occurrence.offer, membership)
    occurrence = EventOccurrence.objects.select_for_update().get(pk=occurrence.pk, offer=locked)
    before = occurrence.places_left
    occurrence.places_left = places_left
    occurrence.places_updated_at = timezone.now()
    occurrence.save(update_fields=["places_left", "places_updated_at"])
    if before != places_left:
        audit_record(
            instance=locked,
            action=AuditEntry.Action.UPDATE,
            user=membership.user,
            office=membership.office,
            changes=[
                {
                    "field": "places_left",
                    "label": _("Places left on %(date)s") % {"date": date_format(occurrence.date, "SHORT_DATE_FORMAT")},
                    "old": "" if before is None else str(before),
                    "new": "" if places_left is None else str(places_left),
                }
            ],
        )
    return occurrence


@transaction.atomic
def schedule_delete(*, schedule: EventSchedule, membership: Membership) -> None:
    locked = _lock_for_change(schedule.offer, membership)
    _audit(locked, membership, schedule.describe(), "")
    schedule.delete()


def schedules_from_opening_periods(offer_ids: Iterable[int]) -> int:
    """Bulk loads (demo): give the event offers among `offer_ids` schedules copied from their opening periods.

    No rights and no history: for loaders only. Periods that would not make a valid schedule are skipped.
    Returns the number of schedules created.
    """
    from acvs.offer.models import OpeningPeriod

    from .selectors import EVENT_FAMILY

    events = Offer.types.through.objects.filter(
        offer_id__in=list(offer_ids), offertype__ancestors__code=EVENT_FAMILY
    ).values("offer_id")
    schedules = []
    for period in OpeningPeriod.objects.filter(offer_id__in=events).order_by("offer_id", "start_date", "opens"):
        schedule = EventSchedule(
            offer_id=period.offer_id,
            start_date=period.start_date,
            end_date=period.end_date,
            weekdays=sorted(set(period.weekdays)),
            start_time=period.opens,
            end_time=period.closes,
            note=period.note,
        )
        try:
            schedule.clean()
        except ValidationError:
            continue
        schedules.append(schedule)
    created = bulk.insert(EventSchedule, schedules)
    materialise(created)
    return len(created)
