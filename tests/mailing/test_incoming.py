"""Replies from visitors, read from a real IMAP server (dovecot), attach to the answered request and reopen it."""

import imaplib
import io
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from acvs.core.models import AuditEntry
from acvs.desk.models import RequestStatus
from acvs.mailing import incoming, services, tasks
from acvs.mailing.models import Answer, IncomingMessage
from tests.conftest import membership
from tests.mailing.conftest import IMAP_PASSWORD

pytestmark = pytest.mark.django_db


def answered(agent, visitor_request, capture):
    with capture(execute=True):
        answer = services.answer_send(
            membership=membership(agent), visitor_request=visitor_request, to="ann@example.org",
            subject="Your stay", body="Dear Ann,", template=None, booklet=None, site_url="http://testserver",
        )  # fmt: skip
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SENT
    return answer


def reply(*, to: str, subject="Re: Your stay", in_reply_to="", message_id="<reply-1@visitor.example>") -> bytes:
    message = EmailMessage()
    message["From"] = "Ann Smith <ann@example.org>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Thu, 03 Dec 2026 10:15:00 +0100"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content("Thank you! Is the beach accessible with a pushchair?\n\n> Dear Ann,\n")
    return bytes(message)


def deliver(port: int, raw: bytes) -> None:
    """What the mail server does with a visitor's reply: put it in the answers mailbox."""
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login("answers", IMAP_PASSWORD)
    client.append("INBOX", None, imaplib.Time2Internaldate(timezone.now()), raw)
    client.logout()


def unread(port: int) -> int:
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login("answers", IMAP_PASSWORD)
    client.select("INBOX")
    _status, data = client.search(None, "UNSEEN")
    client.logout()
    return len(data[0].split())


def fetch() -> str:
    out = io.StringIO()
    call_command("fetch_answers_mail", stdout=out)
    return out.getvalue()


def test_a_reply_to_the_token_address_reopens_the_request_once(
    agent, email_request, smtp, imap_server, django_capture_on_commit_callbacks
):
    answer = answered(agent, email_request, django_capture_on_commit_callbacks)
    email_request.refresh_from_db()
    assert email_request.status == RequestStatus.ANSWERED
    deliver(imap_server, reply(to=f"answers+{answer.token}@acvs.example"))
    deliver(imap_server, reply(to="answers@acvs.example", subject="Unrelated", message_id="<spam@x.example>"))

    assert fetch().startswith("2 message(s) read, 1 attached to their request.")
    message = IncomingMessage.objects.get()
    assert (message.visitor_request, message.answer, message.sender) == (
        email_request, answer, "Ann Smith <ann@example.org>",
    )  # fmt: skip
    assert message.subject == "Re: Your stay"
    assert "pushchair" in message.body
    email_request.refresh_from_db()
    assert email_request.status == RequestStatus.TO_HANDLE
    entry = AuditEntry.objects.filter(object_id=email_request.pk, changes__0__field="reply").get()
    assert entry.changes[1]["new"] == str(RequestStatus.TO_HANDLE.label)
    assert unread(imap_server) == 1  # the unmatched message is left for a person

    # Read again: nothing is attached twice.
    assert fetch().startswith("1 message(s) read, 0 attached")
    assert IncomingMessage.objects.count() == 1


def test_a_reply_to_another_address_is_matched_by_its_headers(
    client, agent, email_request, smtp, imap_server, django_capture_on_commit_callbacks
):
    answer = answered(agent, email_request, django_capture_on_commit_callbacks)
    deliver(imap_server, reply(to="info@cavalaire.example", in_reply_to=answer.message_id))
    assert fetch().startswith("1 message(s) read, 1 attached")
    client.force_login(agent)
    page = client.get(f"/desk/requests/{email_request.pk}/")
    assert "pushchair" in page.text
    assert "Visitor’s replies" in page.text


def test_an_unreachable_mailbox_is_reported(settings):
    settings.ACVS_IMAP_HOST, settings.ACVS_IMAP_PORT, settings.ACVS_IMAP_SSL = "127.0.0.1", 1, False
    with pytest.raises(CommandError, match="The answers mailbox could not be read"):
        fetch()
    settings.ACVS_IMAP_HOST = ""
    with pytest.raises(CommandError, match="ACVS_IMAP_HOST is not set"):
        fetch()


def test_the_periodic_task_reads_the_mailbox(
    agent, email_request, smtp, imap_server, django_capture_on_commit_callbacks
):
    answer = answered(agent, email_request, django_capture_on_commit_callbacks)
    deliver(imap_server, reply(to=f"answers+{answer.token}@acvs.example"))
    out = io.StringIO()
    call_command("fetch_answers_mail", "--enqueue", stdout=out)  # the immediate backend runs it at once
    assert out.getvalue().startswith("Queued task ")
    assert IncomingMessage.objects.get().answer == answer
    assert tasks.fetch_answers_mail.enqueue().return_value == 0  # nothing new


def test_a_reply_is_shown_as_text_never_as_markup(
    client, agent, email_request, smtp, django_capture_on_commit_callbacks
):
    answer = answered(agent, email_request, django_capture_on_commit_callbacks)
    raw = reply(to=f"answers+{answer.token}@acvs.example", subject='<img src=x onerror="alert(1)">')
    raw = raw.replace(b"Thank you!", b"<script>alert(2)</script>")
    assert incoming.attach_reply(raw) is not None
    client.force_login(agent)
    page = client.get(f"/desk/requests/{email_request.pk}/").text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "<script>alert(2)" not in page
    assert "<img src=x" not in page
