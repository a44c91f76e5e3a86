"""Advising from a request: what the network has that fits it, ranked; suggestions; types the offer lacked.

The advice reads the whole request: its precise types (a precise type narrows its family), its themes (through the
network's theme → types mapping), the party (capacity), the visitor's language, the place (the office, or a place the
agent chooses) and the stay (offers closed on those dates are left out, accommodation must be open and not known to
be full). Each criterion can be dropped for one look (`without`), which widens the proposals.
"""

import datetime
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from acvs.agenda import selectors as agenda
from acvs.availability.models import AVAILABLE_STATES, AvailabilityNight
from acvs.availability.selectors import open_every_night, stale_before
from acvs.core import activity
from acvs.core.audit import audit_record
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Commune, Membership, Office
from acvs.offer.models import Offer, OfferType, OpeningPeriod
from acvs.offer.search import OfferQuery, offers_search

from . import reference
from .models import Outcome, Suggestion, Theme, VisitorRequest

ACCOMMODATION = "Accommodation"
# Around the office (besides its territory) or the chosen place.
RADIUS_KM = 20.0
# Candidates read per area before ranking, and proposals shown.
CANDIDATES = 400
SHOWN = 30
EVENTS_SHOWN = 12
EVENT_DATES_READ = 200

# What each kind of fit weighs in the ranking (distance takes one point per kilometre, up to DISTANCE_CAP).
WEIGHTS = {"type": 40, "theme": 25, "available": 15, "language": 10, "territory": 8, "capacity": 4}
DISTANCE_CAP = 30


@dataclass(frozen=True)
class Criterion:
    """One criterion of the request, as the banner shows it; `key` names it in `without`."""

    key: str
    label: str
    kind: str


@dataclass
class Proposal:
    offer: Offer
    score: float
    reasons: list[str] = field(default_factory=list)
    distance_km: float | None = None
    # For accommodation over a stay: "available" (every night confirmed), "unknown"; None otherwise.
    availability: str | None = None


@dataclass
class Advice:
    visitor_request: VisitorRequest
    criteria: list[Criterion]
    dropped: list[Criterion]
    proposals: list[Proposal]
    centre: tuple[float, float] | None
    place: Commune | None
    type_ids: list[int]
    types: list[OfferType]
    events: list
    more: int = 0


# --- criteria ------------------------------------------------------------------------------------------------------


def narrowed_types(types: list[OfferType]) -> list[OfferType]:
    """The requested types without those a more precise requested type narrows ("Camping" narrows "Hébergement")."""
    ids = {t.pk for t in types}
    narrowed = set(
        OfferType.ancestors.through.objects.filter(from_offertype_id__in=ids, to_offertype_id__in=ids)
        .exclude(from_offertype_id=F("to_offertype_id"))
        .values_list("to_offertype_id", flat=True)
    )
    return [t for t in types if t.pk not in narrowed]


def request_criteria(visitor_request: VisitorRequest) -> list[Criterion]:
    """Every criterion the request gives, in the banner's order."""
    criteria = [
        Criterion(f"type:{t.pk}", str(t.label), "type")
        for t in narrowed_types(list(visitor_request.requested_types.all()))
    ]
    criteria += [Criterion(f"theme:{t.pk}", str(t), "theme") for t in visitor_request.themes.all()]
    party = visitor_request.party_size
    if party > 1:
        criteria.append(Criterion("party", _("%(n)s people") % {"n": party}, "party"))
    if visitor_request.language and visitor_request.language != "fr":
        criteria.append(
            Criterion(
                "language", _("Speaks %(language)s") % {"language": language_name(visitor_request.language)}, "language"
            )
        )
    start, end = stay(visitor_request)
    if start:
        label = _("%(start)s → %(end)s") % {"start": _short(start), "end": _short(end)}
        criteria.append(Criterion("dates", label, "dates"))
    return criteria


def language_name(code: str) -> str:
    """The language's French name as it reads in a sentence ("allemand")."""
    return reference.languages().get(code, code).lower()


def _short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def stay(visitor_request: VisitorRequest) -> tuple[datetime.date | None, datetime.date | None]:
    """First and last day of the stay (a stay without an end is one day)."""
    start = visitor_request.stay_start
    if start is None:
        return None, None
    return start, max(visitor_request.stay_end or start, start)


