"""Journey: a visitor writes from the office's public page framed in its website; the confirmation email reaches a
real SMTP server, its link confirms the subscription, and the agent finds the contact consenting."""

import email
import email.policy
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from playwright.sync_api import expect

from acvs.contacts.models import ConsentEvent, Contact
from tests.booklet.conftest import smtp  # noqa: F401 — fixture
from tests.conftest import PASSWORD
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office_website():
    """The office's own website on another origin (a small server on 127.0.0.1), framing a page of ours."""
    servers = []

    def serve(frame_url: str) -> str:
        frame = f'<iframe src="{frame_url}" width="700" height="960"></iframe>'
        html = f"<!doctype html><title>Cavalaire</title><h1>Bienvenue</h1>{frame}"

        class Site(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(html.encode())

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), Site)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    for server in servers:
        server.shutdown()


def test_a_visitor_subscribes_from_the_offices_website_and_confirms(
    page,
    new_context,
    live_server,
    agent,
    cavalaire,
    smtp,  # noqa: F811
    settings,
    office_website,
):
    settings.ACVS_PUBLIC_FORM_MIN_SECONDS = 1
    frame_url = f"{live_server.url}/contacts/public/cavalaire/?lang=en"
    page.goto(office_website(frame_url))
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Office de tourisme de Cavalaire")).to_be_visible()
    frame.get_by_label("Your name").fill("Emma Brown")
    frame.get_by_label("Your email").fill("emma@example.co.uk")
    frame.get_by_label("Country").select_option("GB")
    frame.get_by_label("Your request").fill("Which beaches suit small children in July?")
    frame.get_by_label("I agree to receive the newsletter of Office de tourisme de Cavalaire by email.").check()
    page.wait_for_timeout(1100)
    frame.get_by_role("button", name="Send").click()
    expect(frame.locator("#public-thanks")).to_contain_text("open the email we have just sent you")
    assert not ConsentEvent.objects.filter(purpose="newsletter", pending=False).exists()

    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["emma@example.co.uk"]
    body = email.message_from_bytes(envelope.content, policy=email.policy.default).get_body(("plain",)).get_content()
    link = re.search(r"http://\S+/contacts/confirm/\S+/", body).group(0)
    assert link.startswith(live_server.url)

    visitor = new_context(viewport={"width": 412, "height": 900}).new_page()
    visitor.goto(link)
    expect(visitor.locator("blockquote")).to_contain_text("I agree to receive the newsletter")
    visitor.get_by_role("button", name="I confirm").click()
    expect(visitor.locator("#confirm-done")).to_contain_text("your subscription is confirmed")

    login(page, "agent", PASSWORD)
    page.goto("/contacts/?consent=newsletter")
    expect(page.locator("#contact-list tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Emma Brown").click()
    expect(page.locator("#consent-newsletter")).to_contain_text("Donné")
    expect(page.locator("#consent-newsletter")).to_contain_text("confirmé par courriel")
    contact = Contact.objects.get()
    assert contact.request_links.get().visitor_request.channel == "web"
