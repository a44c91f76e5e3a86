"""Background work of written answers: thin tasks taking ids (see core.jobs)."""

from crontask import cron
from django.conf import settings
from django.tasks import task
from django.utils.translation import gettext_lazy

from acvs.core import jobs
from acvs.network import rules

from . import bounces, incoming, sending


# Before the long jobs: the agent follows the sending on the request's page.
@task(priority=10)
def answer_send(job_id: int) -> str:
    return jobs.run_job(job_id, sending.answer_deliver)


@task()
def fetch_answers_mail() -> int:
    """Read the answers mailbox once; the clock process enqueues it every five minutes."""
    return incoming.fetch_mailbox().attached


# Only where there is a mailbox to read: without one each run would fail.
if settings.ACVS_IMAP_HOST:
    cron("*/5 * * * *")(fetch_answers_mail)


SEND = jobs.register(
    jobs.JobKind(
        name="mailing.answer",
        label=gettext_lazy("Sending the answer"),
        task=answer_send,
        may_start=lambda membership, visitor_request: (
            visitor_request is not None and rules.can_answer_request(membership, visitor_request)
        ),
    )
)


@task()
def fetch_bounces() -> int:
    """Read the bounces mailbox once (a scheduler enqueues it every few minutes); the number of bounces recorded."""
    return bounces.fetch_mailbox().recorded
