import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from acvs.core.exceptions import ConflictError
from acvs.core.models import AuditEntry
from acvs.network.models import Commune
from acvs.offer import services
from acvs.offer.models import Offer, OfferType
from tests.conftest import membership
from tests.factories import OfferFactory


def offer_data(**fields):
    base = {
        "name": "Camping Les Pins Parasols",
        "commune": Commune.objects.get(insee="83036"),
        "latitude": 43.17,
        "longitude": 6.53,
        "status": "published",
    }
    base.update(fields)
    return services.OfferData(fields=base, types=list(OfferType.objects.filter(code="Camping")))


def test_create_sets_owner_from_the_commune_territory(agent, cavalaire):
    offer = services.offer_create(membership=membership(agent), data=offer_data())
    assert offer.owner_office == cavalaire
    assert offer.version == 1
    entry = AuditEntry.objects.get(object_id=offer.pk)
    assert entry.action == "create"
    assert {c["field"] for c in entry.changes} >= {"name", "commune", "types"}


def test_agent_cannot_create_in_another_office_territory(agent, croix_valmer):
    data = offer_data(commune=Commune.objects.get(insee="83048"))
    with pytest.raises(ValidationError) as error:
        services.offer_create(membership=membership(agent), data=data)
    assert "La Croix-Valmer" in str(error.value)
    assert not Offer.objects.exists()


def test_department_admin_creates_for_any_office_of_the_department(department_admin, croix_valmer):
    data = offer_data(commune=Commune.objects.get(insee="83048"))
    offer = services.offer_create(membership=membership(department_admin), data=data)
    assert offer.owner_office == croix_valmer


def test_partner_cannot_create(partner):
    with pytest.raises(PermissionDenied):
        services.offer_create(membership=membership(partner), data=offer_data())
    assert not Offer.objects.exists()


def test_update_records_old_and_new_values(agent, cavalaire):
    offer = OfferFactory(owner_office=cavalaire, name="Hôtel Le Bon Port")
    data = offer_data(name="Hôtel Le Bon Port et Spa")
    services.offer_update(offer=offer, membership=membership(agent), version=offer.version, data=data)
    offer.refresh_from_db()
    assert offer.name == "Hôtel Le Bon Port et Spa"
    assert offer.version == 2
    entry = AuditEntry.objects.get(object_id=offer.pk, action="update")
    name_change = next(c for c in entry.changes if c["field"] == "name")
    assert (name_change["old"], name_change["new"]) == ("Hôtel Le Bon Port", "Hôtel Le Bon Port et Spa")
    assert entry.user == agent


def test_stale_version_is_refused_and_nothing_is_lost(agent, manager, cavalaire):
    offer = OfferFactory(owner_office=cavalaire, name="Hôtel Le Bon Port")
    loaded_version = offer.version
    services.offer_update(
        offer=offer, membership=membership(manager), version=loaded_version, data=offer_data(name="First save")
    )
    with pytest.raises(ConflictError):
        services.offer_update(
            offer=offer, membership=membership(agent), version=loaded_version, data=offer_data(name="Second save")
        )
    offer.refresh_from_db()
    assert offer.name == "First save"
    assert AuditEntry.objects.filter(object_id=offer.pk, action="update").count() == 1


def test_other_office_cannot_update_or_verify(other_agent, cavalaire):
    offer = OfferFactory(owner_office=cavalaire, name="Hôtel Le Bon Port")
    with pytest.raises(PermissionDenied):
        services.offer_update(
            offer=offer, membership=membership(other_agent), version=offer.version, data=offer_data(name="Hacked")
        )
    with pytest.raises(PermissionDenied):
        services.offer_verify(offer=offer, membership=membership(other_agent))
    offer.refresh_from_db()
    assert offer.name == "Hôtel Le Bon Port"
    assert offer.verified_at is None


def test_invalid_children_roll_back_everything(agent, cavalaire):
    offer = OfferFactory(owner_office=cavalaire, name="Hôtel Le Bon Port")
    data = offer_data(name="Renamed")
    data.prices = [{"label": "Adulte", "min_amount": 10, "max_amount": 5, "unit": "person"}]
    with pytest.raises(ValidationError):
        services.offer_update(offer=offer, membership=membership(agent), version=offer.version, data=data)
    offer.refresh_from_db()
    assert offer.name == "Hôtel Le Bon Port"
    assert offer.version == 1


def test_verify_sets_freshness(agent, cavalaire):
    offer = OfferFactory(owner_office=cavalaire)
    services.offer_verify(offer=offer, membership=membership(agent))
    offer.refresh_from_db()
    assert offer.verified_by == agent
    assert offer.verified_at is not None
