"""Seasons of counter activity for every demo office: hourly visitor counts and the requests recorded over the last
twelve months, or two years so that the observatory compares a year with the one before (channels, origins,
profiles, themes, types, outcomes, suggestions, brochures handed out).

Deterministic (one seeded generator) and written with bulk inserts: the counts follow the office's kind of
destination (seaside summer, mountain winter and summer, spa season), the day of the week and the hour; a share of
the visitors leaves a recorded request; written requests of the last days are still to answer (a few overdue).
"""

import datetime
import random
from collections import defaultdict

from django.db import connection
from django.db.models import F
from django.utils import timezone

from acvs.desk.models import (
    Channel,
    Origin,
    Outcome,
    Profile,
    RequestStatus,
    Suggestion,
    Theme,
    VisitorCount,
    VisitorRequest,
)
from acvs.desk.reference import COUNTRY_LANGUAGE, add_working_days
from acvs.documentation.models import Movement, MovementKind
from acvs.network.models import Commune, Department, Office, User
from acvs.offer.models import Offer, OfferType, Status

# Visitors per month of the year (January first), relative to May, by kind of destination.
SEASONS = {
    "coast": [0.25, 0.3, 0.45, 0.8, 1.0, 1.5, 2.8, 3.0, 1.3, 0.7, 0.3, 0.35],
    "mountain": [1.6, 1.9, 1.2, 0.6, 0.5, 0.9, 2.0, 2.2, 0.8, 0.4, 0.3, 1.2],
    "spa": [0.2, 0.3, 0.9, 1.2, 1.2, 1.2, 1.4, 1.5, 1.2, 1.1, 0.8, 0.2],
    "inland": [0.3, 0.35, 0.6, 0.9, 1.0, 1.4, 2.2, 2.4, 1.2, 0.8, 0.35, 0.35],
}
KIND_OF_PLACE = {"barcelonnette": "mountain", "greoux-les-bains": "spa"}
# Visitors in an average May hour, by office (others: 6; a CDT's office sees few walk-ins).
SIZE = {
    "saint-tropez": 16, "hyeres": 14, "sainte-maxime": 12, "toulon": 10, "cavalaire": 9, "la-croix-valmer": 7,
    "var-tourisme": 2, "ahp-tourisme": 2,
}  # fmt: skip
# Share of the visitors whose request is recorded (most only take a map, ask the way or buy a ticket).
RECORDED = 0.04
# Weights of the other channels, against 1 for the counter.
WRITTEN = {Channel.PHONE: 0.5, Channel.EMAIL: 0.35, Channel.WEB: 0.12, Channel.MAIL: 0.03, Channel.SOCIAL: 0.08}
# French visitors by département (the rest of France spread over the others below).
FRENCH_DEPARTMENTS = {
    "13": 12, "75": 9, "69": 7, "06": 6, "84": 4, "92": 4, "78": 3, "38": 3, "59": 3, "44": 2, "67": 2, "31": 2,
    "33": 2, "34": 2, "30": 2, "26": 2, "05": 2, "91": 2, "94": 2, "35": 1, "57": 1, "42": 1, "63": 1, "21": 1,
}  # fmt: skip
OWN_DEPARTMENT = 14  # weight of the office's own département
ABROAD = 0.3
COUNTRIES = {"DE": 28, "BE": 20, "NL": 12, "GB": 10, "IT": 10, "CH": 9, "ES": 3, "US": 3, "DK": 2, "SE": 2, "PL": 1}
PROFILES = {
    Profile.COUPLE: 30, Profile.FAMILY: 28, Profile.SENIOR: 18, Profile.FRIENDS: 10, Profile.SOLO: 10,
    Profile.GROUP: 3, Profile.BUSINESS: 1,
}  # fmt: skip
THEMES = {
    "coast": {"beaches": 10, "water-sports": 4, "hiking": 5, "culture-festivals": 4, "food-wine": 3,
              "shopping-markets": 4, "children-family": 3, "heritage": 2, "cycling": 2, "nature": 3},
    "mountain": {"hiking": 10, "ski-mountain": 7, "nature": 6, "cycling": 3, "children-family": 3, "heritage": 2,
                 "food-wine": 2},
    "spa": {"wellness": 10, "heritage": 4, "nature": 5, "hiking": 4, "food-wine": 3, "shopping-markets": 2},
    "inland": {"hiking": 6, "heritage": 6, "nature": 6, "food-wine": 4, "cycling": 3, "culture-festivals": 3,
               "shopping-markets": 3, "children-family": 2},
}  # fmt: skip
# Requested types: families and the precise types most asked for (those the loaded ontology knows).
TYPES = {
    "Accommodation": 8, "Hotel": 4, "Camping": 4, "Guesthouse": 3, "SelfCateringAccommodation": 3,
    "FoodEstablishment": 5, "Restaurant": 3, "EntertainmentAndEvent": 6, "Tour": 5, "CulturalSite": 5,
    "NaturalHeritage": 5, "SportsAndLeisurePlace": 4, "ActivityProvider": 3, "Store": 2, "TastingProvider": 2,
}  # fmt: skip
OUTCOMES = {Outcome.FULLY: 82, Outcome.PARTLY: 13, Outcome.NOT: 5}
# Visitors of the year before, against this year's (a modest growth, as most offices see).
LAST_YEAR = 0.92


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def _opening(day: datetime.date) -> list[int]:
    """The hours the office is open that day (the start of each hour); none on the public holidays it closes."""
    if (day.month, day.day) in ((1, 1), (5, 1), (12, 25)):
        return []
    summer = day.month in (7, 8)
    if day.weekday() == 6:
        return [9, 10, 11, 12] if summer or day.month in (6, 9) else []
    return list(range(9, 19)) if summer else [9, 10, 11, 14, 15, 16, 17]


