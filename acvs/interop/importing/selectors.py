"""Reads of import runs: the acting office's only."""

from django.http import Http404

from ..models import ImportRun


def runs():
    return ImportRun.objects.defer("records")


def get_run(pk) -> ImportRun:
    """One import of the acting office; 404 when it does not exist or belongs to another office."""
    try:
        return ImportRun.objects.get(pk=pk)
    except (ImportRun.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import") from None
