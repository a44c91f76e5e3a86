"""Reads of the shared offer base. Everyone in the network reads every offer."""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from acvs.network.models import Commune, Office

from . import search
from .models import Label, Offer, OfferType, Status

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
    extra: dict = field(default_factory=dict, compare=False)

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
    dlat = Radians(F("latitude")) - math.radians(lat)
    dlon = Radians(F("longitude")) - math.radians(lon)
    a = Power(Sin(dlat / 2), 2) + math.cos(math.radians(lat)) * Cos(Radians(F("latitude"))) * Power(Sin(dlon / 2), 2)
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(a))


def _bounding_box(lat: float, lon: float, radius_km: float) -> Q:
    dlat = radius_km / 111.2
    dlon = radius_km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
    return Q(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon))


def offers_search(query: OfferQuery) -> QuerySet[Offer]:
    """Offers matching `query`, annotated with `rank` (text) and `distance_km` (around a centre)."""
    qs = Offer.objects.all()
    if query.statuses:
        qs = qs.filter(status__in=query.statuses)
    if query.types:
        through = Offer.types.through
        qs = qs.filter(Exists(through.objects.filter(offer_id=OuterRef("pk"), offertype__ancestors__in=query.types)))
    centre = query.centre
    if centre and query.radius_km:
        lat, lon = centre
        qs = qs.filter(_bounding_box(lat, lon, query.radius_km)).annotate(distance_km=_distance_km(lat, lon))
        qs = qs.filter(distance_km__lte=query.radius_km)
    elif query.commune:
        qs = qs.filter(commune=query.commune)
    if query.office:
        qs = qs.filter(commune__in=query.office.territory.all())
    for label_id in query.labels:
        qs = qs.filter(labels=label_id)
    for feature_id in query.features:
        qs = qs.filter(features=feature_id)
    if query.text.strip():
        qs = search.filter_text(qs, query.text)
    return qs.order_by(*_ordering(query, has_text=bool(query.text.strip()), has_centre=bool(centre)))


def _ordering(query: OfferQuery, *, has_text: bool, has_centre: bool) -> list:
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


def offer_facets(qs: QuerySet[Offer]) -> dict:
    """Counts of the results per type family, label, accessibility feature and commune."""
    ids = qs.order_by().values("pk")
    families = {
        row["offertype__ancestors"]: row["n"]
        for row in Offer.types.through.objects.filter(offer_id__in=ids, offertype__ancestors__is_family=True)
        .values("offertype__ancestors")
        .annotate(n=Count("offer_id", distinct=True))
    }
    labels = {
        row["label_id"]: row["n"]
        for row in Offer.labels.through.objects.filter(offer_id__in=ids).values("label_id").annotate(n=Count("pk"))
    }
    features = {
        row["feature_id"]: row["n"]
        for row in Offer.features.through.objects.filter(offer_id__in=ids).values("feature_id").annotate(n=Count("pk"))
    }
    communes = list(
        qs.order_by().values("commune_id", "commune__name").annotate(n=Count("pk")).order_by("-n", "commune__name")[:12]
    )
    return {"families": families, "labels": labels, "features": features, "communes": communes}


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


def labels_by_scheme() -> list[Label]:
    return list(Label.objects.all())
