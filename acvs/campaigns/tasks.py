"""Background work of campaigns: a thin task taking the campaign's id (see sending.py)."""

import datetime

from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone

from . import sending


@task(queue_name="campaigns")  # its own worker (Procfile, settings.TASK_QUEUES): the sending lowers its thread
def campaign_send(campaign_id: int) -> str:
    return sending.campaign_run(campaign_id)


def enqueue_send(campaign, delay: float | None = None) -> None:
    """Run the sending at the campaign's date (or after `delay` seconds), once the current transaction commits."""
    at = campaign.scheduled_at
    if delay is not None:
        at = timezone.now() + datetime.timedelta(seconds=delay)
    pk = campaign.pk

    def enqueue():
        planned = campaign_send
        if at is not None and at > timezone.now() and task_backends[planned.backend].supports_defer:
            planned = planned.using(run_after=at)
        planned.enqueue(pk)

    transaction.on_commit(enqueue)
