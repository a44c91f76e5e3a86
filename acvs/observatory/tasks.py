"""Background work of the observatory: keeping the rollups fresh after the activity they sum was written."""

import datetime

from django.tasks import task

from . import services


@task
def refresh_figures(marks: list[list]) -> int:
    """Rebuild the figures of these [office id, "YYYY-MM-DD"] pairs; enqueued when the writes commit."""
    return services.refresh((office_id, datetime.date.fromisoformat(day)) for office_id, day in marks)
