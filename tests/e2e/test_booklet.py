"""Journey: from a request with suggestions, an agent builds a stay booklet, downloads its PDF and emails it; a real
worker sends it in the background while the page follows it, the visitor's message arrives at a real SMTP server and
its link opens the web version."""

import datetime
import email
import email.policy
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from acvs.booklet.models import Booklet, BookletSending
from acvs.desk import advice, services
from acvs.desk.services import RequestData
from tests.booklet.conftest import offers, smtp  # noqa: F401 — fixtures
from tests.conftest import PASSWORD, membership
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def visitor_request(agent, offers):  # noqa: F811
    data = RequestData(
        fields={
            "origin": "abroad",
            "country": "GB",
            "adults": 2,
            "children": 0,
            "language": "en",
            "outcome": "fully",
            "name": "Ann Smith",
            "email": "ann@example.org",
            "stay_start": datetime.date(2026, 7, 10),
            "stay_end": datetime.date(2026, 7, 14),
        }
    )
    obj = services.request_create(membership=membership(agent), data=data)
    for offer in offers:
        advice.suggestion_add(membership=membership(agent), visitor_request=obj, offer=offer)
    return obj


def item_names(page) -> list[str]:
    return page.locator(".booklet-item .item-name").all_inner_texts()


def test_agent_builds_downloads_and_sends_a_booklet_that_the_visitor_opens(
    page,
    agent,
    visitor_request,
    smtp,  # noqa: F811
    task_worker,
):
    login(page, "agent", PASSWORD)
    page.goto(f"/desk/requests/{visitor_request.pk}/")
    page.locator("#build-booklet").click()
    page.wait_for_url(re.compile(r"/booklets/\d+/$"))
    booklet = Booklet.objects.get(visitor_request=visitor_request)
    assert item_names(page) == ["Plage de Bonporteau", "Musée de la Mer", "Sentier du Littoral"]

    # Reorder: the walk goes first.
    page.locator(".booklet-item").nth(2).locator(".move-up").click()
    expect(page.locator(".booklet-item").nth(1).locator(".item-name")).to_have_text("Sentier du Littoral")
    page.locator(".booklet-item").nth(1).locator(".move-up").click()
    expect(page.locator(".booklet-item").first.locator(".item-name")).to_have_text("Sentier du Littoral")
    # A note and a day for it.
    first = page.locator(".booklet-item").first
    first.locator(".item-note").fill("Start early, before the heat.")
    first.locator(".item-day").select_option("1")
    first.locator(".item-save").click()
    expect(page.locator(".booklet-item").first.locator(".item-note")).to_have_value("Start early, before the heat.")

    # The PDF, read back.
    with page.expect_download() as info:
        page.locator("#download-pdf").click()
    download = info.value
    assert download.suggested_filename == f"your-stay-{booklet.pk}.pdf"
    reader = PdfReader(Path(download.path()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert 3 <= len(reader.pages) <= 8
    assert "A sheltered cove with turquoise water." in text  # English texts: the request's language
    assert "Start early, before the heat." in text
    # The new order, in the list beside the map.
    assert text.index("Sentier du Littoral ·") < text.index("Plage de Bonporteau ·") < text.index("Musée de la Mer ·")

    # Sending, to the request's email (prefilled), with the PDF: the worker sends it while the page follows it (the
    # server holds its answer until the page has shown the sending in progress).
    expect(page.locator("#id_to")).to_have_value("ann@example.org")
    smtp.hold = True
    page.locator("#send-button").click()
    expect(page.locator("#sending-status .job .job-state")).to_have_text("En cours…", timeout=60_000)
    expect(page.locator("#sending-status .job progress")).to_be_visible()
    expect(page.locator("#sendings li.sending")).to_have_count(1)
    smtp.release.set()
    expect(page.locator("#sendings li.sent")).to_have_count(1, timeout=60_000)  # a PDF to render on a busy machine
    expect(page.locator("#sending-status .job .job-message")).to_have_text("Carnet envoyé à ann@example.org.")
    assert BookletSending.objects.get(booklet=booklet).ok
    [envelope] = smtp.envelopes
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert envelope.rcpt_tos == ["ann@example.org"]
    assert [a.get_content_type() for a in message.iter_attachments()] == ["application/pdf"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/booklets/b/[\w-]+/", body).group(0)

    # The request page shows the sending.
    page.goto(f"/desk/requests/{visitor_request.pk}/")
    expect(page.locator(f"#booklet-{booklet.pk}")).to_contain_text("ann@example.org")

    # The visitor, not logged in, on a phone.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    expect(page.locator("#booklet-title")).to_have_text("Your stay")
    for name in ("Sentier du Littoral", "Plage de Bonporteau", "Musée de la Mer"):
        expect(page.locator(".entry h3", has_text=name)).to_be_visible()
    expect(page.locator(".map svg")).to_be_visible()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Booklet.objects.get(pk=booklet.pk).first_opened_at is not None


def test_a_refused_sending_is_reported_and_can_be_retried(page, agent, visitor_request, smtp, task_worker):  # noqa: F811
    login(page, "agent", PASSWORD)
    page.goto(f"/desk/requests/{visitor_request.pk}/")
    page.locator("#build-booklet").click()
    page.wait_for_url(re.compile(r"/booklets/\d+/$"))
    smtp.refuse = "550 5.1.1 Unknown user"
    page.locator("#id_with_pdf").uncheck()
    page.locator("#send-button").click()
    expect(page.locator("#sending-status .job-message.error")).to_contain_text("550 5.1.1 Unknown user")
    expect(page.locator("#sendings li.failed")).to_have_count(1)
    smtp.refuse = None
    page.locator("#sending-status .job-retry").click()
    expect(page.locator("#sendings li.sent")).to_have_count(1)
    expect(page.locator("#sending-status .job-retry")).to_have_count(0)
    assert len(smtp.envelopes) == 1
