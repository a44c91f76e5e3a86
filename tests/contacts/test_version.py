"""Two agents edit the same contact: the second save is refused, says who saved when, and keeps what was typed."""

from django.test import Client
from django.urls import reverse

from acvs.contacts import services
from acvs.contacts.models import Contact
from acvs.contacts.services import ContactData
from tests.conftest import PASSWORD, make_user, membership


def edit_form(contact, **changes):
    data = {"kind": "person", "name": contact.name, "emails": "anna@example.de", "phones": "", "address": "",
            "postcode": "", "commune": "", "country": "DE", "department": "", "language": "de", "tags": "",
            "version": str(contact.version)}  # fmt: skip
    data.update(changes)
    return data


def test_the_second_save_is_refused_with_the_input_kept(agent, cavalaire):
    colleague = make_user("colleague", cavalaire, "agent")
    contact = services.contact_create(
        membership=membership(agent),
        data=ContactData(
            fields={"name": "Anna Schmidt", "country": "DE", "language": "de"}, emails=["anna@example.de"]
        ),
    )
    first, second = Client(), Client()
    first.login(username=agent.username, password=PASSWORD)
    second.login(username=colleague.username, password=PASSWORD)
    url = reverse("contacts:edit", args=[contact.pk])
    assert f'name="version" value="{contact.version}"' in first.get(url).content.decode()
    opened = edit_form(contact)  # both opened the same version

    assert first.post(url, {**opened, "name": "Anna Schmidt-Weber"}).status_code == 302
    refused = second.post(url, {**opened, "name": "Anna Schmitt", "address": "12 Hauptstraße"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "après que vous l’avez ouvert. Vos modifications n’ont pas été enregistrées." in html
    assert "Agent" in html  # who saved in between
    assert 'value="Anna Schmitt"' in html
    assert 'value="12 Hauptstraße"' in html
    contact.refresh_from_db()
    assert (contact.name, contact.address, contact.version) == ("Anna Schmidt-Weber", "", 2)

    # Reloaded, the second agent saves on the new version.
    assert second.post(url, edit_form(contact, address="12 Hauptstraße")).status_code == 302
    assert Contact.objects.get().address == "12 Hauptstraße"
