"""Reads of import runs: the acting office's only."""

from django.http import Http404

from acvs.core import jobs
from acvs.core.models import Job

from .. import tasks
from ..models import ImportRun, LegacySource, Source


def runs():
    return ImportRun.objects.defer("records")


def get_run(pk) -> ImportRun:
    """One import of the acting office; 404 when it does not exist or belongs to another office."""
    try:
        return ImportRun.objects.get(pk=pk)
    except (ImportRun.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import") from None


def run_job(run: ImportRun) -> Job | None:
    """The latest background work on the run (its check or its commit), if any."""
    found = [job for kind in (tasks.CHECK, tasks.COMMIT) if (job := jobs.latest_job(kind, run)) is not None]
    return max(found, key=lambda job: (job.created_at, job.pk), default=None)


def legacy_sources():
    """The acting office's former bases, with their saved mappings."""
    return LegacySource.objects.all()


def get_legacy_run(pk) -> ImportRun:
    """A former base's file of the acting office, still to be mapped or mapped again; 404 otherwise."""
    run = get_run(pk)
    if run.source != Source.LEGACY or not run.table:
        raise Http404("Not a former base's file")
    return run
