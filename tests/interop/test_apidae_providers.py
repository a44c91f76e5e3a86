"""Apidae structures become providers, and the offers naming a structure are linked to its provider; dry run,
unchanged re-import, the office's own edits and the office's territory. The real samples (tests/interop/samples)."""

import json

import pytest
from django.urls import reverse

from acvs.core.models import AuditEntry
from acvs.interop.importing import apidae, services
from acvs.interop.models import ImportedProvider, ImportRun
from acvs.network.models import Role
from acvs.offer.models import Offer, Provider
from tests.conftest import make_user, membership
from tests.interop.test_connectors import read, sample


@pytest.fixture
def m(manager):
    return membership(manager)


def actions(run: ImportRun) -> list[str]:
    return [line["action"] for line in run.report]


def committed(m, content: bytes, name: str = "apidae.json") -> ImportRun:
    run = services.import_prepare(membership=m, name=name, content=content, source="apidae")
    return services.import_commit(membership=m, run=run, exclude_refused=False)


STRUCTURE = sample("apidae/structure.json")


def event_and_its_structure() -> bytes:
    """The event sample and, as a whole object, the structure managing it (the sample structure given its id)."""
    event = json.loads(sample("apidae/apidaeEvent.json"))["objetsTouristiques"][0]
    (structure,) = json.loads(STRUCTURE)
    structure = {**structure, "id": 227551, "nom": {"libelleFr": "Toto et compagnie"}}
    structure["informations"]["moyensCommunication"] = [
        {"type": {"id": apidae.PHONE}, "coordonnees": {"fr": "04 92 65 09 38"}},
        {"type": {"id": apidae.EMAIL}, "coordonnees": {"fr": "contact@toto.example"}},
    ]
    return json.dumps([event, structure]).encode()  # the structure after the offer: read first all the same


def test_a_structure_is_read_as_a_provider_record():
    (record,) = read(apidae.CONNECTOR, "apidae/structure.json")
    assert record["kind"] == "provider"
    assert (record["source_id"], record["name"]) == ("504", "Société des accordéonistes aixois")
    assert record["fields"]["address"] == "Théâtre de Verdure, Rue Jean Monard"
    (event,) = [r for r in read(apidae.CONNECTOR, "apidae/apidaeEvent.json") if r.get("kind") != "provider"]
    assert event["provider"] == "227551"  # its managing structure


def test_a_structure_is_dry_run_then_imported_as_a_provider_then_left_alone(m, client, manager):
    run = services.import_prepare(membership=m, name="structure.json", content=STRUCTURE, source="apidae")
    assert actions(run) == ["created"]
    assert run.report[0]["kind"] == "provider"
    assert run.counts()["providers_created"] == 1
    assert run.counts()["created"] == 0
    assert not Provider.objects.exists()  # a dry run writes nothing
    client.force_login(manager)
    page = client.get(reverse("interop:import_run", args=[run.pk])).content.decode()
    assert "1 prestataire créé" in page
    assert "(prestataire)" in page

    services.import_commit(membership=m, run=run, exclude_refused=False)
    provider = Provider.objects.get()
    assert provider.name == "Société des accordéonistes aixois"
    assert provider.owner_office == m.office
    assert ImportedProvider.objects.get().provider == provider
    audits, version = AuditEntry.objects.count(), provider.version

    again = committed(m, STRUCTURE, "structure.json")
    assert actions(again) == ["unchanged"]
    provider.refresh_from_db()
    assert provider.version == version
    assert AuditEntry.objects.count() == audits
    assert Provider.objects.count() == 1


def test_an_offer_is_linked_to_the_provider_of_its_structure(m):
    run = committed(m, event_and_its_structure())
    assert actions(run) == ["created", "created"]
    assert run.report[0]["kind"] == "provider"  # the structure first, so that the offer finds it
    event = Offer.objects.get(imported_from__source_id="323154")
    assert event.provider.name == "Toto et compagnie"
    assert event.provider.email == "contact@toto.example"
    assert event.provider.phone.as_e164 == "+33492650938"
    versions = {o.pk: o.version for o in Offer.objects.all()}
    again = committed(m, event_and_its_structure())
    assert actions(again) == ["unchanged", "unchanged"]
    assert {o.pk: o.version for o in Offer.objects.all()} == versions


def test_a_structure_the_file_does_not_hold_is_made_from_the_offer_s_copy(m):
    content = json.dumps(json.loads(sample("apidae/apidaeEvent.json"))["objetsTouristiques"]).encode()
    run = committed(m, content)
    assert actions(run) == ["created", "created"]
    event = Offer.objects.get()
    assert event.provider.name == "Toto"
    assert event.provider.address == "Place des Aires"
    # The whole structure in a later file updates the same provider.
    run = committed(m, event_and_its_structure())
    assert actions(run) == ["updated", "unchanged"]
    assert Provider.objects.count() == 1
    event.refresh_from_db()
    assert event.provider.name == "Toto et compagnie"