# An average hour's share of the day's visitors (late morning and mid-afternoon are busiest).
HOUR_SHAPE = {9: 0.7, 10: 1.2, 11: 1.3, 12: 0.9, 13: 0.7, 14: 0.9, 15: 1.2, 16: 1.2, 17: 1.0, 18: 0.6}
WEEKDAY_SHAPE = [0.85, 0.85, 0.9, 0.95, 1.05, 1.35, 1.1]


def fill(rng: random.Random, offices: dict[str, Office], users: dict[str, list[User]], today=None, years=1) -> dict:
    """Counts and requests of the `years` × twelve months up to today (local time) for every office with a counter."""
    today = today or timezone.localdate()
    this_year = today - datetime.timedelta(days=364)
    zone = timezone.get_current_timezone()
    now = timezone.now()
    themes = {t.code: t.pk for t in Theme.objects.all()}
    types = dict(OfferType.objects.filter(code__in=TYPES).values_list("code", "pk"))
    type_weights = {code: w for code, w in TYPES.items() if code in types}
    departments = dict(Department.objects.values_list("code", "pk"))
    counts, requests, links = [], [], []
    adapt = connection.ops.adapt_datetimefield_value
    for slug, office in offices.items():
        if office.kind == Office.Kind.UNION:
            continue  # unions federate the offices and welcome no visitors
        place = KIND_OF_PLACE.get(slug) or ("coast" if _on_the_coast(office) else "inland")
        agents = users.get(slug) or [None]
        offers = _offers_by_type(office)
        communes = list(office.territory.values_list("insee", flat=True)) or [office.commune_id]
        neighbours = list(
            Commune.objects.filter(department_id=office.department_id).values_list("insee", flat=True)[:400]
        )
        size = SIZE.get(slug, 6)
        day = today - datetime.timedelta(days=365 * years - 1)
        while day <= today:
            base = size * SEASONS[place][day.month - 1] * WEEKDAY_SHAPE[day.weekday()]
            base *= 1 if day >= this_year else LAST_YEAR
            for hour in _opening(day):
                moment = datetime.datetime.combine(day, datetime.time(hour), zone)
                if moment > now:
                    break
                visitors = max(0, round(rng.gauss(base * HOUR_SHAPE[hour], base * 0.35)))
                if not visitors:
                    continue
                counts.append((office.pk, adapt(moment), visitors))
                recorded = sum(1 for _ in range(visitors) if rng.random() < RECORDED)
                for _ in range(recorded):
                    at = moment + datetime.timedelta(minutes=rng.randrange(60))
                    requests.append(
                        _request(rng, office, Channel.COUNTER, at, agents, place, communes, neighbours, departments)
                    )
                    links.append((themes, type_weights, types, offers))
            # Phone calls, e-mails, web forms, letters and messages: a share of the day's counter requests.
            for channel, weight in WRITTEN.items():
                expected = base * 8 * RECORDED * weight
                for _ in range(int(expected) + (rng.random() < expected % 1)):
                    at = datetime.datetime.combine(day, datetime.time(rng.randint(8, 19), rng.randrange(60)), zone)
                    if at > now:
                        continue
                    requests.append(
                        _request(rng, office, channel, at, agents, place, communes, neighbours, departments, today)
                    )
                    links.append((themes, type_weights, types, offers))
            day += datetime.timedelta(days=1)
    _insert(VisitorCount, ("office_id", "hour", "count"), counts)
    VisitorRequest.objects.bulk_create(requests, batch_size=1000)
    _children(rng, requests, links)
    _brochures(rng, requests)
    # auto_now(_add) fields took the time of loading: the history is the time each request came in.
    VisitorRequest.objects.filter(office__in=offices.values()).update(
        created_at=F("received_at"), updated_at=F("received_at")
    )
    return {"counts": len(counts), "requests": len(requests)}


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain rows of a simple table in one prepared statement: a year of hours is ~40,000 rows, which model
    instances and bulk_create would take several times longer to write."""
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _on_the_coast(office: Office) -> bool:
    return office.department.code == "83" and office.slug not in ("provence-verte",)


def _offers_by_type(office: Office) -> dict[int, list[int]]:
    """The office's published offers, by each of their types and ancestors (what an agent would suggest)."""
    found = defaultdict(list)
    rows = Offer.objects.filter(owner_office=office, status=Status.PUBLISHED).values_list("pk", "types__ancestors")
    for pk, type_id in rows:
        if type_id and pk not in found[type_id]:
            found[type_id].append(pk)
    return found


