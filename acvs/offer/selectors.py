"""Reads of the shared offer base. Everyone in the network reads every offer; the search is `offer.search`."""

from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from acvs.network.models import Office

from .models import Offer, OfferType, Status


def offer_type_families() -> list[OfferType]:
    return list(OfferType.objects.filter(is_family=True).order_by("position"))


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


def to_verify() -> Q:
    """Offers to verify: not archived and not verified for the freshness period."""
    return ~Q(status=Status.ARCHIVED) & (Q(verified_at__isnull=True) | Q(verified_at__lt=stale_before()))


def offers_to_verify(office: Office) -> QuerySet[Offer]:
    """The office's own offers to verify, oldest first (the search lists them too: owner and to_verify)."""
    return (
        Offer.objects.filter(to_verify(), owner_office=office)
        .select_related("commune")
        .order_by(F("verified_at").asc(nulls_first=True), "name")
    )