def office_centre(office: Office) -> tuple[float, float] | None:
    """The office's commune, else the middle of its territory."""
    if office.commune_id:
        return (office.commune.latitude, office.commune.longitude)
    points = list(office.territory.values_list("latitude", "longitude"))
    if not points:
        return None
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


# --- the advice ----------------------------------------------------------------------------------------------------


def advise(visitor_request: VisitorRequest, *, without=(), place: Commune | None = None) -> Advice:
    """What fits the request, best first, with the events on during the stay."""
    all_criteria = request_criteria(visitor_request)
    dropped_keys = set(without)
    criteria = [c for c in all_criteria if c.key not in dropped_keys]
    dropped = [c for c in all_criteria if c.key in dropped_keys]
    keys = {c.key for c in criteria}

    requested = [t for t in visitor_request.requested_types.all() if f"type:{t.pk}" in keys]
    themes = [t for t in visitor_request.themes.all() if f"theme:{t.pk}" in keys]
    wanted = _wanted_types(requested, themes)
    type_ids = sorted({pk for pks in wanted.values() for pk in pks})

    office = visitor_request.office
    centre = (place.latitude, place.longitude) if place else office_centre(office)
    start, end = stay(visitor_request) if "dates" in keys else (None, None)
    party = visitor_request.party_size if "party" in keys else None
    language = visitor_request.language if "language" in keys else None

    candidates = _candidates(office, place, centre, type_ids, start, end, party)
    proposals = _rank(candidates, wanted, requested, themes, office, centre, start, end, party, language)
    return Advice(
        visitor_request=visitor_request,
        criteria=criteria,
        dropped=dropped,
        proposals=proposals[:SHOWN],
        more=max(0, len(proposals) - SHOWN),
        centre=centre,
        place=place,
        type_ids=type_ids,
        types=narrowed_types(list(visitor_request.requested_types.all())),
        events=_events(visitor_request, office, place, start, end),
    )


def _wanted_types(requested: list[OfferType], themes: list[Theme]) -> dict[str, set[int]]:
    """For each type or theme criterion, the type ids (sub-types included) an offer must have to match it."""
    roots = {f"type:{t.pk}": [t.pk] for t in narrowed_types(requested)}
    roots.update({f"theme:{t.pk}": t.type_ids() for t in themes})
    all_roots = {pk for pks in roots.values() for pk in pks}
    below: dict[int, set[int]] = {pk: set() for pk in all_roots}
    for sub, root in OfferType.ancestors.through.objects.filter(to_offertype_id__in=all_roots).values_list(
        "from_offertype_id", "to_offertype_id"
    ):
        below[root].add(sub)
    return {key: {sub for pk in pks for sub in below[pk]} for key, pks in roots.items()}


def _candidates(office, place, centre, type_ids, start, end, party) -> list[Offer]:
    """Published offers of the wanted types in the area (the office's territory and around it, or around the chosen
    place), not closed on the stay's dates and large enough for the party; nearest first, bounded."""
    types = tuple(type_ids)
    queries = []
    if centre:
        queries.append(OfferQuery(types=types, point=centre, radius_km=RADIUS_KM, order="distance"))
    if place is None and office.territory.exists():
        queries.append(OfferQuery(types=types, office=office, order="name"))
    found: dict[int, Offer] = {}
    for query in queries:
        qs = _narrowed(offers_search(query), start, end, party)
        for offer in _prefetched(qs)[:CANDIDATES]:
            found.setdefault(offer.pk, offer)
    return list(found.values())


def _narrowed(qs: QuerySet[Offer], start, end, party) -> QuerySet[Offer]:
    if party:
        qs = qs.filter(Q(capacity_persons__isnull=True) | Q(capacity_persons__gte=party))
    if start:
        qs = qs.filter(open_during(start, end))
        nights_end = max(end, start + datetime.timedelta(days=1))
        accommodation = Offer.types.through.objects.filter(
            offer_id=OuterRef("pk"), offertype__ancestors__code=ACCOMMODATION
        )
        # Accommodation must be open every night (its opening periods) and not known to be full or closed.
        known_unavailable = AvailabilityNight.objects.filter(
            offer_id=OuterRef("pk"), night__gte=start, night__lt=nights_end, updated_at__gte=stale_before()
        ).exclude(state__in=AVAILABLE_STATES)
        qs = qs.filter(
            ~Q(Exists(accommodation)) | (open_every_night(start, nights_end) & ~Q(Exists(known_unavailable)))
        )
    return qs


