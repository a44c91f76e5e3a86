import email
import email.policy
import io
import re

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from acvs.booklet import services
from acvs.booklet.models import Booklet, BookletSending
from acvs.core.models import AuditEntry
from acvs.desk import advice
from tests.conftest import membership

pytestmark = pytest.mark.django_db
SITE = "http://testserver"


def send(user, booklet, to="ann@example.org", with_pdf=True):
    return services.booklet_send(
        membership=membership(user), booklet=Booklet.objects.get(pk=booklet.pk), to=to, with_pdf=with_pdf, site_url=SITE
    )


def parse(envelope):
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def test_the_visitor_receives_the_link_and_the_pdf(agent, offers, make_request, smtp):
    request = make_request(language="en")
    advice.suggestion_add(membership=membership(agent), visitor_request=request, offer=offers[0])
    booklet = services.booklet_create(membership=membership(agent), visitor_request=request)

    sending = send(agent, booklet)

    assert sending.ok
    assert sending.error == ""
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["ann@example.org"]
    message = parse(envelope)
    assert "stay booklet" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = f"{SITE}/booklets/b/{booklet.token}/"
    assert link in text
    assert f'href="{link}"' in html
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename().endswith(f"-{booklet.pk}.pdf")
    pdf = PdfReader(io.BytesIO(attachment.get_content()))
    assert "Plage de Bonporteau" in "".join(p.extract_text() for p in pdf.pages)
    # Recorded on the booklet and in the request's history.
    assert BookletSending.objects.filter(booklet=booklet, ok=True, to="ann@example.org", with_pdf=True).count() == 1
    entry = AuditEntry.objects.filter(object_id=request.pk, changes__0__field="booklet").get()
    assert "ann@example.org" in entry.changes[0]["new"]


def test_without_pdf_there_is_no_attachment(agent, booklet, smtp):
    send(agent, booklet, with_pdf=False)
    [envelope] = smtp.envelopes
    assert list(parse(envelope).iter_attachments()) == []


def test_an_empty_booklet_cannot_be_sent(agent, smtp):
    booklet = services.booklet_create(membership=membership(agent))
    with pytest.raises(ValidationError, match="empty"):
        send(agent, booklet)
    assert smtp.envelopes == []
    assert not BookletSending.objects.exists()


@pytest.mark.parametrize("address", ["ann@", "ann example.org", "", "ann@@example.org"])
def test_a_malformed_address_is_refused_clearly(agent, booklet, smtp, address):
    with pytest.raises(ValidationError) as error:
        send(agent, booklet, to=address)
    assert "to" in error.value.error_dict
    assert "valid email address" in str(error.value) or "Give an email address" in str(error.value)
    assert smtp.envelopes == []
    assert not BookletSending.objects.exists()


def test_a_refusing_server_leaves_the_booklet_unsent_and_it_can_be_sent_again(agent, booklet, smtp):
    smtp.refuse = "550 5.7.1 Mailbox unavailable"
    with pytest.raises(services.BookletSendError) as error:
        send(agent, booklet)
    assert "550" in str(error.value)
    assert "Mailbox unavailable" in str(error.value)
    failed = BookletSending.objects.get()
    assert (failed.ok, failed.to) == (False, "ann@example.org")
    assert "550" in failed.error

    smtp.refuse = None
    assert send(agent, booklet).ok
    assert len(smtp.envelopes) == 1
    assert list(BookletSending.objects.order_by("id").values_list("ok", flat=True)) == [False, True]


def test_a_server_that_is_down_is_reported_and_recorded(agent, booklet, closed_smtp):
    with pytest.raises(services.BookletSendError) as error:
        send(agent, booklet)
    assert f"127.0.0.1:{closed_smtp}" in str(error.value)
    assert "could not be reached" in str(error.value)
    assert BookletSending.objects.get().ok is False


def test_the_send_page_reports_success_and_failure(client, agent, booklet, smtp):
    client.force_login(agent)
    url = f"/booklets/{booklet.pk}/send/"
    response = client.post(url, {"to": "bob@example.org", "with_pdf": ""}, follow=True)
    assert response.status_code == 200
    assert "Booklet sent to bob@example.org." in response.text
    assert re.search(r"bob@example\.org\s*·\s*sent", response.text)

    smtp.refuse = "550 No such user"
    response = client.post(url, {"to": "carl@example.org"}, follow=True)
    assert "The booklet was not sent" in response.text
    assert "550 No such user" in response.text
    assert "You can try again." in response.text

    response = client.post(url, {"to": "not-an-address"})
    assert response.status_code == 400
    assert "“not-an-address” is not a valid email address." in response.text
    assert len(smtp.envelopes) == 1


def test_another_office_cannot_send(client, other_agent, booklet, smtp):
    client.force_login(other_agent)
    assert client.post(f"/booklets/{booklet.pk}/send/", {"to": "x@example.org"}).status_code == 404
    assert smtp.envelopes == []
    assert not BookletSending.objects.exists()
