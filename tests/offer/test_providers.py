import pytest
from django.urls import reverse

from acvs.core.models import AuditEntry
from acvs.offer.models import Provider


@pytest.fixture
def provider(cavalaire):
    return Provider.objects.create(name="SARL Les Mimosas", owner_office=cavalaire)


def payload(**changes):
    data = {
        "name": "SARL Les Mimosas",
        "siret": "",
        "commune": "Cavalaire-sur-Mer (83240)",
        "phone": "04 94 01 92 10",
        "contacts-TOTAL_FORMS": 1,
        "contacts-INITIAL_FORMS": 0,
        "contacts-0-name": "Marie Giraud",
        "contacts-0-role": "Gérante",
        "contacts-0-email": "marie@example.org",
    }
    data.update(changes)
    return data


def test_agent_creates_a_provider_owned_by_their_office(client, agent, cavalaire):
    client.force_login(agent)
    response = client.post(reverse("offer:provider_create"), payload(name="Domaine de la Croix"))
    assert response.status_code == 302
    provider = Provider.objects.get(name="Domaine de la Croix")
    assert provider.owner_office == cavalaire
    assert provider.contacts.get().name == "Marie Giraud"
    assert provider.phone.as_e164 == "+33494019210"


def test_update_is_recorded_in_history(client, agent, provider):
    client.force_login(agent)
    response = client.post(reverse("offer:provider_edit", args=[provider.pk]), payload(name="SARL Les Mimosas & Fils"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_id=provider.pk, action="update")
    assert {"field": "name", "label": "nom", "old": "SARL Les Mimosas", "new": "SARL Les Mimosas & Fils"} in (
        entry.changes
    )


@pytest.mark.parametrize("user_fixture", ["other_agent", "partner", "ahp_agent"])
def test_others_read_but_cannot_change(client, request, provider, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("offer:provider_detail", args=[provider.pk])).status_code == 200
    assert client.get(reverse("offer:provider_edit", args=[provider.pk])).status_code == 403
    assert client.post(reverse("offer:provider_edit", args=[provider.pk]), payload(name="X")).status_code == 403
    provider.refresh_from_db()
    assert provider.name == "SARL Les Mimosas"


def test_bad_siret_and_phone_are_refused(client, agent, provider):
    client.force_login(agent)
    response = client.post(
        reverse("offer:provider_edit", args=[provider.pk]), payload(name="Typed", siret="123", phone="12")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "14 chiffres" in body
    assert 'value="Typed"' in body
    provider.refresh_from_db()
    assert provider.name == "SARL Les Mimosas"


def test_provider_list_searches_by_name(client, agent, provider, django_assert_max_num_queries):
    Provider.objects.create(name="Camping du Gigaro", owner_office=provider.owner_office)
    client.force_login(agent)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("offer:providers"), {"q": "mimosas"})
    assert [p.name for p in response.context["page"].object_list] == ["SARL Les Mimosas"]


@pytest.mark.parametrize(
    ("text", "reason"), [("SARL\x00", "Le caractère nul n’est pas autorisé."), ("x" * 201, "au plus 200 caractères")]
)
def test_a_search_text_that_cannot_be_searched_is_refused_with_the_reason(client, agent, text, reason):
    client.force_login(agent)
    response = client.get(reverse("offer:providers"), {"q": text})
    assert response.status_code == 400
    assert reason in response.content.decode()
