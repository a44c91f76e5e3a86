"""Writes to the offer base. The UI, the API, imports and commands all go through these functions."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.core import bulk
from acvs.core.audit import audit_record, snapshot_diff
from acvs.core.exceptions import check_version
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Commune, Membership, Office

from . import thumbnails
from .models import Offer, OfferPhoto, OpeningPeriod, Price, Provider
from .search import indexing
from .search.backends import backend
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
    periods, prices = _checked_rows(offer, data)
    OpeningPeriod.objects.bulk_create(periods)
    offer.prices.all().delete()
    Price.objects.bulk_create(prices)


def _checked_rows(offer: Offer, data: OfferData, *, in_bulk: bool = False) -> tuple[list, list]:
    """The offer's periods and prices, each validated (ValidationError at the first refused). `in_bulk`: without the
    check constraints' queries (one per row and constraint), which `clean()` and the fields' validators already
    enforce with the same messages (a field in error is left out of the constraints' checks)."""
    periods = [OpeningPeriod(offer=offer, **row) for row in data.periods]
    prices = [Price(offer=offer, **row) for row in data.prices]
    for child in periods + prices:
        child.full_clean(exclude=["offer"], validate_constraints=not in_bulk)
    return periods, prices


def _check_types(data: OfferData) -> None:
    if not data.types:
        raise ValidationError({"types": _("Choose at least one type.")})


@transaction.atomic
def offer_create(*, membership: Membership, data: OfferData) -> Offer:
    if not rules.can_create_offers(membership):
        raise PermissionDenied(_("Your role does not allow creating offers."))
    offer = _new_offer(membership, data)
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


def _new_offer(membership: Membership, data: OfferData, owners: dict | None = None) -> Offer:
    """The offer `data` describes, its owner resolved and every field validated; not saved. `owners` (offers created
    in bulk): the owners already resolved, by commune, and the per-row queries of `full_clean` left to
    `offers_create_bulk`, which does them once for all (see there)."""
    _check_types(data)
    offer = Offer(**data.fields)
    if owners is None:
        offer.owner_office = _resolve_owner(membership=membership, commune=offer.commune, requested=data.owner_office)
    else:
        key = (offer.commune_id, data.owner_office.pk if data.owner_office else None)
        if key not in owners:
            try:
                owners[key] = _resolve_owner(membership=membership, commune=offer.commune, requested=data.owner_office)
            except ValidationError as error:
                owners[key] = error
        if isinstance(owners[key], ValidationError):
            raise owners[key]
        offer.owner_office = owners[key]
    offer.updated_by = membership.user
    if owners is None:
        offer.full_clean(exclude=["types", "labels", "features"])
    else:
        offer.full_clean(exclude=["types", "labels", "features", *BULK_CHECKED], validate_unique=False,
                         validate_constraints=False)  # fmt: skip
    return offer


# Foreign keys `offers_create_bulk` checks once per batch rather than once per offer (`full_clean`: a query each).
BULK_CHECKED = ("commune", "owner_office", "updated_by", "provider")


def offers_check_bulk(*, membership: Membership, datas: list[OfferData]) -> list[tuple | ValidationError]:
    """What `offers_create_bulk` would do with `datas`, nothing written: for each, the offer with its periods and
    prices as they would be written, or the ValidationError that refuses it (PermissionDenied for them all).

    Each offer is validated by the code `offer_create` runs (`_new_offer`, `_checked_rows`), without the queries
    `full_clean` makes per row: the foreign keys (commune, owner, author, provider) are checked here in one query each
    for the whole lot, with the message `full_clean` gives; the uuid is a new uuid4 (unique; the base's constraint
    stays); the check constraints (coordinates; a period's dates; a price's range) say again what the fields'
    validators and `clean()` refuse, with their own message (a field in error is left out of the constraints)."""
    if not rules.can_create_offers(membership):
        raise PermissionDenied(_("Your role does not allow creating offers."))
    owners: dict = {}
    results: list = []
    for data in datas:
        try:
            results.append(_new_offer(membership, data, owners))
        except ValidationError as error:
            results.append(error)
    _check_keys(results)
    for i, (data, offer) in enumerate(zip(datas, results, strict=True)):
        if isinstance(offer, Offer):
            try:
                results[i] = (offer, *_checked_rows(offer, data, in_bulk=True))
            except ValidationError as error:
                results[i] = error
    return results


@transaction.atomic
def offers_create_bulk(*, membership: Membership, datas: list[OfferData]) -> list[Offer | ValidationError]:
    """`offer_create` for many new offers at once (an import): for each `data`, the offer created, or the
    ValidationError that refuses it (the others are written all the same; a refused one writes nothing).

    Validated by `offers_check_bulk`; then the offers, their types, labels, features, periods and prices are written
    with `core.bulk.insert` (COPY on PostgreSQL), one history entry per offer with the snapshot `offer_create` takes,
    and each offer's search document built as `indexing.reindex` builds it (from the same values, in memory: the
    re-indexing `offer_create` schedules would find it as it is)."""
    checked = offers_check_bulk(membership=membership, datas=datas)
    created = [(data, *found) for data, found in zip(datas, checked, strict=True) if isinstance(found, tuple)]
    through = {name: getattr(Offer, name).through for name in ("types", "labels", "features")}
    columns = {"types": "offertype_id", "labels": "label_id", "features": "feature_id"}
    prefetch_related_objects(list({t.pk: t for data, *_rest in created for t in data.types}.values()), "ancestors")
    for data, offer, offer_periods, offer_prices in created:
        for name, model in through.items():  # a set, as `set()` makes it, in the order the base gives
            items = sorted({item.pk: item for item in getattr(data, name)}.values(), key=lambda item: item.pk)
            _prefetched(offer, name, _ordered(items, model._meta.get_field(columns[name]).related_model._meta.ordering))
        _prefetched(offer, "periods", _ordered(offer_periods, ("start_date", "opens")))
        _prefetched(offer, "prices", _ordered(offer_prices, ("min_amount",)))
        cache = offer._prefetched_objects_cache
        offer.search_document = indexing.document_of(offer, cache["types"], cache["labels"])
    search = backend()
    offers = bulk.insert(Offer, [offer for _data, offer, *_rows in created], extra=search.new_columns())
    periods, prices = [], []
    links = {name: [] for name in through}
    for _data, offer, offer_periods, offer_prices in created:
        for row in offer_periods + offer_prices:
            row.offer = offer  # now with its id
        periods += offer_periods
        prices += offer_prices
        for name in through:
            links[name] += [through[name](offer_id=offer.pk, **{columns[name]: item.pk})
                            for item in offer._prefetched_objects_cache[name]]  # fmt: skip
    for name, model in through.items():
        bulk.insert(model, links[name])
    bulk.insert(OpeningPeriod, periods)
    bulk.insert(Price, prices)
    kind = ContentType.objects.get_for_model(Offer)
    entries = [AuditEntry(content_type=kind, object_id=offer.pk, action=AuditEntry.Action.CREATE, user=membership.user,
                          office=membership.office, changes=snapshot_diff({}, offer_snapshot(offer)))
               for offer in offers]  # fmt: skip
    bulk.insert(AuditEntry, entries)
    search.write_documents(offers)  # SQLite's text index; PostgreSQL derives its vector from the document
    done = iter(offers)
    return [next(done) if isinstance(found, tuple) else found for found in checked]


def _check_keys(results: list) -> None:
    """The foreign keys `_new_offer` left unchecked in bulk, one query per key for all the offers: an offer whose key
    is not in the base becomes `full_clean`'s error for it (an offer already refused for another field is not checked
    for its keys too, as `full_clean` would)."""
    offers = [(i, offer) for i, offer in enumerate(results) if isinstance(offer, Offer)]
    for name in BULK_CHECKED:
        field = Offer._meta.get_field(name)
        ids = {getattr(offer, field.attname) for _i, offer in offers} - {None}
        known = set(field.remote_field.model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for i, offer in offers:
            value = getattr(offer, field.attname)
            if value is not None and value not in known and isinstance(results[i], Offer):
                params = {"model": field.remote_field.model._meta.verbose_name, "pk": value,
                          "field": field.remote_field.field_name, "value": value}  # fmt: skip
                error = ValidationError(field.error_messages["invalid"], code="invalid", params=params)
                results[i] = ValidationError({name: [error]})


def _ordered(rows: list, names) -> list:
    """Rows in their model's `ordering` as the database gives it (NULLs last on PostgreSQL, first on SQLite; ties in
    the order written)."""
    nulls_last = connection.vendor == "postgresql"
    # (rank, value): a NULL's rank puts it after or before the values, and two NULLs are equal (never compared).
    return sorted(rows, key=lambda row: [(((v := getattr(row, n)) is None) == nulls_last, v) for n in names])


def _prefetched(offer: Offer, name: str, items: list) -> None:
    """What `offer.<name>.all()` gives without a query, as `prefetch_related` leaves it (the snapshot reads it)."""
    queryset = QuerySet(Offer._meta.get_field(name).related_model)
    queryset._result_cache, queryset._prefetch_done = items, True
    if not hasattr(offer, "_prefetched_objects_cache"):
        offer._prefetched_objects_cache = {}
    offer._prefetched_objects_cache[name] = queryset


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
