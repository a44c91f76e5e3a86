"""Journey: an agent answers a written request in a few taps: the template in the visitor's language comes merged,
the request's booklet is attached, the brochure handed out is ticked and another found in the catalogue, a real
worker sends it to a real SMTP server while the page follows it, and the request is answered."""

import datetime
import email
import email.policy
import os
import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from acvs.booklet import services as booklet_services
from acvs.desk import advice, services
from acvs.desk.models import RequestStatus
from acvs.desk.services import RequestData
from acvs.documentation import services as documentation_services
from acvs.documentation.models import Document, MovementKind, Place
from acvs.mailing import services as mailing_services
from acvs.mailing.models import Answer
from tests.booklet.conftest import offers, smtp  # noqa: F401 — fixtures
from tests.conftest import PASSWORD, membership
from tests.e2e.conftest import login
from tests.mailing.conftest import TEMPLATE
from tests.mailing.test_brochures import pdf_bytes

SUMMER_PDF = pdf_bytes(2)
SCREENSHOTS = os.environ.get("ACVS_SCREENSHOTS")  # a folder to keep the pages' pictures in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def written_request(agent, manager, offers):  # noqa: F811
    mailing_services.template_save(membership=membership(manager), data=TEMPLATE)
    data = RequestData(
        fields={
            "channel": "email", "origin": "abroad", "country": "GB", "adults": 2, "children": 0, "language": "en",
            "outcome": "fully", "name": "Ann Smith", "email": "ann@example.org", "status": "to_handle",
            "stay_start": datetime.date(2027, 7, 10), "stay_end": datetime.date(2027, 7, 14),
        }
    )  # fmt: skip
    obj = services.request_create(membership=membership(agent), data=data)
    advice.suggestion_add(membership=membership(agent), visitor_request=obj, offer=offers[0])
    booklet_services.booklet_create(membership=membership(agent), visitor_request=obj)
    return obj


@pytest.fixture
def brochures(agent, cdt_var, written_request, media):
    """The CDT's summer guide (a PDF) handed out with the request; its wine roads (a link) in the catalogue."""
    summer = Document.objects.create(
        title="Summer guide", language="en", publisher=cdt_var, managed_by=cdt_var,
        pdf=ContentFile(SUMMER_PDF, name="summer.pdf"),
    )  # fmt: skip
    Document.objects.create(title="Wine roads", language="en", publisher=cdt_var, managed_by=cdt_var,
                            public_url="https://example.org/wine")  # fmt: skip
    documentation_services.movement_record(
        membership=membership(agent), document=summer, kind=MovementKind.RECEIVED, quantity=5, place=Place.COUNTER
    )
    documentation_services.handout(membership=membership(agent), visitor_request=written_request, lines={summer: 1})
    return summer


def test_agent_answers_a_request_in_a_few_taps(
    page,
    agent,
    written_request,
    brochures,
    smtp,  # noqa: F811
    task_worker,
):
    login(page, "agent", PASSWORD)
    page.goto(f"/desk/requests/{written_request.pk}/")
    expect(page.locator("#answer-request")).to_have_text("Répondre")
    page.locator("#answer-request").click()
    # Merged in English, the visitor's language; addressed to the visitor; the booklet attached.
    expect(page.locator("#id_body")).to_have_value(
        "Dear Ann Smith,\n\nThank you for writing to us about your stay (July 10, 2027 – July 14, 2027).\n\n"
        "Open: \n\nAgent\nOffice de tourisme de Cavalaire\n"
    )
    expect(page.locator("#id_to")).to_have_value("ann@example.org")
    expect(page.locator("#id_booklet option:checked")).not_to_have_text("Aucune pièce jointe")
    page.locator("#id_body").press("Control+Home")
    page.locator("#id_body").type("P.S. ")
    # The brochure handed out is offered; another is found in the catalogue without leaving the page.
    picker = page.locator("#brochure-picker")
    expect(picker).to_contain_text("Summer guide")
    expect(picker).to_contain_text("remise avec cette demande")
    picker.get_by_label("Summer guide").check()
    page.locator("#id_brochure_q").fill("wine")
    page.locator("#find-brochures").click()
    expect(picker.get_by_label("Wine roads")).to_be_visible()
    expect(picker.get_by_label("Summer guide")).to_be_checked()
    picker.get_by_label("Wine roads").check()
    expect(page.locator("#id_body")).to_have_value(re.compile(r"^P\.S\. Dear Ann Smith,"))
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "answer-brochures.png"), full_page=True)
    smtp.hold = True
    page.locator("#send-answer").click()
    page.wait_for_url(f"**/desk/requests/{written_request.pk}/#answers")
    expect(page.locator("#answers-status .job .job-state")).to_have_text("En cours…", timeout=60_000)
    smtp.release.set()
    expect(page.locator("#answer-list li.sent")).to_have_count(1, timeout=60_000)
    expect(page.locator("#answers-status .job .job-message")).to_have_text("Réponse envoyée à ann@example.org.")

    answer = Answer.objects.get()
    assert answer.body.startswith("P.S. Dear Ann Smith,")
    [envelope] = smtp.envelopes
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    attachments = list(message.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["application/pdf", "application/pdf"]
    assert (attachments[1].get_filename(), attachments[1].get_content()) == ("summer-guide.pdf", SUMMER_PDF)
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert text.endswith("Our brochure to read online:\n- Wine roads: https://example.org/wine\n")
    written_request.refresh_from_db()
    assert written_request.status == RequestStatus.ANSWERED
    page.reload()
    expect(page.locator("#request-facts")).to_contain_text("Répondu")
    expect(page.locator("#answer-list")).to_contain_text("2 brochures")
    # How each part went: the booklet and the guide attached, the wine roads as a link.
    page.locator("#answer-list summary").first.click()
    listed = page.locator("#answer-list .answer-brochures")
    expect(listed).to_contain_text("Carnet de séjour · PDF joint")
    expect(listed).to_contain_text("Summer guide · PDF joint")
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "answer-sent.png"), full_page=True)
