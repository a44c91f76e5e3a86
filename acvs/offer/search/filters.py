"""The criteria of an OfferQuery as ORM filters, the same on both databases (the text is the backend's)."""

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, F, FloatField, Func, OuterRef, Q, QuerySet, Value

from acvs.network.models import Office

from ..models import Offer
from ..selectors import to_verify
from . import tree
from .query import OfferQuery

EARTH_RADIUS_KM = 6371.0
# Offers available for a stay: (offers, arrival, departure) -> offers. The availability app builds on offers, so it
# registers its filter when it loads (AvailabilityConfig.ready) rather than the search importing it.
STAY_FILTERS: list[Callable[[QuerySet, date, date], QuerySet]] = []
ORDERINGS = {
    "rank": ["rank", "name", "pk"],
    "distance": ["distance_km", "pk"],
    "name": ["name", "pk"],
    "freshness": [F("verified_at").desc(nulls_last=True), "pk"],
}
# The same orders in SQL, over columns named id, name, verified_at and the annotations (backends' own statements).
ORDERINGS_SQL = {
    "rank": "rank, name, id",
    "distance": "distance_km, id",
    "name": "name, id",
    "freshness": "verified_at DESC NULLS LAST, id",
}


def criteria(query: OfferQuery, using: str = "default") -> dict[str, tuple]:
    """The values the criteria put in the SQL, by name, each a tuple (how many is part of the statement's shape):
    what `filtered` builds its conditions from, and what a statement compiled once per shape re-binds (compiled.py).
    The offers to verify and a stay are read from the query itself: their searches are compiled every time."""
    values = {}
    if query.statuses:
        values["statuses"] = tuple(query.statuses)
    if query.types:
        # The closure is kept per process (tree.py); see `filtered` for why the sub-types are listed as values.
        values["subtypes"] = tuple(tree.subtypes(query.types, using))
    centre = query.centre
    if centre and query.radius_km:
        lat, lon = centre
        values["centre"] = (math.radians(lat), math.cos(math.radians(lat)), math.radians(lon))
        values["box"] = bounding_box(lat, lon, query.radius_km)
        values["radius_km"] = (float(query.radius_km),)
    elif query.commune:
        values["commune"] = (query.commune.pk,)
    if query.office:
        values["office"] = (query.office.pk,)
    if query.owner:
        values["owner"] = (query.owner.pk,)
    if query.labels:
        values["labels"] = tuple(query.labels)
    if query.features:
        values["features"] = tuple(query.features)
    return values


