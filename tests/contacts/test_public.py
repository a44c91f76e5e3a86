"""An office's public page: framed by the office's website, it records a web request and a pending newsletter
consent; spam is refused (honeypot, too fast, too many) with the visitor's input kept and nothing written."""

import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from acvs.contacts import public, selectors, services
from acvs.contacts.models import ConfirmationMail, ConsentEvent, Contact, RequestLink
from acvs.contacts.services import ContactData
from acvs.desk.models import VisitorRequest
from tests.conftest import membership


@pytest.fixture
def url(cavalaire):
    return reverse("contacts:public", args=[cavalaire.slug])


def form(**changes):
    data = {
        "name": "Emma Brown", "email": "Emma@Example.co.uk", "country": "GB", "commune": "",
        "message": "Which beaches suit small children in July?", "newsletter": "on", "website": "",
        "started": signing.dumps(time.time() - 30, salt="acvs.contacts.public"),
    }  # fmt: skip
    data.update(changes)
    if data["started"] == "now":  # the page was served this instant
        data["started"] = public.started_token()
    return data


def nothing_written():
    return not (VisitorRequest.objects.exists() or Contact.objects.exists() or ConsentEvent.objects.exists())


def test_the_page_may_be_framed_by_the_offices_sites(client, url, settings):
    settings.ACVS_WIDGET_FRAME_ANCESTORS = ["https://www.cavalaire.example"]
    page = client.get(url, {"lang": "en"})
    assert page.status_code == 200
    assert "X-Frame-Options" not in page
    assert "frame-ancestors https://www.cavalaire.example" in page["Content-Security-Policy"]
    html = page.content.decode()
    assert "I agree to receive the newsletter of Office de tourisme de Cavalaire by email." in html
    assert 'name="website"' in html
    # Every other page stays unframable.
    assert client.get(reverse("contacts:confirm", args=["x"]))["X-Frame-Options"] == "DENY"
    assert client.get(reverse("contacts:public", args=["nowhere"])).status_code == 404


def test_a_request_and_a_subscription_are_recorded_with_what_the_visitor_read(
    client, url, cavalaire, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}?lang=en", form(), follow=True)
    assert response.redirect_chain == [(f"{url}?lang=en&sent=rn", 302)]
    assert "your request has reached us" in response.content.decode()
    visitor_request = VisitorRequest.objects.get()
    assert (visitor_request.channel, visitor_request.status, visitor_request.office) == ("web", "to_handle", cavalaire)
    assert visitor_request.message == "Which beaches suit small children in July?"
    assert visitor_request.recorded_by is None
    contact = RequestLink.objects.get(visitor_request=visitor_request).contact
    assert (contact.name, contact.language, contact.source) == ("Emma Brown", "en", "form")
    assert [e.email for e in contact.emails.all()] == ["emma@example.co.uk"]
    newsletter = ConsentEvent.objects.get(purpose="newsletter")
    assert (newsletter.method, newsletter.pending, newsletter.by) == ("form", True, None)
    assert newsletter.text == (
        "I agree to receive the newsletter of Office de tourisme de Cavalaire by email. I can unsubscribe at any time."
    )
    answer = ConsentEvent.objects.get(purpose="request")
    assert (answer.given, answer.pending) == (True, False)
    assert not selectors.consenting("newsletter").exists()
    [message] = mail.outbox
    assert message.to == ["emma@example.co.uk"]
    assert "/contacts/confirm/" in message.body
    assert ConfirmationMail.objects.get().language == "en"


def test_a_subscription_alone_makes_a_contact_without_a_request(client, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form(message="", country="FR", commune="83240"))
    assert response.status_code == 302
    assert not VisitorRequest.objects.exists()
    contact = Contact.objects.get()
    assert (contact.commune.name, contact.department.code, contact.language) == ("Cavalaire-sur-Mer", "83", "fr")
    event = ConsentEvent.objects.get()
    assert event.pending
    # The office's name takes its article in French ("de l’Office", not "de Office").
    assert event.text.startswith("J’accepte de recevoir par courriel la lettre d’information de l’Office de tourisme")
    [message] = mail.outbox
    assert "Vous avez demandé à l’Office de tourisme de Cavalaire de vous tenir informé·e." in message.body


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"email": "pas-un-courriel"}, "Saisissez une adresse e-mail valide."),
        ({"message": "", "newsletter": ""}, "Écrivez votre demande ou inscrivez-vous"),
        ({"country": "FR", "commune": ""}, "Indiquez votre commune ou votre code postal"),
        ({"website": "http://spam.example"}, "Ce formulaire n’a pas pu être accepté."),
        ({"started": "now"}, "envoyé trop vite"),
        ({"started": "forged"}, "n’a pas pu être vérifié"),
    ],
)
def test_bad_input_and_robots_are_refused_and_nothing_is_lost(client, url, changes, error):
    response = client.post(url, form(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    if changes.get("message") != "":  # what was typed comes back
        assert "Which beaches suit small children in July?" in html
    assert nothing_written()


def test_too_many_posts_from_one_address_are_refused(client, url, settings):
    settings.ACVS_PUBLIC_FORM_RATE = 2
    for _i in range(2):
        client.post(url, form(website="robot"))
    refused = client.post(url, form())
    assert refused.status_code == 429
    assert "Trop de messages" in refused.content.decode()
    assert nothing_written()
    # Another address is not held back.
    assert client.post(url, form(), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_the_page_of_one_office_never_attaches_to_another_offices_contact(client, croix_valmer, other_agent, url):
    theirs = services.contact_create(
        membership=membership(other_agent), data=ContactData(fields={"name": "Emma B."}, emails=["emma@example.co.uk"])
    )
    assert client.post(url, form()).status_code == 302
    mine = RequestLink.objects.get().contact
    assert mine.pk != theirs.pk
    assert mine.office.slug == "cavalaire"
    assert not ConsentEvent.objects.filter(contact=theirs).exists()
    assert list(theirs.emails.values_list("email", flat=True)) == ["emma@example.co.uk"]


def test_what_a_stranger_types_never_overwrites_a_known_contact(client, agent, url):
    known = services.contact_create(
        membership=membership(agent),
        data=ContactData(fields={"name": "Emma Brown-Smith"}, emails=["emma@example.co.uk"]),
    )
    client.post(url, form(name="Somebody Else", message=""))
    known.refresh_from_db()
    assert known.name == "Emma Brown-Smith"
    assert ConsentEvent.objects.get(contact=known).pending


def test_the_office_page_shows_the_code_to_embed(client, agent, url):
    client.force_login(agent)
    page = client.get(reverse("contacts:public_embed")).content.decode()
    # Shown as text to copy (escaped once), never as markup of the page itself.
    assert f"&lt;iframe src=&quot;http://testserver{url}&quot; title=&quot;" in page
    assert "&amp;lt;" not in page


def test_the_spam_guards_in_isolation(settings):
    settings.ACVS_PUBLIC_FORM_MIN_SECONDS = 3
    assert public.fill_time_error(public.started_token()) is not None
    assert public.fill_time_error(signing.dumps(time.time() - 5, salt="acvs.contacts.public")) is None
    assert public.fill_time_error(signing.dumps(time.time() - 5, salt="another")) is not None
