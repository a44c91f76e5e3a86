"""Background work of the observatory: keeping the rollups fresh after the activity they sum was written."""

from django.tasks import task

from . import services


@task
def refresh_figures() -> int:
    """Rebuild the figures of the days marked dirty; enqueued when a write that marked some commits. Concurrent
    runs share the marks (each takes those no other holds); a run that finds none does nothing."""
    return services.drain()
