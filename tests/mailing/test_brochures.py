"""Brochures of the catalogue sent with an answer: PDFs attached (read back byte for byte from a real SMTP server),
links written in the answer, the size cap, the request's history and the contact's timeline."""

import email
import email.policy
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader, PdfWriter

from acvs.booklet import render
from acvs.booklet import services as booklet_services
from acvs.contacts.models import ContactEmail
from acvs.core import jobs
from acvs.core.models import AuditEntry, Job
from acvs.core.tenancy import scope_for
from acvs.desk import advice
from acvs.documentation import selectors as documentation_selectors
from acvs.documentation import services as documentation_services
from acvs.documentation.models import Document, MovementKind, Place
from acvs.mailing import brochures, sending, services
from acvs.mailing.models import Answer, AnswerBrochure
from tests.conftest import membership

pytestmark = pytest.mark.django_db
SITE = "http://testserver"
SentAs = AnswerBrochure.SentAs


def pdf_bytes(pages: int, pad: int = 0) -> bytes:
    writer = PdfWriter()
    for _i in range(pages):
        writer.add_blank_page(width=100 + pages, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue() + (b"%" + b"p" * pad + b"\n" if pad else b"")


@pytest.fixture
def brochure(cdt_var, media):
    """Make a catalogue document kept by the CDT (not the answering office), with a PDF and/or a public link."""

    def make(title, pdf: bytes | None = None, url: str = "") -> Document:
        document = Document(title=title, language="en", publisher=cdt_var, managed_by=cdt_var, public_url=url)
        if pdf is not None:
            document.pdf = ContentFile(pdf, name="upload.pdf")
        document.save()
        return document

    return make


def send(user, visitor_request, chosen, body="Dear Ann,\n\nHere is what you asked for."):
    return services.answer_send(
        membership=membership(user), visitor_request=visitor_request, to="ann@example.org", subject="Your stay",
        body=body, template=None, booklet=None, site_url=SITE, brochures=chosen,
    )  # fmt: skip


def received(smtp):
    [envelope] = smtp.envelopes
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def test_pdfs_are_attached_byte_for_byte_and_links_written_in_the_answer(
    agent, email_request, brochure, smtp, django_capture_on_commit_callbacks
):
    guide, walks = pdf_bytes(2), pdf_bytes(3)
    summer = brochure("Summer guide", guide)
    hikes = brochure("Hiking in the Var", walks, url="https://example.org/hikes.pdf")
    online = brochure("Wine roads", url="https://example.org/wine")
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(agent, email_request, [summer, online, hikes])

    answer.refresh_from_db()
    assert answer.status == Answer.Status.SENT
    message = received(smtp)
    parts = [(p.get_filename(), p.get_content_type(), p.get_content()) for p in message.iter_attachments()]
    assert parts == [
        ("summer-guide.pdf", "application/pdf", guide),
        ("hiking-in-the-var.pdf", "application/pdf", walks),
    ]
    assert text_of(message) == (
        "Dear Ann,\n\nHere is what you asked for.\n\nOur brochure to read online:\n"
        "- Wine roads: https://example.org/wine\n"
    )
    rows = list(AnswerBrochure.objects.filter(answer=answer).values_list("title", "sent_as", "url", "size"))
    assert rows == [
        ("Summer guide", SentAs.PDF, "", len(guide)),
        ("Wine roads", SentAs.LINK, "https://example.org/wine", None),
        ("Hiking in the Var", SentAs.PDF, "", len(walks)),
    ]
    # The request's history tells which brochures went, and how.
    entry = AuditEntry.objects.filter(object_id=email_request.pk, changes__0__field="answer").get()
    assert entry.changes[0]["new"] == (
        "“Your stay” sent to ann@example.org · brochures: Summer guide (PDF attached), Wine roads (link), "
        "Hiking in the Var (PDF attached)"
    )


def test_pdfs_over_the_cap_go_as_links_and_the_agent_is_told(
    client, agent, email_request, brochure, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    first, second = pdf_bytes(1, pad=600), pdf_bytes(2, pad=600)
    monkeypatch.setattr(brochures, "ATTACHMENTS_MAX_BYTES", len(first) + 100)
    big = brochure("Big map", second)
    small = brochure("Small guide", first)
    linked = brochure("Linked atlas", pdf_bytes(1, pad=2000), url="https://example.org/atlas")
    client.force_login(agent)
    form = {
        "to": "ann@example.org", "subject": "Your stay", "body": "Dear Ann,",
        "brochures": [small.pk, big.pk, linked.pk],
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mailing/requests/{email_request.pk}/answer/", form, follow=True)
    assert response.status_code == 200
    notices = [str(m) for m in response.context["messages"]]
    assert notices[1].startswith("The brochures’ PDFs together are over ")
    assert notices[1].endswith("“Big map”, “Linked atlas” went as a link in the answer instead.")

    message = received(smtp)
    assert [(p.get_filename(), p.get_content()) for p in message.iter_attachments()] == [("small-guide.pdf", first)]
    text = text_of(message)
    big_link = SITE + documentation_selectors.pdf_link(big)
    assert text.endswith(
        f"Our brochures to read online:\n- Big map: {big_link}\n- Linked atlas: https://example.org/atlas\n"
    )
    # The link of a PDF without a public address opens it for the visitor, without logging in.
    opened = Client().get(big_link.removeprefix(SITE))
    assert opened.status_code == 200
    assert b"".join(opened.streaming_content) == second
    assert list(AnswerBrochure.objects.values_list("sent_as", flat=True)) == [
        SentAs.PDF,
        SentAs.LINK_SIZE,
        SentAs.LINK_SIZE,
    ]
    assert "3 brochures" in client.get(f"/mailing/requests/{email_request.pk}/answers/").text


def test_a_brochure_with_neither_pdf_nor_link_is_refused_before_anything_is_queued(
    client, agent, email_request, brochure, smtp
):
    bare = brochure("Paper only")
    with pytest.raises(ValidationError) as refused:
        send(agent, email_request, [bare])
    assert refused.value.message_dict == {
        "brochures": ["“Paper only”: neither a PDF nor a public link, it cannot be sent by email."]
    }
    client.force_login(agent)
    form = {
        "to": "ann@example.org",
        "subject": "Your stay",
        "body": "Dear Ann, typed with care.",
        "brochures": [bare.pk],
    }
    response = client.post(f"/mailing/requests/{email_request.pk}/answer/", form)
    assert response.status_code == 400
    assert "Dear Ann, typed with care." in response.text
    assert not Answer.objects.exists()
    assert smtp.envelopes == []


def test_a_pdf_gone_before_sending_fails_clearly_and_sends_nothing(
    agent, email_request, brochure, smtp, django_capture_on_commit_callbacks
):
    summer = brochure("Summer guide", pdf_bytes(1))
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet run
        answer = send(agent, email_request, [summer])
    summer.pdf.delete(save=True)
    jobs.run_job(answer.job_id, sending.answer_deliver)
    answer.refresh_from_db()
    assert answer.status == Answer.Status.FAILED
    assert answer.error == (
        "The PDF of “Summer guide” is no longer in the catalogue: nothing was sent. Write the answer again."
    )
    assert smtp.envelopes == []


def test_the_answer_page_offers_the_handed_out_brochures_and_finds_others_keeping_what_was_typed(
    client, agent, cavalaire, email_request, brochure
):
    handed = brochure("Beaches of Cavalaire", pdf_bytes(1))
    documentation_services.movement_record(
        membership=membership(agent), document=handed, kind=MovementKind.RECEIVED, quantity=5, place=Place.COUNTER
    )
    documentation_services.handout(membership=membership(agent), visitor_request=email_request, lines={handed: 1})
    brochure("Wine roads", url="https://example.org/wine")
    brochure("Wine cellars, paper only")
    client.force_login(agent)
    url = f"/mailing/requests/{email_request.pk}/answer/"
    page = client.get(url)
    picker = page.text.split('id="brochure-picker"')[1].split("</fieldset>")[0]
    assert "Beaches of Cavalaire" in picker
    assert "handed out with this request" in picker
    assert "Wine roads" not in picker

    typed = {"to": "ann@example.org", "subject": "Your stay", "body": "Typed with care.", "brochures": [handed.pk]}
    found = client.post(url, {**typed, "brochure_q": "wine", "find_brochures": "1"})
    assert found.status_code == 200
    assert not Answer.objects.exists()
    assert "Typed with care." in found.text
    picker = found.text.split('id="brochure-picker"')[1].split("</fieldset>")[0]
    assert f'value="{handed.pk}" checked' in picker
    assert "Wine roads" in picker
    assert "paper only" not in picker  # neither PDF nor link: not offered by the search

    nothing = client.post(url, {**typed, "brochure_q": "zeppelin", "find_brochures": "1"})
    assert 'id="brochures-not-found"' in nothing.text
    htmx = client.post(url, {**typed, "brochure_q": "wine", "find_brochures": "1"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    assert "Wine roads" in htmx.text


def test_any_office_sends_a_network_brochure_and_its_answers_stay_its_own(
    client, agent, other_agent, email_request, brochure, smtp, django_capture_on_commit_callbacks
):
    """The catalogue is shared: Cavalaire sends the CDT's brochure; the brochures it sent stay private to it."""
    summer = brochure("Summer guide", pdf_bytes(1))
    with django_capture_on_commit_callbacks(execute=True):
        send(agent, email_request, [summer])
    assert len(smtp.envelopes) == 1
    client.force_login(other_agent)
    assert client.get(f"/mailing/requests/{email_request.pk}/answers/").status_code == 404
    croix_valmer_id = other_agent.memberships.get().office_id
    with scope_for(office=croix_valmer_id):
        assert not AnswerBrochure.objects.exists()


def test_the_contact_timeline_lists_the_brochures_sent(
    client, agent, email_request, brochure, smtp, django_capture_on_commit_callbacks
):
    summer = brochure("Summer guide", pdf_bytes(1))
    with django_capture_on_commit_callbacks(execute=True):
        send(agent, email_request, [summer, brochure("Wine roads", url="https://example.org/wine")])
    contact_id = ContactEmail.objects.get(email="ann@example.org").contact_id
    client.force_login(agent)
    timeline = client.get(f"/contacts/{contact_id}/").text.split('id="timeline"')[1].split("</section>")[0]
    assert "Your stay · ann@example.org · brochure “Summer guide” · brochure “Wine roads”" in timeline


def test_the_size_of_a_missing_file_is_unknown(brochure):
    summer = brochure("Summer guide", pdf_bytes(1))
    assert brochures.pdf_size(summer) == len(pdf_bytes(1))
    summer.pdf.storage.delete(summer.pdf.name)
    assert brochures.pdf_size(summer) is None


def test_the_answers_section_reads_the_brochures_in_a_fixed_number_of_queries(
    client, agent, email_request, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            answer = Answer.objects.create(
                visitor_request=email_request, to="ann@example.org", subject=f"Your stay {i}", body="Dear Ann,",
                message_id=f"<a{i}-{n}@acvs.example>",
            )  # fmt: skip
            AnswerBrochure.objects.create(answer=answer, title=f"Guide {i}", sent_as=SentAs.LINK, url="https://e.org")

    client.force_login(agent)
    url = f"/mailing/requests/{email_request.pk}/answers/"
    add(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.text.count('class="answer-brochures"') == 7


def test_the_booklet_s_pdf_counts_in_the_cap_and_the_brochures_over_it_go_as_links(
    client, agent, offers, email_request, brochure, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    """The booklet's PDF is made when the answer is sent: the brochures' PDFs are counted with it then."""
    advice.suggestion_add(membership=membership(agent), visitor_request=email_request, offer=offers[0])
    booklet = booklet_services.booklet_create(membership=membership(agent), visitor_request=email_request)
    booklet_size = len(render.render_pdf(booklet, site_url=SITE))
    small_pdf, big_pdf = pdf_bytes(1), pdf_bytes(2, pad=booklet_size)
    # Without the booklet both brochures fit; with it, only the small one.
    cap = len(small_pdf) + booklet_size + 2000
    assert len(small_pdf) + len(big_pdf) <= cap < booklet_size + len(big_pdf)
    monkeypatch.setattr(brochures, "ATTACHMENTS_MAX_BYTES", cap)
    big, small = brochure("Big map", big_pdf), brochure("Small guide", small_pdf)
    online = brochure("Wine roads", url="https://example.org/wine")
    with django_capture_on_commit_callbacks(execute=False):  # queued: planned without the booklet
        answer = services.answer_send(
            membership=membership(agent), visitor_request=email_request, to="ann@example.org", subject="Your stay",
            body="Dear Ann,", template=None, booklet=booklet, site_url=SITE, brochures=[big, online, small],
        )  # fmt: skip
    assert list(answer.brochures.order_by("position").values_list("sent_as", flat=True)) == [
        SentAs.PDF,
        SentAs.LINK,
        SentAs.PDF,
    ]
    assert answer.body == "Dear Ann,\n\nOur brochure to read online:\n- Wine roads: https://example.org/wine"

    assert jobs.run_job(answer.job_id, sending.answer_deliver) == Job.Status.DONE

    message = received(smtp)
    parts = [(p.get_filename(), p.get_content()) for p in message.iter_attachments()]
    assert [name for name, _content in parts] == [render.pdf_filename(booklet), "small-guide.pdf"]
    assert PdfReader(io.BytesIO(parts[0][1])).pages  # the booklet, a real PDF
    assert parts[1][1] == small_pdf
    assert sum(len(content) for _name, content in parts) <= cap
    big_link = SITE + documentation_selectors.pdf_link(big)
    expected = (
        f"Dear Ann,\n\nOur brochures to read online:\n- Big map: {big_link}\n- Wine roads: https://example.org/wine"
    )
    assert text_of(message) == expected + "\n"
    answer.refresh_from_db()
    assert (answer.status, answer.body) == (Answer.Status.SENT, expected)
    rows = list(answer.brochures.order_by("position").values_list("title", "sent_as", "url", "size"))
    assert rows == [
        ("Big map", SentAs.LINK_SIZE, big_link, len(big_pdf)),
        ("Wine roads", SentAs.LINK, "https://example.org/wine", None),
        ("Small guide", SentAs.PDF, "", len(small_pdf)),
    ]
    opened = Client().get(big_link.removeprefix(SITE))
    assert b"".join(opened.streaming_content) == big_pdf
    # The agent sees how each went: the job's message, the answer's list, the request's history.
    job = Job.objects.get(pk=answer.job_id)
    assert job.message.startswith("Answer sent to ann@example.org. With the stay booklet’s PDF, the PDFs were over ")
    assert job.message.endswith("“Big map” went as a link in the answer instead.")
    client.force_login(agent)
    section = client.get(f"/mailing/requests/{email_request.pk}/answers/").text
    listed = section.split('class="answer-brochures"')[1].split("</ul>")[0]
    assert "Stay booklet · PDF attached" in listed
    assert "Big map · link (the PDFs were too big for one email)" in listed
    assert "Small guide · PDF attached" in listed
    entry = AuditEntry.objects.filter(object_id=email_request.pk, changes__0__field="answer").get()
    assert entry.changes[0]["new"].endswith(
        "brochures: Big map (link (the PDFs were too big for one email)), Wine roads (link), Small guide (PDF attached)"
    )


def test_brochures_that_fit_with_the_booklet_stay_attached(
    agent, offers, email_request, brochure, smtp, django_capture_on_commit_callbacks
):
    advice.suggestion_add(membership=membership(agent), visitor_request=email_request, offer=offers[0])
    booklet = booklet_services.booklet_create(membership=membership(agent), visitor_request=email_request)
    guide = brochure("Summer guide", pdf_bytes(2))
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_send(
            membership=membership(agent), visitor_request=email_request, to="ann@example.org", subject="Your stay",
            body="Dear Ann,", template=None, booklet=booklet, site_url=SITE, brochures=[guide],
        )  # fmt: skip
    message = received(smtp)
    assert [p.get_filename() for p in message.iter_attachments()] == [render.pdf_filename(booklet), "summer-guide.pdf"]
    assert text_of(message) == "Dear Ann,\n"
    assert list(answer.brochures.values_list("sent_as", flat=True)) == [SentAs.PDF]
    assert Job.objects.get(pk=answer.job_id).message == "Answer sent to ann@example.org."
