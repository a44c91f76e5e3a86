"""Keeping the search document of offers up to date: after a change commits, a task rebuilds it.

The document (offer_offer.search_document) is the text an offer is found by; PostgreSQL derives its indexed vector
from it (a generated column), SQLite's FTS5 row is written beside it. Services call `schedule` with the offers a
change touches (an offer, a provider's offers, a label's, a type's); once the transaction commits, the offers are
re-indexed in batches by the task `offer.tasks.reindex_offers`, which calls `reindex`.
"""

from collections.abc import Iterable, Iterator

from django.db import connections, transaction

from ..models import Offer, OfferType
from .backends import backend

# Offers per task (what a bulk change enqueues) and per transaction of `reindex` (rows locked at a time).
TASK_BATCH = 1000
LOCK_BATCH = 250
PENDING = "acvs_reindex_pending"  # attribute of a connection: the offers its transaction scheduled


def build_document(offer: Offer) -> str:
    """The text an offer is found by: name (twice, to weigh it), types with their families, place, provider,
    labels, French texts. Expects types__ancestors and labels prefetched, commune and provider selected."""
    return document_of(offer, offer.types.all(), offer.labels.all())


def document_of(offer: Offer, types, labels) -> str:
    """`build_document` with the offer's types and labels given (an offer not yet written: offers created in bulk)."""
    type_labels = {t.label_fr for t in types}
    for t in types:
        type_labels.update(a.label_fr for a in t.ancestors.all() if a.is_family)
    parts = [
        offer.name,
        offer.name,
        " ".join(sorted(type_labels)),
        offer.commune.name if offer.commune_id else "",
        offer.provider.name if offer.provider_id else "",
        " ".join(label.name_fr for label in labels),
        offer.short_description_fr or "",
        offer.description_fr or "",
    ]
    return "\n".join(p for p in parts if p)


def reindex(offer_ids: Iterable[int], *, using: str = "default") -> int:
    """Rebuild the document of the given offers from what they are now; return how many changed.

    Each batch locks its offers in id order before reading them. Two re-indexings of the same offer therefore run
    one after the other, and the second reads what the first wrote plus any change committed since: the last one
    to run always writes the latest state. Id order means two batches never wait for each other in a cycle.
    Unchanged documents are not written (no new row version, no index update).
    """
    search = backend(using)
    changed = 0
    for chunk in _batches(sorted(set(offer_ids)), LOCK_BATCH):
        with transaction.atomic(using=using):
            offers = Offer.objects.using(using).filter(pk__in=chunk)
            locked = list(offers.order_by("pk").select_for_update(no_key=True).values_list("pk", flat=True))
            stale = []
            for offer in (
                offers.filter(pk__in=locked)
                .select_related("commune", "provider")
                .prefetch_related("types__ancestors", "labels")
            ):
                document = build_document(offer)
                if document != offer.search_document:
                    offer.search_document = document
                    stale.append(offer)
            Offer.objects.using(using).bulk_update(stale, ["search_document"])
            search.write_documents(stale)
            search.write_types(locked)
            changed += len(stale)
    return changed


def schedule(offer_ids: Iterable[int], *, using: str = "default") -> None:
    """Re-index these offers once the current transaction commits (at once outside a transaction).

    Every call of a transaction adds to one set (per connection, so per thread), which the first commit callback
    enqueues in batches of TASK_BATCH: a bulk change of 5,000 offers makes 5 tasks, however many times it called
    this. Ids left by a rolled-back transaction go with the next commit: re-indexing an offer is always harmless.
    """
    ids = set(offer_ids)
    if not ids:
        return
    connection = connections[using]
    if not hasattr(connection, PENDING):
        setattr(connection, PENDING, set())
    getattr(connection, PENDING).update(ids)
    transaction.on_commit(lambda: _enqueue(connection), using=using)


def _enqueue(connection) -> None:
    from ..tasks import reindex_offers  # tasks import this module

    ids = sorted(getattr(connection, PENDING, ()))
    if hasattr(connection, PENDING):
        delattr(connection, PENDING)
    for chunk in _batches(ids, TASK_BATCH):
        reindex_offers.enqueue(chunk)


def schedule_provider(provider_id: int) -> None:
    """A provider's name is in its offers' documents."""
    schedule(Offer.objects.filter(provider_id=provider_id).values_list("pk", flat=True))


def schedule_labels(label_ids: Iterable[int]) -> None:
    """A label's French name is in the documents of the offers that have it."""
    schedule(Offer.labels.through.objects.filter(label_id__in=list(label_ids)).values_list("offer_id", flat=True))


def type_words() -> dict[int, frozenset[str]]:
    """What each type puts in a document: its French label and its families' (see build_document)."""
    families = dict(OfferType.objects.filter(is_family=True).values_list("pk", "label_fr"))
    words = {pk: {label} for pk, label in OfferType.objects.values_list("pk", "label_fr")}
    for type_id, ancestor_id in OfferType.ancestors.through.objects.values_list("from_offertype_id", "to_offertype_id"):
        if ancestor_id in families:
            words[type_id].add(families[ancestor_id])
    return {pk: frozenset(w) for pk, w in words.items()}


def schedule_types(before: dict[int, frozenset[str]], after: dict[int, frozenset[str]]) -> None:
    """The offers of every type whose words changed between two `type_words()` (a new type tree)."""
    changed = [pk for pk, words in after.items() if before.get(pk) != words]
    schedule(Offer.types.through.objects.filter(offertype_id__in=changed).values_list("offer_id", flat=True))


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
