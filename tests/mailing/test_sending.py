"""Answering a request: queued, sent over real SMTP once, recorded, the request answered with its answer time."""

import datetime
import email
import email.policy
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from acvs.booklet import services as booklet_services
from acvs.core import jobs
from acvs.core.models import AuditEntry, Job
from acvs.desk import advice
from acvs.desk.models import RequestStatus, VisitorRequest
from acvs.mailing import selectors, sending, services
from acvs.mailing.models import Answer
from acvs.mailing.sending import working_days_between
from tests.conftest import membership
from tests.workers import wait_until

pytestmark = pytest.mark.django_db
SITE = "http://testserver"
Status = Answer.Status


def send(user, visitor_request, *, to="ann@example.org", booklet=None, template=None):
    subject, body = selectors.merged(template, visitor_request, user) if template else ("Your stay", "Dear Ann,")
    return services.answer_send(
        membership=membership(user),
        visitor_request=VisitorRequest.objects.get(pk=visitor_request.pk),
        to=to,
        subject=subject,
        body=body,
        template=template,
        booklet=booklet,
        site_url=SITE,
    )


def finished(job: Job) -> Job:
    return wait_until(lambda: (j := Job.objects.get(pk=job.pk)).is_finished and j, what="the job to finish")


def parse(envelope):
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def test_the_answer_is_sent_once_with_the_booklet_and_the_request_is_answered(
    agent, offers, template, hours, email_request, smtp, settings, task_worker
):
    settings.ACVS_ANSWERS_ADDRESS = "answers@acvs.example"
    advice.suggestion_add(membership=membership(agent), visitor_request=email_request, offer=offers[0])
    booklet = booklet_services.booklet_create(membership=membership(agent), visitor_request=email_request)

    answer = send(agent, email_request, booklet=booklet, template=template)

    assert answer.status == Status.QUEUED
    assert re.fullmatch(r"<[^@\s]+@acvs\.example>", answer.message_id)
    job = finished(answer.job)
    assert (job.status, job.message, job.attempts) == (Job.Status.DONE, "Answer sent to ann@example.org.", 1)
    answer.refresh_from_db()
    assert (answer.status, answer.error, answer.working_days, answer.late) == (Status.SENT, "", 0, False)
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["ann@example.org"]
    message = parse(envelope)
    assert message["Message-ID"] == answer.message_id
    assert message["Reply-To"] == f"answers+{answer.token}@acvs.example"
    assert message["Subject"] == "Your stay in Office de tourisme de Cavalaire"
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert text == (
        "Dear Ann Smith,\n\nThank you for writing to us about your stay (July 14, 2027 – July 21, 2027).\n\n"
        "Open: Daily, 9am to 6pm\n\nAgent\nOffice de tourisme de Cavalaire\n"
    )
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    pdf = PdfReader(io.BytesIO(attachment.get_content()))
    assert "Plage de Bonporteau" in "".join(p.extract_text() for p in pdf.pages)

    email_request.refresh_from_db()
    assert email_request.status == RequestStatus.ANSWERED
    entry = AuditEntry.objects.filter(object_id=email_request.pk, changes__0__field="answer").get()
    assert "ann@example.org" in entry.changes[0]["new"]
    assert entry.changes[1]["field"] == "status"

    # The job run again (a duplicate task, a late retry) sends nothing more.
    assert jobs.run_job(job.pk, lambda job, progress: pytest.fail("a finished job ran again")) == Job.Status.DONE
    assert len(smtp.envelopes) == 1


def test_an_answer_found_sending_is_never_sent_again(agent, email_request, smtp, django_capture_on_commit_callbacks):
    """A run finding its answer "sending" knows a worker died mid-conversation: uncertain, no second message."""
    with django_capture_on_commit_callbacks(execute=False):
        answer = send(agent, email_request)
    Answer.objects.filter(pk=answer.pk).update(status=Status.SENDING)
    assert jobs.run_job(answer.job_id, sending.answer_deliver) == Job.Status.FAILED
    answer.refresh_from_db()
    job = Job.objects.get(pk=answer.job_id)
    assert answer.status == Status.UNCERTAIN
    assert (job.retryable, job.can_retry) == (False, False)
    assert "the visitor may have it" in job.message
    assert smtp.envelopes == []
    with pytest.raises(ValidationError):
        jobs.job_retry(membership=membership(agent), job=job)
    email_request.refresh_from_db()
    assert email_request.status == RequestStatus.TO_HANDLE


