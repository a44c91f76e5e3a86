"""iCalendar (RFC 5545) feeds of the agenda: one VEVENT per date of an event.

UID: the offer's UUID, its schedule and the date, so a date keeps its identity when its schedule is edited;
SEQUENCE: the offer's version plus the schedule's revision, both only ever grow; LAST-MODIFIED: the later of the
offer's and the schedule's changes. A date without a time is a whole day (VALUE=DATE).
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vGeo

from acvs.agenda.models import EventOccurrence


def uid(occurrence: EventOccurrence, host: str) -> str:
    return f"{occurrence.offer.uuid}-{occurrence.schedule_id or 0}-{occurrence.date:%Y%m%d}@{host}"


def last_modified(occurrence: EventOccurrence) -> datetime:
    stamps = [occurrence.offer.updated_at]
    if occurrence.schedule is not None:
        stamps.append(occurrence.schedule.updated_at)
    return max(stamps)


def sequence(occurrence: EventOccurrence) -> int:
    return occurrence.offer.version + (occurrence.schedule.revision if occurrence.schedule else 0)


def _location(offer) -> str:
    parts = [offer.address, f"{offer.postcode} {offer.commune.name}".strip()]
    return ", ".join(p for p in parts if p)


def calendar(occurrences: Iterable[EventOccurrence], *, name: str, host: str) -> bytes:
    """The feed; texts in the active language (the offers' translated fields fall back to French)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", "-//ACVS//Agenda//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now().astimezone(UTC)
    for occurrence in occurrences:
        offer = occurrence.offer
        event = Event()
        event.add("uid", uid(occurrence, host))
        event.add("dtstamp", now)
        event.add("summary", offer.name)
        if occurrence.start_time:
            start = datetime.combine(occurrence.date, occurrence.start_time, tzinfo=tz)
            event.add("dtstart", start)
            if occurrence.end_time:
                event.add("dtend", datetime.combine(occurrence.date, occurrence.end_time, tzinfo=tz))
        else:
            event.add("dtstart", occurrence.date)
            event.add("dtend", occurrence.date + timedelta(days=1))
        description = [offer.short_description]
        if occurrence.schedule is not None and occurrence.schedule.note:
            description.append(occurrence.schedule.note)
        if occurrence.sold_out:
            description.append(_("Sold out"))
        text = "\n".join(d for d in description if d)
        if text:
            event.add("description", text)
        event.add("location", _location(offer))
        event.add("geo", vGeo((offer.latitude, offer.longitude)))
        if offer.website:
            event.add("url", offer.website)
        event.add("last-modified", last_modified(occurrence).astimezone(UTC))
        event.add("sequence", sequence(occurrence))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
