"""Delivery status notifications read from a real IMAP server (dovecot): Postfix, Exim and Gmail reports mark the
answer and the contact's address; auto-replies are not bounces; an unreadable report is moved aside, never twice."""

import imaplib
import io
import random
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from acvs.contacts.models import ContactEmail
from acvs.core.models import AuditEntry
from acvs.demo import bounces as demo_bounces
from acvs.mailing import bounces, tasks, verp
from acvs.mailing.models import Answer
from tests.mailing.conftest import IMAP_PASSWORD
from tests.mailing.test_incoming import answered

pytestmark = pytest.mark.django_db
DSN = Path(__file__).parent / "data" / "dsn"
BOUNCES_USER = "bounces"


@pytest.fixture
def bounces_mailbox(settings, imap_server):
    """The bounces mailbox: another user of the answers' IMAP server, as docs/deployment.md suggests."""
    settings.ACVS_BOUNCES_ADDRESS = "bounces@ot.example"
    settings.ACVS_BOUNCES_IMAP_USER = BOUNCES_USER
    return imap_server


def sample(name: str, *, return_path: str, recipient: str = "ann@example.org") -> bytes:
    raw = (DSN / name).read_bytes()
    return raw.replace(b"RETURN_PATH", return_path.encode()).replace(b"RECIPIENT", recipient.encode())


def imap(port: int) -> imaplib.IMAP4:
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login(BOUNCES_USER, IMAP_PASSWORD)
    return client


def deliver(port: int, raw: bytes) -> None:
    client = imap(port)
    client.append("INBOX", None, imaplib.Time2Internaldate(timezone.now()), raw)
    client.logout()


def folder_counts(port: int) -> dict[str, tuple[int, int]]:
    """Per folder: (messages, unread)."""
    client = imap(port)
    counts = {}
    for folder in ("INBOX", "Unreadable"):
        status, data = client.select(folder)
        if status != "OK":
            continue
        _s, unseen = client.search(None, "UNSEEN")
        counts[folder] = (int(data[0]), len(unseen[0].split()))
    client.logout()
    return counts


def fetch() -> str:
    out = io.StringIO()
    call_command("fetch_bounces", stdout=out)
    return out.getvalue()


# Reading the reports -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "hard", "status", "diagnostic"),
    [
        ("postfix_hard.eml", True, "5.1.1", "smtp; 550 5.1.1 <ann@example.org>: Recipient address rejected: User "
                                            "unknown in virtual mailbox table"),
        ("exim_soft.eml", False, "4.2.2", "smtp; 452 4.2.2 The email account that you tried to reach is over quota"),
        ("gmail_hard.eml", True, "5.1.1", "smtp; The email account that you tried to reach does not exist. Please "
                                          "try double-checking the recipient's email address for typos or unnecessary "
                                          "spaces. For more information, go to "
                                          "https://support.google.com/mail/?p=NoSuchUser"),
    ],
)  # fmt: skip
def test_reports_of_the_common_servers_are_read(name, hard, status, diagnostic):
    report = bounces.read_report(sample(name, return_path="bounces+answer.7.abcdefabcdef@ot.example"))
    assert report.bounces == [verp.Bounce(address="ann@example.org", hard=hard, status=status, diagnostic=diagnostic)]
    assert report.return_paths[0] == "bounces+answer.7.abcdefabcdef@ot.example"


def test_the_quoted_original_names_the_return_path_when_the_headers_do_not():
    raw = sample("postfix_hard.eml", return_path="bounces@ot.example")
    original = b"Return-Path: <bounces+answer.7.abcdefabcdef@ot.example>"
    raw = raw.replace(b"Return-Path: <bounces@ot.example>", original)
    assert bounces.read_report(raw).return_paths == ["bounces@ot.example", "bounces+answer.7.abcdefabcdef@ot.example"]


def test_a_delay_warning_and_an_out_of_office_reply_are_not_bounces():
    assert bounces.read_report(sample("postfix_delayed.eml", return_path="b@ot.example")).bounces == []
    assert bounces.read_report(sample("out_of_office.eml", return_path="b@ot.example")) is None


@pytest.mark.parametrize(
    "headers",
    [
        "Subject: Out of Office: Your stay in Cavalaire",
        "Subject: Automatic reply: Your stay\r\nX-Auto-Response-Suppress: All",
        "Subject: Abwesenheitsnotiz\r\nAuto-Submitted: auto-replied",
        "Subject: Re: Your stay\r\nPrecedence: auto_reply",
    ],
)
def test_auto_replies_are_not_bounces(headers):
    raw = f"From: Ann <ann@example.org>\r\nTo: answers@acvs.example\r\n{headers}\r\n\r\nI am away.\r\n"
    assert bounces.read_report(raw.encode()) is None


def test_a_report_without_recipients_or_a_failure_without_a_report_is_malformed():
    with pytest.raises(bounces.Malformed, match="without a recipient"):
        bounces.read_report(sample("malformed.eml", return_path="b@ot.example"))
    plain = b"From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\nGone.\r\n"
    with pytest.raises(bounces.Malformed, match="without a delivery-status part"):
        bounces.read_report(plain)


# The mailbox ---------------------------------------------------------------------------------------------------