def test_a_worker_killed_mid_conversation_never_sends_twice(agent, email_request, smtp, settings, worker_process):
    smtp.hold = True
    answer = send(agent, email_request)
    first = worker_process.start()
    wait_until(lambda: len(smtp.envelopes) == 1, timeout=90, what="the message at the server")
    first.crash()
    smtp.release.set()
    answer.refresh_from_db()
    assert answer.status == Status.SENDING
    settings.ACVS_JOB_STALE_SECONDS = 0
    jobs.job_retry(membership=membership(agent), job=Job.objects.get(pk=answer.job_id))
    worker_process.start()
    job = finished(answer.job)
    answer.refresh_from_db()
    assert (answer.status, job.status, job.retryable) == (Status.UNCERTAIN, Job.Status.FAILED, False)
    assert len(smtp.envelopes) == 1


def test_a_server_down_fails_with_its_reason_and_a_retry_sends_it(
    agent, email_request, settings, closed_smtp, smtp, django_capture_on_commit_callbacks
):
    port = smtp.port
    settings.MAILERS["default"]["OPTIONS"]["port"] = closed_smtp
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(agent, email_request)  # the immediate backend runs it on commit
    answer.refresh_from_db()
    job = Job.objects.get(pk=answer.job_id)
    assert (answer.status, job.status, job.can_retry) == (Status.FAILED, Job.Status.FAILED, True)
    assert f"The mail server (127.0.0.1:{closed_smtp}) could not be reached" in answer.error
    assert job.message.startswith("The answer was not sent: The mail server")
    failed_id = answer.message_id

    settings.MAILERS["default"]["OPTIONS"]["port"] = port
    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_retry(membership=membership(agent), job=job)
    answer.refresh_from_db()
    assert answer.status == Status.SENT
    assert answer.message_id != failed_id
    [envelope] = smtp.envelopes
    assert parse(envelope)["Message-ID"] == answer.message_id


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"to": "ann@"}, "to", "not a valid email address"),
        ({"to": ""}, "to", "Give the visitor’s email address"),
    ],
)
def test_bad_input_is_refused_before_anything_is_queued(agent, email_request, smtp, data, field, reason):
    with pytest.raises(ValidationError) as error:
        send(agent, email_request, **data)
    assert reason in str(error.value.error_dict[field])
    assert not Answer.objects.exists()
    assert not Job.objects.exists()
    assert smtp.envelopes == []


def test_a_booklet_of_another_request_cannot_be_attached(agent, offers, email_request, make_request, smtp):
    other = make_request()
    advice.suggestion_add(membership=membership(agent), visitor_request=other, offer=offers[0])
    booklet = booklet_services.booklet_create(membership=membership(agent), visitor_request=other)
    with pytest.raises(ValidationError, match="made for this request"):
        send(agent, email_request, booklet=booklet)
    assert not Answer.objects.exists()


def test_answer_time_counts_working_days_without_french_holidays():
    # Ascension Day, Thursday 14 May 2026, then the weekend: Wednesday → Monday is two working days.
    assert working_days_between(datetime.date(2026, 5, 13), datetime.date(2026, 5, 18)) == 2
    # An ordinary week: Wednesday → Monday is three.
    assert working_days_between(datetime.date(2026, 6, 3), datetime.date(2026, 6, 8)) == 3
    assert working_days_between(datetime.date(2026, 5, 13), datetime.date(2026, 5, 13)) == 0
    # Christmas and the weekend: Thursday 24 December 2026 → Monday 28 December is one.
    assert working_days_between(datetime.date(2026, 12, 24), datetime.date(2026, 12, 28)) == 1


def test_a_late_answer_is_marked_late(agent, make_request, smtp, django_capture_on_commit_callbacks):
    from tests.desk.conftest import written

    received = datetime.datetime(2026, 5, 13, 10, tzinfo=datetime.UTC)
    late = make_request(data=written(received_at=received, email="ann@example.org"))
    VisitorRequest.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 5, 18))
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(agent, late)
    answer.refresh_from_db()
    assert answer.status == Status.SENT
    assert answer.late is True
    sent_on = timezone.localdate(answer.sent_at)  # the office's day (Paris), not UTC's
    assert answer.working_days == working_days_between(datetime.date(2026, 5, 13), sent_on)