def _request(rng, office, channel, at, agents, place, communes, neighbours, departments, today=None):
    abroad = rng.random() < ABROAD
    fields = {}
    if abroad:
        country = _pick(rng, COUNTRIES)
        fields.update(origin=Origin.ABROAD, country=country, language=COUNTRY_LANGUAGE.get(country, "en"))
    else:
        own = office.department.code
        code = own if rng.random() < OWN_DEPARTMENT / 100 else _pick(rng, FRENCH_DEPARTMENTS)
        fields.update(origin=Origin.FRANCE, department_id=departments.get(code, departments[own]), language="fr")
        if code == own:  # communes are known for the office's département
            fields["commune_id"] = rng.choice(neighbours or communes)
    profile = _pick(rng, PROFILES)
    adults, children = {
        Profile.FAMILY: (2, rng.choice([1, 2, 2, 3])),
        Profile.SOLO: (1, 0),
        Profile.BUSINESS: (1, 0),
        Profile.FRIENDS: (rng.randint(3, 5), 0),
    }.get(profile, (2, 0))
    if profile == Profile.GROUP:
        fields.update(is_group=True, group_size=rng.randint(10, 45))
    stay_start = stay_end = None
    if rng.random() < 0.55:
        ahead = rng.randint(0, 2) if channel == Channel.COUNTER else rng.randint(7, 90)
        stay_start = at.date() + datetime.timedelta(days=ahead)
        stay_end = stay_start + datetime.timedelta(days=rng.choice([1, 2, 3, 3, 4, 7, 7, 14]))
    written = channel in (Channel.EMAIL, Channel.MAIL, Channel.WEB, Channel.SOCIAL)
    status, due = RequestStatus.CLOSED, None
    if written:
        due = add_working_days(at.date(), 2)
        age = (today - at.date()).days if today else 99
        if age > 8:
            status = RequestStatus.ANSWERED
        elif age <= 1:  # just in: nobody has taken it yet
            status = RequestStatus.TO_HANDLE
        else:
            status = rng.choice([RequestStatus.TO_HANDLE, RequestStatus.IN_PROGRESS])
    agent = rng.choice(agents)
    return VisitorRequest(
        office=office, channel=channel, received_at=at, recorded_by=agent, profile=profile, adults=adults,
        children=children, stay_start=stay_start, stay_end=stay_end, outcome=_pick(rng, OUTCOMES), status=status,
        due_date=due, assignee=agent if written and status != RequestStatus.TO_HANDLE else None, **fields,
    )  # fmt: skip


