"""A re-import never silently overwrites what the office edited since: conflicts listed, then accepted or kept."""

import pytest
from django.urls import reverse

from acvs.core.models import AuditEntry
from acvs.interop.importing import services
from acvs.interop.models import ImportedRecord, ImportRun
from acvs.network.models import Role
from acvs.offer.models import Offer
from tests.conftest import make_user, membership
from tests.interop.test_datatourisme_import import objects_2023

ESCAPADE = "23-005424b9"


def renamed(name: str) -> bytes:
    return objects_2023(**{ESCAPADE: ("rdfs:label", {"fr": [name]})})


def run_of(m, content: bytes) -> ImportRun:
    run = services.import_prepare(membership=m, name="flux.zip", content=content)
    return services.import_commit(membership=m, run=run, exclude_refused=False)


@pytest.fixture
def m(manager):
    return membership(manager)


@pytest.fixture
def edited(m) -> Offer:
    """The ten 2023 objects imported, then one offer renamed and given another phone by the office."""
    run_of(m, objects_2023())
    offer = Offer.objects.get(imported_from__source_id__endswith="/005424b9-231a-3735-b357-b13d2e2f661a")
    Offer.objects.filter(pk=offer.pk).update(name="Escapade (nom de l’office)", phone="+33494010203")
    offer.refresh_from_db()
    return offer


def conflicts(run: ImportRun) -> list[dict]:
    return [c for line in run.report for c in line.get("conflicts", [])]


def test_the_office_s_edit_stays_when_the_source_did_not_change(m, edited):
    audit = AuditEntry.objects.count()
    run = run_of(m, objects_2023())
    assert [line["action"] for line in run.report] == ["unchanged"] * 10
    assert not conflicts(run)
    edited.refresh_from_db()
    assert edited.name == "Escapade (nom de l’office)"
    assert AuditEntry.objects.count() == audit


def test_a_field_changed_on_both_sides_is_a_conflict_the_office_settles(client, manager, m, edited):
    run = run_of(m, renamed("Escapade Nature (nom de la source)"))
    assert run.status == ImportRun.Status.COMMITTED
    (conflict,) = conflicts(run)
    assert conflict["field"] == "name"
    assert (conflict["current"], conflict["incoming"]) == (
        "Escapade (nom de l’office)",
        "Escapade Nature (nom de la source)",
    )
    edited.refresh_from_db()
    assert edited.name == "Escapade (nom de l’office)"  # not overwritten
    assert run.counts()["conflicts"] == 1

    client.force_login(manager)
    page = client.get(reverse("interop:import_run", args=[run.pk])).content.decode()
    assert "Escapade Nature (nom de la source)" in page
    assert "Prendre la valeur de la source" in page
    line = next(line["line"] for line in run.report if line.get("conflicts"))
    response = client.post(
        reverse("interop:import_conflict", args=[run.pk]), {"line": line, "field": "name", "choice": "accept"}
    )
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.name == "Escapade Nature (nom de la source)"
    assert edited.phone.as_e164 == "+33494010203"  # the other edit stays
    run.refresh_from_db()
    assert run.counts()["conflicts"] == 0
    again = client.post(
        reverse("interop:import_conflict", args=[run.pk]), {"line": line, "field": "name", "choice": "keep"}
    )
    assert again.status_code == 400
    # Settled: the same source again is no conflict.
    assert not conflicts(run_of(m, renamed("Escapade Nature (nom de la source)")))


def test_a_long_value_is_shown_whole_on_both_sides(client, manager, m, edited):
    """A change at the end of a long text must be readable before choosing: the two sides are not cut."""
    stem = "Escapade nature dans le Verdon, " * 4
    Offer.objects.filter(pk=edited.pk).update(name=stem + "version de l’office")
    run = run_of(m, renamed(stem + "version de la source"))
    assert len(conflicts(run)) == 1
    client.force_login(manager)
    page = client.get(reverse("interop:import_run", args=[run.pk])).content.decode()
    assert "version de l’office" in page
    assert "version de la source" in page


def test_keeping_the_office_s_value_settles_until_the_source_changes_again(m, edited):
    run = run_of(m, renamed("Nom source 1"))
    line = next(line["line"] for line in run.report if line.get("conflicts"))
    services.conflict_settle(membership=m, run=run, line=line, field="name", accept=False)
    edited.refresh_from_db()
    assert edited.name == "Escapade (nom de l’office)"
    version = edited.version
    assert not conflicts(run_of(m, renamed("Nom source 1")))
    assert Offer.objects.get(pk=edited.pk).version == version
    (conflict,) = conflicts(run_of(m, renamed("Nom source 2")))
    assert conflict["incoming"] == "Nom source 2"
    assert ImportedRecord.objects.get(offer=edited).values["name"]["source"] == "Nom source 1"
    edited.refresh_from_db()
    assert edited.name == "Escapade (nom de l’office)"


def test_a_conflict_left_unsettled_is_listed_again_by_the_same_file(m, edited):
    content = renamed("Escapade Nature (nom de la source)")
    (first,) = conflicts(run_of(m, content))
    # The record is the same, but the office has not answered: it is compared again, and its conflict listed again.
    assert ImportedRecord.objects.get(offer=edited).source_digest == ""
    (again,) = conflicts(run_of(m, content))
    assert (again["field"], again["incoming"]) == (first["field"], first["incoming"])


def test_another_office_cannot_settle_a_conflict(client, m, edited, croix_valmer, agent):
    run = run_of(m, renamed("Nom source"))
    line = next(line["line"] for line in run.report if line.get("conflicts"))
    data = {"line": line, "field": "name", "choice": "accept"}
    client.force_login(make_user("othermanager", croix_valmer, Role.MANAGER))
    assert client.post(reverse("interop:import_conflict", args=[run.pk]), data).status_code == 404
    client.force_login(agent)
    assert client.post(reverse("interop:import_conflict", args=[run.pk]), data).status_code == 403
    edited.refresh_from_db()
    assert edited.name == "Escapade (nom de l’office)"
