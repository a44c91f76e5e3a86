"""Writes to the offer base. The UI, the API, imports and commands all go through these functions."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.core.audit import audit_record, snapshot_diff
from acvs.core.exceptions import check_version
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Commune, Membership, Office

from . import thumbnails
from .models import Offer, OfferPhoto, OpeningPeriod, Price, Provider
from .search import indexing
from .snapshot import offer_snapshot


@dataclass
class OfferData:
    """Everything an offer form or API payload carries, already validated field by field."""

    fields: dict
    types: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    features: list = field(default_factory=list)
    periods: list[dict] = field(default_factory=list)
    prices: list[dict] = field(default_factory=list)
    owner_office: Office | None = None


def owner_for_commune(commune: Commune) -> Office | None:
    """The office whose territory holds the commune; local offices before CDTs and unions."""
    offices = list(commune.offices.filter(is_active=True).order_by("name"))
    local = [o for o in offices if o.kind not in {Office.Kind.CDT, Office.Kind.UNION}]
    return (local or offices or [None])[0]


def _resolve_owner(*, membership: Membership, commune: Commune, requested: Office | None) -> Office:
    if requested is not None and rules.can_choose_owner(membership):
        owner = requested
    else:
        owner = owner_for_commune(commune) or membership.office
    if not rules.can_write_for_office(membership, owner.pk, owner.department_id):
        raise ValidationError(
            {
                "commune": _(
                    "%(commune)s belongs to the territory of %(office)s: only that office or its "
                    "administrators can record offers there."
                )
                % {"commune": commune.name, "office": owner.name}
            }
        )
    return owner


def _write_children(offer: Offer, data: OfferData) -> None:
    offer.types.set(data.types)
    offer.labels.set(data.labels)
    offer.features.set(data.features)
    offer.periods.all().delete()
    periods = [OpeningPeriod(offer=offer, **row) for row in data.periods]
    prices = [Price(offer=offer, **row) for row in data.prices]
    for child in periods + prices:
        child.full_clean(exclude=["offer"])
    OpeningPeriod.objects.bulk_create(periods)
    offer.prices.all().delete()
    Price.objects.bulk_create(prices)


def _check_types(data: OfferData) -> None:
    if not data.types:
        raise ValidationError({"types": _("Choose at least one type.")})


@transaction.atomic
def offer_create(*, membership: Membership, data: OfferData) -> Offer:
    if not rules.can_create_offers(membership):
        raise PermissionDenied(_("Your role does not allow creating offers."))
    _check_types(data)
    offer = Offer(**data.fields)
    offer.owner_office = _resolve_owner(membership=membership, commune=offer.commune, requested=data.owner_office)
    offer.updated_by = membership.user
    offer.full_clean(exclude=["types", "labels", "features"])
    offer.save()
    _write_children(offer, data)
    audit_record(
        instance=offer,
        action=AuditEntry.Action.CREATE,
        user=membership.user,
        office=membership.office,
        changes=snapshot_diff({}, offer_snapshot(offer)),
    )
    indexing.schedule([offer.pk])
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, membership: Membership, version: int, data: OfferData) -> Offer:
    """Apply `data` if nobody saved the offer since `version` was read; record what changed."""
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if not rules.can_change_offer(membership, locked):
        raise PermissionDenied(_("Only the owning office can change this offer."))
    check_version(
        locked, version, _("%(user)s saved this offer at %(time)s, after you opened it. Your changes were not saved.")
    )
    _check_types(data)
    before = offer_snapshot(locked)
    for name, value in data.fields.items():
        setattr(locked, name, value)
    if data.owner_office is not None and rules.can_choose_owner(membership):
        locked.owner_office = data.owner_office
    locked.version += 1
    locked.updated_by = membership.user
    locked.full_clean(exclude=["types", "labels", "features"])
    locked.save()
    _write_children(locked, data)
    changes = snapshot_diff(before, offer_snapshot(locked))
    if changes:
        audit_record(
            instance=locked,
            action=AuditEntry.Action.UPDATE,
            user=membership.user,
            office=membership.office,
            changes=changes,
        )
    indexing.schedule([locked.pk])
    return locked


@transaction.atomic
def offer_verify(*, offer: Offer, membership: Membership) -> Offer:
    """ "Verified, nothing changed": refreshes freshness without touching the content."""
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if not rules.can_change_offer(membership, locked):
        raise PermissionDenied(_("Only the owning office can verify this offer."))
    locked.verified_at = timezone.now()
    locked.verified_by = membership.user
    locked.save(update_fields=["verified_at", "verified_by"])
    audit_record(instance=locked, action=AuditEntry.Action.VERIFY, user=membership.user, office=membership.office)
    return locked


@transaction.atomic
def offer_photo_add(*, offer: Offer, membership: Membership, image, credit: str, caption: str = "") -> OfferPhoto:
    if not rules.can_change_offer(membership, offer):
        raise PermissionDenied(_("Only the owning office can change this offer."))
    photo = OfferPhoto(offer=offer, image=image, credit=credit, caption=caption, position=offer.photos.count())
    photo.full_clean()
    photo.save()
    # Made in the background, so the booklets that show it do not pay for it.
    transaction.on_commit(lambda: thumbnails.thumbnail_make.enqueue(photo.pk))
    audit_record(
        instance=offer,
        action=AuditEntry.Action.UPDATE,
        user=membership.user,
        office=membership.office,
        changes=[{"field": "photos", "label": str(_("Photos")), "old": "", "new": f"{photo.image.name} © {credit}"}],
    )
    return photo


@transaction.atomic
def offer_photo_delete(*, photo: OfferPhoto, membership: Membership) -> None:
    if not rules.can_change_offer(membership, photo.offer):
        raise PermissionDenied(_("Only the owning office can change this offer."))
    audit_record(
        instance=photo.offer,
        action=AuditEntry.Action.UPDATE,
        user=membership.user,
        office=membership.office,
        changes=[
            {
                "field": "photos",
                "label": str(_("Photos")),
                "old": f"{photo.image.name} © {photo.credit}",
                "new": "",
            }
        ],
    )
    thumbnails.thumbnail_remove(photo)
    photo.image.delete(save=False)
    photo.delete()


PROVIDER_FIELDS = ("name", "legal_name", "siret", "address", "commune", "phone", "email", "website")


def provider_snapshot(provider: Provider) -> dict[str, tuple[str, str]]:
    return {name: (str(Provider._meta.get_field(name).verbose_name), str(getattr(provider, name) or ""))
            for name in PROVIDER_FIELDS}  # fmt: skip


@transaction.atomic
def provider_create(*, membership: Membership, fields: dict) -> Provider:
    """A provider owned, as offers are, by the office whose territory holds its commune (else the creating one)."""
    if not rules.can_create_offers(membership):
        raise PermissionDenied(_("Your role does not allow creating offers."))
    provider = Provider(**fields)
    owner = (owner_for_commune(provider.commune) if provider.commune else None) or membership.office
    if not rules.can_write_for_office(membership, owner.pk, owner.department_id):
        raise ValidationError(
            {"commune": _("%(commune)s belongs to the territory of %(office)s: only that office or its "
                          "administrators can record providers there.")
             % {"commune": provider.commune.name, "office": owner.name}}
        )  # fmt: skip
    provider.owner_office, provider.updated_by = owner, membership.user
    provider.full_clean()
    provider.save()
    changes = snapshot_diff({}, provider_snapshot(provider))
    audit_record(instance=provider, action=AuditEntry.Action.CREATE, user=membership.user, office=membership.office,
                 changes=changes)  # fmt: skip
    return provider


@transaction.atomic
def provider_update(*, provider: Provider, membership: Membership, version: int, fields: dict) -> Provider:
    """Apply `fields` if nobody saved the provider since `version` was read; record what changed."""
    locked = Provider.objects.select_for_update().get(pk=provider.pk)
    if not rules.can_change_provider(membership, locked):
        raise PermissionDenied(_("Only the owning office can change this provider."))
    check_version(
        locked,
        version,
        _("%(user)s saved this provider at %(time)s, after you opened it. Your changes were not saved."),
    )
    before = provider_snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.updated_by = membership.user
    locked.full_clean()
    locked.save()
    if changes := snapshot_diff(before, provider_snapshot(locked)):
        audit_record(instance=locked, action=AuditEntry.Action.UPDATE, user=membership.user,
                     office=membership.office, changes=changes)  # fmt: skip
    return locked
