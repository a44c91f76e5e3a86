"""Sending a booklet: queued by the page, sent by a real worker to a real SMTP server, at most once."""

import email
import email.policy
import io
import re

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from acvs.booklet import services
from acvs.booklet.models import Booklet, BookletSending
from acvs.core import jobs
from acvs.core.models import AuditEntry, Job
from acvs.desk import advice
from tests.conftest import membership
from tests.workers import wait_until

pytestmark = pytest.mark.django_db
SITE = "http://testserver"
Status = BookletSending.Status


def send(user, booklet, to="ann@example.org", with_pdf=True):
    return services.booklet_send(
        membership=membership(user), booklet=Booklet.objects.get(pk=booklet.pk), to=to, with_pdf=with_pdf, site_url=SITE
    )


def finished(job: Job) -> Job:
    return wait_until(lambda: (j := Job.objects.get(pk=job.pk)).is_finished and j, what="the job to finish")


def parse(envelope):
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def test_the_worker_sends_the_link_and_the_pdf_once(agent, offers, make_request, smtp, task_worker):
    request = make_request(language="en")
    advice.suggestion_add(membership=membership(agent), visitor_request=request, offer=offers[0])
    booklet = services.booklet_create(membership=membership(agent), visitor_request=request)

    sending = send(agent, booklet)

    # Recorded, with its Message-ID, before the worker takes it.
    assert sending.status == Status.QUEUED
    assert re.fullmatch(r"<[^@\s]+@acvs\.example>", sending.message_id)
    job = finished(sending.job)
    assert (job.status, job.message, job.attempts) == (Job.Status.DONE, "Booklet sent to ann@example.org.", 1)
    sending.refresh_from_db()
    assert (sending.status, sending.error) == (Status.SENT, "")
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["ann@example.org"]
    message = parse(envelope)
    assert message["Message-ID"] == sending.message_id
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
    # Recorded on the booklet and, once, in the request's history.
    entry = AuditEntry.objects.filter(object_id=request.pk, changes__0__field="booklet").get()
    assert "ann@example.org" in entry.changes[0]["new"]

    # The job run again (a duplicate task, a late retry) sends nothing more.
    assert jobs.run_job(job.pk, lambda job, progress: pytest.fail("a finished job ran again")) == Job.Status.DONE
    assert len(smtp.envelopes) == 1


def test_without_pdf_there_is_no_attachment(agent, booklet, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(agent, booklet, with_pdf=False)
    [envelope] = smtp.envelopes
    assert list(parse(envelope).iter_attachments()) == []


def test_an_empty_booklet_cannot_be_sent(agent, smtp):
    booklet = services.booklet_create(membership=membership(agent))
    with pytest.raises(ValidationError, match="empty"):
        send(agent, booklet)
    assert smtp.envelopes == []
    assert not BookletSending.objects.exists()
    assert not Job.objects.exists()


@pytest.mark.parametrize("address", ["ann@", "ann example.org", "", "ann@@example.org"])
def test_a_malformed_address_is_refused_clearly(agent, booklet, smtp, address):
    with pytest.raises(ValidationError) as error:
        send(agent, booklet, to=address)
    assert "to" in error.value.error_dict
    assert "valid email address" in str(error.value) or "Give an email address" in str(error.value)
    assert smtp.envelopes == []
    assert not BookletSending.objects.exists()
    assert not Job.objects.exists()


def test_a_refused_message_fails_with_its_reason_and_a_retry_sends_it(agent, booklet, smtp, task_worker):
    smtp.refuse = "550 5.7.1 Mailbox unavailable"
    job = finished(send(agent, booklet).job)
    assert job.status == Job.Status.FAILED
    assert job.message == (
        "The booklet was not sent: The mail server refused the message: 550 5.7.1 Mailbox unavailable. "
        "You can try again."
    )
    assert job.can_retry
    failed = BookletSending.objects.get()
    assert (failed.status, failed.to) == (Status.FAILED, "ann@example.org")
    assert "550 5.7.1 Mailbox unavailable" in failed.error

    smtp.refuse = None
    jobs.job_retry(membership=membership(agent), job=job)
    job = finished(job)
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)
    assert len(smtp.envelopes) == 1
    # Every attempt is kept; the new one has its own Message-ID.
    attempts = list(BookletSending.objects.order_by("id"))
    assert [a.status for a in attempts] == [Status.FAILED, Status.SENT]
    assert attempts[0].message_id != attempts[1].message_id
    assert parse(smtp.envelopes[0])["Message-ID"] == attempts[1].message_id


def test_a_refused_address_is_reported(agent, booklet, smtp, task_worker):
    smtp.refuse_rcpt = "550 5.1.1 No such user here"
    job = finished(send(agent, booklet, to="nobody@example.org").job)
    assert job.status == Job.Status.FAILED
    assert "The mail server refused the address (nobody@example.org: 550 5.1.1 No such user here)." in job.message
    assert smtp.envelopes == []