def filtered(
    query: OfferQuery,
    using: str = "default",
    values: dict[str, tuple] | None = None,
    types_condition: Callable[[tuple], Any] | None = None,
) -> QuerySet[Offer]:
    """Offers matching every criterion but the text, annotated with `distance_km` around a centre. `values`: the
    criteria's values (`criteria(query)` by default; compiled.py gives placeholders of the same shape).
    `types_condition`: the backend's condition for the sub-types (a text search on PostgreSQL: its offers' type
    ids column, which a bitmap combines with the text index), instead of the link table's."""
    if values is None:
        values = criteria(query, using)
    # A plain QuerySet: the search neither filters nor orders on translated fields, and modeltranslation's
    # queryset rewrites every operation for them (1 ms of a results page). Instances translate as usual.
    qs = QuerySet(Offer, using=using)
    # The single-valued criteria in one filter() call: each call clones and resolves the query again (0.3 ms of a
    # commune's page). Labels and features stay one call each: each needs its own join.
    where = []
    if "statuses" in values:
        where.append(Q(status__in=values["statuses"]))
    if "subtypes" in values:
        # An offer of one of the types or of any sub-type, straight from offer_offer_types (no join through the
        # types), so that PostgreSQL probes each candidate offer by index when another criterion is selective and
        # hashes the type's offers when it is not. The sub-types are listed first: given as values, the planner
        # estimates from its statistics how many offers they have (120,000 for Hébergement rather than 5,000),
        # which the search's choice between counting and estimating relies on, and each candidate offer is checked
        # by one index probe (a subquery of the closure took two: 6,000 more in the Var's territory; an array of it,
        # unknown to the planner, made a commune's page 10 times slower).
        if types_condition is not None:
            where.append(types_condition(values["subtypes"]))
        else:
            types = QuerySet(Offer.types.through, using=using)
            where.append(Exists(types.filter(offer_id=OuterRef("pk"), offertype_id__in=values["subtypes"])))
    if "centre" in values:
        qs = qs.annotate(distance_km=Haversine(*values["centre"]))
        south, north, west, east = values["box"]
        where += [
            Q(latitude__range=(south, north), longitude__range=(west, east)),
            Q(distance_km__lte=values["radius_km"][0]),
        ]
    elif "commune" in values:
        where.append(Q(commune_id=values["commune"][0]))
    if "office" in values:
        # Straight from the territory table (no join through the communes): PostgreSQL then starts from the
        # territory's offers (35 ms for a département at 512,000 offers) instead of probing every offer of a broad
        # type (0.8 s).
        territory = Office.territory.through.objects.filter(office_id=values["office"][0]).values("commune_id")
        where.append(Q(commune_id__in=territory))
    if "owner" in values:
        where.append(Q(owner_office_id=values["owner"][0]))
    if query.to_verify:
        where.append(to_verify())
    if query.updated_since:
        where.append(Q(updated_at__gte=query.updated_since))
    if where:
        qs = qs.filter(*where)
    for label_id in values.get("labels", ()):
        qs = qs.filter(labels=label_id)
    for feature_id in values.get("features", ()):
        qs = qs.filter(features=feature_id)
    if query.arrival and query.departure:
        if not STAY_FILTERS:
            raise ImproperlyConfigured("A search for a stay needs the availability app (acvs.availability).")
        for stay_filter in STAY_FILTERS:
            qs = stay_filter(qs, query.arrival, query.departure)
    return qs


def register_stay_filter(stay_filter: Callable[[QuerySet, date, date], QuerySet]) -> None:
    if stay_filter not in STAY_FILTERS:
        STAY_FILTERS.append(stay_filter)


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """South, north, west and east bounds of the square around (lat, lon) that holds the circle of `radius_km`."""
    dlat = radius_km / 111.2
    dlon = radius_km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
    return (lat - dlat, lat + dlat, lon - dlon, lon + dlon)


class Haversine(Func):
    """2 R asin(sqrt(sin²(Δφ/2) + cos φ0 cos φ sin²(Δλ/2))) from (lat, lon) to the offer's position, in km.

    One expression node writing the SQL that the nested Radians/Sin/Cos/Power/ASin/Sqrt functions gave (same
    text, same parameters): resolving, copying and compiling that tree cost ~3 ms of Python per page and count.
    """

    output_field = FloatField()

    def __init__(self, lat_radians: float, cos_lat: float, lon_radians: float):
        """The centre as `criteria` gives it: its latitude in radians and its cosine, its longitude in radians."""
        super().__init__(F("latitude"), F("longitude"))
        self.lat_radians, self.cos_lat, self.lon_radians = lat_radians, cos_lat, lon_radians

    def as_sql(self, compiler, connection, **extra_context):
        (lat_sql, lat_params), (lon_sql, lon_params) = (compiler.compile(e) for e in self.get_source_expressions())
        constants = [
            compiler.compile(Value(v))
            for v in (2 * EARTH_RADIUS_KM, self.lat_radians, 2, 2, self.cos_lat, self.lon_radians, 2, 2)
        ]
        c = [sql for sql, _ in constants]
        p = [params for _, params in constants]
        sql = (
            f"({c[0]} * ASIN(SQRT((POWER(SIN(((RADIANS({lat_sql}) - {c[1]}) / {c[2]})), {c[3]})"
            f" + (({c[4]} * COS(RADIANS({lat_sql})))"
            f" * POWER(SIN(((RADIANS({lon_sql}) - {c[5]}) / {c[6]})), {c[7]}))))))"
        )
        params = [*p[0], *lat_params, *p[1], *p[2], *p[3], *p[4], *lat_params, *lon_params, *p[5], *p[6], *p[7]]
        return sql, params
