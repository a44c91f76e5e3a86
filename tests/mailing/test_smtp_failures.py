"""Answers against mail servers that fail: a refusal (5xx) fails with its reason, a temporary refusal (4xx) fails
and is tried again, a server that never answers the message leaves it "may have been sent", never sent twice."""

import asyncio

import pytest
from aiosmtpd.controller import Controller

from acvs.core import jobs
from acvs.core.models import Job
from acvs.mailing.models import Answer
from tests.booklet.conftest import free_port, smtp_mailers
from tests.conftest import membership
from tests.mailing.test_sending import send

pytestmark = pytest.mark.django_db
Status = Answer.Status


class Scripted:
    """An aiosmtpd handler answering RCPT with the given replies in turn, then accepting; with `stall`, the reply to
    DATA comes after that many seconds (the message received, the client given up)."""

    def __init__(self, *replies: str, stall: float = 0):
        self.replies = list(replies)
        self.stall = stall
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.replies:
            return self.replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        await asyncio.sleep(self.stall)
        return "250 Message accepted for delivery"


@pytest.fixture
def failing_smtp(settings):
    """Start a scripted server; the client gives up after one second."""
    controllers = []

    def start(handler: Scripted) -> Scripted:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        settings.MAILERS = smtp_mailers(port)
        settings.MAILERS["default"]["OPTIONS"]["timeout"] = 1
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def attempt(agent, answer, capture) -> tuple[Answer, Job]:
    with capture(execute=True):
        jobs.job_retry(membership=membership(agent), job=Job.objects.get(pk=answer.job_id))
    answer.refresh_from_db()
    return answer, Job.objects.get(pk=answer.job_id)


def test_a_refused_address_fails_with_the_servers_reason(
    agent, email_request, failing_smtp, django_capture_on_commit_callbacks
):
    server = failing_smtp(Scripted("550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown"))
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(agent, email_request)
    answer.refresh_from_db()
    job = Job.objects.get(pk=answer.job_id)
    assert (answer.status, job.status, job.can_retry) == (Status.FAILED, Job.Status.FAILED, True)
    assert answer.error == (
        "The mail server refused the address (ann@example.org: 550 5.1.1 <ann@example.org>: Recipient address "
        "rejected: User unknown)."
    )
    assert server.envelopes == []


def test_a_temporary_refusal_is_tried_again_then_a_refusal_fails_then_a_retry_sends_it(
    agent, email_request, failing_smtp, django_capture_on_commit_callbacks
):
    server = failing_smtp(Scripted("451 4.7.1 Greylisted, please try again later", "550 5.7.1 Message rejected"))
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(agent, email_request)
    answer.refresh_from_db()
    first_id = answer.message_id
    assert answer.status == Status.FAILED
    assert "451 4.7.1 Greylisted" in answer.error
    assert Job.objects.get(pk=answer.job_id).can_retry

    answer, job = attempt(agent, answer, django_capture_on_commit_callbacks)
    assert (answer.status, job.status, job.can_retry) == (Status.FAILED, Job.Status.FAILED, True)
    assert "550 5.7.1 Message rejected" in answer.error
    assert answer.message_id != first_id  # nothing was delivered: each try is a new message

    answer, job = attempt(agent, answer, django_capture_on_commit_callbacks)
    assert (answer.status, job.status, answer.error) == (Status.SENT, Job.Status.DONE, "")
    [envelope] = server.envelopes
    assert envelope.rcpt_tos == ["ann@example.org"]
    assert Answer.objects.count() == 1  # the retried answer is the same row


def test_a_server_that_does_not_answer_the_message_leaves_it_uncertain(
    agent, email_request, failing_smtp, django_capture_on_commit_callbacks
):
    server = failing_smtp(Scripted(stall=3))
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(agent, email_request)
    answer.refresh_from_db()
    job = Job.objects.get(pk=answer.job_id)
    assert (answer.status, job.status, job.retryable) == (Status.UNCERTAIN, Job.Status.FAILED, False)
    assert "the visitor may have it" in answer.error
    assert answer.message_id in answer.error
    assert len(server.envelopes) == 1  # the server had it: trying again by itself would send it twice
