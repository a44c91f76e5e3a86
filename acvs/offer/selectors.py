"""Reads of the shared offer base. Everyone in the network reads every offer."""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page
from django.db import connections
from django.db.models import Exists, F, FloatField, Func, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from acvs.core.paginator import OneQueryPaginator
from acvs.network.models import Commune, Office

from . import postings, search
from .models import Offer, OfferType, Status

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class OfferQuery:
    """Criteria of an offer search; built by the search form, the counter and the API alike."""

    text: str = ""
    types: tuple[int, ...] = ()
    commune: Commune | None = None
    office: Office | None = None
    point: tuple[float, float] | None = None
    radius_km: float | None = None
    labels: tuple[int, ...] = ()
    features: tuple[int, ...] = ()
    statuses: tuple[str, ...] = (Status.PUBLISHED,)
    order: str = "relevance"
    # A stay: only offers available (free or few left, recently confirmed) every night from arrival to departure.
    arrival: date | None = None
    departure: date | None = None

    @property
    def centre(self) -> tuple[float, float] | None:
        if self.point:
            return self.point
        if self.commune and self.radius_km:
            return (self.commune.latitude, self.commune.longitude)
        return None


def offer_type_families() -> list[OfferType]:
    return list(OfferType.objects.filter(is_family=True).order_by("position"))


def _distance_km(lat: float, lon: float):
    """Haversine distance from (lat, lon) to the offer, as a database expression (both vendors)."""
    return _Haversine(lat, lon)


class _Haversine(Func):
    """2 R asin(sqrt(sin²(Δφ/2) + cos φ0 cos φ sin²(Δλ/2))) from (lat, lon) to the offer's position, in km.

    One expression node writing the SQL that the nested Radians/Sin/Cos/Power/ASin/Sqrt functions gave (same
    text, same parameters): resolving, copying and compiling that tree cost ~3 ms of Python per page and count.
    """

    output_field = FloatField()

    def __init__(self, lat: float, lon: float):
        super().__init__(F("latitude"), F("longitude"))
        self.lat, self.lon = lat, lon

    def as_sql(self, compiler, connection, **extra_context):
        (lat_sql, lat_params), (lon_sql, lon_params) = (compiler.compile(e) for e in self.get_source_expressions())
        constants = [
            compiler.compile(Value(v))
            for v in (
                2 * EARTH_RADIUS_KM,
                math.radians(self.lat),
                2,
                2,
                math.cos(math.radians(self.lat)),
                math.radians(self.lon),
                2,
                2,
            )
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


def _bounding_box(lat: float, lon: float, radius_km: float) -> Q:
    dlat = radius_km / 111.2
    dlon = radius_km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
    return Q(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon))


def offers_search(query: OfferQuery) -> QuerySet[Offer]:
    """Offers matching `query`, annotated with `rank` (text) and `distance_km` (around a centre)."""
    # A plain QuerySet: the search neither filters nor orders on translated fields, and modeltranslation's
    # queryset rewrites every operation for them (1 ms of a results page). Instances translate as usual.
    qs = QuerySet(Offer)
    if query.statuses:
        qs = qs.filter(status__in=query.statuses)
    if query.types:
        # An offer of one of the types or of any sub-type. Straight from offer_offer_types to the closure table
        # (no join through offer_offertype), so that PostgreSQL probes each candidate offer by index when another
        # criterion is selective, and hashes the type's offers when it is not.
        subtypes = OfferType.ancestors.through.objects.filter(to_offertype_id__in=query.types)
        through = Offer.types.through
        qs = qs.filter(
            Exists(
                through.objects.filter(offer_id=OuterRef("pk"), offertype_id__in=subtypes.values("from_offertype_id"))
            )
        )
    centre = query.centre
    if centre and query.radius_km:
        lat, lon = centre
        qs = qs.filter(_bounding_box(lat, lon, query.radius_km)).annotate(distance_km=_distance_km(lat, lon))
        qs = qs.filter(distance_km__lte=query.radius_km)
    elif query.commune:
        qs = qs.filter(commune=query.commune)
    if query.office:
        # Straight from the territory table (no join through the communes): PostgreSQL then starts from the
        # territory's offers (35 ms for a département at 512,000 offers) instead of probing every offer of a broad
        # type (0.8 s).
        territory = Office.territory.through.objects.filter(office=query.office).values("commune_id")
        qs = qs.filter(commune_id__in=territory)
    for label_id in query.labels:
        qs = qs.filter(labels=label_id)
    for feature_id in query.features:
        qs = qs.filter(features=feature_id)
    if query.arrival and query.departure:
        from acvs.availability.selectors import filter_available  # the availability app builds on offers

        qs = filter_available(qs, query.arrival, query.departure)
    if query.text.strip():
        qs = search.filter_text(qs, query.text)
    return qs.order_by(*_ordering(query))


def search_page(query: OfferQuery, number, per_page: int, *, select_related=()) -> Page:
    """A page of `offers_search(query)` with its total: read from the search postings when the search is one word,
    one type or nothing (PostgreSQL), else ids first in one scan (OneQueryPaginator)."""
    key = postings.single_key(query, _ordering(query))
    if key is not None:
        return postings.page(key, query.statuses, number, per_page, select_related)
    return OneQueryPaginator(offers_search(query).select_related(*select_related), per_page).get_page(number)