def test_a_hard_bounce_marks_the_answer_and_the_address_once(
    client, agent, email_request, smtp, bounces_mailbox, django_capture_on_commit_callbacks
):
    answer = answered(agent, email_request, django_capture_on_commit_callbacks)
    return_path = verp.return_path("answer", answer.pk)
    [envelope] = smtp.envelopes
    assert envelope.mail_from == return_path  # the envelope sender; the From header stays the office's
    assert b"From: ACVS <no-reply@acvs.example>" in envelope.content

    forged = f"bounces+answer.{answer.pk}.forgedforged@ot.example"
    for raw in (
        sample("postfix_hard.eml", return_path=return_path),
        sample("out_of_office.eml", return_path=return_path),
        sample("postfix_delayed.eml", return_path=return_path),
        sample("malformed.eml", return_path=return_path),
        sample("gmail_hard.eml", return_path=forged),
    ):
        deliver(bounces_mailbox, raw)

    out = fetch()
    assert out.startswith(
        "5 message(s) read, 1 bounce(s) recorded, 1 naming no sending of ours, 2 not a bounce, 1 moved aside."
    )
    assert "Moved aside (unreadable): Undelivered Mail Returned to Sender" in out
    assert folder_counts(bounces_mailbox) == {"INBOX": (4, 0), "Unreadable": (1, 1)}

    answer.refresh_from_db()
    reason = (
        "5.1.1 smtp; 550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown in virtual mailbox table"
    )
    assert answer.bounced_at is not None
    assert answer.bounce_reason == reason
    address = ContactEmail.objects.get(email="ann@example.org")
    assert (address.undeliverable_reason, address.soft_bounces) == (reason, 0)
    assert address.undeliverable_at is not None
    entry = AuditEntry.objects.filter(object_id=address.contact_id, changes__0__field="undeliverable").get()
    assert entry.changes[0]["new"] == f"ann@example.org: {reason}"

    # Nothing is read twice, and the same report found again (another copy) records nothing more.
    assert fetch().startswith("0 message(s) read")
    bounced_at = answer.bounced_at
    bounces.handle_report(bounces.read_report(sample("exim_soft.eml", return_path=return_path)))
    answer.refresh_from_db()
    address.refresh_from_db()
    assert (answer.bounced_at, address.soft_bounces) == (bounced_at, 0)

    client.force_login(agent)
    page = client.get(f"/desk/requests/{email_request.pk}/")
    assert f"bounced: {reason}".replace("<", "&lt;").replace(">", "&gt;") in page.text
    page = client.get(f"/contacts/{address.contact_id}/")
    assert "undeliverable since" in page.text
    assert "Answer bounced" in page.text


def test_soft_bounces_in_a_row_make_the_address_undeliverable_and_an_agent_makes_it_deliverable_again(
    client, agent, email_request, smtp, settings, django_capture_on_commit_callbacks
):
    settings.ACVS_BOUNCES_ADDRESS = "bounces@ot.example"
    address = ContactEmail.objects.get(email="ann@example.org")
    client.force_login(agent)
    for count in (1, 2, 3):
        answer = answered(agent, email_request, django_capture_on_commit_callbacks)
        raw = sample("exim_soft.eml", return_path=verp.return_path("answer", answer.pk))
        assert bounces.handle_report(bounces.read_report(raw)) == 1
        address.refresh_from_db()
        assert address.soft_bounces == count
        assert (address.undeliverable_at is not None) == (count == 3)
        if count == 2:
            assert "2 temporary failures in a row" in client.get(f"/contacts/{address.contact_id}/").text

    url = f"/contacts/{address.contact_id}/emails/{address.pk}/deliverable/"
    page = client.get(url)
    assert "Write to this address again?" in page.text
    assert "over quota" in page.text
    address.refresh_from_db()
    assert address.undeliverable_at is not None  # a look changes nothing
    assert client.post(url).status_code == 302
    address.refresh_from_db()
    assert (address.soft_bounces, address.undeliverable_at, address.undeliverable_reason) == (0, None, "")
    entry = AuditEntry.objects.filter(object_id=address.contact_id, user=agent, changes__0__field="undeliverable").get()
    assert entry.changes[0]["new"] == "ann@example.org: deliverable again"


def test_another_office_cannot_reach_the_address(client, other_agent, email_request):
    address = ContactEmail.objects.get(email="ann@example.org")
    client.force_login(other_agent)
    url = f"/contacts/{address.contact_id}/emails/{address.pk}/deliverable/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_the_periodic_task_reads_the_mailbox(agent, email_request, smtp, bounces_mailbox,
                                             django_capture_on_commit_callbacks):  # fmt: skip
    answer = answered(agent, email_request, django_capture_on_commit_callbacks)
    deliver(bounces_mailbox, sample("gmail_hard.eml", return_path=verp.return_path("answer", answer.pk)))
    result = tasks.fetch_bounces.enqueue()
    assert result.return_value == 1
    assert Answer.objects.get(pk=answer.pk).bounce_reason.startswith("5.1.1 smtp; The email account")


def test_an_unreachable_bounces_mailbox_is_reported(settings):
    settings.ACVS_IMAP_HOST, settings.ACVS_IMAP_PORT, settings.ACVS_IMAP_SSL = "127.0.0.1", 1, False
    with pytest.raises(CommandError, match="The bounces mailbox could not be read"):
        fetch()


def test_the_demo_bounces_a_few_answers_as_the_reader_does(cavalaire, email_request):
    Answer.objects.create(
        visitor_request=email_request, to="old@example.org", subject="Votre séjour", body="Bonjour,",
        status=Answer.Status.SENT, sent_at=timezone.now(), message_id="<demo@acvs.example>",
    )  # fmt: skip
    assert demo_bounces.fill(random.Random(2026), {"cavalaire": cavalaire}) == 1
    answer = Answer.objects.get()
    address = ContactEmail.objects.get(email="ann@example.org")
    assert answer.to == "ann@example.org"
    assert answer.bounce_reason.startswith(("5.1.", "4.2.2"))
    assert (address.undeliverable_at is not None) or address.soft_bounces == 1