def _children(rng, requests, links) -> None:
    """Themes, requested and missing types, suggestions: the many-to-many rows of every request."""
    theme_rows, type_rows, missing_rows, suggestions = [], [], [], []
    requested, missing = VisitorRequest.requested_types.through, VisitorRequest.missing_types.through
    for obj, (themes, type_weights, types, offers) in zip(requests, links, strict=True):
        place_themes = THEMES[_place_of(obj)]
        for code in {_pick(rng, place_themes) for _ in range(rng.choice([0, 1, 1, 2]))}:
            if code in themes:
                theme_rows.append((obj.pk, themes[code]))
        wanted = {_pick(rng, type_weights) for _ in range(rng.choice([0, 1, 1, 1, 2]))} if type_weights else set()
        for code in wanted:
            type_rows.append((obj.pk, types[code]))
        if obj.outcome != Outcome.FULLY and wanted:
            code = sorted(wanted)[0]
            missing_rows.append((obj.pk, types[code]))
        if wanted and rng.random() < 0.35:
            candidates = offers.get(types[sorted(wanted)[0]], [])
            for offer_id in rng.sample(candidates, min(len(candidates), rng.randint(1, 4))):
                suggestions.append(Suggestion(visitor_request_id=obj.pk, offer_id=offer_id, added_by=obj.recorded_by))
    _insert(VisitorRequest.themes.through, ("visitorrequest_id", "theme_id"), theme_rows)
    _insert(requested, ("visitorrequest_id", "offertype_id"), type_rows)
    _insert(missing, ("visitorrequest_id", "offertype_id"), missing_rows)
    Suggestion.objects.bulk_create(suggestions, batch_size=2000)


def _place_of(obj: VisitorRequest) -> str:
    office = obj.office
    return KIND_OF_PLACE.get(office.slug) or ("coast" if _on_the_coast(office) else "inland")


def _brochures(rng, requests) -> None:
    """The brochures handed out at each counter (the demo stock's movements) go with a walk-in of the same day."""
    by_day = defaultdict(list)
    for obj in requests:
        if obj.channel == Channel.COUNTER:
            by_day[obj.office_id, timezone.localdate(obj.received_at)].append(obj.pk)
    handed = Movement.objects.filter(kind=MovementKind.HANDED_OUT, visitor_request__isnull=True)
    updates = []
    for movement in handed.filter(office_id__in={key[0] for key in by_day}).order_by("pk"):
        day = timezone.localdate(movement.at)
        # That day's walk-ins, or the nearest day's when the office was closed (the stock's times are drawn apart).
        for shift in (0, -1, 1, -2, 2, -3, 3):
            walk_ins = by_day.get((movement.office_id, day + datetime.timedelta(days=shift)))
            if walk_ins:
                movement.visitor_request_id = rng.choice(walk_ins)
                updates.append(movement)
                break
    Movement.objects.bulk_update(updates, ["visitor_request"], batch_size=500)
