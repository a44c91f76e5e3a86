"""Background work of written answers: thin tasks taking ids (see core.jobs)."""

from django.tasks import task
from django.utils.translation import gettext_lazy

from acvs.core import jobs
from acvs.network import rules

from . import incoming, sending


# Before the long jobs: the agent follows the sending on the request's page.
@task(priority=10)
def answer_send(job_id: int) -> str:
    return jobs.run_job(job_id, sending.answer_deliver)


@task()
def fetch_answers_mail() -> int:
    """Read the answers mailbox once; a scheduler (cron, systemd timer) enqueues it every few minutes."""
    return incoming.fetch_mailbox().attached


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
