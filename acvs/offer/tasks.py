"""Background work of the offer base, run by Django's task backend (at once by default, or by a worker)."""

from django.tasks import task

from .search import indexing


@task
def reindex_offers(offer_ids: list[int]) -> int:
    """Rebuild the search document of these offers from what they are now; enqueued after a change commits."""
    return indexing.reindex(offer_ids)
