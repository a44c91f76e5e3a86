"""Double opt-in: a consent not given face to face counts once the emailed link is clicked, never before; a tampered,
expired or superseded link changes nothing."""

import re
from email import message_from_bytes, policy

import pytest
from django.urls import reverse

from acvs.contacts import optin, selectors, services
from acvs.contacts.models import ConfirmationMail, ConsentEvent, CurrentConsent
from acvs.contacts.services import ContactData
from acvs.desk import services as desk_services
from acvs.desk.services import RequestData
from tests.booklet.conftest import smtp  # noqa: F401 — fixture
from tests.conftest import membership


def make_contact(agent, email="anna@example.de", language="de", name="Anna Schmidt"):
    data = ContactData(fields={"name": name, "language": language}, emails=[email])
    return services.contact_create(membership=membership(agent), data=data)


def received(smtp):  # noqa: F811
    [envelope] = smtp.envelopes
    smtp.envelopes.clear()
    message = message_from_bytes(envelope.content, policy=policy.default)
    body = message.get_body(("plain",)).get_content()
    return envelope, message, body, re.search(r"https?://\S+/contacts/confirm/\S+/", body).group(0)


def ask(agent, contact, capture, purpose="newsletter", text="I agree to receive the newsletter."):
    with capture(execute=True):
        return services.consent_record(
            membership=membership(agent), contact=contact, purpose=purpose, given=True, text=text,
            site_url="http://testserver",
        )  # fmt: skip


