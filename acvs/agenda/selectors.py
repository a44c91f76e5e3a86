"""Reads of the agenda. Everyone reads every event; only published events are listed."""

from datetime import date

from django.db.models import QuerySet

from acvs.network.models import Commune, Office
from acvs.offer.models import Offer, OfferType, Status
from acvs.offer.search import OfferQuery, offers_search

from .models import EventOccurrence, EventSchedule

EVENT_FAMILY = "EntertainmentAndEvent"
# Around a visitor's commune when the office has no territory of its own.
STAY_RADIUS_KM = 20.0


def event_type_ids() -> list[int]:
    """The event family and all its sub-types."""
    return list(OfferType.objects.filter(ancestors__code=EVENT_FAMILY).values_list("pk", flat=True))


def is_event(offer: Offer) -> bool:
    """Whether one of the offer's types descends from the DATAtourisme family "EntertainmentAndEvent"."""
    return Offer.types.through.objects.filter(offer_id=offer.pk, offertype__ancestors__code=EVENT_FAMILY).exists()


def offer_schedules(offer: Offer) -> QuerySet[EventSchedule]:
    return EventSchedule.objects.filter(offer=offer)


def upcoming_occurrences(offer: Offer, today: date, limit: int = 30) -> list[EventOccurrence]:
    return list(EventOccurrence.objects.filter(offer=offer, date__gte=today).order_by("date", "start_time")[:limit])


def events_during(
    start: date,
    end: date,
    commune: Commune | None = None,
    radius_km: float | None = None,
    *,
    office: Office | None = None,
    text: str = "",
) -> QuerySet[EventOccurrence]:
    """Occurrences of published events between `start` and `end` (inclusive), by day and time.

    The area (a commune, within `radius_km` of it, or an office's territory) and the text are the offer search's
    criteria: the events are found by `offers_search`, restricted to the event family.
    """
    query = OfferQuery(
        text=text,
        types=(OfferType.objects.get(code=EVENT_FAMILY).pk,),
        commune=commune,
        radius_km=radius_km if commune else None,
        office=office,
        statuses=(Status.PUBLISHED,),
        order="name",
    )
    offers = offers_search(query).order_by().values("pk")
    return (
        EventOccurrence.objects.filter(date__range=(start, end), offer__in=offers)
        .select_related("offer", "offer__commune")
        .order_by("date", "start_time", "offer__name", "pk")
    )
