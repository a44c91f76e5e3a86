"""A person's rights: export everything (JSON, PDF), erase it everywhere with confirmation, every use logged."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from acvs.booklet.models import Booklet
from acvs.contacts import rights
from acvs.contacts.models import AccessAction, AccessLog, ConsentEvent, Contact
from acvs.contacts.models.consent import AppendOnlyError
from acvs.core.models import AuditEntry
from acvs.observatory.models import AreaFigure, DailyFigure, MonthlyFigure
from acvs.observatory.services import recount
from tests.conftest import membership

from .rights_world import EMAIL, ZEB, make_person


@pytest.fixture
def person(agent, cavalaire):
    return make_person(agent, cavalaire)


def rows_of(data, contact) -> dict[str, list]:
    """Per model label, the (model, pk) of the rows a PersonalData holds on the contact."""
    found = {}
    for queryset in data.rows(contact):
        found.setdefault(queryset.model._meta.label, []).extend(
            (queryset.model, pk) for pk in queryset.values_list("pk", flat=True)
        )
    return found


def test_the_export_holds_every_declared_personal_field_filled_in(manager, person):
    exported = rights.export_json(membership=membership(manager), contact=person.contact)
    json.dumps(exported)  # plain JSON values only
    for data in rights.REGISTRY.values():
        held = rows_of(data, person.contact)
        for label, names in data.fields.items():
            assert held.get(label), f"the world holds no {label} row of {data.name}"
            rows = {row["id"]: row for row in exported["data"][data.name][label]}
            for name in names:
                attname = held[label][0][0]._meta.get_field(name).attname
                values = [rows[pk][attname] for _model, pk in held[label]]
                assert any(v not in (None, "", [], {}) for v in values), f"{label}.{name} is empty in the world"


def cleared(value) -> bool:
    """Empty, or a history's changes whose values are empty (which field changed, not to what)."""
    if isinstance(value, list) and value and all(isinstance(c, dict) for c in value):
        return all(c["old"] == c["new"] == "" for c in value)
    return value in (None, "", [], {})


def test_erasure_clears_every_declared_personal_field(manager, person):
    before = {data.name: rows_of(data, person.contact) for data in rights.REGISTRY.values()}
    counts = rights.contact_erase(membership=membership(manager), contact=person.contact, confirmation=ZEB.upper())
    assert counts[str(Contact._meta.verbose_name_plural)] == 1
    assert counts[str(type(person.request)._meta.verbose_name_plural)] == 1
    for data in rights.REGISTRY.values():
        for label, rows in before[data.name].items():
            for model, pk in rows:
                row = model._base_manager.filter(pk=pk).values(*data.fields[label]).first()
                if row is None:
                    continue  # deleted (emails, phones)
                for name, value in row.items():
                    assert cleared(value), f"{label}.{name} still holds {value!r}"
    everything = json.dumps(rights.export(Contact.objects.get(pk=person.contact.pk)), ensure_ascii=False)
    assert "Zébulon" not in everything
    assert EMAIL not in everything


def test_erasure_keeps_the_anonymous_rows_and_the_consent_proof(manager, person):
    events = list(
        ConsentEvent.objects.filter(contact=person.contact).values("purpose", "given", "at", "method", "text")
    )
    rights.contact_erase(membership=membership(manager), contact=person.contact, confirmation=ZEB)
    contact = Contact.objects.get(pk=person.contact.pk)
    assert contact.erased_at is not None
    assert (contact.name, contact.country, contact.language) == ("", "FR", "fr")
    assert list(contact.emails.all()) == []
    assert list(contact.phones.all()) == []
    kept = ConsentEvent.objects.filter(contact=contact)
    assert list(kept.values("purpose", "given", "at", "method", "text")) == events
    assert set(kept.values_list("origin", flat=True)) == {""}
    with pytest.raises(AppendOnlyError):  # the guard is as strict as before
        kept.update(text="x")
    request = type(person.request).objects.get(pk=person.request.pk)
    assert (request.name, request.email, str(request.phone), request.adults) == ("", "", "", 2)
    assert request.version == person.request.version + 1
    history = AuditEntry.objects.filter(rights.audited_objects(contact))
    assert history.exists()
    assert all(c["old"] == c["new"] == "" for entry in history for c in entry.changes)


