"""Reads of the public feeds: published offers and events only, through the offer search and the agenda."""

from datetime import date

from django.db.models import QuerySet

from acvs.agenda.models import EventOccurrence
from acvs.agenda.selectors import events_during
from acvs.offer.models import Offer
from acvs.offer.search import OfferQuery, offers_search

# Occurrences in one feed at most (a year of a territory's events is a few thousand).
MAX_EVENTS = 5_000


def feed_events(data: dict, start: date, end: date) -> QuerySet[EventOccurrence]:
    """The dates of published events between `start` and `end` matching a FeedForm's cleaned data."""
    occurrences = events_during(
        start,
        end,
        commune=data.get("commune"),
        radius_km=data.get("radius"),
        office=data.get("office"),
        text=data.get("q") or "",
    )
    if data.get("type"):
        occurrences = occurrences.filter(offer__in=Offer.objects.filter(types__ancestors=data["type"]).values("pk"))
    return occurrences.select_related("schedule")[:MAX_EVENTS]


def feed_offers(query: OfferQuery, limit: int) -> list[Offer]:
    return list(offers_search(query).select_related("commune").prefetch_related("types")[:limit])