def test_what_the_office_changed_on_a_provider_stays_its_own(m):
    committed(m, event_and_its_structure())
    provider = Provider.objects.get()
    Provider.objects.filter(pk=provider.pk).update(email="office@toto.example")
    run = committed(m, event_and_its_structure())
    assert actions(run) == ["unchanged", "unchanged"]  # the source says what it said
    provider.refresh_from_db()
    assert provider.email == "office@toto.example"
    # The source changes the email too: the office's stays, and the line says so.
    content = event_and_its_structure().replace(b"contact@toto.example", b"new@toto.example")
    run = committed(m, content)
    assert actions(run) == ["unchanged", "unchanged"]
    assert "mail" in run.report[0]["reason"]
    provider.refresh_from_db()
    assert provider.email == "office@toto.example"


def test_a_provider_of_another_office_is_not_changed_by_this_one(m, croix_valmer):
    committed(m, STRUCTURE, "structure.json")
    other = membership(make_user("othermanager", croix_valmer, Role.MANAGER))
    changed = json.loads(STRUCTURE)
    changed[0]["nom"] = {"libelleFr": "Nom changé ailleurs"}
    run = committed(other, json.dumps(changed).encode(), "structure.json")
    assert actions(run) == ["unchanged"]  # not this office's to change; its offers may still name it
    assert "office propriétaire" in run.report[0]["reason"]
    assert run.status == ImportRun.Status.COMMITTED
    assert Provider.objects.get().name == "Société des accordéonistes aixois"


def email_changed(email: str) -> bytes:
    return event_and_its_structure().replace(b"contact@toto.example", email.encode())


@pytest.fixture
def office_email(m) -> Provider:
    """The structure imported, then its provider given another email by the office."""
    committed(m, event_and_its_structure())
    provider = Provider.objects.get()
    Provider.objects.filter(pk=provider.pk).update(email="office@toto.example")
    provider.refresh_from_db()
    return provider


def test_a_provider_field_changed_on_both_sides_is_listed_then_the_source_s_is_taken(client, manager, m, office_email):
    run = committed(m, email_changed("new@toto.example"))
    (conflict,) = run.report[0]["conflicts"]
    assert (conflict["field"], conflict["current"], conflict["incoming"]) == (
        "email",
        "office@toto.example",
        "new@toto.example",
    )
    assert run.counts()["conflicts"] == 1
    assert Provider.objects.get().email == "office@toto.example"  # not overwritten
    client.force_login(manager)
    page = client.get(reverse("interop:import_run", args=[run.pk])).content.decode()
    assert "1 champ modifié par l’office et changé à la source" in page
    assert "<q>new@toto.example</q>" in page
    assert "Prendre la valeur de la source" in page
    data = {"line": run.report[0]["line"], "field": "email", "choice": "accept"}
    assert client.post(reverse("interop:import_conflict", args=[run.pk]), data).status_code == 302
    provider = Provider.objects.get()
    assert provider.email == "new@toto.example"
    assert provider.version == office_email.version + 1
    entry = AuditEntry.objects.filter(object_id=provider.pk, action=AuditEntry.Action.UPDATE).latest("at")
    assert entry.content_type.model_class() is Provider
    assert [c["field"] for c in entry.changes] == ["email"]
    run.refresh_from_db()
    assert run.counts()["conflicts"] == 0
    refused = client.post(reverse("interop:import_conflict", args=[run.pk]), data)  # settled: said on the page
    assert refused.status_code == 400
    assert "Il n’y a pas de tel conflit à régler." in refused.content.decode()
    # Settled: the same source again is no conflict and changes nothing.
    again = committed(m, email_changed("new@toto.example"))
    assert actions(again) == ["unchanged", "unchanged"]
    assert "conflicts" not in again.report[0]
    assert Provider.objects.get().version == provider.version


def test_a_provider_field_kept_by_the_office_comes_back_only_when_the_source_changes_again(m, office_email):
    run = committed(m, email_changed("new@toto.example"))
    services.conflict_settle(membership=m, run=run, line=run.report[0]["line"], field="email", accept=False)
    assert Provider.objects.get().email == "office@toto.example"
    assert Provider.objects.get().version == office_email.version
    again = committed(m, email_changed("new@toto.example"))
    assert actions(again) == ["unchanged", "unchanged"]
    assert "conflicts" not in again.report[0]
    (conflict,) = committed(m, email_changed("newer@toto.example")).report[0]["conflicts"]
    assert conflict["incoming"] == "newer@toto.example"
    assert Provider.objects.get().email == "office@toto.example"


def test_another_office_cannot_settle_a_provider_s_conflict(client, m, office_email, croix_valmer, agent):
    run = committed(m, email_changed("new@toto.example"))
    data = {"line": run.report[0]["line"], "field": "email", "choice": "accept"}
    client.force_login(make_user("othermanager", croix_valmer, Role.MANAGER))
    assert client.post(reverse("interop:import_conflict", args=[run.pk]), data).status_code == 404
    client.force_login(agent)
    assert client.post(reverse("interop:import_conflict", args=[run.pk]), data).status_code == 403
    assert Provider.objects.get().email == "office@toto.example"