def open_during(start: datetime.date, end: datetime.date) -> Q:
    """Offers with no opening period (nothing known), or with one overlapping the days from `start` to `end`."""
    periods = OpeningPeriod.objects.filter(offer_id=OuterRef("pk"))
    return ~Q(Exists(periods)) | Q(Exists(periods.filter(start_date__lte=end, end_date__gte=start)))


def _prefetched(qs: QuerySet[Offer]) -> QuerySet[Offer]:
    return qs.select_related("commune", "owner_office").prefetch_related(
        Prefetch("types", queryset=OfferType.objects.prefetch_related("ancestors")), "periods"
    )


def _open_on_a_day(offer: Offer, start, end) -> bool:
    """Whether the offer opens on at least one day of the stay, its weekdays included (periods prefetched)."""
    periods = list(offer.periods.all())
    if not periods:
        return True
    for p in periods:
        first, last = max(start, p.start_date), min(end, p.end_date)
        if first > last:
            continue
        if not p.weekdays:
            return True
        # A week of the overlap holds every weekday it can.
        days = min(7, (last - first).days + 1)
        if any((first + datetime.timedelta(days=i)).weekday() in p.weekdays for i in range(days)):
            return True
    return False


def _rank(candidates, wanted, requested, themes, office, centre, start, end, party, language) -> list[Proposal]:
    territory = set(office.territory.values_list("insee", flat=True))
    labels = {f"type:{t.pk}": str(t.label) for t in requested} | {f"theme:{t.pk}": str(t) for t in themes}
    accommodation_ids = {o.pk for o in candidates if _is_accommodation(o)}
    confirmed = _confirmed_every_night(accommodation_ids, start, end) if start else set()
    proposals = []
    for offer in candidates:
        is_accommodation = offer.pk in accommodation_ids
        if start and not is_accommodation and not _open_on_a_day(offer, start, end):
            continue
        offer_types = {a.pk for t in offer.types.all() for a in t.ancestors.all()}
        score, reasons = 0.0, []
        for key, type_ids in wanted.items():
            if offer_types & type_ids:
                score += WEIGHTS["type" if key.startswith("type:") else "theme"]
                reasons.append(labels[key])
        if wanted and not reasons:
            continue
        availability = None
        if start and is_accommodation:
            availability = "available" if offer.pk in confirmed else "unknown"
            if availability == "available":
                score += WEIGHTS["available"]
        if language and language in (offer.languages or []):
            score += WEIGHTS["language"]
            reasons.append(_("speaks %(language)s") % {"language": language_name(language)})
        if party and offer.capacity_persons:
            score += WEIGHTS["capacity"]
        if offer.commune_id in territory:
            score += WEIGHTS["territory"]
        distance = None
        if centre:
            distance = _distance(centre, (offer.latitude, offer.longitude))
            score -= min(distance, DISTANCE_CAP)
        proposals.append(Proposal(offer, score, reasons, distance, availability))
    proposals.sort(
        key=lambda p: (-p.score, p.distance_km if p.distance_km is not None else 0, p.offer.name, p.offer.pk)
    )
    return proposals


def _is_accommodation(offer: Offer) -> bool:
    return any(a.code == ACCOMMODATION for t in offer.types.all() for a in t.ancestors.all())


