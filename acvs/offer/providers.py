"""Providers (prestataires): reads and writes, following the same ownership rules as offers."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from acvs.core.audit import audit_record, snapshot_diff
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Membership

from .models import Provider, ProviderContact
from .search import indexing

FIELDS = ["name", "legal_name", "siret", "address", "commune", "phone", "email", "website"]


def providers_search(text: str = "") -> QuerySet[Provider]:
    qs = Provider.objects.select_related("commune", "owner_office").annotate(offer_count=Count("offers"))
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(legal_name__icontains=text) | Q(siret=text))
    return qs.order_by("name", "pk")


def get_provider(pk: int) -> Provider:
    return get_object_or_404(
        Provider.objects.select_related("commune", "owner_office", "updated_by").prefetch_related("contacts"), pk=pk
    )


def _snapshot(provider: Provider) -> dict:
    snap = {
        name: (str(Provider._meta.get_field(name).verbose_name), str(getattr(provider, name) or "")) for name in FIELDS
    }
    snap["contacts"] = (
        str(ProviderContact._meta.verbose_name_plural),
        "\n".join(" · ".join(str(v) for v in (c.name, c.role, c.phone, c.email) if v) for c in provider.contacts.all()),
    )
    return snap


def _write_contacts(provider: Provider, contacts: list[dict]) -> None:
    provider.contacts.all().delete()
    rows = [ProviderContact(provider=provider, **row) for row in contacts]
    for row in rows:
        row.full_clean(exclude=["provider"])
    ProviderContact.objects.bulk_create(rows)


@transaction.atomic
def provider_save(
    *, membership: Membership, fields: dict, contacts: list[dict], provider: Provider | None = None
) -> Provider:
    """Create (provider=None) or update a provider and its contacts; the acting office owns a new one."""
    if provider is None:
        if not rules.can_create_offers(membership):
            raise PermissionDenied(_("Your role does not allow creating providers."))
        provider, before = Provider(owner_office=membership.office), {}
        action, renamed = AuditEntry.Action.CREATE, False
    else:
        provider = Provider.objects.select_for_update().get(pk=provider.pk)
        if not rules.can_change_provider(membership, provider):
            raise PermissionDenied(_("Only the owning office can change this provider."))
        before, action = _snapshot(provider), AuditEntry.Action.UPDATE
        provider.version += 1
        renamed = fields.get("name", provider.name) != provider.name
    for name, value in fields.items():
        setattr(provider, name, value)
    provider.updated_by = membership.user
    provider.full_clean()
    provider.save()
    _write_contacts(provider, contacts)
    changes = snapshot_diff(before, _snapshot(provider))
    if changes:
        audit_record(instance=provider, action=action, user=membership.user, office=membership.office, changes=changes)
    if renamed:  # its name is in its offers' search documents
        indexing.schedule_provider(provider.pk)
    return provider