def test_an_agent_consent_by_phone_is_pending_and_mailed_in_the_persons_language(
    agent,
    smtp,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    contact = make_contact(agent)
    event = ask(agent, contact, django_capture_on_commit_callbacks)
    assert event.pending
    assert not selectors.consenting("newsletter").filter(contact=contact).exists()
    assert not selectors.search({"consent": "newsletter"}).exists()
    assert {p: e for p, _l, e in selectors.current_consents(contact)}["newsletter"] is None
    envelope, message, body, link = received(smtp)
    assert envelope.rcpt_tos == ["anna@example.de"]
    # German is not a language of the site: the mail is in English.
    assert message["Subject"].strip() == "Office de tourisme de Cavalaire: please confirm your subscription"
    assert "I agree to receive the newsletter." in body
    assert ConfirmationMail.objects.get().sent_at is not None

    french = make_contact(agent, email="jean@example.fr", language="fr", name="Jean")
    ask(agent, french, django_capture_on_commit_callbacks)
    _envelope, message, _body, _link = received(smtp)
    assert message["Subject"].strip() == "Office de tourisme de Cavalaire : merci de confirmer votre inscription"


def test_face_to_face_and_request_consents_need_no_confirmation(agent):
    contact = make_contact(agent)
    m = membership(agent)
    given = services.consent_record(
        membership=m, contact=contact, purpose="newsletter", given=True, text="Oui", face_to_face=True
    )
    answered = services.consent_record(membership=m, contact=contact, purpose="request", given=True, text="Oui")
    assert not given.pending
    assert not answered.pending
    assert not ConfirmationMail.objects.exists()
    assert selectors.consenting("newsletter").filter(contact=contact).exists()


def test_without_an_email_a_remote_consent_is_refused(agent):
    contact = services.contact_create(membership=membership(agent), data=ContactData(fields={"name": "Sans"}))
    with pytest.raises(services.ValidationError):
        services.consent_record(
            membership=membership(agent), contact=contact, purpose="network", given=True, text="Oui"
        )
    assert not ConsentEvent.objects.exists()


def test_the_link_shows_the_text_then_the_click_confirms_once(
    client,
    agent,
    smtp,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    contact = make_contact(agent)
    pending = ask(agent, contact, django_capture_on_commit_callbacks)
    _envelope, _message, _body, link = received(smtp)
    path = link.removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200
    assert "I agree to receive the newsletter." in page.content.decode()
    assert ConsentEvent.objects.count() == 1  # opening the link (a mail scanner does) confirms nothing

    done = client.post(path)
    assert done.status_code == 200
    assert "your subscription is confirmed" in done.content.decode()
    confirmation = ConsentEvent.objects.get(pending=False)
    mail = ConfirmationMail.objects.get()
    assert (confirmation.given, confirmation.text, confirmation.confirmation_mail) == (True, pending.text, mail)
    assert "anna@example.de" in confirmation.origin
    assert selectors.consenting("newsletter").filter(contact=contact).exists()
    assert {p: e for p, _l, e in selectors.current_consents(contact)}["newsletter"] == confirmation

    again = client.post(path)
    assert "already confirmed" in again.content.decode()
    assert ConsentEvent.objects.count() == 2


def test_a_tampered_or_expired_link_changes_nothing(client, agent, settings, django_capture_on_commit_callbacks):
    contact = make_contact(agent)
    ask(agent, contact, django_capture_on_commit_callbacks)
    mail = ConfirmationMail.objects.get()
    token = optin.link_token(mail)
    other = make_contact(agent, email="paul@example.fr", name="Paul")
    ask(agent, other, django_capture_on_commit_callbacks)
    forged = str(ConfirmationMail.objects.exclude(pk=mail.pk).get().pk) + token[token.index(":") :]
    for bad in (forged, token[:-2] + "xx", "1", "nothing:at:all"):
        response = client.post(reverse("contacts:confirm", args=[bad]))
        assert response.status_code == 400, bad
        assert "n’est pas valide : rien n’a été modifié" in response.content.decode()
    settings.ACVS_OPTIN_DAYS = 0
    expired = client.post(reverse("contacts:confirm", args=[token]))
    assert expired.status_code == 400
    assert "a expiré : rien n’a été modifié" in expired.content.decode()
    assert not ConsentEvent.objects.filter(pending=False).exists()
    assert selectors.awaiting_confirmation(contact, {})["newsletter"].state == "expired"


def current_row(contact, purpose="newsletter"):
    return CurrentConsent.objects.filter(contact=contact, purpose=purpose).values_list("given", "event").first()


def test_the_current_consent_table_follows_the_confirmation_never_the_request(
    client, agent, settings, django_capture_on_commit_callbacks
):
    m = membership(agent)
    anna = make_contact(agent)
    withdrawn = services.consent_record(membership=m, contact=anna, purpose="newsletter", given=False, text="Non")
    ask(agent, anna, django_capture_on_commit_callbacks)
    # The pending request neither gives nor replaces the withdrawal the table holds.
    assert current_row(anna) == (False, withdrawn.pk)
    confirmation, created = optin.confirm(mail=ConfirmationMail.objects.get(event__contact=anna))
    assert created
    assert current_row(anna) == (True, confirmation.pk)

    paul = make_contact(agent, email="paul@example.fr", name="Paul")
    ask(agent, paul, django_capture_on_commit_callbacks)
    assert current_row(paul) is None
    settings.ACVS_OPTIN_DAYS = 0  # the link is older than the days allowed
    token = optin.link_token(ConfirmationMail.objects.get(event__contact=paul))
    assert client.post(reverse("contacts:confirm", args=[token])).status_code == 400
    assert current_row(paul) is None
    assert list(selectors.search({"consent": "newsletter"})) == [anna]


def test_a_withdrawal_after_the_request_wins_over_an_old_link(client, agent, django_capture_on_commit_callbacks):
    contact = make_contact(agent)
    ask(agent, contact, django_capture_on_commit_callbacks)
    services.consent_record(
        membership=membership(agent), contact=contact, purpose="newsletter", given=False, text="Non"
    )
    response = client.post(reverse("contacts:confirm", args=[optin.link_token(ConfirmationMail.objects.get())]))
    assert response.status_code == 409
    assert not ConsentEvent.objects.filter(given=True, pending=False).exists()


def test_the_contact_page_shows_the_pending_state_and_the_agent_resends(
    client, agent, other_agent, django_capture_on_commit_callbacks
):
    contact = make_contact(agent)
    event = ask(agent, contact, django_capture_on_commit_callbacks)
    client.force_login(agent)
    page = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "En attente de confirmation par courriel" in page
    resend = reverse("contacts:resend", args=[contact.pk, event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(resend).status_code == 302
    assert ConfirmationMail.objects.filter(event=event, by=agent).count() == 1
    client.force_login(other_agent)
    assert client.post(resend).status_code == 404
    assert ConfirmationMail.objects.count() == 2


def test_a_request_by_phone_asks_for_confirmation_the_counter_does_not(agent, django_capture_on_commit_callbacks):
    base = {"origin": "abroad", "country": "GB", "adults": 2, "language": "en", "outcome": "fully",
            "consent_newsletter": True, "status": "to_handle"}  # fmt: skip
    m = membership(agent)
    with django_capture_on_commit_callbacks(execute=True):
        by_phone = desk_services.request_create(
            membership=m, data=RequestData(fields={**base, "channel": "phone", "email": "tom@example.co.uk"})
        )
        desk_services.request_create(
            membership=m, data=RequestData(fields={**base, "channel": "counter", "email": "sue@example.co.uk"})
        )
    tom = ConsentEvent.objects.get(contact__emails__email="tom@example.co.uk")
    sue = ConsentEvent.objects.get(contact__emails__email="sue@example.co.uk")
    assert (tom.pending, tom.method, sue.pending, sue.method) == (True, "agent", False, "counter")
    assert ConfirmationMail.objects.get().email == "tom@example.co.uk"
    assert by_phone.consent_newsletter


def test_a_contact_with_a_confirmed_consent_can_still_be_deleted(agent, django_capture_on_commit_callbacks):
    contact = make_contact(agent)
    ask(agent, contact, django_capture_on_commit_callbacks)
    optin.confirm(mail=ConfirmationMail.objects.get())
    contact.delete()  # erasure and the office's removal go through the cascade
    assert not ConsentEvent.objects.exists()
    assert not ConfirmationMail.objects.exists()


def test_an_imported_email_consent_is_pending_and_mailed_once_the_import_committed(
    agent,
    smtp,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from acvs.contacts import importing
    from tests.contacts.test_import import check, prepare

    run = check(agent, prepare(agent, "utf8.csv"), origin="Salon 2026", consent_text="J’accepte la lettre.")
    with django_capture_on_commit_callbacks(execute=True):
        importing.import_commit(membership=membership(agent), run=run)
    event = ConsentEvent.objects.get(given=True)
    assert (event.method, event.pending, event.origin) == ("import", True, "Salon 2026")
    anne = event.contact
    assert current_row(anne) is None  # what the file states is not a consent until the person confirms it
    _envelope, message, _body, _link = received(smtp)
    assert message["To"] == "anne.lefevre@example.fr"
    optin.confirm(mail=ConfirmationMail.objects.get(event=event))
    assert current_row(anne)[0] is True