def _confirmed_every_night(offer_ids: set[int], start, end) -> set[int]:
    """Accommodation confirmed bookable (recently) on every night of the stay."""
    nights_end = max(end, start + datetime.timedelta(days=1))
    nights = (nights_end - start).days
    rows = AvailabilityNight.objects.filter(
        offer_id__in=offer_ids,
        night__gte=start,
        night__lt=nights_end,
        state__in=AVAILABLE_STATES,
        updated_at__gte=stale_before(),
    ).values_list("offer_id", flat=True)
    counts: dict[int, int] = {}
    for pk in rows:
        counts[pk] = counts.get(pk, 0) + 1
    return {pk for pk, n in counts.items() if n == nights}


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = (math.radians(v) for v in (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _events(visitor_request, office, place, start, end) -> list[tuple[Offer, list]]:
    """Events on during the stay in the same area, each with its dates (the first EVENTS_SHOWN events)."""
    if start is None:
        return []
    if place is not None:
        area = {"commune": place, "radius_km": agenda.STAY_RADIUS_KM}
    elif office.territory.exists():
        area = {"office": office}
    elif visitor_request.commune_id:
        area = {"commune": visitor_request.commune, "radius_km": agenda.STAY_RADIUS_KM}
    else:
        return []
    events: dict[int, tuple[Offer, list]] = {}
    for occurrence in agenda.events_during(start, end, **area)[:EVENT_DATES_READ]:
        if occurrence.offer_id not in events:
            if len(events) == EVENTS_SHOWN:
                continue
            events[occurrence.offer_id] = (occurrence.offer, [])
        events[occurrence.offer_id][1].append(occurrence)
    return list(events.values())


def advice_search_url(visitor_request: VisitorRequest) -> str:
    """The offer search with the request's (narrowed) types, stay nights and the office's territory."""
    params: list[tuple[str, object]] = [("advice", visitor_request.pk), ("office", visitor_request.office_id)]
    for offer_type in narrowed_types(list(visitor_request.requested_types.all())):
        params.append(("types" if offer_type.is_family else "subtype", offer_type.pk))
    start, end = visitor_request.stay_start, visitor_request.stay_end
    if start and end and end > start:
        params += [("arrival", start.isoformat()), ("departure", end.isoformat())]
    return f"{reverse('offer:search')}?{urlencode(params)}"


# --- writes --------------------------------------------------------------------------------------------------------


def _check(membership: Membership, visitor_request: VisitorRequest) -> None:
    if not rules.can_change_request(membership, visitor_request):
        raise PermissionDenied(_("Only the office that recorded this request can advise on it."))


def _log(membership, visitor_request, field: str, label: str, old: str, new: str) -> None:
    audit_record(
        instance=visitor_request,
        action=AuditEntry.Action.UPDATE,
        user=membership.user,
        office=membership.office,
        changes=[{"field": field, "label": label, "old": old, "new": new}],
    )


@transaction.atomic
def suggestion_add(*, membership: Membership, visitor_request: VisitorRequest, offer: Offer) -> bool:
    """Suggest `offer`; False when it already was (adding twice is harmless)."""
    _check(membership, visitor_request)
    try:
        with transaction.atomic():
            Suggestion.objects.create(visitor_request=visitor_request, offer=offer, added_by=membership.user)
    except IntegrityError:
        return False
    _log(membership, visitor_request, "suggestions", str(_("Suggestions")), "", offer.name)
    return True


@transaction.atomic
def suggestion_remove(*, membership: Membership, visitor_request: VisitorRequest, offer_id: int) -> None:
    _check(membership, visitor_request)
    suggestion = visitor_request.suggestions.select_related("offer").filter(offer_id=offer_id).first()
    if suggestion is not None:
        suggestion.delete()
        _log(membership, visitor_request, "suggestions", str(_("Suggestions")), suggestion.offer.name, "")


@transaction.atomic
def missing_type_add(*, membership: Membership, visitor_request: VisitorRequest, offer_type: OfferType) -> None:
    """The network had nothing of this type to offer: the request was not fully satisfied."""
    _check(membership, visitor_request)
    if visitor_request.missing_types.filter(pk=offer_type.pk).exists():
        return
    visitor_request.missing_types.add(offer_type)
    activity.touched(visitor_request.office_id, [visitor_request.received_at])
    _log(membership, visitor_request, "missing_types", str(_("Missing offer types")), "", offer_type.label)
    if visitor_request.outcome == Outcome.FULLY:
        old = visitor_request.get_outcome_display()
        visitor_request.outcome = Outcome.PARTLY
        visitor_request.save(update_fields=["outcome"])
        _log(membership, visitor_request, "outcome", str(_("Answer")), old, visitor_request.get_outcome_display())


@transaction.atomic
def theme_types_set(*, membership: Membership, theme: Theme, codes: list[str]) -> None:
    """What a theme proposes in every office's advice: DATAtourisme type codes (network administrators)."""
    if not rules.can_change_themes(membership):
        raise PermissionDenied(_("Only network administrators can change what the themes propose."))
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    known = set(OfferType.objects.filter(code__in=codes).values_list("code", flat=True))
    new = sorted(c for c in set(codes) if c in known)
    old = list(theme.offer_types or [])
    if sorted(old) == new:
        return
    theme.offer_types = new
    theme.save(update_fields=["offer_types"])
    audit_record(
        instance=theme,
        action=AuditEntry.Action.UPDATE,
        user=membership.user,
        office=membership.office,
        changes=[
            {"field": "offer_types", "label": str(_("Offer types")), "old": ", ".join(old), "new": ", ".join(new)}
        ],
    )
