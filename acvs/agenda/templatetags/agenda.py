from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from acvs.network import rules

from .. import selectors
from ..forms import ScheduleForm

register = template.Library()

STAY_LIMIT = 20


@register.inclusion_tag("agenda/_offer_dates.html", takes_context=True)
def offer_dates(context, offer):
    """The "Dates" section of an event's page (nothing for other offers), with the forms for its editors."""
    request = context.get("request")
    if not selectors.is_event(offer):
        return {"is_event": False}
    can_change = rules.can_change_offer(getattr(request, "membership", None), offer)
    return {
        "is_event": True,
        "offer": offer,
        "can_change": can_change,
        "occurrences": selectors.upcoming_occurrences(offer, timezone.localdate()),
        "schedules": list(selectors.offer_schedules(offer)) if can_change else [],
        "form": ScheduleForm() if can_change else None,
        "csrf_token": context.get("csrf_token"),
    }


def stay_area(visitor_request) -> dict:
    """Where to look for events during a stay: the office's territory, else around the visitor's commune."""
    office = visitor_request.office
    if office.territory.exists():
        return {"office": office}
    if visitor_request.commune_id:
        return {"commune": visitor_request.commune, "radius_km": selectors.STAY_RADIUS_KM}
    return {}


@register.inclusion_tag("agenda/_stay_events.html")
def stay_events(visitor_request):
    """Events during a visitor's stay, near the office (nothing when the request has no stay dates)."""
    start = visitor_request.stay_start
    if start is None:
        return {"visible": False}
    end = visitor_request.stay_end or start
    area = stay_area(visitor_request)
    occurrences = list(selectors.events_during(start, end, **area)[: STAY_LIMIT + 1])
    params = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    if "office" in area:
        params["office"] = area["office"].pk
    elif "commune" in area:
        params.update(commune=area["commune"].insee, radius=int(area["radius_km"]))
    return {
        "visible": True,
        "occurrences": occurrences[:STAY_LIMIT],
        "more": len(occurrences) > STAY_LIMIT,
        "agenda_url": reverse("agenda:agenda") + "?" + urlencode(params),
        "start": start,
        "end": end,
    }