def _ordering(query: OfferQuery) -> list:
    has_text, has_centre = bool(query.text.strip()), bool(query.centre)
    if query.order == "name":
        return ["name", "pk"]
    if query.order == "distance" and has_centre and query.radius_km:
        return ["distance_km", "pk"]
    if query.order == "freshness":
        return [F("verified_at").desc(nulls_last=True), "pk"]
    if has_text:
        return ["-rank", "name", "pk"]
    if has_centre and query.radius_km:
        return ["distance_km", "pk"]
    return ["name", "pk"]


def offer_facets(query: OfferQuery) -> dict:
    """Counts of the results per type family, label, accessibility feature and commune (the 12 first).

    Stored counts when the search is one key (PostgreSQL), else counted over the results.
    """
    key = postings.single_key(query)
    if key is not None:
        return postings.facets(key, query.statuses)
    return _counted_facets(offers_search(query))


def _counted_facets(qs: QuerySet[Offer]) -> dict:
    """One statement: the result set is computed once (a CTE), then the four counts are taken over it. Running four
    queries, each with the search as a subquery, repeats the search four times and lets the planner probe the
    type, label and feature tables row by row against the full-text filter.
    """
    empty = {"families": {}, "labels": {}, "features": {}, "communes": []}
    results = qs.order_by().values("pk", "commune_id")
    try:
        results_sql, params = results.query.get_compiler(using=results.db).as_sql()
    except EmptyResultSet:
        return empty
    # Name the CTE's columns from the select list (values() may order the two fields either way).
    columns = ", ".join({"pk": "id", "commune_id": "commune_id"}[name] for name in results.query.values_select)
    types, ancestors = Offer.types.through._meta.db_table, OfferType.ancestors.through._meta.db_table
    labels, features = Offer.labels.through._meta.db_table, Offer.features.through._meta.db_table
    offer_type, commune = OfferType._meta.db_table, Commune._meta.db_table
    materialized = "MATERIALIZED " if connections[results.db].vendor == "postgresql" else ""
    # fam maps each type to its families (a few hundred rows) and rt holds the results' types: joining them
    # avoids hashing every offer type of the base against the type tree.
    sql = f"""
        WITH r ({columns}) AS {materialized}({results_sql}),
        fam AS {materialized}(
            SELECT a.from_offertype_id AS type_id, a.to_offertype_id AS family_id
              FROM {ancestors} a JOIN {offer_type} t ON t.id = a.to_offertype_id
             WHERE t.is_family = %s
        ),
        rt AS {materialized}(SELECT ot.offer_id, ot.offertype_id FROM {types} ot JOIN r ON r.id = ot.offer_id)
        SELECT 'families', fam.family_id, NULL, NULL, COUNT(DISTINCT rt.offer_id)
          FROM rt JOIN fam ON fam.type_id = rt.offertype_id
         GROUP BY fam.family_id
        UNION ALL
        SELECT 'labels', l.label_id, NULL, NULL, COUNT(*)
          FROM r JOIN {labels} l ON l.offer_id = r.id GROUP BY l.label_id
        UNION ALL
        SELECT 'features', f.feature_id, NULL, NULL, COUNT(*)
          FROM r JOIN {features} f ON f.offer_id = r.id GROUP BY f.feature_id
        UNION ALL
        SELECT * FROM (
            SELECT 'communes', CAST(NULL AS BIGINT), r.commune_id, c.name, COUNT(*) AS n
              FROM r JOIN {commune} c ON c.insee = r.commune_id
             GROUP BY r.commune_id, c.name
             ORDER BY n DESC, c.name
             LIMIT 12
        ) top_communes
    """
    facets = {"families": {}, "labels": {}, "features": {}, "communes": []}
    with connections[results.db].cursor() as cursor:
        cursor.execute(sql, [*params, True])
        for kind, pk, insee, name, n in cursor.fetchall():
            if kind == "communes":
                facets["communes"].append({"commune_id": insee, "commune__name": name, "n": n})
            else:
                facets[kind][pk] = n
    facets["communes"].sort(key=lambda row: (-row["n"], row["commune__name"]))
    return facets


def offer_detail_queryset() -> QuerySet[Offer]:
    return Offer.objects.select_related(
        "commune", "owner_office", "owner_office__department", "provider", "verified_by", "updated_by"
    ).prefetch_related("types", "labels", "features", "periods", "prices", "photos")


def get_offer(pk: int) -> Offer:
    """Any offer of the network (everyone reads everything); 404 when it does not exist."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(offer_detail_queryset(), pk=pk)


def stale_before():
    return timezone.now() - timedelta(days=round(settings.ACVS_FRESHNESS_MONTHS * 30.44))


def is_stale(offer: Offer) -> bool:
    return offer.verified_at is None or offer.verified_at < stale_before()


def offers_to_verify(office: Office) -> QuerySet[Offer]:
    """The office's own offers not verified for the freshness period, oldest first."""
    return (
        Offer.objects.filter(owner_office=office)
        .exclude(status=Status.ARCHIVED)
        .filter(Q(verified_at__isnull=True) | Q(verified_at__lt=stale_before()))
        .select_related("commune")
        .order_by(F("verified_at").asc(nulls_first=True), "name")
    )
