"""An erased contact stays an anonymous row: the services refuse to change it or add to it (edit, consent, merge,
confirmation link), and the screens say so with a 409."""

import pytest
from django.urls import reverse

from acvs.contacts import optin, rights, services
from acvs.contacts.models import ConfirmationMail, ConsentEvent, Contact, RequestLink
from acvs.contacts.services import ContactData, ContactErased
from acvs.desk import services as desk_services
from acvs.desk.services import RequestData
from tests.conftest import membership

from .test_version import edit_form

REFUSAL = "Ce contact a été effacé : rien ne peut plus y être modifié ni ajouté."


@pytest.fixture
def erased(agent, manager, django_capture_on_commit_callbacks):
    """Anna, whose newsletter consent asked by phone awaits its confirmation, then erased by the manager."""
    m = membership(agent)
    contact = services.contact_create(
        membership=m, data=ContactData(fields={"name": "Anna Schmidt", "language": "de"}, emails=["anna@example.de"])
    )
    with django_capture_on_commit_callbacks():
        services.consent_record(membership=m, contact=contact, purpose="newsletter", given=True, text="Oui")
    rights.contact_erase(membership=membership(manager), contact=contact, confirmation="Anna Schmidt")
    return Contact.objects.get(pk=contact.pk)


@pytest.fixture
def paul(agent):
    return services.contact_create(membership=membership(agent), data=ContactData(fields={"name": "Paul"}))


def test_the_services_refuse_every_write_on_an_erased_contact(agent, erased, paul):
    m = membership(agent)
    events = ConsentEvent.objects.filter(contact=erased).count()
    with pytest.raises(ContactErased):
        services.contact_update(
            membership=m, contact=erased, data=ContactData(fields={"name": "Anna"}, emails=["anna@example.de"])
        )
    with pytest.raises(ContactErased):
        services.consent_record(
            membership=m, contact=erased, purpose="newsletter", given=True, text="Oui", face_to_face=True
        )
    for kept, merged in ((paul, erased), (erased, paul)):
        with pytest.raises(ContactErased):
            services.contact_merge(membership=m, kept=kept, merged=merged, choices={"name": "merged"})
    # The link mailed before the erasure confirms nothing either.
    with pytest.raises(optin.LinkRefused) as refused:
        optin.confirm(mail=ConfirmationMail.objects.get(event__contact=erased))
    assert refused.value.reason == "erased"

    erased.refresh_from_db()
    assert (erased.name, erased.version, erased.erased_at is not None) == ("", 1, True)
    assert not erased.emails.exists()
    assert ConsentEvent.objects.filter(contact=erased).count() == events
    assert Contact.objects.filter(pk__in=[erased.pk, paul.pk]).count() == 2
    assert Contact.objects.get(pk=paul.pk).name == "Paul"


def test_a_live_contact_is_still_changed(agent, paul):
    """The guard reads the erasure, not something every contact has."""
    services.contact_update(membership=membership(agent), contact=paul, data=ContactData(fields={"name": "Paula"}))
    assert Contact.objects.get(pk=paul.pk).name == "Paula"


def test_the_screens_show_the_refusal(client, agent, erased, paul):
    client.force_login(agent)
    edit = client.post(reverse("contacts:edit", args=[erased.pk]), edit_form(erased, name="Anna"))
    assert edit.status_code == 409
    assert REFUSAL in edit.content.decode()

    consent = client.post(
        reverse("contacts:consent", args=[erased.pk]),
        {"purpose": "newsletter", "given": "1", "text": "Oui", "face_to_face": "on"},
    )
    assert consent.status_code == 409
    assert REFUSAL in consent.content.decode()

    merge = client.post(reverse("contacts:merge", args=[paul.pk]), {"with": erased.pk, "confirm": "on"})
    assert merge.status_code == 409
    assert REFUSAL in merge.content.decode()

    confirm = client.post(reverse("contacts:confirm", args=[optin.link_token(ConfirmationMail.objects.get())]))
    assert confirm.status_code == 409
    assert "nothing was changed" in confirm.content.decode()  # in the mail's language (German: English)
    erased.refresh_from_db()
    assert (erased.name, erased.version) == ("", 1)
    assert Contact.objects.filter(pk=paul.pk).exists()


def test_an_identity_typed_later_into_an_erased_contact_s_request_starts_a_new_contact(agent, manager):
    m = membership(agent)
    fields = {"origin": "abroad", "country": "DE", "adults": 2, "language": "de", "outcome": "fully"}
    request = desk_services.request_create(
        membership=m, data=RequestData(fields={**fields, "name": "Anna Schmidt", "email": "anna@example.de"})
    )
    anna = RequestLink.objects.get(visitor_request=request).contact
    rights.contact_erase(membership=membership(manager), contact=anna, confirmation="Anna Schmidt")
    request.refresh_from_db()

    desk_services.request_update(
        visitor_request=request,
        membership=m,
        version=request.version,
        data=RequestData(fields={**fields, "name": "Anna S.", "email": "anna.new@example.de"}),
    )
    anna.refresh_from_db()
    assert (anna.name, anna.erased_at is not None, anna.emails.exists()) == ("", True, False)
    newcomer = RequestLink.objects.get(visitor_request=request).contact
    assert newcomer != anna
    assert (newcomer.name, [e.email for e in newcomer.emails.all()]) == ("Anna S.", ["anna.new@example.de"])
