"""Another office, a partner, a département administrator and an anonymous visitor never see nor change a contact;
a query outside any scope raises."""

import pytest
from django.urls import reverse
from django_scopes import ScopeError, scope

from acvs.contacts import services
from acvs.contacts.models import ConsentEvent, Contact, ContactEmail, Segment
from acvs.contacts.services import ContactData
from acvs.core.tenancy import scope_for
from tests.conftest import membership


@pytest.fixture
def anna(agent):
    m = membership(agent)
    contact = services.contact_create(
        membership=m, data=ContactData(fields={"name": "Anna Schmidt"}, emails=["anna@example.de"])
    )
    services.consent_record(
        membership=m, contact=contact, purpose="newsletter", given=True, text="Oui", face_to_face=True
    )
    return contact


def state():
    return (
        list(Contact.objects.values_list("pk", "name")),
        list(ContactEmail.objects.values_list("email", flat=True)),
        ConsentEvent.objects.count(),
        Segment.objects.count(),
    )


PAGES = [
    ("GET", "contacts:detail", {}),
    ("GET", "contacts:edit", {}),
    ("POST", "contacts:edit", {"kind": "person", "name": "Pirate", "language": "fr"}),
    ("POST", "contacts:consent", {"purpose": "newsletter", "given": "0", "text": "Non"}),
    ("GET", "contacts:merge", {}),
]


@pytest.mark.parametrize("actor", ["other_agent", "department_admin", "network_admin", "ahp_agent"])
@pytest.mark.parametrize(("method", "name", "data"), PAGES)
def test_another_office_gets_404_and_changes_nothing(client, request, anna, actor, method, name, data):
    client.force_login(request.getfixturevalue(actor))
    before = state()
    url = reverse(name, args=[anna.pk])
    response = client.get(url, data) if method == "GET" else client.post(url, data)
    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize(("method", "name", "data"), PAGES)
def test_a_partner_is_refused_and_changes_nothing(client, partner, anna, method, name, data):
    client.force_login(partner)
    before = state()
    url = reverse(name, args=[anna.pk])
    response = client.get(url, data) if method == "GET" else client.post(url, data)
    assert response.status_code == 403
    assert state() == before


@pytest.mark.parametrize(("method", "name", "data"), PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, anna, method, name, data):
    url = reverse(name, args=[anna.pk])
    response = client.get(url, data) if method == "GET" else client.post(url, data)
    assert response.status_code == 302
    assert "login" in response.url


def test_the_list_search_and_export_of_another_office_hold_none_of_ours(client, other_agent, anna):
    client.force_login(other_agent)
    assert list(client.get(reverse("contacts:list"), {"q": "anna"}).context["page"].object_list) == []
    export = client.get(reverse("contacts:export", args=["csv"]))
    assert "anna" not in export.content.decode("utf-8-sig").lower()


def test_the_same_email_recorded_by_another_office_does_not_reach_our_contact(client, other_agent, anna):
    client.force_login(other_agent)
    client.post(reverse("contacts:create"), {"kind": "person", "name": "Autre", "emails": "anna@example.de",
                                             "language": "fr"})  # fmt: skip
    theirs = Contact.objects.exclude(pk=anna.pk).get()
    assert theirs.office_id == other_agent.memberships.get().office_id
    assert list(anna.emails.values_list("email", flat=True)) == ["anna@example.de"]


def test_merging_another_offices_contact_into_ours_is_404(client, agent, other_agent, anna):
    theirs = services.contact_create(membership=membership(other_agent), data=ContactData(fields={"name": "X"}))
    client.force_login(agent)
    before = state()
    url = reverse("contacts:merge", args=[anna.pk])
    assert client.post(url, {"with": theirs.pk, "confirm": "on"}).status_code == 404
    assert state() == before


@pytest.mark.parametrize("model", [Contact, ContactEmail, ConsentEvent, Segment])
def test_a_query_without_scope_raises(anna, model):
    with scope(), pytest.raises(ScopeError):
        list(model.objects.all())


def test_a_scope_shows_only_its_office(anna, croix_valmer, cavalaire):
    with scope_for(office=croix_valmer):
        assert not Contact.objects.exists()
        assert not ConsentEvent.objects.exists()
    with scope_for(office=cavalaire):
        assert list(Contact.objects.all()) == [anna]