def test_statistics_do_not_move_with_an_erasure(manager, person):
    recount()

    def figures():
        return (
            set(DailyFigure.objects.values_list("office", "day", "dimension", "key", "value")),
            set(MonthlyFigure.objects.values_list("office", "month", "dimension", "key", "value")),
            set(AreaFigure.objects.values_list("department", "month", "dimension", "key", "value")),
        )

    before = figures()
    assert before[0]
    rights.contact_erase(membership=membership(manager), contact=person.contact, confirmation=ZEB)
    assert figures() == before
    recount()
    assert figures() == before


def test_the_confirmation_must_name_the_contact(manager, person):
    with pytest.raises(ValidationError):
        rights.contact_erase(membership=membership(manager), contact=person.contact, confirmation="Zébulon")
    assert Contact.objects.get(pk=person.contact.pk).name == ZEB
    assert not AccessLog.objects.filter(action=AccessAction.ERASE).exists()


def test_an_agent_cannot_erase(agent, person):
    with pytest.raises(PermissionDenied):
        rights.contact_erase(membership=membership(agent), contact=person.contact, confirmation=ZEB)
    assert Contact.objects.get(pk=person.contact.pk).erased_at is None


def test_the_screens_export_erase_and_log_every_use(client, manager, person):
    client.force_login(manager)
    pk = person.contact.pk
    response = client.get(reverse("contacts:export_json", args=[pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["data"]["contact"]["contacts.Contact"][0]["name"] == ZEB
    pdf = client.get(reverse("contacts:export_pdf", args=[pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert ZEB in text
    assert EMAIL in text
    assert "Salon de Stuttgart" in text
    form = client.get(reverse("contacts:erase", args=[pk]))
    assert form.status_code == 200
    assert ZEB in form.content.decode()
    refused = client.post(reverse("contacts:erase", args=[pk]), {"confirmation": ZEB})  # the box not ticked
    assert refused.status_code == 400
    assert Contact.objects.get(pk=pk).erased_at is None
    wrong = client.post(reverse("contacts:erase", args=[pk]), {"confirmation": "Paul", "confirm": "on"})
    assert wrong.status_code == 400
    assert "Rien n’a été effacé" in wrong.content.decode()
    done = client.post(reverse("contacts:erase", args=[pk]), {"confirmation": ZEB, "confirm": "on"}, follow=True)
    page = done.content.decode()
    assert "Effacé le" in page
    assert "erasure-report" in page
    assert ZEB not in page
    actions = list(AccessLog.objects.filter(contact_number=pk).order_by("at", "id").values_list("action", "user"))
    assert actions == [
        ("export_json", manager.pk), ("export_pdf", manager.pk), ("erase_form", manager.pk), ("erase", manager.pk),
    ]  # fmt: skip
    log = client.get(reverse("contacts:access_log"))
    assert log.status_code == 200
    assert f"n° {pk}" in log.content.decode()


def test_the_booklet_link_answers_410_kindly_after_erasure(client, manager, person):
    url = reverse("booklet:public", args=[person.booklet.token])
    assert client.get(url).status_code == 200
    rights.contact_erase(membership=membership(manager), contact=person.contact, confirmation=ZEB)
    client.logout()
    gone = client.get(url)
    assert gone.status_code == 410
    assert "n’est plus disponible" in gone.content.decode()
    assert Booklet.objects.get(pk=person.booklet.pk).erased_at is not None


def test_an_agent_exports_but_neither_erases_nor_reads_the_log(client, agent, person):
    client.force_login(agent)
    assert client.get(reverse("contacts:export_json", args=[person.contact.pk])).status_code == 200
    assert client.get(reverse("contacts:erase", args=[person.contact.pk])).status_code == 403
    assert client.post(reverse("contacts:erase", args=[person.contact.pk]),
                       {"confirmation": ZEB, "confirm": "on"}).status_code == 403  # fmt: skip
    assert client.get(reverse("contacts:access_log")).status_code == 403
    assert Contact.objects.get(pk=person.contact.pk).erased_at is None


@pytest.mark.parametrize("route", ["contacts:export_json", "contacts:export_pdf", "contacts:erase"])
def test_another_offices_contact_is_404(client, croix_valmer, other_agent, route, cavalaire, agent):
    from acvs.network.models import Role
    from tests.conftest import make_user

    other = make_person(other_agent, croix_valmer)
    client.force_login(make_user("boss", cavalaire, Role.MANAGER))
    assert client.get(reverse(route, args=[other.contact.pk])).status_code == 404
    assert (
        client.post(reverse(route, args=[other.contact.pk]), {"confirmation": ZEB, "confirm": "on"}).status_code == 404
    )
    assert Contact.objects.get(pk=other.contact.pk).name == ZEB
    assert not AccessLog.objects.exists()
