"""Background work of the observatory: keeping the rollups fresh after the activity they sum was written."""

from crontask import cron
from django.tasks import task

from . import services


# Also every ten minutes, from the clock process: marks whose task was lost (a worker killed) are drained anyway.
@cron("*/10 * * * *")
@task
def refresh_figures() -> int:
    """Rebuild the figures of the days marked dirty; enqueued when a write that marked some commits, and periodically
    (`manage.py observatory_drain`, or a scheduler enqueueing this task) for marks a lost task left behind.
    Concurrent runs share the marks (each takes those no other holds); a run that finds none does nothing."""
    return services.drain()
