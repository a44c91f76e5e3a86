"""Background work of stay booklets: thin tasks taking ids (see core.jobs)."""

from django.tasks import task
from django.utils.translation import gettext_lazy

from acvs.core import jobs
from acvs.network import rules

from . import sending


# Before the long jobs: an agent is waiting at the counter.
@task(priority=10)
def booklet_send(job_id: int) -> str:
    return jobs.run_job(job_id, sending.booklet_deliver)


SEND = jobs.register(
    jobs.JobKind(
        name="booklet.send",
        label=gettext_lazy("Sending the booklet"),
        task=booklet_send,
        may_start=lambda membership, booklet: booklet is not None and rules.can_send_booklet(membership, booklet),
    )
)
