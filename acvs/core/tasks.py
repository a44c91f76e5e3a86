"""Housekeeping scheduled by the clock process (crontask): the finished task results are pruned every night."""

from crontask import cron
from django.core.management import call_command
from django.tasks import task


@cron("40 2 * * *")
@task
def prune_task_results() -> None:
    """Task results older than 14 days go (django-tasks-db's command, every queue)."""
    call_command("prune_db_task_results", queue_name="*", verbosity=0)