def test_a_server_that_is_down_is_reported_and_recorded(agent, booklet, closed_smtp, task_worker):
    job = finished(send(agent, booklet).job)
    assert job.status == Job.Status.FAILED
    assert f"The mail server (127.0.0.1:{closed_smtp}) could not be reached" in job.message
    assert job.retryable
    assert BookletSending.objects.get().status == Status.FAILED


def test_a_reason_is_written_in_the_language_of_the_agent(client, agent, booklet, closed_smtp, task_worker):
    client.cookies["django_language"] = "fr"
    client.force_login(agent)
    client.post(f"/booklets/{booklet.pk}/send/", {"to": "ann@example.org"})
    job = finished(Job.objects.get())
    assert job.language == "fr"
    assert job.message.startswith("Le carnet n’a pas été envoyé : Le serveur de messagerie (127.0.0.1:")
    page = client.get(f"/booklets/{booklet.pk}/")
    assert job.message in page.text
    assert "Réessayer" in page.text


def test_an_answer_that_never_comes_leaves_the_sending_uncertain_and_it_is_not_sent_again(
    agent, booklet, smtp, settings, task_worker
):
    """The server took the message but the answer to DATA timed out: maybe delivered, so never resent blindly."""
    settings.MAILERS["default"]["OPTIONS"]["timeout"] = 1
    smtp.hold = True
    sending = send(agent, booklet, with_pdf=False)
    job = finished(sending.job)
    sending.refresh_from_db()
    assert sending.status == Status.UNCERTAIN
    assert (job.status, job.retryable, job.can_retry) == (Job.Status.FAILED, False, False)
    assert "may have reached the visitor" in job.message
    assert sending.message_id in job.message
    assert len(smtp.envelopes) == 1
    with pytest.raises(ValidationError):
        jobs.job_retry(membership=membership(agent), job=job)


def test_a_worker_that_dies_while_sending_never_sends_twice(client, agent, booklet, smtp, settings, worker_process):
    """The worker process is killed after the server took the message, before it heard the answer; a retry then
    finds the attempt "sending" and does not send it again."""
    client.force_login(agent)
    editor = f"/booklets/{booklet.pk}/"
    smtp.hold = True
    client.post(f"{editor}send/", {"to": "ann@example.org"})
    first = worker_process.start()
    wait_until(lambda: len(smtp.envelopes) == 1, timeout=90, what="the message at the server")
    first.crash()
    smtp.release.set()
    sending, job = BookletSending.objects.get(), Job.objects.get()
    assert (sending.status, job.status) == (Status.SENDING, Job.Status.RUNNING)

    # The page says the work shows no sign of life, and offers to try again.
    settings.ACVS_JOB_STALE_SECONDS = 0
    page = client.get(editor)
    assert "No sign of progress for a while" in page.text
    assert f'action="/jobs/{job.pk}/retry/"' in page.text
    response = client.post(f"/jobs/{job.pk}/retry/", {"next": editor + "#send"})
    assert response.status_code == 302
    assert response["Location"] == editor + "#send"

    worker_process.start()
    job = finished(job)
    sending.refresh_from_db()
    assert sending.status == Status.UNCERTAIN
    assert (job.status, job.retryable, job.attempts) == (Job.Status.FAILED, False, 2)
    assert "interrupted while the mail server was receiving it (its worker stopped)" in job.message
    assert len(smtp.envelopes) == 1
    page = client.get(editor)
    assert "may have reached the visitor" in page.text
    assert "job-retry" not in page.text


def test_a_worker_that_died_before_sending_sends_once_on_retry(client, agent, booklet, smtp, settings, worker_process):
    """What a worker killed before the SMTP step leaves: its job running, the attempt still queued."""
    client.force_login(agent)
    sending = send(agent, booklet, with_pdf=False)
    Job.objects.filter(pk=sending.job_id).update(status=Job.Status.RUNNING, attempts=1)
    settings.ACVS_JOB_STALE_SECONDS = 0
    editor = f"/booklets/{booklet.pk}/"
    client.post(f"/jobs/{sending.job_id}/retry/", {"next": editor})
    worker_process.start()
    job = finished(sending.job)
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)
    assert len(smtp.envelopes) == 1
    assert BookletSending.objects.get().status == Status.SENT


def test_another_office_cannot_send_see_or_retry(client, other_agent, agent, booklet, smtp):
    client.force_login(other_agent)
    assert client.post(f"/booklets/{booklet.pk}/send/", {"to": "x@example.org"}).status_code == 404
    assert smtp.envelopes == []
    assert not BookletSending.objects.exists()
    job = send(agent, booklet).job
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    assert client.get(f"/booklets/{booklet.pk}/sendings/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


def test_a_partner_cannot_retry_a_sending(client, partner, agent, booklet):
    job = send(agent, booklet).job
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    client.force_login(partner)
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 403
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
