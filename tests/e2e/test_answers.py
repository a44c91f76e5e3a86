"""Journey: an agent answers a written request in a few taps: the template in the visitor's language comes merged,
the request's booklet is attached, a real worker sends it to a real SMTP server while the page follows it, and the
request is answered."""

import datetime
import email
import email.policy

import pytest
from playwright.sync_api import expect

from acvs.booklet import services as booklet_services
from acvs.desk import advice, services
from acvs.desk.models import RequestStatus
from acvs.desk.services import RequestData
from acvs.mailing import services as mailing_services
from acvs.mailing.models import Answer
from tests.booklet.conftest import offers, smtp  # noqa: F401 — fixtures
from tests.conftest import PASSWORD, membership
from tests.e2e.conftest import login
from tests.mailing.conftest import TEMPLATE

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


def test_agent_answers_a_request_in_a_few_taps(page, agent, written_request, smtp, task_worker):  # noqa: F811
    login(page, "agent", PASSWORD)
    page.goto(f"/desk/requests/{written_request.pk}/")
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
    assert [a.get_content_type() for a in message.iter_attachments()] == ["application/pdf"]
    written_request.refresh_from_db()
    assert written_request.status == RequestStatus.ANSWERED
    page.reload()
    expect(page.locator("#request-facts")).to_contain_text("Répondu")
